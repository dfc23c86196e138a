"""The live read models: catch up with the event store, exactly once.

After each save the same process applies the new notifications, from the views' one
tracking position, to every view in one transaction (architecture.md, "Read side").
Another process that applied them first shows up as a moved tracking position and is
simply skipped, so a restart neither loses nor repeats an event.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ledger.projections import projector
from ledger.projections.schema import TABLES, create_statements
from ledger.projections.sql import Cursor, Database

HANDLERS: dict[str, projector.Handler] = {
    "SetupRecord.Defined": projector.setup_defined,
    "SetupRecord.Changed": projector.setup_changed,
    "Item.Registered": projector.item_registered,
    "Item.JournalLinePosted": projector.item_changed,
    "Item.Invoiced": projector.item_changed,
    "Item.Revalued": projector.item_changed,
    "Item.CostAdjusted": projector.item_changed,
    "Item.CostPostedToGL": projector.item_changed,
    "BatchRun.ChunkPosted": projector.batch_chunk_posted,
}

BATCH = 500
Notifications = Callable[[int, int], Sequence[Any]]
Decode = Callable[[Any], Any]
CHANGE_EVENTS = frozenset(name for name, handler in HANDLERS.items()
                          if handler in (projector.item_changed, projector.batch_chunk_posted))


@dataclass(frozen=True)
class Change:
    """One of CHANGE_EVENTS with just what its handler reads, decoded straight from the
    stored JSON: catching up and rebuilding skip building the domain event (and a Decimal
    for every amount), which was half of a rebuild's time."""
    name: str
    originator_version: int
    changes: dict[str, Any]


def event_name(event: Any) -> str:
    return event.name if type(event) is Change else type(event).__qualname__


def apply_event(cursor: Cursor, event: Any, position: int) -> None:
    handler = HANDLERS.get(event_name(event))
    if handler is not None:
        handler(cursor, event, position)


def lock_tracking(cursor: Cursor, dialect: str) -> int:
    """The tracking position, locked until commit (SQLite's BEGIN IMMEDIATE locks already)."""
    suffix = " FOR UPDATE" if dialect == "postgresql" else ""
    cursor.execute(f"SELECT position FROM ledger_tracking WHERE id = 1{suffix}")
    row = cursor.fetchone()
    return row["position"] if row else 0


def save_position(cursor: Cursor, position: int) -> None:
    cursor.execute("UPDATE ledger_tracking SET position = ? WHERE id = 1", (position,))


SETUP_EVENTS = frozenset({"SetupRecord.Defined", "SetupRecord.Changed"})


class Views:
    """`last_position` and `setup_generation` tell this process, without a query, how far
    it has caught up and whether setup changed since it last looked."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self.last_position = 0
        self.setup_generation = 0

    def create_tables(self) -> None:
        with self.db.write() as cursor:
            for name, statement in create_statements(self.db.dialect).items():
                if not self.db.exists(cursor, name):
                    cursor.execute(statement)
            cursor.execute("SELECT COUNT(*) AS n FROM ledger_tracking")
            if not cursor.fetchone()["n"]:
                cursor.execute("INSERT INTO ledger_tracking (id, position) VALUES (1, 0)")

    def drop_tables(self) -> None:
        with self.db.write() as cursor:
            for table in TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def catch_up(self, notifications: Notifications, decode: Decode) -> int:
        """Apply every event after the tracking position (another process's, or what was
        stored before a rebuild); this process's own saves apply theirs as they commit."""
        with self._lock:
            with self.db.write() as cursor:
                position = lock_tracking(cursor, self.db.dialect)
                while True:
                    batch = notifications(position + 1, BATCH)
                    for notification in batch:
                        self.apply(cursor, decode(notification), notification.id)
                        position = notification.id
                    if len(batch) < BATCH:
                        break
                save_position(cursor, position)
            self.last_position = position
            return position

    def apply_saved(self, cursor: Cursor, saved: list[tuple[int, Any]],
                    notifications: Notifications, decode: Decode) -> None:
        """Inside the save's own transaction: first whatever came before it that this
        database has not applied yet (another process's events), then its own."""
        position = lock_tracking(cursor, self.db.dialect)
        first = saved[0][0]
        while position + 1 < first:
            batch = [n for n in notifications(position + 1, BATCH) if n.id < first]
            for notification in batch:
                self.apply(cursor, decode(notification), notification.id)
                position = notification.id
            if not batch:
                break
        for at, event in saved:
            self.apply(cursor, event, at)
        save_position(cursor, saved[-1][0])

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if event_name(event) in SETUP_EVENTS:
            self.setup_generation += 1
        apply_event(cursor, event, position)


def rebuild(db: Database, notifications: Notifications, decode: Decode,
            progress: Callable[[int], None] | None = None) -> int:
    """Build every view from the first event into an empty database; returns the count."""
    views = Views(db)
    views.create_tables()
    count, position = 0, 0
    with db.write() as cursor:
        while True:
            batch = notifications(position + 1, BATCH)
            for notification in batch:
                apply_event(cursor, decode(notification), notification.id)
                position = notification.id
            count += len(batch)
            if progress:
                progress(len(batch))
            if len(batch) < BATCH:
                break
        save_position(cursor, position)
    return count
