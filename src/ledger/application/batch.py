"""Post Inventory Cost to G/L: the batch job, its preview and its test report.

Reads the unposted value entries from the unposted index (never scanning posted ones),
checks and prices them with the same pure rules automatic posting uses (per posting
group, once per group of entries the database summed for being alike in everything the
rules read: a run's cost goes into writing, not into checking each entry), and saves in
chunks: each chunk is one `Application.save` of the run's register and the items whose
value entries it posts. A chunk is all or nothing, and optimistic concurrency on item
versions (re-checked on retry) means no value entry is ever posted twice.
"""
from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from ledger.aggregates.item import Item
from ledger.amounts import ZERO
from ledger.numbering import Allocator
from ledger.aggregates.register import BatchRun
from ledger.application.setup_commands import SetupCommands
from ledger.application.unit_of_work import UnitOfWork
from ledger.errors import ErrorCode, LedgerError, not_found
from ledger.posting.batch import (PER_ENTRY, EntryCheck, Summary, as_group_line,
                                  check_document_no, check_value_entry)
from ledger.posting.glentries import gl_entries
from ledger.posting.accounts import AccountType
from ledger.posting.lines import PostingLine, posted_amounts
from ledger.posting.setup import PostingSetup
from ledger.projections import queries

SOURCE_CODE = "INVTPCOST"
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Request:
    post_method: str
    document_no: str | None = None
    item_nos: list[str] | None = None
    posting_date_to: str | None = None


@dataclass
class Report:
    """With keep_lines off (the CLI on a large run) lines are only totalled per account,
    so a per-entry run's memory does not grow with the number of value entries."""
    posted: bool
    post_method: str
    keep_lines: bool = True
    lines: list[PostingLine] = field(default_factory=list)
    line_count: int = 0
    account_totals: dict[str, Decimal] = field(default_factory=dict)
    value_entry_count: int = 0
    skipped: list[EntryCheck] = field(default_factory=list)
    warnings: list[EntryCheck] = field(default_factory=list)
    register: dict[str, Any] | None = None

    def note(self, check: EntryCheck) -> None:
        if check.skipped:
            self.skipped.append(check)
        else:
            self.value_entry_count += 1
            if check.warned:
                self.warnings.append(check)

    def note_alike(self, count: int) -> None:
        """Entries checked as one group, without an error."""
        self.value_entry_count += count

    def add_lines(self, lines: list[PostingLine]) -> None:
        self.line_count += len(lines)
        for line in lines:
            account = line.gl_account_no or ""
            self.account_totals[account] = self.account_totals.get(account, ZERO) + line.amount
        if self.keep_lines:
            self.lines += lines



@dataclass
class TestReport:
    lines: list[EntryCheck]
    error_count: int


@dataclass
class Run:
    """What a posting run has saved so far: its register and transactions."""
    request: Request
    register_no: int | None = None
    first_entry_no: int | None = None
    last_entry_no: int | None = None
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())
    transactions: dict[tuple[str, str], int] = field(default_factory=dict)


def unique(ascending: list[list[int]]) -> list[int]:
    """The entry nos. of a chunk's lines, sorted, each once. Each line lists its entries
    in ascending order, so a chunk of summed lines listing a million entries is merged
    without a set as large as the run; a per-entry chunk's two thousand one-entry lists
    go through a set, which is 15 times quicker for them."""
    if sum(map(len, ascending)) <= SMALL_CHUNK:
        return sorted({no for nos in ascending for no in nos})
    found: list[int] = []
    for no in heapq.merge(*ascending):
        if not found or found[-1] != no:
            found.append(no)
    return found


SMALL_CHUNK = 100_000


def inventory_side_total(lines: list[PostingLine]) -> Decimal:
    return sum((line.amount for line in lines if line.account_type in INVENTORY_SIDE), ZERO)


INVENTORY_SIDE = (AccountType.INVENTORY, AccountType.INVENTORY_INTERIM)


class BatchJob:
    def __init__(self, uow: UnitOfWork, setup: SetupCommands, chunk_size: int = 1000,
                 group_window: int = 10_000) -> None:
        self.uow = uow
        self.setup = setup
        self.chunk_size = chunk_size
        self.group_window = group_window

    # ---------------------------------------------------------------- selection and checks

    def validate(self, request: Request) -> str | None:
        document_no = check_document_no(request.post_method, request.document_no)
        for item_no in request.item_nos or ():
            if self.uow.get(Item.create_id(item_no)) is None:
                raise not_found(f"item {item_no} does not exist", "itemNos")
        return document_no

    def pages(self, request: Request, expected_posting: bool) -> Iterator[list[dict[str, Any]]]:
        after = 0
        while True:
            with self.uow.views.db.read() as cursor:
                page = queries.unposted_value_entries(cursor, request.item_nos,
                                                      request.posting_date_to, expected_posting,
                                                      after, self.chunk_size)
            if page:
                yield page
            if len(page) < self.chunk_size:
                return
            after = page[-1]["entry_no"]

    def groups(self, request: Request, expected_posting: bool) -> Iterator[dict[str, Any]]:
        """The selection summed by the database a window of entries at a time
        (queries.unposted_groups): a window's groups are at most its entries, whatever
        the run's size."""
        after: int | None = 0
        while after is not None:
            with self.uow.views.db.read() as cursor:
                until = queries.unposted_window_end(cursor, request.item_nos,
                                                    request.posting_date_to, expected_posting,
                                                    after, self.group_window)
                groups = queries.unposted_groups(cursor, self.uow.views.db.dialect,
                                                 request.item_nos, request.posting_date_to,
                                                 expected_posting, after, until)
            yield from groups
            after = until

    def sum_group(self, group: dict[str, Any], summary: Summary, report: Report,
                  setup: PostingSetup, document_no: str | None, progress: Progress | None
                  ) -> None:
        """Entries alike in everything the rules read check alike, so a group is checked
        once, as one entry of its summed amounts: under PER_POSTING_GROUP its lines are
        summed anyway. A group with an error is checked again entry by entry, since the
        report lists each skipped or warned entry with its own amounts."""
        entry_nos = group.pop("entry_nos")
        check = check_value_entry(group, setup, document_no)
        if check.errors:
            with self.uow.views.db.read() as cursor:
                values = queries.value_entries_by_no(cursor, entry_nos)
            checks = [check_value_entry(value, setup, document_no) for value in values]
            for own in checks:
                if not own.skipped:
                    summary.add(own.lines)
            self.record(report, checks, progress)
            return
        summary.add([line._replace(value_entry_nos=entry_nos) for line in check.lines])
        report.note_alike(len(entry_nos))
        if progress:
            progress(len(entry_nos))

    def count(self, request: Request) -> int:
        """How many value entries a run would read, for a progress bar."""
        self.uow.catch_up_if_behind()
        expected = self.setup.posting_setup().expected_cost_posting
        with self.uow.views.db.read() as cursor:
            return queries.count_unposted(cursor, request.item_nos, request.posting_date_to,
                                          expected)

    def checks(self, request: Request, setup: PostingSetup,
               document_no: str | None) -> Iterator[list[EntryCheck]]:
        for page in self.pages(request, setup.expected_cost_posting):
            yield [check_value_entry(value, setup, document_no) for value in page]

    # ---------------------------------------------------------------- the batch job

    def run(self, request: Request, post: bool, progress: Progress | None = None,
            keep_lines: bool = True) -> Report:
        """Post (or, with post = False, preview) by the very same code."""
        document_no = self.validate(request)
        with self.uow.numbering_held():
            self.uow.catch_up_if_behind()
            setup = self.setup.posting_setup()
            report = Report(posted=post, post_method=request.post_method, keep_lines=keep_lines)
            run = Run(request)
            if request.post_method == PER_ENTRY:
                for checks in self.checks(request, setup, document_no):
                    postable = [check for check in checks if not check.skipped]
                    lines = [line for check in postable for line in check.lines]
                    self.record(report, checks, progress)
                    report.add_lines(lines)
                    if post and lines:
                        self.save_chunk(run, lines, setup)
            else:
                summary = Summary()
                for group in self.groups(request, setup.expected_cost_posting):
                    self.sum_group(group, summary, report, setup, document_no, progress)
                lines = summary.result()
                report.add_lines(lines)
                for chunk in summary.chunks(lines, self.chunk_size) if post else ():
                    self.save_chunk(run, chunk, setup)
            if run.register_no is not None:
                report.register = self.register_row(run)
                for check in report.warnings:  # shown as they stand after the run
                    value = check.value_entry
                    value["posted_actual"], value["posted_expected"] = posted_amounts(
                        value, setup.expected_cost_posting)
            return report

    @staticmethod
    def record(report: Report, checks: list[EntryCheck], progress: Progress | None) -> None:
        for check in checks:
            report.note(check)
        if progress:
            progress(len(checks))

    def register_row(self, run: Run) -> dict[str, Any]:
        return {"no": run.register_no, "from_entry_no": run.first_entry_no,
                "to_entry_no": run.last_entry_no, "source_code": SOURCE_CODE,
                "created_at": run.created_at}

    def save_chunk(self, run: Run, lines: list[PostingLine], setup: PostingSetup) -> None:
        posted: list[Any] = []

        def work(numbers: Allocator) -> tuple[list[Any], Run]:
            saved = Run(run.request, run.register_no, run.first_entry_no, run.last_entry_no,
                        run.created_at, dict(run.transactions))
            if saved.register_no is None:
                saved.register_no = numbers.take("register")
                batch = BatchRun(register_no=saved.register_no,
                                 post_method=run.request.post_method,
                                 document_no=run.request.document_no)
            else:
                batch = self.uow.get(BatchRun.create_id(saved.register_no))
            new = gl_entries(lines, numbers, SOURCE_CODE, saved.register_no, saved.transactions)
            saved.first_entry_no = saved.first_entry_no or new[0]["entry_no"]
            saved.last_entry_no = new[-1]["entry_no"]
            batch.post_chunk(changes={"gl_entries": new, "register": self.register_row(saved)})
            posted[:] = self.posted_events(lines, setup)
            return [batch, *posted], saved

        saved = self.uow.run(work)
        self.uow.evict([event.originator_id for event in posted])  # cached copies are behind
        run.register_no, run.first_entry_no = saved.register_no, saved.first_entry_no
        run.last_entry_no, run.transactions = saved.last_entry_no, saved.transactions

    def posted_events(self, lines: list[PostingLine], setup: PostingSetup) -> list[Any]:
        """Each touched item's "cost posted" event, appended at its next version without
        loading the item (its history can be long). The read model gives the version and
        the value entries as they stand; if their unposted total is no longer what the
        lines post, another run posted some of them meanwhile: CONFLICT, nothing saved."""
        entry_nos = unique([line.value_entry_nos for line in lines])
        expected = setup.expected_cost_posting
        with self.uow.views.db.read() as cursor:
            by_item, unposted = queries.unposted_by_item(cursor, entry_nos, expected)
            versions = queries.item_versions(cursor, sorted(by_item))
        if sum(map(len, by_item.values())) != len(entry_nos) \
                or unposted != inventory_side_total(lines):
            raise LedgerError(ErrorCode.CONFLICT, "value entries of this run were posted by "
                              "another run meanwhile; run again")
        return [Item.CostPostedToGL(originator_id=Item.create_id(no),
                                    originator_version=versions[no] + 1,
                                    timestamp=Item.CostPostedToGL.create_timestamp(),
                                    changes={"item_no": no, "posted": posted,
                                             "expected_posting": expected})
                for no, posted in by_item.items()]

    # ---------------------------------------------------------------- the test report

    def test(self, request: Request, only_warnings: bool) -> TestReport:
        document_no = self.validate(request)
        self.uow.catch_up_if_behind()
        setup = self.setup.posting_setup()
        found, error_count = [], 0
        for checks in self.checks(request, setup, document_no):
            for check in checks:
                error_count += len(check.errors)
                if check.errors or not only_warnings:
                    found.append(self.shown(check, request.post_method))
        return TestReport(found, error_count)

    @staticmethod
    def shown(check: EntryCheck, post_method: str) -> EntryCheck:
        """Its own lines, unsummed; a line with no account (missing row, blank field) is
        left out; per posting group with the summed line's description."""
        lines = [line for line in check.lines if line.gl_account_no]
        if post_method != PER_ENTRY:
            lines = [as_group_line(line) for line in lines]
        return EntryCheck(check.value_entry, lines, check.errors)
