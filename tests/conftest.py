"""Fixtures: a fresh ledger on SQLite and on the real PostgreSQL at 127.0.0.1:5432."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ledger.application import LedgerService

POSTGRES_ADMIN = os.environ.get("LEDGER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1/postgres")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new empty database, dropped afterwards."""
    name = f"ledger_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/ledger.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/ledger.db"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def service(database_url: str) -> Iterator[LedgerService]:
    ledger = LedgerService(database_url)
    yield ledger
    ledger.close()
