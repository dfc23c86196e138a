"""The HTTP API: strict scalars, errors as data, nothing stored by a refused request."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from graphql import get_introspection_query

from ledger.api.app import create_app
from ledger.application import LedgerService
from tests.company import base_company

POST = """mutation($input: PostItemJournalLineInput!) { postItemJournalLine(input: $input) {
  __typename ... on Error { code message } ... on UserError { field }
  ... on PostingResult { itemLedgerEntries { entryNo quantity costAmountActual open
    valueEntries { entryNo glEntries { entryNo amount } } } } } }"""
PURCHASE = {"entryType": "PURCHASE", "postingDate": "2027-01-02", "documentNo": "PR-1",
            "itemNo": "1000", "locationCode": "BLUE", "quantity": "10",
            "genBusPostingGroup": "DOMESTIC", "unitCost": "10.00"}


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    service = LedgerService(sqlite_url)
    base_company(service)
    with TestClient(create_app(service)) as test_client:
        yield test_client


def call(client: TestClient, query: str, variables: dict | None = None) -> dict:
    return client.post("/graphql", json={"query": query, "variables": variables or {}}).json()


def test_a_posting_returns_its_entries_with_their_value_and_gl_entries(client: TestClient) -> None:
    reply = call(client, POST, {"input": PURCHASE})["data"]["postItemJournalLine"]
    [entry] = reply["itemLedgerEntries"]
    assert entry == {"entryNo": 1, "quantity": "10", "costAmountActual": "100.00", "open": True,
                     "valueEntries": [{"entryNo": 1, "glEntries": [
                         {"entryNo": 1, "amount": "100.00"}, {"entryNo": 2, "amount": "-100.00"}]}]}


@pytest.mark.parametrize("quantity", [5, 5.0, "1e3", "NaN", "Infinity", "1.", ".5", " 1", "+1"])
def test_a_decimal_is_a_plain_string(client: TestClient, quantity: object) -> None:
    reply = call(client, POST, {"input": {**PURCHASE, "quantity": quantity}})
    assert reply.get("errors") and reply.get("data") is None


@pytest.mark.parametrize("date", ["2027-1-2", "2027-02-30", "20270102", "2027-01-02T00:00"])
def test_a_date_is_exactly_year_month_day(client: TestClient, date: str) -> None:
    reply = call(client, POST, {"input": {**PURCHASE, "postingDate": date}})
    assert reply.get("errors")


def test_more_decimals_than_allowed_is_a_validation_error_naming_the_field(client: TestClient) -> None:
    reply = call(client, POST, {"input": {**PURCHASE, "unitCost": "1.123456"}})
    assert reply["data"]["postItemJournalLine"]["code"] == "VALIDATION_ERROR"
    assert reply["data"]["postItemJournalLine"]["field"] == "unitCost"


def test_amounts_are_fixed_point(client: TestClient) -> None:
    reply = call(client, "{ glAccounts { no balance } trialBalance { balance } }")
    assert {account["balance"] for account in reply["data"]["glAccounts"]} == {"0.00"}


def test_a_refused_request_stores_nothing(client: TestClient) -> None:
    counts = "{ auditTrail { totalCount } itemLedgerEntries { totalCount } }"
    before = call(client, counts)["data"]
    reply = call(client, POST, {"input": {**PURCHASE, "entryType": "SALE", "unitCost": None}})
    assert reply["data"]["postItemJournalLine"]["code"] == "INSUFFICIENT_QUANTITY"
    assert call(client, counts)["data"] == before


def test_internal_errors_show_no_details(client: TestClient) -> None:
    reply = call(client, '{ auditTrail(after: "x") { totalCount } }')
    assert reply["errors"] and "Traceback" not in str(reply)


@pytest.mark.parametrize("body, said", [("null", "JSON object"), ("5", "JSON object"),
                                        ('"x"', "JSON object"), ("true", "JSON object"),
                                        ("[]", "batch"), ("{bad", "JSON")])
def test_a_body_that_is_not_one_json_object_is_a_400_with_a_graphql_error(
        body: str, said: str, sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(create_app(LedgerService(sqlite_url), tokens={})) as client:
        reply = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert said in reply.json()["errors"][0]["message"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_the_root_is_the_web_app_without_a_token_and_the_health_checks_answer(sqlite_url: str) -> None:
    with TestClient(create_app(LedgerService(sqlite_url), tokens={"t": "admin"})) as client:
        for page in ("/", "/graphiql"):
            reply = client.get(page)
            assert reply.status_code == 200, f"{page}: the web app is built by make setup"
            assert reply.headers["content-type"].startswith("text/html")
            scripts = re.findall(r'src="(/assets/[^"]+\.js)"', reply.text)
            assert scripts and all(client.get(script).status_code == 200 for script in scripts)
            assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', reply.text)), \
                "a page loads nothing from outside the server"
        assert client.get("/healthz").json() == {"status": "up"}
        assert client.get("/readyz").json() == {"status": "ready"}


def test_introspection_is_limited_in_depth_but_graphiqls_own_query_passes(sqlite_url: str) -> None:
    with TestClient(create_app(LedgerService(sqlite_url), tokens={})) as client:
        graphiql = client.post("/graphql", json={"query": get_introspection_query(descriptions=True)})
        deep = "{ __schema { types { " + "ofType { " * 48 + "name" + " }" * 48 + " } } }"
        refused = client.post("/graphql", json={"query": deep}).json()
    assert "errors" not in graphiql.json()
    assert "nests" in refused["errors"][0]["message"]


@pytest.fixture
def books_client(service: LedgerService) -> Iterator[TestClient]:
    """Through the API, on SQLite and on PostgreSQL."""
    base_company(service)
    with TestClient(create_app(service, tokens={})) as test_client:
        yield test_client


@pytest.mark.parametrize("changes, field", [
    ({"quantity": "9" * 16}, "quantity"), ({"quantity": "9" * 26}, "quantity"),
    ({"quantity": "9" * 30}, "quantity"), ({"unitCost": "9" * 20}, "unitCost"),
    ({"quantity": "1000000000000"}, "quantity"),
    ({"quantity": "100000000", "unitCost": "100000000"}, "unitCost"),  # 10^16 as an amount
])
def test_a_number_beyond_the_contracts_limits_is_a_validation_error_naming_its_field(
        books_client: TestClient, changes: dict, field: str, caplog: pytest.LogCaptureFixture) -> None:
    counts = "{ auditTrail { totalCount } }"
    before = call(books_client, counts)["data"]
    reply = call(books_client, POST, {"input": {**PURCHASE, **changes}})["data"]["postItemJournalLine"]
    assert (reply["code"], reply["field"]) == ("VALIDATION_ERROR", field), reply
    assert call(books_client, counts)["data"] == before
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_the_largest_allowed_amount_posts(books_client: TestClient) -> None:
    reply = call(books_client, POST, {"input": {**PURCHASE, "quantity": "99999999",
                                                "unitCost": "9999999.99"}})
    assert reply["data"]["postItemJournalLine"]["itemLedgerEntries"][0]["costAmountActual"] == \
        "999999989000000.01"
