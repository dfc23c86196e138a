"""The batch job's pure part (domain.md section 6): check each value entry, decide
posted / warned / skipped, sum lines per posting group, cut balanced chunks."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ledger.amounts import ZERO
from ledger.errors import ErrorCode, LedgerError
from ledger.posting.checks import default_dimension_errors, dimension_value_errors, posting_date_error
from ledger.posting.lines import ErrorList, PostingLine, dimension_set, value_entry_lines
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
    errors.extend(entry_errors(value_entry, setup))
    lines = value_entry_lines(value_entry, setup, errors, document_no=document_no)
    return EntryCheck(value_entry, lines, errors.errors)


def entry_errors(value_entry: dict[str, Any], setup: PostingSetup) -> list[LedgerError]:
    """The dimension and date errors of a value entry itself, remembered for the run's
    setup: a run meets the same few items, dimension sets and dates again and again
    (a tenth of a per-entry run's time went on checking them afresh)."""
    dimensions = value_entry["dimensions"]
    key = (value_entry["item_no"], dimension_set(dimensions), value_entry["posting_date"])
    found = setup.checked.get(key)
    if found is None:
        found = [*dimension_value_errors(dimensions, setup),
                 *default_dimension_errors("ITEM", key[0], dimensions, setup)]
        date_error = posting_date_error(key[2], setup)
        if date_error:
            found.append(date_error)
        setup.checked[key] = found
    return found


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
    return line._replace(description=group_description(line))


class Part(NamedTuple):
    """Entries of one item that post alike: their lines (of their amounts summed) and
    their nos."""
    item_no: str
    lines: list[PostingLine]
    entry_nos: list[int]


@dataclass
class Summary:
    """Summed lines in the order of their first part.

    Memory grows with the summed lines and nothing else: the lines one part joins are
    tied in a union-find over the summed lines, which is all that cutting balanced
    chunks needs, and which entries each line covers is listed afterwards, a window of
    entries at a time (`Listing`)."""
    lines: dict[tuple, list[Any]] = field(default_factory=dict)  # [line, amount, index]
    parent: list[int] = field(default_factory=list)

    def add(self, lines: Iterable[PostingLine]) -> list[int]:
        """One part's lines: a value entry's, or those of entries alike in all the lines'
        fields. Returns the indexes of the summed lines they went into."""
        first: int | None = None
        indexes = []
        for line in lines:
            key = summing_key(line)
            found = self.lines.get(key)
            if found is None:
                found = self.lines[key] = [as_group_line(line), ZERO, len(self.parent)]
                self.parent.append(found[2])
            found[1] += line.amount
            indexes.append(found[2])
            if first is None:
                first = found[2]
            else:
                self._join(first, found[2])
        return indexes

    def result(self) -> list[PostingLine]:
        """Each line with an empty list of entry nos. of its own, for `Listing` to fill."""
        return [line._replace(amount=amount, value_entry_nos=[])
                for line, amount, _ in self.lines.values()]

    def chunks(self, lines: list[PostingLine], size: int) -> Iterator[list[PostingLine]]:
        """Consecutive runs of `result()`, cut only where no value entry has lines on both
        sides: a chunk never splits a summed line from its balancing line."""
        last = {self._root(index): index for index in range(len(lines))}
        chunk: list[PostingLine] = []
        reach = -1
        for index, line in enumerate(lines):
            chunk.append(line)
            reach = max(reach, last[self._root(index)])
            if reach == index and len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _root(self, index: int) -> int:
        parent = self.parent
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def _join(self, a: int, b: int) -> None:
        a, b = self._root(a), self._root(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


class Listing:
    """Which of some summed lines each selected entry went into, told a window of
    entries at a time: how a run lists a million entries in its events and its G/L
    relation without holding them all. The lines' amounts summed again from the parts
    must come out as they were summed before, or the selection changed meanwhile."""

    def __init__(self, lines: list[PostingLine]) -> None:
        self.lines = lines
        self.index = {summing_key(line): index for index, line in enumerate(lines)}
        self.sums = [ZERO] * len(lines)

    def window(self, parts: Iterable[Part]) -> tuple[dict[int, list[int]], dict[str, list[int]]]:
        """(the entry nos. per line index, the entry nos. per item) of the parts whose
        lines are among these lines; a chunk holds all of an entry's lines or none."""
        related: dict[int, list[int]] = {}
        posted: dict[str, list[int]] = {}
        for part in parts:
            indexes = [self.index.get(summing_key(line)) for line in part.lines]
            if not indexes or None in indexes:
                continue
            for index, line in zip(indexes, part.lines):
                related.setdefault(index, []).extend(part.entry_nos)
                self.sums[index] += line.amount
            posted.setdefault(part.item_no, []).extend(part.entry_nos)
        return related, posted

    def balanced(self) -> bool:
        return all(total == line.amount for total, line in zip(self.sums, self.lines))


def list_entries(lines: list[PostingLine], windows: Iterable[list[Part]]) -> None:
    """Fill the lines' entry nos., ascending: windows come in ascending ranges of nos."""
    listing = Listing(lines)
    for parts in windows:
        for index, nos in listing.window(parts)[0].items():
            lines[index].value_entry_nos.extend(sorted(nos))
