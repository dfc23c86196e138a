"""Errors as data: every mutation returns its success type or a UserError."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from ledger.api.auth import Role
from ledger.api.enums import ErrorCode
from ledger.errors import LedgerError

T = TypeVar("T")


@strawberry.interface
class Error:
    code: ErrorCode
    message: str


@strawberry.type
class UserError(Error):
    field: str | None = None
    retry_after_seconds: float | None = strawberry.field(default=None, description=(
        "BUSY and UNAVAILABLE: nothing was stored; send the same request again after this "
        "many seconds (with its idempotency key, if it had one)."))

    @classmethod
    def of(cls, error: LedgerError) -> UserError:
        return cls(code=error.code, message=error.message, field=error.field,
                   retry_after_seconds=error.retry_after)


async def as_result(info: Info, role: Role, call: Callable[[], Awaitable[T]]) -> T | UserError:
    """Errors as data: the caller's role is checked first, then any rule that says no."""
    if (info.context.get("role") or 0) < role:
        return UserError(code=ErrorCode.FORBIDDEN, message=f"this needs the {role.name.lower()} "
                         "role", field=None)
    try:
        return await call()
    except LedgerError as error:
        return UserError.of(error)


def user_errors(errors: list[Any]) -> list[UserError]:
    return [UserError.of(error) for error in errors]
