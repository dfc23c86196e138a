"""The numbering lock: a batch run holds the G/L entry numbering for its whole duration
(domain.md section 6), so its entries are contiguous under its one register.

In one process the unit of work's lock does it. Across processes a batch run takes the
numbering exclusively and a posting shares it while it saves, so postings wait for a run
and never starve it: on PostgreSQL with a session advisory lock, on SQLite with an
flock on a file beside the database.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from ledger.projections.sql import Database

NUMBERING_KEY = 7_201_700_001


class NumberingLock:
    def __init__(self, db: Database, sqlite_path: str = "") -> None:
        self.db = db
        self.lock_file = f"{sqlite_path}.numbering-lock" if sqlite_path and sqlite_path != ":memory:" \
            else ""

    @contextmanager
    def held(self, exclusive: bool) -> Iterator[None]:
        if self.db.dialect == "postgresql":
            with self.advisory(exclusive):
                yield
        elif self.lock_file:
            with self.flocked(exclusive):
                yield
        else:
            yield

    @contextmanager
    def advisory(self, exclusive: bool) -> Iterator[None]:
        suffix = "" if exclusive else "_shared"
        with self.db.pool.connection() as connection:  # type: ignore[attr-defined]
            connection.execute(f"SELECT pg_advisory_lock{suffix}(%s)", (NUMBERING_KEY,))
            try:
                yield
            finally:
                connection.execute(f"SELECT pg_advisory_unlock{suffix}(%s)", (NUMBERING_KEY,))

    @contextmanager
    def flocked(self, exclusive: bool) -> Iterator[None]:
        descriptor = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock
