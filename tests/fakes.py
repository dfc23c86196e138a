"""In-memory stand-ins for the pure rules' tests: no database anywhere."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.aggregates.item import Item
from ledger.costing.journal import JournalLine, post_line


class Counter:
    """Entry numbers without the event store."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def take(self, sequence: str) -> int:
        self.last[sequence] = self.last.get(sequence, 0) + 1
        return self.last[sequence]


def item(method: str = "FIFO", unit_cost: str = "10.00", standard: str | None = None) -> Item:
    return Item(no="1000", description=None, costing_method=method, invt_posting_group="RESALE",
                gen_prod_posting_group="RETAIL", unit_cost=Decimal(unit_cost),
                standard_cost=Decimal(standard) if standard else None)


def post(target: Item, numbers: Counter, entry_type: str, posting_date: str, quantity: str,
         **more: Any) -> dict[str, Any]:
    """Post a line at BLUE and return its changes (the item's event payload)."""
    for key in ("unit_cost", "unit_price"):
        if isinstance(more.get(key), str):
            more[key] = Decimal(more[key])
    line = JournalLine(entry_type=entry_type, posting_date=posting_date, document_no="D",
                       item_no=target.no, location_code=more.pop("location_code", "BLUE"),
                       quantity=Decimal(quantity), **more)
    changes = post_line(target, line, numbers)
    target.post_journal_line(changes=changes)
    return changes


def cost(changes: dict[str, Any]) -> Decimal:
    return sum((v["cost_actual"] + v["cost_expected"] for v in changes["values"]), Decimal(0))
