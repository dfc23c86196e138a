"""SIGKILL at random points: a server taking a stream of postings and a batch run posting
cost, killed and restarted again and again. Afterwards no acknowledged posting is lost,
no unacknowledged one is applied twice (clients retry with their idempotency key), no
value entry is posted twice, the read models equal a replay, and the totals equal an
uninterrupted run's."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal

from ledger.application import LedgerService
from tests.company import base_company
from tests.test_server_restart import LEDGER, start

ROUNDS = 10  # two kills a round: the server and the batch run
POSTINGS_PER_ROUND = 12
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
    except (OSError, urllib.error.URLError, ValueError):
        return False
    result = reply["data"]["postItemJournalLine"]
    assert result["__typename"] == "PostingResult", result
    return True


def post_cost(database_url: str) -> subprocess.Popen:
    return subprocess.Popen([str(LEDGER), "post-cost"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env={**os.environ, "LEDGER_DATABASE_URL": database_url,
                                 "LEDGER_BATCH_CHUNK_SIZE": "3"})


def kill_later(process: subprocess.Popen, delay: float) -> threading.Timer:
    timer = threading.Timer(delay, lambda: process.poll() is None and process.send_signal(signal.SIGKILL))
    timer.start()
    return timer


def test_killed_processes_lose_nothing_and_post_nothing_twice(database_url: str) -> None:
    setup = LedgerService(database_url)
    base_company(setup, automatic=False)
    setup.close()
    rng = random.Random(20271)
    postings = {f"k{n}": purchase(f"k{n}", n) for n in range(ROUNDS * POSTINGS_PER_ROUND)}
    pending = list(postings)
    kills = 0
    for round_no in range(ROUNDS):
        server, port = start(database_url)
        batch = post_cost(database_url)
        timers = [kill_later(server, rng.uniform(0.05, 0.8)), kill_later(batch, rng.uniform(0.05, 0.8))]
        wanted = pending[:POSTINGS_PER_ROUND * (round_no + 1)]
        pending = [key for key in wanted if not send(port, postings[key])] + pending[len(wanted):]
        for timer in timers:
            timer.join()
        for process in (server, batch):
            process.wait()
            kills += process.returncode == -signal.SIGKILL
    assert kills >= ROUNDS, f"only {kills} kills landed"
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
