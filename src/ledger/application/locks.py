"""The numbering lock: a batch run holds the G/L entry numbering for its whole duration
(domain.md section 6), so its entries are contiguous under its one register.

In one process the unit of work's lock does it. Across processes a batch run takes the
numbering exclusively and a posting shares it while it saves, so postings wait for a run
and never starve it: on PostgreSQL with advisory locks, on SQLite with an flock on a
file beside the database.

A posting on PostgreSQL takes its share inside its own save transaction, before the
events table's lock (the order a batch run takes them in, so the two cannot deadlock),
and commit releases it: the statement rides in the save's pipeline, where a session
lock on a pooled connection had cost two round trips (0.33 ms of a 3.3 ms posting).
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ledger.projections.sql import Database

NUMBERING_KEY = 7_201_700_001


class NumberingLock:
    def __init__(self, db: Database, sqlite_path: str = "") -> None:
        self.db = db
        self.lock_file = f"{sqlite_path}.numbering-lock" if sqlite_path and sqlite_path != ":memory:" \
            else ""

    @contextmanager
    def held(self) -> Iterator[None]:
        """Exclusively, for a batch run's whole duration."""
        if self.db.dialect == "postgresql":
            with self.advisory():
                yield
        elif self.lock_file:
            with self.flocked(exclusive=True):
                yield
        else:
            yield

    @contextmanager
    def shared_for_save(self) -> Iterator[dict[str, Any]]:
        """A posting's share, as the save's keyword arguments: on PostgreSQL the
        recorder takes it in the save's transaction (ProjectingPostgresRecorder)."""
        if self.db.dialect == "postgresql":
            yield {"shared_lock": NUMBERING_KEY}
        elif self.lock_file:
            with self.flocked(exclusive=False):
                yield {}
        else:
            yield {}

    @contextmanager
    def advisory(self) -> Iterator[None]:
        with self.db.pool.connection() as connection:  # type: ignore[attr-defined]
            connection.execute("SELECT pg_advisory_lock(%s)", (NUMBERING_KEY,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (NUMBERING_KEY,))

    @contextmanager
    def flocked(self, exclusive: bool) -> Iterator[None]:
        descriptor = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock
