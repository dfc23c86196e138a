"""The contract's input types. Omitted fields of update inputs are UNSET, so an
explicit null can clear a field while an omitted one keeps its value."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from ledger.api.enums import (AccountCategory, AutomaticCostAdjustment, CostingMethod,
                              DefaultDimensionTable, IncomeBalance, ItemLedgerEntryType, PostMethod,
                              ValuePosting)
from ledger.api.scalars import Date


def given(source: Any, **fields: str) -> dict[str, Any]:
    """{domain name: value} of the fields the request gave (null included)."""
    return {domain: getattr(source, name) for domain, name in fields.items()
            if getattr(source, name) is not strawberry.UNSET}


def enum_value(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


@strawberry.input
class DimensionInput:
    dimension_code: str
    dimension_value_code: str


@strawberry.input
class CreateGLAccountInput:
    no: str
    name: str
    category: AccountCategory
    income_balance: IncomeBalance
    blocked: bool | None = False


@strawberry.input
class UpdateGLAccountInput:
    no: str
    name: str | None = strawberry.UNSET
    blocked: bool | None = strawberry.UNSET


@strawberry.input
class CreateLocationInput:
    code: str
    name: str | None = None


@strawberry.input
class CreateDimensionInput:
    code: str
    values: list[str]
    name: str | None = None


@strawberry.input(description="Values are added, never removed; blockedValues replaces the "
                              "list of blocked values.")
class UpdateDimensionInput:
    code: str
    name: str | None = strawberry.UNSET
    values: list[str] | None = strawberry.UNSET
    blocked: bool | None = strawberry.UNSET
    blocked_values: list[str] | None = strawberry.UNSET


@strawberry.input
class SetDefaultDimensionInput:
    table: DefaultDimensionTable
    no: str
    dimension_code: str
    value_posting: ValuePosting
    dimension_value_code: str | None = None


@strawberry.input(description="One row per (genBusPostingGroup, genProdPostingGroup); "
                              "genBusPostingGroup may be blank.")
class SetGeneralPostingSetupInput:
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    cogs_account: str | None = None
    cogs_account_interim: str | None = None
    inventory_adjmt_account: str | None = None
    direct_cost_applied_account: str | None = None
    overhead_applied_account: str | None = None
    purchase_variance_account: str | None = None
    invt_accrual_account_interim: str | None = None
    blocked: bool | None = False


@strawberry.input(description="One row per (locationCode, invtPostingGroup); locationCode may "
                              "be blank.")
class SetInventoryPostingSetupInput:
    location_code: str
    invt_posting_group: str
    inventory_account: str | None = None
    inventory_account_interim: str | None = None


@strawberry.input
class UpdateInventorySetupInput:
    automatic_cost_posting: bool | None = strawberry.UNSET
    expected_cost_posting: bool | None = strawberry.UNSET
    automatic_cost_adjustment: AutomaticCostAdjustment | None = strawberry.UNSET


@strawberry.input
class UpdateGLSetupInput:
    allow_posting_from: Date | None = strawberry.UNSET
    allow_posting_to: Date | None = strawberry.UNSET


@strawberry.input
class CreateItemInput:
    no: str
    costing_method: CostingMethod
    invt_posting_group: str
    gen_prod_posting_group: str
    description: str | None = None
    unit_cost: Decimal | None = None
    standard_cost: Decimal | None = None


@strawberry.input(description="One item journal line. PURCHASE and POSITIVE_ADJMT are inbound, "
                              "SALE and NEGATIVE_ADJMT outbound, TRANSFER moves quantity from "
                              "locationCode to newLocationCode at cost.")
class PostItemJournalLineInput:
    entry_type: ItemLedgerEntryType
    posting_date: Date
    document_no: str
    item_no: str
    location_code: str
    quantity: Decimal
    new_location_code: str | None = None
    unit_cost: Decimal | None = None
    unit_price: Decimal | None = None
    invoice: bool | None = True
    gen_bus_posting_group: str | None = ""
    applies_to_entry: int | None = None
    dimensions: list[DimensionInput] | None = strawberry.field(default_factory=list)
    idempotency_key: str | None = strawberry.field(
        default=None, description="Same key again returns the first result and stores nothing new.")


@strawberry.input
class InvoiceItemLedgerEntryInput:
    item_ledger_entry_no: int
    posting_date: Date
    document_no: str
    quantity: Decimal
    unit_cost: Decimal | None = None
    unit_price: Decimal | None = None
    idempotency_key: str | None = None


@strawberry.input
class RevalueItemLedgerEntryInput:
    item_ledger_entry_no: int
    posting_date: Date
    document_no: str
    new_unit_cost: Decimal
    idempotency_key: str | None = None


@strawberry.input
class AdjustCostItemEntriesInput:
    item_nos: list[str] | None = None


@strawberry.input
class InventoryCostPostingInput:
    post_method: PostMethod
    document_no: str | None = None
    item_nos: list[str] | None = None
    posting_date_to: Date | None = None
    progress_key: str | None = strawberry.field(
        default=None, description="A key of the caller's choosing (1 to 100 characters): "
                                  "inventoryCostPostingProgress(progressKey) then tells how "
                                  "far the run has got, on the server that runs it.")


@strawberry.input
class InventoryCostPostingTestInput:
    post_method: PostMethod
    document_no: str | None = None
    item_nos: list[str] | None = None
    posting_date_to: Date | None = None
    show_only_warnings: bool | None = False


@strawberry.input
class ValueEntryFilter:
    item_no: str | None = None
    posted_to_gl: bool | None = strawberry.field(default=None, name="postedToGL")
    posting_date_from: Date | None = None
    posting_date_to: Date | None = None
    location_code: str | None = None
    document_no: str | None = None
    as_of_position: int | None = strawberry.field(
        default=None, description="The value entries as known at this event-store position: "
                                  "those made by then, their amounts posted to the G/L by then "
                                  "(postedToGL too).")


@strawberry.input
class ItemLedgerEntryFilter:
    item_no: str | None = None
    location_code: str | None = None
    document_no: str | None = None
    posting_date_from: Date | None = None
    posting_date_to: Date | None = None
    open_only: bool = strawberry.field(default=False, description="Only entries with quantity left.")
    as_of_position: int | None = strawberry.field(
        default=None, description="The entries as known at this event-store position: those "
                                  "made by then, with the quantity left, invoiced quantity and "
                                  "amounts they had then (openOnly too).")


@strawberry.input
class GLEntryFilter:
    gl_account_no: str | None = None
    document_no: str | None = None
    posting_date_from: Date | None = None
    posting_date_to: Date | None = None
    as_of_position: int | None = strawberry.field(
        default=None, description="Only the G/L entries known at this event-store position "
                                  "(G/L entries never change once posted).")
