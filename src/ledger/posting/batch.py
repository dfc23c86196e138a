"""The batch job's pure part (domain.md section 6): check each value entry, decide
posted / warned / skipped, sum lines per posting group, cut balanced chunks."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ledger.errors import ErrorCode, LedgerError
from ledger.posting.checks import default_dimension_errors, dimension_value_errors, posting_date_error
from ledger.posting.lines import ErrorList, PostingLine, value_entry_lines
from ledger.posting.setup import PostingSetup

PER_ENTRY, PER_POSTING_GROUP = "PER_ENTRY", "PER_POSTING_GROUP"


@dataclass(frozen=True)
class EntryCheck:
    """One value entry in a trial posting: its own lines and every error."""
    value_entry: dict[str, Any]
    lines: list[PostingLine]
    errors: list[LedgerError]

    @property
    def skipped(self) -> bool:
        """Any error but a dimension error keeps the entry unposted."""
        return any(error.code != ErrorCode.DIMENSION_ERROR for error in self.errors)

    @property
    def warned(self) -> bool:
        return bool(self.errors) and not self.skipped


def check_document_no(post_method: str, document_no: str | None) -> str | None:
    """PER_ENTRY uses each entry's own document no.; PER_POSTING_GROUP needs one."""
    blank = not document_no
    if post_method == PER_ENTRY and not blank:
        raise LedgerError(ErrorCode.DOCUMENT_NO_NOT_ALLOWED,
                          "posting per entry uses each value entry's own document no.",
                          "documentNo")
    if post_method == PER_POSTING_GROUP and blank:
        raise LedgerError(ErrorCode.DOCUMENT_NO_REQUIRED,
                          "posting per posting group needs a document no.", "documentNo")
    return None if blank else document_no


def check_value_entry(value_entry: dict[str, Any], setup: PostingSetup,
                      document_no: str | None) -> EntryCheck:
    errors = ErrorList()
    dimensions = value_entry["dimensions"]
    errors.extend(dimension_value_errors(dimensions, setup))
    errors.extend(default_dimension_errors("ITEM", value_entry["item_no"], dimensions, setup))
    date_error = posting_date_error(value_entry["posting_date"], setup)
    if date_error:
        errors.add(date_error)
    lines = value_entry_lines(value_entry, setup, errors, document_no=document_no)
    return EntryCheck(value_entry, lines, errors.errors)


def group_description(line: PostingLine) -> str:
    return (f"{line.account_type.value} - {line.bal_account_type.value}, {line.location_code},"
            f"{line.invt_posting_group},{line.gen_bus_posting_group},{line.gen_prod_posting_group}")


def summing_key(line: PostingLine) -> tuple:
    """BC's key: two account types sharing one G/L account stay apart, and debits and
    credits are never netted."""
    return (line.posting_date, line.account_type, line.bal_account_type, line.location_code,
            line.invt_posting_group, line.gen_bus_posting_group, line.gen_prod_posting_group,
            line.dimensions, line.amount > 0)


def as_group_line(line: PostingLine) -> PostingLine:
    """A value entry's own line as the test report shows it under PER_POSTING_GROUP."""
    return replace(line, description=group_description(line))


@dataclass
class Summary:
    """Summed lines in the order of their lowest value entry no.; memory grows with the
    number of summed lines (and their value entry nos.), not with whole entries."""
    lines: dict[tuple, tuple[PostingLine, list[Decimal], list[int]]] = field(default_factory=dict)

    def add(self, lines: Iterable[PostingLine]) -> None:
        for line in lines:
            key = summing_key(line)
            found = self.lines.get(key)
            if found is None:
                self.lines[key] = (as_group_line(line), [line.amount], list(line.value_entry_nos))
            else:
                found[1][0] += line.amount
                found[2].extend(line.value_entry_nos)

    def result(self) -> list[PostingLine]:
        return [replace(line, amount=amount[0], value_entry_nos=tuple(nos))
                for line, amount, nos in self.lines.values()]


def balanced_chunks(lines: list[PostingLine], size: int) -> Iterator[list[PostingLine]]:
    """Consecutive runs of lines, cut only where every value entry seen so far has all its
    lines inside: a chunk never splits a summed line from its balancing line."""
    remaining: dict[int, int] = {}
    for line in lines:
        for no in line.value_entry_nos:
            remaining[no] = remaining.get(no, 0) + 1
    chunk: list[PostingLine] = []
    open_entries: set[int] = set()
    for line in lines:
        chunk.append(line)
        for no in line.value_entry_nos:
            remaining[no] -= 1
            if remaining[no]:
                open_entries.add(no)
            else:
                open_entries.discard(no)
        if not open_entries and len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
