"""Random histories (hypothesis, stateful): setup changes, purchases, sales, invoices,
adjustments, transfers, revaluations, Adjust Cost and batch runs, with automatic cost
posting switched on and off. After every step the books must hold:

- every G/L transaction sums to zero, and so does the trial balance;
- per inventory account, G/L balance + unposted actual cost = value-entry inventory value;
- no value entry's posted amount exceeds its cost;
- a refused request stores nothing;
- the preview's lines are the lines the next batch run posts;
- rebuilding every read model from the event store equals the live state.

CI runs 200 examples of up to 50 steps; HYPOTHESIS_PROFILE=long runs 1,000 examples of up
to 100 steps (well over 10,000 steps; hypothesis ends one example long before 10,000).
"""
from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (Bundle, MultipleResults, RuleBasedStateMachine, initialize,
                                 invariant, multiple, rule)

from ledger.application import LedgerService
from ledger.application.batch_job import Request
from ledger.errors import LedgerError
from ledger.posting.batch import Summary, summing_key
from tests.books import PROFILE, fresh_books
from tests.company import line

ITEMS = ["1000", "1100", "1200", "1300"]
LOCATIONS = ["BLUE", "RED"]
dates = st.integers(1, 20).map(lambda day: f"2027-01-{day:02d}")
quantities = st.sampled_from(["1", "2", "3", "5", "0.5", "7"])
unit_costs = st.sampled_from(["3.33333", "10", "12.50", "9.99", "0.01"])

def counts(service: LedgerService) -> tuple[int, int, int, int]:
    with service.views.db.read() as cursor:
        found = []
        for table in ("ledger_ile", "ledger_ve", "ledger_gl_entry"):
            cursor.execute(f"SELECT COUNT(*) AS n FROM {table}")
            found.append(cursor.fetchone()["n"])
    return (*found, service.ledger.recorder.max_notification_id())


class Books(RuleBasedStateMachine):
    """A ledger driven through its application service, as the API drives it."""

    uninvoiced = Bundle("uninvoiced")
    inbound = Bundle("inbound")

    @initialize()
    def open_books(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="ledger-property-")
        self.service = fresh_books(self.directory)

    def teardown(self) -> None:
        self.service.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def attempt(self, action, *args):  # type: ignore[no-untyped-def]
        """Run a command; if a rule says no, nothing may have been stored."""
        before = counts(self.service)
        try:
            return action(*args)
        except LedgerError:
            assert counts(self.service) == before, "a refused request stored something"
            return None

    # ---------------------------------------------------------------- setup changes

    @rule(on=st.booleans())
    def automatic_cost_posting(self, on: bool) -> None:
        self.service.setup.update_inventory_setup({"automatic_cost_posting": on})

    @rule(on=st.booleans())
    def expected_cost_posting(self, on: bool) -> None:
        self.attempt(self.service.setup.update_inventory_setup, {"expected_cost_posting": on})

    @rule(always=st.booleans())
    def automatic_cost_adjustment(self, always: bool) -> None:
        self.service.setup.update_inventory_setup(
            {"automatic_cost_adjustment": "ALWAYS" if always else "NEVER"})

    @rule(account=st.sampled_from(["7290", "2140"]), blocked=st.booleans())
    def block_account(self, account: str, blocked: bool) -> None:
        self.service.setup.update_gl_account(account, {"blocked": blocked})

    # ---------------------------------------------------------------- inventory transactions

    def post(self, *args, **more):  # type: ignore[no-untyped-def]
        return self.attempt(self.service.postings.post_item_journal_line, line(*args, **more), None)

    @staticmethod
    def entry(result: dict | None, wanted: bool = True) -> MultipleResults[int]:
        """The posted entry's no. for a bundle, or nothing when there is none to keep."""
        if result and wanted:
            return multiple(result["item_ledger_entries"][0]["entry_no"])
        return multiple()

    @rule(target=uninvoiced, item=st.sampled_from(ITEMS), location=st.sampled_from(LOCATIONS),
          date=dates, quantity=quantities, unit_cost=unit_costs, invoice=st.booleans())
    def purchase(self, item: str, location: str, date: str, quantity: str, unit_cost: str,
                 invoice: bool) -> MultipleResults[int]:
        result = self.post("PURCHASE", date, quantity, item_no=item, location_code=location,
                           unit_cost=unit_cost, invoice=invoice)
        return self.entry(result, not invoice)

    @rule(target=uninvoiced, item=st.sampled_from(ITEMS), location=st.sampled_from(LOCATIONS),
          date=dates, quantity=quantities, invoice=st.booleans(),
          kind=st.sampled_from(["SALE", "NEGATIVE_ADJMT"]))
    def outbound(self, item: str, location: str, date: str, quantity: str, invoice: bool,
                 kind: str) -> MultipleResults[int]:
        result = self.post(kind, date, quantity, item_no=item, location_code=location,
                           invoice=invoice or kind != "SALE", unit_price="20" if kind == "SALE" else None)
        return self.entry(result, not invoice and kind == "SALE")

    @rule(target=inbound, item=st.sampled_from(ITEMS), date=dates, quantity=quantities)
    def positive_adjustment(self, item: str, date: str, quantity: str) -> MultipleResults[int]:
        return self.entry(self.post("POSITIVE_ADJMT", date, quantity, item_no=item,
                                    location_code="RED"))

    @rule(item=st.sampled_from(ITEMS), date=dates, quantity=quantities, forward=st.booleans())
    def transfer(self, item: str, date: str, quantity: str, forward: bool) -> None:
        source, target = LOCATIONS if forward else LOCATIONS[::-1]
        self.post("TRANSFER", date, quantity, item_no=item, location_code=source,
                  new_location_code=target)

    @rule(entry=uninvoiced, share=st.sampled_from(["1", "0.5"]), date=dates,
          unit_cost=st.sampled_from([None, "11", "8.75"]))
    def invoice(self, entry: int, share: str, date: str, unit_cost: str | None) -> None:
        row = self.service.reads.item_ledger_entry(entry)
        left = abs(row["quantity"]) - abs(row["invoiced_quantity"])
        quantity = max(Decimal("0.5"), left * Decimal(share)).quantize(Decimal("0.00001"))
        cost = Decimal(unit_cost) if unit_cost and row["quantity"] > 0 else None
        self.attempt(self.service.postings.invoice_item_ledger_entry, entry, date, "INV",
                     quantity, cost, None, None)

    @rule(entry=inbound, date=dates, unit_cost=unit_costs)
    def revalue(self, entry: int, date: str, unit_cost: str) -> None:
        self.attempt(self.service.postings.revalue_item_ledger_entry, entry, date, "REVAL",
                     Decimal(unit_cost), None)

    @rule()
    def adjust_cost(self) -> None:
        self.attempt(self.service.postings.adjust_cost_item_entries, None)
        again = self.attempt(self.service.postings.adjust_cost_item_entries, None)
        assert again is None or again["value_entries"] == [], "a second run adjusted again"

    @rule(per_group=st.booleans(), date_to=st.none() | dates)
    def post_inventory_cost(self, per_group: bool, date_to: str | None) -> None:
        request = Request("PER_POSTING_GROUP" if per_group else "PER_ENTRY",
                          "INVT" if per_group else None, None, date_to)
        test = self.service.batch.test(request, only_warnings=False)
        preview = self.service.batch.run(request, post=False)
        posted = self.service.batch.run(request, post=True)
        assert preview.lines == posted.lines
        skipped = {check.value_entry["entry_no"] for check in posted.skipped}
        assert skipped == {line.value_entry["entry_no"] for line in test.lines if any(
            error.code.value != "DIMENSION_ERROR" for error in line.errors)}
        if per_group:  # summed by the database in groups = the test report's lines summed
            summary, covered = Summary(), defaultdict(list)
            for check in test.lines:
                if not check.skipped:
                    summary.add(check.lines)
                    for own in check.lines:
                        covered[summing_key(own)].append(check.value_entry["entry_no"])
            assert posted.lines == [line._replace(value_entry_nos=sorted(covered[summing_key(line)]))
                                    for line in summary.result()]

    # ---------------------------------------------------------------- the books hold

    @invariant()
    def books_hold(self) -> None:
        if not hasattr(self, "service"):
            return
        with self.service.views.db.read() as cursor:
            cursor.execute("SELECT transaction_no, SUM(amount) AS total FROM ledger_gl_entry "
                           "GROUP BY transaction_no HAVING SUM(amount) <> 0")
            assert cursor.fetchall() == [], "a G/L transaction does not balance"
            cursor.execute("SELECT entry_no FROM ledger_ve WHERE "
                           "(cost_actual >= 0 AND (posted_actual < 0 OR posted_actual > cost_actual)) OR "
                           "(cost_actual < 0 AND (posted_actual > 0 OR posted_actual < cost_actual)) OR "
                           "(cost_expected >= 0 AND (posted_expected < 0 OR posted_expected > cost_expected)) OR "
                           "(cost_expected < 0 AND (posted_expected > 0 OR posted_expected < cost_expected))")
            assert cursor.fetchall() == [], "a posted amount exceeds its cost"
        assert sum(row["balance"] for row in self.service.reads.trial_balance(None, None)) == 0
        off = [row for row in self.service.reads.reconciliation(None) if row["difference"]]
        assert off == [], off
        check = self.service.verify_projections()
        assert check.consistent, check.differences


Books.TestCase.settings = settings.get_profile(PROFILE)
TestBooks = Books.TestCase
