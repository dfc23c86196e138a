"""Costing rules of domain.md section 2, worked by hand, without a database."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ledger.aggregates.item import Item
from ledger.costing.adjustment import adjust
from ledger.costing.revaluation import check_revaluation, revalue
from ledger.errors import ErrorCode, LedgerError
from tests.fakes import Counter, cost, item, post, settled_from_events


def test_fifo_takes_the_oldest_layers_first() -> None:
    given, numbers = item("FIFO"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    post(given, numbers, "PURCHASE", "2027-01-03", "10", unit_cost="12.00")
    sale = post(given, numbers, "SALE", "2027-01-04", "15")
    assert cost(sale) == Decimal("-160.00")
    assert given.entries["1"]["remaining_quantity"] == 0
    assert given.entries["2"]["remaining_quantity"] == 5


def test_lifo_takes_the_newest_layers_first() -> None:
    given, numbers = item("LIFO"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    post(given, numbers, "PURCHASE", "2027-01-03", "10", unit_cost="12.00")
    sale = post(given, numbers, "SALE", "2027-01-04", "15")
    assert cost(sale) == Decimal("-170.00")  # 10 x 12 + 5 x 10
    assert given.entries["1"]["remaining_quantity"] == 5


@pytest.mark.parametrize("method", ["FIFO", "AVERAGE"])
def test_three_units_costing_ten_sold_one_by_one_carry_the_residue(method: str) -> None:
    given, numbers = item(method), Counter()
    post(given, numbers, "PURCHASE", "2027-01-02", "3", unit_cost="3.33333")
    costs = [cost(post(given, numbers, "SALE", "2027-01-02", "1")) for _ in range(3)]
    assert costs == [Decimal("-3.33"), Decimal("-3.34"), Decimal("-3.33")]
    assert sum(costs) == Decimal("-10.00")


def test_average_pools_the_day_over_all_earlier_entries() -> None:
    given, numbers = item("AVERAGE"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    post(given, numbers, "PURCHASE", "2027-01-03", "10", unit_cost="12.00")
    assert cost(post(given, numbers, "SALE", "2027-01-03", "5")) == Decimal("-55.00")


def test_an_outbound_beyond_stock_is_refused_and_takes_no_number() -> None:
    given, numbers = item("FIFO"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-05", "10", unit_cost="10.00")
    with pytest.raises(LedgerError) as refused:
        post(given, numbers, "SALE", "2027-01-04", "1")  # the stock arrives a day later
    assert refused.value.code == ErrorCode.INSUFFICIENT_QUANTITY
    assert numbers.last == {"ile": 1, "ve": 1}


def test_a_specific_item_needs_the_entry_it_applies_to() -> None:
    given, numbers = item("SPECIFIC"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-02", "2", unit_cost="10.00")
    post(given, numbers, "PURCHASE", "2027-01-02", "2", unit_cost="14.00")
    with pytest.raises(LedgerError) as refused:
        post(given, numbers, "SALE", "2027-01-03", "1")
    assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert cost(post(given, numbers, "SALE", "2027-01-03", "1", applies_to=2)) == Decimal("-14.00")


def test_a_standard_purchase_books_its_variance() -> None:
    given = item("STANDARD", unit_cost="15.00", standard="15.00")
    changes = post(given, Counter(), "PURCHASE", "2027-01-02", "10", unit_cost="14.00")
    assert [(v["entry_type"], v["cost_actual"]) for v in changes["values"]] == [
        ("DIRECT_COST", Decimal("140.00")), ("VARIANCE", Decimal("10.00"))]


def test_a_receipt_not_invoiced_carries_expected_cost_only() -> None:
    given = item("FIFO")
    changes = post(given, Counter(), "PURCHASE", "2027-01-02", "4", unit_cost="2.50", invoice=False)
    [value] = changes["values"]
    assert (value["cost_actual"], value["cost_expected"], value["expected_cost"]) == (
        Decimal(0), Decimal("10.00"), True)


def revalue_entry(given: Item, numbers: Counter, entry_no: int, posting_date: str,
                  new_unit_cost: str) -> dict[str, Any]:
    check_revaluation(given, given.entries[str(entry_no)], posting_date)
    changes = revalue(given, entry_no, posting_date, "REVAL", Decimal(new_unit_cost), numbers)
    given.revalue(changes=changes)
    return changes


def test_an_entry_revalued_twice_is_open_only_from_the_later_revaluation_date() -> None:
    given, numbers = item("FIFO"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-04", "10", unit_cost="10.00")
    revalue_entry(given, numbers, 1, "2027-01-10", "12.00")
    revalue_entry(given, numbers, 1, "2027-01-06", "11.00")  # posted second, dated earlier
    with pytest.raises(LedgerError) as refused:
        post(given, numbers, "SALE", "2027-01-08", "1")
    assert refused.value.code == ErrorCode.INSUFFICIENT_QUANTITY
    assert cost(post(given, numbers, "SALE", "2027-01-10", "1")) == Decimal("-11.00")


def test_an_average_inbound_on_the_day_of_a_sale_is_adjusted_into_it() -> None:
    given, numbers = item("AVERAGE"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-04", "10", unit_cost="10.00")
    post(given, numbers, "SALE", "2027-01-05", "5")
    later = post(given, numbers, "PURCHASE", "2027-01-05", "10", unit_cost="20.00")
    assert later["adjust_needed"] is True
    adjustment = adjust(given, numbers, settled_since=settled_from_events)
    # The day's pool is 10 x 10.00 + 10 x 20.00: the sale of 5 costs 75.00, not 50.00.
    assert [(v["ile_no"], v["cost_actual"]) for v in adjustment["values"]] == [(2, Decimal("-25.00"))]


def test_adjust_cost_keeps_a_revaluation_of_a_transfers_inbound_half() -> None:
    given, numbers = item("FIFO"), Counter()
    post(given, numbers, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    post(given, numbers, "TRANSFER", "2027-01-03", "10", new_location_code="RED")
    revaluation = revalue_entry(given, numbers, 3, "2027-01-04", "12.00")
    assert cost(revaluation) == Decimal("20.00")
    assert adjust(given, numbers).get("values", []) == []
    sale = post(given, numbers, "SALE", "2027-01-05", "10", location_code="RED")
    assert cost(sale) == Decimal("-120.00")
    assert adjust(given, numbers).get("values", []) == []
