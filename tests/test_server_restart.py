"""A killed server, restarted on the same database, shows the same entries and balances."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ledger.application import LedgerService
from tests.company import base_company

LEDGER = Path(sys.executable).parent / "ledger"
STATE = "{ glAccounts { no balance } itemLedgerEntries { totalCount } auditTrail { totalCount } }"
POST = """mutation { postItemJournalLine(input: {entryType: PURCHASE, postingDate: "2027-01-02",
  documentNo: "PR-1", itemNo: "1000", locationCode: "BLUE", quantity: "10",
  genBusPostingGroup: "DOMESTIC", unitCost: "10.00"}) { __typename } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql",
                                     json.dumps({"query": query}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def start(database_url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([str(LEDGER), "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env={**os.environ, "LEDGER_DATABASE_URL": database_url})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            ask(port, "{ __typename }")
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not answer")


def test_a_killed_server_restarts_with_the_same_books(database_url: str) -> None:
    service = LedgerService(database_url)
    base_company(service)
    service.close()
    process, port = start(database_url)
    try:
        for _ in range(3):
            assert ask(port, POST)["postItemJournalLine"]["__typename"] == "PostingResult"
        before = ask(port, STATE)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    process, port = start(database_url)
    try:
        assert ask(port, STATE) == before
        assert before["itemLedgerEntries"]["totalCount"] == 3
    finally:
        process.terminate()
        process.wait()
