"""Every wait for the entry numbering is bounded (issue 23, part 3): a posting that
cannot have it within LEDGER_LOCK_TIMEOUT answers BUSY, with how long to wait, and
stores nothing; it never hangs behind a long batch run or a stopped process."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from ledger.application import LedgerService
from ledger.errors import ErrorCode, LedgerError
from tests.company import base_company, line
from tests.servers import LEDGER, ask, free_port

TIMEOUT = 0.5


@pytest.fixture
def books(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[LedgerService]:
    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", str(TIMEOUT))
    service = LedgerService(database_url)
    base_company(service)  # automatic cost posting on
    yield service
    service.close()


def refused_within(service: LedgerService, seconds: float) -> LedgerError:
    started = time.monotonic()
    with pytest.raises(LedgerError) as refused:
        service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "1"), None)
    assert time.monotonic() - started < seconds
    return refused.value


def test_a_posting_behind_another_process_holding_the_numbering_is_busy(
        books: LedgerService, database_url: str) -> None:
    holder = LedgerService(database_url)  # as a batch run on another server holds it
    try:
        with holder.uow.numbering.held():
            busy = refused_within(books, TIMEOUT + 3)
        assert (busy.code, busy.retry_after) == (ErrorCode.BUSY, TIMEOUT)
        assert books.reads.item_ledger_entries(None, 10, None)[1] == 0
        assert books.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "1"), None)
    finally:
        holder.close()


def test_a_batch_run_waiting_for_a_stuck_holder_is_busy(books: LedgerService,
                                                        database_url: str) -> None:
    holder = LedgerService(database_url)
    try:
        with holder.uow.numbering.held(), pytest.raises(LedgerError) as refused:
            with books.uow.numbering_held():
                pass
        assert refused.value.code == ErrorCode.BUSY
    finally:
        holder.close()


def test_a_posting_behind_this_servers_batch_run_is_busy(books: LedgerService) -> None:
    holding, release = threading.Event(), threading.Event()

    def batch_run() -> None:
        with books.uow.numbering_held():
            holding.set()
            release.wait(10)

    running = threading.Thread(target=batch_run)
    running.start()
    try:
        assert holding.wait(5)
        assert refused_within(books, TIMEOUT + 3).code == ErrorCode.BUSY
    finally:
        release.set()
        running.join()


def test_a_server_answers_busy_while_a_stopped_process_holds_the_numbering(
        sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    base_company(service)
    port = free_port()
    server = subprocess.Popen([str(LEDGER), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env={**os.environ, "LEDGER_DATABASE_URL": sqlite_url,
                                   "LEDGER_LOCK_TIMEOUT": "1"})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                ask(port, "{ __typename }")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        with service.uow.numbering.held():
            started = time.monotonic()
            answer = ask(port, """mutation { postItemJournalLine(input: {entryType: PURCHASE,
              postingDate: "2027-01-02", documentNo: "PR-1", itemNo: "1000", locationCode: "BLUE",
              quantity: "1"}) { __typename ... on UserError { code retryAfterSeconds } } }""")
            waited = time.monotonic() - started
        assert answer["postItemJournalLine"] == {"__typename": "UserError", "code": "BUSY",
                                                 "retryAfterSeconds": 1.0}
        assert waited < 4
    finally:
        server.terminate()
        server.wait()
        service.close()
