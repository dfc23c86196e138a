"""Totals of a filtered entry list: over every entry the filter selects, not only the
page a client has loaded, as Business Central's list pages sum a filtered column."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.projections import known_at
from ledger.projections.codec import amount, quantity
from ledger.projections.queries import CREDIT, DEBIT, filters, value_entry_filter
from ledger.projections.sql import Cursor

ILE_QUANTITIES = ("quantity", "remaining_quantity", "invoiced_quantity")
ILE_AMOUNTS = ("cost_actual", "cost_expected", "sales_actual")
VE_QUANTITIES = ("valued_quantity", "invoiced_quantity")
VE_AMOUNTS = ("cost_actual", "cost_expected", "sales_actual", "posted_actual", "posted_expected")
GL_AMOUNTS = {"debit": DEBIT, "credit": CREDIT}


def summed(cursor: Cursor, sums: dict[str, str], source: known_at.Source, where: str,
           params: list[Any]) -> dict[str, int]:
    """Each expression's total over the filtered source, in the tables' integer units."""
    columns = ", ".join(f"COALESCE(SUM({expression}), 0) AS {name}" for name, expression in sums.items())
    cursor.execute(f"SELECT {columns} FROM {source[0]} {where}", (*source[1], *params))
    return dict(cursor.fetchone())


def converted(row: dict[str, int], quantities: tuple[str, ...]) -> dict[str, Decimal]:
    return {name: quantity(total) if name in quantities else amount(total)
            for name, total in row.items()}


def item_ledger_entries(cursor: Cursor, conditions: dict[str, Any],
                        position: int | None) -> dict[str, Decimal]:
    where, params = filters(conditions)
    row = summed(cursor, {c: c for c in ILE_QUANTITIES + ILE_AMOUNTS},
                 known_at.item_ledger_entries(position), where, params)
    return converted(row, ILE_QUANTITIES)


def value_entries(cursor: Cursor, conditions: dict[str, Any], unposted: bool | None,
                  expected_posting: bool, position: int | None) -> dict[str, Decimal]:
    where, params = value_entry_filter(conditions, None, unposted, expected_posting, position)
    row = summed(cursor, {c: f"v.{c}" for c in VE_QUANTITIES + VE_AMOUNTS},
                 known_at.value_entries(position), where, params)
    return converted(row, VE_QUANTITIES)


def gl_entries(cursor: Cursor, conditions: dict[str, Any]) -> dict[str, Decimal]:
    where, params = filters(conditions)
    return converted(summed(cursor, GL_AMOUNTS, ("ledger_gl_entry", []), where, params), ())
