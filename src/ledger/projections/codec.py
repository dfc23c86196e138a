"""How domain values sit in read-model columns and come back out."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ledger.amounts import from_cents, from_units, to_cents, to_units


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


def cents(amount: Decimal) -> int:
    return to_cents(amount)


def units(quantity: Decimal) -> int:
    return to_units(quantity)


def amount(value: int | None) -> Decimal:
    return from_cents(value or 0)


def quantity(value: int | None) -> Decimal:
    return from_units(value or 0)
