"""Queries: the read models, caught up with the event store before each answer."""
from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.aggregates.item import Item
from ledger.aggregates.setup import GL_SETUP_DEFAULT, INVENTORY_SETUP_DEFAULT, SetupKind
from ledger.application.store import events_table, payload
from ledger.application.unit_of_work import UnitOfWork
from ledger.errors import validation
from ledger.projections import known_at, queries, totals

MAX_PAGE = 1000


def page_size(first: int | None) -> int:
    """`first` above 1000 is 1000; a negative one is none."""
    return max(0, min(MAX_PAGE, 100 if first is None else first))


class Reads:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def fresh(self) -> None:
        """Catch up when another process wrote since; cheap when nothing is new."""
        self.uow.catch_up_if_behind()

    def last_entry_no(self, table: str) -> int:
        with self.cursor() as cursor:
            cursor.execute(f"SELECT MAX(entry_no) AS n FROM {table}")
            return cursor.fetchone()["n"] or 0

    def cursor(self) -> Any:
        return self.uow.views.db.read()

    def run(self, query: Any, *args: Any) -> Any:
        with self.cursor() as cursor:
            return query(cursor, *args)

    # ---------------------------------------------------------------- setup

    def setup_rows(self, kind: str) -> list[dict[str, Any]]:
        return self.run(queries.setup_rows, kind)

    def setup_row(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.run(queries.setup_row, kind, key)

    def inventory_setup(self) -> dict[str, Any]:
        return self.setup_row(SetupKind.INVENTORY_SETUP, "") or dict(INVENTORY_SETUP_DEFAULT)

    def gl_setup(self) -> dict[str, Any]:
        return self.setup_row(SetupKind.GL_SETUP, "") or dict(GL_SETUP_DEFAULT)

    def default_dimensions(self) -> list[dict[str, Any]]:
        return [rule for row in self.setup_rows(SetupKind.DEFAULT_DIMENSIONS)
                for _, rule in sorted(row["rules"].items())]

    def items(self) -> list[dict[str, Any]]:
        return self.run(queries.items)

    def item(self, no: str) -> dict[str, Any] | None:
        return self.run(queries.item, no)

    # ---------------------------------------------------------------- entries

    def item_ledger_entries(self, item_no: str | None, first: int | None,
                            after: int | None) -> tuple[list[dict[str, Any]], int, bool]:
        """An item's entries (or all), a page after `after`: (rows, total, more)."""
        return self.item_ledger_entry_list({"item_no = ?": item_no}, first, after)

    def item_ledger_entry_list(self, conditions: dict[str, Any], first: int | None,
                               after: int | None, position: int | None = None
                               ) -> tuple[list[dict[str, Any]], int, bool]:
        """A page of the entries the conditions select (as known at `position`)."""
        size = page_size(first)
        with self.cursor() as cursor:
            rows = queries.item_ledger_entries(cursor, conditions, size + 1, after, position)
            total = queries.count(cursor, known_at.item_ledger_entries(position),
                                  *queries.filters(conditions))
        return rows[:size], total, len(rows) > size

    def item_ledger_entry_totals(self, conditions: dict[str, Any],
                                 position: int | None) -> dict[str, Decimal]:
        return self.run(totals.item_ledger_entries, conditions, position)

    def value_entries(self, filters: dict[str, Any], unposted: bool | None, first: int | None,
                      after: int | None, position: int | None = None
                      ) -> tuple[list[dict[str, Any]], int, bool]:
        size = page_size(first)
        expected = self.inventory_setup()["expected_cost_posting"]
        with self.cursor() as cursor:
            rows = queries.value_entries(cursor, filters, size + 1, after, unposted, expected,
                                         position)
            total = queries.count_value_entries(cursor, filters, unposted, expected, position)
        return rows[:size], total, len(rows) > size

    def value_entry_totals(self, filters: dict[str, Any], unposted: bool | None,
                           position: int | None) -> dict[str, Decimal]:
        expected = self.inventory_setup()["expected_cost_posting"]
        return self.run(totals.value_entries, filters, unposted, expected, position)

    def gl_entry_totals(self, filters: dict[str, Any]) -> dict[str, Decimal]:
        return self.run(totals.gl_entries, filters)

    def gl_entries(self, filters: dict[str, Any], first: int | None,
                   after: int | None) -> tuple[list[dict[str, Any]], int, bool]:
        size = page_size(first)
        with self.cursor() as cursor:
            rows = queries.gl_entries(cursor, filters, size + 1, after)
            where, params = queries.filters(filters)
            cursor.execute(f"SELECT COUNT(*) AS n FROM ledger_gl_entry {where}", params)
            total = cursor.fetchone()["n"]
        return rows[:size], total, len(rows) > size

    def item_ledger_entry(self, entry_no: int) -> dict[str, Any] | None:
        return self.run(queries.item_ledger_entries_by_no, [entry_no]).get(entry_no)

    def value_entries_of_entries(self, ile_nos: list[int]) -> dict[int, list[dict[str, Any]]]:
        return self.run(queries.value_entries_of_entries, ile_nos)

    def gl_entries_of_value_entries(self, ve_nos: list[int]) -> dict[int, list[dict[str, Any]]]:
        return self.run(queries.gl_entries_of_value_entries, ve_nos)

    def value_entries_by_no(self, entry_nos: list[int]) -> list[dict[str, Any]]:
        return self.run(queries.value_entries_by_no, entry_nos[:MAX_PAGE])

    def open_item_ledger_entries(self, item_no: str) -> list[dict[str, Any]]:
        return self.run(queries.open_item_ledger_entries, item_no, MAX_PAGE)

    def applications_of_entries(self, ile_nos: list[int]) -> dict[int, list[dict[str, Any]]]:
        return self.run(queries.applications_of_entries, ile_nos)

    def gl_registers(self) -> list[dict[str, Any]]:
        return self.run(queries.gl_registers)

    def gl_register(self, no: int) -> dict[str, Any] | None:
        return self.run(queries.gl_register, no)

    # ---------------------------------------------------------------- balances

    def account_totals(self, account_no: str | None, at_date: str | None,
                       position: int | None) -> dict[str, tuple[Decimal, Decimal]]:
        return self.run(queries.account_totals, account_no, at_date, position)

    def account_names(self) -> dict[str, str]:
        return {row["no"]: row["name"] for row in self.setup_rows(SetupKind.GL_ACCOUNT)}

    def trial_balance(self, at_date: str | None, position: int | None) -> list[dict[str, Any]]:
        with self.cursor() as cursor:
            totals = queries.account_totals(cursor, None, at_date, position)
            names = {row["no"]: row["name"] for row in
                     queries.setup_rows(cursor, SetupKind.GL_ACCOUNT)}
        return [{"gl_account_no": no, "name": names.get(no, ""), "debit": debit, "credit": credit,
                 "balance": debit - credit} for no, (debit, credit) in totals.items()]

    def inventory(self, item_no: str, at_date: str | None, location_code: str | None,
                  position: int | None) -> dict[str, Decimal]:
        return self.run(queries.inventory, item_no, at_date, location_code, position)

    def reconciliation(self, at_date: str | None,
                       position: int | None = None) -> list[dict[str, Any]]:
        return self.run(queries.reconciliation, at_date, position)

    # ---------------------------------------------------------------- audit trail

    def audit_trail(self, aggregate_id: str | None, item_no: str | None, first: int | None,
                    after: int | None) -> tuple[list[dict[str, Any]], int, bool]:
        """Stored events, oldest first, paged on their position (gaps tolerated)."""
        size = page_size(first)
        if item_no is not None:
            aggregate_id = str(Item.create_id(item_no))
        table, position = events_table(self.uow.ledger)
        conditions: dict[str, Any] = {f"{position} > ?": after}
        if aggregate_id is not None:
            conditions["originator_id = ?"] = self.originator(aggregate_id)
        where, params = queries.filters(conditions)
        count_where, count_params = queries.filters(
            {key: value for key, value in conditions.items() if not key.startswith(position)})
        with self.uow.ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.sql(f"SELECT {position} AS position, originator_id, "
                                    f"originator_version, topic, state FROM {table} {where} "
                                    f"ORDER BY {position} LIMIT ?"), (*params, size + 1))
            rows = [dict(row) for row in cursor.fetchall()]
            cursor.execute(self.sql(f"SELECT COUNT(*) AS n FROM {table} {count_where}"),
                           count_params)
            total = dict(cursor.fetchone())["n"]
        events = [self.stored_event(row) for row in rows[:size]]
        return events, total, len(rows) > size

    def originator(self, aggregate_id: str) -> Any:
        try:
            value = UUID(aggregate_id)
        except ValueError:
            raise validation("aggregateId is not an aggregate id", "aggregateId") from None
        return value.hex if self.uow.views.db.dialect == "sqlite" else value

    def sql(self, statement: str) -> str:
        return statement if self.uow.views.db.dialect == "sqlite" else statement.replace("?", "%s")

    def stored_event(self, row: dict[str, Any]) -> dict[str, Any]:
        originator = row["originator_id"]
        notification = Notification(id=row["position"], originator_id=originator,
                                    originator_version=row["originator_version"],
                                    topic=row["topic"], state=bytes(row["state"]))
        data = payload(self.uow.ledger, notification)
        return {"position": row["position"],
                "aggregate_id": str(UUID(str(originator))),
                "aggregate_version": row["originator_version"], "topic": row["topic"],
                "timestamp": data.get("timestamp"), "payload": data}

