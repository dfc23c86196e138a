"""What each Item event carries, typed: one `Changes` payload of whatever parts the posting
made (issue 20). The costing and posting rules build it, the Item's event methods record
it into the open state, the projector writes the read models from it and the numbering
reads its highest numbers from it; a batch run's chunk carries the G/L parts of it.

They are TypedDicts: plain dicts at run time, so eventsourcing's JSON transcoding (with
its Decimal tag, then zlib) stores them as they are and every layout stays readable
through `ledger.aggregates.item.upcast_changes`.

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
from typing import NotRequired, TypedDict


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
