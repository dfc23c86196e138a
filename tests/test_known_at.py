"""Time travel (issue 22): the entry lists, their totals and the reconciliation as known
at a past event-store position are what they showed at that moment.

A history of receipts and shipments (invoiced later, some at another cost), transfers,
revaluations, Adjust Cost and batch runs per entry and per posting group is posted
with automatic cost posting off and expected cost posting on. Along the way, the
lists are written down with the position they were read at; at the end, each list
asked "as known at" that position must equal what was written down."""
from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from itertools import islice
from typing import Any

from fastapi.testclient import TestClient

from ledger.api.app import create_app
from ledger.application import LedgerService
from ledger.application.batch_job.reports import Request
from tests.company import base_company
from tests.test_adjust_cost_properties import Run, day
from tests.test_open_state_properties import long_history

STEPS = 300
SNAPSHOT_EVERY = 15
POST_EVERY = 40


def every_page(page: Callable[..., tuple[list[dict[str, Any]], int, bool]], *args: Any,
               position: int | None) -> tuple[list[dict[str, Any]], int]:
    """Every row of a paged list (cursor after cursor) and the total it states."""
    rows: list[dict[str, Any]] = []
    after, total, more = None, 0, True
    while more:
        found, total, more = page(*args, 200, after, position)
        rows += found
        after = found[-1]["entry_no"] if found else None
    return rows, total


def lists(service: LedgerService, position: int | None) -> dict[str, Any]:
    """What the lists, their totals and the reconciliation show (now, or as known at)."""
    reads = service.reads
    entries, values = reads.item_ledger_entry_list, reads.value_entries
    return {
        "item ledger entries": every_page(entries, {}, position=position),
        "open entries at RED": every_page(entries, {"remaining_quantity > ?": 0,
                                                    "location_code = ?": "RED"}, position=position),
        "value entries": every_page(values, {}, None, position=position),
        "value entries not posted": every_page(values, {}, True, position=position),
        "value entries posted of 1100": every_page(values, {"item_no = ?": "1100"}, False,
                                                   position=position),
        "entry totals": reads.item_ledger_entry_totals({}, position),
        "open entry totals": reads.item_ledger_entry_totals({"remaining_quantity > ?": 0}, position),
        "value entry totals": reads.value_entry_totals({}, None, position),
        "unposted totals": reads.value_entry_totals({}, True, position),
        "reconciliation": reads.reconciliation(None, position),
        "reconciliation on day 10": reads.reconciliation(day(10), position),
    }


def position_now(service: LedgerService) -> int:
    service.reads.fresh()
    return service.reads.run(lambda cursor: cursor.execute(
        "SELECT position FROM ledger_tracking").fetchone()["position"])


def post_cost(service: LedgerService, n: int) -> None:
    per_group = n % (2 * POST_EVERY) == 0
    request = Request("PER_POSTING_GROUP" if per_group else "PER_ENTRY",
                      "INVT" if per_group else None, None, day(n // 30) if n % 3 else None)
    service.batch.run(request, post=True)


def test_the_lists_as_known_at_a_position_are_what_they_showed_then(service: LedgerService) -> None:
    base_company(service, automatic=False)
    service.setup.update_inventory_setup({"expected_cost_posting": True})
    run = Run(service, "NEVER", adjust_before_revaluing=False)
    shown: dict[int, dict[str, Any]] = {}
    for n, step in enumerate(islice(long_history(random.Random(7)), STEPS), 1):
        run.step(step)
        if n % POST_EVERY == 0:
            shown[position_now(service)] = lists(service, None)
            post_cost(service, n)
        if n % SNAPSHOT_EVERY == 0:
            shown[position_now(service)] = lists(service, None)
    assert len(shown) > STEPS // SNAPSHOT_EVERY, "each snapshot at a position of its own"
    assert any(known["value entries not posted"][1] for known in shown.values())
    assert any(known["value entries posted of 1100"][1] for known in shown.values())
    for position, known in shown.items():
        then = lists(service, position)
        assert [name for name in known if then[name] != known[name]] == [], \
            f"as known at {position}, these lists differ from what they showed then"


TOTALS = """query($p: Int) {
  itemLedgerEntryList(filter: {asOfPosition: $p, openOnly: true}, first: 1) {
    totalCount totals { quantity remainingQuantity costAmountActual } }
  valueEntries(filter: {asOfPosition: $p, postedToGL: false}, first: 1) {
    totalCount totals { costAmountActual costPostedToGL } }
  glEntries(filter: {asOfPosition: $p}, first: 1) {
    totalCount totals { debitAmount creditAmount balance } }
  reconciliation(asOfPosition: $p) { locationCode inventoryValue glBalance notPostedToGL difference }
}"""


def test_the_api_answers_totals_and_the_reconciliation_as_known_at(sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    base_company(service, automatic=False)
    run = Run(service, "NEVER", adjust_before_revaluing=False)
    run.step(("PURCHASE", "1000", "BLUE", 1, Decimal(10), Decimal("2.50"), True))
    received = position_now(service)
    service.batch.run(Request("PER_ENTRY", None, None, None), post=True)
    run.step(("SALE", "1000", "BLUE", 2, Decimal(4), True))
    with TestClient(create_app(service)) as client:
        def totals(position: int | None) -> dict[str, Any]:
            return client.post("/graphql", json={"query": TOTALS,
                                                 "variables": {"p": position}}).json()["data"]
        then, now = totals(received), totals(None)
    assert then["itemLedgerEntryList"] == {"totalCount": 1, "totals": {
        "quantity": "10", "remainingQuantity": "10", "costAmountActual": "25.00"}}
    assert now["itemLedgerEntryList"]["totals"]["remainingQuantity"] == "6"
    assert then["valueEntries"] == {"totalCount": 1, "totals": {"costAmountActual": "25.00",
                                                                "costPostedToGL": "0.00"}}
    assert now["valueEntries"]["totals"] == {"costAmountActual": "-10.00", "costPostedToGL": "0.00"}
    assert then["glEntries"] == {"totalCount": 0, "totals": {
        "debitAmount": "0.00", "creditAmount": "0.00", "balance": "0.00"}}
    assert now["glEntries"]["totals"] == {"debitAmount": "25.00", "creditAmount": "25.00",
                                          "balance": "0.00"}
    assert then["reconciliation"] == [{"locationCode": "BLUE", "inventoryValue": "25.00",
                                       "glBalance": "0.00", "notPostedToGL": "25.00",
                                       "difference": "0.00"}]
    assert now["reconciliation"] == [{"locationCode": "BLUE", "inventoryValue": "15.00",
                                      "glBalance": "25.00", "notPostedToGL": "-10.00",
                                      "difference": "0.00"}]
