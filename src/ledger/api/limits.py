"""Request limits: body size (here), query depth, aliases and tokens (schema extensions)."""
from __future__ import annotations

import json
from typing import Any

MAX_BODY_BYTES = 1_000_000
MAX_DEPTH = 12
MAX_ALIASES = 60
MAX_TOKENS = 5000


class BodySizeLimit:
    """ASGI middleware: a body over the limit is refused with 413 before it is parsed,
    whether or not the client sent a Content-Length."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self.refuse(send)
            return
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await self.refuse(send)

    @staticmethod
    async def refuse(send: Any) -> None:
        await send_error(send, 413, "request body too large", "BODY_TOO_LARGE")


async def send_error(send: Any, status: int, message: str, code: str,
                     headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """A GraphQL-style error body with an HTTP status, straight from ASGI middleware."""
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass
