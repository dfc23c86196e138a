"""What the property tests share: their hypothesis profiles and the base company built
once and copied for every example (fast and identical)."""
from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

from ledger.application import LedgerService
from tests.company import base_company

settings.register_profile("ci", max_examples=200, stateful_step_count=50, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=1000, stateful_step_count=100, deadline=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

_TEMPLATE: list[Path] = []


def template() -> Path:
    """The base company with automatic cost posting off, built on first use (never at import)."""
    if not _TEMPLATE:
        directory = Path(tempfile.mkdtemp(prefix="ledger-template-"))
        atexit.register(shutil.rmtree, directory, True)
        service = LedgerService(f"sqlite:///{directory}/ledger.db")
        base_company(service, automatic=False)
        service.close()
        with sqlite3.connect(directory / "ledger.db") as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _TEMPLATE.append(directory / "ledger.db")
    return _TEMPLATE[0]


def fresh_books(directory: str) -> LedgerService:
    """A copy of the base company in `directory`."""
    shutil.copy(template(), f"{directory}/ledger.db")
    return LedgerService(f"sqlite:///{directory}/ledger.db")
