"""A killed server, restarted on the same database, shows the same entries and balances."""
from __future__ import annotations

import signal

from ledger.application import LedgerService
from tests.company import base_company
from tests.servers import ask, start

STATE = "{ glAccounts { no balance } itemLedgerEntries { totalCount } auditTrail { totalCount } }"
POST = """mutation { postItemJournalLine(input: {entryType: PURCHASE, postingDate: "2027-01-02",
  documentNo: "PR-1", itemNo: "1000", locationCode: "BLUE", quantity: "10",
  genBusPostingGroup: "DOMESTIC", unitCost: "10.00"}) { __typename } }"""


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
