"""Long histories against a brute-force recomputation (issue 20): the open state answers
as the whole history would.

An item keeps only its open state (ledger.aggregates.open_state): an index of open
layers, AVERAGE's pool as totals per day, and what Adjust Cost must revisit. Given
5,000 steps over a FIFO, an AVERAGE and a LIFO item, months long, with back-dated
postings, receipts and shipments invoiced later (some at another cost), revaluations,
transfers and Adjust Cost runs, the ledger must answer each question as a naive
recomputation over the full history (`Recomputation`, which keeps every entry) does:

- every outbound takes the inbound entries the history says are open, in its order;
- the open layers of each location, in the order the costing method takes them;
- the AVERAGE pool through a day, against a sum over every entry in the read models;
- after each Adjust Cost, every entry's cost;
and the state must stay small: most of the history is settled and has left it.
"""
from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal

import pytest

from ledger.aggregates.item import Item
from ledger.aggregates.open_state import open_layers
from ledger.costing.average import pool_through
from tests.books import fresh_books
from tests.test_adjust_cost_properties import LOCATIONS, Run, Step, day, differences, every_entry

STEPS = 5_000
ITEMS = {"1000": "FIFO", "1100": "AVERAGE", "1200": "LIFO"}
UNIT_COSTS = [Decimal(c) for c in ("3.33333", "10", "12.50", "9.99", "7.25")]
CHECK_EVERY = 250
ADJUST_CHECK_EVERY = 1_000


def long_history(rng: random.Random) -> Iterator[Step]:
    """Fifteen steps a day; one step in five is dated up to a week back."""
    today = 1
    for n in range(STEPS):
        today += n % 15 == 0
        on = today - rng.choice((0, 0, 0, 0, 1, 3, 7))
        item, location = rng.choice(sorted(ITEMS)), rng.choice(LOCATIONS[:1] * 9 + LOCATIONS[1:])
        roll = rng.random()
        if roll < 0.32:
            yield ("PURCHASE", item, location, on, Decimal(rng.randint(1, 6)), rng.choice(UNIT_COSTS),
                   rng.random() < 0.8)
        elif roll < 0.74:
            yield ("SALE", item, location, on, Decimal(rng.randint(1, 3)), rng.random() < 0.85)
        elif roll < 0.79:
            yield ("TRANSFER", item, location, on, Decimal(rng.randint(1, 2)))
        elif roll < 0.90:
            yield ("INVOICE", rng.randint(0, 3), today, rng.choice([None, *UNIT_COSTS]))
        elif roll < 0.96:
            yield ("REVALUE", rng.randint(0, 5), today, rng.choice(UNIT_COSTS))
        else:
            yield ("ADJUST",)


class LongRun(Run):
    """A Run that checks the open state against the recomputation as it goes."""

    def state(self, item_no: str) -> Item:
        item = self.service.uow.get(Item.create_id(item_no))
        assert item is not None
        return item

    def step(self, step: Step) -> None:
        entries_before = len(self.model.entries)
        super().step(step)
        if step[0] in ("SALE", "TRANSFER") and len(self.model.entries) > entries_before:
            outbound_no = max(no for no in self.model.entries if self.model.entries[no].quantity < 0)
            applications = self.state(step[1]).entries[str(outbound_no)]["applications"]
            assert [(inbound, quantity) for inbound, quantity, _ in applications] == \
                self.model.last_taken, f"{step}: took other layers than the history says"

    def check_open_layers(self, on: int) -> None:
        for item_no, method in ITEMS.items():
            for location in LOCATIONS:
                found = [e["entry_no"] for e in open_layers(self.state(item_no), location, day(on),
                                                            newest_first=method == "LIFO")]
                wanted = [e.no for e in self.model.open_for(item_no, location, day(on))]
                assert found == wanted, f"open layers of {item_no} at {location} on {day(on)}"

    def check_pools(self, on: int) -> None:
        rows = every_entry(self.service, "1100")
        for through in (on, on - 3, on - 10):
            pooled = [r for r in rows if r["entry_type"] != "TRANSFER" and r["posting_date"] <= day(through)]
            wanted = (sum((r["quantity"] for r in pooled), Decimal(0)),
                      sum((r["cost_actual"] + r["cost_expected"] for r in pooled), Decimal(0)))
            assert pool_through(self.state("1100"), day(through)) == wanted, f"pool through {day(through)}"

    def check_costs(self) -> None:
        self.service.postings.adjust_cost_item_entries(None)
        assert differences(self.costs(), self.model.costs()) == {}, \
            "the ledger's costs (left) against the recomputation (right)"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_long_history_answers_as_the_whole_history_would(seed: int) -> None:
    directory = tempfile.mkdtemp(prefix="ledger-long-")
    run = LongRun(fresh_books(directory), "NEVER", adjust_before_revaluing=False)
    try:
        for n, step in enumerate(long_history(random.Random(seed)), 1):
            run.step(step)
            if n % CHECK_EVERY == 0:
                today = 1 + n // 15
                run.check_open_layers(today)
                run.check_pools(today)
            if n % ADJUST_CHECK_EVERY == 0:
                run.check_costs()
        run.check_costs()
        for item_no in ITEMS:
            made = len(run.model.of_item(item_no))
            assert len(run.state(item_no).entries) < made / 4, f"{item_no} keeps most of its history"
    finally:
        run.service.close()
        shutil.rmtree(directory, ignore_errors=True)
