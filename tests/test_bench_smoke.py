"""`ledger bench --quick` runs and prints every figure; it asserts nothing about speed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LEDGER = Path(sys.executable).parent / "ledger"
FIGURES = ["event-store floor, SQLite, 1 event per save", "automatic posting, SQLite",
           "through GraphQL over HTTP", "automatic posting, PostgreSQL", "batch per entry",
           "preview per entry", "test per entry", "batch per posting group",
           "rebuild every projection", "balance at a date", "adjust cost after a back-dated"]


def test_the_quick_benchmark_runs() -> None:
    run = subprocess.run([str(LEDGER), "bench", "--quick"], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    table = run.stdout.split("| figure |", 1)[1]
    assert all(figure in table for figure in FIGURES), run.stdout[-2000:]
