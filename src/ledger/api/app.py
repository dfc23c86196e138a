"""The FastAPI application serving /graphql (GraphiQL in a browser)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.requests import HTTPConnection
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from ledger.api.auth import BearerRequired, connection_token, role_of
from ledger.api.context import make_context
from ledger.api.limits import BodySizeLimit
from ledger.api.schema import schema
from ledger.application import LedgerService
from ledger.settings import Settings


def create_app(service: LedgerService, tokens: dict[str, str] | None = None) -> FastAPI:
    """`tokens` (token -> role) switch auth on; by default they come from LEDGER_TOKENS."""
    tokens = Settings().tokens if tokens is None else tokens

    class LedgerGraphQL(GraphQL):
        async def get_context(self, request: HTTPConnection, response: Any) -> dict[str, Any]:
            return make_context(service, role_of(request.headers.get("authorization"), tokens))

        async def on_ws_connect(self, context: dict[str, Any]) -> None:
            """A subscription's token may come in connection_init instead of a header."""
            if context["role"] is None:
                context["role"] = role_of(connection_token(context.get("connection_params")),
                                          tokens)
            if context["role"] is None:
                raise ConnectionRejectionError({"message": "a valid bearer token is needed"})

    app = FastAPI(title="ledger", description="Inventory cost posted to the general ledger")
    graphql = LedgerGraphQL(schema, graphql_ide="graphiql")
    app.router.routes += [Route("/graphql", graphql, methods=["GET", "POST"]),
                          WebSocketRoute("/graphql", graphql)]
    app.add_middleware(BodySizeLimit)
    app.add_middleware(BearerRequired, tokens=tokens)
    return app
