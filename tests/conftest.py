"""Fixtures: a fresh ledger on SQLite and on the real PostgreSQL at 127.0.0.1:5432."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import NoReturn
from pathlib import Path

import psycopg
import pytest

from ledger.application import LedgerService

POSTGRES_ADMIN = os.environ.get("LEDGER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1/postgres")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def missing(message: str) -> NoReturn:
    """Something a case needs is not on this machine: skipped with the reason, except in
    CI (CI=true), which must run everything."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_postgres() -> None:
    if not postgres_available():
        missing(f"PostgreSQL is not answering at {POSTGRES_ADMIN}: start it to run this case")


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


# Tests that start servers or processes, or run long: `make test-fast` leaves them out.
SLOW_MODULES = {"test_crash_safety", "test_concurrency", "test_properties", "test_batch_processes",
                "test_rebuild_in_two_processes", "test_bench_smoke", "test_fuzzing",
                "test_several_servers", "test_server_restart", "test_old_stores",
                "test_adjust_cost_properties", "test_bounded_waits", "test_verify_without_lock",
                "test_open_state_properties", "test_web_app"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The markers of pyproject.toml, applied: `postgres` to every case on the real
    PostgreSQL, `scenario` to the worked scenarios, `slow` to the modules above."""
    for item in items:
        parameters = getattr(item, "callspec", None)
        on_postgres = "postgres_url" in getattr(item, "fixturenames", ()) or (
            parameters is not None and "postgresql" in parameters.params.values())
        if on_postgres:
            item.add_marker(pytest.mark.postgres)
        if item.module is not None and item.module.__name__.endswith("test_scenarios"):
            item.add_marker(pytest.mark.scenario)
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new empty database, dropped afterwards (without a PostgreSQL server: `missing`)."""
    require_postgres()
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
