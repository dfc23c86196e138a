"""Summing per posting group and cutting balanced chunks (domain.md section 6): given
value entries whose lines fall into posting groups, every chunk holds all lines of each
value entry it touches, and chunks are cut as soon as that allows once they are big
enough, exactly where a plain count of each entry's open lines would cut them. The
entries each summed line covers, listed afterwards a window at a time, are every entry
of its lines, ascending, whatever the windows."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ledger.posting.accounts import AccountType
from ledger.posting.batch import Listing, Part, Summary, list_entries
from ledger.posting.lines import PostingLine

SIDES = (AccountType.INVENTORY, AccountType.DIRECT_COST_APPLIED)


def own_lines(entry_no: int, groups: list[int]) -> list[PostingLine]:
    """An entry's +A/-A pair for each group it has a part in (the group sets the day)."""
    return [PostingLine(gl_account_no=f"{side.value}", account_type=side,
                        bal_account_type=SIDES[1 - index], posting_date=f"2027-01-{group + 1:02d}",
                        document_no="D", description="", amount=Decimal(sign), location_code="BLUE",
                        invt_posting_group="RESALE", gen_bus_posting_group="DOMESTIC",
                        gen_prod_posting_group="RETAIL", dimensions=(), value_entry_nos=[entry_no])
            for group in groups for index, (side, sign) in enumerate(zip(SIDES, (1, -1)))]


def counted_chunks(lines: list[PostingLine], size: int) -> list[list[PostingLine]]:
    """The reference: cut after a line once no entry seen so far has lines still to come."""
    remaining: dict[int, int] = {}
    for line in lines:
        for no in line.value_entry_nos:
            remaining[no] = remaining.get(no, 0) + 1
    chunks, chunk, open_entries = [], [], set()
    for line in lines:
        chunk.append(line)
        for no in line.value_entry_nos:
            remaining[no] -= 1
            (open_entries.add if remaining[no] else open_entries.discard)(no)
        if not open_entries and len(chunk) >= size:
            chunks.append(chunk)
            chunk = []
    return chunks + ([chunk] if chunk else [])


def windows(parts: list[Part], size: int) -> list[list[Part]]:
    return [parts[start:start + size] for start in range(0, len(parts), size)]


@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=3, unique=True),
                min_size=1, max_size=60),
       st.integers(1, 8), st.integers(1, 10))
def test_chunks_keep_each_entrys_lines_together(entries: list[list[int]], size: int,
                                                window: int) -> None:
    parts = [Part("1000", own_lines(entry_no, groups), [entry_no])
             for entry_no, groups in enumerate(entries, start=1)]
    summary = Summary()
    for part in parts:
        summary.add(part.lines)
    lines = summary.result()
    list_entries(lines, windows(parts, window))
    chunks = list(summary.chunks(lines, size))
    assert [line for chunk in chunks for line in chunk] == lines
    assert chunks == counted_chunks(lines, size)
    for chunk in chunks:
        inside = {no for line in chunk for no in line.value_entry_nos}
        assert all(set(line.value_entry_nos) <= inside or not set(line.value_entry_nos) & inside
                   for line in lines)
    assert sum(line.amount for line in lines) == 0
    assert sorted(no for line in lines for no in line.value_entry_nos) == sorted(
        no for no, groups in enumerate(entries, start=1) for _ in range(2 * len(groups)))


def test_a_listing_finds_a_selection_that_changed_since_it_was_summed() -> None:
    """Given two entries summed into one pair of lines, a listing that meets only one of
    them (the other was posted meanwhile) does not balance; meeting both, it does."""
    parts = [Part("1000", own_lines(entry_no, [0]), [entry_no]) for entry_no in (1, 2)]
    summary = Summary()
    for part in parts:
        summary.add(part.lines)
    lines = summary.result()
    listing = Listing(lines)
    related, posted = listing.window(parts[:1])
    assert related == {0: [1], 1: [1]} and posted == {"1000": [1]}
    assert not listing.balanced()
    listing.window(parts[1:])
    assert listing.balanced()
