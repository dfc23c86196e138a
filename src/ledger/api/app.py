"""The FastAPI application serving /graphql (GraphiQL in a browser)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from ledger.api.context import make_context
from ledger.api.schema import schema
from ledger.application import LedgerService


def create_app(service: LedgerService) -> FastAPI:
    async def context() -> dict[str, Any]:
        return make_context(service)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(title="ledger", description="Inventory cost posted to the general ledger",
                  lifespan=lifespan)
    app.include_router(GraphQLRouter(schema, context_getter=context, graphql_ide="graphiql"),
                       prefix="/graphql")
    return app
