"""The Item aggregate: one per item, the consistency boundary of inventory costing.

Its events are the item's journal lines, invoices, revaluations, cost adjustments and
the "cost posted to G/L" bookkeeping. Each event carries its whole effect (new item
ledger and value entries with their numbers, applications, posted amounts), computed
beforehand by the pure costing and posting rules, so the event methods only record:
they run again on every load and replay.

State is the item's open state only (ledger.aggregates.open_state): live entries as
plain dicts keyed by the entry no. as text, because snapshots go through JSON (whose
object keys are strings).

Events are the truth and are never rewritten, so every layout an event or a snapshot
was ever stored in stays readable: eventsourcing's upcasting brings each to today's
(`class_version`, `upcast_v1_v2`, `upcast_v2_v3`), and the read models' fast decoding calls the same
`upcast_changes` (ledger.application.transcoder). Since version 3 an event's payload is
stored compact and unpacked when read (ledger.aggregates.payloads).
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.aggregates import open_state
from ledger.aggregates.ids import aggregate_id
from ledger.aggregates.payloads import Changes


CHANGES_VERSION = 3


def stored_decimal(value: Any) -> Decimal:
    """An amount as the domain decodes it (a Decimal) or as the read models' fast path
    leaves it (eventsourcing's tagged text)."""
    return Decimal(value["_data_"]) if isinstance(value, Mapping) else Decimal(value)


def upcast_entries(entries: Any) -> None:
    """The first layout's item ledger entries had no `revaluations`."""
    for entry in entries:
        entry.setdefault("revaluations", [])


def upcast_changes(changes: dict[str, Any]) -> None:
    """An Item event's `changes` of any earlier layout, in place, as today's.

    - The first layout's new entries had no `revaluations`.
    - Until "cost posted" events became compact, `posted` named each value entry with
      its posted amounts, `[[no, actual, expected], ...]`; posting always moved the
      actual amount up to the cost and the expected one only while expected cost
      posted, so the entry nos. and whether any expected amount was posted say the same.
    """
    upcast_entries(changes.get("entries", ()))
    posted = changes.get("posted")
    if posted and isinstance(posted[0], list):
        changes["posted"] = [no for no, _, _ in posted]
        changes["expected_posting"] = any(stored_decimal(expected) for _, _, expected in posted)


class Item(Aggregate):
    class_version = 3  # of its snapshots' state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        upcast_entries(state.get("entries", {}).values())

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        open_state.upcast_full_state(state)

    class Changed(Aggregate.Event):
        """What every Item event but the first records: one `changes` payload."""
        class_version = CHANGES_VERSION
        changes: Changes

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            upcast_changes(state["changes"])

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Version 3 stores the payload compact (ledger.aggregates.payloads.pack);
            reading unpacks every version (ledger.application.transcoder.PayloadMapper),
            and a version 2 payload, with its Decimals and whole value entries, is one
            already unpacked."""

    class JournalLinePosted(Changed):
        pass

    class Invoiced(Changed):
        pass

    class Revalued(Changed):
        pass

    class CostAdjusted(Changed):
        pass

    class CostPostedToGL(Changed):
        pass

    @staticmethod
    def create_id(no: str) -> UUID:
        return aggregate_id("item", no)

    @event("Registered")
    def __init__(self, no: str, description: str | None, costing_method: str,
                 invt_posting_group: str, gen_prod_posting_group: str, unit_cost: Decimal,
                 standard_cost: Decimal | None) -> None:
        self.no = no
        self.description = description
        self.costing_method = costing_method
        self.invt_posting_group = invt_posting_group
        self.gen_prod_posting_group = gen_prod_posting_group
        self.unit_cost = unit_cost
        self.standard_cost = standard_cost
        open_state.start(self)

    @property
    def master(self) -> dict[str, Any]:
        return {
            "no": self.no, "description": self.description, "costing_method": self.costing_method,
            "invt_posting_group": self.invt_posting_group,
            "gen_prod_posting_group": self.gen_prod_posting_group,
            "unit_cost": self.unit_cost, "standard_cost": self.standard_cost,
        }

    # Each kind of posting is its own event type, for a readable audit trail; all of
    # them record a `Changes` payload (ledger.aggregates.payloads, made by ledger.costing
    # and ledger.posting) the same way, into the open state of ledger.aggregates.open_state.
    @event(JournalLinePosted)
    def post_journal_line(self, changes: Changes) -> None:
        open_state.record(self, changes, journal_line=True)

    @event(Invoiced)
    def invoice(self, changes: Changes) -> None:
        open_state.record(self, changes)

    @event(Revalued)
    def revalue(self, changes: Changes) -> None:
        open_state.record(self, changes)

    @event(CostAdjusted)
    def adjust_cost(self, changes: Changes) -> None:
        open_state.record(self, changes)

    @event(CostPostedToGL)
    def post_cost_to_gl(self, changes: Changes) -> None:
        """The batch job appends this event without loading the item: the open state
        keeps no posted amounts (the read models do), so it records nothing."""
