"""verifyProjections holds no lock while it rebuilds: a posting made meanwhile is saved
at once, and the check still compares one consistent moment (issue 23, part 4)."""
from __future__ import annotations

import threading
import time

import pytest

from ledger.application import LedgerService
from ledger.application import verify as verify_module
from ledger.application.verify import ProjectionCheck
from tests.company import base_company, line
from tests.servers import ask, serving

POST = """mutation { postItemJournalLine(input: {entryType: SALE, postingDate: "2027-01-03",
  documentNo: "SA-1", itemNo: "1000", locationCode: "BLUE", quantity: "1",
  genBusPostingGroup: "DOMESTIC"}) { __typename } }"""


def test_a_posting_is_saved_while_the_projections_are_verified(
        service: LedgerService, monkeypatch: pytest.MonkeyPatch) -> None:
    base_company(service)
    service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "5", unit_cost="2"), None)
    rebuilding, posted = threading.Event(), threading.Event()
    original = verify_module.rebuild

    def rebuild_until_posted(*args: object) -> int:
        rebuilding.set()
        assert posted.wait(10), "the posting waited for the verification"
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(verify_module, "rebuild", rebuild_until_posted)
    checks: list[ProjectionCheck] = []
    verifying = threading.Thread(target=lambda: checks.append(service.verify_projections()))
    verifying.start()
    assert rebuilding.wait(10)
    result = service.postings.post_item_journal_line(line("SALE", "2027-01-03", "1"), None)
    posted.set()
    verifying.join(15)
    [check] = checks
    assert check.consistent, check.differences
    latest = service.ledger.recorder.max_notification_id()
    assert check.up_to_position < latest and result["item_ledger_entries"][0]["entry_no"] == 2
    monkeypatch.setattr(verify_module, "rebuild", original)
    assert service.verify_projections().up_to_position == latest


def test_a_server_posts_while_it_verifies_its_projections(sqlite_url: str) -> None:
    """Through a real server: a posting sent while verifyProjections rebuilds 8,000
    postings' read models is answered before the verification ends."""
    service = LedgerService(sqlite_url)
    base_company(service)
    for n in range(8000):
        service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "1", unit_cost="2",
                                                     document_no=f"PR-{n}"), None)
    service.close()
    with serving(sqlite_url, 1) as (port,):
        checks: list[dict] = []
        verifying = threading.Thread(target=lambda: checks.append(
            ask(port, "{ verifyProjections { consistent upToPosition } }")))
        verifying.start()
        time.sleep(0.2)
        answer = ask(port, POST)["postItemJournalLine"]
        still_verifying = verifying.is_alive()
        verifying.join(60)
    assert answer["__typename"] == "PostingResult"
    assert still_verifying, "the posting waited for the verification to end"
    assert checks[0]["verifyProjections"]["consistent"] is True
