"""The batch job as operators run it, in real processes: killed between chunks and run
again, and two runs at once. Nothing is lost, nothing is posted twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.application import LedgerService
from tests.company import base_company, line

LEDGER = Path(sys.executable).parent / "ledger"
ENTRIES = 300


def books_to_post(database_url: str, entries: int = ENTRIES) -> Decimal:
    """`entries` unposted purchases; returns what they cost together."""
    service = LedgerService(database_url)
    base_company(service, automatic=False)
    total = Decimal(0)
    for n in range(entries):
        cost = Decimal(n % 7 + 1)
        service.postings.post_item_journal_line(
            line("PURCHASE", f"2027-01-{n % 28 + 1:02d}", "1", unit_cost=str(cost)), None)
        total += cost
    service.close()
    return total


def post_cost(database_url: str, chunk_size: int, per_group: bool = True) -> subprocess.Popen:
    env = {**os.environ, "LEDGER_DATABASE_URL": database_url,
           "LEDGER_BATCH_CHUNK_SIZE": str(chunk_size)}
    method = ["--per-posting-group", "--document-no", "INVT-1"] if per_group else []
    return subprocess.Popen([str(LEDGER), "post-cost", *method], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def gl_entry_count(service: LedgerService) -> int:
    """Read from the event store through a fresh catch-up: what was committed."""
    service.uow.catch_up()
    with service.views.db.read() as cursor:
        cursor.execute("SELECT COUNT(*) AS n FROM ledger_gl_entry")
        return cursor.fetchone()["n"]


def unposted_count(service: LedgerService) -> int:
    return service.reads.value_entries({}, True, 1, None)[1]


def assert_posted_exactly_once(database_url: str, total: Decimal, runs: int) -> None:
    service = LedgerService(database_url)
    with service.views.db.read() as cursor:
        cursor.execute("SELECT ve_no, COUNT(*) AS n FROM ledger_gl_relation GROUP BY ve_no")
        per_entry = {row["ve_no"]: row["n"] for row in cursor.fetchall()}
    assert len(per_entry) == ENTRIES and set(per_entry.values()) == {2}
    assert service.reads.value_entries({}, True, 1, None)[1] == 0
    balances = {row["gl_account_no"]: row["balance"]
                for row in service.reads.trial_balance(None, None)}
    assert balances == {"2130": total, "7190": -total}
    registers = service.reads.gl_registers()
    assert len(registers) == runs
    expected_from = 1
    for register in registers:  # contiguous, one after the other
        assert register["from_entry_no"] == expected_from
        expected_from = register["to_entry_no"] + 1
    assert expected_from - 1 == service.reads.gl_entries({}, 1, None)[1]
    assert service.verify_projections().consistent
    service.close()


def test_a_run_killed_between_chunks_is_finished_by_the_next(database_url: str) -> None:
    total = books_to_post(database_url)
    watcher = LedgerService(database_url)
    run = post_cost(database_url, chunk_size=1, per_group=False)  # 300 chunks
    deadline = time.monotonic() + 60
    while gl_entry_count(watcher) == 0 and time.monotonic() < deadline:
        assert run.poll() is None, run.stderr.read().decode()
        time.sleep(0.002)
    run.send_signal(signal.SIGKILL)
    run.wait()
    posted = gl_entry_count(watcher)
    left = unposted_count(watcher)
    watcher.close()
    assert posted > 0 and left > 0, "the kill did not land between chunks"
    again = post_cost(database_url, chunk_size=50)
    assert again.wait(120) == 0, again.stderr.read().decode()
    assert_posted_exactly_once(database_url, total, runs=2)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_runs_at_once_never_post_an_entry_twice(database_url: str) -> None:
    total = books_to_post(database_url)
    runs = [post_cost(database_url, chunk_size=10) for _ in range(2)]
    codes = [run.wait(180) for run in runs]
    assert codes.count(0) >= 1, [run.stderr.read().decode() for run in runs]
    assert_posted_exactly_once(database_url, total, runs=1)
