"""Roles, limits and what a refused request may show."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from ledger.api.app import create_app
from ledger.api.limits import MAX_BODY_BYTES
from ledger.application import LedgerService
from ledger.application.reads import Reads
from ledger.settings import Settings
from tests.company import base_company

TOKENS = {"v-token": "viewer", "p-token": "poster", "a-token": "admin"}
QUERY = "{ glAccounts { no balance } }"
SETUP = 'mutation { createLocation(input: {code: "GREEN"}) { __typename ... on Error { code } } }'
POST = """mutation { postItemJournalLine(input: {entryType: PURCHASE, postingDate: "2027-01-02",
  documentNo: "PR-1", itemNo: "1000", locationCode: "BLUE", quantity: "1"})
  { __typename ... on Error { code } } }"""
PREVIEW = """{ inventoryCostPostingPreview(input: {postMethod: PER_ENTRY})
  { __typename ... on Error { code } } }"""


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    service = LedgerService(sqlite_url)
    base_company(service)
    with TestClient(create_app(service, TOKENS)) as test_client:
        yield test_client


def ask(client: TestClient, query: str, token: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query}, headers=headers).json()


def outcome(reply: dict) -> str:
    """OK, or the FORBIDDEN of a GraphQL error or of a UserError."""
    if reply.get("errors"):
        return reply["errors"][0].get("extensions", {}).get("code", "ERROR")
    result = next(iter(reply["data"].values()))
    return result.get("code", "OK") if isinstance(result, dict) else "OK"


@pytest.mark.parametrize("token, query, expected", [
    (None, QUERY, "UNAUTHENTICATED"), ("nope", QUERY, "UNAUTHENTICATED"), ("v-token", QUERY, "OK"),
    ("v-token", POST, "FORBIDDEN"), ("v-token", PREVIEW, "FORBIDDEN"), ("v-token", SETUP, "FORBIDDEN"),
    ("p-token", POST, "OK"), ("p-token", PREVIEW, "OK"), ("p-token", SETUP, "FORBIDDEN"),
    ("a-token", SETUP, "OK"), ("a-token", POST, "OK"), (None, POST, "UNAUTHENTICATED"),
])
def test_each_role_may_do_what_it_is_for(client: TestClient, token: str | None, query: str,
                                         expected: str) -> None:
    assert outcome(ask(client, query, token)) == expected


def test_a_refused_posting_stores_nothing(client: TestClient) -> None:
    counts = "{ itemLedgerEntries { totalCount } auditTrail { totalCount } }"
    before = ask(client, counts, "v-token")
    assert outcome(ask(client, POST, "v-token")) == "FORBIDDEN"
    assert ask(client, counts, "v-token") == before


def test_an_unknown_role_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_TOKENS", '{"t": "superuser"}')
    with pytest.raises(ValidationError):
        Settings()


def test_deep_queries_are_refused(client: TestClient) -> None:
    deep = "{ itemLedgerEntries { edges { node { valueEntries { glEntries { dimensions { " \
           "dimensionCode } } } } } } }"
    assert outcome(ask(client, deep, "v-token")) == "OK"
    too_deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { " \
               "ofType { ofType { ofType { name } } } } } } } } } } }"
    assert "errors" in ask(client, too_deep, "v-token")


def test_too_many_aliases_or_tokens_are_refused(client: TestClient) -> None:
    aliases = "{ " + " ".join(f"a{n}: __typename" for n in range(100)) + " }"
    assert "errors" in ask(client, aliases, "v-token")
    tokens = "{ " + " ".join("__typename" for _ in range(6000)) + " }"
    assert "errors" in ask(client, tokens, "v-token")


def test_a_large_body_is_refused_before_it_is_read(client: TestClient) -> None:
    reply = client.post("/graphql", content=b"x" * (MAX_BODY_BYTES + 1),
                        headers={"Content-Type": "application/json", "Authorization": "Bearer a-token"})
    assert reply.status_code == 413 and reply.json()["errors"]


def test_an_internal_error_shows_no_details(client: TestClient,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(Reads, "items", broken)
    reply = ask(client, "{ items { no } }", "v-token")
    assert reply["errors"][0]["message"] == "Unexpected error."
    assert "secret" not in str(reply) and "Traceback" not in str(reply)


def test_an_internal_error_is_logged_with_its_traceback(
        client: TestClient, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(Reads, "items", broken)
    with caplog.at_level(logging.INFO, logger="strawberry.execution"):
        ask(client, "{ items { no } }", "v-token")
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info
    assert "secret detail" in str(errors[0].exc_info[1])


@pytest.mark.parametrize("query", [
    "{ items { noSuchField } }",
    POST.replace('quantity: "1"', 'quantity: "1.x"'),
])
def test_a_client_mistake_is_answered_not_logged_as_a_server_error(
        client: TestClient, caplog: pytest.LogCaptureFixture, query: str) -> None:
    with caplog.at_level(logging.INFO, logger="strawberry.execution"):
        reply = ask(client, query, "a-token")
    assert reply["errors"]
    assert [record.levelno for record in caplog.records
            if record.name == "strawberry.execution"] == [logging.INFO]


@pytest.mark.parametrize("token, expected", [("v-token", "FORBIDDEN"), ("p-token", "FORBIDDEN"),
                                             ("a-token", "OK")])
def test_only_an_admin_may_verify_the_projections(client: TestClient, token: str,
                                                   expected: str) -> None:
    assert outcome(ask(client, "{ verifyProjections { consistent upToPosition } }", token)) == expected


@pytest.mark.parametrize("token", [None, "nope"])
def test_no_valid_token_is_http_401_with_a_bearer_challenge(client: TestClient,
                                                           token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reply = client.post("/graphql", json={"query": "{ __schema { types { name } } }"},
                        headers=headers)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert reply.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_introspection_is_answered_with_a_token(client: TestClient) -> None:
    assert "errors" not in ask(client, "{ __schema { queryType { name } } }", "v-token")


def subscribed(client: TestClient, payload: dict | None, headers: dict | None = None) -> dict:
    """The answer to connection_init (ack) or the close code."""
    from starlette.websockets import WebSocketDisconnect
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"],
                                  headers=headers or {}) as socket:
        socket.send_json({"type": "connection_init", "payload": payload or {}})
        try:
            return socket.receive_json()
        except WebSocketDisconnect as closed:
            return {"closed": closed.code}


@pytest.mark.parametrize("payload, headers, expected", [
    ({"Authorization": "Bearer v-token"}, None, "connection_ack"),
    ({"token": "p-token"}, None, "connection_ack"),
    (None, {"Authorization": "Bearer a-token"}, "connection_ack"),
    (None, None, 4403),
    ({"token": "nope"}, None, 4403),
])
def test_a_subscription_takes_its_token_in_connection_init(
        client: TestClient, payload: dict | None, headers: dict | None, expected: object) -> None:
    answer = subscribed(client, payload, headers)
    assert answer.get("type", answer.get("closed")) == expected
