"""The contract's output types, built from the rows the service returns."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from ledger.api.context import in_thread, service
from ledger.api.enums import (AccountCategory, AutomaticCostAdjustment, CostingMethod,
                              DefaultDimensionTable, IncomeBalance, ItemLedgerEntryType,
                              ValueEntryType, ValuePosting)
from ledger.api.scalars import Date, DateTime

Row = dict[str, Any]


@strawberry.type
class Dimension:
    dimension_code: str
    dimension_value_code: str


def dimensions_of(mapping: dict[str, str]) -> list[Dimension]:
    return [Dimension(dimension_code=code, dimension_value_code=value)
            for code, value in sorted(mapping.items())]


@strawberry.type
class GLAccount:
    no: str
    name: str
    category: AccountCategory
    income_balance: IncomeBalance
    blocked: bool

    @classmethod
    def of(cls, row: Row) -> GLAccount:
        return cls(no=row["no"], name=row["name"], category=AccountCategory(row["category"]),
                   income_balance=IncomeBalance(row["income_balance"]), blocked=row["blocked"])

    async def totals(self, info: Info, at_date: Date | None,
                     as_of_position: int | None) -> tuple[Decimal, Decimal]:
        found = await in_thread(service(info).reads.account_totals, self.no, at_date, as_of_position)
        return found.get(self.no, (Decimal("0.00"), Decimal("0.00")))

    @strawberry.field(description="Sum of G/L entry amounts with posting date <= atDate (all "
                                  "when omitted), as known at event-store position asOfPosition "
                                  "(now when omitted).")
    async def balance(self, info: Info, at_date: Date | None = None,
                      as_of_position: int | None = None) -> Decimal:
        debit, credit = await self.totals(info, at_date, as_of_position)
        return debit - credit

    @strawberry.field
    async def debit_amount(self, info: Info, at_date: Date | None = None,
                           as_of_position: int | None = None) -> Decimal:
        return (await self.totals(info, at_date, as_of_position))[0]

    @strawberry.field
    async def credit_amount(self, info: Info, at_date: Date | None = None,
                            as_of_position: int | None = None) -> Decimal:
        return (await self.totals(info, at_date, as_of_position))[1]


@strawberry.type
class Location:
    code: str
    name: str | None

    @classmethod
    def of(cls, row: Row) -> Location:
        return cls(code=row["code"], name=row["name"])


@strawberry.type
class DimensionDef:
    code: str
    name: str | None
    values: list[str]
    blocked: bool
    blocked_values: list[str]

    @classmethod
    def of(cls, row: Row) -> DimensionDef:
        return cls(code=row["code"], name=row["name"], values=row["values"],
                   blocked=row["blocked"], blocked_values=row["blocked_values"])


@strawberry.type
class DefaultDimension:
    table: DefaultDimensionTable
    no: str
    dimension_code: str
    dimension_value_code: str | None
    value_posting: ValuePosting

    @classmethod
    def of(cls, row: Row) -> DefaultDimension:
        return cls(table=DefaultDimensionTable(row["table"]), no=row["no"],
                   dimension_code=row["dimension_code"],
                   dimension_value_code=row["dimension_value_code"],
                   value_posting=ValuePosting(row["value_posting"]))


@strawberry.type(description="One row per (genBusPostingGroup, genProdPostingGroup); "
                             "genBusPostingGroup may be blank.")
class GeneralPostingSetup:
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    cogs_account: str | None
    cogs_account_interim: str | None
    inventory_adjmt_account: str | None
    direct_cost_applied_account: str | None
    overhead_applied_account: str | None
    purchase_variance_account: str | None
    invt_accrual_account_interim: str | None
    blocked: bool

    @classmethod
    def of(cls, row: Row) -> GeneralPostingSetup:
        return cls(**row)


@strawberry.type(description="One row per (locationCode, invtPostingGroup); locationCode may "
                             "be blank.")
class InventoryPostingSetup:
    location_code: str
    invt_posting_group: str
    inventory_account: str | None
    inventory_account_interim: str | None

    @classmethod
    def of(cls, row: Row) -> InventoryPostingSetup:
        return cls(**row)


@strawberry.type
class InventorySetup:
    automatic_cost_posting: bool
    expected_cost_posting: bool
    automatic_cost_adjustment: AutomaticCostAdjustment

    @classmethod
    def of(cls, row: Row) -> InventorySetup:
        return cls(automatic_cost_posting=row["automatic_cost_posting"],
                   expected_cost_posting=row["expected_cost_posting"],
                   automatic_cost_adjustment=AutomaticCostAdjustment(
                       row["automatic_cost_adjustment"]))


@strawberry.type
class GLSetup:
    allow_posting_from: Date | None
    allow_posting_to: Date | None

    @classmethod
    def of(cls, row: Row) -> GLSetup:
        return cls(allow_posting_from=row["allow_posting_from"],
                   allow_posting_to=row["allow_posting_to"])


@strawberry.type
class InventoryBalance:
    quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal


@strawberry.type(name="Item")
class ItemCard:
    """The contract's Item, for the API; the write model's is ledger.aggregates.item.Item."""
    no: str
    description: str | None
    costing_method: CostingMethod
    invt_posting_group: str
    gen_prod_posting_group: str
    unit_cost: Decimal
    standard_cost: Decimal | None

    @classmethod
    def of(cls, row: Row) -> ItemCard:
        return cls(no=row["no"], description=row["description"],
                   costing_method=CostingMethod(row["costing_method"]),
                   invt_posting_group=row["invt_posting_group"],
                   gen_prod_posting_group=row["gen_prod_posting_group"],
                   unit_cost=row["unit_cost"], standard_cost=row["standard_cost"])

    @strawberry.field(description="Quantity and value on hand with posting date <= atDate, "
                                  "optionally at one location; as known at asOfPosition.")
    async def inventory(self, info: Info, at_date: Date | None = None,
                        location_code: str | None = None,
                        as_of_position: int | None = None) -> InventoryBalance:
        found = await in_thread(service(info).reads.inventory, self.no, at_date, location_code,
                                as_of_position)
        return InventoryBalance(quantity=found["quantity"], cost_amount_actual=found["cost_actual"],
                                cost_amount_expected=found["cost_expected"])


@strawberry.type
class GLEntry:
    entry_no: int
    transaction_no: int
    gl_account_no: str
    posting_date: Date
    document_no: str
    description: str
    amount: Decimal
    debit_amount: Decimal
    credit_amount: Decimal
    source_code: str
    dimensions: list[Dimension]
    value_entry_nos: list[int]

    @classmethod
    def of(cls, row: Row) -> GLEntry:
        amount = row["amount"]
        zero = Decimal("0.00")
        return cls(entry_no=row["entry_no"], transaction_no=row["transaction_no"],
                   gl_account_no=row["gl_account_no"], posting_date=row["posting_date"],
                   document_no=row["document_no"], description=row["description"],
                   amount=amount, debit_amount=max(amount, zero), credit_amount=max(-amount, zero),
                   source_code=row["source_code"], dimensions=dimensions_of(row["dimensions"]),
                   value_entry_nos=list(row["value_entry_nos"]))


@strawberry.type
class ValueEntry:
    entry_no: int
    item_ledger_entry_no: int
    item_ledger_entry_type: ItemLedgerEntryType
    entry_type: ValueEntryType
    item_no: str
    posting_date: Date
    document_no: str
    description: str | None
    location_code: str
    invt_posting_group: str
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    item_ledger_entry_quantity: Decimal
    invoiced_quantity: Decimal
    valued_quantity: Decimal
    cost_per_unit: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    sales_amount_actual: Decimal
    cost_posted_to_gl: Decimal = strawberry.field(name="costPostedToGL")
    expected_cost_posted_to_gl: Decimal = strawberry.field(name="expectedCostPostedToGL")
    expected_cost: bool
    adjustment: bool
    applies_to_entry: int | None
    dimensions: list[Dimension]

    @classmethod
    def of(cls, row: Row) -> ValueEntry:
        return cls(entry_no=row["entry_no"], item_ledger_entry_no=row["ile_no"],
                   item_ledger_entry_type=ItemLedgerEntryType(row["ile_type"]),
                   entry_type=ValueEntryType(row["entry_type"]), item_no=row["item_no"],
                   posting_date=row["posting_date"], document_no=row["document_no"],
                   description=row["description"], location_code=row["location_code"],
                   invt_posting_group=row["invt_posting_group"],
                   gen_bus_posting_group=row["gen_bus_posting_group"],
                   gen_prod_posting_group=row["gen_prod_posting_group"],
                   item_ledger_entry_quantity=row["ile_quantity"],
                   invoiced_quantity=row["invoiced_quantity"],
                   valued_quantity=row["valued_quantity"], cost_per_unit=row["cost_per_unit"],
                   cost_amount_actual=row["cost_actual"], cost_amount_expected=row["cost_expected"],
                   sales_amount_actual=row["sales_actual"], cost_posted_to_gl=row["posted_actual"],
                   expected_cost_posted_to_gl=row["posted_expected"],
                   expected_cost=row["expected_cost"], adjustment=row["adjustment"],
                   applies_to_entry=row["applies_to"], dimensions=dimensions_of(row["dimensions"]))

    @strawberry.field(description="G/L entries this value entry was posted in (G/L - Item "
                                  "Ledger Relation).")
    async def gl_entries(self, info: Info) -> list[GLEntry]:
        rows = await info.context["gl_entries_of"].load(self.entry_no)
        return [GLEntry.of(row) for row in rows]


@strawberry.type
class ItemLedgerEntry:
    entry_no: int
    entry_type: ItemLedgerEntryType
    item_no: str
    posting_date: Date
    document_no: str
    location_code: str
    quantity: Decimal
    remaining_quantity: Decimal
    invoiced_quantity: Decimal
    open: bool
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    sales_amount_actual: Decimal
    dimensions: list[Dimension]

    @classmethod
    def of(cls, row: Row) -> ItemLedgerEntry:
        return cls(entry_no=row["entry_no"], entry_type=ItemLedgerEntryType(row["entry_type"]),
                   item_no=row["item_no"], posting_date=row["posting_date"],
                   document_no=row["document_no"], location_code=row["location_code"],
                   quantity=row["quantity"], remaining_quantity=row["remaining_quantity"],
                   invoiced_quantity=row["invoiced_quantity"],
                   open=row["remaining_quantity"] > 0, cost_amount_actual=row["cost_actual"],
                   cost_amount_expected=row["cost_expected"],
                   sales_amount_actual=row["sales_actual"],
                   dimensions=dimensions_of(row["dimensions"]))

    @strawberry.field
    async def value_entries(self, info: Info) -> list[ValueEntry]:
        rows = await info.context["value_entries_of"].load(self.entry_no)
        return [ValueEntry.of(row) for row in rows]

    @strawberry.field(description="Which inbound entry fed which outbound entry, how much and "
                                  "at what cost (as adjusted so far): the entry's applications, "
                                  "as the outbound or as the inbound entry.")
    async def applications(self, info: Info) -> list[ItemApplication]:
        rows = await info.context["applications_of"].load(self.entry_no)
        return [ItemApplication(inbound_entry_no=row["inbound_no"], outbound_entry_no=row["outbound_no"],
                                quantity=row["quantity"], cost_amount=row["cost"]) for row in rows]


@strawberry.type
class ItemApplication:
    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal
    cost_amount: Decimal = strawberry.field(description="The cost the outbound took from the "
                                                        "inbound entry for this quantity.")


@strawberry.type
class PostingResult:
    item_ledger_entries: list[ItemLedgerEntry]
    value_entries: list[ValueEntry]
    gl_entries: list[GLEntry] = strawberry.field(
        description="G/L entries posted in the same atomic step (automatic cost posting), "
                    "else empty.")

    @classmethod
    def of(cls, result: Row) -> PostingResult:
        return cls(item_ledger_entries=[ItemLedgerEntry.of(r) for r in result["item_ledger_entries"]],
                   value_entries=[ValueEntry.of(r) for r in result["value_entries"]],
                   gl_entries=[GLEntry.of(r) for r in result["gl_entries"]])


@strawberry.type
class GLRegister:
    no: int
    from_entry_no: int
    to_entry_no: int
    source_code: str
    created_at: DateTime
    position: int | None = strawberry.field(
        description="The event-store position of the event that made the register: "
                    "asOfPosition from here on knows it (in glRegisters; null in the report of "
                    "the run that made it).")

    @classmethod
    def of(cls, row: Row) -> GLRegister:
        return cls(no=row["no"], from_entry_no=row["from_entry_no"],
                   to_entry_no=row["to_entry_no"], source_code=row["source_code"],
                   created_at=row["created_at"], position=row.get("position"))


@strawberry.type
class TrialBalanceLine:
    gl_account_no: str
    name: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@strawberry.type(description="Inventory value from value entries against the G/L inventory "
                             "accounts.")
class ReconciliationLine:
    location_code: str
    invt_posting_group: str
    inventory_account: str | None
    inventory_value: Decimal
    gl_balance: Decimal
    not_posted_to_gl: Decimal = strawberry.field(name="notPostedToGL")
    difference: Decimal


@strawberry.type
class StoredEvent:
    position: int
    aggregate_id: strawberry.ID
    aggregate_version: int
    topic: str
    timestamp: DateTime
    payload: JSON


@strawberry.type
class ProjectionCheck:
    consistent: bool
    events_replayed: int
    differences: list[str]
    up_to_position: int = strawberry.field(description=(
        "The event-store position the check covers: the live read models as of one "
        "snapshot, and the replay of every event up to that position."))
