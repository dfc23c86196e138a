"""verifyProjections: rebuild every read model from the event store into a scratch
database and compare it row by row with the live one.

It takes no lock, so postings go on meanwhile: the live tables are read in one
consistent snapshot, and the replay stops at the position that snapshot had applied,
which the check states."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.application.store import Ledger
from ledger.projections.schema import KEYS
from ledger.projections.sql import Database, SQLiteDatabase
from ledger.projections.views import Notifications, applied_here, rebuild

MAX_DIFFERENCES = 50


@dataclass
class ProjectionCheck:
    consistent: bool
    events_replayed: int
    differences: list[str] = field(default_factory=list)
    up_to_position: int = 0


Rows = dict[tuple, dict[str, Any]]


def table_rows(cursor: Any, table: str) -> Rows:
    keys = [key.strip() for key in KEYS[table].split(",")]
    cursor.execute(f"SELECT * FROM {table} ORDER BY {KEYS[table]}")
    return {tuple(row[key] for key in keys): dict(row) for row in cursor.fetchall()}


def database_rows(db: Database) -> dict[str, Rows]:
    with db.read() as cursor:
        return {table: table_rows(cursor, table) for table in KEYS}


def live_snapshot(live: Database) -> tuple[int, dict[str, Rows]]:
    """The live read models and the position they had applied, as of one moment."""
    with live.snapshot() as cursor:
        cursor.execute("SELECT position FROM ledger_tracking WHERE id = 1")
        position = cursor.fetchone()["position"]
        return position, {table: table_rows(cursor, table) for table in KEYS}


def up_to(notifications: Notifications, position: int) -> Notifications:
    def bounded(start: int, limit: int) -> list[Any]:
        return [n for n in notifications(start, limit) if n.id <= position]
    return bounded


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
    position, live_rows = live_snapshot(live)
    scratch = SQLiteDatabase(":memory:")
    try:
        replayed = rebuild(scratch, applied_here(up_to(ledger.stored_from, position),
                                                 ledger.decode_for_projections))
        replayed_rows = database_rows(scratch)
    finally:
        scratch.close()
    differences = []
    for table in KEYS:
        differences += compare_table(table, live_rows[table], replayed_rows[table])
    return ProjectionCheck(not differences, replayed, differences[:MAX_DIFFERENCES], position)
