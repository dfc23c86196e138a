"""Relay connections ordered by entry number (audit trail: by position); the cursor is
that number as text, so a page after it is a simple keyset query."""
from __future__ import annotations

from collections.abc import Callable
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


@strawberry.type
class ItemLedgerEntryConnection:
    edges: list[ItemLedgerEntryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class ValueEntryEdge:
    cursor: str
    node: ValueEntry


@strawberry.type
class ValueEntryConnection:
    edges: list[ValueEntryEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class GLEntryEdge:
    cursor: str
    node: GLEntry


@strawberry.type
class GLEntryConnection:
    edges: list[GLEntryEdge]
    page_info: PageInfo
    total_count: int


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
               page: tuple[list[dict[str, Any]], int, bool]) -> Any:
    rows, total, more = page
    edges = [edge(cursor=str(row[key]), node=node(row)) for row in rows]
    return kind(edges=edges, total_count=total,
                page_info=PageInfo(has_next_page=more,
                                   end_cursor=edges[-1].cursor if edges else None))
