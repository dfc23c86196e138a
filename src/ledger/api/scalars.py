"""Strict scalars: the contract's Decimal is a JSON string of the form -?digits(.digits)?
and its Date exactly YYYY-MM-DD; strawberry's built-ins accept far more."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, NewType

import strawberry
from graphql import StringValueNode, ValueNode

DECIMAL_FORM = re.compile(r"-?\d+(\.\d+)?")
DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")

Date = NewType("Date", str)
DateTime = NewType("DateTime", str)


def parse_decimal(value: Any) -> Decimal:
    if not isinstance(value, str) or not DECIMAL_FORM.fullmatch(value):
        raise ValueError(f"Decimal must be a string like \"12.50\", not {value!r}")
    return Decimal(value)


def serialize_decimal(value: Decimal) -> str:
    text = format(Decimal(value), "f")
    return text[1:] if text.startswith("-") and not Decimal(value) else text


def parse_date(value: Any) -> str:
    if not isinstance(value, str) or not DATE_FORM.fullmatch(value):
        raise ValueError(f"Date must be a string YYYY-MM-DD, not {value!r}")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date") from None
    return value


def string_literal(parse: Any) -> Any:
    """Inline literals: only a string literal can be a Decimal or a Date."""
    def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
        if not isinstance(node, StringValueNode):
            raise ValueError("expected a string literal")
        return parse(node.value)
    return parse_literal


SCALARS = {
    Decimal: strawberry.scalar(name="Decimal", description=(
        "An exact decimal as a JSON string: -?digits(.digits)?, e.g. \"12.50\". Limits (a "
        "larger value, given or computed as quantity x unit cost, is a VALIDATION_ERROR "
        "naming the field): a quantity less than 1,000,000,000,000 in magnitude with at most "
        "5 decimals; a unit cost or unit price less than 1,000,000,000,000 with at most 5 "
        "decimals; an amount less than 1,000,000,000,000,000 with 2 decimals."),
                               serialize=serialize_decimal,
                               parse_value=parse_decimal,
                               parse_literal=string_literal(parse_decimal)),
    Date: strawberry.scalar(name="Date", serialize=str, parse_value=parse_date,
                            parse_literal=string_literal(parse_date)),
    DateTime: strawberry.scalar(name="DateTime", serialize=str, parse_value=str),
}
