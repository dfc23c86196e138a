"""AVERAGE cost, cost period DAY, per item over all locations (domain.md section 2).

The pool of a day is every entry dated before it at its current cost plus every inbound
entry dated that day; that day's outbounds are taken out one after another in entry-no.
order, so they do not lower the day's average and the residue is carried. Both halves
of a transfer stay out of the pool.

The item keeps the pool as running totals per day (ledger.aggregates.open_state), so a
new outbound reads the days after its own, none for one on the latest day.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal

from ledger.aggregates.open_state import day_totals
from ledger.amounts import ZERO, round2
from ledger.costing.state import ItemState


def pool_through(item: ItemState, posting_date: str) -> tuple[Decimal, Decimal]:
    """(quantity, cost) of every entry dated on or before `posting_date`: the pool of a
    new outbound of that day, which comes after all of that day's entries."""
    return pool_without(item, bisect_right(item.day_order, posting_date))


def pool_before(item: ItemState, posting_date: str) -> tuple[Decimal, Decimal]:
    return pool_without(item, bisect_left(item.day_order, posting_date))


def pool_without(item: ItemState, first_day: int) -> tuple[Decimal, Decimal]:
    """The item's whole pool less the days from `first_day` (an index of `day_order`)
    on: a walk back over the days after the one asked for, none for the latest."""
    quantity, cost = item.pool
    for day in item.day_order[first_day:]:
        in_quantity, in_cost, out_quantity, out_cost = day_totals(item, day)
        quantity -= in_quantity + out_quantity
        cost -= in_cost + out_cost
    return quantity, cost


def share(pool_quantity: Decimal, pool_cost: Decimal, quantity: Decimal) -> Decimal:
    """Cost of `quantity` units going out: an outbound that empties the pool takes all of it."""
    if pool_quantity <= 0:
        return ZERO
    if quantity >= pool_quantity:
        return pool_cost
    return round2(pool_cost * quantity / pool_quantity)


def average_cost(item: ItemState, posting_date: str, quantity: Decimal) -> Decimal:
    return share(*pool_through(item, posting_date), quantity)
