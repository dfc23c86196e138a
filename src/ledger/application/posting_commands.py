"""Inventory transactions: journal lines (and, in later slices, invoices, revaluations
and Adjust Cost), checked in the order of domain.md section 7, saved atomically."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ledger.aggregates.item import Item
from ledger.aggregates.numbering import Allocator
from ledger.application import validation as check
from ledger.application.rows import posting_result
from ledger.application.setup_commands import SetupCommands
from ledger.application.unit_of_work import Idempotency, UnitOfWork
from ledger.costing.journal import JournalLine, check_line_against_item, check_line_shape, post_line
from ledger.errors import not_found, validation
from ledger.posting.automatic import post_value_entries
from ledger.posting.checks import default_dimension_errors, dimension_value_errors, posting_date_error
from ledger.posting.setup import PostingSetup

Result = dict[str, Any]


class PostingCommands:
    def __init__(self, uow: UnitOfWork, setup: SetupCommands) -> None:
        self.uow = uow
        self.setup = setup

    def item(self, no: str, field: str = "itemNo") -> Item:
        item = self.uow.get(Item.create_id(no))
        if item is None:
            raise not_found(f"item {no} does not exist", field)
        return item

    def check_applies_to(self, item: Item, entry_no: int | None) -> None:
        """An unknown entry is NOT_FOUND; another item's entry a VALIDATION_ERROR."""
        if entry_no is None or str(entry_no) in item.entries:
            return
        with self.uow.views.db.read() as cursor:
            cursor.execute("SELECT item_no FROM ledger_ile WHERE entry_no = ?", (entry_no,))
            row = cursor.fetchone()
        if row is None:
            raise not_found(f"item ledger entry {entry_no} does not exist", "appliesToEntry")
        raise validation(f"item ledger entry {entry_no} is of item {row['item_no']}",
                         "appliesToEntry")

    def check_dimensions_and_date(self, item: Item, dimensions: dict[str, str],
                                  posting_date: str, setup: PostingSetup) -> None:
        errors = dimension_value_errors(dimensions, setup) \
            + default_dimension_errors("ITEM", item.no, dimensions, setup)
        if errors:
            raise errors[0]
        error = posting_date_error(posting_date, setup)
        if error:
            raise error

    def post_item_journal_line(self, line: JournalLine, idempotency_key: str | None) -> Result:
        idempotency = Idempotency("postItemJournalLine", idempotency_key, asdict(line))

        def work(numbers: Allocator) -> tuple[list[Any], Result]:
            check_line_shape(line)
            check.quantity(line.quantity)
            check.unit_amount(line.unit_cost, "unitCost")
            check.unit_amount(line.unit_price, "unitPrice")
            check.required(line.document_no, "documentNo")
            item = self.item(line.item_no)
            check_line_against_item(line, item)
            self.setup.require_location(line.location_code, "locationCode")
            if line.new_location_code:
                self.setup.require_location(line.new_location_code, "newLocationCode")
            self.check_applies_to(item, line.applies_to)
            setup = self.setup.posting_setup()
            self.check_dimensions_and_date(item, line.dimensions, line.posting_date, setup)
            changes = post_line(item, line, numbers)
            if setup.inventory_setup["automatic_cost_posting"]:
                changes.update(post_value_entries(changes["values"], setup, numbers, "ITEMJNL"))
            item.post_journal_line(changes=changes)
            own = [entry["entry_no"] for entry in changes["entries"]]
            return [item], posting_result(item, changes, own)

        return self.uow.run(work, idempotency)
