"""The worked scenarios of ../shared/scenarios, each against a fresh `ledger serve`, on
SQLite and on PostgreSQL. A scenario whose issue is still open is a strict xfail naming
that issue, so nothing is hidden and one that starts passing must be unmarked."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

RUNNER = SHARED / "tools" / "run_scenarios.py"
SCENARIOS = sorted((SHARED / "scenarios").glob("[0-9]*.json"))
LEDGER = Path(sys.executable).parent / "ledger"
DATABASES = {"sqlite": "sqlite:///{dir}/ledger.db",
             "postgresql": "postgresql://postgres@127.0.0.1/{db}"}
OPEN_ISSUES = {
    "08": 5, "09": 5, "11": 5, "12": 5, "14": 5, "16": 5}


def cases() -> list[object]:
    found = []
    for scenario in SCENARIOS:
        issue = OPEN_ISSUES.get(scenario.name[:2])
        marks = [pytest.mark.xfail(strict=True, reason=f"issue {issue}")] if issue else []
        for database in DATABASES:
            found.append(pytest.param(scenario, database, marks=marks,
                                      id=f"{scenario.stem}-{database}"))
    return found


@pytest.mark.parametrize("scenario, database", cases())
def test_scenario(scenario: Path, database: str) -> None:
    run = subprocess.run(
        [sys.executable, str(RUNNER), str(scenario), "--database-url", DATABASES[database],
         "--serve", f"{LEDGER} serve --host 127.0.0.1 --port {{port}}"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
