"""Post Inventory Cost to G/L: the batch job, its preview (Post cleared) and test report."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from ledger.api.auth import Role
from ledger.api.context import in_thread, service
from ledger.api.enums import InventoryAccountType, PostMethod
from ledger.api.errors import UserError, as_result, user_errors
from ledger.api.inputs import InventoryCostPostingInput, InventoryCostPostingTestInput
from ledger.api.scalars import Date
from ledger.api.types import Dimension, GLRegister, ValueEntry
from ledger.application.batch_job import Report, Request, TestReport
from ledger.errors import validation
from ledger.posting.batch import EntryCheck
from ledger.posting.lines import PostingLine


@strawberry.type(name="PostingLine",
                 description="A G/L line the batch job posts, or would post.")
class PostingLineView:
    """The contract's PostingLine; ledger.posting.lines.PostingLine is the rules' own."""
    gl_account_no: str
    account_type: InventoryAccountType
    bal_account_type: InventoryAccountType
    posting_date: Date
    document_no: str
    description: str
    amount: Decimal
    location_code: str
    invt_posting_group: str
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    dimensions: list[Dimension]
    value_entry_nos: list[int]

    @classmethod
    def of(cls, line: PostingLine) -> PostingLineView:
        return cls(gl_account_no=line.gl_account_no or "", account_type=line.account_type,
                   bal_account_type=line.bal_account_type, posting_date=line.posting_date,
                   document_no=line.document_no, description=line.description,
                   amount=line.amount, location_code=line.location_code,
                   invt_posting_group=line.invt_posting_group,
                   gen_bus_posting_group=line.gen_bus_posting_group,
                   gen_prod_posting_group=line.gen_prod_posting_group,
                   dimensions=[Dimension(dimension_code=code, dimension_value_code=value)
                               for code, value in line.dimensions],
                   value_entry_nos=list(line.value_entry_nos))


@strawberry.type
class SkippedEntry:
    value_entry: ValueEntry
    errors: list[UserError]

    @classmethod
    def of(cls, check: EntryCheck) -> SkippedEntry:
        return cls(value_entry=ValueEntry.of(check.value_entry), errors=user_errors(check.errors))


@strawberry.type
class InventoryCostPostingReport:
    posted: bool
    post_method: PostMethod
    lines: list[PostingLineView]
    value_entry_count: int
    skipped_entries: list[SkippedEntry]
    warnings: list[SkippedEntry] = strawberry.field(
        description="Dimension errors overridden with the value entry's dimensions.")
    gl_register: GLRegister | None

    @classmethod
    def of(cls, report: Report) -> InventoryCostPostingReport:
        return cls(posted=report.posted, post_method=PostMethod(report.post_method),
                   lines=[PostingLineView.of(line) for line in report.lines],
                   value_entry_count=report.value_entry_count,
                   skipped_entries=[SkippedEntry.of(check) for check in report.skipped],
                   warnings=[SkippedEntry.of(check) for check in report.warnings],
                   gl_register=GLRegister.of(report.register) if report.register else None)


@strawberry.type
class TestReportLine:
    value_entry: ValueEntry
    lines: list[PostingLineView]
    errors: list[UserError]


@strawberry.type
class InventoryCostPostingTestReport:
    lines: list[TestReportLine]
    error_count: int

    @classmethod
    def of(cls, report: TestReport) -> InventoryCostPostingTestReport:
        return cls(lines=[TestReportLine(value_entry=ValueEntry.of(check.value_entry),
                                         lines=[PostingLineView.of(line) for line in check.lines],
                                         errors=user_errors(check.errors))
                          for check in report.lines],
                   error_count=report.error_count)


PostInventoryCostToGLResult = Annotated[InventoryCostPostingReport | UserError,
                                        strawberry.union("PostInventoryCostToGLResult")]
InventoryCostPostingTestResult = Annotated[InventoryCostPostingTestReport | UserError,
                                           strawberry.union("InventoryCostPostingTestResult")]


def request(input: InventoryCostPostingInput | InventoryCostPostingTestInput) -> Request:
    return Request(post_method=input.post_method.value, document_no=input.document_no,
                   item_nos=input.item_nos, posting_date_to=input.posting_date_to)


@strawberry.type(description="How far a batch run (or preview) has got: value entries read "
                              "of those selected when it began.")
class InventoryCostPostingProgress:
    done: int
    total: int
    finished: bool


def progress_key(key: str | None) -> str | None:
    if key is not None and not 0 < len(key) <= 100:
        raise validation("progressKey must be 1 to 100 characters", "progressKey")
    return key


async def batch_report(info: Info, input: InventoryCostPostingInput,
                       post: bool) -> PostInventoryCostToGLResult:
    async def call() -> InventoryCostPostingReport:
        batch, key, runs = service(info).batch, progress_key(input.progress_key), info.context["runs"]
        asked = request(input)
        if key is None:
            return InventoryCostPostingReport.of(await in_thread(batch.run, asked, post))
        advance = runs.start(key, await in_thread(batch.count, asked))
        try:
            return InventoryCostPostingReport.of(await in_thread(batch.run, asked, post, advance))
        finally:
            runs.finish(key)
    return await as_result(info, Role.POSTER, call)


@strawberry.type
class BatchQuery:
    @strawberry.field(description="The batch job with Post cleared: what it would post, the "
                                  "same code path, nothing stored.")
    async def inventory_cost_posting_preview(
            self, info: Info, input: InventoryCostPostingInput) -> PostInventoryCostToGLResult:
        return await batch_report(info, input, post=False)

    @strawberry.field(description="How far the run started with this progressKey has got "
                                  "(null: no such run on this server lately). Poll it while "
                                  "postInventoryCostToGL or the preview runs.")
    async def inventory_cost_posting_progress(
            self, info: Info, progress_key: str) -> InventoryCostPostingProgress | None:
        service(info, Role.POSTER)
        found = info.context["runs"].get(progress_key)
        if found is None:
            return None
        return InventoryCostPostingProgress(done=found.done, total=found.total,
                                            finished=found.finished)

    @strawberry.field(description="Post Inventory Cost to G/L - Test: every error of a trial "
                                  "posting, nothing stored.")
    async def inventory_cost_posting_test(
            self, info: Info, input: InventoryCostPostingTestInput) -> InventoryCostPostingTestResult:
        async def call() -> InventoryCostPostingTestReport:
            report = await in_thread(service(info).batch.test, request(input),
                                     bool(input.show_only_warnings))
            return InventoryCostPostingTestReport.of(report)
        return await as_result(info, Role.POSTER, call)


@strawberry.type
class BatchMutation:
    @strawberry.mutation(name="postInventoryCostToGL",
                         description="The batch job Post Inventory Cost to G/L with Post set.")
    async def post_inventory_cost_to_gl(
            self, info: Info, input: InventoryCostPostingInput) -> PostInventoryCostToGLResult:
        return await batch_report(info, input, post=True)
