"""How domain values sit in read-model columns and come back out."""
from __future__ import annotations

import json
from functools import lru_cache
from decimal import Decimal
from typing import Any

from ledger.amounts import (CENT_PLACES, QUANTITY_PLACES, from_cents, from_units, to_cents,
                            to_scaled, to_units)


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


def dimensions_json(dimensions: dict[str, str]) -> str:
    """The same text as json_text gives, for the dimension set every entry row holds."""
    return dimensions_text(tuple(sorted(dimensions.items())))


@lru_cache(maxsize=4096)
def dimensions_text(dimensions: tuple[tuple[str, str], ...]) -> str:
    """A dimension set as text: a ledger has few distinct sets, each written often."""
    return json.dumps(dict(dimensions), sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=4096)
def dimensions_of(text: str) -> dict[str, str]:
    """Shared, so never change the result: copy it first."""
    return json.loads(text)


# An event's amounts are Decimals, or, in a change decoded without eventsourcing's
# object hook (ledger.application.transcoder.projection_decoder), the tagged text the
# store holds: {"_type_": "decimal_str", "_data_": "4.25"}.
Amount = Decimal | dict[str, str]


def decimal(value: Amount) -> Decimal:
    return value if type(value) is Decimal else Decimal(value["_data_"])  # type: ignore[index]


def scaled(text: str, places: int) -> int | None:
    """Plain decimal text with at most `places` decimals as an integer of that scale,
    without a Decimal; None for anything else (exponents, more places)."""
    whole, _, fraction = text.partition(".")
    if len(fraction) > places or "E" in text:
        return None
    return int(whole + fraction.ljust(places, "0"))


@lru_cache(maxsize=65_536)
def scaled_text(text: str, places: int) -> int:
    """Remembered: a rebuild converts the same few texts ("0", "1", a handful of unit
    costs) millions of times."""
    found = scaled(text, places)
    return to_scaled(Decimal(text), places) if found is None else found


def cents(amount: Amount) -> int:
    if type(amount) is dict:
        return scaled_text(amount["_data_"], CENT_PLACES)
    return to_cents(amount)  # type: ignore[arg-type]


def units(quantity: Amount) -> int:
    if type(quantity) is dict:
        return scaled_text(quantity["_data_"], QUANTITY_PLACES)
    return to_units(quantity)  # type: ignore[arg-type]


def decimal_text(value: Amount) -> str:
    return format(decimal(value), "f")


def amount(value: int | None) -> Decimal:
    return from_cents(value or 0)


def quantity(value: int | None) -> Decimal:
    return from_units(value or 0)
