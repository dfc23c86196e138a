"""Posting per entry: each value entry posts its own lines, with its own date, document
no. and dimensions, a page of entries a chunk."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.aggregates.item import Item
from ledger.amounts import ZERO
from ledger.application.batch_job.chunks import Run, cost_posted, moved_on, save_chunk
from ledger.application.batch_job.reports import Progress, Report
from ledger.application.batch_job.selection import Selection
from ledger.application.unit_of_work import UnitOfWork
from ledger.posting.accounts import AccountType
from ledger.posting.lines import PostingLine
from ledger.posting.setup import PostingSetup
from ledger.projections import queries

INVENTORY_SIDE = (AccountType.INVENTORY, AccountType.INVENTORY_INTERIM)


def post_per_entry(uow: UnitOfWork, selection: Selection, run: Run, report: Report,
                   setup: PostingSetup, document_no: str | None, post: bool,
                   progress: Progress | None) -> None:
    for checks in selection.checks(run.request, setup, document_no):
        postable = [check for check in checks if not check.skipped]
        lines = [line for check in postable for line in check.lines]
        report.note_all(checks, progress)
        report.add_lines(lines)
        if post and lines:
            save_chunk(uow, run, lines, ItemsPosted(uow, lines, setup.expected_cost_posting))


class ItemsPosted:
    """What a chunk of per-entry lines saves beside its G/L entries: each touched item's
    "cost posted" event, appended at its next version without loading the item. The read
    model gives the versions and the value entries as they stand; if their unposted total
    is no longer what the lines post, another run posted some of them meanwhile:
    CONFLICT, nothing saved."""

    def __init__(self, uow: UnitOfWork, lines: list[PostingLine], expected_posting: bool) -> None:
        self.uow, self.lines, self.expected_posting = uow, lines, expected_posting

    def __call__(self, saved: Run, entries: list[dict[str, Any]]) -> list[Any]:
        entry_nos = sorted({no for line in self.lines for no in line.value_entry_nos})
        with self.uow.views.db.read() as cursor:
            by_item, unposted = queries.unposted_by_item(cursor, entry_nos, self.expected_posting)
            versions = queries.item_versions(cursor, sorted(by_item))
        if sum(map(len, by_item.values())) != len(entry_nos) \
                or unposted != inventory_side_total(self.lines):
            raise moved_on()
        self.uow.evict([Item.create_id(no) for no in by_item])
        return [cost_posted(no, versions[no] + 1, posted, self.expected_posting)
                for no, posted in by_item.items()]


def inventory_side_total(lines: list[PostingLine]) -> Decimal:
    return sum((line.amount for line in lines if line.account_type in INVENTORY_SIDE), ZERO)
