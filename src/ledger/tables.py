"""The batch job's reports as rich tables, for operators at a terminal."""
from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from ledger.amounts import ZERO
from ledger.application.batch import Report, TestReport
from ledger.posting.batch import EntryCheck
from ledger.posting.lines import PostingLine


def lines_table(title: str, lines: list[PostingLine]) -> Table:
    table = Table(title=title)
    for column in ("Account", "Type", "Date", "Document", "Amount", "Value entries"):
        table.add_column(column, justify="right" if column == "Amount" else "left")
    for line in lines:
        table.add_row(line.gl_account_no or "-", f"{line.account_type.value}/"
                      f"{line.bal_account_type.value}", line.posting_date, line.document_no,
                      format(line.amount, "f"), ", ".join(map(str, line.value_entry_nos)))
    return table


def entries_table(title: str, checks: list[EntryCheck]) -> Table:
    table = Table(title=title)
    for column in ("Value entry", "Item", "Date", "Document", "Errors"):
        table.add_column(column)
    for check in checks:
        value = check.value_entry
        table.add_row(str(value["entry_no"]), value["item_no"], value["posting_date"],
                      value["document_no"],
                      "\n".join(f"{e.code.value}: {e.message}" for e in check.errors) or "-")
    return table


def totals_table(title: str, totals: dict[str, Decimal]) -> Table:
    table = Table(title=title)
    table.add_column("Account")
    table.add_column("Debit", justify="right")
    table.add_column("Credit", justify="right")
    for account, amount in sorted(totals.items()):
        table.add_row(account, format(max(amount, ZERO), "f"), format(max(-amount, ZERO), "f"))
    return table


def print_report(console: Console, report: Report) -> None:
    """The lines themselves when kept; per account otherwise (a large run)."""
    verb = "Posted" if report.posted else "Would post (preview)"
    title = f"{verb} {report.post_method.lower().replace('_', ' ')}: {report.line_count} lines"
    if report.keep_lines:
        console.print(lines_table(title, report.lines))
    else:
        console.print(totals_table(title, report.account_totals))
    if report.skipped:
        console.print(entries_table("Skipped Entries", report.skipped))
    if report.warnings:
        console.print(entries_table("Warnings (dimensions overridden)", report.warnings))
    register = report.register
    console.print(f"{report.value_entry_count} value entries; "
                  + (f"G/L register {register['no']}: entries {register['from_entry_no']}"
                     f"-{register['to_entry_no']}" if register else "no G/L register"))


def print_test_report(console: Console, report: TestReport) -> None:
    console.print(entries_table("Post Inventory Cost to G/L - Test", report.lines))
    console.print(f"{report.error_count} errors")
