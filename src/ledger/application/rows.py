"""Result rows built from an item's state and a posting's events, in the shape the read
models return."""
from __future__ import annotations

from typing import Any

from ledger.aggregates.payloads import Changes

from ledger.costing.state import ItemState


def ile_as_result(item: ItemState, entry_no: int) -> dict[str, Any]:
    ile = item.entries[str(entry_no)]
    return {
        "entry_no": ile["entry_no"], "item_no": item.no, "entry_type": ile["entry_type"],
        "posting_date": ile["posting_date"], "document_no": ile["document_no"],
        "location_code": ile["location_code"], "quantity": ile["quantity"],
        "remaining_quantity": ile["remaining_quantity"],
        "invoiced_quantity": ile["invoiced_quantity"],
        "cost_actual": ile["cost_actual"], "cost_expected": ile["cost_expected"],
        "sales_actual": ile["sales_actual"], "dimensions": dict(ile["dimensions"]),
    }


def values_as_posted(events: list[Changes]) -> list[dict[str, Any]]:
    """The value entries of a step's events, each with the posted amounts a later event
    of the step gave it (a posting's own entries, posted beside its adjustment)."""
    values = {v["entry_no"]: dict(v) for changes in events for v in changes.get("values", ())}
    for changes in events:
        for value_no in changes.get("posted", ()):
            value = values[value_no]
            value["posted_actual"] = value["cost_actual"]
            if changes.get("expected_posting"):
                value["posted_expected"] = value["cost_expected"]
    return list(values.values())


def posting_result(item: ItemState, events: list[Changes],
                   own_entries: list[int]) -> dict[str, Any]:
    """What a posting returns: its own entries, every value and G/L entry its events made,
    each as it stands after the whole atomic step."""
    return {
        "item_ledger_entries": [ile_as_result(item, no) for no in own_entries],
        "value_entries": values_as_posted(events),
        "gl_entries": [dict(g) for changes in events for g in changes.get("gl_entries", ())],
    }
