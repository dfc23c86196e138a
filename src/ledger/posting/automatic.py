"""Automatic cost posting: a posting's own value entries reach the G/L in its own atomic
step, and the first error rejects the whole transaction (domain.md section 5)."""
from __future__ import annotations

from ledger.aggregates.payloads import Changes, ValueEntry
from ledger.posting.glentries import gl_entries, register
from ledger.posting.lines import ErrorList, PostingLine, posted_amounts, value_entry_lines
from ledger.posting.setup import PostingSetup
from ledger.numbering import NumberSource


def lines_or_first_error(values: list[ValueEntry], setup: PostingSetup) -> list[PostingLine]:
    lines: list[PostingLine] = []
    for value in values:
        errors = ErrorList()
        lines += value_entry_lines(value, setup, errors)
        if errors.errors:
            raise errors.errors[0]
    return lines


def post_value_entries(values: list[ValueEntry], setup: PostingSetup, numbers: NumberSource,
                       source_code: str) -> Changes:
    """G/L entries and register for `values`, whose posted amounts are moved forward in
    place; returns the parts of the item event's changes (nothing when no line)."""
    lines = lines_or_first_error(values, setup)
    for value in values:
        value["posted_actual"], value["posted_expected"] = posted_amounts(
            value, setup.expected_cost_posting)
    if not lines:
        return {}
    register_no = numbers.take("register")
    entries = gl_entries(lines, numbers, source_code, register_no)
    return {"gl_entries": entries, "register": register(register_no, entries, source_code)}
