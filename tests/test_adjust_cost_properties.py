"""Adjust Cost against a from-scratch recomputation (issue 19's invariant).

Random histories are built from the motifs that differential testing found the costing
rules wrong on: an entry revalued twice with the second revaluation dated earlier and
outbounds dated between, AVERAGE inbounds dated on the day of a posted outbound,
transfers whose inbound half is revalued and then sold, and purchases invoiced at
another cost after their outbounds; with single random steps and Adjust Cost runs
mixed in. Each history runs twice, with `automaticCostAdjustment` ALWAYS and NEVER.

After a final Adjust Cost, every item ledger entry's cost must equal the cost that
`Recomputation` below derives from the history alone, by the rules of domain.md
sections 2 and 3. It is deliberately naive and shares nothing with `ledger.costing`:
it keeps every entry, scans for open ones, and walks every application and every day
again. The only thing it takes from the ledger is each revaluation's amount, since
section 2 computes that amount from the costs "as posted and adjusted so far", which
depend on when Adjust Cost last ran.

For the same reason ALWAYS and a manual run end at the same costs only when Adjust Cost
has run before each revaluation (what Business Central asks before a revaluation, too):
a revaluation of an entry whose cost change has not reached it yet takes its amount from
the unadjusted cost. So a third ledger runs NEVER and adjusts before each revaluation,
and its costs must equal ALWAYS's; the plain NEVER ledger still meets the recomputation.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.application import LedgerService
from ledger.errors import LedgerError
from tests.books import PROFILE, fresh_books
from tests.company import line

Step = tuple[Any, ...]

COSTING = {"1000": "FIFO", "1100": "AVERAGE", "1200": "LIFO", "1300": "STANDARD"}
STANDARD_COST = Decimal("15.00")
LOCATIONS = ("BLUE", "RED")
LAST_DAY = 14


def day(number: int) -> str:
    """Day `number` of 2027, counted from 1 January (the short histories stay within the
    first LAST_DAY days, the long ones run for months)."""
    return (date(2027, 1, 1) + timedelta(days=max(number, 1) - 1)).isoformat()


def round2(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- the history's steps
# ("PURCHASE", item, location, day, quantity, unit cost, invoice)
# ("SALE", item, location, day, quantity, invoice)
# ("TRANSFER", item, from location, day, quantity)
# ("INVOICE", k, day, unit cost or None): the k-th latest entry not completely invoiced
# ("REVALUE", k, day, new unit cost): the k-th latest inbound entry
# ("ADJUST",)

items = st.sampled_from(sorted(COSTING))
not_average = st.sampled_from(["1000", "1200", "1300"])
locations = st.sampled_from(LOCATIONS)
days = st.integers(1, LAST_DAY)
quantities = st.sampled_from([Decimal(q) for q in ("1", "2", "3", "5", "0.5", "7")])
unit_costs = st.sampled_from([Decimal(c) for c in ("3.33333", "10", "12.50", "9.99", "0.01")])
recent = st.integers(0, 3)


@st.composite
def revalued_twice(draw: st.DrawFn) -> list[Step]:
    item, location, first = draw(not_average), draw(locations), draw(st.integers(1, 8))
    earlier, later = sorted(draw(st.lists(st.integers(first, LAST_DAY), min_size=2, max_size=2,
                                          unique=True)))
    between = draw(st.integers(first, later))
    return [("PURCHASE", item, location, first, Decimal("10"), draw(unit_costs), True),
            ("REVALUE", 0, later, draw(unit_costs)),
            ("REVALUE", 0, earlier, draw(unit_costs)),
            ("SALE", item, location, between, draw(quantities), draw(st.booleans())),
            ("SALE", item, location, later, draw(quantities), True)]


@st.composite
def average_same_day(draw: st.DrawFn) -> list[Step]:
    location, first = draw(locations), draw(st.integers(1, LAST_DAY - 1))
    sale_day = draw(st.integers(first, LAST_DAY))
    return [("PURCHASE", "1100", location, first, draw(quantities) * 2, draw(unit_costs), True),
            ("SALE", "1100", location, sale_day, draw(quantities), draw(st.booleans())),
            ("PURCHASE", "1100", draw(locations), draw(st.integers(first, sale_day)),
             draw(quantities), draw(unit_costs), draw(st.booleans()))]


@st.composite
def transfer_revalued_and_sold(draw: st.DrawFn) -> list[Step]:
    item, source, first = draw(not_average), draw(locations), draw(st.integers(1, 10))
    target = LOCATIONS[1 - LOCATIONS.index(source)]
    moved = draw(st.sampled_from([Decimal("4"), Decimal("10")]))
    return [("PURCHASE", item, source, first, Decimal("10"), draw(unit_costs), draw(st.booleans())),
            ("TRANSFER", item, source, first + draw(st.integers(0, 1)), moved),
            ("REVALUE", 0, first + 2, draw(unit_costs)),
            ("SALE", item, target, first + draw(st.integers(2, 4)), draw(quantities), True),
            ("INVOICE", 0, first + 3, draw(st.none() | unit_costs))]


@st.composite
def invoiced_at_another_cost(draw: st.DrawFn) -> list[Step]:
    item, location, first = draw(items), draw(locations), draw(st.integers(1, 10))
    return [("PURCHASE", item, location, first, draw(quantities) * 2, draw(unit_costs), False),
            ("SALE", item, location, first + draw(st.integers(0, 2)), draw(quantities),
             draw(st.booleans())),
            ("TRANSFER", item, location, first + 1, draw(quantities)),
            ("INVOICE", 0, first + 3, draw(unit_costs))]


single_step = st.one_of(
    st.tuples(st.just("PURCHASE"), items, locations, days, quantities, unit_costs, st.booleans()),
    st.tuples(st.just("SALE"), items, locations, days, quantities, st.booleans()),
    st.tuples(st.just("TRANSFER"), items, locations, days, quantities),
    st.tuples(st.just("INVOICE"), recent, days, st.none() | unit_costs),
    st.tuples(st.just("REVALUE"), recent, days, unit_costs),
    st.just(("ADJUST",)),
).map(lambda step: [step])

histories = st.lists(st.one_of(revalued_twice(), average_same_day(), transfer_revalued_and_sold(),
                               invoiced_at_another_cost(), single_step),
                     min_size=1, max_size=8).map(lambda motifs: [s for m in motifs for s in m])


# ---------------------------------------------------------------- the naive recomputation

@dataclass
class Entry:
    no: int
    item: str
    kind: str
    day: str
    location: str
    quantity: Decimal                      # signed: inbound > 0
    unit_cost: Decimal = Decimal(0)
    remaining: Decimal = Decimal(0)
    invoiced: Decimal = Decimal(0)
    expected: Decimal = Decimal(0)         # a purchase's expected cost not yet reversed
    actual: Decimal = Decimal(0)           # a purchase's or positive entry's actual cost
    transferred_from: int | None = None
    revaluations: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (after n applications, day, amount)
    taken_by: list[tuple[int, Decimal]] = field(default_factory=list)           # (outbound, quantity)

    @property
    def inbound(self) -> bool:
        return self.quantity > 0


class Recomputation:
    """The history as a list of entries, and every cost derived again from scratch."""

    def __init__(self) -> None:
        self.entries: dict[int, Entry] = {}
        self.last_taken: list[tuple[int, Decimal]] = []

    def of_item(self, item: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.item == item]

    # -- what the history says happened (quantities and the application order)

    def open_for(self, item: str, location: str, on: str) -> list[Entry]:
        found = [e for e in self.of_item(item)
                 if e.inbound and e.location == location and e.remaining > 0 and e.day <= on
                 and all(revalued_on <= on for _, revalued_on, _ in e.revaluations)]
        found.sort(key=lambda e: (e.day, e.no), reverse=COSTING[item] == "LIFO")
        return found

    def can_take(self, item: str, location: str, on: str, quantity: Decimal) -> bool:
        return sum((e.remaining for e in self.open_for(item, location, on)), Decimal(0)) >= quantity

    def take(self, outbound: Entry) -> None:
        """Records what it took, in order, in `last_taken`."""
        left, self.last_taken = -outbound.quantity, []
        for inbound in self.open_for(outbound.item, outbound.location, outbound.day):
            taken = min(left, inbound.remaining)
            if taken:
                inbound.remaining -= taken
                inbound.taken_by.append((outbound.no, taken))
                self.last_taken.append((inbound.no, taken))
                left -= taken

    def purchase(self, no: int, step: Step) -> None:
        _, item, location, on, quantity, unit_cost, invoice = step
        entry = Entry(no, item, "PURCHASE", day(on), location, quantity, unit_cost, quantity)
        self.entries[no] = entry
        value = round2(quantity * (STANDARD_COST if COSTING[item] == "STANDARD" else unit_cost))
        if invoice:
            entry.invoiced, entry.actual = quantity, value
        else:
            entry.expected = value

    def sale(self, no: int, step: Step) -> None:
        _, item, location, on, quantity, invoice = step
        self.entries[no] = Entry(no, item, "SALE", day(on), location, -quantity,
                                 invoiced=-quantity if invoice else Decimal(0))
        self.take(self.entries[no])

    def transfer(self, out_no: int, in_no: int, step: Step) -> None:
        _, item, source, on, quantity = step
        target = LOCATIONS[1 - LOCATIONS.index(source)]
        self.entries[out_no] = Entry(out_no, item, "TRANSFER", day(on), source, -quantity,
                                     invoiced=-quantity)
        self.take(self.entries[out_no])
        self.entries[in_no] = Entry(in_no, item, "TRANSFER", day(on), target, quantity,
                                    remaining=quantity, invoiced=quantity, transferred_from=out_no)

    def not_invoiced(self) -> list[Entry]:
        return [e for e in sorted(self.entries.values(), key=lambda e: -e.no)
                if e.kind in ("PURCHASE", "SALE") and e.invoiced != e.quantity]

    def invoice(self, entry: Entry, quantity: Decimal, unit_cost: Decimal | None) -> None:
        sign = 1 if entry.inbound else -1
        if entry.inbound:
            left = entry.quantity - entry.invoiced
            reversed_expected = entry.expected if quantity == left else round2(
                entry.expected * quantity / left)
            entry.expected -= reversed_expected
            price = STANDARD_COST if COSTING[entry.item] == "STANDARD" else (
                entry.unit_cost if unit_cost is None else unit_cost)
            entry.actual += round2(quantity * price)
        entry.invoiced += sign * quantity

    def inbounds(self) -> list[Entry]:
        return [e for e in sorted(self.entries.values(), key=lambda e: -e.no) if e.inbound]

    def can_revalue(self, entry: Entry, on: str) -> bool:
        return (COSTING[entry.item] != "AVERAGE" and entry.remaining > 0
                and entry.invoiced == entry.quantity
                and all(self.entries[o].day <= on for o, _ in entry.taken_by))

    def revalue(self, entry: Entry, on: str, amount: Decimal) -> None:
        entry.revaluations.append((len(entry.taken_by), on, amount))

    # -- what everything costs once every cost change has reached its outbounds

    def costs(self) -> dict[int, Decimal]:
        found: dict[int, Decimal] = {}
        for item, method in COSTING.items():
            entries = sorted(self.of_item(item), key=lambda e: e.no)
            found.update(self.average(entries) if method == "AVERAGE" else self.applied(entries))
        return found

    @staticmethod
    def applied(entries: list[Entry]) -> dict[int, Decimal]:
        """Each inbound entry, oldest first, hands its cost to its outbounds in the order
        they took from it: round2(C x q / R), the last units what is left."""
        cost: dict[int, Decimal] = {e.no: Decimal(0) for e in entries}
        for inbound in (e for e in entries if e.inbound):
            own = -cost[inbound.transferred_from] if inbound.transferred_from else (
                inbound.expected + inbound.actual)
            untaken, remaining = own, inbound.quantity
            for position, (outbound, quantity) in enumerate(inbound.taken_by):
                untaken += sum((a for after, _, a in inbound.revaluations if after == position),
                               Decimal(0))
                share = untaken if quantity == remaining else round2(untaken * quantity / remaining)
                cost[outbound] -= share
                untaken -= share
                remaining -= quantity
            cost[inbound.no] = own + sum((a for _, _, a in inbound.revaluations), Decimal(0))
        return cost

    @staticmethod
    def average(entries: list[Entry]) -> dict[int, Decimal]:
        """Day by day: the pool is everything dated before the day plus the day's inbounds,
        transfers left out; the day's outbounds go out one after another."""
        cost = {e.no: (e.expected + e.actual) for e in entries}
        halves = {e.transferred_from: e.no for e in entries if e.transferred_from}
        for today in sorted({e.day for e in entries if not e.inbound}):
            pool = [e for e in entries if e.kind != "TRANSFER"
                    and (e.day < today or (e.day == today and e.inbound))]
            quantity = sum((e.quantity for e in pool), Decimal(0))
            value = sum((cost[e.no] for e in pool), Decimal(0))
            for outbound in (e for e in entries if e.day == today and not e.inbound):
                wanted = -outbound.quantity
                if quantity <= 0:
                    share = Decimal(0)
                elif wanted >= quantity:
                    share = value
                else:
                    share = round2(value * wanted / quantity)
                cost[outbound.no] = -share
                if outbound.no in halves:
                    cost[halves[outbound.no]] = share
                else:
                    quantity -= wanted
                    value -= share
        return cost


# ---------------------------------------------------------------- running a history

class Run:
    """One ledger and its recomputation, fed the same history."""

    def __init__(self, service: LedgerService, adjustment: str, adjust_before_revaluing: bool) -> None:
        self.service = service
        self.service.setup.update_inventory_setup({"automatic_cost_adjustment": adjustment})
        self.adjust_before_revaluing = adjust_before_revaluing
        self.model = Recomputation()
        self.outcomes: list[str] = []

    def post(self, *args: Any, **more: Any) -> dict[str, Any] | None:
        try:
            result = self.service.postings.post_item_journal_line(line(*args, **more), None)
        except LedgerError as refused:
            self.outcomes.append(refused.code.value)
            return None
        self.outcomes.append("OK")
        return result

    def step(self, step: Step) -> None:
        kind, model = step[0], self.model
        if kind == "PURCHASE":
            _, item, location, on, quantity, unit_cost, invoice = step
            result = self.post("PURCHASE", day(on), str(quantity), item_no=item,
                               location_code=location, unit_cost=unit_cost, invoice=invoice)
            if result:
                model.purchase(result["item_ledger_entries"][0]["entry_no"], step)
        elif kind == "SALE":
            _, item, location, on, quantity, invoice = step
            possible = model.can_take(item, location, day(on), quantity)
            result = self.post("SALE", day(on), str(quantity), item_no=item, location_code=location,
                               invoice=invoice, unit_price="20")
            assert bool(result) == possible, f"{step}: the ledger and the rules disagree on stock"
            if result:
                model.sale(result["item_ledger_entries"][0]["entry_no"], step)
        elif kind == "TRANSFER":
            _, item, source, on, quantity = step
            target = LOCATIONS[1 - LOCATIONS.index(source)]
            possible = model.can_take(item, source, day(on), quantity)
            result = self.post("TRANSFER", day(on), str(quantity), item_no=item,
                               location_code=source, new_location_code=target)
            assert bool(result) == possible, f"{step}: the ledger and the rules disagree on stock"
            if result:
                out_no, in_no = (e["entry_no"] for e in result["item_ledger_entries"])
                model.transfer(out_no, in_no, step)
        elif kind == "INVOICE":
            self.invoice(*step[1:])
        elif kind == "REVALUE":
            self.revalue(*step[1:])
        else:
            self.service.postings.adjust_cost_item_entries(None)
            self.outcomes.append("OK")

    def invoice(self, k: int, on: int, unit_cost: Decimal | None) -> None:
        candidates = self.model.not_invoiced()
        if not candidates:
            return
        entry = candidates[k % len(candidates)]
        quantity = abs(entry.quantity - entry.invoiced)
        self.service.postings.invoice_item_ledger_entry(
            entry.no, day(on), "INV", quantity, unit_cost if entry.inbound else None, None, None)
        self.model.invoice(entry, quantity, unit_cost)
        self.outcomes.append("OK")

    def revalue(self, k: int, on: int, new_unit_cost: Decimal) -> None:
        candidates = self.model.inbounds()
        if not candidates:
            return
        entry = candidates[k % len(candidates)]
        possible = self.model.can_revalue(entry, day(on))
        if self.adjust_before_revaluing:
            self.service.postings.adjust_cost_item_entries([entry.item])
        try:
            result = self.service.postings.revalue_item_ledger_entry(
                entry.no, day(on), "REVAL", new_unit_cost, None)
        except LedgerError as refused:
            assert not possible, f"revaluing {entry.no} on {day(on)} was refused: {refused}"
            self.outcomes.append(refused.code.value)
            return
        assert possible, f"revaluing {entry.no} on {day(on)} was accepted"
        [revaluation] = [v for v in result["value_entries"] if v["entry_type"] == "REVALUATION"]
        self.model.revalue(entry, day(on), revaluation["cost_actual"])
        self.outcomes.append("OK")

    def costs(self) -> dict[int, Decimal]:
        return {row["entry_no"]: row["cost_actual"] + row["cost_expected"]
                for row in every_entry(self.service, None)}


def every_entry(service: LedgerService, item_no: str | None) -> list[dict[str, Any]]:
    """Every item ledger entry (of the item), page after page."""
    rows: list[dict[str, Any]] = []
    more = True
    while more:
        page, _, more = service.reads.item_ledger_entries(item_no, 1000,
                                                          rows[-1]["entry_no"] if rows else None)
        rows += page
    return rows


def differences(found: dict[int, Decimal], wanted: dict[int, Decimal]) -> dict[int, tuple]:
    return {no: (found.get(no), wanted.get(no)) for no in sorted(set(found) | set(wanted))
            if found.get(no) != wanted.get(no)}


@settings(settings.get_profile(PROFILE))
@given(history=histories)
def test_after_adjust_cost_every_entry_costs_what_the_rules_recompute(history: list[Step]) -> None:
    directory = tempfile.mkdtemp(prefix="ledger-adjust-")
    modes = {"ALWAYS": ("ALWAYS", False), "NEVER": ("NEVER", False),
             "NEVER, adjusted before revaluing": ("NEVER", True)}
    runs = {mode: Run(fresh_books(tempfile.mkdtemp(dir=directory)), *how)
            for mode, how in modes.items()}
    try:
        for step in history:
            for run in runs.values():
                run.step(step)
        always, never = runs["ALWAYS"], runs["NEVER, adjusted before revaluing"]
        assert always.outcomes == runs["NEVER"].outcomes == never.outcomes, \
            "ALWAYS and NEVER refused different steps"
        assert always.service.postings.adjust_cost_item_entries(None)["value_entries"] == [], \
            "ALWAYS left an adjustment for a manual run"
        for run in runs.values():
            run.service.postings.adjust_cost_item_entries(None)
        for mode, run in runs.items():
            assert differences(run.costs(), run.model.costs()) == {}, \
                f"{mode}: the ledger's costs (left) against the recomputation (right)"
        assert differences(always.costs(), never.costs()) == {}, "ALWAYS (left) and NEVER (right)"
    finally:
        for run in runs.values():
            run.service.close()
        shutil.rmtree(directory, ignore_errors=True)
