"""Databases written by earlier versions of main start, post and verify (issue 23, part 5).

Each fixture in fixtures/stores was written by `ledger serve` of an earlier commit
running a worked scenario, read models and all:
- first-layout.db (66c0ce6): item ledger entries without `revaluations`;
- posted-with-amounts.db (1d96d52): "cost posted" events as [[no, actual, expected], ...];
- compact-posted.db (1a1bb0a): whole-item snapshots, each amount a tagged Decimal;
- open-state-snapshot.db (a3c3faf): events with each amount a tagged Decimal and the item's
  posting groups in every value entry, and a snapshot of an item's open state (scenario
  16, then 120 postings of item 1000).
Events are never rewritten: upcasting reads each layout as today's.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.servers import ask, serving

STORES = sorted((Path(__file__).parent / "fixtures" / "stores").glob("*.db"))
LINE = """mutation {{ postItemJournalLine(input: {{entryType: {kind}, postingDate: "2027-01-20",
  documentNo: "OLD-1", itemNo: "1000", locationCode: "BLUE", quantity: "1" {more}}})
  {{ __typename ... on UserError {{ code message }} }} }}"""
BATCH = """mutation { postInventoryCostToGL(input: {postMethod: PER_ENTRY})
  { __typename ... on UserError { code message } } }"""
STATE = """{ verifyProjections { consistent differences }
  reconciliation { difference } auditTrail(first: 1000) { totalCount edges { node { topic payload } } } }"""


@pytest.mark.parametrize("store", STORES, ids=[store.stem for store in STORES])
def test_a_store_of_an_earlier_layout_starts_posts_and_verifies(store: Path, tmp_path: Path) -> None:
    shutil.copy(store, tmp_path / "ledger.db")
    with serving(f"sqlite:///{tmp_path}/ledger.db", 1) as (port,):
        before = ask(port, STATE)
        assert before["verifyProjections"] == {"consistent": True, "differences": []}
        purchase = ask(port, LINE.format(kind="PURCHASE", more=', unitCost: "7.00"'))
        sale = ask(port, LINE.format(kind="SALE", more=""))
        batch = ask(port, BATCH)
        assert [purchase["postItemJournalLine"]["__typename"], sale["postItemJournalLine"]["__typename"],
                batch["postInventoryCostToGL"]["__typename"]] == [
            "PostingResult", "PostingResult", "InventoryCostPostingReport"]
        after = ask(port, STATE)
        assert after["verifyProjections"] == {"consistent": True, "differences": []}
        assert all(line["difference"] == "0.00" for line in after["reconciliation"])
        assert after["auditTrail"]["totalCount"] > before["auditTrail"]["totalCount"]
