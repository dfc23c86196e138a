"""Item snapshots of the open state: given an item with 2,100 postings saved 300 at a
time, it is snapshotted by the saves that hold its versions at multiples of 100 (more
rarely while it has many open entries), and a fresh process loads it from them to the
same state."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from ledger.aggregates.item import Item
from ledger.application import LedgerService
from ledger.application.store import snapshot_due
from ledger.costing.journal import post_line
from tests.company import base_company, line


def test_snapshots_stand_at_steps_that_grow_with_the_open_state(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ledger.db"
    service = LedgerService(url)
    base_company(service, automatic=False)
    item = service.uow.get(Item.create_id("1000"))
    for start in range(0, 2100, 300):  # saved 300 postings at a time, like a bulk load
        allocator = service.uow.allocator()
        for n in range(start, start + 300):
            kind = "PURCHASE" if n % 2 == 0 or n >= 1800 else "SALE"
            item.post_journal_line(changes=post_line(item, line(
                kind, "2027-01-02", "1", unit_cost=Decimal("2.00") if kind == "PURCHASE" else None,
                document_no=f"P{n}"), allocator))
        service.uow.save_numbered(allocator, item)
    state = {"version": item.version, "entries": sorted(item.entries), "open": item.open}
    service.close()
    with sqlite3.connect(tmp_path / "ledger.db") as connection:
        versions = [row[0] for row in connection.execute(
            "SELECT originator_version FROM stored_snapshots WHERE originator_id = ? "
            "ORDER BY originator_version", (Item.create_id("1000").hex,))]
    assert [snapshot_due(version, 100, 3) for version in (100, 150, 200)] == [True, False, True]
    assert [snapshot_due(version, 100, 300) for version in (200, 400, 800)] == [False, True, True]
    # a purchase and a sale alternate (each sale settles the purchase before it), so the
    # state stays small; the last 300 postings are purchases that stay open
    assert versions == [301, 601, 901, 1201, 1501, 1801, 2101]
    again = LedgerService(url)
    loaded = again.uow.get(Item.create_id("1000"))
    assert {"version": loaded.version, "entries": sorted(loaded.entries), "open": loaded.open} == state
    assert len(loaded.entries) == 300
    again.close()
