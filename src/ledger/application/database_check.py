"""Before a command opens the ledger: which database, and is it there? One plain sentence
for each way it is not (not a database URL, no database at that path, the server not
answering, the database or the user unknown), within a few seconds, instead of a
traceback, a 30 s pool timeout or a new empty database beside the wrong directory."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from ledger.settings import persistence

CONNECT_SECONDS = 5


class DatabaseProblem(Exception):
    """What is wrong with the database a command was given, in one sentence."""


def shown(database_url: str) -> str:
    """The URL as a person may see it: any password masked."""
    parts = urlsplit(database_url)
    if parts.password is None:
        return database_url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def check_database(database_url: str, create: bool) -> str | None:
    """Raise DatabaseProblem unless the database can be opened; a command that only
    works on existing books (`create` false) never makes a new SQLite file. Returns the
    path of the SQLite file about to be created, if any."""
    try:
        where = persistence(database_url)
    except ValueError:
        raise DatabaseProblem(
            f"{database_url!r} is not a database URL: use sqlite:///path/to/ledger.db or "
            "postgresql://user@host[:port]/database in LEDGER_DATABASE_URL") from None
    if where.dialect == "sqlite":
        path = Path(where.sqlite_path)
        if not create and not path.exists():
            raise DatabaseProblem(f"there is no database at {path.resolve()}: check "
                                  "LEDGER_DATABASE_URL (a relative path is taken from the "
                                  "current directory), or create the books with `ledger demo` "
                                  "or `ledger serve`")
        if create and not path.resolve().parent.is_dir():
            raise DatabaseProblem(f"the directory {path.resolve().parent} does not exist")
        return None if path.exists() else str(path.resolve())
    try:
        with psycopg.connect(where.postgres_conninfo, connect_timeout=CONNECT_SECONDS):
            pass
    except psycopg.OperationalError as error:
        raise DatabaseProblem(postgres_problem(str(error), shown(database_url))) from None
    return None


def postgres_problem(message: str, url: str) -> str:
    if "does not exist" in message and "database" in message:
        return f"the database of {url} does not exist: create it with `createdb`, e.g. " \
               f"`createdb -h HOST -U USER NAME`"
    if "password authentication failed" in message or "role" in message:
        return f"PostgreSQL refused the user or password of {url}"
    return f"the PostgreSQL server of {url} is not answering (is it running, and is the " \
           f"host and port right?)"
