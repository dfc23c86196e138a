"""Inventory transactions: journal lines and what follows from them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from ledger.api.auth import Role
from ledger.api.context import in_thread, service
from ledger.api.errors import UserError, as_result
from ledger.api.inputs import (AdjustCostItemEntriesInput, InvoiceItemLedgerEntryInput,
                               PostItemJournalLineInput, RevalueItemLedgerEntryInput)
from ledger.api.types import GLEntry, PostingResult, ValueEntry
from ledger.application.posting_commands import PostingCommands
from ledger.costing.journal import JournalLine

PostItemJournalLineResult = Annotated[PostingResult | UserError,
                                      strawberry.union("PostItemJournalLineResult")]
InvoiceItemLedgerEntryResult = Annotated[PostingResult | UserError,
                                         strawberry.union("InvoiceItemLedgerEntryResult")]
RevalueItemLedgerEntryResult = Annotated[PostingResult | UserError,
                                         strawberry.union("RevalueItemLedgerEntryResult")]


@strawberry.type
class AdjustCostResult:
    adjusted_item_nos: list[str]
    value_entries: list[ValueEntry] = strawberry.field(
        description="New value entries (adjustment = true); posted to G/L at once when "
                    "automatic cost posting is on.")
    gl_entries: list[GLEntry]


AdjustCostItemEntriesResult = Annotated[AdjustCostResult | UserError,
                                        strawberry.union("AdjustCostItemEntriesResult")]


def journal_line(input: PostItemJournalLineInput) -> JournalLine:
    return JournalLine(
        entry_type=input.entry_type.value, posting_date=input.posting_date,
        document_no=input.document_no, item_no=input.item_no, location_code=input.location_code,
        quantity=input.quantity, new_location_code=input.new_location_code,
        unit_cost=input.unit_cost, unit_price=input.unit_price,
        invoice=True if input.invoice is None else input.invoice,
        gen_bus_posting_group=input.gen_bus_posting_group or "",
        applies_to=input.applies_to_entry,
        dimensions={d.dimension_code: d.dimension_value_code for d in input.dimensions or []})


async def posting(info: Info, action: Callable[[PostingCommands], dict[str, Any]]
                  ) -> PostingResult | UserError:
    """A posting mutation: the command in a worker thread, its result a PostingResult."""
    async def call() -> PostingResult:
        return PostingResult.of(await in_thread(action, service(info).postings))
    return await as_result(info, Role.POSTER, call)


@strawberry.type
class InventoryMutation:
    @strawberry.mutation
    async def post_item_journal_line(self, info: Info,
                                     input: PostItemJournalLineInput) -> PostItemJournalLineResult:
        return await posting(info, lambda postings: postings.post_item_journal_line(
            journal_line(input), input.idempotency_key))

    @strawberry.mutation
    async def invoice_item_ledger_entry(
            self, info: Info, input: InvoiceItemLedgerEntryInput) -> InvoiceItemLedgerEntryResult:
        return await posting(info, lambda postings: postings.invoice_item_ledger_entry(
            input.item_ledger_entry_no, input.posting_date, input.document_no, input.quantity,
            input.unit_cost, input.unit_price, input.idempotency_key))

    @strawberry.mutation
    async def revalue_item_ledger_entry(
            self, info: Info, input: RevalueItemLedgerEntryInput) -> RevalueItemLedgerEntryResult:
        return await posting(info, lambda postings: postings.revalue_item_ledger_entry(
            input.item_ledger_entry_no, input.posting_date, input.document_no,
            input.new_unit_cost, input.idempotency_key))

    @strawberry.mutation
    async def adjust_cost_item_entries(
            self, info: Info, input: AdjustCostItemEntriesInput) -> AdjustCostItemEntriesResult:
        async def call() -> AdjustCostResult:
            result = await in_thread(service(info).postings.adjust_cost_item_entries,
                                     input.item_nos)
            return AdjustCostResult(adjusted_item_nos=result["adjusted_item_nos"],
                                    value_entries=[ValueEntry.of(r) for r in result["value_entries"]],
                                    gl_entries=[GLEntry.of(r) for r in result["gl_entries"]])
        return await as_result(info, Role.POSTER, call)
