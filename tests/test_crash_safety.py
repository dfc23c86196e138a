"""SIGKILL at random points: a server taking a stream of postings and a batch run posting
cost, killed and restarted again and again. Afterwards no acknowledged posting is lost,
no unacknowledged one is applied twice (clients retry with their idempotency key), no
value entry is posted twice, the read models equal a replay, and the totals equal an
uninterrupted run's."""
from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.request
from decimal import Decimal

from ledger.application import LedgerService
from tests.company import base_company
from tests.servers import LEDGER, start

ROUNDS = 10  # two kills a round, each on a live process: the server and a batch run
POST = """mutation($input: PostItemJournalLineInput!) { postItemJournalLine(input: $input) {
  __typename ... on Error { code message } } }"""


def purchase(key: str, n: int) -> dict:
    return {"entryType": "PURCHASE", "postingDate": f"2027-02-{n % 28 + 1:02d}",
            "documentNo": f"PR-{key}", "itemNo": "1000", "locationCode": "BLUE",
            "quantity": "1", "genBusPostingGroup": "DOMESTIC", "unitCost": f"{n % 9 + 1}.25",
            "idempotencyKey": key}


def send(port: int, posting: dict) -> bool:
    """True once the server acknowledged the posting; False if it died on the way."""
    body = json.dumps({"query": POST, "variables": {"input": posting}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", body,
                                     {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            reply = json.loads(response.read())
    except (OSError, http.client.HTTPException, ValueError):  # died mid-request or -reply
        return False
    result = reply["data"]["postItemJournalLine"]
    assert result["__typename"] == "PostingResult", result
    return True


def post_cost(database_url: str) -> subprocess.Popen:
    return subprocess.Popen([str(LEDGER), "post-cost"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env={**os.environ, "LEDGER_DATABASE_URL": database_url,
                                 "LEDGER_BATCH_CHUNK_SIZE": "3"})


def kill(process: subprocess.Popen) -> bool:
    """SIGKILL; True when it landed on a live process."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


class BatchRuns(threading.Thread):
    """Runs `ledger post-cost` again and again until one is killed while it runs."""

    def __init__(self, database_url: str, kill_after: float) -> None:
        super().__init__()
        self.database_url, self.deadline = database_url, time.monotonic() + kill_after
        self.landed = False

    def run(self) -> None:
        while not self.landed:
            process = post_cost(self.database_url)
            while process.poll() is None and time.monotonic() < self.deadline:
                time.sleep(0.01)
            self.landed = time.monotonic() >= self.deadline and kill(process)


def test_killed_processes_lose_nothing_and_post_nothing_twice(database_url: str) -> None:
    setup = LedgerService(database_url)
    base_company(setup, automatic=False)
    setup.close()
    rng = random.Random(20271)
    postings: dict[str, dict] = {}
    pending: list[str] = []
    kills = 0
    for _ in range(ROUNDS):
        server, port = start(database_url)
        batches = BatchRuns(database_url, rng.uniform(1.0, 2.5))
        batches.start()
        server_kill = threading.Timer(rng.uniform(0.3, 1.5), lambda: kill(server))
        server_kill.start()
        while server.poll() is None:  # a stream of postings until the server dies
            if not pending:
                key = f"k{len(postings)}"
                postings[key] = purchase(key, len(postings))
                pending.append(key)
            if send(port, postings[pending[0]]):
                pending.pop(0)
        server_kill.join()
        batches.join()
        kills += 1 + batches.landed
    assert kills == 2 * ROUNDS
    server, port = start(database_url)
    try:
        assert all(send(port, postings[key]) for key in pending)
        assert all(send(port, postings[key]) for key in list(postings)[:5])  # retried: no effect
    finally:
        server.terminate()
        server.wait()
    assert post_cost(database_url).wait(120) == 0
    check_books(database_url, postings)


def check_books(database_url: str, postings: dict[str, dict]) -> None:
    total = sum(Decimal(p["unitCost"]) for p in postings.values())
    service = LedgerService(database_url)
    assert service.reads.item_ledger_entries(None, 1, None)[1] == len(postings)
    with service.views.db.read() as cursor:
        cursor.execute("SELECT ve_no, COUNT(*) AS n FROM ledger_gl_relation GROUP BY ve_no")
        per_entry = [row["n"] for row in cursor.fetchall()]
        cursor.execute("SELECT MAX(entry_no) AS last, COUNT(*) AS n FROM ledger_ile")
        numbers = cursor.fetchone()
    assert len(per_entry) == len(postings) and set(per_entry) == {2}
    assert numbers["last"] == numbers["n"], "entry numbers have a gap"
    balances = {row["gl_account_no"]: row["balance"]
                for row in service.reads.trial_balance(None, None)}
    assert balances == {"2130": total, "7190": -total}
    assert service.reads.value_entries({}, True, 1, None)[1] == 0
    check = service.verify_projections()
    assert check.consistent, check.differences
    service.close()
