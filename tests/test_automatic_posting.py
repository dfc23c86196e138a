"""Automatic cost posting through the application, on SQLite and on PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.application import LedgerService
from ledger.errors import ErrorCode, LedgerError
from tests.company import base_company, line


def counts(service: LedgerService) -> tuple[int, ...]:
    reads = service.reads
    return (reads.item_ledger_entries(None, 1, None)[1], reads.value_entries({}, None, 1, None)[1],
            reads.gl_entries({}, 1, None)[1], reads.audit_trail(None, None, 1, None)[1],
            len(reads.gl_registers()))


def balances(service: LedgerService) -> dict[str, Decimal]:
    return {line["gl_account_no"]: line["balance"] for line in service.reads.trial_balance(None, None)}


def test_a_purchase_and_a_sale_post_their_cost_in_the_same_step(service: LedgerService) -> None:
    base_company(service)
    purchase = service.postings.post_item_journal_line(
        line("PURCHASE", "2027-01-02", "10", unit_cost="10.00"), None)
    sale = service.postings.post_item_journal_line(
        line("SALE", "2027-01-05", "4", unit_price="25.00"), None)
    assert [(g["gl_account_no"], g["amount"], g["transaction_no"]) for g in purchase["gl_entries"]] \
        == [("2130", Decimal("100.00"), 1), ("7190", Decimal("-100.00"), 1)]
    assert [(g["gl_account_no"], g["amount"]) for g in sale["gl_entries"]] == [
        ("2130", Decimal("-40.00")), ("7290", Decimal("40.00"))]
    assert balances(service) == {"2130": Decimal("60.00"), "7190": Decimal("-100.00"),
                                 "7290": Decimal("40.00")}
    [row] = service.reads.reconciliation(None)
    assert (row["inventory_value"], row["gl_balance"], row["difference"]) == (
        Decimal("60.00"), Decimal("60.00"), Decimal("0.00"))
    assert service.verify_projections().consistent


def test_a_dimension_error_rejects_the_whole_transaction(service: LedgerService) -> None:
    base_company(service)
    service.setup.set_default_dimension("GL_ACCOUNT", "2130", "DEPARTMENT", "ADM", "SAME_CODE")
    before = counts(service)
    with pytest.raises(LedgerError) as refused:
        service.postings.post_item_journal_line(
            line("PURCHASE", "2027-01-02", "10", dimensions={"DEPARTMENT": "SALES"}), None)
    assert refused.value.code == ErrorCode.DIMENSION_ERROR
    assert counts(service) == before


def test_rejected_postings_use_up_no_entry_number(service: LedgerService) -> None:
    base_company(service)
    for bad in (line("SALE", "2027-01-02", "1"),
                line("PURCHASE", "2027-01-02", "1", location_code="NOWHERE")):
        with pytest.raises(LedgerError):
            service.postings.post_item_journal_line(bad, None)
    result = service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "1"), None)
    assert result["item_ledger_entries"][0]["entry_no"] == 1
    assert [g["entry_no"] for g in result["gl_entries"]] == [1, 2]


def test_an_idempotency_key_gives_exactly_one_effect(service: LedgerService) -> None:
    base_company(service)
    purchase = line("PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    first = service.postings.post_item_journal_line(purchase, "key-1")
    assert service.postings.post_item_journal_line(purchase, "key-1") == first
    with pytest.raises(LedgerError) as refused:
        service.postings.post_item_journal_line(
            line("PURCHASE", "2027-01-02", "11", unit_cost="10.00"), "key-1")
    assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert counts(service)[:3] == (1, 1, 2)


def test_a_restarted_ledger_shows_the_same_entries_and_balances(database_url: str) -> None:
    service = LedgerService(database_url)
    base_company(service)
    service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "10"), None)
    service.postings.post_item_journal_line(line("SALE", "2027-01-03", "3"), None)
    before = (counts(service), balances(service))
    service.close()
    again = LedgerService(database_url)
    assert (counts(again), balances(again)) == before
    assert again.verify_projections().consistent
    again.close()


def test_a_corrupted_read_model_row_is_named(service: LedgerService) -> None:
    base_company(service)
    service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "10"), None)
    with service.views.db.write() as cursor:
        cursor.execute("UPDATE ledger_gl_entry SET amount = 1 WHERE entry_no = 1")
    check = service.verify_projections()
    assert not check.consistent
    assert any(d.startswith("ledger_gl_entry entry_no=1: amount") for d in check.differences)


@pytest.mark.parametrize("first, again", [({"quantity": "1"}, {"quantity": "1.0"}),
                                          ({"unit_cost": "12.00"}, {"unit_cost": "12.0"})])
def test_an_idempotency_key_compares_values_not_their_text(service: LedgerService, first: dict,
                                                          again: dict) -> None:
    base_company(service)
    values = {"quantity": "2", "unit_cost": "10.00"}
    sent = service.postings.post_item_journal_line(
        line("PURCHASE", "2027-01-02", **{**values, **first}), "same-key")
    assert service.postings.post_item_journal_line(
        line("PURCHASE", "2027-01-02", **{**values, **again}), "same-key") == sent
    assert counts(service)[0] == 1


@pytest.mark.parametrize("key", ["", "  "])
def test_a_blank_idempotency_key_is_refused(service: LedgerService, key: str) -> None:
    base_company(service)
    with pytest.raises(LedgerError) as refused:
        service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "1"), key)
    assert (refused.value.code, refused.value.field) == (ErrorCode.VALIDATION_ERROR, "idempotencyKey")
    assert counts(service)[0] == 0
