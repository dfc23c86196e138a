"""Item ledger entries and value entries as the dicts events carry (domain.md section 1)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.amounts import ZERO, round5
from ledger.aggregates.payloads import Changes, ItemLedgerEntry, ValueEntry, description
from ledger.costing.state import Entry, ItemState


def new_item_ledger_entry(entry_no: int, entry_type: str, posting_date: str, document_no: str,
                          location_code: str, quantity: Decimal, gen_bus_posting_group: str,
                          dimensions: dict[str, str], *, invoiced: bool,
                          unit_cost: Decimal | None = None, unit_price: Decimal | None = None,
                          applies_to: int | None = None) -> ItemLedgerEntry:
    """A new entry; `quantity` is signed (inbound > 0)."""
    return {
        "entry_no": entry_no, "entry_type": entry_type, "posting_date": posting_date,
        "document_no": document_no, "location_code": location_code, "quantity": quantity,
        "remaining_quantity": quantity if quantity > 0 else ZERO,
        "invoiced_quantity": quantity if invoiced else ZERO,
        "gen_bus_posting_group": gen_bus_posting_group, "dimensions": dict(dimensions),
        "unit_cost": unit_cost, "unit_price": unit_price, "applies_to": applies_to,
        "applications": [], "applied_cost": ZERO, "revalued_on": None, "revaluations": [],
    }


def new_value_entry(entry_no: int, item: ItemState, ile: Entry, *, posting_date: str,
                    document_no: str, entry_type: str = "DIRECT_COST",
                    valued_quantity: Decimal, invoiced_quantity: Decimal = ZERO,
                    first: bool = False, cost_actual: Decimal = ZERO,
                    cost_expected: Decimal = ZERO, sales_actual: Decimal = ZERO,
                    expected_cost: bool = False, adjustment: bool = False,
                    dimensions: dict[str, str] | None = None) -> ValueEntry:
    """A value entry carries its entry's groups and dimensions, whatever made it."""
    total = cost_actual + cost_expected
    return {
        "entry_no": entry_no, "ile_no": ile["entry_no"], "ile_type": ile["entry_type"],
        "entry_type": entry_type, "item_no": item.no, "posting_date": posting_date,
        "document_no": document_no,
        "description": description(ile["entry_type"], item.no, posting_date),
        "location_code": ile["location_code"], "invt_posting_group": item.invt_posting_group,
        "gen_bus_posting_group": ile["gen_bus_posting_group"],
        "gen_prod_posting_group": item.gen_prod_posting_group,
        "ile_quantity": ile["quantity"] if first else ZERO,
        "invoiced_quantity": invoiced_quantity, "valued_quantity": valued_quantity,
        "cost_per_unit": round5(total / valued_quantity) if valued_quantity else ZERO,
        "cost_actual": cost_actual, "cost_expected": cost_expected, "sales_actual": sales_actual,
        "posted_actual": ZERO, "posted_expected": ZERO, "expected_cost": expected_cost,
        "adjustment": adjustment, "applies_to": ile.get("applies_to"),
        "dimensions": dict(ile["dimensions"] if dimensions is None else dimensions),
    }


def changes(item_no: str, **parts: Any) -> Changes:
    """The payload of an item event (ledger.aggregates.payloads); empty parts are left out."""
    return Changes(item_no=item_no,  # type: ignore[typeddict-item]
                   **{key: value for key, value in parts.items() if value not in (None, [], {})})
