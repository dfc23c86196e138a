"""What one item journal line makes: its item ledger entries, applications and value
entries (domain.md sections 1 and 2). Pure: numbers come from an allocator."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.amounts import ZERO, round2
from ledger.aggregates.payloads import Changes
from ledger.costing.average import average_cost
from ledger.costing.entries import changes, new_item_ledger_entry, new_value_entry
from ledger.costing.layers import Application, apply_outbound
from ledger.costing.state import INBOUND_TYPES, Entry, ItemState, entry
from ledger.errors import validation
from ledger.numbering import NumberSource

INVOICEABLE = frozenset({"PURCHASE", "SALE"})


@dataclass(frozen=True)
class JournalLine:
    entry_type: str
    posting_date: str
    document_no: str
    item_no: str
    location_code: str
    quantity: Decimal
    new_location_code: str | None = None
    unit_cost: Decimal | None = None
    unit_price: Decimal | None = None
    invoice: bool = True
    gen_bus_posting_group: str = ""
    applies_to: int | None = None
    dimensions: dict[str, str] = field(default_factory=dict)


def check_line_shape(line: JournalLine) -> None:
    """The VALIDATION_ERROR rules of domain.md section 7 that need nothing but the line."""
    if line.quantity <= 0:
        raise validation("quantity must be greater than 0", "quantity")
    outbound_or_transfer = line.entry_type not in INBOUND_TYPES
    if line.unit_cost is not None and outbound_or_transfer:
        raise validation(f"unitCost is not allowed on a {line.entry_type} line", "unitCost")
    if line.unit_cost is not None and line.unit_cost < 0:
        raise validation("unitCost must not be negative", "unitCost")
    if line.unit_price is not None and line.entry_type != "SALE":
        raise validation("unitPrice is allowed on a SALE line only", "unitPrice")
    if line.unit_price is not None and line.unit_price < 0:
        raise validation("unitPrice must not be negative", "unitPrice")
    if not line.invoice and line.entry_type not in INVOICEABLE:
        raise validation("invoice = false is allowed on PURCHASE and SALE lines only", "invoice")
    if line.entry_type == "TRANSFER":
        if not line.new_location_code and line.new_location_code != "":
            raise validation("a TRANSFER needs newLocationCode", "newLocationCode")
        if line.new_location_code == line.location_code:
            raise validation("newLocationCode must differ from locationCode", "newLocationCode")
    elif line.new_location_code is not None:
        raise validation("newLocationCode is allowed on a TRANSFER only", "newLocationCode")
    if line.applies_to is not None and line.entry_type in INBOUND_TYPES:
        raise validation("appliesToEntry is for outbound lines", "appliesToEntry")


def check_line_against_item(line: JournalLine, item: ItemState) -> None:
    if item.costing_method == "STANDARD" and line.entry_type == "POSITIVE_ADJMT" \
            and line.unit_cost is not None:
        raise validation("a STANDARD item's positive adjustment is valued at its standard cost",
                         "unitCost")


def inbound_cost(item: ItemState, quantity: Decimal, unit_cost: Decimal | None) -> Decimal:
    return round2(quantity * (item.unit_cost if unit_cost is None else unit_cost))


def standard_value(item: ItemState, quantity: Decimal) -> Decimal:
    return round2(quantity * (item.standard_cost or ZERO))


def needs_adjustment(item: ItemState, posting_date: str) -> bool:
    """An AVERAGE entry dated on or before the item's latest outbound changes what it
    cost: an inbound of that same day joins the day's pool (domain.md section 3)."""
    if item.costing_method != "AVERAGE" or item.latest_outbound is None:
        return False
    return posting_date <= item.latest_outbound


def post_line(item: ItemState, line: JournalLine, numbers: NumberSource,
              applies_to: Entry | None = None) -> Changes:
    """The changes of one journal line. Raises INSUFFICIENT_QUANTITY (and the
    appliesToEntry VALIDATION_ERRORs) before any number is taken. `applies_to` is the
    entry `line.applies_to` names when it is no longer live (read from the read models)."""
    if line.entry_type in INBOUND_TYPES:
        return _inbound(item, line, numbers)
    if line.applies_to is not None and applies_to is None:
        applies_to = entry(item, line.applies_to)
    applications = apply_outbound(item, line.location_code, line.posting_date, line.quantity,
                                  applies_to)
    if line.entry_type == "TRANSFER":
        return _transfer(item, line, applications, numbers)
    return _outbound(item, line, applications, numbers)


def _inbound(item: ItemState, line: JournalLine, numbers: NumberSource) -> Changes:
    ile = new_item_ledger_entry(numbers.take("ile"), line.entry_type, line.posting_date,
                                line.document_no, line.location_code, line.quantity,
                                line.gen_bus_posting_group, line.dimensions, invoiced=line.invoice,
                                unit_cost=item.unit_cost if line.unit_cost is None else line.unit_cost)
    standard = item.costing_method == "STANDARD"
    purchase_cost = inbound_cost(item, line.quantity, line.unit_cost)
    common = dict(posting_date=line.posting_date, document_no=line.document_no,
                  valued_quantity=line.quantity, first=True)
    if not line.invoice:
        expected = standard_value(item, line.quantity) if standard else purchase_cost
        values = [new_value_entry(numbers.take("ve"), item, ile, cost_expected=expected,
                                  expected_cost=True, **common)]
    elif standard and line.entry_type == "POSITIVE_ADJMT":
        values = [new_value_entry(numbers.take("ve"), item, ile, invoiced_quantity=line.quantity,
                                  cost_actual=standard_value(item, line.quantity), **common)]
    else:
        values = [new_value_entry(numbers.take("ve"), item, ile, invoiced_quantity=line.quantity,
                                  cost_actual=purchase_cost, **common)]
        if standard:
            values += variance_entries(item, ile, line.posting_date, line.document_no,
                                       line.quantity, purchase_cost, numbers)
    return changes(item.no, entries=[ile], values=values,
                   adjust_needed=True if needs_adjustment(item, line.posting_date) else None)


def variance_entries(item: ItemState, ile: Entry, posting_date: str, document_no: str,
                     invoiced: Decimal, actual: Decimal, numbers: NumberSource) -> list[Entry]:
    """STANDARD purchases: inventory stands at standard, the difference goes to variance."""
    variance = standard_value(item, invoiced) - actual
    if not variance:
        return []
    return [new_value_entry(numbers.take("ve"), item, ile, entry_type="VARIANCE",
                            posting_date=posting_date, document_no=document_no,
                            valued_quantity=invoiced, cost_actual=variance)]


def outbound_cost(item: ItemState, applications: list[Application], posting_date: str,
                  quantity: Decimal) -> Decimal:
    if item.costing_method == "AVERAGE":
        return average_cost(item, posting_date, quantity)
    return sum((a.cost for a in applications), ZERO)


def applied(outbound_no: int, applications: list[Application]) -> list[list[Any]]:
    return [[outbound_no, a.inbound_no, a.quantity, a.cost] for a in applications]


def _outbound(item: ItemState, line: JournalLine, applications: list[Application],
              numbers: NumberSource) -> Changes:
    entry_no = numbers.take("ile")
    ile = new_item_ledger_entry(entry_no, line.entry_type, line.posting_date, line.document_no,
                                line.location_code, -line.quantity, line.gen_bus_posting_group,
                                line.dimensions, invoiced=line.invoice, unit_price=line.unit_price,
                                applies_to=line.applies_to)
    cost = -outbound_cost(item, applications, line.posting_date, line.quantity)
    sales = round2(line.quantity * (line.unit_price or ZERO)) if line.invoice else ZERO
    common = dict(posting_date=line.posting_date, document_no=line.document_no,
                  valued_quantity=-line.quantity, first=True, sales_actual=sales)
    if line.invoice:
        value = new_value_entry(numbers.take("ve"), item, ile, invoiced_quantity=-line.quantity,
                                cost_actual=cost, **common)
    else:
        value = new_value_entry(numbers.take("ve"), item, ile, cost_expected=cost,
                                expected_cost=True, **common)
    return changes(item.no, entries=[ile], applied=applied(entry_no, applications), values=[value],
                   adjust_needed=True if needs_adjustment(item, line.posting_date) else None)


def _transfer(item: ItemState, line: JournalLine, applications: list[Application],
              numbers: NumberSource) -> Changes:
    """Outbound half at the old location first, inbound half at the new one, at one cost."""
    out_no = numbers.take("ile")
    outbound = new_item_ledger_entry(out_no, "TRANSFER", line.posting_date, line.document_no,
                                     line.location_code, -line.quantity, line.gen_bus_posting_group,
                                     line.dimensions, invoiced=True, applies_to=line.applies_to)
    cost = outbound_cost(item, applications, line.posting_date, line.quantity)
    inbound = new_item_ledger_entry(numbers.take("ile"), "TRANSFER", line.posting_date,
                                    line.document_no, line.new_location_code or "", line.quantity,
                                    line.gen_bus_posting_group, line.dimensions, invoiced=True)
    inbound["transferred_from"] = out_no
    common = dict(posting_date=line.posting_date, document_no=line.document_no, first=True)
    values = [
        new_value_entry(numbers.take("ve"), item, outbound, valued_quantity=-line.quantity,
                        invoiced_quantity=-line.quantity, cost_actual=-cost, **common),
        new_value_entry(numbers.take("ve"), item, inbound, valued_quantity=line.quantity,
                        invoiced_quantity=line.quantity, cost_actual=cost, **common),
    ]
    values[1]["applies_to"] = None
    return changes(item.no, entries=[outbound, inbound], applied=applied(out_no, applications),
                   values=values,
                   adjust_needed=True if needs_adjustment(item, line.posting_date) else None)
