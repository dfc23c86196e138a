"""Entry numbers come from the read models' tracking row and a save checks them in its
own transaction: given two services on one database, a posting made from numbers that
another posting has used meanwhile stores nothing, or is retried from the new numbers."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.aggregates.item import Item
from ledger.application import LedgerService
from ledger.costing.journal import post_line
from ledger.projections.views import NumbersMoved
from tests.company import base_company, line


@pytest.fixture
def two(database_url: str) -> Iterator[tuple[LedgerService, LedgerService]]:
    first = LedgerService(database_url)
    base_company(first, automatic=True)
    second = LedgerService(database_url)
    yield first, second
    first.close()
    second.close()


def purchase(document_no: str, item_no: str = "1000") -> object:
    return line("PURCHASE", "2027-01-05", "2", item_no=item_no, unit_cost="3.00",
                document_no=document_no)


def test_numbers_taken_before_another_posting_store_nothing(
        two: tuple[LedgerService, LedgerService]) -> None:
    first, second = two
    first.uow.catch_up_if_behind()
    allocator = first.uow.allocator()
    second.postings.post_item_journal_line(purchase("B-1", "1200"), None)
    events = first.event_count()
    item = first.uow.get(Item.create_id("1000"))
    item.post_journal_line(changes=post_line(item, purchase("A-1"), allocator))
    with pytest.raises(NumbersMoved):
        first.uow.save_numbered(allocator, item)
    assert first.event_count() == events
    assert first.verify_projections().consistent


def test_a_posting_from_stale_numbers_is_retried_from_the_new_ones(
        two: tuple[LedgerService, LedgerService]) -> None:
    first, second = two
    first.postings.post_item_journal_line(purchase("A-1"), None)
    second.postings.post_item_journal_line(purchase("B-1", "1200"), None)
    first.views.last_position = second.views.last_position  # as if it had not noticed
    result = first.postings.post_item_journal_line(purchase("A-2"), None)
    assert [entry["entry_no"] for entry in result["item_ledger_entries"]] == [3]
    gl = [entry["entry_no"] for entry in first.reads.gl_entries({}, 1, None)[0]]
    assert gl == list(range(1, len(gl) + 1))
    assert first.verify_projections().consistent


def test_read_models_of_the_layout_before_numbers_are_built_again(sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    base_company(service, automatic=True)
    service.postings.post_item_journal_line(purchase("A-1"), None)
    service.close()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:
        position = connection.execute("SELECT position FROM ledger_tracking").fetchone()[0]
        connection.execute("DROP TABLE ledger_tracking")
        connection.execute("CREATE TABLE ledger_tracking (id INTEGER PRIMARY KEY, "
                           "position BIGINT NOT NULL)")
        connection.execute("INSERT INTO ledger_tracking VALUES (1, ?)", (position,))
    service = LedgerService(sqlite_url)
    result = service.postings.post_item_journal_line(purchase("A-2"), None)
    assert [entry["entry_no"] for entry in result["item_ledger_entries"]] == [2]
    assert service.verify_projections().consistent
    service.close()


def reads_of_the_store(service: LedgerService) -> list[object]:
    """Every fast-forward a load makes from the store (eventsourcing's own)."""
    made: list[object] = []
    original = service.ledger.repository.event_store.get

    def counted(*args: object, **kwargs: object) -> object:
        made.append(kwargs.get("originator_id"))
        return original(*args, **kwargs)
    service.ledger.repository.event_store.get = counted  # type: ignore[method-assign]
    return made


@pytest.mark.parametrize("postings_elsewhere", [1, 70])
def test_an_item_moved_by_another_process_is_brought_up_to_date_by_the_commands_look(
        two: tuple[LedgerService, LedgerService], postings_elsewhere: int) -> None:
    """The events another process stored come with the look a command makes before it
    decides: a cached item is fast-forwarded from them, with no read of its own; when
    there are more than a look brings (64), the item is read from the store as before.
    Either way the sale sees the stock the other process received."""
    first, second = two
    first.postings.post_item_journal_line(purchase("A-1"), None)  # item 1000 cached here
    for n in range(postings_elsewhere):
        second.postings.post_item_journal_line(purchase(f"B-{n}"), None)
    reads = reads_of_the_store(first)
    sale = line("SALE", "2027-01-06", str(2 * postings_elsewhere + 2), document_no="S-1")
    result = first.postings.post_item_journal_line(sale, None)
    assert result["item_ledger_entries"][0]["quantity"] == -(2 * postings_elsewhere + 2)
    assert (Item.create_id("1000") in reads) == (postings_elsewhere > 64)
    assert first.verify_projections().consistent


def test_an_item_the_look_could_not_bring_up_to_date_is_read_from_the_store(
        two: tuple[LedgerService, LedgerService], monkeypatch: pytest.MonkeyPatch) -> None:
    """Half applied, a cached item never decides: it leaves the cache and is read again."""
    first, second = two
    first.postings.post_item_journal_line(purchase("A-1"), None)
    second.postings.post_item_journal_line(purchase("B-1"), None)
    decode, failures = first.ledger.mapper.to_domain_event, [RuntimeError("once")]

    def failing_once(stored: object) -> object:
        if failures:
            raise failures.pop()
        return decode(stored)
    monkeypatch.setattr(first.ledger.mapper, "to_domain_event", failing_once)
    reads = reads_of_the_store(first)
    result = first.postings.post_item_journal_line(line("SALE", "2027-01-06", "4"), None)
    assert result["item_ledger_entries"][0]["quantity"] == -4
    assert Item.create_id("1000") in reads and not failures
