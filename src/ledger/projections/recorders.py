"""Event recorders that write the read models in the events' own transaction.

A save passes `project=callback`; once the events are inserted and their notification
ids known, the callback applies them to the read models with the same cursor, before
the one commit. So a posting pays one commit, and its read models can never lag behind
or run ahead of its events (architecture.md, "Read side").
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from ledger.projections.sql import PostgresCursor


class ProjectingSQLiteRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if kwargs.get("project") and ids:
            kwargs["project"](c, list(ids))
        return ids


class ProjectingPostgresRecorder(PostgresApplicationRecorder):
    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if kwargs.get("project") and ids:
            kwargs["project"](PostgresCursor(curs), list(ids))
        return ids
