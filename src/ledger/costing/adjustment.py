"""Adjust Cost - Item Entries (domain.md section 3): recalculate every outbound entry of
an item from the current inbound costs and write the difference as adjustment entries.

Every application runs from an inbound entry to an outbound entry posted after it, so a
single pass in entry-no. order sees each inbound entry's cost complete before its
applications, a transfer's outbound half before its inbound half, and so forwards a cost
change through any chain of transfers.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.amounts import ZERO, round2
from ledger.costing.entries import changes, new_value_entry
from ledger.numbering import NumberSource
from ledger.costing.state import Entry, ItemState, current_cost, is_inbound, is_transfer, value_entries_of
from ledger.errors import ErrorCode, LedgerError


def entries_in_order(item: ItemState) -> list[Entry]:
    return sorted(item.entries.values(), key=lambda e: e["entry_no"])


def base_cost(item: ItemState, ile: Entry) -> Decimal:
    """An inbound entry's cost before revaluations (they are replayed at their place)."""
    return sum((v["cost_actual"] + v["cost_expected"] for v in value_entries_of(item, ile)
                if v["entry_type"] != "REVALUATION"), ZERO)


def by_application(item: ItemState) -> tuple[dict[int, Decimal], dict[tuple[int, int], Decimal]]:
    """New costs of outbound entries (negative) and of transfers' inbound halves, and the
    new cost of each application, for FIFO, LIFO, SPECIFIC and STANDARD."""
    applications: dict[int, list[tuple[int, int, Decimal]]] = {}
    for ile in entries_in_order(item):
        for index, (inbound_no, quantity, _) in enumerate(ile["applications"]):
            applications.setdefault(inbound_no, []).append((ile["entry_no"], index, quantity))
    new_costs: dict[int, Decimal] = {}
    application_costs: dict[tuple[int, int], Decimal] = {}
    for ile in entries_in_order(item):
        if not is_inbound(ile):
            continue
        if is_transfer(ile):
            # The inbound half changes only by what changed in the outbound half: its
            # own revaluations stay (domain.md section 3).
            untaken = -new_costs[ile["transferred_from"]]
            new_costs[ile["entry_no"]] = untaken + sum((r[1] for r in ile["revaluations"]), ZERO)
        else:
            untaken = base_cost(item, ile)
        remaining = ile["quantity"]
        revaluations = sorted(ile["revaluations"], key=lambda r: r[0])
        for position, (outbound_no, index, quantity) in enumerate(applications.get(ile["entry_no"], [])):
            while revaluations and revaluations[0][0] <= position:
                untaken += revaluations.pop(0)[1]
            cost = untaken if quantity == remaining else round2(untaken * quantity / remaining)
            untaken -= cost
            remaining -= quantity
            application_costs[(outbound_no, index)] = cost
            new_costs[outbound_no] = new_costs.get(outbound_no, ZERO) - cost
    return new_costs, application_costs


def by_average(item: ItemState) -> dict[int, Decimal]:
    """New costs day by day: each day's pool at the adjusted costs of the days before."""
    entries = entries_in_order(item)
    inbound_half = {e["transferred_from"]: e["entry_no"] for e in entries if e.get("transferred_from")}
    new_costs: dict[int, Decimal] = {}

    def cost_of(ile: Entry) -> Decimal:
        return new_costs.get(ile["entry_no"], current_cost(item, ile))

    days = sorted({e["posting_date"] for e in entries if e["quantity"] < 0})
    for day in days:
        pool_quantity, pool_cost = ZERO, ZERO
        for ile in entries:
            if is_transfer(ile):
                continue
            if ile["posting_date"] < day or (ile["posting_date"] == day and is_inbound(ile)):
                pool_quantity += ile["quantity"]
                pool_cost += cost_of(ile)
        for ile in entries:
            if ile["posting_date"] != day or is_inbound(ile):
                continue
            quantity = -ile["quantity"]
            if pool_quantity <= 0:
                cost = ZERO
            elif quantity >= pool_quantity:
                cost = pool_cost
            else:
                cost = round2(pool_cost * quantity / pool_quantity)
            new_costs[ile["entry_no"]] = -cost
            if is_transfer(ile):
                new_costs[inbound_half[ile["entry_no"]]] = cost
            else:
                pool_quantity -= quantity
                pool_cost -= cost
    return new_costs


def latest_own_value_entry(item: ItemState, ile: Entry) -> Entry:
    """The outbound's latest non-adjustment value entry: its last invoice if invoiced,
    else its shipment; the adjustment takes its date, document no. and dimensions."""
    own = [v for v in value_entries_of(item, ile) if not v["adjustment"]
           and v["entry_type"] == "DIRECT_COST"]
    return own[-1]


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
    """Of D, the invoiced share is actual cost and the rest expected."""
    source = latest_own_value_entry(item, ile)
    invoiced = ile["invoiced_quantity"]
    actual = difference if invoiced == ile["quantity"] else round2(difference * invoiced / ile["quantity"])
    return new_value_entry(numbers.take("ve"), item, ile,
                           posting_date=adjustment_date(source["posting_date"], allow_from, allow_to),
                           document_no=source["document_no"], valued_quantity=ile["quantity"],
                           cost_actual=actual, cost_expected=difference - actual,
                           expected_cost=not invoiced, adjustment=True,
                           dimensions=source["dimensions"])


def adjust(item: ItemState, numbers: NumberSource, allow_from: str | None = None,
           allow_to: str | None = None) -> dict[str, Any]:
    """The item's adjustment: new value entries, application costs, mark cleared."""
    if item.costing_method == "AVERAGE":
        new_costs, application_costs = by_average(item), {}
    else:
        new_costs, application_costs = by_application(item)
    values = []
    for ile in entries_in_order(item):
        if ile["entry_no"] not in new_costs or (is_inbound(ile) and not is_transfer(ile)):
            continue
        difference = new_costs[ile["entry_no"]] - current_cost(item, ile)
        if difference:
            values.append(adjustment_entry(item, ile, difference, numbers, allow_from, allow_to))
    changed_applications = [
        [outbound_no, index, cost] for (outbound_no, index), cost in application_costs.items()
        if item.entries[str(outbound_no)]["applications"][index][2] != cost]
    return changes(item.no, values=values, application_costs=changed_applications,
                   adjust_needed=False)
