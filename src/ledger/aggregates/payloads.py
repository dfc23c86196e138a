"""What each Item event carries, typed: one `Changes` payload of whatever parts the posting
made (issue 20). The costing and posting rules build it, the Item's event methods record
it into the open state, the projector writes the read models from it and the numbering
reads its highest numbers from it; a batch run's chunk carries the G/L parts of it.

They are TypedDicts: plain dicts at run time. The store holds them compact (`pack`,
since Item events' class_version 3): every amount as its exact text instead of
eventsourcing's tagged Decimal, and the item's master data (posting groups, the
derived description) once per event instead of in every value entry; `unpack` gives
the domain its Decimals and whole value entries back, and passes a payload of an
earlier layout (Decimals already, entries whole) through unchanged. Earlier layouts stay
readable through `ledger.aggregates.item.upcast_changes`.

Which parts each event carries:
- `JournalLinePosted`: entries, applied, values, and with automatic cost posting
  gl_entries and register; `adjust_needed` when it changes a cost already taken.
- `Invoiced`: invoiced, values (G/L parts as above).
- `Revalued`: revalued, values (G/L parts as above).
- `CostAdjusted`: values, application_costs, closed_entries, adjust_needed False; under
  ALWAYS with automatic cost posting also the posting's own `posted` value entries.
- `CostPostedToGL`: posted and expected_posting (appended by a batch run).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, NotRequired, TypedDict


class ItemLedgerEntry(TypedDict):
    entry_no: int
    entry_type: str                   # PURCHASE, SALE, POSITIVE_ADJMT, NEGATIVE_ADJMT, TRANSFER
    posting_date: str
    document_no: str
    location_code: str
    quantity: Decimal                 # signed: inbound > 0
    remaining_quantity: Decimal
    invoiced_quantity: Decimal
    gen_bus_posting_group: str
    dimensions: dict[str, str]
    unit_cost: Decimal | None
    unit_price: Decimal | None
    applies_to: int | None
    applications: list[list[object]]  # [inbound no., quantity, cost] of an outbound
    applied_cost: Decimal
    revalued_on: str | None
    revaluations: list[list[object]]  # [applications before it, amount]
    transferred_from: NotRequired[int]  # a transfer's inbound half: its outbound half


class ValueEntry(TypedDict):
    entry_no: int
    ile_no: int
    ile_type: str
    entry_type: str                   # DIRECT_COST, REVALUATION, VARIANCE
    item_no: str
    posting_date: str
    document_no: str
    description: str
    location_code: str
    invt_posting_group: str
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    ile_quantity: Decimal
    invoiced_quantity: Decimal
    valued_quantity: Decimal
    cost_per_unit: Decimal
    cost_actual: Decimal
    cost_expected: Decimal
    sales_actual: Decimal
    posted_actual: Decimal
    posted_expected: Decimal
    expected_cost: bool
    adjustment: bool
    applies_to: int | None
    dimensions: dict[str, str]


class GLEntry(TypedDict):
    entry_no: int
    transaction_no: int
    gl_account_no: str
    posting_date: str
    document_no: str
    description: str
    amount: Decimal
    source_code: str
    dimensions: dict[str, str]
    value_entry_nos: list[int]
    register_no: int


class Register(TypedDict):
    no: int
    from_entry_no: int
    to_entry_no: int
    source_code: str
    created_at: str


class Changes(TypedDict, total=False):
    item_no: str
    entries: list[ItemLedgerEntry]
    applied: list[list[object]]            # [outbound no., inbound no., quantity, cost]
    application_costs: list[list[object]]  # [outbound no., application index, new cost]
    invoiced: list[list[object]]           # [entry no., signed quantity]
    values: list[ValueEntry]
    revalued: list[list[object]]           # [entry no., posting date, applications before, amount]
    closed_entries: list[list[object]]     # [entry no., its posting date, counts in AVERAGE's pool]
    posted: list[int]                      # value entry nos. whose cost reached the G/L
    expected_posting: bool
    gl_entries: list[GLEntry]
    relations: list[list[object]]          # a batch chunk's [G/L entry no., value entry nos.]
    register: Register
    adjust_needed: bool


def description(ile_type: str, item_no: str, posting_date: str) -> str:
    """A value entry's description: derived, so the store need not repeat it."""
    return f"{ile_type} {item_no} on {posting_date}"


# Where the payloads hold amounts (Decimals in the domain, their exact text in the store).
AMOUNT_FIELDS: dict[str, tuple[str, ...]] = {
    "entries": ("quantity", "remaining_quantity", "invoiced_quantity", "unit_cost", "unit_price",
                "applied_cost"),
    "values": ("ile_quantity", "invoiced_quantity", "valued_quantity", "cost_per_unit",
               "cost_actual", "cost_expected", "sales_actual", "posted_actual", "posted_expected"),
    "gl_entries": ("amount",),
}
AMOUNT_POSITIONS: dict[str, tuple[int, ...]] = {  # in the rows of these lists
    "applied": (2, 3), "application_costs": (2,), "invoiced": (1,), "revalued": (3,),
}
# in an entry's own lists (an entry an event makes has them empty; the open state fills
# them from `applied` and `revalued`), for the type's sake
ENTRY_AMOUNT_POSITIONS: dict[str, tuple[int, ...]] = {"applications": (1, 2), "revaluations": (1,)}
MASTER = ("invt_posting_group", "gen_prod_posting_group")


class PlainDecimals(dict[str, Any]):
    """A packed payload: the transcoder writes its Decimals as their exact text,
    str(Decimal), from which Decimal(text) is the same value with the same exponent
    (ledger.application.transcoder.OrjsonTranscoder)."""


def pack(changes: Changes) -> PlainDecimals:
    """The payload as stored: a new dict and new value entries (the aggregate keeps the
    ones it was given); the rest is shared, as the transcoder only reads it."""
    packed = PlainDecimals(changes)
    values = changes.get("values")
    if values:
        master = [values[0][field] for field in MASTER]
        packed["master"] = master
        packed["values"] = [without_master(value, changes["item_no"], master) for value in values]
    return packed


def without_master(value: ValueEntry, item_no: str, master: list[str]) -> dict[str, Any]:
    kept: dict[str, Any] = dict(value)
    if kept["description"] == description(kept["ile_type"], kept["item_no"], kept["posting_date"]):
        del kept["description"]
    if [kept[field] for field in MASTER] == master:
        for field in MASTER:
            del kept[field]
    if kept["item_no"] == item_no:
        del kept["item_no"]
    return kept


def with_master(changes: dict[str, Any]) -> None:
    """Every value entry whole again, in place (its amounts left as they are)."""
    master = changes.pop("master", None)
    if master is None:
        return
    for value in changes.get("values", ()):
        value.setdefault("item_no", changes["item_no"])
        for field, known in zip(MASTER, master):
            value.setdefault(field, known)
        value.setdefault("description", description(value["ile_type"], value["item_no"],
                                                    value["posting_date"]))


def to_decimals(row: list[Any], positions: tuple[int, ...]) -> None:
    for position in positions:
        if type(row[position]) is str:
            row[position] = Decimal(row[position])


def unpack(changes: dict[str, Any]) -> None:
    """The stored payload as the domain holds it, in place."""
    with_master(changes)
    for key, fields in AMOUNT_FIELDS.items():
        for row in changes.get(key, ()):
            for field in fields:
                if type(row.get(field)) is str:
                    row[field] = Decimal(row[field])
    for entry in changes.get("entries", ()):
        for key, positions in ENTRY_AMOUNT_POSITIONS.items():
            for row in entry.get(key, ()):
                to_decimals(row, positions)
    for key, positions in AMOUNT_POSITIONS.items():
        for row in changes.get(key, ()):
            to_decimals(row, positions)
