"""A large rebuild shares the events with a second process (ledger.application.rebuild):
the read models come out as one process builds them, and a failure on either side
rolls the rebuild back and ends the child. A run of events writes each item's row once."""
from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from ledger.application import LedgerService, rebuild
from ledger.application.batch_job import Request
from ledger.application.store import events_table
from ledger.cli import app as cli
from ledger.projections.schema import INDEXES
from ledger.projections.sql import RecordingCursor
from ledger.projections.views import Change, ItemVersions
from tests.company import line
from tests.test_batch_job import stored, unposted_company


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every rebuild in two processes, in ranges of three positions (so a small history
    has many, of both processes); counts the child's batches this process executes."""
    monkeypatch.setenv("LEDGER_REBUILD_IN_TWO_PROCESSES_FROM", "1")
    monkeypatch.setattr(rebuild, "RANGE", 3)
    replayed, replay = [0], rebuild.replay

    def counted(cursor: Any, statements: Any) -> None:
        replayed[0] += 1
        replay(cursor, statements)

    monkeypatch.setattr(rebuild, "replay", counted)
    return replayed


def history(database_url: str) -> LedgerService:
    """Purchases and sales, their cost posted per posting group, more purchases unposted."""
    service = LedgerService(database_url)
    unposted_company(service)
    service.batch.run(Request("PER_POSTING_GROUP", "GROUPED"), post=True)
    for day in ("2027-01-07", "2027-01-08"):
        service.postings.post_item_journal_line(line("PURCHASE", day, "2", unit_cost="12.50"), None)
    return service


def test_a_rebuild_in_two_processes_builds_what_one_process_builds(
        database_url: str, two_processes: list[int]) -> None:
    service = history(database_url)
    before = stored(service)
    events = service.event_count()
    progress: list[int] = []
    assert service.rebuild_projections(progress.append) == events == sum(progress)
    ranges = -(-events // 3)
    assert two_processes[0] == ranges - ranges // 3
    assert stored(service) == before
    check = service.verify_projections()  # the live tables against a rebuild in one process
    assert check.consistent, check.differences
    service.close()


@pytest.mark.parametrize("position, failure", [(2, rebuild.RebuildFailed), (8, ValueError)],
                         ids=["in the child's range", "in this process's range"])
def test_an_event_that_cannot_be_read_rolls_the_rebuild_back_on_either_side(
        database_url: str, two_processes: list[int], position: int,
        failure: type[Exception]) -> None:
    service = history(database_url)
    before = stored(service)
    table, column = events_table(service.ledger)
    with service.views.db.read() as cursor:
        cursor.execute(f"SELECT state FROM {table} WHERE {column} = ?", (position,))
        state = cursor.fetchone()["state"]
    with service.views.db.write() as cursor:
        cursor.execute(f"UPDATE {table} SET state = ? WHERE {column} = ?", (b"{", position))
    with pytest.raises(failure):
        service.rebuild_projections()
    with service.views.db.read() as cursor:
        cursor.execute("SELECT COUNT(*) AS n FROM ledger_ile")
        assert cursor.fetchone()["n"] == 0
        assert not any(service.views.db.exists(cursor, name) for name in INDEXES)
    with service.views.db.write() as cursor:
        cursor.execute(f"UPDATE {table} SET state = ? WHERE {column} = ?", (state, position))
    service.close()
    restarted = LedgerService(database_url)
    assert stored(restarted) == before
    assert restarted.verify_projections().consistent
    restarted.close()


def test_the_rebuild_command_says_what_failed_and_exits_1(
        sqlite_url: str, two_processes: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    service = history(sqlite_url)
    with service.views.db.write() as cursor:
        cursor.execute("UPDATE stored_events SET state = ? WHERE rowid = 2", (b"{",))
    service.close()
    monkeypatch.setenv("LEDGER_DATABASE_URL", sqlite_url)
    result = CliRunner().invoke(cli, ["rebuild-projections"])
    assert result.exit_code == 1
    assert "projecting the events failed" in result.output and "rolled back" in result.output


def test_a_run_of_events_writes_each_items_last_version_and_last_adjust_flag() -> None:
    versions = ItemVersions()
    for version, changes in enumerate([{"item_no": "1000", "adjust_needed": True},
                                       {"item_no": "2000"}, {"item_no": "1000"},
                                       {"item_no": "2000", "adjust_needed": False},
                                       {"item_no": "2000"}], start=2):
        versions.note(Change("Item.JournalLinePosted", version, changes))
    assert versions == {"1000": (4, True), "2000": (6, False)}
    recording = RecordingCursor()
    versions.write(recording)
    assert [params for _, params, _ in recording.take()] == [(4, 1, "1000"), (6, 0, "2000")]
    assert not versions


def test_positions_with_gaps_leave_ranges_empty_and_lose_no_event(
        postgres_url: str, two_processes: list[int]) -> None:
    """PostgreSQL's notification ids can skip numbers (a rolled-back insert uses one up):
    seven missing positions empty some ranges of three and part-fill others."""
    service = history(postgres_url)
    table, column = events_table(service.ledger)
    with service.views.db.write() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                       f"(SELECT MAX({column}) FROM {table}) + 7)")
    for day in ("2027-01-09", "2027-01-10"):
        service.postings.post_item_journal_line(line("PURCHASE", day, "1", unit_cost="9.00"), None)
    before = stored(service)
    assert before["last position"] == before["events"] + 7
    assert service.rebuild_projections() == before["events"]
    assert stored(service) == before
    assert service.verify_projections().consistent
    service.close()
