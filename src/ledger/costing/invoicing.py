"""Invoicing a receipt or shipment posted with invoice = false (domain.md section 2).

The invoice's one value entry reverses round2(E x q / N) of the remaining expected cost
E (all of it for the last units) and carries the actual cost: a purchase at its invoiced
unit cost, a sale exactly the reversed expected cost (cost changes reach a sale later,
through Adjust Cost).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.amounts import ZERO, round2
from ledger.aggregates.payloads import Changes
from ledger.costing.entries import changes, new_value_entry
from ledger.costing.journal import variance_entries
from ledger.numbering import NumberSource
from ledger.costing.state import Entry, ItemState, entry
from ledger.errors import validation


def not_invoiced(ile: dict[str, Any]) -> Decimal:
    return abs(ile["quantity"]) - abs(ile["invoiced_quantity"])


def check_invoice(ile: Entry, quantity: Decimal, unit_cost: Decimal | None,
                  unit_price: Decimal | None) -> None:
    """`ile` live or closed (read from the read models)."""
    entry_no = ile["entry_no"]
    if ile["entry_type"] not in ("PURCHASE", "SALE"):
        raise validation(f"entry {entry_no} is a {ile['entry_type']}: only purchases and sales "
                         "are invoiced", "itemLedgerEntryNo")
    if quantity > not_invoiced(ile):
        raise validation(f"entry {entry_no} has {not_invoiced(ile)} left to invoice", "quantity")
    if ile["entry_type"] == "PURCHASE" and unit_price is not None:
        raise validation("unitPrice is for a sale's invoice", "unitPrice")
    if ile["entry_type"] == "SALE" and unit_cost is not None:
        raise validation("unitCost is for a purchase's invoice", "unitCost")


def invoice(item: ItemState, entry_no: int, quantity: Decimal, posting_date: str,
            document_no: str, unit_cost: Decimal | None, unit_price: Decimal | None,
            numbers: NumberSource) -> Changes:
    ile = entry(item, entry_no)
    left = not_invoiced(ile)
    expected = ile["cost_expected"]
    reversed_expected = expected if quantity == left else round2(expected * quantity / left)
    sign = 1 if ile["quantity"] > 0 else -1
    common = dict(posting_date=posting_date, document_no=document_no,
                  valued_quantity=sign * quantity, invoiced_quantity=sign * quantity)
    if sign > 0:
        actual = round2(quantity * (ile["unit_cost"] if unit_cost is None else unit_cost))
        values = [new_value_entry(numbers.take("ve"), item, ile, cost_actual=actual,
                                  cost_expected=-reversed_expected, **common)]
        if item.costing_method == "STANDARD":
            values += variance_entries(item, ile, posting_date, document_no, quantity, actual,
                                       numbers)
        changed = sum((v["cost_actual"] for v in values), ZERO) != reversed_expected
    else:
        price = ile["unit_price"] if unit_price is None else unit_price
        values = [new_value_entry(numbers.take("ve"), item, ile, cost_actual=reversed_expected,
                                  cost_expected=-reversed_expected,
                                  sales_actual=round2(quantity * (price or ZERO)), **common)]
        changed = False
    return changes(item.no, invoiced=[[entry_no, sign * quantity]], values=values,
                   adjust_needed=True if changed else None)
