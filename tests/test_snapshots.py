"""Item snapshots at doubling versions: given an item with 2,100 postings, saved 300 at a
time, it is snapshotted only by the saves that hold its versions 500, 1000 and 2000, and
a fresh process loads it from them to the same state."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from ledger.aggregates.item import Item
from ledger.application import LedgerService
from ledger.application.store import snapshot_due
from ledger.costing.journal import post_line
from tests.company import base_company, line


def test_snapshots_stand_at_doubling_versions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ledger.db"
    service = LedgerService(url)
    base_company(service, automatic=False)
    item = service.uow.get(Item.create_id("1000"))
    for start in range(0, 2100, 300):  # saved 300 postings at a time, like a bulk load
        allocator = service.uow.allocator()
        for n in range(start, start + 300):
            item.post_journal_line(changes=post_line(item, line(
                "PURCHASE", "2027-01-02", "1", unit_cost=Decimal("2.00"), document_no=f"P{n}"),
                allocator))
        service.uow.save_numbered(allocator, item)
    state = {"version": item.version, "entries": len(item.entries), "values": len(item.values)}
    service.close()
    with sqlite3.connect(tmp_path / "ledger.db") as connection:
        versions = [row[0] for row in connection.execute(
            "SELECT originator_version FROM stored_snapshots WHERE originator_id = ? "
            "ORDER BY originator_version", (Item.create_id("1000").hex,))]
    assert [snapshot_due(version, 500) for version in (500, 1000, 1500, 2000, 3000, 4000)] == [
        True, True, False, True, False, True]
    # the item is registered at version 1; the saves holding its 500th, 1000th and
    # 2000th events end at versions 601, 1201 and 2101, and snapshot it as saved
    assert versions == [601, 1201, 2101]
    again = LedgerService(url)
    loaded = again.uow.get(Item.create_id("1000"))
    assert {"version": loaded.version, "entries": len(loaded.entries),
            "values": len(loaded.values)} == state
    again.close()
