"""Application of an outbound to open inbound entries, with the rounding residue carried.

Each application of q units from an inbound entry costs round2(C x q / R): R its
remaining quantity, C its cost not yet taken. The last units take exactly what is left,
so an entry's outbounds together cost exactly what it cost (domain.md section 2).
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from ledger.amounts import ZERO, round2
from ledger.aggregates.open_state import open_layers
from ledger.costing.state import Entry, ItemState, current_cost, is_inbound
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


def open_inbounds(item: ItemState, location_code: str, posting_date: str) -> Iterable[Entry]:
    """In the order the costing method takes them: LIFO newest first, all others oldest
    first; read from the item's index of open entries, one at a time."""
    return open_layers(item, location_code, posting_date, newest_first=item.costing_method == "LIFO")


def untaken_cost(inbound: Entry) -> Decimal:
    return current_cost(inbound) - inbound["applied_cost"]


def application_cost(inbound: Entry, quantity: Decimal) -> Decimal:
    return carried_share(untaken_cost(inbound), quantity, inbound["remaining_quantity"])


def carried_share(untaken: Decimal, quantity: Decimal, remaining: Decimal) -> Decimal:
    """round2(C x q / R); the last units take exactly what is left."""
    return untaken if quantity == remaining else round2(untaken * quantity / remaining)


def fixed_inbound(inbound: Entry, location_code: str, posting_date: str,
                  quantity: Decimal) -> Entry:
    """The entry an outbound applies to (`appliesToEntry`), live or closed (then read
    from the read models)."""
    applies_to = inbound["entry_no"]
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
                   applies_to: Entry | None) -> list[Application]:
    """Which inbound entries an outbound takes its quantity (and, but for AVERAGE, its
    cost) from; INSUFFICIENT_QUANTITY when they hold too little: never negative stock.
    It reads only the open entries it takes from, unless they hold too little."""
    sources: Iterable[Entry]
    if applies_to is not None:
        sources = [fixed_inbound(applies_to, location_code, posting_date, quantity)]
    elif item.costing_method == "SPECIFIC":
        raise validation("a SPECIFIC item's outbound needs appliesToEntry", "appliesToEntry")
    else:
        sources = open_inbounds(item, location_code, posting_date)
    applications, left, available = [], quantity, ZERO
    for inbound in sources:
        available += inbound["remaining_quantity"]
        taken = min(left, inbound["remaining_quantity"])
        cost = ZERO if item.costing_method == "AVERAGE" else application_cost(inbound, taken)
        applications.append(Application(inbound["entry_no"], taken, cost))
        left -= taken
        if not left:
            return applications
    raise LedgerError(ErrorCode.INSUFFICIENT_QUANTITY,
                      f"item {item.no} has {available} at {location_code!r} on {posting_date}, "
                      f"{quantity} needed", "quantity")
