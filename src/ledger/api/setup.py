"""Setup: queries and mutations for accounts, locations, dimensions, posting setup, items."""
from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from ledger.aggregates.setup import SetupKind
from ledger.api.auth import Role
from ledger.api.context import in_thread, service
from ledger.api.errors import UserError, as_result
from ledger.api.inputs import (CreateDimensionInput, CreateGLAccountInput, CreateItemInput,
                               CreateLocationInput, SetDefaultDimensionInput,
                               SetGeneralPostingSetupInput, SetInventoryPostingSetupInput,
                               UpdateDimensionInput, UpdateGLAccountInput, UpdateGLSetupInput,
                               UpdateInventorySetupInput, enum_value, given)
from ledger.api.types import (DefaultDimension, DimensionDef, GeneralPostingSetup, GLAccount,
                              GLSetup, InventoryPostingSetup, InventorySetup, ItemCard, Location)
from ledger.application.setup_commands import GENERAL_ACCOUNTS


def union(name: str, success: type) -> type:
    return Annotated[success | UserError, strawberry.union(name)]


GLAccountResult = union("GLAccountResult", GLAccount)
LocationResult = union("LocationResult", Location)
DimensionResult = union("DimensionResult", DimensionDef)
DefaultDimensionResult = union("DefaultDimensionResult", DefaultDimension)
GeneralPostingSetupResult = union("GeneralPostingSetupResult", GeneralPostingSetup)
InventoryPostingSetupResult = union("InventoryPostingSetupResult", InventoryPostingSetup)
InventorySetupResult = union("InventorySetupResult", InventorySetup)
GLSetupResult = union("GLSetupResult", GLSetup)
ItemResult = union("ItemResult", ItemCard)


@strawberry.type
class SetupQuery:
    @strawberry.field
    async def inventory_setup(self, info: Info) -> InventorySetup:
        return InventorySetup.of(await in_thread(service(info).reads.inventory_setup))

    @strawberry.field(name="glSetup")
    async def gl_setup(self, info: Info) -> GLSetup:
        return GLSetup.of(await in_thread(service(info).reads.gl_setup))

    @strawberry.field(name="glAccounts")
    async def gl_accounts(self, info: Info) -> list[GLAccount]:
        rows = await in_thread(service(info).reads.setup_rows, SetupKind.GL_ACCOUNT)
        return [GLAccount.of(row) for row in rows]

    @strawberry.field(name="glAccount")
    async def gl_account(self, info: Info, no: str) -> GLAccount | None:
        row = await in_thread(service(info).reads.setup_row, SetupKind.GL_ACCOUNT, no)
        return GLAccount.of(row) if row else None

    @strawberry.field
    async def items(self, info: Info) -> list[ItemCard]:
        return [ItemCard.of(row) for row in await in_thread(service(info).reads.items)]

    @strawberry.field
    async def item(self, info: Info, no: str) -> ItemCard | None:
        row = await in_thread(service(info).reads.item, no)
        return ItemCard.of(row) if row else None

    @strawberry.field
    async def locations(self, info: Info) -> list[Location]:
        rows = await in_thread(service(info).reads.setup_rows, SetupKind.LOCATION)
        return [Location.of(row) for row in rows]

    @strawberry.field
    async def dimensions(self, info: Info) -> list[DimensionDef]:
        rows = await in_thread(service(info).reads.setup_rows, SetupKind.DIMENSION)
        return [DimensionDef.of(row) for row in rows]

    @strawberry.field
    async def default_dimensions(self, info: Info) -> list[DefaultDimension]:
        return [DefaultDimension.of(row)
                for row in await in_thread(service(info).reads.default_dimensions)]

    @strawberry.field
    async def general_posting_setup(self, info: Info) -> list[GeneralPostingSetup]:
        rows = await in_thread(service(info).reads.setup_rows, SetupKind.GENERAL_POSTING_SETUP)
        return [GeneralPostingSetup.of(row) for row in rows]

    @strawberry.field
    async def inventory_posting_setup(self, info: Info) -> list[InventoryPostingSetup]:
        rows = await in_thread(service(info).reads.setup_rows, SetupKind.INVENTORY_POSTING_SETUP)
        return [InventoryPostingSetup.of(row) for row in rows]


@strawberry.type
class SetupMutation:
    @strawberry.mutation(name="createGLAccount")
    async def create_gl_account(self, info: Info, input: CreateGLAccountInput) -> GLAccountResult:
        async def call() -> GLAccount:
            row = await in_thread(service(info).setup.create_gl_account, input.no, input.name,
                                  input.category.value, input.income_balance.value, input.blocked)
            return GLAccount.of(row)
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation(name="updateGLAccount")
    async def update_gl_account(self, info: Info, input: UpdateGLAccountInput) -> GLAccountResult:
        async def call() -> GLAccount:
            changes = given(input, name="name", blocked="blocked")
            return GLAccount.of(await in_thread(service(info).setup.update_gl_account, input.no,
                                                changes))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def create_location(self, info: Info, input: CreateLocationInput) -> LocationResult:
        async def call() -> Location:
            return Location.of(await in_thread(service(info).setup.create_location, input.code,
                                               input.name))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def create_dimension(self, info: Info, input: CreateDimensionInput) -> DimensionResult:
        async def call() -> DimensionDef:
            return DimensionDef.of(await in_thread(service(info).setup.create_dimension,
                                                   input.code, input.name, input.values))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def update_dimension(self, info: Info, input: UpdateDimensionInput) -> DimensionResult:
        async def call() -> DimensionDef:
            changes = given(input, name="name", values="values", blocked="blocked",
                            blocked_values="blocked_values")
            return DimensionDef.of(await in_thread(service(info).setup.update_dimension,
                                                   input.code, changes))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def set_default_dimension(self, info: Info,
                                    input: SetDefaultDimensionInput) -> DefaultDimensionResult:
        async def call() -> DefaultDimension:
            row = await in_thread(service(info).setup.set_default_dimension, input.table.value,
                                  input.no, input.dimension_code, input.dimension_value_code,
                                  input.value_posting.value)
            return DefaultDimension.of(row)
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def set_general_posting_setup(
            self, info: Info, input: SetGeneralPostingSetupInput) -> GeneralPostingSetupResult:
        async def call() -> GeneralPostingSetup:
            row = {"gen_bus_posting_group": input.gen_bus_posting_group,
                   "gen_prod_posting_group": input.gen_prod_posting_group,
                   "blocked": input.blocked,
                   **{field: getattr(input, field) for field in GENERAL_ACCOUNTS}}
            return GeneralPostingSetup.of(
                await in_thread(service(info).setup.set_general_posting_setup, row))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def set_inventory_posting_setup(
            self, info: Info, input: SetInventoryPostingSetupInput) -> InventoryPostingSetupResult:
        async def call() -> InventoryPostingSetup:
            row = {"location_code": input.location_code,
                   "invt_posting_group": input.invt_posting_group,
                   "inventory_account": input.inventory_account,
                   "inventory_account_interim": input.inventory_account_interim}
            return InventoryPostingSetup.of(
                await in_thread(service(info).setup.set_inventory_posting_setup, row))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def update_inventory_setup(self, info: Info,
                                     input: UpdateInventorySetupInput) -> InventorySetupResult:
        async def call() -> InventorySetup:
            changes = {key: enum_value(value) for key, value in given(
                input, automatic_cost_posting="automatic_cost_posting",
                expected_cost_posting="expected_cost_posting",
                automatic_cost_adjustment="automatic_cost_adjustment").items()}
            return InventorySetup.of(await in_thread(service(info).setup.update_inventory_setup,
                                                     changes))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation(name="updateGLSetup")
    async def update_gl_setup(self, info: Info, input: UpdateGLSetupInput) -> GLSetupResult:
        async def call() -> GLSetup:
            changes = given(input, allow_posting_from="allow_posting_from",
                            allow_posting_to="allow_posting_to")
            return GLSetup.of(await in_thread(service(info).setup.update_gl_setup, changes))
        return await as_result(info, Role.ADMIN, call)

    @strawberry.mutation
    async def create_item(self, info: Info, input: CreateItemInput) -> ItemResult:
        async def call() -> ItemCard:
            row = await in_thread(service(info).setup.create_item, input.no, input.description,
                                  input.costing_method.value, input.invt_posting_group,
                                  input.gen_prod_posting_group, input.unit_cost,
                                  input.standard_cost)
            return ItemCard.of(row)
        return await as_result(info, Role.ADMIN, call)
