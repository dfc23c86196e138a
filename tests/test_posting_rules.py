"""Posting rules of domain.md sections 4 and 7: which accounts, and every error."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ledger.errors import ErrorCode, LedgerError
from ledger.posting.accounts import AccountType
from ledger.posting.automatic import lines_or_first_error
from ledger.posting.checks import posting_date_error
from ledger.posting.lines import ErrorList, value_entry_lines
from ledger.posting.setup import PostingSetup

GENERAL = {"gen_bus_posting_group": "DOMESTIC", "gen_prod_posting_group": "RETAIL",
           "cogs_account": "7290", "cogs_account_interim": "7291",
           "inventory_adjmt_account": "7270", "direct_cost_applied_account": "7190",
           "overhead_applied_account": "7195", "purchase_variance_account": "7196",
           "invt_accrual_account_interim": "5530", "blocked": False}


Rows = dict[tuple[str, str], Any]


INVENTORY_ROW = ("inventory_posting_setup", "BLUE|RESALE")
GENERAL_ROW = ("general_posting_setup", "DOMESTIC|RETAIL")


def setup(changes: Rows | None = None) -> PostingSetup:
    """The rows of the scenarios' base setup, with `changes` (None removes a row)."""
    rows: dict[tuple[str, str], Any] = {
        INVENTORY_ROW: {"inventory_account": "2130", "inventory_account_interim": "2131"},
        GENERAL_ROW: dict(GENERAL),
    }
    for no in ("2130", "2131", "5530", "7190", "7270", "7290", "7291"):
        rows[("gl_account", no)] = {"no": no, "blocked": False}
    rows.update(changes or {})
    return PostingSetup.from_rows({key: value for key, value in rows.items() if value is not None})


def value_entry(ile_type: str = "PURCHASE", actual: str = "100.00", expected: str = "0",
                **more: Any) -> dict[str, Any]:
    return {"entry_no": 1, "ile_type": ile_type, "entry_type": "DIRECT_COST", "item_no": "1000",
            "posting_date": "2027-01-02", "document_no": "PR-1",
            "description": f"{ile_type} 1000 on 2027-01-02", "location_code": "BLUE",
            "invt_posting_group": "RESALE", "gen_bus_posting_group": "DOMESTIC",
            "gen_prod_posting_group": "RETAIL", "cost_actual": Decimal(actual),
            "cost_expected": Decimal(expected), "posted_actual": Decimal(0),
            "posted_expected": Decimal(0), "dimensions": {}, **more}


def codes(entry: dict[str, Any], posting_setup: PostingSetup) -> list[str]:
    errors = ErrorList()
    value_entry_lines(entry, posting_setup, errors)
    return [error.code.value for error in errors.errors]


def test_a_purchase_debits_inventory_and_credits_direct_cost_applied() -> None:
    lines = value_entry_lines(value_entry(), setup(), ErrorList())
    assert [(l.gl_account_no, l.amount, l.account_type, l.bal_account_type) for l in lines] == [
        ("2130", Decimal("100.00"), AccountType.INVENTORY, AccountType.DIRECT_COST_APPLIED),
        ("7190", Decimal("-100.00"), AccountType.DIRECT_COST_APPLIED, AccountType.INVENTORY)]


def test_a_sale_credits_inventory_and_debits_cogs() -> None:
    lines = value_entry_lines(value_entry("SALE", "-40.00"), setup(), ErrorList())
    assert [(l.gl_account_no, l.amount) for l in lines] == [("2130", Decimal("-40.00")),
                                                            ("7290", Decimal("40.00"))]


def test_expected_cost_posts_to_the_interim_accounts_only_while_switched_on() -> None:
    receipt = value_entry(actual="0", expected="25.00")
    assert value_entry_lines(receipt, setup(), ErrorList(), expected_posting=False) == []
    lines = value_entry_lines(receipt, setup(), ErrorList(), expected_posting=True)
    assert [(l.gl_account_no, l.amount) for l in lines] == [("2131", Decimal("25.00")),
                                                            ("5530", Decimal("-25.00"))]


@pytest.mark.parametrize("changes, expected", [
    ({INVENTORY_ROW: None}, ["MISSING_POSTING_SETUP"]),
    ({INVENTORY_ROW: {"inventory_account": None}}, ["BLANK_ACCOUNT"]),
    ({("gl_account", "2130"): None}, ["ACCOUNT_NOT_FOUND"]),
    ({("gl_account", "7190"): {"no": "7190", "blocked": True}}, ["BLOCKED_ACCOUNT"]),
    ({GENERAL_ROW: {**GENERAL, "blocked": True}}, ["BLOCKED_POSTING_SETUP"]),
    ({("default_dimensions", "GL_ACCOUNT|2130"): {"rules": {"DEPARTMENT": {
        "value_posting": "CODE_MANDATORY", "dimension_value_code": None}}}}, ["DIMENSION_ERROR"]),
])
def test_each_setup_problem_is_reported_once(changes: Rows, expected: list[str]) -> None:
    assert codes(value_entry(), setup(changes)) == expected


def test_a_missing_general_row_still_checks_the_inventory_side() -> None:
    broken = setup({GENERAL_ROW: None, ("gl_account", "2130"): {"no": "2130", "blocked": True}})
    assert codes(value_entry(), broken) == ["BLOCKED_ACCOUNT", "MISSING_POSTING_SETUP"]


def test_automatic_posting_returns_the_first_error_inventory_side_first() -> None:
    broken = setup({("gl_account", "2130"): None,
                    ("gl_account", "7190"): {"no": "7190", "blocked": True}})
    with pytest.raises(LedgerError) as refused:
        lines_or_first_error([value_entry()], broken)
    assert refused.value.code == ErrorCode.ACCOUNT_NOT_FOUND


@pytest.mark.parametrize("date, allowed", [("2027-01-01", True), ("2027-12-31", True),
                                           ("2026-12-31", False), ("2028-01-01", False)])
def test_the_allowed_posting_period_is_inclusive(date: str, allowed: bool) -> None:
    period = setup({("gl_setup", ""): {"allow_posting_from": "2027-01-01",
                                       "allow_posting_to": "2027-12-31"}})
    assert (posting_date_error(date, period) is None) == allowed
