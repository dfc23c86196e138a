"""Item events are stored compact (issue 20): every amount as its exact text instead of
eventsourcing's tagged Decimal, and the item's master data (posting groups, the
derived description) once per event instead of in every value entry. Read back, each
event is the one the domain made, Decimal for Decimal (value and exponent)."""
from __future__ import annotations

import random
from decimal import Decimal
from itertools import islice
from typing import Any

import orjson
import pytest

from ledger.aggregates.item import Item
from ledger.aggregates.payloads import MASTER
from ledger.application import LedgerService
from ledger.application.transcoder import PayloadMapper
from tests.company import base_company
from tests.test_adjust_cost_properties import Run
from tests.test_open_state_properties import long_history

STEPS = 400


def strict(value: Any) -> Any:
    """Comparable with a Decimal's exponent too (Decimal("1.0") == Decimal("1"))."""
    if isinstance(value, dict):
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, list):
        return [strict(item) for item in value]
    return ("Decimal", str(value)) if isinstance(value, Decimal) else value


def test_item_events_are_stored_compact_and_read_back_as_made(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    made: dict[tuple[str, int], Any] = {}
    store = PayloadMapper.to_stored_event

    def noting(mapper: PayloadMapper, domain_event: Any) -> Any:
        if isinstance(domain_event, Item.Changed):
            made[str(domain_event.originator_id), domain_event.originator_version] = \
                strict(domain_event.changes)
        return store(mapper, domain_event)
    monkeypatch.setattr(PayloadMapper, "to_stored_event", noting)

    service = LedgerService(sqlite_url)
    base_company(service, automatic=True)
    run = Run(service, "ALWAYS", adjust_before_revaluing=False)
    for step in islice(long_history(random.Random(3)), STEPS):
        run.step(step)
    mapper = service.ledger.mapper
    stored = [notification for notification in service.ledger.recorder.select_notifications(1, 100_000)
              if notification.topic.startswith("ledger.aggregates.item:Item.")
              and not notification.topic.endswith(".Registered")]
    assert len(stored) == len(made) > STEPS / 2
    values = 0
    for notification in stored:
        text = mapper.compressor.decompress(notification.state)
        changes = orjson.loads(text)["changes"]
        assert b"_type_" not in orjson.dumps(changes), "an amount stored as a tagged Decimal"
        for value in changes.get("values", ()):
            values += 1
            assert not set(value) & {*MASTER, "item_no", "description"}, \
                "a value entry repeats its item's master data"
        read = mapper.to_domain_event(notification)
        assert strict(read.changes) == made[str(read.originator_id), read.originator_version]
    assert values > STEPS / 2
    assert service.verify_projections().consistent
