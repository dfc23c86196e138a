"""A dropped database connection (pg_terminate_backend) costs a client nothing: the
server tries once more on a fresh connection, and answers UNAVAILABLE, never a masked
error, when the database is really gone (issue 23, part 8)."""
from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from ledger.api.app import create_app
from ledger.application import LedgerService
from tests.company import base_company, line
from tests.conftest import POSTGRES_ADMIN


def terminate_connections(database_url: str) -> int:
    """Every connection to the ledger's database, as an operator's restart would."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchall()
    return len(rows)


@pytest.fixture
def books(postgres_url: str) -> Iterator[tuple[LedgerService, str]]:
    service = LedgerService(postgres_url)
    base_company(service)
    service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "5"), None)
    yield service, postgres_url
    service.close()


def test_a_posting_after_the_connections_were_dropped_is_saved(
        books: tuple[LedgerService, str]) -> None:
    service, url = books
    assert terminate_connections(url) > 0
    result = service.postings.post_item_journal_line(line("SALE", "2027-01-03", "2"), None)
    assert result["item_ledger_entries"][0]["entry_no"] == 2
    assert service.verify_projections().consistent


def test_a_query_after_the_connections_were_dropped_is_answered(
        books: tuple[LedgerService, str]) -> None:
    service, url = books
    with TestClient(create_app(service, tokens={})) as client:
        terminate_connections(url)
        reply = client.post("/graphql", json={"query": "{ itemLedgerEntries { totalCount } }"}).json()
        assert reply == {"data": {"itemLedgerEntries": {"totalCount": 1}}}


def test_a_database_that_stays_gone_is_unavailable_not_a_masked_error(
        books: tuple[LedgerService, str], monkeypatch: pytest.MonkeyPatch) -> None:
    service, _ = books

    def gone(*args: object) -> None:
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    for method in ("scalar", "one", "rows", "read", "write"):
        monkeypatch.setattr(service.views.db, method, gone)
    with TestClient(create_app(service, tokens={})) as client:
        posting = client.post("/graphql", json={"query": """mutation { postItemJournalLine(
            input: {entryType: SALE, postingDate: "2027-01-03", documentNo: "S-1", itemNo: "1000",
            locationCode: "BLUE", quantity: "1"}) { __typename ... on UserError { code
            retryAfterSeconds } } }"""}).json()
        query = client.post("/graphql", json={"query": "{ glAccounts { no } }"}).json()
    assert posting["data"]["postItemJournalLine"] == {"__typename": "UserError",
                                                      "code": "UNAVAILABLE", "retryAfterSeconds": 1.0}
    assert query["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
