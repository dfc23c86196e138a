"""Request limits: body size and introspection depth (here), query depth, aliases and
tokens (schema extensions)."""
from __future__ import annotations

import json
from typing import Any

from graphql import (FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode,
                     OperationDefinitionNode, SelectionSetNode, ValidationContext, ValidationRule)

MAX_BODY_BYTES = 1_000_000
MAX_DEPTH = 12
MAX_ALIASES = 60
MAX_TOKENS = 5000
# GraphiQL's own introspection query nests 13 levels deep (its TypeRef fragment unwraps
# seven ofTypes); the depth limit above stops at introspection fields, so this one
# limits what is below them.
MAX_INTROSPECTION_DEPTH = 16


def selection_depth(selections: SelectionSetNode | None, context: ValidationContext,
                    seen: frozenset[str] = frozenset()) -> int:
    """How deep a selection set nests, through fragments (each spread once per path)."""
    if selections is None:
        return 0
    deepest = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + selection_depth(selection.selection_set, context, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, selection_depth(selection.selection_set, context, seen))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = context.get_fragment(selection.name.value)
            if fragment is not None:
                deepest = max(deepest, selection_depth(fragment.selection_set, context,
                                                       seen | {selection.name.value}))
    return deepest


class IntrospectionDepthLimit(ValidationRule):
    """A `__schema` or `__type` field may nest at most MAX_INTROSPECTION_DEPTH levels."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        for selection in node.selection_set.selections:
            if isinstance(selection, FieldNode) and selection.name.value in ("__schema", "__type"):
                depth = 1 + selection_depth(selection.selection_set, self.context)
                if depth > MAX_INTROSPECTION_DEPTH:
                    self.report_error(GraphQLError(
                        f"'{selection.name.value}' nests {depth} levels deep; at most "
                        f"{MAX_INTROSPECTION_DEPTH} are allowed", selection))


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
