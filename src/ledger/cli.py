"""The `ledger` command: serve the API, load the demo, and the operators' batch jobs.

Every command reads its database from LEDGER_DATABASE_URL and says which it uses. Exit
codes: 0 done and nothing wrong; 1 the report lists skipped entries, errors or a
difference (it still prints in full), or a rule said no; 2 bad usage, a bad date or no
database."""
from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from ledger.application.database_check import DatabaseProblem, check_database, shown
from ledger.errors import LedgerError
from ledger.settings import Settings

if TYPE_CHECKING:
    from ledger.application import LedgerService

DATABASE = "Reads LEDGER_DATABASE_URL (sqlite:///path or postgresql://user@host/db)."
EXIT_CODES = "Exit codes: 0 done, 1 something skipped or an error listed, 2 bad usage or no database."
app = typer.Typer(help="An event-sourced ledger that posts inventory cost to the G/L. "
                       f"{DATABASE} {EXIT_CODES}", no_args_is_help=True, rich_markup_mode=None)
console = Console()
notes = Console(stderr=True)


def command(name: str | None = None) -> object:
    """A command whose --help ends with where the database comes from and the exit codes."""
    return app.command(name, epilog=f"{DATABASE} {EXIT_CODES}")


def database_option() -> str:
    return Settings().database_url


def json_text(value: object) -> str:
    from ledger.cli_reports import as_json
    return as_json(value)


def posting_date(value: str | None) -> str | None:
    """A date option: YYYY-MM-DD and a real date, never compared as text."""
    if value is None:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise typer.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2027-01-31")


def date_option(flag: str, help_text: str) -> object:
    return typer.Option(None, flag, callback=posting_date, metavar="YYYY-MM-DD",
                        help=f"{help_text} (YYYY-MM-DD)")


def open_ledger(create: bool = False) -> LedgerService:
    """The service on LEDGER_DATABASE_URL, named on stderr; a database problem is one
    sentence and exit code 2. Only `serve` and `demo` may create the database."""
    from ledger.application import LedgerService

    url = database_option()
    notes.print(f"database {shown(url)}", style="dim", highlight=False, soft_wrap=True)
    try:
        new = check_database(url, create)
    except DatabaseProblem as problem:
        notes.print(f"[red]{problem}[/]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if new:
        notes.print(f"a new database: {new}", highlight=False, soft_wrap=True)
    return LedgerService(url)


@contextmanager
def ledger_service() -> Iterator[LedgerService]:
    """The service for one command: a rule that says no is printed, with exit code 1."""
    service = open_ledger()
    try:
        yield service
    except LedgerError as error:
        console.print(f"[red]{error.code.value}[/]: {error.message}")
        raise typer.Exit(1) from None
    finally:
        service.close()


@command()
def serve(host: str = typer.Option("127.0.0.1", metavar="HOST", help="address to listen on"),
          port: int = typer.Option(8000, metavar="PORT", help="port to listen on"),
          demo: bool = typer.Option(False, "--demo", help="load the demo company first")) -> None:
    """Serve /graphql from the database LEDGER_DATABASE_URL names (created if new)."""
    import uvicorn

    from ledger.api.app import create_app
    from ledger.demo import load_demo

    service = open_ledger(create=True)
    if demo:
        for problem in load_demo(service):
            console.print(f"[yellow]demo:[/] {problem}")
    listening = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        service.close()
        notes.print(f"[red]cannot listen on {host}:{port}: {error.strerror}[/]", soft_wrap=True)
        raise typer.Exit(2) from None
    auth = "on" if Settings().tokens else "off (no LEDGER_TOKENS)"
    console.print(f"ledger: serving http://{host}:{port}/graphql, database "
                  f"{shown(database_option())}, auth {auth}", highlight=False, soft_wrap=True)
    try:
        uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning")).run(
            sockets=[listening])
    finally:
        service.close()


@command()
def demo() -> None:
    """Load the demo company into the database, created if new (harmless when the demo
    is there already)."""
    from ledger.demo import load_demo

    service = open_ledger(create=True)
    problems = load_demo(service)
    for problem in problems:
        console.print(f"[red]{problem}[/]")
    service.close()
    raise typer.Exit(1 if problems else 0)


@command("post-cost")
def post_cost(per_posting_group: bool = typer.Option(False, "--per-posting-group",
                                                    help="sum per posting group"),
              document_no: str = typer.Option(None, metavar="DOCUMENT-NO",
                                               help="required per posting group"),
              item: list[str] = typer.Option(None, metavar="ITEM-NO",
                                             help="only these items (repeatable)"),
              to: str = date_option("--to", "value entries up to this posting date"),
              preview: bool = typer.Option(False, "--preview",
                                           help="Post cleared: show, store nothing"),
              test: bool = typer.Option(False, "--test", help="the test report: every error"),
              only_warnings: bool = typer.Option(False, "--only-warnings",
                                                 help="test report: entries with errors"),
              as_json: bool = typer.Option(False, "--json", help="the report as JSON, for scripts")
              ) -> None:
    """Post Inventory Cost to G/L: the batch job, its preview or its test report.

    Exits 1 when entries were skipped (or, with --test, errors were found); the report
    still prints in full."""
    from rich.progress import Progress

    from ledger.application.batch_job import Request
    from ledger.cli_reports import print_report, print_test_report, report_json, tested_json

    request = Request("PER_POSTING_GROUP" if per_posting_group else "PER_ENTRY", document_no,
                      item or None, to)
    with ledger_service() as service:
        names = service.reads.account_names()
        if test:
            tested = service.batch.test(request, only_warnings)
            if as_json:
                console.print_json(json_text(tested_json(tested)))
            else:
                print_test_report(console, tested, names)
            raise typer.Exit(1 if tested.error_count else 0)
        with Progress(console=notes, transient=True, disable=as_json) as progress:
            task = progress.add_task("value entries", total=service.batch.count(request))
            report = service.batch.run(request, post=not preview, keep_lines=as_json,
                                       progress=lambda done: progress.advance(task, done))
        if as_json:
            console.print_json(json_text(report_json(report)))
        else:
            print_report(console, report, names)
        raise typer.Exit(1 if report.skipped else 0)


@command("adjust-cost")
def adjust_cost(item: list[str] = typer.Option(None, metavar="ITEM-NO",
                                               help="only these items (repeatable); "
                                                    "default: every item marked")) -> None:
    """Adjust Cost - Item Entries: forward cost changes to outbound entries."""
    from rich.progress import Progress

    with ledger_service() as service, Progress(console=console, transient=True) as progress:
        task = progress.add_task("items", total=None)
        result = service.postings.adjust_cost_item_entries(
            item or None, lambda done, total: progress.update(task, completed=done, total=total))
    console.print(f"adjusted items: {', '.join(result['adjusted_item_nos']) or 'none'}; "
                  f"{len(result['value_entries'])} value entries, "
                  f"{len(result['gl_entries'])} G/L entries")


@command("export-schema")
def export_schema(output: str = typer.Option("schema.graphql", metavar="FILE", help="file to write")) -> None:
    """Write the GraphQL schema as the code defines it (checked in CI against the file)."""
    from pathlib import Path

    from ledger.api.schema import schema_text

    Path(output).write_text(schema_text())


@command()
def verify(as_json: bool = typer.Option(False, "--json", help="the result as JSON")) -> None:
    """Rebuild every read model from the event store and compare with the live ones;
    exits 1 on a difference."""
    with ledger_service() as service:
        check = service.verify_projections()
    if as_json:
        console.print_json(json_text({"consistent": check.consistent,
                                      "eventsReplayed": check.events_replayed,
                                      "upToPosition": check.up_to_position,
                                      "differences": check.differences}))
    else:
        for difference in check.differences:
            console.print(f"[red]{difference}[/]", soft_wrap=True)
        console.print(f"{check.events_replayed:,} events replayed up to position "
                      f"{check.up_to_position}: "
                      + ("[green]consistent[/]" if check.consistent else "[red]NOT consistent[/]"))
    raise typer.Exit(0 if check.consistent else 1)


@command("rebuild-projections")
def rebuild_projections() -> None:
    """Drop every read model and rebuild it from the event store."""
    from rich.progress import Progress

    from ledger.application.rebuild import RebuildFailed

    service = open_ledger()
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("events", total=service.event_count())
            count = service.rebuild_projections(lambda done: progress.advance(task, done))
    except RebuildFailed as failed:
        console.print(f"[red]{failed}; rolled back, the next start builds the read models[/]")
        raise typer.Exit(1) from None
    finally:
        service.close()
    console.print(f"rebuilt from {count} events")


@command()
def reconcile(at: str = date_option("--at", "as at this posting date"),
              as_json: bool = typer.Option(False, "--json", help="the lines as JSON")) -> None:
    """Inventory value against the G/L inventory accounts; exits 1 on a difference."""
    from ledger.cli_reports import reconciliation_table, show

    with ledger_service() as service:
        lines = service.reads.reconciliation(at)
        names = service.reads.account_names()
    if as_json:
        console.print_json(json_text(lines))
    else:
        show(console, reconciliation_table(console, at, lines, names))
    raise typer.Exit(1 if any(line["difference"] for line in lines) else 0)


@command()
def bench(quick: bool = typer.Option(False, "--quick", help="small sizes, under two minutes"),
          postgres: str = typer.Option("postgresql://postgres@127.0.0.1/postgres", metavar="URL",
                                       help="admin URL of a PostgreSQL server ('' to skip)")) -> None:
    """Benchmarks, each figure with its baseline measured in the same run."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench.py"
    if not script.exists():
        console.print("[red]benchmarks/bench.py is not here: run from a checkout[/]")
        raise typer.Exit(1)
    arguments = [sys.executable, str(script), "--postgres", postgres] + (["--quick"] if quick else [])
    raise typer.Exit(subprocess.call(arguments))
