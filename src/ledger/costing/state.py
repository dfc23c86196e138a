"""What the costing rules read of an item: its master data and open state
(ledger.aggregates.open_state), entries as plain dicts."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

Entry = dict[str, Any]

INBOUND_TYPES = frozenset({"PURCHASE", "POSITIVE_ADJMT"})
OUTBOUND_TYPES = frozenset({"SALE", "NEGATIVE_ADJMT"})


class ItemState(Protocol):
    no: str
    costing_method: str
    invt_posting_group: str
    gen_prod_posting_group: str
    unit_cost: Decimal
    standard_cost: Decimal | None
    entries: dict[str, Entry]
    open: dict[str, list[list[Any]]]
    days: dict[str, str]
    day_order: list[str]
    pool: list[Decimal]
    latest_outbound: str | None
    dirty: list[int]
    adjust_from: str | None


def entry(item: ItemState, entry_no: int) -> Entry:
    return item.entries[str(entry_no)]


def current_cost(ile: Entry) -> Decimal:
    """Actual plus expected cost of every value entry of the entry, adjustments included."""
    return ile["cost_actual"] + ile["cost_expected"]


def is_inbound(ile: Entry) -> bool:
    return ile["quantity"] > 0


def is_transfer(ile: Entry) -> bool:
    return ile["entry_type"] == "TRANSFER"


# The settled outbound entries and transfer inbound halves of an item dated on or after
# a day, as the read models hold them: AVERAGE's Adjust Cost revisits them.
SettledSince = Callable[[ItemState, str], list[Entry]]


def none_settled(item: ItemState, posting_date: str) -> list[Entry]:
    return []
