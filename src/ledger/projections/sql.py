"""One way to talk SQL to SQLite and PostgreSQL, for the read models.

Statements are written with `?` placeholders and rows come back as dicts on both.
Writes take the database's write lock at BEGIN (SQLite `BEGIN IMMEDIATE`, PostgreSQL a
row lock on the tracking row), so two processes never apply the same events twice.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

Row = dict[str, Any]
SCHEMA_LOCK_KEY = 7_201_700_002


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[Row]: ...
    def fetchone(self) -> Row | None: ...


class Database(Protocol):
    dialect: str

    def schema_lock(self) -> Any: ...
    def exists(self, cursor: Any, name: str) -> bool: ...
    def has_column(self, cursor: Any, table: str, column: str) -> bool: ...
    def write(self) -> Any: ...
    def read(self) -> Any: ...
    def snapshot(self) -> Any: ...
    def scalar(self, sql: str) -> Any: ...
    def one(self, sql: str) -> Row | None: ...
    def rows(self, *queries: Query) -> list[list[Row]]: ...
    def close(self) -> None: ...


Statement = tuple[str, Any, bool]  # (sql, its parameters, executemany)
Query = tuple[str, Sequence[Any]]  # (sql with ? placeholders, its parameters)


class RecordingCursor:
    """Executes nothing: keeps each statement, for another process to execute in the
    same order (ledger.application.rebuild). The projector only writes, so nothing it
    does waits for an answer."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.statements.append((sql, params, False))

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        self.statements.append((sql, list(params), True))

    def fetchall(self) -> list[Row]:
        raise TypeError("a recording cursor has no rows")

    def fetchone(self) -> Row | None:
        raise TypeError("a recording cursor has no rows")

    def take(self) -> list[Statement]:
        """The statements so far, and a fresh start."""
        statements, self.statements = self.statements, []
        return statements


def replay(cursor: Cursor, statements: Iterable[Statement]) -> None:
    for sql, params, many in statements:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)


def dict_row(cursor: sqlite3.Cursor, row: tuple) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row)}


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self.memory = path == ":memory:"
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                     timeout=30)
        connection.row_factory = dict_row
        if not self.memory:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def connection(self) -> sqlite3.Connection:
        if self.memory:  # one in-memory database means one connection
            if self._shared is None:
                self._shared = self._connect()
            return self._shared
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """SQLite serializes DDL itself."""
        yield

    @staticmethod
    def exists(cursor: Any, name: str) -> bool:
        cursor.execute("SELECT 1 AS found FROM sqlite_master WHERE name = ?", (name,))
        return cursor.fetchone() is not None

    @staticmethod
    def has_column(cursor: Any, table: str, column: str) -> bool:
        cursor.execute("SELECT 1 AS found FROM pragma_table_info(?) WHERE name = ?",
                       (table, column))
        return cursor.fetchone() is not None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            connection = self.connection()
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Cursor]:
        lock = self._lock if self.memory else _NO_LOCK
        with lock:
            connection = self.connection()
            cursor = connection.cursor()
            cursor.execute("BEGIN")
            try:
                yield cursor
            finally:
                connection.rollback()

    def snapshot(self) -> Any:
        """Every read in it sees the database as of its first: a WAL read transaction."""
        return self.read()

    def scalar(self, sql: str) -> Any:
        """One value in autocommit: no BEGIN and ROLLBACK around a lone SELECT."""
        row = self.one(sql)
        return next(iter(row.values())) if row else None

    def one(self, sql: str) -> Row | None:
        """One row in autocommit."""
        lock = self._lock if self.memory else _NO_LOCK
        with lock:
            return self.connection().execute(sql).fetchone()

    def rows(self, *queries: Query) -> list[list[Row]]:
        """Every row of each query, in autocommit (each its own snapshot)."""
        lock = self._lock if self.memory else _NO_LOCK
        with lock:
            return [self.connection().execute(sql, params).fetchall() for sql, params in queries]

    def close(self) -> None:
        for connection in (self._shared, getattr(self._local, "connection", None)):
            if connection is not None:
                connection.close()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


_NO_LOCK = _NoLock()


class PostgresCursor:
    """psycopg's cursor with `?` placeholders, as the read models write them."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    @property
    def raw(self) -> Any:
        """psycopg's own cursor, whose connection holds the save's transaction."""
        return self._cursor

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(self._sql(sql), params, prepare=bool(params))

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> Any:
        return self._cursor.executemany(self._sql(sql), params)

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall()

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone()


def pipelined(connection: Any, queries: Sequence[Query]) -> list[list[Row]]:
    """The queries sent in one pipeline, in order, prepared (the same text each time);
    every row of each."""
    with connection.pipeline():
        cursors = [connection.execute(PostgresCursor._sql(sql), params, prepare=True)
                   for sql, params in queries]
    return [cursor.fetchall() for cursor in cursors]


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, conninfo: str, pool_size: int = 4) -> None:
        from psycopg.rows import dict_row as pg_dict_row
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(conninfo, min_size=1, max_size=pool_size, open=True,
                                   kwargs={"row_factory": pg_dict_row, "autocommit": True})

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """Processes starting at once would otherwise race on the catalog ("tuple
        concurrently updated") with their CREATE ... IF NOT EXISTS."""
        with self.pool.connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))

    @staticmethod
    def exists(cursor: Any, name: str) -> bool:
        """Checked first: CREATE ... IF NOT EXISTS locks the table even when it exists,
        which can deadlock with another process writing to it."""
        cursor.execute("SELECT to_regclass(?) IS NOT NULL AS found", (name,))
        return bool(cursor.fetchone()["found"])

    @staticmethod
    def has_column(cursor: Any, table: str, column: str) -> bool:
        cursor.execute("SELECT 1 AS found FROM information_schema.columns WHERE table_schema "
                       "= current_schema() AND table_name = ? AND column_name = ?",
                       (table, column))
        return cursor.fetchone() is not None

    @contextmanager
    def write(self) -> Iterator[PostgresCursor]:
        with self.pool.connection() as connection, connection.transaction():
            yield PostgresCursor(connection.cursor())

    @contextmanager
    def read(self) -> Iterator[PostgresCursor]:
        with self.pool.connection() as connection, connection.transaction(force_rollback=True):
            yield PostgresCursor(connection.cursor())

    @contextmanager
    def snapshot(self) -> Iterator[PostgresCursor]:
        """Every read in it sees the database as of its first (READ COMMITTED would give
        each statement a newer one)."""
        with self.pool.connection() as connection, connection.transaction(force_rollback=True):
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield PostgresCursor(connection.cursor())

    def scalar(self, sql: str) -> Any:
        row = self.one(sql)
        return next(iter(row.values())) if row else None

    def one(self, sql: str) -> Row | None:
        with self.pool.connection() as connection:
            return connection.execute(sql).fetchone()

    def rows(self, *queries: Query) -> list[list[Row]]:
        """Every row of each query, sent together: one round trip."""
        with self.pool.connection() as connection:
            return pipelined(connection, queries)

    def close(self) -> None:
        self.pool.close()
