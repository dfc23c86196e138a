"""Relay connections ordered by entry number (audit trail: by position); the cursor is
that number as text, so a page after it is a simple keyset query."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import strawberry

from ledger.api.types import GLEntry, ItemLedgerEntry, StoredEvent, ValueEntry
from ledger.errors import validation


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ItemLedgerEntryEdge:
    cursor: str
    node: ItemLedgerEntry


Sums = Callable[[], Awaitable[dict[str, Decimal]]]
TOTALS = "Totals over every entry the filter selects, not only this page (summed only when asked)."


@strawberry.type(description=TOTALS)
class ItemLedgerEntryTotals:
    quantity: Decimal
    remaining_quantity: Decimal
    invoiced_quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    sales_amount_actual: Decimal


@strawberry.type(description=TOTALS)
class ValueEntryTotals:
    valued_quantity: Decimal
    invoiced_quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    sales_amount_actual: Decimal
    cost_posted_to_gl: Decimal = strawberry.field(name="costPostedToGL")
    expected_cost_posted_to_gl: Decimal = strawberry.field(name="expectedCostPostedToGL")


@strawberry.type(description=TOTALS)
class GLEntryTotals:
    debit_amount: Decimal
    credit_amount: Decimal
    balance: Decimal


@strawberry.type
class ItemLedgerEntryConnection:
    edges: list[ItemLedgerEntryEdge]
    page_info: PageInfo
    total_count: int
    sums: strawberry.Private[Sums]

    @strawberry.field(description=TOTALS)
    async def totals(self) -> ItemLedgerEntryTotals:
        found = await self.sums()
        return ItemLedgerEntryTotals(
            quantity=found["quantity"], remaining_quantity=found["remaining_quantity"],
            invoiced_quantity=found["invoiced_quantity"], cost_amount_actual=found["cost_actual"],
            cost_amount_expected=found["cost_expected"], sales_amount_actual=found["sales_actual"])


@strawberry.type
class ValueEntryEdge:
    cursor: str
    node: ValueEntry


@strawberry.type
class ValueEntryConnection:
    edges: list[ValueEntryEdge]
    page_info: PageInfo
    total_count: int
    sums: strawberry.Private[Sums]

    @strawberry.field(description=TOTALS)
    async def totals(self) -> ValueEntryTotals:
        found = await self.sums()
        return ValueEntryTotals(
            valued_quantity=found["valued_quantity"], invoiced_quantity=found["invoiced_quantity"],
            cost_amount_actual=found["cost_actual"], cost_amount_expected=found["cost_expected"],
            sales_amount_actual=found["sales_actual"], cost_posted_to_gl=found["posted_actual"],
            expected_cost_posted_to_gl=found["posted_expected"])


@strawberry.type
class GLEntryEdge:
    cursor: str
    node: GLEntry


@strawberry.type
class GLEntryConnection:
    edges: list[GLEntryEdge]
    page_info: PageInfo
    total_count: int
    sums: strawberry.Private[Sums]

    @strawberry.field(description=TOTALS)
    async def totals(self) -> GLEntryTotals:
        found = await self.sums()
        return GLEntryTotals(debit_amount=found["debit"], credit_amount=found["credit"],
                             balance=found["debit"] - found["credit"])


@strawberry.type
class StoredEventEdge:
    cursor: str
    node: StoredEvent


@strawberry.type
class StoredEventConnection:
    edges: list[StoredEventEdge]
    page_info: PageInfo
    total_count: int


def after_number(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit():
        raise validation("after must be a cursor this API returned", "after")
    return int(after)


def connection(kind: type, edge: type, node: Callable[[dict[str, Any]], Any], key: str,
               page: tuple[list[dict[str, Any]], int, bool], **more: Any) -> Any:
    rows, total, more_rows = page
    edges = [edge(cursor=str(row[key]), node=node(row)) for row in rows]
    return kind(edges=edges, total_count=total, **more,
                page_info=PageInfo(has_next_page=more_rows,
                                   end_cursor=edges[-1].cursor if edges else None))
