"""The FastAPI application serving /graphql (GraphiQL in a browser)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.requests import HTTPConnection
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL

from ledger.api.auth import role_of
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

    app = FastAPI(title="ledger", description="Inventory cost posted to the general ledger")
    graphql = LedgerGraphQL(schema, graphql_ide="graphiql")
    app.router.routes += [Route("/graphql", graphql, methods=["GET", "POST"]),
                          WebSocketRoute("/graphql", graphql)]
    app.add_middleware(BodySizeLimit)
    return app
