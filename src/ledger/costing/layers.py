"""Application of an outbound to open inbound entries, with the rounding residue carried.

Each application of q units from an inbound entry costs round2(C x q / R): R its
remaining quantity, C its cost not yet taken. The last units take exactly what is left,
so an entry's outbounds together cost exactly what it cost (domain.md section 2).
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from ledger.amounts import ZERO, round2
from ledger.costing.state import Entry, ItemState, current_cost, entry, is_inbound
from ledger.errors import ErrorCode, LedgerError, validation


class Application(NamedTuple):
    inbound_no: int
    quantity: Decimal
    cost: Decimal


def is_open_on(ile: Entry, posting_date: str) -> bool:
    """Open for an outbound of that date: dated on or before it, and not revalued after it."""
    revalued_on = ile.get("revalued_on")
    return (is_inbound(ile) and ile["remaining_quantity"] > 0 and ile["posting_date"] <= posting_date
            and (revalued_on is None or revalued_on <= posting_date))


def open_inbounds(item: ItemState, location_code: str, posting_date: str) -> list[Entry]:
    """In the order the costing method takes them: LIFO newest first, all others oldest first."""
    candidates = [e for e in item.entries.values()
                  if e["location_code"] == location_code and is_open_on(e, posting_date)]
    newest_first = item.costing_method == "LIFO"
    return sorted(candidates, key=lambda e: (e["posting_date"], e["entry_no"]), reverse=newest_first)


def untaken_cost(item: ItemState, inbound: Entry) -> Decimal:
    return current_cost(item, inbound) - inbound["applied_cost"]


def application_cost(item: ItemState, inbound: Entry, quantity: Decimal) -> Decimal:
    remaining = inbound["remaining_quantity"]
    if quantity == remaining:
        return untaken_cost(item, inbound)
    return round2(untaken_cost(item, inbound) * quantity / remaining)


def fixed_inbound(item: ItemState, applies_to: int, location_code: str, posting_date: str,
                  quantity: Decimal) -> Entry:
    inbound = entry(item, applies_to)
    if not is_inbound(inbound):
        raise validation(f"entry {applies_to} is not an inbound entry", "appliesToEntry")
    if inbound["location_code"] != location_code:
        raise validation(f"entry {applies_to} is at location {inbound['location_code']!r}",
                         "appliesToEntry")
    if not is_open_on(inbound, posting_date):
        raise validation(f"entry {applies_to} is not open on {posting_date}", "appliesToEntry")
    if inbound["remaining_quantity"] < quantity:
        raise validation(f"entry {applies_to} has only {inbound['remaining_quantity']} left",
                         "appliesToEntry")
    return inbound


def apply_outbound(item: ItemState, location_code: str, posting_date: str, quantity: Decimal,
                   applies_to: int | None) -> list[Application]:
    """Which inbound entries an outbound takes its quantity (and, but for AVERAGE, its
    cost) from; INSUFFICIENT_QUANTITY when they hold too little: never negative stock."""
    if applies_to is not None:
        sources = [fixed_inbound(item, applies_to, location_code, posting_date, quantity)]
    elif item.costing_method == "SPECIFIC":
        raise validation("a SPECIFIC item's outbound needs appliesToEntry", "appliesToEntry")
    else:
        sources = open_inbounds(item, location_code, posting_date)
    available = sum((e["remaining_quantity"] for e in sources), ZERO)
    if available < quantity:
        raise LedgerError(ErrorCode.INSUFFICIENT_QUANTITY,
                          f"item {item.no} has {available} at {location_code!r} on {posting_date}, "
                          f"{quantity} needed", "quantity")
    applications, left = [], quantity
    for inbound in sources:
        if not left:
            break
        taken = min(left, inbound["remaining_quantity"])
        cost = ZERO if item.costing_method == "AVERAGE" else application_cost(item, inbound, taken)
        applications.append(Application(inbound["entry_no"], taken, cost))
        left -= taken
    return applications
