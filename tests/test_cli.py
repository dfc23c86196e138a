"""The `ledger` command as an operator and a scheduled job meet it (issue 21): dates are
dates, the database is named and never created by a command that only reads, and the
exit codes say what happened: 0 done, 1 something skipped or an error listed, 2 bad
usage or no database."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.application import LedgerService
from ledger.cli import app as cli
from tests.company import base_company, line

runner = CliRunner()


@pytest.fixture
def books(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ledger with one purchase not yet posted to the G/L, named by LEDGER_DATABASE_URL."""
    service = LedgerService(sqlite_url)
    base_company(service, automatic=False)
    service.postings.post_item_journal_line(line("PURCHASE", "2027-01-02", "10", unit_cost="10"),
                                            None)
    service.close()
    monkeypatch.setenv("LEDGER_DATABASE_URL", sqlite_url)
    return sqlite_url


@pytest.mark.parametrize("arguments", [
    ["post-cost", "--to", "banana", "--preview"], ["post-cost", "--to", "2027-13-45"],
    ["post-cost", "--to", "15/01/2027", "--test"], ["post-cost", "--to", ""],
    ["reconcile", "--at", "banana"], ["reconcile", "--at", "2027-02-30"],
])
def test_a_date_that_is_not_a_date_is_refused_with_exit_code_2(books: str,
                                                               arguments: list[str]) -> None:
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert "YYYY-MM-DD" in result.output


def test_the_preview_up_to_a_date_selects_what_is_dated_on_or_before_it(books: str) -> None:
    assert "0 value entries" in runner.invoke(cli, ["post-cost", "--to", "2027-01-01",
                                                    "--preview"]).output
    assert "1 value entry;" in runner.invoke(cli, ["post-cost", "--to", "2027-01-02",
                                                   "--preview"]).output


def test_post_cost_exits_1_when_it_skipped_entries_and_lists_them(books: str) -> None:
    service = LedgerService(books)
    service.setup.update_gl_account("2130", {"blocked": True})
    service.close()
    tested = runner.invoke(cli, ["post-cost", "--test"])
    assert tested.exit_code == 1 and "BLOCKED_ACCOUNT" in tested.output
    posted = runner.invoke(cli, ["post-cost"])
    assert posted.exit_code == 1 and "Skipped Entries" in posted.output


def test_post_cost_exits_0_when_everything_posted(books: str) -> None:
    assert runner.invoke(cli, ["post-cost", "--test"]).exit_code == 0
    assert runner.invoke(cli, ["post-cost"]).exit_code == 0


@pytest.mark.parametrize("command", [["reconcile"], ["verify"], ["post-cost", "--preview"],
                                     ["post-cost", "--test"], ["post-cost"], ["adjust-cost"]])
def test_a_command_that_needs_books_never_creates_a_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{missing}")
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert "no database" in result.output and str(missing) in result.output
    assert not missing.exists()


@pytest.mark.parametrize("url, said", [
    ("ledger.db", "not a database URL"),
    ("postgresql://postgres@127.0.0.1/ledger_no_such_database", "does not exist"),
    ("postgresql://postgres@127.0.0.1:1/ledger", "not answering"),
])
def test_a_database_problem_is_one_plain_sentence_and_exit_code_2(
        monkeypatch: pytest.MonkeyPatch, url: str, said: str) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", url)
    result = runner.invoke(cli, ["reconcile"])
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


def test_every_command_names_its_database_without_the_password(
        books: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert f"database {books}" in runner.invoke(cli, ["reconcile"]).output
    monkeypatch.setenv("LEDGER_DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/x")
    output = runner.invoke(cli, ["verify"]).output
    assert "secret" not in output and "postgresql://postgres:***@127.0.0.1:1/x" in output


def test_help_shows_each_date_format_and_the_database_setting() -> None:
    for command in ("post-cost", "reconcile"):
        shown = runner.invoke(cli, [command, "--help"], terminal_width=120).output
        assert "YYYY-MM-DD" in shown and "LEDGER_DATABASE_URL" in shown and "<bool>" not in shown


def test_serve_says_in_one_line_where_it_listens(tmp_path: Path) -> None:
    import os
    import subprocess

    from tests.servers import LEDGER, free_port

    port = free_port()
    server = subprocess.Popen([str(LEDGER), "serve", "--port", str(port)], stdout=subprocess.PIPE,
                              text=True, env={**os.environ,
                                              "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path}/l.db"})
    try:
        first = server.stdout.readline()  # type: ignore[union-attr]
    finally:
        server.terminate()
        server.wait()
    assert first.startswith(f"ledger: serving http://127.0.0.1:{port}/graphql, database sqlite:///")
    assert "auth off" in first


def test_the_report_keeps_debit_and_credit_apart_with_names_and_two_decimals(books: str) -> None:
    service = LedgerService(books)
    service.postings.post_item_journal_line(line("SALE", "2027-01-03", "4"), None)
    service.postings.post_item_journal_line(line("PURCHASE", "2027-01-04", "1000",
                                                 unit_cost="1234.5"), None)
    service.close()
    shown = runner.invoke(cli, ["post-cost", "--preview"], terminal_width=80).output
    assert "on 3 accounts" in shown and "6 lines" in shown  # 3 value entries, 2 lines each
    inventory = next(row for row in shown.splitlines() if "2130 Inventory, Retail" in row)
    assert inventory.split()[-2:] == ["1,234,600.00", "40.00"]  # debits and credits apart


def test_the_test_report_shows_each_lines_amount_and_counts_errors_in_the_singular(
        books: str) -> None:
    service = LedgerService(books)
    service.setup.update_gl_account("7190", {"blocked": True})
    service.close()
    shown = runner.invoke(cli, ["post-cost", "--test"], terminal_width=120).output
    assert "Retail: 100.00" in shown and "Retail: -100.00" in shown  # each line's amount
    assert shown.rstrip().endswith("\n1 error")


def test_scripts_get_json(books: str) -> None:
    import json
    report = json.loads(runner.invoke(cli, ["post-cost", "--preview", "--json"]).stdout)
    assert report["valueEntryCount"] == 1 and report["lines"][0]["amount"] == "100.00"
    tested = json.loads(runner.invoke(cli, ["post-cost", "--test", "--json"]).stdout)
    assert tested["errorCount"] == 0
    lines = json.loads(runner.invoke(cli, ["reconcile", "--json"]).stdout)
    assert lines[0]["not_posted_to_gl"] == "100.00"
    assert json.loads(runner.invoke(cli, ["verify", "--json"]).stdout)["consistent"] is True


def test_demo_says_it_created_a_new_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/new.db")
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0 and f"a new database: {tmp_path}/new.db" in first.output
    assert "a new database" not in runner.invoke(cli, ["demo"]).output
