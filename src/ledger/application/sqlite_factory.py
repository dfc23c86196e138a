"""eventsourcing's SQLite persistence, with a statement cache that caches.

eventsourcing 9.5 opens its connections with `cached_statements=True`, which sqlite3
takes as a cache of one statement: a posting runs some fifteen statements on that
connection (its events and every read model), so each was compiled afresh every time.
Everything else is eventsourcing's own.
"""
from __future__ import annotations

import sqlite3

from eventsourcing.persistence import InterfaceError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteFactory,
)
from eventsourcing.utils import Environment, EnvType

CACHED_STATEMENTS = 256


class StatementCachingPool(SQLiteConnectionPool):
    def _create_connection(self) -> SQLiteConnection:
        try:
            connection = sqlite3.connect(
                self.db_name, uri=True, check_same_thread=False, isolation_level=None,
                cached_statements=CACHED_STATEMENTS,
                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT)
        except (sqlite3.Error, TypeError) as error:
            raise InterfaceError(error) from error
        if not self.is_sqlite_memory_mode:
            connection.execute("PRAGMA journal_mode=WAL")
            self.is_journal_mode_wal = True
        connection.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=connection, max_age=self.max_age)


class StatementCachingSQLiteFactory(SQLiteFactory):
    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        default = self.datastore.pool
        self.datastore.pool = StatementCachingPool(db_name=default.db_name,
                                                   lock_timeout=default.lock_timeout)
        default.close()
