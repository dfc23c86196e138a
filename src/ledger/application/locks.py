"""The numbering lock: a batch run holds the G/L entry numbering for its whole duration
(domain.md section 6), so its entries are contiguous under its one register.

In one process the unit of work's lock does it. Across processes a batch run takes the
numbering exclusively and a posting shares it while it saves, so postings wait for a run
and never starve it: on PostgreSQL with advisory locks, on SQLite with an flock on a
file beside the database.

A posting on PostgreSQL takes its share inside its own save transaction, before the
events table's lock (the order a batch run takes them in, so the two cannot deadlock),
and commit releases it: the statement rides in the save's pipeline, where a session
lock on a pooled connection had cost two round trips.

Every wait is bounded by `timeout` (LEDGER_LOCK_TIMEOUT): a batch run that holds the
numbering longer, or a process stopped while holding it, makes the waiter answer BUSY
with nothing stored, never hang: on PostgreSQL through `lock_timeout` (in the save's
transaction, see ProjectingPostgresRecorder, and on the read models' connections), on
SQLite by polling the flock.
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from ledger.errors import busy
from ledger.projections.sql import Database, Query, pipelined

NUMBERING_KEY = 7_201_700_001
QUEUE_KEY = 7_201_700_002
POLL_SECONDS = 0.01


def until(deadline_seconds: float, attempt: Callable[[], bool]) -> bool:
    """Try `attempt` until it succeeds or the time is up."""
    deadline = time.monotonic() + deadline_seconds
    while not attempt():
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


class NumberingLock:
    def __init__(self, db: Database, sqlite_path: str = "", timeout: float = 5.0) -> None:
        self.db = db
        self.timeout = timeout
        self.lock_file = f"{sqlite_path}.numbering-lock" if sqlite_path and sqlite_path != ":memory:" \
            else ""
        self.queue_file = f"{sqlite_path}.queue-lock" if self.lock_file else ""
        self.descriptors: dict[str, int] = {}

    @contextmanager
    def held(self) -> Iterator[None]:
        """Exclusively, for a batch run's whole duration."""
        if self.db.dialect == "postgresql":
            with self.advisory(NUMBERING_KEY, "the entry numbering"):
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
            yield {"shared_lock": NUMBERING_KEY, "lock_timeout_ms": int(self.timeout * 1000)}
        elif self.lock_file:
            with self.flocked(exclusive=False):
                yield {}
        else:
            yield {}

    @contextmanager
    def queued(self, looks: tuple[Query, ...] = ()) -> Iterator[list[list[dict[str, Any]]] | None]:
        """Postings of every process one after another, from reading their numbers to
        their commit: when several servers post at once, a queue instead of races lost
        and retried. PostgreSQL grants its advisory lock to waiters in arrival order,
        and runs `looks` (queries) in the same round trip the moment the turn comes, so
        the turn does not wait for this process to wake up and ask: their rows are
        yielded (None where the queue cannot look)."""
        if self.db.dialect == "postgresql":
            with self.advisory(QUEUE_KEY, "the posting queue", looks) as rows:
                yield rows
        elif self.queue_file:
            with self.flocked(exclusive=True, path=self.queue_file):
                yield None
        else:
            yield None

    @contextmanager
    def advisory(self, key: int, what: str, then: tuple[Query, ...] = ()
                 ) -> Iterator[list[list[dict[str, Any]]]]:
        """A session advisory lock on a pooled connection, whose lock_timeout (set for
        the read models' connections in settings.persistence) bounds the wait; the
        queries `then` pipelined behind it, their rows yielded."""
        with self.db.pool.connection() as connection:  # type: ignore[attr-defined]
            try:
                rows = pipelined(connection, (("SELECT pg_advisory_lock(?)", (key,)), *then))[1:]
            except psycopg.errors.LockNotAvailable as error:
                raise busy(what, self.timeout) from error
            try:
                yield rows
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def descriptor(self, path: str) -> int:
        """The lock file, opened once per process (opening and closing it cost a posting
        two system calls more). A process takes it from one thread at a time: every
        caller holds the unit of work's write lock, as it must, since flock sees one
        owner in the open file, not threads."""
        if path not in self.descriptors:
            self.descriptors[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        return self.descriptors[path]

    def close(self) -> None:
        for descriptor in self.descriptors.values():
            os.close(descriptor)
        self.descriptors.clear()

    @contextmanager
    def flocked(self, exclusive: bool, path: str = "") -> Iterator[None]:
        descriptor = self.descriptor(path or self.lock_file)
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB

        def taken() -> bool:
            try:
                fcntl.flock(descriptor, mode)
                return True
            except BlockingIOError:
                return False

        if not until(self.timeout, taken):
            raise busy("the entry numbering", self.timeout)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
