"""The private parts of libraries this code overrides or calls, checked by name and shape.

pyproject.toml pins each library to the versions these were written against. When an
upgrade moves one of them, the test below that names it fails with a plain sentence
saying which library, which version and which of our modules to look at, instead of a
posting failing somewhere deep at run time.
"""
from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import Any

import pytest

EVENTSOURCING = f"eventsourcing {version('eventsourcing')}"
STRAWBERRY = f"strawberry-graphql {version('strawberry-graphql')}"


def has(owner: Any, name: str, parameters: tuple[str, ...], library: str, ours: str) -> None:
    member = getattr(owner, name, None)
    assert member is not None, f"{library}: {owner.__name__}.{name} is gone; {ours} relies on it"
    found = tuple(inspect.signature(inspect.unwrap(member)).parameters)
    assert found[:len(parameters)] == parameters, (
        f"{library}: {owner.__name__}.{name} now takes {found}, {ours} was written for "
        f"{parameters}")


@pytest.mark.parametrize("module, owner, name, parameters, ours", [
    ("eventsourcing.application", "Application", "_record", ("self", "processing_event"),
     "ledger.application.store.Ledger.save"),
    ("eventsourcing.application", "Application", "_notify", ("self", "recordings"),
     "ledger.application.store.Ledger.save"),
    ("eventsourcing.application", "Application", "_take_snapshots", ("self", "processing_event"),
     "ledger.application.store.Ledger"),
    ("eventsourcing.sqlite", "SQLiteApplicationRecorder", "_insert_events", ("self", "c",
                                                                            "stored_events"),
     "ledger.projections.recorders.ProjectingSQLiteRecorder"),
    ("eventsourcing.postgres", "PostgresApplicationRecorder", "_insert_events",
     ("self", "curs", "stored_events"), "ledger.projections.recorders.ProjectingPostgresRecorder"),
    ("eventsourcing.postgres", "PostgresApplicationRecorder", "_fetch_ids_after_insert_events",
     ("self", "curs", "stored_events"), "ledger.projections.recorders.ProjectingPostgresRecorder"),
    ("eventsourcing.postgres", "PostgresAggregateRecorder", "_insert_stored_events",
     ("self", "curs", "stored_events"), "ledger.projections.recorders.ProjectingPostgresRecorder"),
    ("eventsourcing.sqlite", "SQLiteConnectionPool", "_create_connection", ("self",),
     "ledger.application.sqlite_factory.StatementCachingPool"),
])
def test_an_eventsourcing_private_api_we_override_is_as_written_for(
        module: str, owner: str, name: str, parameters: tuple[str, ...], ours: str) -> None:
    has(getattr(__import__(module, fromlist=[owner]), owner), name, parameters, EVENTSOURCING, ours)


def test_eventsourcings_insert_retry_can_be_bypassed() -> None:
    from eventsourcing.postgres import PostgresApplicationRecorder
    assert hasattr(PostgresApplicationRecorder.insert_events, "__wrapped__"), (
        f"{EVENTSOURCING}: insert_events is no longer a functools.wraps'd retry; "
        "ledger.projections.recorders calls the function under it")


def test_strawberrys_input_hook_is_as_written_for() -> None:
    from strawberry.types.arguments import InputContext
    from strawberry.types.base import StrawberryObjectDefinition
    assert "from_input" in {f.name for f in __import__("dataclasses").fields(
        StrawberryObjectDefinition)}, (f"{STRAWBERRY}: StrawberryObjectDefinition.from_input is "
                                       "gone; ledger.api.input_plans sets it")
    assert InputContext is not None


def test_strawberrys_http_hooks_are_as_written_for() -> None:
    from strawberry.asgi import GraphQL
    for name, parameters in (("decode_json", ("self", "data")), ("run", ("self", "request")),
                             ("on_ws_connect", ("self", "context"))):
        has(GraphQL, name, parameters, STRAWBERRY, "ledger.api.app.LedgerGraphQL")


def test_eventsourcings_aggregate_cache_keeps_its_entries_in_a_dict() -> None:
    from eventsourcing.application import Cache, LRUCache
    for kind in (Cache(), LRUCache(maxsize=2)):
        assert isinstance(getattr(kind, "cache", None), dict), (
            f"{EVENTSOURCING}: {type(kind).__name__}.cache is no longer a dict; "
            "ledger.application.store_watch.StoreWatch.mark_moved reads it")
