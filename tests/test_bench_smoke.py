"""`ledger bench --quick` runs and prints every figure with its baseline and ratio; it
asserts nothing about speed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LEDGER = Path(sys.executable).parent / "ledger"
BASELINES = ["event-store floor, SQLite, 1 event per save", "event-store floor, PostgreSQL",
             "raw SQLite inserts", "raw PostgreSQL inserts", "HTTP floor",
             "GraphQL over HTTP: { __typename }"]
TARGETS = ["automatic posting, SQLite", "through GraphQL over HTTP",
           "automatic posting, PostgreSQL", "batch per entry", "preview per entry",
           "test per entry", "batch per posting group", "rebuild every projection",
           "balance at a date", "adjust cost after a back-dated"]


def test_the_quick_benchmark_runs() -> None:
    run = subprocess.run([str(LEDGER), "bench", "--quick"], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    table = run.stdout.split("| figure |", 1)[1]
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in table.splitlines()[2:] if line.startswith("|")]
    assert all(any(row[0].startswith(name) for row in rows) for name in BASELINES), table
    for name in TARGETS:
        found = [row for row in rows if name in row[0]]
        assert found and all(row[2] and row[3] for row in found), (name, table)
