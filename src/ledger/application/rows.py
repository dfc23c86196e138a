"""Result rows built from an item's state, in the shape the read models return."""
from __future__ import annotations

from typing import Any

from ledger.amounts import ZERO
from ledger.costing.state import ItemState, value_entries_of


def ile_as_result(item: ItemState, entry_no: int) -> dict[str, Any]:
    ile = item.entries[str(entry_no)]
    values = value_entries_of(item, ile)
    return {
        "entry_no": ile["entry_no"], "item_no": item.no, "entry_type": ile["entry_type"],
        "posting_date": ile["posting_date"], "document_no": ile["document_no"],
        "location_code": ile["location_code"], "quantity": ile["quantity"],
        "remaining_quantity": ile["remaining_quantity"],
        "invoiced_quantity": ile["invoiced_quantity"],
        "cost_actual": sum((v["cost_actual"] for v in values), ZERO),
        "cost_expected": sum((v["cost_expected"] for v in values), ZERO),
        "sales_actual": sum((v["sales_actual"] for v in values), ZERO),
        "dimensions": dict(ile["dimensions"]),
    }


def posting_result(item: ItemState, events: list[dict[str, Any]],
                   own_entries: list[int]) -> dict[str, Any]:
    """What a posting returns: its own entries, every value and G/L entry its events made,
    each as it stands after the whole atomic step."""
    value_nos = [v["entry_no"] for changes in events for v in changes.get("values", ())]
    return {
        "item_ledger_entries": [ile_as_result(item, no) for no in own_entries],
        "value_entries": [dict(item.values[str(no)]) for no in value_nos],
        "gl_entries": [dict(g) for changes in events for g in changes.get("gl_entries", ())],
    }
