"""Bearer tokens mapped to roles, configured by LEDGER_TOKENS (a JSON object of token to
role). With no tokens configured, auth is off: the demo and the scenario runner.

viewer: queries; poster: also postings, Adjust Cost and the batch job (its preview and
test report included); admin: also setup and verifyProjections. A missing or unknown
token is HTTP 401 with `WWW-Authenticate: Bearer` (introspection included), and a
subscription without one is closed (4403); a role too low for a mutation or a
result-union query is a UserError FORBIDDEN, for any other query a GraphQL error with
extensions.code FORBIDDEN.
"""
from __future__ import annotations

import hmac
from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from graphql import GraphQLError

from ledger.api.limits import send_error


class Role(IntEnum):
    VIEWER = 1
    POSTER = 2
    ADMIN = 3


def role_of(authorization: str | None, tokens: dict[str, str]) -> Role | None:
    """The caller's role; every role when auth is off, None for no or an unknown token."""
    if not tokens:
        return Role.ADMIN
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    for known, role in tokens.items():  # compare every token in constant time
        if hmac.compare_digest(known.encode(), token.strip().encode()):
            return Role[role.upper()]
    return None


def forbidden() -> GraphQLError:
    return GraphQLError("FORBIDDEN: a bearer token of a role allowed to do this is needed",
                        extensions={"code": "FORBIDDEN"})


def connection_token(params: Mapping[str, Any] | None) -> str | None:
    """A websocket's token, from graphql-transport-ws's connection_init payload (a browser
    cannot set headers on a websocket): `Authorization: Bearer ...` or `token`."""
    params = params or {}
    authorization = params.get("Authorization") or params.get("authorization")
    if isinstance(authorization, str):
        return authorization
    token = params.get("token")
    return f"Bearer {token}" if isinstance(token, str) else None


class BearerRequired:
    """ASGI middleware: with tokens configured, a GraphQL request without a valid bearer
    token is HTTP 401 before it is parsed. GraphiQL's page itself (a browser's GET for
    HTML) needs none; its requests do."""

    def __init__(self, app: Any, tokens: dict[str, str], path: str = "/graphql") -> None:
        self.app, self.tokens, self.path = app, tokens, path

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.tokens or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        page = scope["method"] == "GET" and b"text/html" in headers.get(b"accept", b"")
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if page or role_of(authorization, self.tokens) is not None:
            await self.app(scope, receive, send)
            return
        await send_error(send, 401, "a valid bearer token is needed: send "
                         "'Authorization: Bearer <token>'", "UNAUTHENTICATED",
                         ((b"www-authenticate", b'Bearer realm="ledger"'),))
