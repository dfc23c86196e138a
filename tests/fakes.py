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


def settled_from_events(target: Item, posting_date: str) -> list[dict[str, Any]]:
    """The read models' part in AVERAGE's Adjust Cost, without a database: the item's
    outbounds and transfer halves dated from `posting_date` that its state has dropped,
    summed from its events (never saved here, so all still pending)."""
    found: dict[int, dict[str, Any]] = {}
    for event in target.pending_events:
        changes = getattr(event, "changes", {})
        for entry in changes.get("entries", ()):
            if (entry["quantity"] < 0 or entry["entry_type"] == "TRANSFER") \
                    and entry["posting_date"] >= posting_date and str(entry["entry_no"]) not in target.entries:
                found[entry["entry_no"]] = dict(entry, cost_actual=Decimal(0), cost_expected=Decimal(0))
        for entry_no, quantity in changes.get("invoiced", ()):
            if entry_no in found:
                found[entry_no]["invoiced_quantity"] += quantity
        for value in changes.get("values", ()):
            entry = found.get(value["ile_no"])
            if entry is not None:
                entry["cost_actual"] += value["cost_actual"]
                entry["cost_expected"] += value["cost_expected"]
                if value["entry_type"] == "DIRECT_COST" and not value["adjustment"]:
                    entry["source"] = [value["posting_date"], value["document_no"], value["dimensions"]]
    return list(found.values())
