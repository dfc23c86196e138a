"""The batch job's service: a request checked, then one posting method run from top to
bottom under the numbering (posting or previewing by the very same code), or the test
report."""
from __future__ import annotations

from ledger.aggregates.item import Item
from ledger.application.batch_job.chunks import Run
from ledger.application.batch_job.per_entry import post_per_entry
from ledger.application.batch_job.per_posting_group import post_per_posting_group
from ledger.application.batch_job.reports import Progress, Report, Request, TestReport
from ledger.application.batch_job.selection import Selection
from ledger.application.setup_commands import SetupCommands
from ledger.application.unit_of_work import UnitOfWork
from ledger.errors import not_found
from ledger.posting.batch import PER_ENTRY, EntryCheck, as_group_line, check_document_no
from ledger.posting.lines import posted_amounts


class BatchJob:
    def __init__(self, uow: UnitOfWork, setup: SetupCommands, chunk_size: int = 1000,
                 group_window: int = 10_000) -> None:
        self.uow = uow
        self.setup = setup
        self.selection = Selection(uow, chunk_size, group_window)

    @property
    def chunk_size(self) -> int:
        """Entries a chunk per entry, summed lines a chunk per posting group."""
        return self.selection.page_size

    @chunk_size.setter
    def chunk_size(self, size: int) -> None:
        self.selection.page_size = size

    def validate(self, request: Request) -> str | None:
        """The request's document no. as the method needs it; an unknown item NOT_FOUND."""
        document_no = check_document_no(request.post_method, request.document_no)
        for item_no in request.item_nos or ():
            if self.uow.get(Item.create_id(item_no)) is None:
                raise not_found(f"item {item_no} does not exist", "itemNos")
        return document_no

    def count(self, request: Request) -> int:
        """How many value entries a run would read, for a progress bar."""
        self.uow.catch_up_if_behind()
        return self.selection.count(request, self.setup.posting_setup().expected_cost_posting)

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
                post_per_entry(self.uow, self.selection, run, report, setup, document_no, post,
                               progress)
            else:
                post_per_posting_group(self.uow, self.selection, run, report, setup, document_no,
                                       post, self.chunk_size, progress)
            if run.register_no is not None:
                report.register = run.register_row()
                for check in report.warnings:  # shown as they stand after the run
                    value = check.value_entry
                    value["posted_actual"], value["posted_expected"] = posted_amounts(
                        value, setup.expected_cost_posting)
            return report

    def test(self, request: Request, only_warnings: bool) -> TestReport:
        """Every error of a trial posting of exactly what the batch job would select."""
        document_no = self.validate(request)
        self.uow.catch_up_if_behind()
        setup = self.setup.posting_setup()
        found, error_count = [], 0
        for checks in self.selection.checks(request, setup, document_no):
            for check in checks:
                error_count += len(check.errors)
                if check.errors or not only_warnings:
                    found.append(as_shown(check, request.post_method))
        return TestReport(found, error_count)


def as_shown(check: EntryCheck, post_method: str) -> EntryCheck:
    """Its own lines, unsummed; a line with no account (missing row, blank field) is
    left out; per posting group with the summed line's description."""
    lines = [line for line in check.lines if line.gl_account_no]
    if post_method != PER_ENTRY:
        lines = [as_group_line(line) for line in lines]
    return EntryCheck(check.value_entry, lines, check.errors)
