"""Inventory transactions: journal lines and what follows from them."""
from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from ledger.api.context import in_thread, service
from ledger.api.errors import UserError, as_result
from ledger.api.inputs import PostItemJournalLineInput
from ledger.api.types import PostingResult
from ledger.costing.journal import JournalLine

PostItemJournalLineResult = Annotated[PostingResult | UserError,
                                      strawberry.union("PostItemJournalLineResult")]


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


@strawberry.type
class InventoryMutation:
    @strawberry.mutation
    async def post_item_journal_line(self, info: Info,
                                     input: PostItemJournalLineInput) -> PostItemJournalLineResult:
        async def call() -> PostingResult:
            result = await in_thread(service(info).postings.post_item_journal_line,
                                     journal_line(input), input.idempotency_key)
            return PostingResult.of(result)
        return await as_result(call)
