"""What a batch run reads: the unposted value entries of its request, from the unposted
index (never scanning posted ones), a page or a window at a time, checked and priced by
the same pure rules automatic posting uses."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any, NamedTuple

from ledger.application.batch_job.reports import Progress, Report, Request
from ledger.application.unit_of_work import UnitOfWork
from ledger.posting.batch import EntryCheck, Part, check_value_entry
from ledger.posting.setup import PostingSetup
from ledger.projections import queries


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


class Selection:
    def __init__(self, uow: UnitOfWork, page_size: int, group_window: int) -> None:
        self.uow = uow
        self.page_size = page_size
        self.group_window = group_window

    def count(self, request: Request, expected_posting: bool) -> int:
        with self.uow.views.db.read() as cursor:
            return queries.count_unposted(cursor, request.item_nos, request.posting_date_to,
                                          expected_posting)

    def pages(self, request: Request, expected_posting: bool) -> Iterator[list[dict[str, Any]]]:
        after = 0
        while True:
            with self.uow.views.db.read() as cursor:
                page = queries.unposted_value_entries(cursor, request.item_nos,
                                                      request.posting_date_to, expected_posting,
                                                      after, self.page_size)
            if page:
                yield page
            if len(page) < self.page_size:
                return
            after = page[-1]["entry_no"]

    def checks(self, request: Request, setup: PostingSetup,
               document_no: str | None) -> Iterator[list[EntryCheck]]:
        """Every selected entry checked on its own, a page at a time."""
        for page in self.pages(request, setup.expected_cost_posting):
            yield [check_value_entry(value, setup, document_no) for value in page]

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
                    report.note_all(checks, progress)
            yield span, parts
