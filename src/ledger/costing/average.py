"""AVERAGE cost, cost period DAY, per item over all locations (domain.md section 2).

The pool of a day is every entry dated before it at its current cost plus every inbound
entry dated that day; that day's outbounds are taken out one after another in entry-no.
order, so they do not lower the day's average and the residue is carried. Both halves
of a transfer stay out of the pool.
"""
from __future__ import annotations

from decimal import Decimal

from ledger.amounts import ZERO, round2
from ledger.costing.state import ItemState, current_cost, is_inbound, is_transfer


def day_pool(item: ItemState, posting_date: str, before_entry_no: int) -> tuple[Decimal, Decimal]:
    """(quantity, cost) of the pool just before the outbound `before_entry_no` of that day."""
    quantity, cost = ZERO, ZERO
    for ile in item.entries.values():
        if is_transfer(ile):
            continue
        dated_before = ile["posting_date"] < posting_date
        same_day = ile["posting_date"] == posting_date
        if dated_before or (same_day and (is_inbound(ile) or ile["entry_no"] < before_entry_no)):
            quantity += ile["quantity"]
            cost += current_cost(item, ile)
    return quantity, cost


def average_cost(item: ItemState, posting_date: str, quantity: Decimal, before_entry_no: int) -> Decimal:
    """Cost of `quantity` units going out: an outbound that empties the pool takes all of it."""
    pool_quantity, pool_cost = day_pool(item, posting_date, before_entry_no)
    if pool_quantity <= 0:
        return ZERO
    if quantity >= pool_quantity:
        return pool_cost
    return round2(pool_cost * quantity / pool_quantity)
