"""Business errors are data: each has a code from the contract's ErrorCode enum."""
from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    INSUFFICIENT_QUANTITY = "INSUFFICIENT_QUANTITY"
    POSTING_DATE_NOT_ALLOWED = "POSTING_DATE_NOT_ALLOWED"
    MISSING_POSTING_SETUP = "MISSING_POSTING_SETUP"
    BLANK_ACCOUNT = "BLANK_ACCOUNT"
    ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND"
    BLOCKED_ACCOUNT = "BLOCKED_ACCOUNT"
    BLOCKED_POSTING_SETUP = "BLOCKED_POSTING_SETUP"
    DIMENSION_ERROR = "DIMENSION_ERROR"
    DOCUMENT_NO_REQUIRED = "DOCUMENT_NO_REQUIRED"
    DOCUMENT_NO_NOT_ALLOWED = "DOCUMENT_NO_NOT_ALLOWED"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    BUSY = "BUSY"
    UNAVAILABLE = "UNAVAILABLE"


class LedgerError(Exception):
    """A rule said no. Raised in the domain, returned by the API as a UserError.

    `key` identifies the problem for de-duplication in batch reports (domain.md
    section 6: each distinct problem once per value entry).
    """

    def __init__(self, code: ErrorCode, message: str, field: str | None = None,
                 key: tuple = (), retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.key = (code, *key) if key else (code, message)
        self.retry_after = retry_after  # seconds, for BUSY and UNAVAILABLE

    @property
    def extensions(self) -> dict[str, str]:
        """How graphql-core labels this error when a query (not a mutation, where errors
        are data) refuses its arguments: a client's mistake, with the ledger's own code."""
        if self.code in (ErrorCode.BUSY, ErrorCode.UNAVAILABLE):  # not the client's mistake
            return {"code": self.code.value, "errorCode": self.code.value,
                    "retryAfterSeconds": self.retry_after}
        return {"code": "BAD_USER_INPUT", "errorCode": self.code.value}

    def __repr__(self) -> str:
        return f"LedgerError({self.code.value}, {self.message!r})"


def validation(message: str, field: str | None = None) -> LedgerError:
    return LedgerError(ErrorCode.VALIDATION_ERROR, message, field)


def not_found(message: str, field: str | None = None) -> LedgerError:
    return LedgerError(ErrorCode.NOT_FOUND, message, field)


def busy(what: str, waited: float) -> LedgerError:
    """A bounded wait ran out: nothing was stored, and the same request may be sent again."""
    return LedgerError(ErrorCode.BUSY, f"{what} was held for {waited:g} s, by a running batch "
                       f"job (Post Inventory Cost to G/L) or a stopped process; nothing was "
                       f"stored: send the request again in {waited:g} s", retry_after=waited)
