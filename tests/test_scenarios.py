"""The worked scenarios of ../shared/scenarios, each against a fresh `ledger serve`, on
SQLite and on PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED, missing, require_postgres

RUNNER = SHARED / "tools" / "run_scenarios.py"
SCENARIOS = sorted((SHARED / "scenarios").glob("[0-9]*.json"))
LEDGER = Path(sys.executable).parent / "ledger"
DATABASES = {"sqlite": "sqlite:///{dir}/ledger.db",
             "postgresql": "postgresql://postgres@127.0.0.1/{db}"}
CASES = [pytest.param(scenario, database, id=f"{scenario.stem}-{database}")
         for scenario in SCENARIOS for database in DATABASES]


def test_the_worked_scenarios_are_beside_the_clone() -> None:
    """The scenarios live in ../shared, beside the clone (see the README); without them
    the scenario cases below are not collected, and this says why."""
    if not SCENARIOS:
        missing(f"no worked scenarios at {SHARED / 'scenarios'}: put ../shared beside the clone")


@pytest.mark.parametrize("scenario, database", CASES)
def test_scenario(scenario: Path, database: str) -> None:
    if database == "postgresql":
        require_postgres()
    run = subprocess.run(
        [sys.executable, str(RUNNER), str(scenario), "--database-url", DATABASES[database],
         "--serve", f"{LEDGER} serve --host 127.0.0.1 --port {{port}}"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
