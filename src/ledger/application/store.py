"""The one eventsourcing Application holding every aggregate, and its read models.

One Application means one events table, so an event's position is its notification id
and the audit trail, asOfPosition and verifyProjections all count the same events.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, Notification, Recording, Transcoder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.aggregates.item import Item
from ledger.application.transcoder import (OrjsonTranscoder, PayloadMapper, projection_decoder,
                                           todays_changes)
from ledger.projections.sql import Database, PostgresDatabase, SQLiteDatabase
from ledger.projections.views import Views
from ledger.settings import Persistence


class Ledger(Application):
    """eventsourcing's Application with what profiling a posting asked for: events
    collected without its runtime-checked Protocols, a snapshot taken from the aggregate
    just saved instead of one reconstructed from the store (a replay of up to an
    interval's events, each checked against a Protocol), and orjson encoding; plus the
    decoder the read models use to catch up and rebuild."""

    name = "Ledger"
    snapshotting_intervals = {Item: 100}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env=env)
        self.decode_for_projections = projection_decoder(self.mapper)

    def stored_from(self, start: int, limit: int) -> Sequence[Notification]:
        """Stored events from `start` on, for the read models; an originator id may be its
        stored text (SQLite): decode with `decode_for_projections`."""
        return self.recorder.select_stored(start, limit)  # type: ignore[attr-defined]

    def insert_within(self, cursor: Any, events: list[Any]) -> list[int]:
        """Store more events in the transaction a save's `project` callback is given;
        returns their notification ids."""
        return self.recorder.insert_within(  # type: ignore[attr-defined]
            cursor, [self.mapper.to_stored_event(event) for event in events])

    def construct_transcoder(self) -> Transcoder:
        return OrjsonTranscoder()

    def construct_mapper(self) -> Mapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(),
                                   mapper_class=PayloadMapper)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """An object that is not an aggregate is an event saved as it is."""
        processing = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            elif obj is not None:
                processing.events.append(obj)
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def _take_snapshots(self, processing_event: ProcessingEvent) -> None:
        """The saved aggregate is the recorded state at its version, so a snapshot of it
        is as good as one rebuilt from the store, at any version from the interval's on.

        An item keeps its open state only, so its snapshots are bounded by what is open;
        one with many open entries is snapshotted less often (see `snapshot_due`)."""
        due: dict[Any, Aggregate] = {}
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and snapshot_due(event.originator_version, interval,
                                         len(getattr(aggregate, "entries", ()))):
                due[aggregate.id] = aggregate
        if due and self.snapshots is not None:
            self.snapshots.put([type(aggregate).Snapshot.take(aggregate)
                                for aggregate in due.values()])


def snapshot_due(version: int, interval: int, size: int) -> bool:
    """Every `interval` x 2^k events, 2^k the fewest that make the step at least the
    state's `size` (its live entries): a snapshot then costs the events since the last
    one a bounded share each, and a cold load replays at most one step."""
    step = interval
    while step < size:
        step *= 2
    return version % step == 0


def ledger_env(persistence: Persistence) -> dict[str, str]:
    """The Ledger application's settings for eventsourcing."""
    recorder = "ProjectingSQLiteRecorder" if persistence.dialect == "sqlite" \
        else "ProjectingPostgresRecorder"
    return {**persistence.eventsourcing_env, "AGGREGATE_CACHE_MAXSIZE": "1000",
            "COMPRESSOR_TOPIC": "ledger.application.compression:ZlibOrPlain",
            "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
            "APPLICATION_RECORDER_TOPIC": f"ledger.projections.recorders:{recorder}"}


def open_store(persistence: Persistence) -> tuple[Ledger, Database]:
    """The event store and the read models' database, every table created (on
    PostgreSQL under a lock, so processes that start together do not collide)."""
    env = ledger_env(persistence)
    if persistence.dialect == "sqlite":
        db: Database = SQLiteDatabase(persistence.sqlite_path)
        ledger = Ledger(env=env)
        Views(db).create_tables()
        return ledger, db
    db = PostgresDatabase(persistence.postgres_conninfo)
    with db.schema_lock():
        ledger = Ledger(env={**env, "CREATE_TABLE": "n"})
        recorders = [ledger.recorder, *([ledger.snapshots.recorder] if ledger.snapshots else [])]
        with db.write() as cursor:
            missing = [r for r in recorders if not db.exists(cursor, r.events_table_name)]
        for recorder in missing:
            recorder.create_table()  # type: ignore[attr-defined]
        Views(db).create_tables()
    return ledger, db


def events_table(ledger: Ledger) -> tuple[str, str]:
    """(table, position column) of the events, for the audit trail's own SQL."""
    recorder: Any = ledger.recorder
    if isinstance(recorder, SQLiteApplicationRecorder):
        return recorder.events_table_name, "rowid"
    return recorder.events_table_name, "notification_id"


def json_ready(value: Any) -> Any:
    """An event's state as plain JSON for the audit trail: amounts stay exact strings."""
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


ITEM_TOPIC = f"{Item.__module__}:{Item.__qualname__}."


def payload(ledger: Ledger, notification: Notification) -> dict[str, Any]:
    """A stored event's state as JSON; an Item change in today's layout, its value
    entries whole."""
    state = notification.state
    if ledger.mapper.compressor is not None:
        state = ledger.mapper.compressor.decompress(state)
    decoded = ledger.mapper.transcoder.decode(state)
    if isinstance(decoded.get("changes"), dict) and notification.topic.startswith(ITEM_TOPIC):
        todays_changes(decoded)
    return json_ready(decoded)


def dumps(value: Any) -> str:
    return json.dumps(json_ready(value), sort_keys=True)
