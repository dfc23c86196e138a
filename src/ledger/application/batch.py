"""Post Inventory Cost to G/L: the batch job, its preview and its test report.

Reads the unposted value entries from the unposted index (never scanning posted ones),
checks and prices them with the same pure rules automatic posting uses (per posting
group, once per group of entries the database summed for being alike in everything the
rules read: a run's cost goes into writing, not into checking each entry), and saves in
chunks: each chunk is one `Application.save` of the run's register and the items whose
value entries it posts. A chunk is all or nothing, and optimistic concurrency on item
versions (re-checked on retry) means no value entry is ever posted twice.

Per posting group the selection is read twice: once to sum the lines, then, a window at
a time inside each chunk's transaction, to list which entries each summed line covers.
So a run's memory grows with its summed lines, not with its value entries.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, NamedTuple

from ledger.aggregates.item import Item
from ledger.amounts import ZERO
from ledger.numbering import Allocator
from ledger.aggregates.register import BatchRun
from ledger.application.setup_commands import SetupCommands
from ledger.application.unit_of_work import Streamed, UnitOfWork
from ledger.errors import ErrorCode, LedgerError, not_found
from ledger.posting.batch import (PER_ENTRY, EntryCheck, Listing, Part, Summary,
                                  as_group_line, check_document_no, check_value_entry,
                                  list_entries)
from ledger.posting.glentries import gl_entries
from ledger.posting.accounts import AccountType
from ledger.posting.lines import PostingLine, posted_amounts
from ledger.posting.setup import PostingSetup
from ledger.projections import queries

SOURCE_CODE = "INVTPCOST"
Progress = Callable[[int], None]


class Span(NamedTuple):
    """A window of a run's selection: the entries after `after` up to `until` (None: all
    the rest), and the indexes of the summed lines they went into, ascending."""
    after: int
    until: int | None
    lines: list[int]

    def touches(self, first: int, end: int) -> bool:
        """Whether any of its lines is among the lines first .. end - 1."""
        at = bisect_left(self.lines, first)
        return at < len(self.lines) and self.lines[at] < end


@dataclass(frozen=True)
class Request:
    post_method: str
    document_no: str | None = None
    item_nos: list[str] | None = None
    posting_date_to: str | None = None
    posting_date_from: str | None = None  # a chunk's second read: its lines' dates


@dataclass
class Report:
    """With keep_lines off (the CLI on a large run) lines are only totalled per account,
    so a per-entry run's memory does not grow with the number of value entries."""
    posted: bool
    post_method: str
    keep_lines: bool = True
    lines: list[PostingLine] = field(default_factory=list)
    line_count: int = 0
    # per G/L account: (debit, credit), never netted, as the batch job never nets lines
    account_totals: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
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
            debit, credit = self.account_totals.get(account, (ZERO, ZERO))
            self.account_totals[account] = (debit + max(line.amount, ZERO),
                                            credit + max(-line.amount, ZERO))
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
    version: int = 0  # the register's


def unique(lists: list[list[int]]) -> list[int]:
    """The entry nos. of a per-entry chunk's lines, sorted, each once."""
    return sorted({no for nos in lists for no in nos})


def moved_on() -> LedgerError:
    return LedgerError(ErrorCode.CONFLICT, "value entries of this run were posted by another "
                       "run meanwhile; run again")


def cost_posted(item_no: str, version: int, posted: list[int], expected_posting: bool) -> Any:
    """An item's "cost posted" event, made without loading the item."""
    return Item.CostPostedToGL(originator_id=Item.create_id(item_no), originator_version=version,
                               timestamp=Item.CostPostedToGL.create_timestamp(),
                               changes={"item_no": item_no, "posted": posted,
                                        "expected_posting": expected_posting})


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

    def spans(self, request: Request, expected_posting: bool) -> Iterator[Span]:
        """The selection's windows, `group_window` entries each."""
        after: int | None = 0
        while after is not None:
            with self.uow.views.db.read() as cursor:
                until = queries.unposted_window_end(cursor, request.item_nos,
                                                    request.posting_date_to, expected_posting,
                                                    after, self.group_window)
            yield Span(after, until, [])
            after = until

    def windows(self, request: Request, expected_posting: bool, spans: list[Span] | None
                ) -> Iterator[tuple[Span, list[dict[str, Any]]]]:
        """The selection summed by the database a window of entries at a time
        (queries.unposted_groups): a window's groups are at most its entries, whatever
        the run's size. With `spans`, just those windows again."""
        for span in self.spans(request, expected_posting) if spans is None else spans:
            with self.uow.views.db.read() as cursor:
                groups = queries.unposted_groups(cursor, self.uow.views.db.dialect,
                                                 request.item_nos, request.posting_date_to,
                                                 expected_posting, span.after, span.until,
                                                 request.posting_date_from)
            yield span, groups

    def parts(self, request: Request, setup: PostingSetup, document_no: str | None,
              report: Report | None = None, progress: Progress | None = None,
              spans: list[Span] | None = None) -> Iterator[tuple[Span, list[Part]]]:
        """The selection a window at a time, as parts that post alike. Entries alike in
        everything the rules read check alike, so a group is checked once, as one entry
        of its summed amounts: under PER_POSTING_GROUP its lines are summed anyway. A
        group with an error is checked again entry by entry, since the report lists each
        skipped or warned entry with its own amounts. A run reads its selection twice
        (summing, then listing which entries each summed line covers): the first time
        notes each entry in the report."""
        for span, groups in self.windows(request, setup.expected_cost_posting, spans):
            parts: list[Part] = []
            for group in groups:
                entry_nos = group.pop("entry_nos")
                check = check_value_entry(group, setup, document_no)
                if not check.errors:
                    parts.append(Part(group["item_no"], check.lines, entry_nos))
                    if report is not None:
                        report.note_alike(len(entry_nos))
                        if progress:
                            progress(len(entry_nos))
                    continue
                with self.uow.views.db.read() as cursor:
                    values = queries.value_entries_by_no(cursor, entry_nos)
                checks = [check_value_entry(value, setup, document_no) for value in values]
                parts += [Part(own.value_entry["item_no"], own.lines, [own.value_entry["entry_no"]])
                          for own in checks if not own.skipped]
                if report is not None:
                    self.record(report, checks, progress)
            yield span, parts

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
                        self.save_chunk(run, lines, lambda saved, entries, lines=lines:
                                        self.posted_events(lines, setup))
            else:
                summary, spans = Summary(), []
                for span, parts in self.parts(request, setup, document_no, report, progress):
                    touched = {index for part in parts for index in summary.add(part.lines)}
                    spans.append(span._replace(lines=sorted(touched)))
                lines = summary.result()
                if keep_lines:
                    list_entries(lines, (parts for _, parts in self.parts(
                        request, setup, document_no, spans=spans)))
                report.add_lines(lines)
                first = 0
                for chunk in summary.chunks(lines, self.chunk_size) if post else ():
                    touching = [span for span in spans if span.touches(first, first + len(chunk))]
                    self.save_chunk(run, [line._replace(value_entry_nos=[]) for line in chunk],
                                    self.streamed(chunk, touching, request, setup, document_no))
                    first += len(chunk)
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

    def save_chunk(self, run: Run, lines: list[PostingLine],
                   rest: Callable[[Run, list[dict[str, Any]]], list[Any]]) -> None:
        """The chunk's G/L entries as an event of the run's register and, in the same
        save, `rest(run as saved, G/L entries)`. After its first chunk the register is
        appended to at the version the run keeps, without loading it."""
        def work(numbers: Allocator) -> tuple[list[Any], Run]:
            saved = replace(run, transactions=dict(run.transactions))
            opened = None
            if saved.register_no is None:
                saved.register_no = numbers.take("register")
                opened = BatchRun(register_no=saved.register_no,
                                  post_method=run.request.post_method,
                                  document_no=run.request.document_no)
            new = gl_entries(lines, numbers, SOURCE_CODE, saved.register_no, saved.transactions)
            saved.first_entry_no = saved.first_entry_no or new[0]["entry_no"]
            saved.last_entry_no = new[-1]["entry_no"]
            changes = {"gl_entries": new, "register": self.register_row(saved)}
            if opened is not None:
                opened.post_chunk(changes=changes)
                saved.version = opened.version
            else:
                saved.version += 1
            head = opened or BatchRun.ChunkPosted(
                originator_id=BatchRun.create_id(saved.register_no),
                originator_version=saved.version,
                timestamp=BatchRun.ChunkPosted.create_timestamp(), changes=changes)
            return [head, *rest(saved, new)], saved

        saved = self.uow.run(work)
        # the register's cached copy, saved with the first chunk, is behind its events since
        self.uow.evict([BatchRun.create_id(saved.register_no)])
        run.register_no, run.first_entry_no = saved.register_no, saved.first_entry_no
        run.last_entry_no, run.transactions = saved.last_entry_no, saved.transactions
        run.version = saved.version

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
            raise moved_on()
        self.uow.evict([Item.create_id(no) for no in by_item])
        return [cost_posted(no, versions[no] + 1, posted, expected)
                for no, posted in by_item.items()]

    def streamed(self, lines: list[PostingLine], spans: list[Span], request: Request,
                 setup: PostingSetup, document_no: str | None
                 ) -> Callable[[Run, list[dict[str, Any]]], list[Any]]:
        """What a chunk of summed lines saves beside its G/L entries: `listed`, made
        while the chunk's transaction is open, from the windows whose entries went into
        the chunk's lines, and of those just the entries of the lines' dates (an entry's
        lines all have its date). Entries mostly come in date order, and so do the summed
        lines, so a chunk rereads about its own entries, not the whole selection."""
        dates = [line.posting_date for line in lines]
        own = replace(request, posting_date_from=min(dates), posting_date_to=max(dates))

        def rest(saved: Run, entries: list[dict[str, Any]]) -> list[Any]:
            base = saved.version
            return [Streamed(lambda: self.listed(saved, base, entries, lines, spans, own,
                                                 setup, document_no))]
        return rest

    def listed(self, saved: Run, base: int, entries: list[dict[str, Any]],
               lines: list[PostingLine], spans: list[Span], request: Request,
               setup: PostingSetup, document_no: str | None) -> Iterator[list[Any]]:
        """A chunk of summed lines, per window of the selection: the register's "entries
        listed" event (the G/L relation) and the items' "cost posted" events for the
        entries of the chunk's lines, so that a chunk of a million entries is saved in
        the memory of one window. If the lines no longer sum to what they did, another
        run posted some of the entries meanwhile: CONFLICT, nothing saved. Starts afresh
        from the register's version `base` on every attempt of the save."""
        listing = Listing(lines)
        register_id = BatchRun.create_id(saved.register_no)
        expected = setup.expected_cost_posting
        versions: dict[str, int] = {}
        saved.version = base
        for _, parts in self.parts(request, setup, document_no, spans=spans):
            related, posted = listing.window(parts)
            if not related:
                continue
            with self.uow.views.db.read() as cursor:
                versions.update(queries.item_versions(
                    cursor, sorted(no for no in posted if no not in versions)))
            saved.version += 1
            relations = [[entries[index]["entry_no"], sorted(nos)]
                         for index, nos in sorted(related.items())]
            events: list[Any] = [BatchRun.EntriesListed(
                originator_id=register_id, originator_version=saved.version,
                timestamp=BatchRun.EntriesListed.create_timestamp(),
                changes={"relations": relations})]
            for no, nos in posted.items():
                versions[no] += 1
                events.append(cost_posted(no, versions[no], sorted(nos), expected))
            self.uow.evict([Item.create_id(no) for no in posted])
            yield events
        if not listing.balanced():
            raise moved_on()

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
