"""The entry lists as known at a past event-store position (time travel).

The read models hold entries as they stand now. A value entry never changes once made,
except for the amounts posted to the G/L; an item ledger entry's remaining quantity,
invoiced quantity and amounts grow with its applications and value entries. So, as
known at position P:

- the entries are those made at or before P;
- a value entry's posted amounts are its own if a G/L entry made at or before P relates
  to it, else nothing (a value entry's cost reaches the G/L in one posting);
- an item ledger entry's amounts are the sums of its value entries made at or before
  P, and an inbound entry's remaining quantity is its quantity less what outbound
  entries made at or before P took from it.

Each source below is a derived table under the plain table's name, so the filters,
counts and sums written for the live tables read it unchanged."""
from __future__ import annotations

from typing import Any

Source = tuple[str, list[Any]]

VE_SUM = "COALESCE((SELECT SUM(v.{column}) FROM ledger_ve v WHERE v.ile_no = e.entry_no AND v.position <= ?), 0)"

ILE_AS_OF = (
    "(SELECT e.entry_no, e.item_no, e.entry_type, e.posting_date, e.document_no, e.location_code, "
    "e.quantity, CASE WHEN e.quantity > 0 THEN e.quantity - COALESCE((SELECT SUM(a.quantity) "
    "FROM ledger_application a JOIN ledger_ile o ON o.entry_no = a.outbound_no "
    "WHERE a.inbound_no = e.entry_no AND o.position <= ?), 0) ELSE e.remaining_quantity END "
    "AS remaining_quantity, "
    + ", ".join(f"{VE_SUM.format(column=column)} AS {column}" for column in
                ("invoiced_quantity", "cost_actual", "cost_expected", "sales_actual"))
    + ", e.dimensions, e.position FROM ledger_ile e WHERE e.position <= ?) AS ledger_ile")

VE_KEPT = ("entry_no, item_no, ile_no, ile_type, entry_type, posting_date, document_no, "
           "description, location_code, invt_posting_group, gen_bus_posting_group, "
           "gen_prod_posting_group, ile_quantity, invoiced_quantity, valued_quantity, "
           "cost_per_unit, cost_actual, cost_expected, sales_actual, expected_cost, "
           "adjustment, applies_to, dimensions, position")

VE_AS_OF = (
    f"(SELECT {VE_KEPT}, CASE WHEN known THEN posted_actual ELSE 0 END AS posted_actual, "
    "CASE WHEN known THEN posted_expected ELSE 0 END AS posted_expected FROM "
    "(SELECT k.*, EXISTS (SELECT 1 FROM ledger_gl_relation r JOIN ledger_gl_entry g "
    "ON g.entry_no = r.gl_entry_no WHERE r.ve_no = k.entry_no AND g.position <= ?) AS known "
    "FROM ledger_ve k WHERE k.position <= ?) AS posted_by) AS v")


def item_ledger_entries(position: int | None) -> Source:
    """`ledger_ile`, or its entries as known at `position`."""
    if position is None:
        return "ledger_ile", []
    return ILE_AS_OF, [position] * 6


def value_entries(position: int | None) -> Source:
    """`ledger_ve v`, or its entries as known at `position` (as `v`)."""
    if position is None:
        return "ledger_ve v", []
    return VE_AS_OF, [position] * 2


def unposted_as_of(expected_posting: bool) -> str:
    """A value entry with an amount not posted at the position its source is known at."""
    expected = " OR v.cost_expected <> v.posted_expected" if expected_posting else ""
    return f"(v.cost_actual <> v.posted_actual{expected})"
