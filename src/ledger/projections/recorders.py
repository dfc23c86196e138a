"""Event recorders that write the read models in the events' own transaction.

A save passes `project=callback`; once the events are inserted and their notification
ids known, the callback applies them to the read models with the same cursor, before
the one commit. So a posting pays one commit, and its read models can never lag behind
or run ahead of its events (architecture.md, "Read side").
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from ledger.projections.sql import PostgresCursor
from ledger.projections.views import tracked, tracking_sql


class StoredRow(NamedTuple):
    """A stored event as the read models read it: a Notification's fields, but its
    originator id left as the stored text and built without a frozen dataclass's
    per-field setattr (a rebuild makes one for every event)."""
    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


class ProjectingSQLiteRecorder(SQLiteApplicationRecorder):
    def select_stored(self, start: int, limit: int) -> list[StoredRow]:
        """select_notifications without turning each originator id into a UUID (a tenth
        of a rebuild): the read models want most events without it, and the decoder
        converts it for those that need it."""
        with self.datastore.transaction(commit=False) as c:
            raw = c.sqlite_cursor
            raw.row_factory = None  # plain tuples
            raw.execute(f"SELECT rowid, originator_id, originator_version, topic, state "
                        f"FROM {self.events_table_name} WHERE rowid >= ? ORDER BY rowid LIMIT ?",
                        (start, limit))
            return list(map(StoredRow._make, raw.fetchall()))

    def insert_within(self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent]
                      ) -> list[int]:
        """More events in a save's open transaction (a streamed save's next batch)."""
        return list(super()._insert_events(cursor, stored_events) or ())

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if kwargs.get("project") and ids:
            kwargs["project"](c, list(ids), None)
        return ids


class ProjectionFailed(BaseException):
    """Carries an error raised while projecting out of eventsourcing's PostgreSQL
    recorder, which catches every Exception inside its pipelined transaction and then
    leaves the transaction to commit: the events would be stored without their read
    models. A BaseException passes through, and the transaction rolls back."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class ProjectingPostgresRecorder(PostgresApplicationRecorder):
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """A projecting save locks the tracking row first in its pipeline, so the row
        comes back with the inserted events' ids instead of in a round trip of its own.
        Every writer of events projects, so all take the tracking row before the events
        table, and a batch run's numbering before both: no two wait on each other."""
        if kwargs.get("project"):
            kwargs["tracking"] = []  # the cursor holding the row, per attempt
        try:
            # One attempt: eventsourcing's own retry (ten, 0.2 s apart) would turn a lock
            # timeout into ten, and the unit of work decides what a lost connection means.
            return PostgresApplicationRecorder.insert_events.__wrapped__(  # type: ignore[attr-defined]
                self, stored_events, **kwargs)
        except ProjectionFailed as failed:
            raise failed.error from None

    def insert_within(self, cursor: PostgresCursor, stored_events: Sequence[StoredEvent]
                      ) -> list[int]:
        """More events in a save's open transaction (a streamed save's next batch), which
        holds the events table's lock already. On a cursor of its own: in pipeline mode
        the result of the projection's last statement can come in while the batch is
        sent, goes to the cursor that ran it, and would be fetched as the batch's ids."""
        with cursor.raw.connection.cursor() as curs:
            super(PostgresApplicationRecorder, self)._insert_stored_events(curs, stored_events)
            return [row["notification_id"] for row in curs.fetchall()]

    def select_stored(self, start: int, limit: int) -> list[Notification]:
        """psycopg reads originator ids as UUIDs already."""
        return self.select_notifications(start, limit)

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> None:
        """First in the save's transaction, before the events table's lock."""
        if kwargs.get("shared_lock") is not None:
            curs.execute(f"SET LOCAL lock_timeout = '{int(kwargs['lock_timeout_ms'])}ms'")
            curs.execute("SELECT pg_advisory_xact_lock_shared(%s)", (kwargs["shared_lock"],))
        if kwargs.get("project") and stored_events:
            tracking = curs.connection.cursor()
            tracking.execute(tracking_sql("postgresql"))
            kwargs["tracking"][:] = [tracking]

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if kwargs.get("project") and ids:
            with kwargs["tracking"][0] as tracking:
                locked = tracked(tracking.fetchone())
            try:
                kwargs["project"](PostgresCursor(curs), list(ids), locked)
            except Exception as error:
                raise ProjectionFailed(error) from error
        return ids
