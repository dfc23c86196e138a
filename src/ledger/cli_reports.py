"""The batch job's and the reconciliation's reports for people at a terminal, and as
JSON for scripts.

Amounts always show two decimals and thousands separators and are never wrapped or cut;
text folds instead. Piped output (not a terminal) gets a plain layout without box
lines. Debits and credits stay apart, as the batch job never nets them."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from ledger.amounts import ZERO
from ledger.application.batch_job import Report, TestReport
from ledger.posting.batch import EntryCheck
from ledger.posting.lines import PostingLine


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def table(console: Console, title: str, columns: list[tuple[str, bool]]) -> Table:
    """Columns as (header, is an amount): amounts right-aligned and never wrapped."""
    made = Table(title=title, box=box.SIMPLE_HEAD if console.is_terminal else None,
                 title_justify="left")
    for header, amount in columns:
        made.add_column(header, justify="right" if amount else "left", no_wrap=amount,
                        overflow="fold")
    return made


def show(console: Console, shown: Table) -> None:
    """At a terminal as wide as it is; piped, one row a line however long, to be read by
    grep or a file viewer rather than folded at 80 columns."""
    if console.is_terminal:
        console.print(shown)
    else:
        Console(file=console.file, width=1000, color_system=None).print(shown)


def account(no: str | None, names: dict[str, str]) -> str:
    return f"{no} {names.get(no, '')}".strip() if no else "-"


def lines_table(console: Console, title: str, lines: list[PostingLine],
                names: dict[str, str]) -> Table:
    shown = table(console, title, [("Account", False), ("Type", False), ("Date", False),
                                   ("Document", False), ("Debit", True), ("Credit", True),
                                   ("Value entries", False)])
    for line in lines:
        shown.add_row(account(line.gl_account_no, names),
                      f"{line.account_type.value}/{line.bal_account_type.value}",
                      line.posting_date, line.document_no, money(max(line.amount, ZERO)),
                      money(max(-line.amount, ZERO)), ", ".join(map(str, line.value_entry_nos)))
    return shown


def totals_table(console: Console, title: str, totals: dict[str, tuple[Decimal, Decimal]],
                 names: dict[str, str]) -> Table:
    shown = table(console, title, [("Account", False), ("Debit", True), ("Credit", True)])
    for no, (debit, credit) in sorted(totals.items()):
        shown.add_row(account(no, names), money(debit), money(credit))
    return shown


def entries_table(console: Console, title: str, checks: list[EntryCheck],
                  names: dict[str, str]) -> Table:
    """Each value entry with its own lines (account and amount) and every error."""
    shown = table(console, title, [("Value entry", False), ("Item", False), ("Date", False),
                                   ("Document", False), ("Lines", False), ("Errors", False)])
    for check in checks:
        value = check.value_entry
        shown.add_row(str(value["entry_no"]), value["item_no"], value["posting_date"],
                      value["document_no"],
                      "\n".join(f"{account(line.gl_account_no, names)}: {money(line.amount)}"
                                for line in check.lines) or "-",
                      "\n".join(f"{e.code.value}: {e.message}" for e in check.errors) or "-")
    return shown


def reconciliation_table(console: Console, at: str | None, lines: list[dict[str, Any]],
                         names: dict[str, str]) -> Table:
    shown = table(console, f"Reconciliation{' at ' + at if at else ''}: "
                           f"{plural(len(lines), 'line')}",
                  [("Location", False), ("Group", False), ("Account", False),
                   ("Inventory", True), ("G/L", True), ("Not posted", True),
                   ("Difference", True)])
    for line in lines:
        shown.add_row(line["location_code"] or "(blank)", line["invt_posting_group"],
                      account(line["inventory_account"], names),
                      *(money(line[key]) for key in ("inventory_value", "gl_balance",
                                                     "not_posted_to_gl", "difference")))
    return shown


def print_report(console: Console, report: Report, names: dict[str, str]) -> None:
    """The lines themselves when kept; per account otherwise (a large run)."""
    verb = "Posted" if report.posted else "Would post (preview)"
    method = report.post_method.lower().replace("_", " ")
    if report.keep_lines:
        show(console, lines_table(console, f"{verb} {method}: {plural(report.line_count, 'line')}",
                                  report.lines, names))
    else:
        show(console, totals_table(
            console, f"{verb} {method}: {plural(report.line_count, 'line')} on "
                     f"{plural(len(report.account_totals), 'account')}",
            report.account_totals, names))
    if report.skipped:
        show(console, entries_table(console, f"Skipped Entries: {len(report.skipped)}",
                                    report.skipped, names))
    if report.warnings:
        show(console, entries_table(console, f"Warnings (dimensions overridden): "
                                             f"{len(report.warnings)}", report.warnings, names))
    register = report.register
    console.print(f"{plural(report.value_entry_count, 'value entry', 'value entries')}; "
                  + (f"G/L register {register['no']}: entries {register['from_entry_no']}"
                     f"-{register['to_entry_no']}" if register else "no G/L register"),
                  highlight=False)


def print_test_report(console: Console, report: TestReport, names: dict[str, str]) -> None:
    show(console, entries_table(console, f"Post Inventory Cost to G/L - Test: "
                                         f"{plural(len(report.lines), 'value entry', 'value entries')}",
                                report.lines, names))
    console.print(plural(report.error_count, "error"), highlight=False)


def as_json(value: Any) -> str:
    """Amounts as exact strings, for scripts."""
    return json.dumps(value, default=lambda item: format(item, "f") if isinstance(item, Decimal)
                      else str(item), indent=2)


def check_json(check: EntryCheck) -> dict[str, Any]:
    return {"valueEntryNo": check.value_entry["entry_no"], "itemNo": check.value_entry["item_no"],
            "lines": [line_json(line) for line in check.lines],
            "errors": [{"code": e.code.value, "message": e.message} for e in check.errors]}


def line_json(line: PostingLine) -> dict[str, Any]:
    return {"glAccountNo": line.gl_account_no, "accountType": line.account_type.value,
            "balAccountType": line.bal_account_type.value, "postingDate": line.posting_date,
            "documentNo": line.document_no, "amount": line.amount,
            "valueEntryNos": list(line.value_entry_nos)}


def report_json(report: Report) -> dict[str, Any]:
    return {"posted": report.posted, "postMethod": report.post_method,
            "valueEntryCount": report.value_entry_count, "lineCount": report.line_count,
            "lines": [line_json(line) for line in report.lines],
            "accountTotals": {no: {"debit": debit, "credit": credit}
                              for no, (debit, credit) in sorted(report.account_totals.items())},
            "skippedEntries": [check_json(check) for check in report.skipped],
            "warnings": [check_json(check) for check in report.warnings],
            "glRegister": report.register}


def tested_json(report: TestReport) -> dict[str, Any]:
    return {"errorCount": report.error_count, "lines": [check_json(c) for c in report.lines]}
