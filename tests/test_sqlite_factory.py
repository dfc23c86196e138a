"""The SQLite event store opens its connections with a statement cache (eventsourcing's
own pool asks sqlite3 for a cache of one statement) and in WAL mode."""
from __future__ import annotations

from ledger.application import LedgerService
from ledger.application.sqlite_factory import StatementCachingPool


def test_the_event_store_connections_cache_statements(sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    try:
        datastore = service.ledger.recorder.datastore  # type: ignore[attr-defined]
        assert isinstance(datastore.pool, StatementCachingPool)
        with datastore.transaction(commit=False) as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        service.close()
