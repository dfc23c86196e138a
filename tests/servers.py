"""Real `ledger serve` processes for the tests that need one or several."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LEDGER = Path(sys.executable).parent / "ledger"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port: int, query: str, variables: dict[str, Any] | None = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql",
                                     json.dumps({"query": query, "variables": variables or {}}).encode(),
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


@contextmanager
def serving(database_url: str, count: int) -> Iterator[list[int]]:
    """`count` servers on one database; their ports."""
    started = [start(database_url) for _ in range(count)]
    try:
        yield [port for _, port in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait()
