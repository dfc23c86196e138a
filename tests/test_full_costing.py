"""Full costing through the application, each case worked by hand from domain.md first."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from ledger.application import LedgerService
from ledger.errors import ErrorCode, LedgerError
from tests.company import base_company, line


def balances(service: LedgerService) -> dict[str, D]:
    return {row["gl_account_no"]: row["balance"] for row in service.reads.trial_balance(None, None)
            if row["balance"]}


def inventory(service: LedgerService, item_no: str) -> tuple[D, D, D]:
    found = service.reads.inventory(item_no, None, None, None)
    return found["quantity"], found["cost_actual"], found["cost_expected"]


def post(service: LedgerService, *args: object, **more: object) -> dict:
    return service.postings.post_item_journal_line(line(*args, **more), None)


def assert_sound(service: LedgerService) -> None:
    assert sum(balances(service).values()) == 0
    assert all(row["difference"] == 0 for row in service.reads.reconciliation(None))
    assert service.verify_projections().consistent


@pytest.fixture
def books(service: LedgerService) -> LedgerService:
    base_company(service)
    return service


def test_lifo_sells_the_newest_layer_first(books: LedgerService) -> None:
    post(books, "PURCHASE", "2027-01-02", "10", item_no="1200", unit_cost="10.00")
    post(books, "PURCHASE", "2027-01-03", "10", item_no="1200", unit_cost="12.00")
    post(books, "SALE", "2027-01-04", "15", item_no="1200")
    assert balances(books)["7290"] == D("170.00")  # 10 x 12.00 + 5 x 10.00
    assert inventory(books, "1200") == (5, D("50.00"), 0)
    assert_sound(books)


def test_standard_cost_holds_inventory_at_standard_and_books_the_variance(books: LedgerService) -> None:
    receipt = post(books, "PURCHASE", "2027-01-02", "10", item_no="1300", unit_cost="14.00",
                   invoice=False)["item_ledger_entries"][0]["entry_no"]
    assert inventory(books, "1300") == (10, 0, D("150.00"))
    invoiced = books.postings.invoice_item_ledger_entry(receipt, "2027-01-05", "PI-1", D("10"),
                                                        None, None, None)
    assert [(v["entry_type"], v["cost_actual"], v["cost_expected"])
            for v in invoiced["value_entries"]] == [("DIRECT_COST", D("140.00"), D("-150.00")),
                                                    ("VARIANCE", D("10.00"), 0)]
    post(books, "SALE", "2027-01-06", "4", item_no="1300")
    assert balances(books) == {"2130": D("90.00"), "7190": D("-140.00"), "7196": D("-10.00"),
                               "7290": D("60.00")}
    assert books.postings.adjust_cost_item_entries(None)["value_entries"] == []
    assert_sound(books)


def test_specific_sells_the_entry_it_names(books: LedgerService) -> None:
    post(books, "PURCHASE", "2027-01-02", "2", item_no="1400", unit_cost="10.00")
    second = post(books, "PURCHASE", "2027-01-02", "2", item_no="1400",
                  unit_cost="14.00")["item_ledger_entries"][0]["entry_no"]
    fifo = post(books, "PURCHASE", "2027-01-02", "1")["item_ledger_entries"][0]["entry_no"]
    refusals = {None: ErrorCode.VALIDATION_ERROR, fifo: ErrorCode.VALIDATION_ERROR,
                999: ErrorCode.NOT_FOUND}
    for applies_to, code in refusals.items():
        with pytest.raises(LedgerError) as refused:
            post(books, "SALE", "2027-01-03", "1", item_no="1400", applies_to=applies_to)
        assert refused.value.code == code
    sale = post(books, "SALE", "2027-01-03", "1", item_no="1400", applies_to=second)
    assert sale["value_entries"][0]["cost_actual"] == D("-14.00")


def test_a_shipment_with_expected_cost_invoiced_later(books: LedgerService) -> None:
    books.setup.update_inventory_setup({"expected_cost_posting": True})
    post(books, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    shipment = post(books, "SALE", "2027-01-03", "4", unit_price="25.00", invoice=False)
    [value] = shipment["value_entries"]
    assert (value["cost_expected"], value["expected_cost"], value["cost_actual"]) == (
        D("-40.00"), True, 0)
    assert balances(books) == {"2130": D("100.00"), "7190": D("-100.00"), "2131": D("-40.00"),
                               "7291": D("40.00")}
    entry_no = shipment["item_ledger_entries"][0]["entry_no"]
    invoiced = books.postings.invoice_item_ledger_entry(entry_no, "2027-01-08", "SI-1", D("4"),
                                                        None, None, None)
    [value] = invoiced["value_entries"]
    assert (value["cost_expected"], value["cost_actual"], value["sales_actual"]) == (
        D("40.00"), D("-40.00"), D("100.00"))
    assert [(g["gl_account_no"], g["amount"], g["source_code"]) for g in invoiced["gl_entries"]] == [
        ("2131", D("40.00"), "SALES"), ("7291", D("-40.00"), "SALES"),
        ("2130", D("-40.00"), "SALES"), ("7290", D("40.00"), "SALES")]
    assert inventory(books, "1000") == (6, D("60.00"), 0)
    assert_sound(books)


def test_a_cost_change_is_forwarded_through_a_transfer_to_a_sale_elsewhere(books: LedgerService) -> None:
    receipt = post(books, "PURCHASE", "2027-01-02", "10", unit_cost="10.00",
                   invoice=False)["item_ledger_entries"][0]["entry_no"]
    post(books, "TRANSFER", "2027-01-03", "4", new_location_code="RED")
    post(books, "SALE", "2027-01-04", "2", location_code="RED")
    books.postings.invoice_item_ledger_entry(receipt, "2027-01-06", "PI-1", D("10"), D("11.00"),
                                             None, None)
    adjusted = books.postings.adjust_cost_item_entries(None)
    assert adjusted["adjusted_item_nos"] == ["1000"]
    assert [(v["ile_type"], v["location_code"], v["cost_actual"], v["posting_date"])
            for v in adjusted["value_entries"]] == [
        ("TRANSFER", "BLUE", D("-4.00"), "2027-01-03"), ("TRANSFER", "RED", D("4.00"), "2027-01-03"),
        ("SALE", "RED", D("-2.00"), "2027-01-04")]
    assert balances(books) == {"2130": D("66.00"), "2140": D("22.00"), "7190": D("-110.00"),
                               "7290": D("22.00")}
    assert books.postings.adjust_cost_item_entries(None)["value_entries"] == []
    assert_sound(books)


@pytest.mark.parametrize("item_no", ["1000", "1100"])
def test_three_units_costing_ten_sold_one_by_one_leave_nothing(books: LedgerService,
                                                               item_no: str) -> None:
    post(books, "PURCHASE", "2027-01-02", "3", item_no=item_no, unit_cost="3.33333")
    costs = [post(books, "SALE", f"2027-01-0{day}", "1", item_no=item_no)["value_entries"][0]
             ["cost_actual"] for day in (3, 4, 5)]
    assert costs == [D("-3.33"), D("-3.34"), D("-3.33")]
    assert inventory(books, item_no) == (0, 0, 0)
    assert balances(books) == {"7190": D("-10.00"), "7290": D("10.00")}


def test_an_adjustment_in_a_closed_period_moves_to_the_first_open_date(books: LedgerService) -> None:
    receipt = post(books, "PURCHASE", "2027-01-02", "10", unit_cost="10.00",
                   invoice=False)["item_ledger_entries"][0]["entry_no"]
    post(books, "SALE", "2027-01-03", "10")
    books.setup.update_gl_setup({"allow_posting_from": "2027-02-01"})
    books.postings.invoice_item_ledger_entry(receipt, "2027-02-02", "PI-1", D("10"), D("12.00"),
                                             None, None)
    [value] = books.postings.adjust_cost_item_entries(["1000"])["value_entries"]
    assert (value["posting_date"], value["cost_actual"]) == ("2027-02-01", D("-20.00"))


def test_an_adjustment_after_the_allowed_period_stores_nothing(books: LedgerService) -> None:
    receipt = post(books, "PURCHASE", "2027-01-02", "10", unit_cost="10.00",
                   invoice=False)["item_ledger_entries"][0]["entry_no"]
    post(books, "SALE", "2027-03-03", "10")
    books.postings.invoice_item_ledger_entry(receipt, "2027-01-05", "PI-1", D("10"), D("12.00"),
                                             None, None)
    books.setup.update_gl_setup({"allow_posting_to": "2027-02-28"})
    events = books.reads.audit_trail(None, None, 1, None)[1]
    with pytest.raises(LedgerError) as refused:
        books.postings.adjust_cost_item_entries(None)
    assert refused.value.code == ErrorCode.POSTING_DATE_NOT_ALLOWED
    assert books.reads.audit_trail(None, None, 1, None)[1] == events
