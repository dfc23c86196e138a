"""Input rules every command shares: decimal places, required text, dates."""
from __future__ import annotations

from decimal import Decimal

from ledger.amounts import (MAX_AMOUNT, MAX_QUANTITY, MAX_UNIT_AMOUNT, QUANTITY_PLACES,
                            UNIT_COST_PLACES, decimals_of)
from ledger.errors import validation


def below(value: Decimal | None, limit: Decimal, field: str) -> None:
    """Checked before anything else is done with the value (a 30-digit number would not
    even round within Decimal's 28 digits)."""
    if value is not None and abs(value) >= limit:
        raise validation(f"{field} {value} is too large: it must be less than {limit:,} "
                         f"in magnitude", field)


def product_below(quantity: Decimal, unit: Decimal | None, field: str) -> None:
    """An amount computed from accepted inputs (quantity x unit cost) within the limit."""
    if unit is not None and abs(quantity * unit) >= MAX_AMOUNT:
        raise validation(f"{quantity} x {field} {unit} makes an amount of {quantity * unit:,}, "
                         f"more than the largest amount (less than {MAX_AMOUNT:,})", field)


def places(value: Decimal | None, allowed: int, field: str) -> None:
    """More decimals than the contract allows is an error, never rounded silently."""
    if value is not None and decimals_of(value) > allowed:
        raise validation(f"{field} allows at most {allowed} decimals", field)


def quantity(value: Decimal, field: str = "quantity") -> None:
    below(value, MAX_QUANTITY, field)
    places(value, QUANTITY_PLACES, field)
    if value <= 0:
        raise validation(f"{field} must be greater than 0", field)


def unit_amount(value: Decimal | None, field: str) -> None:
    below(value, MAX_UNIT_AMOUNT, field)
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
