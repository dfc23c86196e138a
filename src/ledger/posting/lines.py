"""A value entry's G/L lines and every error found on the way (domain.md sections 4-7).

Automatic posting returns the first error; the batch job and the test report collect
all of them, going on past a missing or blocked row with whatever can still be checked.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from ledger.errors import ErrorCode, LedgerError
from ledger.posting.accounts import (ACTUAL, EXPECTED, GENERAL_ROW, SETUP_FIELD, AccountType,
                                     account_pair)
from ledger.posting.checks import default_dimension_errors
from ledger.posting.setup import PostingSetup

Dimensions = tuple[tuple[str, str], ...]


class PostingLine(NamedTuple):
    """Immutable like a frozen dataclass, and much cheaper to make: a batch run makes two
    for every value entry (docs/performance.md, "Figures behind the code")."""
    gl_account_no: str | None
    account_type: AccountType
    bal_account_type: AccountType
    posting_date: str
    document_no: str
    description: str
    amount: Decimal
    location_code: str
    invt_posting_group: str
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    dimensions: Dimensions
    value_entry_nos: list[int]  # a summed line's is shared with its G/L entry, not copied


def dimension_set(dimensions: dict[str, str]) -> Dimensions:
    return tuple(sorted(dimensions.items()))


def unposted_amounts(value_entry: dict[str, Any], expected_posting: bool) -> list[tuple[str, Decimal]]:
    """(part, amount) still to post, the expected part first; zero parts left out."""
    parts = []
    if expected_posting:
        parts.append((EXPECTED, value_entry["cost_expected"] - value_entry["posted_expected"]))
    parts.append((ACTUAL, value_entry["cost_actual"] - value_entry["posted_actual"]))
    return [(part, amount) for part, amount in parts if amount]


class ErrorList:
    """Errors of one value entry, each distinct problem once."""

    def __init__(self) -> None:
        self.errors: list[LedgerError] = []
        self._keys: set[tuple] = set()

    def add(self, error: LedgerError) -> None:
        if error.key not in self._keys:
            self._keys.add(error.key)
            self.errors.append(error)

    def extend(self, errors: list[LedgerError]) -> None:
        for error in errors:
            self.add(error)


def resolve_account(account_type: AccountType, value_entry: dict[str, Any], setup: PostingSetup,
                    errors: ErrorList, dimensions: Dimensions) -> str | None:
    """The G/L account no. of a line, or None with the reasons added to `errors`.

    An account found without an error is remembered for the command's setup: a batch
    run resolves the same few accounts for every value entry."""
    key = (account_type, value_entry["gen_bus_posting_group"], value_entry["gen_prod_posting_group"],
           value_entry["location_code"], value_entry["invt_posting_group"], dimensions)
    found = setup.resolved.get(key)
    if found is not None:
        return found
    own = ErrorList()
    account_no = find_account(account_type, value_entry, setup, own)
    if own.errors:
        errors.extend(own.errors)
    elif account_no is not None:
        setup.resolved[key] = account_no
    return account_no


def find_account(account_type: AccountType, value_entry: dict[str, Any], setup: PostingSetup,
                 errors: ErrorList) -> str | None:
    table, field = SETUP_FIELD[account_type]
    if table == GENERAL_ROW:
        row_key = (value_entry["gen_bus_posting_group"], value_entry["gen_prod_posting_group"])
        row = setup.general_row(*row_key)
        what = f"general posting setup ({row_key[0]!r}, {row_key[1]!r})"
    else:
        row_key = (value_entry["location_code"], value_entry["invt_posting_group"])
        row = setup.inventory_row(*row_key)
        what = f"inventory posting setup ({row_key[0]!r}, {row_key[1]!r})"
    if row is None:
        errors.add(LedgerError(ErrorCode.MISSING_POSTING_SETUP, f"there is no {what}",
                               key=(table, *row_key)))
        return None
    if row.get("blocked"):
        errors.add(LedgerError(ErrorCode.BLOCKED_POSTING_SETUP, f"the {what} is blocked",
                               key=(table, *row_key)))
    account_no = row.get(field)
    if not account_no:
        errors.add(LedgerError(ErrorCode.BLANK_ACCOUNT, f"the {what} has no {field}",
                               key=(table, *row_key, field)))
        return None
    account = setup.account(account_no)
    if account is None:
        errors.add(LedgerError(ErrorCode.ACCOUNT_NOT_FOUND,
                               f"G/L account {account_no} ({field} of the {what}) does not exist",
                               key=(account_no,)))
    elif account["blocked"]:
        errors.add(LedgerError(ErrorCode.BLOCKED_ACCOUNT, f"G/L account {account_no} is blocked",
                               key=(account_no,)))
    else:
        errors.extend(default_dimension_errors("GL_ACCOUNT", account_no,
                                               value_entry["dimensions"], setup))
    return account_no


def value_entry_lines(value_entry: dict[str, Any], setup: PostingSetup, errors: ErrorList,
                      expected_posting: bool | None = None,
                      document_no: str | None = None) -> list[PostingLine]:
    """Two lines per unposted part: inventory side +A, then its balancing line -A."""
    if expected_posting is None:
        expected_posting = setup.expected_cost_posting
    lines = []
    dimensions = dimension_set(value_entry["dimensions"])
    # The fields every line of the entry shares, in PostingLine's order: built by
    # position, checking an entry for the batch job takes about 15% less time.
    shared = (value_entry["posting_date"], document_no or value_entry["document_no"],
              value_entry["description"])
    groups = (value_entry["location_code"], value_entry["invt_posting_group"],
              value_entry["gen_bus_posting_group"], value_entry["gen_prod_posting_group"],
              dimensions)
    for part, amount in unposted_amounts(value_entry, expected_posting):
        inventory_side, balancing = account_pair(value_entry, part)
        for own, other, signed in ((inventory_side, balancing, amount),
                                   (balancing, inventory_side, -amount)):
            lines.append(PostingLine(
                resolve_account(own, value_entry, setup, errors, dimensions), own, other,
                *shared, signed, *groups, [value_entry["entry_no"]]))
    return lines


def posted_amounts(value_entry: dict[str, Any], expected_posting: bool) -> tuple[Decimal, Decimal]:
    """The bookkeeping fields once a value entry's unposted amount has been posted."""
    expected = value_entry["cost_expected"] if expected_posting else value_entry["posted_expected"]
    return value_entry["cost_actual"], expected
