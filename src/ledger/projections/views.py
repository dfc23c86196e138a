"""The live read models: catch up with the event store, exactly once.

After each save the same process applies the new notifications, from the views' one
tracking position, to every view in one transaction (architecture.md, "Read side").
Another process that applied them first shows up as a moved tracking position and is
simply skipped, so a restart neither loses nor repeats an event.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from ledger.numbering import SEQUENCES, LastNumbers, no_numbers
from ledger.projections import projector
from ledger.projections.schema import (TABLES, create_statements, index_statements,
                                       table_statements)
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
    "BatchRun.EntriesListed": projector.batch_chunk_posted,
}

BATCH = 500
Notifications = Callable[[int, int], Sequence[Any]]
Decode = Callable[[Any], Any]
Tracked = tuple[int, LastNumbers]
CHANGE_EVENTS = frozenset(name for name, handler in HANDLERS.items()
                          if handler in (projector.item_changed, projector.batch_chunk_posted))


class Change(NamedTuple):
    """One of CHANGE_EVENTS with just what its handler reads, decoded straight from the
    stored JSON: catching up and rebuilding skip building the domain event (and a Decimal
    for every amount), the larger part of a rebuild's time."""
    name: str
    originator_version: int
    changes: dict[str, Any]


def event_name(event: Any) -> str:
    return event.name if type(event) is Change else type(event).__qualname__


class NumbersMoved(Exception):
    """A save's events hold entry numbers taken from numbers that another save has moved
    on since: the save is rolled back, to be made again from the new numbers."""


class ItemVersions(dict[str, tuple[int, "bool | None"]]):
    """Each item's version, and whether it needs adjusting (None: as it was), as a run
    of events leaves them, written once at the run's end: an UPDATE of the item's row
    for every event was a tenth of a rebuild. Nothing reads the row before the run's
    transaction commits."""

    def note(self, event: Any) -> None:
        changes = event.changes
        no = changes["item_no"]
        adjust_needed = changes.get("adjust_needed")
        if adjust_needed is None and no in self:
            adjust_needed = self[no][1]
        self[no] = (event.originator_version, adjust_needed)

    def write(self, cursor: Cursor) -> None:
        for no, (version, adjust_needed) in self.items():
            projector.set_item_version(cursor, no, version, adjust_needed)
        self.clear()


def apply_event(cursor: Cursor, event: Any, position: int, numbers: LastNumbers,
                versions: ItemVersions) -> None:
    """`event` may be None: a stored event no read model reads (the decoder skips it).
    The caller writes `versions` when its run of events ends."""
    name = event_name(event)
    handler = HANDLERS.get(name)
    if handler is not None:
        handler(cursor, event, position)
    if name in CHANGE_EVENTS:
        projector.advance_numbers(numbers, event.changes)
        if handler is projector.item_changed:
            versions.note(event)


def tracking_sql(dialect: str) -> str:
    """The tracking row, locked until commit (SQLite's write transaction locks already)."""
    return "SELECT * FROM ledger_tracking WHERE id = 1" + \
        (" FOR UPDATE" if dialect == "postgresql" else "")


def tracked(row: dict[str, Any] | None) -> Tracked:
    """The tracking position and the numbers so far."""
    if not row:
        return 0, no_numbers()
    return row["position"], {sequence: row[f"last_{sequence}"] for sequence in SEQUENCES}


def lock_tracking(cursor: Cursor, dialect: str) -> Tracked:
    cursor.execute(tracking_sql(dialect))
    return tracked(cursor.fetchone())


SAVE_POSITION = (f"UPDATE ledger_tracking SET position = ?, "
                 f"{', '.join(f'last_{sequence} = ?' for sequence in SEQUENCES)} WHERE id = 1")


def save_position(cursor: Cursor, position: int, numbers: LastNumbers) -> None:
    cursor.execute(SAVE_POSITION, (position, *(numbers[sequence] for sequence in SEQUENCES)))


SETUP_EVENTS = frozenset({"SetupRecord.Defined", "SetupRecord.Changed"})


class Views:
    """`last_position`, `numbers` and `setup_generation` tell this process, without a
    query, how far it has caught up, the entry numbers so far and whether setup changed
    since it last looked."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self.last_position = 0
        self.numbers = no_numbers()
        self.setup_generation = 0

    def create_tables(self, indexes: bool = True) -> None:
        """Read models of an older layout (before the register numbers were tracked, or
        the applications kept) are dropped, to be built again from the events by the
        first catch-up. A rebuild creates the indexes after the rows (`indexes` false),
        which a start creates if the rebuild never got there."""
        with self.db.write() as cursor:
            if self.db.exists(cursor, "ledger_tracking") and (
                    not self.db.has_column(cursor, "ledger_tracking", "last_register")
                    or not self.db.exists(cursor, "ledger_application")):
                drop(cursor)
            statements = create_statements(self.db.dialect) if indexes \
                else table_statements(self.db.dialect)
            for name, statement in statements.items():
                if not self.db.exists(cursor, name):
                    cursor.execute(statement)
            cursor.execute("SELECT COUNT(*) AS n FROM ledger_tracking")
            if not cursor.fetchone()["n"]:
                cursor.execute(f"INSERT INTO ledger_tracking (id, position, "
                               f"{', '.join(f'last_{sequence}' for sequence in SEQUENCES)}) "
                               f"VALUES (1, 0, {', '.join('0' for _ in SEQUENCES)})")

    def drop_tables(self) -> None:
        with self.db.write() as cursor:
            drop(cursor)

    def catch_up(self, notifications: Notifications, decode: Decode) -> int:
        """Apply every event after the tracking position (another process's, or what was
        stored before a rebuild); this process's own saves apply theirs as they commit."""
        with self._lock:
            with self.db.write() as cursor:
                position, numbers = lock_tracking(cursor, self.db.dialect)
                position, _ = apply_stored(cursor, position, numbers, notifications, decode,
                                           self.apply)
                save_position(cursor, position, numbers)
            self.last_position, self.numbers = position, numbers
            return position

    def adopt(self, position: int, numbers: LastNumbers) -> None:
        """Another process's save projected its own events in its own transaction, so
        the shared tables are already there: only this process's view of them moves."""
        with self._lock:
            if position > self.last_position:
                self.last_position, self.numbers = position, numbers

    def apply_saved(self, cursor: Cursor, saved: list[tuple[int, Any]],
                    notifications: Notifications, decode: Decode,
                    numbers_from: LastNumbers | None, locked: Tracked | None) -> LastNumbers:
        """Inside the save's own transaction: first whatever came before it that this
        database has not applied yet (another process's events), then its own; their
        entry numbers must follow on from `numbers_from` (NumbersMoved otherwise).
        `locked` is the tracking row when the save has locked it already. Returns the
        numbers after them."""
        position, numbers = locked or lock_tracking(cursor, self.db.dialect)
        versions = ItemVersions()
        apply_between(cursor, position + 1, saved[0][0] - 1, numbers, versions, notifications,
                      decode, self.apply)
        if numbers_from is not None and numbers != numbers_from:
            raise NumbersMoved
        for at, event in saved:
            self.apply(cursor, event, at, numbers, versions)
        versions.write(cursor)
        save_position(cursor, saved[-1][0], numbers)
        return numbers

    def apply(self, cursor: Cursor, event: Any, position: int, numbers: LastNumbers,
              versions: ItemVersions) -> None:
        if event_name(event) in SETUP_EVENTS:
            self.setup_generation += 1
        apply_event(cursor, event, position, numbers, versions)


def drop(cursor: Cursor) -> None:
    for table in TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


Fill = Callable[[Cursor, LastNumbers], tuple[int, int]]


def rebuild(db: Database, fill: Fill) -> int:
    """Build every view into an empty database, in one transaction: `fill` applies
    every stored event with the cursor, raising the numbers, and returns the last
    position and the count. The indexes come last: sorting each once costs less than
    keeping it in order row by row, and no projector statement reads by them."""
    views = Views(db)
    views.create_tables(indexes=False)
    numbers = no_numbers()
    with db.write() as cursor:
        position, count = fill(cursor, numbers)
        save_position(cursor, position, numbers)
        for statement in index_statements().values():
            cursor.execute(statement)
    return count


def applied_here(notifications: Notifications, decode: Decode,
                 progress: Callable[[int], None] | None = None) -> Fill:
    """A rebuild's fill in this process: every event from the first."""
    def fill(cursor: Cursor, numbers: LastNumbers) -> tuple[int, int]:
        return apply_stored(cursor, 0, numbers, notifications, decode, apply_event, progress)
    return fill


Apply = Callable[[Cursor, Any, int, LastNumbers, ItemVersions], None]


def apply_between(cursor: Cursor, first: int, last: int, numbers: LastNumbers,
                  versions: ItemVersions, notifications: Notifications, decode: Decode,
                  apply: Apply) -> int:
    """Every stored event from position `first` to `last` (there may be gaps), a batch
    at a time; returns how many there were. The caller writes `versions`."""
    count = 0
    while first <= last:
        batch = [n for n in notifications(first, min(BATCH, last - first + 1)) if n.id <= last]
        if not batch:
            break
        for notification in batch:
            apply(cursor, decode(notification), notification.id, numbers, versions)
        count += len(batch)
        first = batch[-1].id + 1
    return count


def apply_stored(cursor: Cursor, position: int, numbers: LastNumbers, notifications: Notifications,
                 decode: Decode, apply: Apply,
                 progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Every stored event after `position`, a batch at a time, raising `numbers` as they
    go; returns the last position and how many events there were."""
    count = 0
    versions = ItemVersions()
    while True:
        batch = notifications(position + 1, BATCH)
        for notification in batch:
            apply(cursor, decode(notification), notification.id, numbers, versions)
            position = notification.id
        count += len(batch)
        if progress:
            progress(len(batch))
        if len(batch) < BATCH:
            versions.write(cursor)
            return position, count
