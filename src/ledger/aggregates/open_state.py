"""What an Item keeps between postings: its open state, never its history (issue 20).

An item's events are its whole history; its state keeps only what a coming posting or
Adjust Cost can still read or change, so a posting, a load and a snapshot cost the same
on an item with a hundred entries and on one with a million:

- `entries`, the live item ledger entries, each carrying the running sums of its value
  entries (cost, base cost before revaluations, sales, the source of its adjustments)
  instead of the value entries themselves;
- `open`, per location, the inbound entries with quantity left as sorted
  `[posting date, entry no.]` pairs: FIFO reads it from the front, LIFO from the back;
- AVERAGE's pool as running totals per day (`days`, `day_order`, `pool`), each day
  `inbound qty, inbound cost, outbound qty, outbound cost` without transfers, which
  stay out of the pool, kept as one short text (see `day_totals`);
- what Adjust Cost must revisit: `dirty` inbound entries whose cost changed under
  applications not adjusted yet, and AVERAGE's `adjust_from`, the earliest day whose pool
  changed;
- `closing`, the entries settled before the last journal line, which the next journal
  line drops: never in the step that made or settled them, whose result still reads
  them, so a dropped entry is already stored with its read model rows.

Which entries stay. An inbound entry is *retroactive* while its cost can still change
for outbounds already applied to it: while it is not completely invoiced, or, as a
transfer's inbound half, while its outbound half can still change. Only a retroactive
inbound keeps its applications (`apps`, each pinning its outbound); a revaluation of
any other inbound reaches only the applications made after it, which are costed from
the revalued cost when they are made. So an entry is settled, and leaves memory, when it
is completely invoiced and
- as an inbound: has nothing left, nothing pinned and nothing to adjust;
- as an outbound: is pinned by no inbound (every cost it took is final).
An AVERAGE outbound settles too, although a back-dated entry can still change its cost:
Adjust Cost then reads the settled outbounds of the days it revisits from the read
models, and its event names those entries' days (`closed_entries`), so the day totals
follow without the entries.

Every function here runs inside an event method: deterministic, no validation.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from ledger.amounts import ZERO
from ledger.aggregates.payloads import Changes, ItemLedgerEntry, ValueEntry
from ledger.costing.state import Entry, entry as entry_of



def start(item: Any) -> None:
    """The state of an item without entries."""
    item.entries = {}
    item.open = {}
    item.days = {}
    item.day_order = []
    item.pool = [ZERO, ZERO]
    item.latest_outbound = None
    item.dirty = []
    item.adjust_from = None
    item.closing = []
    item.adjust_needed = False


def record(item: Any, changes: Changes, journal_line: bool = False) -> None:
    """One event's changes; a journal line also drops the entries settled before it."""
    touched: set[int] = set()
    settled_before = list(item.closing) if journal_line else []
    for entry in changes.get("entries", ()):
        add_entry(item, entry)
    for outbound_no, inbound_no, quantity, cost in changes.get("applied", ()):
        apply(item, outbound_no, inbound_no, quantity, cost)
        touched.update((outbound_no, inbound_no))
    for outbound_no, index, cost in changes.get("application_costs", ()):
        application = entry_of(item, outbound_no)["applications"][index]
        entry_of(item, application[0])["applied_cost"] += cost - application[2]
        application[2] = cost
    for entry_no, quantity in changes.get("invoiced", ()):
        entry_of(item, entry_no)["invoiced_quantity"] += quantity
        touched.add(entry_no)
    closed = {no: (day, pooled) for no, day, pooled in changes.get("closed_entries", ())}
    for value in changes.get("values", ()):
        add_value(item, value, closed)
    for entry_no, posting_date, applied_count, amount in changes.get("revalued", ()):
        entry = entry_of(item, entry_no)
        # Open from the latest of its revaluation dates, whatever order they were posted in.
        entry["revalued_on"] = max(entry.get("revalued_on") or posting_date, posting_date)
        entry["revaluations"].append([applied_count, amount])
    if "adjust_needed" in changes:
        item.adjust_needed = changes["adjust_needed"]
        if changes["adjust_needed"] is False:  # only Adjust Cost records False
            touched.update(item.dirty)
            item.dirty, item.adjust_from = [], None
    for entry_no in sorted(touched):
        release(item, entry_no)
    drop_settled(item, settled_before)


# ---------------------------------------------------------------- entries and values

def add_entry(item: Any, new: ItemLedgerEntry | Entry) -> None:
    """A copy: a pending event's payload must never change with the state it built."""
    entry = dict(new, applications=[list(a) for a in new["applications"]],
                 revaluations=[list(r) for r in new["revaluations"]],
                 cost_actual=ZERO, cost_expected=ZERO, base_cost=ZERO, sales_actual=ZERO,
                 source=None, app_count=0, latest_applied_on=None, apps=[], pins=0)
    item.entries[str(entry["entry_no"])] = entry
    inbound = entry["quantity"] > 0
    if inbound and entry["remaining_quantity"] > 0:
        insort(item.open.setdefault(entry["location_code"], []),
               [entry["posting_date"], entry["entry_no"]])
    if not inbound:
        item.latest_outbound = max(item.latest_outbound or entry["posting_date"],
                                   entry["posting_date"])
    if item.costing_method == "AVERAGE" and not is_transfer(entry):
        add_to_day(item, entry["posting_date"], 0 if inbound else 2, entry["quantity"])
        item.pool[0] += entry["quantity"]
        average_changed(item, entry)


def add_value(item: Any, value: ValueEntry, closed: dict[int, tuple[str, bool]]) -> None:
    cost = value["cost_actual"] + value["cost_expected"]
    entry = item.entries.get(str(value["ile_no"]))
    if entry is None:  # an adjustment of a settled AVERAGE entry
        posting_date, pooled = closed[value["ile_no"]]
        if pooled:
            add_to_day(item, posting_date, 3, cost)
            item.pool[1] += cost
        return
    entry["cost_actual"] += value["cost_actual"]
    entry["cost_expected"] += value["cost_expected"]
    entry["sales_actual"] += value["sales_actual"]
    if value["entry_type"] != "REVALUATION":
        entry["base_cost"] += cost
    if value["entry_type"] == "DIRECT_COST" and not value["adjustment"]:
        entry["source"] = [value["posting_date"], value["document_no"], dict(value["dimensions"])]
    if item.costing_method == "AVERAGE":
        if not is_transfer(entry):
            add_to_day(item, entry["posting_date"], 1 if entry["quantity"] > 0 else 3, cost)
            item.pool[1] += cost
            if cost and not value["adjustment"]:
                average_changed(item, entry)
    elif entry["apps"] and cost and not value["adjustment"]:
        mark_dirty(item, entry["entry_no"])


def is_transfer(entry: Entry) -> bool:
    return entry["entry_type"] == "TRANSFER"


# ---------------------------------------------------------------- applications

def apply(item: Any, outbound_no: int, inbound_no: int, quantity: Decimal, cost: Decimal) -> None:
    outbound, inbound = entry_of(item, outbound_no), entry_of(item, inbound_no)
    outbound["applications"].append([inbound_no, quantity, cost])
    inbound["remaining_quantity"] -= quantity
    inbound["applied_cost"] += cost
    inbound["app_count"] += 1
    inbound["latest_applied_on"] = max(inbound["latest_applied_on"] or outbound["posting_date"],
                                       outbound["posting_date"])
    if item.costing_method != "AVERAGE" and (retroactive(item, inbound) or inbound_no in item.dirty):
        # A dirty inbound's untaken cost is stale until Adjust Cost replays it.
        inbound["apps"].append([outbound_no, len(outbound["applications"]) - 1, quantity])
        outbound["pins"] += 1
    if not inbound["remaining_quantity"]:
        layers = item.open[inbound["location_code"]]
        del layers[bisect_left(layers, [inbound["posting_date"], inbound_no])]


def retroactive(item: Any, inbound: Entry) -> bool:
    """Can its cost still change for the outbounds already applied to it?"""
    if inbound["invoiced_quantity"] != inbound["quantity"]:
        return True
    outbound_no = inbound.get("transferred_from")
    outbound_half = item.entries.get(str(outbound_no)) if outbound_no else None
    return bool(outbound_half and outbound_half["pins"])


def inbound_half(item: Any, outbound_no: int) -> Entry | None:
    """A transfer's inbound half takes the number after its outbound half's."""
    half = item.entries.get(str(outbound_no + 1))
    return half if half and half.get("transferred_from") == outbound_no else None


def open_layers(item: Any, location_code: str, posting_date: str, newest_first: bool
                ) -> Iterable[Entry]:
    """Open inbound entries dated on or before `posting_date`, in the costing method's
    order, read from the index one at a time (an outbound takes only what it needs)."""
    layers = item.open.get(location_code, [])
    end = bisect_right(layers, [posting_date, float("inf")])
    keys = reversed(layers[:end]) if newest_first else (layers[i] for i in range(end))
    for _, entry_no in keys:
        entry = entry_of(item, entry_no)
        revalued_on = entry.get("revalued_on")
        if revalued_on is None or revalued_on <= posting_date:
            yield entry


# ---------------------------------------------------------------- what Adjust Cost revisits

def mark_dirty(item: Any, entry_no: int) -> None:
    if entry_no not in item.dirty:
        insort(item.dirty, entry_no)


def average_changed(item: Any, entry: Entry) -> None:
    """A pool change of day d reaches the outbounds of later days, and for an inbound
    those of day d too (it joins its day's pool)."""
    latest, day = item.latest_outbound, entry["posting_date"]
    if latest is None or latest < day or (entry["quantity"] < 0 and latest == day):
        return
    item.adjust_from = min(item.adjust_from or day, day)


def day_totals(item: Any, posting_date: str) -> list[Decimal]:
    """[inbound qty, inbound cost, outbound qty, outbound cost] of a day. A day is kept as
    the four amounts' text: an item keeps a day for each day of its life, and four
    Decimals in a list cost six times the memory of their text (docs/performance.md)."""
    text = item.days.get(posting_date)
    return [Decimal(part) for part in text.split()] if text else [ZERO, ZERO, ZERO, ZERO]


def add_to_day(item: Any, posting_date: str, index: int, amount: Decimal) -> None:
    if posting_date not in item.days:
        insort(item.day_order, posting_date)
    totals = day_totals(item, posting_date)
    totals[index] += amount
    item.days[posting_date] = " ".join(map(str, totals))


# ---------------------------------------------------------------- settling and dropping

def release(item: Any, entry_no: int) -> None:
    """An inbound that can no longer change unpins its outbounds, which may settle in
    turn (a transfer's outbound half freeing its inbound half)."""
    entry = item.entries.get(str(entry_no))
    if entry is None:
        return
    if entry["quantity"] > 0 and entry["apps"] and entry_no not in item.dirty \
            and not retroactive(item, entry):
        for outbound_no, _, _ in entry["apps"]:
            outbound = entry_of(item, outbound_no)
            outbound["pins"] -= 1
            if not outbound["pins"]:
                half = inbound_half(item, outbound_no)
                if half:
                    release(item, half["entry_no"])
                close_if_settled(item, outbound)
        entry["apps"], entry["revaluations"] = [], []
    close_if_settled(item, entry)


def settled(item: Any, entry: Entry) -> bool:
    if entry["invoiced_quantity"] != entry["quantity"]:
        return False
    if entry["quantity"] < 0:
        return not entry["pins"]
    return (not entry["remaining_quantity"] and not entry["apps"]
            and entry["entry_no"] not in item.dirty and not retroactive(item, entry))


def close_if_settled(item: Any, entry: Entry) -> None:
    if entry["entry_no"] not in item.closing and settled(item, entry):
        item.closing.append(entry["entry_no"])


def drop_settled(item: Any, entry_nos: list[int]) -> None:
    for entry_no in entry_nos:
        entry = item.entries.get(str(entry_no))
        if entry is not None and settled(item, entry):
            del item.entries[str(entry_no)]
    if entry_nos:
        item.closing = [no for no in item.closing if no not in set(entry_nos)]


# ---------------------------------------------------------------- snapshots of before

def upcast_full_state(state: dict[str, Any]) -> None:
    """A snapshot of the layout that kept every entry and value entry (class_version 2),
    in place, as today's open state. Every entry comes along; the next journal line
    drops the settled ones. With an adjustment pending, every inbound keeps its
    applications, since which of them changed is not known any more."""
    entries, values = state.pop("entries"), state.pop("values")
    item = SimpleNamespace(costing_method=state["costing_method"])
    start(item)
    for key in sorted(entries, key=int):
        add_entry(item, {k: v for k, v in entries[key].items() if k != "value_entry_nos"})
    for key in sorted(values, key=int):
        add_value(item, values[key], {})
    pending = bool(state.get("adjust_needed"))
    for entry in sorted(item.entries.values(), key=lambda e: e["entry_no"]):
        for index, (inbound_no, quantity, _) in enumerate(entry["applications"]):
            inbound = entry_of(item, inbound_no)
            inbound["app_count"] += 1
            inbound["latest_applied_on"] = max(inbound["latest_applied_on"] or entry["posting_date"],
                                               entry["posting_date"])
            if item.costing_method != "AVERAGE" and (pending or retroactive(item, inbound)):
                inbound["apps"].append([entry["entry_no"], index, quantity])
                entry["pins"] += 1
    item.dirty = sorted(e["entry_no"] for e in item.entries.values() if e["apps"]) if pending else []
    item.adjust_from = item.day_order[0] if pending and item.day_order else None
    item.closing = [e["entry_no"] for e in item.entries.values() if settled(item, e)]
    state.update(vars(item), adjust_needed=pending)

