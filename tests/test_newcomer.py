"""What a newcomer meets besides the commands (issue 21): the server over real HTTP, the
Makefile's rules, a clean `git status`, and docstrings that say why rather than carry
profiling numbers."""
from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from tests.servers import serving

ROOT = Path(__file__).resolve().parents[1]


def http(port: int, path: str, body: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", body,
                                     {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def test_the_real_server_answers_bad_bodies_health_checks_and_deep_introspection(
        sqlite_url: str) -> None:
    with serving(sqlite_url, 1) as (port,):
        for body in (b"null", b"5", b'"x"', b"true", b"[]", b"{bad"):
            status, answer = http(port, "/graphql", body)
            assert status == 400 and answer["errors"][0]["message"], body
        assert http(port, "/healthz") == (200, {"status": "up"})
        assert http(port, "/readyz") == (200, {"status": "ready"})
        deep = "{ __schema { types { " + "ofType { " * 48 + "name" + " }" * 48 + " } } }"
        status, answer = http(port, "/graphql", json.dumps({"query": deep}).encode())
        assert "nests" in answer["errors"][0]["message"]
        root = urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Accept": "text/html"}), timeout=30)
        assert root.status == 200 and b'<div id="root">' in root.read()  # the web app


def test_make_bench_and_make_test_fast_are_rules() -> None:
    for rule, runs in (("bench", "ledger bench"), ("test-fast", "not postgres")):
        dry = subprocess.run(["make", "-n", rule], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0 and runs in dry.stdout, dry.stdout + dry.stderr


def test_the_lock_files_beside_a_database_are_ignored_by_git() -> None:
    for name in ("ledger.db.numbering-lock", "ledger.db.queue-lock"):
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT)
        assert ignored.returncode == 0, f"{name} would show in git status"


PROFILING = re.compile(r"\b\d+(\.\d+)? ?(us|µs|ms)\b|py-spy|cProfile")


def test_docstrings_carry_no_profiling_numbers() -> None:
    """Those go to docs/performance.md; a docstring says why the code is shaped so."""
    found = [f"{path.relative_to(ROOT)}:{number}" for path in (ROOT / "src").rglob("*.py")
             for number, text in enumerate(path.read_text().splitlines(), 1)
             if PROFILING.search(text)]
    assert found == []
