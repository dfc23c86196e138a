"""What a database error means for a client: a bounded wait ran out (BUSY), or the
connection to the database was lost (retry once, then UNAVAILABLE). Either way nothing
was stored: the save's transaction rolled back."""
from __future__ import annotations

import sqlite3

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError

from ledger.errors import ErrorCode, LedgerError

CONNECTION_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError,
                     psycopg.InterfaceError, sqlite3.OperationalError)


def causes(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    while error is not None and error not in found:
        found.append(error)
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return found


def is_lock_timeout(error: BaseException) -> bool:
    """PostgreSQL's lock_timeout, or SQLite's busy timeout."""
    return any(isinstance(cause, psycopg.errors.LockNotAvailable)
               or (isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause))
               for cause in causes(error))


def unavailable() -> LedgerError:
    return LedgerError(ErrorCode.UNAVAILABLE, "the database did not answer (the connection "
                       "was lost twice); nothing was stored: send the request again",
                       retry_after=1.0)
