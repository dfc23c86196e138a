"""Adjust Cost - Item Entries (domain.md section 3): recalculate the outbound entries of
an item that a cost change reaches, from the current inbound costs, and write the
difference as adjustment entries.

It starts from what the item marked as changed (ledger.aggregates.open_state): the
inbound entries whose cost changed under applications, and AVERAGE's earliest changed
day. Every application runs from an inbound entry to an outbound entry posted after it,
so taking the changed inbounds in entry-no. order sees each one's cost complete before
its applications, a transfer's outbound half before its inbound half, and so forwards a
cost change through any chain of transfers.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterator
from decimal import Decimal

from ledger.amounts import ZERO, round2
from ledger.costing.entries import changes, new_value_entry
from ledger.numbering import NumberSource
from ledger.aggregates.open_state import day_totals, inbound_half
from ledger.aggregates.payloads import Changes
from ledger.costing.average import pool_before, share
from ledger.costing.layers import carried_share
from ledger.costing.state import (Entry, ItemState, SettledSince, current_cost, entry, is_transfer,
                                  none_settled)
from ledger.errors import ErrorCode, LedgerError


def by_application(item: ItemState) -> tuple[dict[int, Decimal], dict[tuple[int, int], Decimal]]:
    """New costs of the outbound entries (negative) and transfers' inbound halves that a
    changed inbound reaches, and the new cost of each application, for FIFO, LIFO,
    SPECIFIC and STANDARD. Only the `dirty` inbounds are replayed, with the
    applications they keep; a transfer whose outbound half changes queues its inbound half."""
    queue = list(item.dirty)
    heapq.heapify(queue)
    application_costs: dict[tuple[int, int], Decimal] = {}
    new_costs: dict[int, Decimal] = {}
    reached: set[int] = set()
    done: set[int] = set()
    while queue:
        inbound_no = heapq.heappop(queue)
        if inbound_no in done:
            continue
        done.add(inbound_no)
        inbound = entry(item, inbound_no)
        untaken = inbound["base_cost"]
        if is_transfer(inbound):
            # The inbound half changes only by what changed in the outbound half: its
            # own revaluations stay (domain.md section 3).
            change = half_change(item, inbound, application_costs)
            untaken += change
            new_costs[inbound_no] = current_cost(inbound) + change
        for outbound_no, index, cost in replay(inbound, untaken):
            application_costs[(outbound_no, index)] = cost
            reached.add(outbound_no)
            half = inbound_half(item, outbound_no)
            if half:
                heapq.heappush(queue, half["entry_no"])
    for outbound_no in reached:
        new_costs[outbound_no] = -applied_total(entry(item, outbound_no), application_costs)
    return new_costs, application_costs


def replay(inbound: Entry, untaken: Decimal) -> Iterator[tuple[int, int, Decimal]]:
    """Each kept application's cost from the inbound's cost before revaluations, each
    revaluation added at its place: round2(C x q / R), the last units what is left."""
    remaining = inbound["quantity"]
    revaluations = sorted(inbound["revaluations"], key=lambda r: r[0])
    for position, (outbound_no, index, quantity) in enumerate(inbound["apps"]):
        while revaluations and revaluations[0][0] <= position:
            untaken += revaluations.pop(0)[1]
        cost = carried_share(untaken, quantity, remaining)
        untaken -= cost
        remaining -= quantity
        yield outbound_no, index, cost


def applied_total(outbound: Entry, application_costs: dict[tuple[int, int], Decimal]) -> Decimal:
    return sum((application_costs.get((outbound["entry_no"], index), cost)
                for index, (_, _, cost) in enumerate(outbound["applications"])), ZERO)


def half_change(item: ItemState, inbound: Entry,
                application_costs: dict[tuple[int, int], Decimal]) -> Decimal:
    """How much an inbound half's cost moves: as much as its outbound half's cost
    (negative) moves the other way, from the new costs of its applications."""
    outbound_no = inbound["transferred_from"]
    outbound = item.entries.get(str(outbound_no))
    if outbound is None:
        return ZERO
    return current_cost(outbound) + applied_total(outbound, application_costs)


def by_average(item: ItemState, settled_since: SettledSince
               ) -> tuple[dict[int, Decimal], dict[int, Entry]]:
    """New costs day by day from the earliest day whose pool changed, each day's pool at
    the adjusted costs of the days before: the days before it stand as adjusted. Also
    every entry it costs, live or settled (read through `settled_since`)."""
    if item.adjust_from is None:
        return {}, {}
    start = item.adjust_from
    entries = {int(no): e for no, e in item.entries.items() if e["posting_date"] >= start
               and (e["quantity"] < 0 or is_transfer(e))}
    for settled in settled_since(item, start):
        entries.setdefault(settled["entry_no"], settled)
    outbounds: dict[str, list[Entry]] = {}
    for entry_no in sorted(entries):
        if entries[entry_no]["quantity"] < 0:
            outbounds.setdefault(entries[entry_no]["posting_date"], []).append(entries[entry_no])
    pool_quantity, pool_cost = pool_before(item, start)
    new_costs: dict[int, Decimal] = {}
    pooled_days = item.day_order[bisect_left(item.day_order, start):]
    for day in sorted(set(pooled_days) | set(outbounds)):  # a day of transfers only is not pooled
        in_quantity, in_cost, _, _ = day_totals(item, day)
        pool_quantity += in_quantity
        pool_cost += in_cost
        for ile in outbounds.get(day, ()):
            quantity = -ile["quantity"]
            cost = share(pool_quantity, pool_cost, quantity)
            new_costs[ile["entry_no"]] = -cost
            if is_transfer(ile):  # its inbound half takes the next number
                new_costs[ile["entry_no"] + 1] = cost
            else:
                pool_quantity -= quantity
                pool_cost -= cost
    return new_costs, entries


def adjustment_date(posting_date: str, allow_from: str | None, allow_to: str | None) -> str:
    if allow_from and posting_date < allow_from:
        return allow_from
    if allow_to and posting_date > allow_to:
        raise LedgerError(ErrorCode.POSTING_DATE_NOT_ALLOWED,
                          f"an adjustment dated {posting_date} is after the allowed period "
                          f"(to {allow_to})", "postingDate")
    return posting_date


def adjustment_entry(item: ItemState, ile: Entry, difference: Decimal, numbers: NumberSource,
                     allow_from: str | None, allow_to: str | None) -> Entry:
    """Of D, the invoiced share is actual cost and the rest expected. Date, document no.
    and dimensions come from the outbound's latest non-adjustment value entry, its last
    invoice if invoiced, else its shipment (the entry's `source`)."""
    posting_date, document_no, dimensions = ile["source"]
    invoiced = ile["invoiced_quantity"]
    actual = difference if invoiced == ile["quantity"] else round2(difference * invoiced / ile["quantity"])
    return new_value_entry(numbers.take("ve"), item, ile,
                           posting_date=adjustment_date(posting_date, allow_from, allow_to),
                           document_no=document_no, valued_quantity=ile["quantity"],
                           cost_actual=actual, cost_expected=difference - actual,
                           expected_cost=not invoiced, adjustment=True, dimensions=dimensions)


def adjust(item: ItemState, numbers: NumberSource, allow_from: str | None = None,
           allow_to: str | None = None, settled_since: SettledSince = none_settled
           ) -> Changes:
    """The item's adjustment: new value entries, application costs, mark cleared; and
    the settled entries it adjusts, with their days (see ledger.aggregates.open_state)."""
    application_costs: dict[tuple[int, int], Decimal] = {}
    if item.costing_method == "AVERAGE":
        new_costs, entries = by_average(item, settled_since)
    else:
        new_costs, application_costs = by_application(item)
        entries = {no: entry(item, no) for no in new_costs}
    values, closed = [], []
    for entry_no in sorted(new_costs):
        ile = entries[entry_no]
        difference = new_costs[entry_no] - current_cost(ile)
        if difference:
            values.append(adjustment_entry(item, ile, difference, numbers, allow_from, allow_to))
            if str(entry_no) not in item.entries:
                closed.append([entry_no, ile["posting_date"], not is_transfer(ile)])
    changed_applications = [
        [outbound_no, index, cost] for (outbound_no, index), cost in sorted(application_costs.items())
        if entry(item, outbound_no)["applications"][index][2] != cost]
    return changes(item.no, values=values, application_costs=changed_applications,
                   closed_entries=closed, adjust_needed=False)
