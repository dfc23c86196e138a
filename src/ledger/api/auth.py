"""Bearer tokens mapped to roles, configured by LEDGER_TOKENS (a JSON object of token to
role). With no tokens configured, auth is off: the demo and the scenario runner.

viewer: queries; poster: also postings, Adjust Cost and the batch job (its preview and
test report included); admin: also setup. A refused mutation or result-union query is
a UserError FORBIDDEN; any other query a GraphQL error with extensions.code FORBIDDEN.
"""
from __future__ import annotations

import hmac
from enum import IntEnum

from graphql import GraphQLError


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
