"""Every amount, quantity and unit cost is a Decimal, rounded in this one place.

Rounding is half away from zero (ROUND_HALF_UP in Python's terms), as domain.md says.
Read models store amounts as integer hundredths and quantities as integer
hundred-thousandths, so sums in SQL stay exact on both SQLite and PostgreSQL.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

ZERO = Decimal(0)
CENT = Decimal("0.01")
UNIT = Decimal("0.00001")
CENT_PLACES = 2
UNIT_COST_PLACES = 5
QUANTITY_PLACES = 5
QUANTITY_SCALE = 100_000
# The contract's limits (README, schema descriptions): magnitudes below these, so that
# every amount and quantity fits the read models' 64-bit integers with room for sums.
# Business Central finds 15 digits before the point ample for an amount.
MAX_QUANTITY = Decimal(10) ** 12      # 12 digits before the point, 5 after
MAX_UNIT_AMOUNT = Decimal(10) ** 12   # unit cost, unit price: 12 digits, 5 after
MAX_AMOUNT = Decimal(10) ** 15        # any amount, given or computed: 15 digits, 2 after


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round5(value: Decimal) -> Decimal:
    return value.quantize(UNIT, rounding=ROUND_HALF_UP)


def decimals_of(value: Decimal) -> int:
    """Places after the point once trailing zeros are gone: "1.10" has one."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def to_scaled(value: Decimal, places: int) -> int:
    """The value rounded to `places` decimals, as an integer of that scale, in one step
    rather than quantize and multiply: the read models convert every amount of every
    event."""
    return int(value.scaleb(places).to_integral_value(ROUND_HALF_UP))


def to_cents(amount: Decimal) -> int:
    return to_scaled(amount, CENT_PLACES)


@lru_cache(maxsize=65_536)
def from_cents(cents: int) -> Decimal:
    """Remembered, like from_units: a batch run reads five amounts and three quantities
    of every value entry, mostly the same few (zero above all), and a Decimal is
    immutable, so one can be shared."""
    return Decimal(cents).scaleb(-CENT_PLACES)


def to_units(quantity: Decimal) -> int:
    return to_scaled(quantity, QUANTITY_PLACES)


@lru_cache(maxsize=65_536)
def from_units(units: int) -> Decimal:
    return Decimal(units) / QUANTITY_SCALE
