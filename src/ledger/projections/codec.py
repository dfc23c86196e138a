"""How domain values sit in read-model columns and come back out."""
from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ledger.amounts import (CENT_PLACES, QUANTITY_PLACES, from_cents, from_units, to_cents,
                            to_scaled, to_units)


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


@lru_cache(maxsize=4096)
def dimensions_of(text: str) -> dict[str, str]:
    """Shared, so never change the result: copy it first."""
    return json.loads(text)


# An event's amounts are Decimals, or, in a change decoded without eventsourcing's
# object hook (ledger.application.transcoder.projection_decoder), the text the store
# holds: "4.25" (ledger.aggregates.payloads.pack), or in the layouts before it the
# tagged text {"_type_": "decimal_str", "_data_": "4.25"}.
Amount = Decimal | str | dict[str, str]


def scaled(text: str, places: int) -> int | None:
    """Plain decimal text with at most `places` decimals as an integer of that scale,
    without a Decimal; None for anything else (exponents, more places)."""
    whole, _, fraction = text.partition(".")
    if len(fraction) > places or "E" in text:
        return None
    return int(whole + fraction.ljust(places, "0"))


REMEMBERED = 65_536


class Remembered(dict[Hashable, Any]):
    """A stored value to its column value, remembered: a rebuild converts the same few
    texts ("0", "1", a handful of unit costs) and dimension sets millions of times, and
    a plain dict lookup is cheaper than a call through lru_cache. Stops remembering when
    full."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, key: Hashable) -> Any:
        value = self.convert(key)
        if len(self) < REMEMBERED:
            self[key] = value
        return value


def scaled_text(text: str, places: int) -> int:
    found = scaled(text, places)
    return to_scaled(Decimal(text), places) if found is None else found


CENTS_OF = Remembered(lambda text: scaled_text(text, CENT_PLACES))
UNITS_OF = Remembered(lambda text: scaled_text(text, QUANTITY_PLACES))
PLAIN_TEXT_OF = Remembered(lambda text: format(Decimal(text), "f"))
DIMENSIONS_TEXT_OF = Remembered(lambda items: json_text(dict(items)))


def dimensions_json(dimensions: dict[str, str]) -> str:
    """The same text as json_text gives, for the dimension set every entry row holds."""
    return DIMENSIONS_TEXT_OF[tuple(dimensions.items())]  # type: ignore[no-any-return]


def cents(amount: Amount) -> int:
    if type(amount) is str:
        return CENTS_OF[amount]  # type: ignore[no-any-return]
    if type(amount) is dict:
        return CENTS_OF[amount["_data_"]]  # type: ignore[no-any-return]
    return to_cents(amount)  # type: ignore[arg-type]


def units(quantity: Amount) -> int:
    if type(quantity) is str:
        return UNITS_OF[quantity]  # type: ignore[no-any-return]
    if type(quantity) is dict:
        return UNITS_OF[quantity["_data_"]]  # type: ignore[no-any-return]
    return to_units(quantity)  # type: ignore[arg-type]


def decimal_text(value: Amount) -> str:
    if type(value) is str:
        return PLAIN_TEXT_OF[value]  # type: ignore[no-any-return]
    if type(value) is dict:
        return PLAIN_TEXT_OF[value["_data_"]]  # type: ignore[no-any-return]
    return format(value, "f")


def amount(value: int | None) -> Decimal:
    return from_cents(value or 0)


def quantity(value: int | None) -> Decimal:
    return from_units(value or 0)
