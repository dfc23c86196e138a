"""The numbering lock: a batch run holds the G/L entry numbering for its whole duration
(domain.md section 6), so its entries are contiguous under its one register.

In one process the unit of work's lock does it. Across processes on PostgreSQL a
session advisory lock does: a batch run takes it exclusively, a posting shares it while
it saves, so postings wait for a run and never starve it.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ledger.projections.sql import Database

NUMBERING_KEY = 7_201_700_001


class NumberingLock:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def held(self, exclusive: bool) -> Iterator[None]:
        if self.db.dialect != "postgresql":
            yield
            return
        suffix = "" if exclusive else "_shared"
        with self.db.pool.connection() as connection:  # type: ignore[attr-defined]
            connection.execute(f"SELECT pg_advisory_lock{suffix}(%s)", (NUMBERING_KEY,))
            try:
                yield
            finally:
                connection.execute(f"SELECT pg_advisory_unlock{suffix}(%s)", (NUMBERING_KEY,))
