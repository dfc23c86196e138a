"""A batch run's progress (issue 22): the request page asks how far the run it started
has got while it waits for the answer."""
from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from ledger.api.app import create_app
from ledger.api.progress import ProgressBoard
from ledger.application import LedgerService
from tests.company import base_company, line

RUN = """mutation($input: InventoryCostPostingInput!) { postInventoryCostToGL(input: $input) {
  __typename ... on InventoryCostPostingReport { valueEntryCount }
  ... on UserError { code field message } } }"""
PROGRESS = """query($key: String!) { inventoryCostPostingProgress(progressKey: $key) {
  done total finished } }"""


def test_a_board_counts_what_a_run_has_read_and_forgets_the_oldest_runs() -> None:
    board = ProgressBoard(keep=2)
    advance = board.start("a", 250)
    advance(100)
    advance(100)
    assert (board.get("a").done, board.get("a").total, board.get("a").finished) == (200, 250, False)
    advance(100)
    board.finish("a")
    assert (board.get("a").done, board.get("a").finished) == (250, True)
    board.start("b", 1)
    board.start("c", 1)
    assert board.get("a") is None and board.get("c") is not None


def test_the_page_sees_a_run_through_its_progress_key(sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    base_company(service, automatic=False)
    for n in range(300):
        service.postings.post_item_journal_line(
            line("PURCHASE", "2027-01-02", "1", unit_cost="2.00", document_no=f"P{n}"), None)
    service.batch.chunk_size = 10
    seen: list[tuple[int, int, bool]] = []
    with TestClient(create_app(service)) as client:
        def ask() -> dict | None:
            return client.post("/graphql", json={"query": PROGRESS, "variables": {"key": "run-1"}}
                               ).json()["data"]["inventoryCostPostingProgress"]

        assert ask() is None  # no such run yet
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                if found := ask():
                    seen.append((found["done"], found["total"], found["finished"]))
        watcher = threading.Thread(target=watch)
        watcher.start()
        reply = client.post("/graphql", json={"query": RUN, "variables": {"input": {
            "postMethod": "PER_ENTRY", "progressKey": "run-1"}}}).json()
        done.set()
        watcher.join()
        assert reply["data"]["postInventoryCostToGL"]["valueEntryCount"] == 300
        assert ask() == {"done": 300, "total": 300, "finished": True}
        refused = client.post("/graphql", json={"query": RUN, "variables": {"input": {
            "postMethod": "PER_ENTRY", "progressKey": ""}}}).json()
        assert refused["data"]["postInventoryCostToGL"]["code"] == "VALIDATION_ERROR"
        assert refused["data"]["postInventoryCostToGL"]["field"] == "progressKey"
    assert any(0 < done < 300 for done, _, _ in seen), "the run was seen part-way"
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)
    assert {total for _, total, _ in seen} <= {300}
