"""Setup commands: every change is an event on a small setup aggregate."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ledger.aggregates.ids import aggregate_id
from ledger.aggregates.item import Item
from ledger.aggregates.setup import (GL_SETUP_DEFAULT, INVENTORY_SETUP_DEFAULT, SetupKind,
                                     SetupRecord, posting_setup_key)
from ledger.application import validation as check
from ledger.application.unit_of_work import UnitOfWork
from ledger.errors import ErrorCode, LedgerError, not_found, validation
from ledger.posting.setup import PostingSetup

State = dict[str, Any]
COSTING_METHODS = ("FIFO", "LIFO", "AVERAGE", "STANDARD", "SPECIFIC")
GENERAL_ACCOUNTS = ("cogs_account", "cogs_account_interim", "inventory_adjmt_account",
                    "direct_cost_applied_account", "overhead_applied_account",
                    "purchase_variance_account", "invt_accrual_account_interim")


class SetupCommands:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._cache: dict[tuple[str, str], State | None] = {}
        self._generation = -1

    # ---------------------------------------------------------------- records

    def load_record(self, kind: str, key: str) -> SetupRecord | None:
        return self.uow.get(aggregate_id(kind, key))

    def state(self, kind: str, key: str) -> State | None:
        """Setup as this process last caught up with it; any setup event seen by the read
        models (from any process) empties the cache."""
        if self._generation != self.uow.views.setup_generation:
            self._cache.clear()
            self._generation = self.uow.views.setup_generation
        if (kind, key) not in self._cache:
            record = self.load_record(kind, key)
            self._cache[(kind, key)] = record.state if record else None
        return self._cache[(kind, key)]

    def posting_setup(self) -> PostingSetup:
        """Setup as it stands when a command starts, loaded row by row as rules ask."""
        return PostingSetup(self.state)

    def define(self, kind: str, key: str, state: State, what: str) -> State:
        with self.uow.lock:
            if self.load_record(kind, key) is not None:
                raise LedgerError(ErrorCode.ALREADY_EXISTS, f"{what} already exists")
            self.uow.save(SetupRecord(kind=kind, key=key, state=state))
        return state

    def change(self, kind: str, key: str, update: Callable[[State], State], what: str) -> State:
        with self.uow.lock:
            record = self.load_record(kind, key)
            if record is None:
                raise not_found(f"{what} does not exist")
            state = update(dict(record.state))
            if state != record.state:
                record.change(state=state)
                self.uow.save(record)
        return state

    def put(self, kind: str, key: str, state: State) -> State:
        with self.uow.lock:
            record = self.load_record(kind, key)
            if record is None:
                record = SetupRecord(kind=kind, key=key, state=state)
            elif record.state != state:
                record.change(state=state)
            self.uow.save(record)
        return state

    def exists(self, kind: str, key: str) -> bool:
        return self.load_record(kind, key) is not None

    # ---------------------------------------------------------------- G/L accounts, locations

    def create_gl_account(self, no: str, name: str, category: str, income_balance: str,
                          blocked: bool | None) -> State:
        check.required(no, "no")
        state = {"no": no, "name": name, "category": category, "income_balance": income_balance,
                 "blocked": bool(blocked)}
        return self.define(SetupKind.GL_ACCOUNT, no, state, f"G/L account {no}")

    def update_gl_account(self, no: str, changes: dict[str, Any]) -> State:
        check.not_null(changes, "name", "blocked")
        return self.change(SetupKind.GL_ACCOUNT, no, lambda state: {**state, **changes},
                           f"G/L account {no}")

    def create_location(self, code: str, name: str | None) -> State:
        check.required(code, "code")
        return self.define(SetupKind.LOCATION, code, {"code": code, "name": name},
                           f"location {code}")

    def require_location(self, code: str, field: str) -> None:
        """A blank location is an ordinary code that always exists, as in BC."""
        if code and not self.exists(SetupKind.LOCATION, code):
            raise not_found(f"location {code} does not exist", field)

    # ---------------------------------------------------------------- dimensions

    def create_dimension(self, code: str, name: str | None, values: list[str]) -> State:
        check.required(code, "code")
        for value in values:
            check.required(value, "values")
        state = {"code": code, "name": name, "values": list(dict.fromkeys(values)),
                 "blocked": False, "blocked_values": []}
        return self.define(SetupKind.DIMENSION, code, state, f"dimension {code}")

    def update_dimension(self, code: str, changes: dict[str, Any]) -> State:
        check.not_null(changes, "values", "blocked", "blocked_values")

        def update(state: State) -> State:
            values = list(dict.fromkeys([*state["values"], *(changes.get("values") or [])]))
            blocked_values = changes.get("blocked_values", state["blocked_values"])
            unknown = [value for value in blocked_values if value not in values]
            if unknown:
                raise validation(f"dimension {code} has no value {unknown[0]}", "blockedValues")
            return {**state, **changes, "values": values,
                    "blocked_values": list(dict.fromkeys(blocked_values))}

        return self.change(SetupKind.DIMENSION, code, update, f"dimension {code}")

    def set_default_dimension(self, table: str, no: str, dimension_code: str,
                              dimension_value_code: str | None, value_posting: str) -> State:
        owner_kind = SetupKind.GL_ACCOUNT if table == "GL_ACCOUNT" else None
        owner_exists = (self.exists(owner_kind, no) if owner_kind
                        else self.uow.get(Item.create_id(no)) is not None)
        if not owner_exists:
            raise not_found(f"{'G/L account' if owner_kind else 'item'} {no} does not exist", "no")
        if value_posting == "SAME_CODE" and not dimension_value_code:
            raise validation("SAME_CODE needs a dimensionValueCode", "dimensionValueCode")
        dimension = self.state(SetupKind.DIMENSION, dimension_code)
        if dimension is None:
            raise LedgerError(ErrorCode.DIMENSION_ERROR, f"dimension {dimension_code} does not exist",
                              "dimensionCode")
        if dimension_value_code and dimension_value_code not in dimension["values"]:
            raise LedgerError(ErrorCode.DIMENSION_ERROR,
                              f"dimension {dimension_code} has no value {dimension_value_code}",
                              "dimensionValueCode")
        rule = {"table": table, "no": no, "dimension_code": dimension_code,
                "dimension_value_code": dimension_value_code, "value_posting": value_posting}
        key = posting_setup_key(table, no)
        current = self.state(SetupKind.DEFAULT_DIMENSIONS, key) or {"table": table, "no": no,
                                                                     "rules": {}}
        rules = {**current["rules"], dimension_code: rule}
        if value_posting == "NONE":
            rules.pop(dimension_code)
        self.put(SetupKind.DEFAULT_DIMENSIONS, key, {**current, "rules": rules})
        return rule

    # ---------------------------------------------------------------- posting setup

    def set_general_posting_setup(self, row: State) -> State:
        state = {"gen_bus_posting_group": row["gen_bus_posting_group"],
                 "gen_prod_posting_group": row["gen_prod_posting_group"],
                 **{field: row.get(field) or None for field in GENERAL_ACCOUNTS},
                 "blocked": bool(row.get("blocked"))}
        key = posting_setup_key(state["gen_bus_posting_group"], state["gen_prod_posting_group"])
        return self.put(SetupKind.GENERAL_POSTING_SETUP, key, state)

    def set_inventory_posting_setup(self, row: State) -> State:
        self.require_location(row["location_code"], "locationCode")
        state = {"location_code": row["location_code"],
                 "invt_posting_group": row["invt_posting_group"],
                 "inventory_account": row.get("inventory_account") or None,
                 "inventory_account_interim": row.get("inventory_account_interim") or None}
        key = posting_setup_key(state["location_code"], state["invt_posting_group"])
        return self.put(SetupKind.INVENTORY_POSTING_SETUP, key, state)

    # ---------------------------------------------------------------- inventory and G/L setup

    def update_inventory_setup(self, changes: dict[str, Any]) -> State:
        check.not_null(changes, *INVENTORY_SETUP_DEFAULT)
        with self.uow.lock:
            current = self.state(SetupKind.INVENTORY_SETUP, "") or dict(INVENTORY_SETUP_DEFAULT)
            if current["expected_cost_posting"] and changes.get("expected_cost_posting") is False \
                    and self.expected_cost_unposted():
                raise validation("expected cost posting cannot be switched off while expected "
                                 "cost is posted but not reversed", "expectedCostPosting")
            return self.put(SetupKind.INVENTORY_SETUP, "", {**current, **changes})

    def expected_cost_unposted(self) -> bool:
        self.uow.catch_up_if_behind()
        with self.uow.views.db.read() as cursor:
            cursor.execute("SELECT COUNT(*) AS n FROM ledger_ve WHERE posted_expected <> cost_expected")
            return cursor.fetchone()["n"] > 0

    def update_gl_setup(self, changes: dict[str, Any]) -> State:
        with self.uow.lock:
            current = self.state(SetupKind.GL_SETUP, "") or dict(GL_SETUP_DEFAULT)
            state = {**current, **changes}
            if state["allow_posting_from"] and state["allow_posting_to"] \
                    and state["allow_posting_from"] > state["allow_posting_to"]:
                raise validation("allowPostingFrom is after allowPostingTo", "allowPostingFrom")
            return self.put(SetupKind.GL_SETUP, "", state)

    # ---------------------------------------------------------------- items

    def create_item(self, no: str, description: str | None, costing_method: str,
                    invt_posting_group: str, gen_prod_posting_group: str,
                    unit_cost: Decimal | None, standard_cost: Decimal | None) -> State:
        check.required(no, "no")
        check.unit_amount(unit_cost, "unitCost")
        check.unit_amount(standard_cost, "standardCost")
        if costing_method == "STANDARD" and standard_cost is None:
            raise validation("a STANDARD item needs a standardCost", "standardCost")
        with self.uow.lock:
            if self.uow.get(Item.create_id(no)) is not None:
                raise LedgerError(ErrorCode.ALREADY_EXISTS, f"item {no} already exists")
            item = Item(no=no, description=description, costing_method=costing_method,
                        invt_posting_group=invt_posting_group,
                        gen_prod_posting_group=gen_prod_posting_group,
                        unit_cost=unit_cost if unit_cost is not None else Decimal(0),
                        standard_cost=standard_cost)
            self.uow.save(item)
            return item.master
