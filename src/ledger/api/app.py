"""The FastAPI application serving /graphql, the web app at `/` and GraphiQL at
`/graphiql` (both from the built assets in ledger/webapp, nothing loaded from outside),
and the health checks a load balancer or a container runtime asks."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from fastapi import FastAPI
from starlette.requests import HTTPConnection
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from ledger.api.auth import BearerRequired, connection_token, role_of
from ledger.api.context import in_thread, make_context
from ledger.api.progress import ProgressBoard
from ledger.api.limits import BodySizeLimit
from ledger.api.schema import schema
from ledger.application import LedgerService
from ledger.settings import Settings


WEB_APP = Path(__file__).resolve().parents[1] / "webapp"
NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ledger</title></head>
<body><h1>ledger</h1><p>The web app is not built in this installation. From a checkout, run
<code>make setup</code> (it needs node 20 and npm); the API answers at <a href="/graphql">/graphql</a>.</p>
</body></html>"""


def add_web_app(app: FastAPI) -> None:
    """The built pages, or a page that says how to build them (the API works either way)."""
    def page(name: str) -> Response:
        built = WEB_APP / name
        if built.exists():
            return FileResponse(built, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(NOT_BUILT, status_code=503)

    @app.get("/", include_in_schema=False)
    async def home() -> Response:
        return page("index.html")

    @app.get("/graphiql", include_in_schema=False)
    async def graphiql() -> Response:
        return page("graphiql.html")

    app.mount("/assets", StaticFiles(directory=WEB_APP / "assets", check_dir=False), name="assets")


def create_app(service: LedgerService, tokens: dict[str, str] | None = None) -> FastAPI:
    """`tokens` (token -> role) switch auth on; by default they come from LEDGER_TOKENS."""
    tokens = Settings().tokens if tokens is None else tokens
    runs = ProgressBoard()

    class LedgerGraphQL(GraphQL):
        async def get_context(self, request: HTTPConnection, response: Any) -> dict[str, Any]:
            return make_context(service, role_of(request.headers.get("authorization"), tokens),
                                runs)

        def decode_json(self, data: str | bytes) -> object:
            """One GraphQL request, as a JSON object: anything else is the client's
            mistake, answered 400 (strawberry would fail on it with a 500)."""
            request = json.loads(data)
            if isinstance(request, list):
                raise HTTPException(400, "a batch of requests (a JSON array) is not accepted: "
                                         "send one request as a JSON object")
            if not isinstance(request, dict):
                raise HTTPException(400, 'the body must be a JSON object, such as '
                                         '{"query": "{ items { no } }"}')
            return request

        async def run(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            """A request refused before it reaches GraphQL gets a GraphQL-style body."""
            try:
                return await super().run(request, *args, **kwargs)
            except HTTPException as refused:
                return JSONResponse({"errors": [{"message": refused.reason, "extensions": {
                    "code": "BAD_REQUEST"}}]}, status_code=refused.status_code)

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

    add_web_app(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """The process is up (no database asked)."""
        return {"status": "up"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        """The database answers: 503 when it does not."""
        if await in_thread(service.database_answers):
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database not answering"}, status_code=503)

    app.add_middleware(BodySizeLimit)
    app.add_middleware(BearerRequired, tokens=tokens)
    return app
