"""verifyProjections: rebuild every read model from the event store into a scratch
database and compare it row by row with the live one."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.application.store import Ledger
from ledger.projections.schema import KEYS
from ledger.projections.sql import Database, SQLiteDatabase
from ledger.projections.views import applied_here, rebuild

MAX_DIFFERENCES = 50


@dataclass
class ProjectionCheck:
    consistent: bool
    events_replayed: int
    differences: list[str] = field(default_factory=list)


def table_rows(db: Database, table: str) -> dict[tuple, dict[str, Any]]:
    keys = [key.strip() for key in KEYS[table].split(",")]
    with db.read() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY {KEYS[table]}")
        rows = cursor.fetchall()
    return {tuple(row[key] for key in keys): dict(row) for row in rows}


def compare_table(table: str, live: dict[tuple, dict], replayed: dict[tuple, dict]) -> list[str]:
    differences = []
    for key in sorted(set(live) | set(replayed), key=str):
        name = f"{table} {KEYS[table]}={', '.join(map(str, key))}"
        if key not in live:
            differences.append(f"{name}: missing from the live read model")
        elif key not in replayed:
            differences.append(f"{name}: in the live read model but not in the replay")
        else:
            for column, value in replayed[key].items():
                if live[key].get(column) != value:
                    differences.append(f"{name}: {column} is {live[key].get(column)!r} live, "
                                       f"{value!r} replayed")
    return differences


def verify(ledger: Ledger, live: Database) -> ProjectionCheck:
    scratch = SQLiteDatabase(":memory:")
    try:
        replayed = rebuild(scratch, applied_here(ledger.stored_from,
                                                   ledger.decode_for_projections))
        differences = []
        for table in KEYS:
            differences += compare_table(table, table_rows(live, table), table_rows(scratch, table))
    finally:
        scratch.close()
    return ProjectionCheck(not differences, replayed, differences[:MAX_DIFFERENCES])
