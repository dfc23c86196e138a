"""Entries, balances, the audit trail and the projection check."""
from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from ledger.api.connections import (GLEntryConnection, GLEntryEdge, ItemLedgerEntryConnection,
                                    ItemLedgerEntryEdge, StoredEventConnection, StoredEventEdge,
                                    ValueEntryConnection, ValueEntryEdge, after_number, connection)
from ledger.api.auth import Role
from ledger.api.context import in_thread, service
from ledger.api.inputs import GLEntryFilter, ItemLedgerEntryFilter, ValueEntryFilter
from ledger.api.scalars import Date
from ledger.api.types import (GLEntry, GLRegister, ItemLedgerEntry, ProjectionCheck,
                              ReconciliationLine, StoredEvent, TrialBalanceLine, ValueEntry)


async def entry_page(info: Info, conditions: dict[str, Any], first: int | None,
                     after: str | None, position: int | None = None) -> ItemLedgerEntryConnection:
    reads = service(info).reads
    page = await in_thread(reads.item_ledger_entry_list, conditions, first, after_number(after),
                           position)
    return connection(ItemLedgerEntryConnection, ItemLedgerEntryEdge, ItemLedgerEntry.of,
                      "entry_no", page, sums=lambda: in_thread(reads.item_ledger_entry_totals,
                                                               conditions, position))


@strawberry.type
class LedgerQuery:
    @strawberry.field
    async def item_ledger_entries(self, info: Info, item_no: str | None = None,
                                  first: int | None = 100,
                                  after: str | None = None) -> ItemLedgerEntryConnection:
        return await entry_page(info, {"item_no = ?": item_no}, first, after)

    @strawberry.field(description="Item ledger entries by any of the filter's fields, in entry "
                                  "number order (itemLedgerEntries filters by item only).")
    async def item_ledger_entry_list(self, info: Info, filter: ItemLedgerEntryFilter | None = None,
                                     first: int | None = 100,
                                     after: str | None = None) -> ItemLedgerEntryConnection:
        filter = filter or ItemLedgerEntryFilter()
        conditions = {"item_no = ?": filter.item_no, "location_code = ?": filter.location_code,
                      "document_no = ?": filter.document_no,
                      "posting_date >= ?": filter.posting_date_from,
                      "posting_date <= ?": filter.posting_date_to,
                      "remaining_quantity > ?": 0 if filter.open_only else None}
        return await entry_page(info, conditions, first, after, filter.as_of_position)

    @strawberry.field(description="An item's entries with quantity left (its open cost layers), "
                                  "oldest first; at most 1,000.")
    async def open_item_ledger_entries(self, info: Info, item_no: str) -> list[ItemLedgerEntry]:
        rows = await in_thread(service(info).reads.open_item_ledger_entries, item_no)
        return [ItemLedgerEntry.of(row) for row in rows]

    @strawberry.field(description="Value entries by their numbers (at most 1,000), in number order.")
    async def value_entries_by_no(self, info: Info, entry_nos: list[int]) -> list[ValueEntry]:
        rows = await in_thread(service(info).reads.value_entries_by_no, entry_nos)
        return [ValueEntry.of(row) for row in rows]

    @strawberry.field(description="The caller's role: viewer, poster or admin (admin when auth "
                                  "is off). The web app hides what the role may not do; the API "
                                  "refuses it anyway.")
    async def my_role(self, info: Info) -> str:
        service(info)  # a valid token, as for every query
        return Role(info.context["role"]).name.lower()

    @strawberry.field
    async def item_ledger_entry(self, info: Info, entry_no: int) -> ItemLedgerEntry | None:
        row = await in_thread(service(info).reads.item_ledger_entry, entry_no)
        return ItemLedgerEntry.of(row) if row else None

    @strawberry.field
    async def value_entries(self, info: Info, filter: ValueEntryFilter | None = None,
                            first: int | None = 100,
                            after: str | None = None) -> ValueEntryConnection:
        filter = filter or ValueEntryFilter()
        conditions = {"item_no = ?": filter.item_no, "posting_date >= ?": filter.posting_date_from,
                      "posting_date <= ?": filter.posting_date_to,
                      "location_code = ?": filter.location_code, "document_no = ?": filter.document_no}
        unposted = None if filter.posted_to_gl is None else not filter.posted_to_gl
        reads, position = service(info).reads, filter.as_of_position
        page = await in_thread(reads.value_entries, conditions, unposted, first,
                               after_number(after), position)
        return connection(ValueEntryConnection, ValueEntryEdge, ValueEntry.of, "entry_no", page,
                          sums=lambda: in_thread(reads.value_entry_totals, conditions, unposted,
                                                 position))

    @strawberry.field
    async def gl_entries(self, info: Info, filter: GLEntryFilter | None = None,
                         first: int | None = 100, after: str | None = None) -> GLEntryConnection:
        filter = filter or GLEntryFilter()
        conditions = {"gl_account_no = ?": filter.gl_account_no,
                      "document_no = ?": filter.document_no,
                      "posting_date >= ?": filter.posting_date_from,
                      "posting_date <= ?": filter.posting_date_to,
                      "position <= ?": filter.as_of_position}
        reads = service(info).reads
        page = await in_thread(reads.gl_entries, conditions, first, after_number(after))
        return connection(GLEntryConnection, GLEntryEdge, GLEntry.of, "entry_no", page,
                          sums=lambda: in_thread(reads.gl_entry_totals, conditions))

    @strawberry.field
    async def gl_registers(self, info: Info) -> list[GLRegister]:
        return [GLRegister.of(row) for row in await in_thread(service(info).reads.gl_registers)]

    @strawberry.field
    async def trial_balance(self, info: Info, at_date: Date | None = None,
                            as_of_position: int | None = None) -> list[TrialBalanceLine]:
        rows = await in_thread(service(info).reads.trial_balance, at_date, as_of_position)
        return [TrialBalanceLine(**row) for row in rows]

    @strawberry.field
    async def reconciliation(self, info: Info, at_date: Date | None = None,
                             as_of_position: int | None = None) -> list[ReconciliationLine]:
        rows = await in_thread(service(info).reads.reconciliation, at_date, as_of_position)
        return [ReconciliationLine(**row) for row in rows]

    @strawberry.field(description="The stored events, oldest first; optionally of one item or "
                                  "setup aggregate.")
    async def audit_trail(self, info: Info, aggregate_id: strawberry.ID | None = None,
                          item_no: str | None = None, first: int | None = 100,
                          after: str | None = None) -> StoredEventConnection:
        page = await in_thread(service(info).reads.audit_trail, aggregate_id, item_no, first,
                               after_number(after))
        return connection(StoredEventConnection, StoredEventEdge, lambda row: StoredEvent(**row),
                          "position", page)

    @strawberry.field(description="Rebuild every read model from the event store (in memory) "
                                  "and compare with the live ones, as of one consistent "
                                  "snapshot: postings go on meanwhile. Admin only.")
    async def verify_projections(self, info: Info) -> ProjectionCheck:
        check = await in_thread(service(info, Role.ADMIN).verify_projections)
        return ProjectionCheck(consistent=check.consistent, events_replayed=check.events_replayed,
                               differences=check.differences, up_to_position=check.up_to_position)

