"""Numbered G/L entries and the register of one posting (domain.md section 1)."""
from __future__ import annotations

from datetime import datetime, timezone

from ledger.aggregates.payloads import GLEntry, Register
from ledger.posting.lines import PostingLine
from ledger.numbering import NumberSource


def gl_entries(lines: list[PostingLine], numbers: NumberSource, source_code: str,
               register_no: int, transactions: dict[tuple[str, str], int] | None = None
               ) -> list[GLEntry]:
    """G/L entries in line order; one transaction per (document no., posting date),
    numbered in the order of its first line."""
    transactions = {} if transactions is None else transactions
    entries = []
    for line in lines:
        key = (line.document_no, line.posting_date)
        if key not in transactions:
            transactions[key] = numbers.take("transaction")
        entries.append({
            "entry_no": numbers.take("gl"), "transaction_no": transactions[key],
            "gl_account_no": line.gl_account_no, "posting_date": line.posting_date,
            "document_no": line.document_no, "description": line.description,
            "amount": line.amount, "source_code": source_code,
            "dimensions": dict(line.dimensions), "value_entry_nos": line.value_entry_nos,
            "register_no": register_no,
        })
    return entries


def register(no: int, entries: list[GLEntry], source_code: str) -> Register:
    return {"no": no, "from_entry_no": entries[0]["entry_no"], "to_entry_no": entries[-1]["entry_no"],
            "source_code": source_code, "created_at": datetime.now(timezone.utc).isoformat()}
