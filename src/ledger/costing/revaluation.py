"""Revaluing the remaining quantity of an open inbound entry (domain.md section 2).

The revaluation value entry brings the entry's untaken cost to round2(R x newUnitCost).
Outbounds applied before it keep their cost and are never adjusted for it, so the entry
remembers how many applications it had when it was revalued.
"""
from __future__ import annotations

from decimal import Decimal

from ledger.amounts import round2
from ledger.aggregates.payloads import Changes
from ledger.costing.entries import changes, new_value_entry
from ledger.numbering import NumberSource
from ledger.costing.layers import untaken_cost
from ledger.costing.state import Entry, ItemState, entry
from ledger.errors import validation


def check_revaluation(item: ItemState, ile: Entry, posting_date: str) -> None:
    """`ile` live or closed (read from the read models)."""
    entry_no = ile["entry_no"]
    if item.costing_method == "AVERAGE":
        raise validation("AVERAGE items are not revalued per entry", "itemLedgerEntryNo")
    if ile["quantity"] <= 0 or ile["remaining_quantity"] <= 0:
        raise validation(f"entry {entry_no} is not an open inbound entry", "itemLedgerEntryNo")
    if ile["invoiced_quantity"] != ile["quantity"]:
        raise validation(f"entry {entry_no} is not completely invoiced", "itemLedgerEntryNo")
    latest = ile["latest_applied_on"]
    if latest is not None and posting_date < latest:
        raise validation(f"entry {entry_no} has an outbound applied on {latest}, after "
                         f"{posting_date}", "postingDate")


def revalue(item: ItemState, entry_no: int, posting_date: str, document_no: str,
            new_unit_cost: Decimal, numbers: NumberSource) -> Changes:
    ile = entry(item, entry_no)
    remaining = ile["remaining_quantity"]
    amount = round2(remaining * new_unit_cost) - untaken_cost(ile)
    value = new_value_entry(numbers.take("ve"), item, ile, entry_type="REVALUATION",
                            posting_date=posting_date, document_no=document_no,
                            valued_quantity=remaining, cost_actual=amount)
    return changes(item.no, values=[value],
                   revalued=[[entry_no, posting_date, ile["app_count"], amount]],
                   adjust_needed=True)
