"""What the costing rules read of an item: its master data and entries as plain dicts."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from ledger.amounts import ZERO

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
    values: dict[str, Entry]


def entry(item: ItemState, entry_no: int) -> Entry:
    return item.entries[str(entry_no)]


def value_entries_of(item: ItemState, ile: Entry) -> list[Entry]:
    return [item.values[str(no)] for no in ile["value_entry_nos"]]


def current_cost(item: ItemState, ile: Entry) -> Decimal:
    """Actual plus expected cost of every value entry of the entry, adjustments included."""
    return sum((v["cost_actual"] + v["cost_expected"] for v in value_entries_of(item, ile)), ZERO)


def is_inbound(ile: Entry) -> bool:
    return ile["quantity"] > 0


def is_transfer(ile: Entry) -> bool:
    return ile["entry_type"] == "TRANSFER"
