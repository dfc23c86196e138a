"""Issue 6: the audit trail, point-in-time answers, the CLI checks, DataLoaders and live
updates."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ledger.aggregates.item import Item
from ledger.api.app import create_app
from ledger.application import LedgerService
from ledger.cli import app as cli
from ledger.projections.schema import INDEXES
from tests.company import base_company, line


def post(service: LedgerService, *args: Any, **more: Any) -> dict:
    return service.postings.post_item_journal_line(line(*args, **more), None)


def balance(service: LedgerService, account: str, at: str | None, position: int | None = None) -> D:
    return {row["gl_account_no"]: row["balance"]
            for row in service.reads.trial_balance(at, position)}.get(account, D(0))


def test_an_items_audit_trail_replayed_reproduces_its_entries(service: LedgerService) -> None:
    base_company(service)
    post(service, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    post(service, "SALE", "2027-01-03", "4")
    post(service, "TRANSFER", "2027-01-04", "2", new_location_code="RED")
    trail, total, _ = service.reads.audit_trail(None, "1000", 1000, None)
    assert total == len(trail) == 4
    assert [event["topic"].rsplit(".", 1)[-1] for event in trail] == [
        "Registered", "JournalLinePosted", "JournalLinePosted", "JournalLinePosted"]
    item = None  # replayed: its open state, the entries a coming posting may still change
    for event in trail:
        [stored] = service.ledger.recorder.select_notifications(event["position"], 1)
        item = service.ledger.mapper.to_domain_event(stored).mutate(item)
    assert isinstance(item, Item)
    live = {e["entry_no"]: e for e in service.reads.item_ledger_entries("1000", 100, None)[0]}
    assert [(e["entry_no"], e["quantity"], e["remaining_quantity"], e["cost_actual"])
            for e in item.entries.values()] == [
        (e["entry_no"], e["quantity"], e["remaining_quantity"], e["cost_actual"])
        for e in live.values() if str(e["entry_no"]) in item.entries]
    values = service.reads.value_entries({"item_no = ?": "1000"}, None, 100, None)[0]
    replayed = [(ve["entry_no"], ve["ile_no"], ve["cost_actual"]) for ile in item.entries.values()
                for ve in values if ve["ile_no"] == ile["entry_no"]]
    assert [(ile["entry_no"], ile["cost_actual"]) for ile in item.entries.values()] == [
        (ile_no, sum(cost for _, no, cost in replayed if no == ile_no))
        for ile_no in sorted({no for _, no, _ in replayed})]


def test_a_trail_pages_by_position(service: LedgerService) -> None:
    base_company(service)
    first, total, more = service.reads.audit_trail(None, None, 5, None)
    rest, _, _ = service.reads.audit_trail(None, None, 1000, first[-1]["position"])
    assert more and len(first) + len(rest) == total
    assert [e["position"] for e in first + rest] == sorted(e["position"] for e in first + rest)


def test_a_back_dated_purchase_changes_dates_but_not_what_was_known(service: LedgerService) -> None:
    base_company(service)
    post(service, "PURCHASE", "2027-01-05", "10", unit_cost="10.00")
    known = service.ledger.recorder.max_notification_id()
    post(service, "PURCHASE", "2027-01-02", "5", unit_cost="10.00")
    assert balance(service, "2130", "2027-01-03") == D("50.00")
    assert balance(service, "2130", "2027-01-03", known) == 0
    assert balance(service, "2130", None, known) == D("100.00")
    inventory = service.reads.inventory("1000", "2027-01-03", None, known)
    assert inventory["quantity"] == 0 and inventory["cost_actual"] == 0


def test_reconcile_and_verify_exit_non_zero_on_a_difference(sqlite_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    service = LedgerService(sqlite_url)
    base_company(service)
    post(service, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    monkeypatch.setenv("LEDGER_DATABASE_URL", sqlite_url)
    runner = CliRunner()
    assert runner.invoke(cli, ["reconcile"]).exit_code == 0
    assert runner.invoke(cli, ["verify"]).exit_code == 0
    with service.views.db.write() as cursor:
        cursor.execute("UPDATE ledger_gl_entry SET amount = 9000 WHERE entry_no = 1")
    service.close()
    assert runner.invoke(cli, ["reconcile"]).exit_code == 1
    result = runner.invoke(cli, ["verify"])
    assert result.exit_code == 1 and "ledger_gl_entry entry_no=1" in result.output
    assert runner.invoke(cli, ["rebuild-projections"]).exit_code == 0
    assert runner.invoke(cli, ["verify"]).exit_code == 0
    assert runner.invoke(cli, ["reconcile"]).exit_code == 0


def index_names(service: LedgerService) -> set[str]:
    with service.views.db.read() as cursor:
        return {name for name in INDEXES if service.views.db.exists(cursor, name)}


def test_a_rebuild_indexes_last_and_a_start_mends_one_that_broke_off(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    service = LedgerService(database_url)
    base_company(service)
    post(service, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")
    service.rebuild_projections()
    assert index_names(service) == set(INDEXES)

    def broken(notification: Any) -> Any:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(service.ledger, "decode_for_projections", broken)
    with pytest.raises(RuntimeError):
        service.rebuild_projections()
    assert index_names(service) == set()
    service.close()
    restarted = LedgerService(database_url)
    assert index_names(restarted) == set(INDEXES)
    assert balance(restarted, "2130", None) == D("100.00")
    assert restarted.verify_projections().consistent
    restarted.close()


@contextmanager
def counting_reads(service: LedgerService) -> Iterator[list[int]]:
    """Counts the read transactions the views serve."""
    calls, read = [0], service.views.db.read

    @contextmanager
    def counted() -> Iterator[Any]:
        calls[0] += 1
        with read() as cursor:
            yield cursor

    service.views.db.read = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        service.views.db.read = read  # type: ignore[method-assign]


PAGE = """query($first: Int) { valueEntries(first: $first) { totalCount edges { node {
  entryNo glEntries { entryNo amount } } } } }"""


def test_a_page_of_value_entries_with_their_gl_entries_is_a_constant_number_of_reads(
        sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    base_company(service)
    for day in range(1, 29):
        post(service, "PURCHASE", f"2027-01-{day:02d}", "2", unit_cost="1.00")
    reads = []
    with TestClient(create_app(service)) as client:
        for first in (5, 28):
            with counting_reads(service) as calls:
                reply = client.post("/graphql", json={"query": PAGE, "variables": {"first": first}})
            edges = reply.json()["data"]["valueEntries"]["edges"]
            assert len(edges) == first and all(len(e["node"]["glEntries"]) == 2 for e in edges)
            reads.append(calls[0])
    assert reads[0] == reads[1] <= 4


def test_a_subscriber_receives_the_entries_posted_after_it_subscribed(sqlite_url: str) -> None:
    service = LedgerService(sqlite_url)
    base_company(service)
    post(service, "PURCHASE", "2027-01-02", "10", unit_cost="10.00")  # before: not sent
    with TestClient(create_app(service)) as client, client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"]) as socket:
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json()["type"] == "connection_ack"
        socket.send_json({"id": "1", "type": "subscribe", "payload": {
            "query": "subscription { glEntryPosted { entryNo glAccountNo amount } }"}})
        socket.send_json({"id": "2", "type": "subscribe", "payload": {
            "query": "subscription { valueEntryPosted { entryNo costAmountActual } }"}})
        client.post("/graphql", json={"query": """mutation { postItemJournalLine(input: {
            entryType: SALE, postingDate: "2027-01-03", documentNo: "SI-1", itemNo: "1000",
            locationCode: "BLUE", quantity: "4", genBusPostingGroup: "DOMESTIC"}) { __typename } }"""})
        received: dict[str, list] = {"1": [], "2": []}
        while len(received["1"]) < 2 or len(received["2"]) < 1:
            message = socket.receive_json()
            assert message["type"] == "next", message
            received[message["id"]].append(next(iter(message["payload"]["data"].values())))
    assert received["1"] == [{"entryNo": 3, "glAccountNo": "2130", "amount": "-40.00"},
                             {"entryNo": 4, "glAccountNo": "7290", "amount": "40.00"}]
    assert received["2"] == [{"entryNo": 2, "costAmountActual": "-40.00"}]
