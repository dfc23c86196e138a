"""Reads of the read models, as the dicts the domain and the API share."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ledger.amounts import ZERO
from ledger.projections import known_at
from ledger.projections.codec import amount, dimensions_of, quantity
from ledger.projections.known_at import Source
from ledger.projections.sql import Cursor, Row

ILE_COLUMNS = ("entry_no, item_no, entry_type, posting_date, document_no, location_code, quantity, "
               "remaining_quantity, invoiced_quantity, cost_actual, cost_expected, sales_actual, "
               "dimensions")


def ile_from_table(row: Row) -> dict[str, Any]:
    return {**row, "quantity": quantity(row["quantity"]),
            "remaining_quantity": quantity(row["remaining_quantity"]),
            "invoiced_quantity": quantity(row["invoiced_quantity"]),
            "cost_actual": amount(row["cost_actual"]), "cost_expected": amount(row["cost_expected"]),
            "sales_actual": amount(row["sales_actual"]), "dimensions": dict(dimensions_of(row["dimensions"]))}


def ve_row(row: Row) -> dict[str, Any]:
    """Converted in place: the row is a fresh dict of its own, and a batch run reads a
    million of them."""
    row.update({"ile_quantity": quantity(row["ile_quantity"]),
                "invoiced_quantity": quantity(row["invoiced_quantity"]),
                "valued_quantity": quantity(row["valued_quantity"]),
                "cost_per_unit": Decimal(row["cost_per_unit"]),
                "cost_actual": amount(row["cost_actual"]),
                "cost_expected": amount(row["cost_expected"]),
                "sales_actual": amount(row["sales_actual"]),
                "posted_actual": amount(row["posted_actual"]),
                "posted_expected": amount(row["posted_expected"]),
                "expected_cost": bool(row["expected_cost"]), "adjustment": bool(row["adjustment"]),
                "dimensions": dict(dimensions_of(row["dimensions"]))})
    return row


def gl_row(row: Row, value_entry_nos: list[int]) -> dict[str, Any]:
    return {**row, "amount": amount(row["amount"]), "dimensions": dict(dimensions_of(row["dimensions"])),
            "value_entry_nos": value_entry_nos}


# ---------------------------------------------------------------- setup and items

def setup_rows(cursor: Cursor, kind: str) -> list[dict[str, Any]]:
    cursor.execute("SELECT state FROM ledger_setup WHERE kind = ? ORDER BY key", (kind,))
    return [json.loads(row["state"]) for row in cursor.fetchall()]


def setup_row(cursor: Cursor, kind: str, key: str) -> dict[str, Any] | None:
    cursor.execute("SELECT state FROM ledger_setup WHERE kind = ? AND key = ?", (kind, key))
    row = cursor.fetchone()
    return json.loads(row["state"]) if row else None


def items(cursor: Cursor) -> list[dict[str, Any]]:
    cursor.execute("SELECT state FROM ledger_item ORDER BY no")
    return [item_master(row["state"]) for row in cursor.fetchall()]


def item(cursor: Cursor, no: str) -> dict[str, Any] | None:
    cursor.execute("SELECT state FROM ledger_item WHERE no = ?", (no,))
    row = cursor.fetchone()
    return item_master(row["state"]) if row else None


def item_master(text: str) -> dict[str, Any]:
    state = json.loads(text)
    state["unit_cost"] = Decimal(state["unit_cost"])
    if state["standard_cost"] is not None:
        state["standard_cost"] = Decimal(state["standard_cost"])
    return state


def items_needing_adjustment(cursor: Cursor) -> list[str]:
    cursor.execute("SELECT no FROM ledger_item WHERE adjust_needed = 1 ORDER BY no")
    return [row["no"] for row in cursor.fetchall()]


# ---------------------------------------------------------------- entries

def item_ledger_entries(cursor: Cursor, conditions: dict[str, Any], first: int,
                        after: int | None, position: int | None = None) -> list[dict[str, Any]]:
    source = known_at.item_ledger_entries(position)
    where, params = filters({**conditions, "entry_no > ?": after})
    cursor.execute(f"SELECT {ILE_COLUMNS} FROM {source[0]} {where} ORDER BY entry_no LIMIT ?",
                   (*source[1], *params, first))
    return [ile_from_table(row) for row in cursor.fetchall()]


def count(cursor: Cursor, source: Source, where: str, params: list[Any]) -> int:
    cursor.execute(f"SELECT COUNT(*) AS n FROM {source[0]} {where}", (*source[1], *params))
    return cursor.fetchone()["n"]


def filters(conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    """A WHERE clause of the conditions whose value is given."""
    used = {clause: value for clause, value in conditions.items() if value is not None}
    if not used:
        return "", []
    return "WHERE " + " AND ".join(used), list(used.values())


def rows_in(cursor: Cursor, select: str, column: str, values: list[Any],
            order: str = "") -> list[Row]:
    """`select ... WHERE column IN (values)`; nothing asked, nothing read."""
    if not values:
        return []
    cursor.execute(f"{select} WHERE {column} IN ({', '.join('?' * len(values))}) {order}", values)
    return cursor.fetchall()


def item_ledger_entries_by_no(cursor: Cursor, entry_nos: list[int]) -> dict[int, dict[str, Any]]:
    rows = rows_in(cursor, f"SELECT {ILE_COLUMNS} FROM ledger_ile", "entry_no", entry_nos)
    return {row["entry_no"]: ile_from_table(row) for row in rows}


def settled_since(cursor: Cursor, item_no: str, posting_date: str, live: set[int]
                  ) -> list[dict[str, Any]]:
    """An item's outbound entries and transfer halves dated on or after `posting_date`
    that its state no longer holds (`live` are those it does), each with the `source`
    and groups an adjustment takes from its latest own value entry."""
    cursor.execute(f"SELECT {ILE_COLUMNS} FROM ledger_ile WHERE item_no = ? AND posting_date >= ? "
                   "AND (quantity < 0 OR entry_type = 'TRANSFER')", (item_no, posting_date))
    entries = {row["entry_no"]: ile_from_table(row) for row in cursor.fetchall()
               if row["entry_no"] not in live}
    sources = rows_in(cursor, "SELECT ile_no, posting_date, document_no, gen_bus_posting_group, "
                      "applies_to, dimensions FROM ledger_ve", "ile_no", list(entries),
                      "AND entry_type = 'DIRECT_COST' AND adjustment = 0 ORDER BY entry_no")
    for row in sources:
        entry = entries[row["ile_no"]]
        entry.update(source=[row["posting_date"], row["document_no"], dimensions_of(row["dimensions"])],
                     gen_bus_posting_group=row["gen_bus_posting_group"], applies_to=row["applies_to"])
    return list(entries.values())


VE_COLUMNS = ("entry_no, item_no, ile_no, ile_type, entry_type, posting_date, document_no, "
              "description, location_code, invt_posting_group, gen_bus_posting_group, "
              "gen_prod_posting_group, ile_quantity, invoiced_quantity, valued_quantity, "
              "cost_per_unit, cost_actual, cost_expected, sales_actual, posted_actual, "
              "posted_expected, expected_cost, adjustment, applies_to, dimensions")


def unposted_condition(expected_posting: bool) -> str:
    """A value entry with an unposted amount; expected cost counts only while it posts."""
    return "(u.actual <> 0 OR u.expected <> 0)" if expected_posting else "u.actual <> 0"


def value_entries(cursor: Cursor, conditions: dict[str, Any], first: int, after: int | None,
                  unposted: bool | None, expected_posting: bool, position: int | None = None
                  ) -> list[dict[str, Any]]:
    source = known_at.value_entries(position)
    where, params = value_entry_filter(conditions, after, unposted, expected_posting, position)
    cursor.execute(f"SELECT {VE_COLUMNS} FROM {source[0]} {where} ORDER BY entry_no LIMIT ?",
                   (*source[1], *params, first))
    return [ve_row(row) for row in cursor.fetchall()]


def count_value_entries(cursor: Cursor, conditions: dict[str, Any], unposted: bool | None,
                        expected_posting: bool, position: int | None = None) -> int:
    where, params = value_entry_filter(conditions, None, unposted, expected_posting, position)
    return count(cursor, known_at.value_entries(position), where, params)


def value_entry_filter(conditions: dict[str, Any], after: int | None, unposted: bool | None,
                       expected_posting: bool, position: int | None = None
                       ) -> tuple[str, list[Any]]:
    """The WHERE clause on `v`: the conditions, and posted or not (as known at `position`)."""
    conditions = {f"v.{clause}": value for clause, value in conditions.items()}
    conditions["v.entry_no > ?"] = after
    where, params = filters(conditions)
    if unposted is not None:
        clause = known_at.unposted_as_of(expected_posting) if position is not None else (
            f"EXISTS (SELECT 1 FROM ledger_unposted u WHERE u.ve_no = v.entry_no AND "
            f"{unposted_condition(expected_posting)})")
        clause = clause if unposted else f"NOT {clause}"
        where = f"{where} AND {clause}" if where else f"WHERE {clause}"
    return where, params


def value_entries_of_entries(cursor: Cursor, ile_nos: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {no: [] for no in ile_nos}
    for row in rows_in(cursor, f"SELECT {VE_COLUMNS} FROM ledger_ve", "ile_no", ile_nos,
                       "ORDER BY entry_no"):
        found[row["ile_no"]].append(ve_row(row))
    return found


def open_item_ledger_entries(cursor: Cursor, item_no: str, limit: int) -> list[dict[str, Any]]:
    """An item's entries with quantity left, oldest first (its cost layers)."""
    cursor.execute(f"SELECT {ILE_COLUMNS} FROM ledger_ile WHERE item_no = ? AND remaining_quantity > 0 "
                   "ORDER BY posting_date, entry_no LIMIT ?", (item_no, limit))
    return [ile_from_table(row) for row in cursor.fetchall()]


def applications_of_entries(cursor: Cursor, ile_nos: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each entry's applications, as the outbound or the inbound entry, in the order made."""
    found: dict[int, list[dict[str, Any]]] = {no: [] for no in ile_nos}
    for column in ("outbound_no", "inbound_no"):
        for row in rows_in(cursor, "SELECT outbound_no, idx, inbound_no, quantity, cost "
                           "FROM ledger_application", column, ile_nos, "ORDER BY outbound_no, idx"):
            found[row[column]].append({"outbound_no": row["outbound_no"], "inbound_no": row["inbound_no"],
                                       "quantity": quantity(row["quantity"]), "cost": amount(row["cost"])})
    return found


def unposted_by_item(cursor: Cursor, entry_nos: list[int], expected_posting: bool,
                     batch: int = 500) -> tuple[dict[str, list[int]], Decimal]:
    """The entry nos. per item and their unposted total, as they stand: what posting a
    chunk needs, in memory that grows with entry nos. only."""
    by_item: dict[str, list[int]] = {}
    total = 0
    expected = " + cost_expected - posted_expected" if expected_posting else ""
    for start in range(0, len(entry_nos), batch):
        asked = entry_nos[start:start + batch]
        rows = rows_in(cursor, f"SELECT entry_no, item_no, cost_actual - posted_actual"
                       f"{expected} AS unposted FROM ledger_ve", "entry_no", asked,
                       "ORDER BY entry_no")
        for no, row in zip(asked, rows):  # the caller's ints, not a second copy of each
            if no == row["entry_no"]:
                by_item.setdefault(row["item_no"], []).append(no)
                total += row["unposted"]
    return by_item, amount(total)


def item_versions(cursor: Cursor, item_nos: list[str]) -> dict[str, int]:
    return {row["no"]: row["version"]
            for row in rows_in(cursor, "SELECT no, version FROM ledger_item", "no", item_nos)}


def unposted_filter(item_nos: list[str] | None, posting_date_to: str | None,
                    expected_posting: bool, posting_date_from: str | None = None
                    ) -> tuple[str, list[Any]]:
    """The batch job's selection, read from the unposted index, never from posted entries."""
    clause, params = unposted_condition(expected_posting), []
    if item_nos is not None:
        clause += f" AND u.item_no IN ({', '.join('?' * len(item_nos))})"
        params += item_nos
    if posting_date_from is not None:
        clause += " AND u.posting_date >= ?"
        params.append(posting_date_from)
    if posting_date_to is not None:
        clause += " AND u.posting_date <= ?"
        params.append(posting_date_to)
    return clause, params


def unposted_value_entries(cursor: Cursor, item_nos: list[str] | None, posting_date_to: str | None,
                           expected_posting: bool, after: int, limit: int) -> list[dict[str, Any]]:
    clause, params = unposted_filter(item_nos, posting_date_to, expected_posting)
    cursor.execute(f"SELECT {', '.join('v.' + c.strip() for c in VE_COLUMNS.split(','))} "
                   f"FROM ledger_unposted u JOIN ledger_ve v ON v.entry_no = u.ve_no "
                   f"WHERE u.ve_no > ? AND {clause} ORDER BY u.ve_no LIMIT ?",
                   (after, *params, limit))
    return [ve_row(row) for row in cursor.fetchall()]


# What the posting rules read of a value entry (ledger.posting.batch.check_value_entry):
# entries alike in all of it, and in the sign of each unposted part, post alike.
RULE_FIELDS = ("item_no", "entry_type", "ile_type", "posting_date", "location_code",
               "invt_posting_group", "gen_bus_posting_group", "gen_prod_posting_group",
               "dimensions")
SIGN = "CASE WHEN {0} > 0 THEN 1 WHEN {0} < 0 THEN -1 ELSE 0 END"


def unposted_window_end(cursor: Cursor, item_nos: list[str] | None, posting_date_to: str | None,
                        expected_posting: bool, after: int, size: int) -> int | None:
    """The entry no. `size` selected entries after `after`; None when fewer are left."""
    clause, params = unposted_filter(item_nos, posting_date_to, expected_posting)
    cursor.execute(f"SELECT u.ve_no FROM ledger_unposted u WHERE u.ve_no > ? AND {clause} "
                   f"ORDER BY u.ve_no LIMIT 1 OFFSET ?", (after, *params, size - 1))
    row = cursor.fetchone()
    return row["ve_no"] if row else None


def unposted_groups(cursor: Cursor, dialect: str, item_nos: list[str] | None,
                    posting_date_to: str | None, expected_posting: bool, after: int,
                    until: int | None, posting_date_from: str | None = None
                    ) -> list[dict[str, Any]]:
    """The selected entries after `after` up to `until` (None: all the rest), summed by
    the database per RULE_FIELDS and sign, in the order of each group's lowest entry no.
    Each group is a value entry of its summed amounts, already posted nothing, with its
    lowest entry no. and, under `entry_nos`, all of them in the database's order (what
    lists them sorts them). `posting_date_from` narrows the selection for a chunk's
    second read."""
    clause, params = unposted_filter(item_nos, posting_date_to, expected_posting,
                                     posting_date_from)
    listed = ("string_agg(CAST(u.ve_no AS TEXT), ',')" if dialect == "postgresql"
              else "group_concat(u.ve_no)")
    fields = ", ".join(f"v.{field}" for field in RULE_FIELDS)
    upper, bound = ("", []) if until is None else (" AND u.ve_no <= ?", [until])
    cursor.execute(f"SELECT {fields}, SUM(u.actual) AS actual, SUM(u.expected) AS expected, "
                   f"MIN(u.ve_no) AS first_no, {listed} AS entry_nos "
                   f"FROM ledger_unposted u JOIN ledger_ve v ON v.entry_no = u.ve_no "
                   f"WHERE u.ve_no > ?{upper} AND {clause} "
                   f"GROUP BY {fields}, {SIGN.format('u.actual')}, {SIGN.format('u.expected')} "
                   f"ORDER BY first_no", (after, *bound, *params))
    return [group_row(row) for row in cursor.fetchall()]


def group_row(row: Row) -> dict[str, Any]:
    row.update({"entry_no": row.pop("first_no"), "document_no": "", "description": "",
                "cost_actual": amount(int(row.pop("actual"))), "posted_actual": ZERO,
                "cost_expected": amount(int(row.pop("expected"))), "posted_expected": ZERO,
                "dimensions": dict(dimensions_of(row["dimensions"])),
                "entry_nos": list(map(int, row["entry_nos"].split(",")))})
    return row


def value_entries_by_no(cursor: Cursor, entry_nos: list[int],
                        batch: int = 500) -> list[dict[str, Any]]:
    found = []
    for start in range(0, len(entry_nos), batch):
        found += [ve_row(row) for row in rows_in(cursor, f"SELECT {VE_COLUMNS} FROM ledger_ve",
                                                   "entry_no", entry_nos[start:start + batch],
                                                   "ORDER BY entry_no")]
    return found


def count_unposted(cursor: Cursor, item_nos: list[str] | None, posting_date_to: str | None,
                   expected_posting: bool) -> int:
    clause, params = unposted_filter(item_nos, posting_date_to, expected_posting)
    cursor.execute(f"SELECT COUNT(*) AS n FROM ledger_unposted u WHERE {clause}", params)
    return cursor.fetchone()["n"]


GL_COLUMNS = ("entry_no, transaction_no, gl_account_no, posting_date, document_no, description, "
              "amount, source_code, dimensions")


def relations(cursor: Cursor, gl_entry_nos: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {no: [] for no in gl_entry_nos}
    for row in rows_in(cursor, "SELECT gl_entry_no, ve_no FROM ledger_gl_relation",
                       "gl_entry_no", gl_entry_nos, "ORDER BY ve_no"):
        found[row["gl_entry_no"]].append(row["ve_no"])
    return found


def with_relations(cursor: Cursor, rows: list[Row]) -> list[dict[str, Any]]:
    related = relations(cursor, [row["entry_no"] for row in rows])
    return [gl_row(row, related[row["entry_no"]]) for row in rows]


def gl_entries(cursor: Cursor, conditions: dict[str, Any], first: int,
               after: int | None) -> list[dict[str, Any]]:
    where, params = filters({**conditions, "entry_no > ?": after})
    cursor.execute(f"SELECT {GL_COLUMNS} FROM ledger_gl_entry {where} ORDER BY entry_no LIMIT ?",
                   (*params, first))
    return with_relations(cursor, cursor.fetchall())


def gl_entries_by_no(cursor: Cursor, entry_nos: list[int]) -> dict[int, dict[str, Any]]:
    rows = rows_in(cursor, f"SELECT {GL_COLUMNS} FROM ledger_gl_entry", "entry_no", entry_nos)
    return {row["entry_no"]: row for row in with_relations(cursor, rows)}


def gl_entries_of_value_entries(cursor: Cursor, ve_nos: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {no: [] for no in ve_nos}
    pairs = [(row["ve_no"], row["gl_entry_no"]) for row in rows_in(
        cursor, "SELECT ve_no, gl_entry_no FROM ledger_gl_relation", "ve_no", ve_nos,
        "ORDER BY gl_entry_no")]
    entries = gl_entries_by_no(cursor, sorted({entry_no for _, entry_no in pairs}))
    for ve_no, entry_no in pairs:
        found[ve_no].append(entries[entry_no])
    return found


def gl_registers(cursor: Cursor) -> list[Row]:
    cursor.execute("SELECT no, from_entry_no, to_entry_no, source_code, created_at, position "
                   "FROM ledger_gl_register ORDER BY no")
    return cursor.fetchall()


def gl_register(cursor: Cursor, no: int) -> Row | None:
    cursor.execute("SELECT no, from_entry_no, to_entry_no, source_code, created_at, position "
                   "FROM ledger_gl_register WHERE no = ?", (no,))
    return cursor.fetchone()


# ---------------------------------------------------------------- balances

# A G/L entry's amount as the debit and the credit it is (never netted).
DEBIT = "CASE WHEN amount > 0 THEN amount ELSE 0 END"
CREDIT = "CASE WHEN amount < 0 THEN -amount ELSE 0 END"


def account_totals(cursor: Cursor, account_no: str | None, at_date: str | None,
                   position: int | None) -> dict[str, tuple[Decimal, Decimal]]:
    """(debit, credit) per account, from the entries' posting dates: from the daily
    totals, or, as known at an event-store `position`, from the entries themselves."""
    if position is None:
        where, params = filters({"gl_account_no = ?": account_no, "posting_date <= ?": at_date})
        cursor.execute("SELECT gl_account_no, SUM(debit) AS debit, SUM(credit) AS credit "
                       f"FROM ledger_gl_day {where} GROUP BY gl_account_no ORDER BY gl_account_no",
                       params)
        return {row["gl_account_no"]: (amount(row["debit"]), amount(row["credit"]))
                for row in cursor.fetchall()}
    where, params = filters({"gl_account_no = ?": account_no, "posting_date <= ?": at_date,
                             "position <= ?": position})
    cursor.execute(f"SELECT gl_account_no, SUM({DEBIT}) AS debit, SUM({CREDIT}) AS credit "
                   f"FROM ledger_gl_entry {where} GROUP BY gl_account_no ORDER BY gl_account_no",
                   params)
    return {row["gl_account_no"]: (amount(row["debit"]), amount(row["credit"]))
            for row in cursor.fetchall()}


def inventory(cursor: Cursor, item_no: str, at_date: str | None, location_code: str | None,
              position: int | None) -> dict[str, Decimal]:
    """Quantity by the entries' posting dates, value by the value entries' own dates."""
    conditions = {"item_no = ?": item_no, "posting_date <= ?": at_date,
                  "location_code = ?": location_code, "position <= ?": position}
    where, params = filters(conditions)
    cursor.execute(f"SELECT SUM(quantity) AS q FROM ledger_ile {where}", params)
    total_quantity = quantity(cursor.fetchone()["q"])
    cursor.execute("SELECT SUM(cost_actual) AS a, SUM(cost_expected) AS e "
                   f"FROM ledger_ve {where}", params)
    row = cursor.fetchone()
    return {"quantity": total_quantity, "cost_actual": amount(row["a"]),
            "cost_expected": amount(row["e"])}


def reconciliation(cursor: Cursor, at_date: str | None,
                   position: int | None = None) -> list[dict[str, Any]]:
    """Per (location, inventory posting group): value entries' actual cost against the G/L
    entries on that row's inventory account that came from those value entries; all as
    known at an event-store `position` when one is given."""
    source = known_at.value_entries(position)
    where, params = filters({"v.posting_date <= ?": at_date})
    cursor.execute("SELECT location_code, invt_posting_group, SUM(cost_actual) AS value, "
                   f"SUM(cost_actual - posted_actual) AS unposted FROM {source[0]} "
                   f"{where} GROUP BY location_code, invt_posting_group "
                   "ORDER BY location_code, invt_posting_group", (*source[1], *params))
    lines = []
    for row in cursor.fetchall():
        account = inventory_account(cursor, row["location_code"], row["invt_posting_group"])
        balance = ZERO
        if account:
            known, known_params = filters({"g.gl_account_no = ?": account,
                                           "g.posting_date <= ?": at_date,
                                           "g.position <= ?": position})
            cursor.execute(
                f"SELECT SUM(g.amount) AS total FROM ledger_gl_entry g {known} "
                "AND EXISTS (SELECT 1 FROM ledger_gl_relation r JOIN ledger_ve v "
                "ON v.entry_no = r.ve_no WHERE r.gl_entry_no = g.entry_no "
                "AND v.location_code = ? AND v.invt_posting_group = ?)",
                [*known_params, row["location_code"], row["invt_posting_group"]])
            balance = amount(cursor.fetchone()["total"])
        value, unposted = amount(row["value"]), amount(row["unposted"])
        lines.append({"location_code": row["location_code"],
                      "invt_posting_group": row["invt_posting_group"],
                      "inventory_account": account, "inventory_value": value,
                      "gl_balance": balance, "not_posted_to_gl": unposted,
                      "difference": value - balance - unposted})
    return lines


def inventory_account(cursor: Cursor, location_code: str, invt_posting_group: str) -> str | None:
    row = setup_row(cursor, "inventory_posting_setup", f"{location_code}|{invt_posting_group}")
    return row.get("inventory_account") if row else None
