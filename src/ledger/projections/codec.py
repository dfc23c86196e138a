"""How domain values sit in read-model columns and come back out."""
from __future__ import annotations

import json
from functools import lru_cache
from decimal import Decimal
from typing import Any

from ledger.amounts import from_cents, from_units, to_cents, to_units


def json_text(value: Any) -> str:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dimensions_text(tuple(sorted(value.items())))
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


@lru_cache(maxsize=4096)
def dimensions_text(dimensions: tuple[tuple[str, str], ...]) -> str:
    """A dimension set as text: a ledger has few distinct sets, each written often."""
    return json.dumps(dict(dimensions), sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=4096)
def dimensions_of(text: str) -> dict[str, str]:
    """Shared, so never change the result: copy it first."""
    return json.loads(text)


def cents(amount: Decimal) -> int:
    return to_cents(amount)


def units(quantity: Decimal) -> int:
    return to_units(quantity)


def amount(value: int | None) -> Decimal:
    return from_cents(value or 0)


def quantity(value: int | None) -> Decimal:
    return from_units(value or 0)
