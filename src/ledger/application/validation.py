"""Input rules every command shares: decimal places, required text, dates."""
from __future__ import annotations

from decimal import Decimal

from ledger.amounts import QUANTITY_PLACES, UNIT_COST_PLACES, decimals_of
from ledger.errors import validation


def places(value: Decimal | None, allowed: int, field: str) -> None:
    """More decimals than the contract allows is an error, never rounded silently."""
    if value is not None and decimals_of(value) > allowed:
        raise validation(f"{field} allows at most {allowed} decimals", field)


def quantity(value: Decimal, field: str = "quantity") -> None:
    places(value, QUANTITY_PLACES, field)
    if value <= 0:
        raise validation(f"{field} must be greater than 0", field)


def unit_amount(value: Decimal | None, field: str) -> None:
    places(value, UNIT_COST_PLACES, field)
    if value is not None and value < 0:
        raise validation(f"{field} must not be negative", field)


def required(value: str | None, field: str) -> str:
    if value is None or not value.strip():
        raise validation(f"{field} must not be blank", field)
    return value


def not_null(changes: dict, *fields: str) -> None:
    """An explicit null on a field whose value cannot be null."""
    for field in fields:
        if field in changes and changes[field] is None:
            raise validation(f"{field} cannot be null", field)
