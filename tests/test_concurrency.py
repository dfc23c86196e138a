"""Concurrency on PostgreSQL: four processes post journal lines for overlapping items
while two batch runs post cost; then four processes retry the same idempotency keys at
once. No lost update, no double posting, gap-free numbers, exactly one effect per key."""
from __future__ import annotations

import multiprocessing
from decimal import Decimal

import pytest

from ledger.application import LedgerService
from ledger.application.batch_job import Request
from ledger.errors import ErrorCode, LedgerError
from tests.company import base_company, line

WRITERS = 4
LINES = 25
ITEMS = ["1000", "1200"]


def writer(database_url: str, number: int, keyed: bool) -> list[int]:
    """Post LINES purchases; a CONFLICT is retried with the same idempotency key."""
    service = LedgerService(database_url)
    entries = []
    for n in range(LINES):
        key = f"line-{n}" if keyed else f"writer-{number}-{n}"
        posting = line("PURCHASE", f"2027-01-{n % 28 + 1:02d}", "1", item_no=ITEMS[n % 2],
                       unit_cost=f"{n % 5 + 1}.00", document_no=key)
        while True:
            try:
                result = service.postings.post_item_journal_line(posting, key)
                break
            except LedgerError as error:
                assert error.code == ErrorCode.CONFLICT, error
        entries.append(result["item_ledger_entries"][0]["entry_no"])
    service.close()
    return entries


def batch_run(database_url: str, per_group: bool) -> int:
    service = LedgerService(database_url)
    request = Request("PER_POSTING_GROUP", "INVT") if per_group else Request("PER_ENTRY")
    posted = 0
    for _ in range(5):
        try:
            posted += service.batch.run(request, post=True).value_entry_count
        except LedgerError as error:
            assert error.code == ErrorCode.CONFLICT, error
    service.close()
    return posted


def assert_books(database_url: str, lines: int) -> None:
    service = LedgerService(database_url)
    service.batch.run(Request("PER_ENTRY"), post=True)  # what the runs left
    with service.views.db.read() as cursor:
        cursor.execute("SELECT COUNT(*) AS n, MAX(entry_no) AS last FROM ledger_ile")
        entries = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) AS n, MAX(entry_no) AS last FROM ledger_gl_entry")
        gl = cursor.fetchone()
        cursor.execute("SELECT ve_no FROM ledger_gl_relation r JOIN ledger_gl_entry g ON "
                       "g.entry_no = r.gl_entry_no WHERE g.gl_account_no = '2130' "
                       "GROUP BY ve_no HAVING COUNT(*) > 1")
        twice = cursor.fetchall()
    assert entries["n"] == entries["last"] == lines, "lost or gapped item ledger entries"
    assert gl["n"] == gl["last"], "gapped G/L entries"
    assert twice == [], "a value entry was posted twice"
    inventory = sum(service.reads.inventory(no, None, None, None)["cost_actual"] for no in ITEMS)
    balance = {row["gl_account_no"]: row["balance"]
               for row in service.reads.trial_balance(None, None)}["2130"]
    assert inventory == balance > Decimal(0)
    assert service.reads.value_entries({}, True, 1, None)[1] == 0
    assert service.verify_projections().consistent
    service.close()


def books(database_url: str, automatic: bool) -> multiprocessing.context.SpawnContext:
    """The base company, and a way to start fresh processes on it."""
    service = LedgerService(database_url)
    base_company(service, automatic=automatic)
    service.close()
    return multiprocessing.get_context("spawn")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_writers_and_batch_runs_at_once(database_url: str) -> None:
    context = books(database_url, automatic=False)
    with context.Pool(WRITERS + 2) as pool:
        writers = [pool.apply_async(writer, (database_url, n, False)) for n in range(WRITERS)]
        runs = [pool.apply_async(batch_run, (database_url, per_group)) for per_group in (False, True)]
        numbers = [entry for job in writers for entry in job.get(300)]
        [run.get(300) for run in runs]
    assert sorted(numbers) == list(range(1, WRITERS * LINES + 1))
    assert_books(database_url, WRITERS * LINES)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_retries_of_one_key_have_one_effect(database_url: str) -> None:
    context = books(database_url, automatic=True)
    with context.Pool(WRITERS) as pool:
        results = pool.starmap(writer, [(database_url, n, True) for n in range(WRITERS)])
    assert all(entries == results[0] for entries in results)  # every retry: the first result
    assert sorted(results[0]) == list(range(1, LINES + 1))
    assert_books(database_url, LINES)
