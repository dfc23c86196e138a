"""What this process knows of the event store it shares with other processes.

Each process caches aggregates (items, setup rows). Every cached aggregate not marked
stale is as stored up to `position`. Before a command decides (and before a query
answers), one look asks what was stored after that position: the read models catch up
or adopt the numbers of the process that projected, the aggregates another process
moved are marked stale, and a command brings them up to date from the events the same
look brings along. So a stale copy never decides anything (docs/reliability.md).
"""
from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.application.store import Ledger, events_table
from ledger.projections.sql import Query
from ledger.projections.views import Views, tracked

RECENT = 64  # events a command's look brings along to fast-forward the aggregates cached here
SETUP_TOPIC = "ledger.aggregates.setup:"
IS_SETUP = f"substr(topic, 1, {len(SETUP_TOPIC)}) = '{SETUP_TOPIC}'"  # no %: psycopg's placeholder
Row = dict[str, Any]


class SetupMoved(Exception):
    """Another process changed setup after this command read it: decide again."""


class StoreWatch:
    def __init__(self, ledger: Ledger, views: Views) -> None:
        self.ledger = ledger
        self.views = views
        self.stale: set[UUID] = set()
        self.lock = threading.Lock()  # the position and the marks, kept together
        self.read_position: int | None = None  # what the deciding command read up to
        table, column = events_table(ledger)
        ids = "string_agg(DISTINCT originator_id::text, ',')" if views.db.dialect == "postgresql" \
            else "group_concat(DISTINCT originator_id)"
        # One round trip: the newest position, the read models' tracking row, and what
        # was stored after the cache's position (the parameters), by whom and whether
        # setup. Parameters, not literals: the same text is prepared once.
        self.look_sql = (f"SELECT (SELECT MAX({column}) FROM {table}) AS latest, "
                         f"(SELECT {ids} FROM {table} WHERE {column} > ?) AS moved, "
                         f"(SELECT MAX(CASE WHEN {IS_SETUP} THEN 1 ELSE 0 END) FROM {table} "
                         f"WHERE {column} > ?) AS setup_moved, tracking.* "
                         f"FROM ledger_tracking tracking WHERE tracking.id = 1")
        # ... and the events themselves, the first RECENT of them: a command brings the
        # aggregates cached here up to date from these, with no read of its own.
        self.recent_sql = (f"SELECT {column} AS position, originator_id, originator_version, "
                           f"topic, state FROM {table} WHERE {column} > ? "
                           f"ORDER BY {column} LIMIT {RECENT}")
        self.setup_moved_sql = (f"SELECT 1 AS moved FROM {table} WHERE {column} > ? "
                                f"AND {column} < ? AND {IS_SETUP} LIMIT 1")
        # Nothing is cached yet, so nothing stored so far can be stale: the first look
        # reads what is stored from here on, not the whole history.
        started = views.db.one(f"SELECT MAX({column}) AS latest FROM {table}")
        self.position = (started or {}).get("latest") or 0

    def look(self, fast_forward: bool) -> bool:
        """Learn what was stored since; True when another process wrote. A command
        (`fast_forward`, under the write lock, so no other command holds a cached
        aggregate) brings the moved aggregates up to date from the same round trip; a
        query only marks them."""
        with self.lock:  # not the write lock: a read must not wait for a batch run
            after = self.position
            if fast_forward:
                look, recent = self.views.db.rows(*self.looks(after))
                return self.learn(after, look[0] if look else None, recent)
            [look] = self.views.db.rows(self.looks(after)[0])
            return self.learn(after, look[0] if look else None)

    def looks(self, after: int) -> tuple[Query, Query]:
        """What a command asks before it decides: the look, and the events since."""
        return (self.look_sql, (after, after)), (self.recent_sql, (after,))

    def learn_at_turn(self, after: int, found: list[list[Row]] | None) -> tuple[bool, bool]:
        """The looks the posting queue ran as this process's turn came: (whether they
        stand for the command's own look, whether another process wrote)."""
        with self.lock:
            if found is None or self.position != after:  # a query looked meanwhile
                return False, False
            [look, recent] = found
            return True, self.learn(after, look[0] if look else None, recent)

    def learn(self, after: int, row: Row | None, recent: list[Row] | None = None) -> bool:
        """What a look after position `after` found: the read models catch up (or adopt
        the numbers of the process that projected), the aggregates it moved are marked
        stale, or fast-forwarded from `recent` (the events after `after`, if given).
        True when another process wrote since this one last looked."""
        latest = (row or {}).get("latest") or 0
        if row is None or latest <= after:
            return False
        if latest > self.views.last_position:
            if row["position"] >= latest:  # projected by the process that stored them
                self.views.adopt(*tracked(row))
            else:
                self.views.catch_up(self.ledger.stored_from, self.ledger.decode_for_projections)
        moved = self.mark_moved(row["moved"] or "", bool(row["setup_moved"]))
        if recent is not None:
            self.fast_forward(moved, recent, latest)
        self.position = latest
        return bool(after)

    def mark_moved(self, moved: str, setup_moved: bool) -> set[UUID]:
        """What was stored after the cache's position (by anyone) moved those aggregates:
        their next load fast-forwards them, and moved setup empties the setup cache
        (another process's save projects its own events, so the read models here may
        never apply them). Bounded by what is new, not by the cache. Returns the cached
        aggregates marked."""
        marked: set[UUID] = set()
        cache = self.ledger.repository.cache
        if cache is not None:  # only what is cached can be stale
            held = cache.cache  # eventsourcing's Cache keeps its entries in a dict
            marked = {aggregate_id for aggregate_id in (
                UUID(text) for text in moved.split(",") if text) if aggregate_id in held}
            self.stale.update(marked)
        if setup_moved:
            self.views.setup_generation += 1
        return marked

    def fast_forward(self, moved: set[UUID], recent: list[Row], latest: int) -> None:
        """The moved aggregates brought up to date from the events stored since, as
        eventsourcing's fast-forward would read them: unless the events are cut short
        (more than RECENT) or an aggregate's run of versions has a hole, which stays
        stale (its next load reads the store)."""
        if len(recent) == RECENT and recent[-1]["position"] < latest:
            return
        cache, broken = self.ledger.repository.cache, set()
        for row in recent:
            aggregate_id = row["originator_id"]
            aggregate_id = aggregate_id if isinstance(aggregate_id, UUID) else UUID(aggregate_id)
            if row["position"] > latest or aggregate_id not in moved or aggregate_id in broken:
                continue
            aggregate, version = cache.get(aggregate_id), row["originator_version"]
            if version == aggregate.version + 1:
                try:
                    self.ledger.mapper.to_domain_event(StoredEvent(
                        originator_id=aggregate_id, originator_version=version,
                        topic=row["topic"], state=bytes(row["state"]))).mutate(aggregate)
                except Exception:  # half applied: never decide on it; its load says why
                    cache.get(aggregate_id, evict=True)
                    broken.add(aggregate_id)
            elif version > aggregate.version:
                broken.add(aggregate_id)
        self.stale.difference_update(moved - broken)

    def saved(self, first: int, last: int) -> None:
        """This process stored positions first..last: when nobody else wrote in between,
        what it caches is as stored up to `last`."""
        with self.lock:
            if first == self.position + 1:
                self.position = last

    def check_setup_unmoved(self, cursor: Any, first_own: int) -> None:
        """Inside a save's transaction: setup stored by another process after this
        command read it means the command decided on a stale copy, so it must not commit."""
        if self.read_position is None or first_own - 1 <= self.read_position:
            return
        cursor.execute(self.setup_moved_sql, (self.read_position, first_own))
        if cursor.fetchone():
            raise SetupMoved
