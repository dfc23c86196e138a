"""The batch job on the application: posting, preview, test report, restarts."""
from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.aggregates.register import BatchRun
from ledger.application import LedgerService
from ledger.application.batch_job import BatchJob, Request
from ledger.application.batch_job.selection import Selection
from ledger.errors import ErrorCode, LedgerError
from ledger.projections import queries
from ledger.projections.projector import runs_of
from ledger.projections.sql import PostgresCursor
from tests.company import base_company, line


def unposted_company(service: LedgerService, purchases: int = 12) -> None:
    """Automatic cost posting off: purchases on three days in two departments (each pair
    of day and department twice), then two sales."""
    base_company(service, automatic=False)
    for n in range(purchases):
        service.postings.post_item_journal_line(line(
            "PURCHASE", f"2027-01-0{2 + n % 3}", "3", unit_cost=f"{10 + n}.10",
            dimensions={"DEPARTMENT": "SALES" if n % 2 else "ADM"}), None)
    for day in ("2027-01-05", "2027-01-06"):
        service.postings.post_item_journal_line(line("SALE", day, "4"), None)


def balances(service: LedgerService) -> dict[str, Decimal]:
    return {row["gl_account_no"]: row["balance"] for row in service.reads.trial_balance(None, None)}


def stored(service: LedgerService) -> dict[str, Any]:
    """Row counts of every read model and the event store's size and last position."""
    found: dict[str, Any] = {}
    with service.views.db.read() as cursor:
        for table in ("ledger_ile", "ledger_ve", "ledger_unposted", "ledger_gl_entry",
                      "ledger_gl_relation", "ledger_gl_register", "ledger_setup"):
            cursor.execute(f"SELECT COUNT(*) AS n FROM {table}")
            found[table] = cursor.fetchone()["n"]
        cursor.execute("SELECT position FROM ledger_tracking")
        found["tracking"] = cursor.fetchone()["position"]
    found["events"] = service.reads.audit_trail(None, None, 1, None)[1]
    found["last position"] = service.ledger.recorder.max_notification_id()
    return found


def test_per_posting_group_totals_equal_per_entry_totals(database_url: str, tmp_path: Any) -> None:
    per_entry = LedgerService(f"sqlite:///{tmp_path}/per-entry.db")
    per_group = LedgerService(database_url)
    for service in (per_entry, per_group):
        unposted_company(service)
    entry_report = per_entry.batch.run(Request("PER_ENTRY"), post=True)
    group_report = per_group.batch.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True)
    assert entry_report.value_entry_count == group_report.value_entry_count == 14
    assert len(group_report.lines) < len(entry_report.lines)
    assert balances(per_entry) == balances(per_group)
    assert sum(balances(per_group).values()) == 0
    for service in (per_entry, per_group):
        assert all(row["difference"] == 0 for row in service.reads.reconciliation(None))
        service.close()


@given(st.sets(st.integers(1, 60)))
def test_posted_entries_are_updated_by_runs_that_name_exactly_them(numbers: set[int]) -> None:
    posted = sorted(numbers)
    runs = list(runs_of(posted))
    assert [no for first, last in runs for no in range(first, last + 1)] == posted
    assert all(later[0] > earlier[1] + 1 for earlier, later in zip(runs, runs[1:]))


def test_preview_and_test_report_store_nothing(service: LedgerService) -> None:
    unposted_company(service)
    before = stored(service)
    for method, document_no in (("PER_ENTRY", None), ("PER_POSTING_GROUP", "INVT-1")):
        preview = service.batch.run(Request(method, document_no), post=False)
        assert preview.value_entry_count == 14 and preview.register is None
        assert service.batch.test(Request(method, document_no), only_warnings=False).error_count == 0
    assert stored(service) == before


def test_preview_lines_are_the_lines_the_run_posts(service: LedgerService) -> None:
    unposted_company(service)
    request = Request("PER_POSTING_GROUP", "INVT-1")
    preview = service.batch.run(request, post=False)
    posted = service.batch.run(request, post=True)
    assert preview.lines == posted.lines
    assert service.batch.run(request, post=True).value_entry_count == 0


def test_a_run_in_chunks_is_one_register_with_contiguous_entries(database_url: str) -> None:
    service = LedgerService(database_url)
    unposted_company(service)
    service.batch.chunk_size = 3
    report = service.batch.run(Request("PER_ENTRY"), post=True)
    [register] = service.reads.gl_registers()
    assert (register["from_entry_no"], register["to_entry_no"]) == (1, 28)
    assert report.register["to_entry_no"] == 28 and report.value_entry_count == 14
    assert service.reads.value_entries({}, True, 1, None)[1] == 0
    assert service.verify_projections().consistent
    service.close()


def test_per_posting_group_never_nets_alike_entries_of_opposite_signs(service: LedgerService) -> None:
    """Two revaluations alike in everything the posting rules read but their sign: the
    database sums a run's selection in groups of such entries, and a group never mixes
    signs, so the debit and the credit stay two lines each, as BC's key wants."""
    base_company(service, automatic=False)
    for _ in range(2):
        service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "5",
                                                     unit_cost="10.00"), None)
    for entry_no, unit_cost in ((1, "12.00"), (2, "8.00")):
        service.postings.revalue_item_ledger_entry(entry_no, "2027-01-03", "RV-1",
                                                   Decimal(unit_cost), None)
    report = service.batch.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True)
    assert [(line.account_type.value, line.amount, line.value_entry_nos)
            for line in report.lines if line.posting_date == "2027-01-03"] == [
        ("INVENTORY", Decimal("10.00"), [3]), ("INVENTORY_ADJMT", Decimal("-10.00"), [3]),
        ("INVENTORY", Decimal("-10.00"), [4]), ("INVENTORY_ADJMT", Decimal("10.00"), [4])]
    assert report.value_entry_count == 4


def test_per_posting_group_lines_do_not_depend_on_the_window_summed_at_a_time(
        service: LedgerService) -> None:
    """The database sums the selection a window of entries at a time; a summed line
    whose entries span windows is still one line listing all of them, in order."""
    unposted_company(service)
    request = Request("PER_POSTING_GROUP", "INVT-1")
    whole = service.batch.run(request, post=False).lines
    assert len(whole) < 28
    for window in (1, 2, 5):
        job = BatchJob(service.uow, service.setup, group_window=window)
        assert job.run(request, post=False).lines == whole


def test_per_posting_group_lists_its_entries_a_window_at_a_time(database_url: str) -> None:
    """Given 14 unposted entries, chunks of 3 lines and windows of 2 entries, each G/L
    entry of the run relates to exactly the entries of its summed line, as the register's
    "entries listed" events told them window by window, and each entry is posted once."""
    service = LedgerService(database_url)
    unposted_company(service)
    job = BatchJob(service.uow, service.setup, chunk_size=3, group_window=2)
    report = job.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True)
    entries, total, _ = service.reads.gl_entries({}, 1000, None)
    assert total == len(report.lines)
    assert [(entry["amount"], entry["value_entry_nos"]) for entry in entries] == [
        (line.amount, line.value_entry_nos) for line in report.lines]
    [register] = service.reads.gl_registers()
    trail = service.reads.audit_trail(str(BatchRun.create_id(register["no"])), None, 1000, None)[0]
    listed = [event for event in trail if event["topic"].endswith("EntriesListed")]
    assert len(listed) >= 7  # 14 entries, 2 a window, in each chunk
    assert [event["aggregate_version"] for event in trail] == list(range(1, len(trail) + 1))
    service.uow.evict([BatchRun.create_id(register["no"])])
    assert service.uow.get(BatchRun.create_id(register["no"])).version == len(trail)  # replays
    assert service.reads.value_entries({}, True, 1, None)[1] == 0
    assert service.verify_projections().consistent
    service.close()


def test_a_selection_that_changed_before_it_was_listed_posts_nothing(database_url: str) -> None:
    """If an entry summed into the lines is gone when the chunk lists its entries, the
    lines no longer balance with them: CONFLICT, and nothing of the chunk is stored."""
    service = LedgerService(database_url)
    unposted_company(service)
    before = stored(service)
    job = BatchJob(service.uow, service.setup)
    reads = []

    def parts(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        for span, found in Selection.parts(job.selection, *args, **kwargs):
            yield span, found if len(reads) == 1 else found[1:]

    job.selection.parts = parts  # type: ignore[method-assign]
    with pytest.raises(LedgerError) as raised:
        job.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True, keep_lines=False)
    assert raised.value.code == ErrorCode.CONFLICT
    assert stored(service) == before
    assert service.verify_projections().consistent
    service.close()


def test_a_chunk_rereads_only_the_windows_of_its_own_lines(service: LedgerService,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Given six purchases on six days in entry order, windows of one entry and chunks
    of one day's two lines: summing reads the seven windows (the last one empty) and
    each of the six chunks rereads just its own day's window, not the whole selection."""
    base_company(service, automatic=False)
    for day in range(2, 8):
        service.postings.post_item_journal_line(line("PURCHASE", f"2027-01-0{day}", "1",
                                                     unit_cost="10.00"), None)
    reads: list[int] = []
    summed = queries.unposted_groups
    monkeypatch.setattr(queries, "unposted_groups",
                        lambda *args: reads.append(args[5]) or summed(*args))
    job = BatchJob(service.uow, service.setup, chunk_size=2, group_window=1)
    report = job.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True, keep_lines=False)
    assert report.value_entry_count == 6 and report.line_count == 12
    assert reads == [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5]
    assert service.reads.value_entries({}, True, 1, None)[1] == 0
    assert service.verify_projections().consistent


def test_more_events_in_an_open_postgres_save_get_their_own_ids(postgres_url: str) -> None:
    """A streamed save stores each batch on the connection of a save whose projection
    ran its statements in pipeline mode, results still to come. When the result of the
    projection's last statement (the tracking row's update) comes in while the batch is
    sent, the batch's notification ids must still be its own. Rolled back after."""
    service = LedgerService(postgres_url)
    recorder = service.ledger.recorder
    before = recorder.max_notification_id()
    register = BatchRun(register_no=1, post_method="PER_ENTRY", document_no=None)
    stored = [service.ledger.mapper.to_stored_event(event) for event in register.collect_events()]
    with recorder.datastore.get_connection() as connection:
        with connection.pipeline(), connection.transaction():
            with connection.cursor() as raw:
                cursor = PostgresCursor(raw)
                cursor.execute("UPDATE ledger_tracking SET position = position WHERE id = ?", (1,))
                connection.pgconn.send_flush_request()  # the server answers it now
                connection.pgconn.flush()
                time.sleep(0.2)  # and its answer is in before the batch is sent
                ids = recorder.insert_within(cursor, stored)
                assert len(ids) == 1 and ids[0] > (before or 0)
                raise psycopg.Rollback
    assert recorder.max_notification_id() == before
    service.close()
