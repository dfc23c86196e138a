"""The `ledger` command: serve the API, load the demo, and the operators' batch jobs."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from ledger.errors import LedgerError
from ledger.settings import Settings

if TYPE_CHECKING:
    from ledger.application import LedgerService

app = typer.Typer(help="An event-sourced ledger that posts inventory cost to the G/L.",
                  no_args_is_help=True)
console = Console()


def database_option() -> str:
    return Settings().database_url


@contextmanager
def ledger_service() -> Iterator[LedgerService]:
    """The service for one command: a rule that says no is printed, with exit code 1."""
    from ledger.application import LedgerService

    service = LedgerService(database_option())
    try:
        yield service
    except LedgerError as error:
        console.print(f"[red]{error.code.value}[/]: {error.message}")
        raise typer.Exit(1) from None
    finally:
        service.close()


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="address to listen on"),
          port: int = typer.Option(8000, help="port to listen on"),
          demo: bool = typer.Option(False, help="load the demo company first")) -> None:
    """Serve /graphql from the database LEDGER_DATABASE_URL names."""
    import uvicorn

    from ledger.api.app import create_app
    from ledger.application import LedgerService
    from ledger.demo import load_demo

    service = LedgerService(database_option())
    if demo:
        for problem in load_demo(service):
            console.print(f"[yellow]demo:[/] {problem}")
    try:
        uvicorn.run(create_app(service), host=host, port=port, log_level="warning")
    finally:
        service.close()


@app.command()
def demo() -> None:
    """Load the demo company into the database (harmless when it is there already)."""
    from ledger.application import LedgerService
    from ledger.demo import load_demo

    service = LedgerService(database_option())
    problems = load_demo(service)
    for problem in problems:
        console.print(f"[red]{problem}[/]")
    service.close()
    raise typer.Exit(1 if problems else 0)


@app.command("post-cost")
def post_cost(per_posting_group: bool = typer.Option(False, help="sum per posting group"),
              document_no: str = typer.Option(None, help="required per posting group"),
              item: list[str] = typer.Option(None, help="only these items (repeatable)"),
              to: str = typer.Option(None, help="value entries up to this posting date"),
              preview: bool = typer.Option(False, help="Post cleared: show, store nothing"),
              test: bool = typer.Option(False, help="the test report: every error"),
              only_warnings: bool = typer.Option(False, help="test report: entries with errors")
              ) -> None:
    """Post Inventory Cost to G/L: the batch job, its preview or its test report."""
    from rich.progress import Progress

    from ledger.application.batch import Request
    from ledger.tables import print_report, print_test_report

    request = Request("PER_POSTING_GROUP" if per_posting_group else "PER_ENTRY", document_no,
                      item or None, to)
    with ledger_service() as service:
        if test:
            print_test_report(console, service.batch.test(request, only_warnings))
            return
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("value entries", total=service.batch.count(request))
            report = service.batch.run(request, post=not preview, keep_lines=False,
                                       progress=lambda done: progress.advance(task, done))
        print_report(console, report)


@app.command("adjust-cost")
def adjust_cost(item: list[str] = typer.Option(None, help="only these items (repeatable); "
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


@app.command("export-schema")
def export_schema(output: str = typer.Option("schema.graphql", help="file to write")) -> None:
    """Write the GraphQL schema as the code defines it (checked in CI against the file)."""
    from pathlib import Path

    from ledger.api.schema import schema_text

    Path(output).write_text(schema_text())


@app.command()
def verify() -> None:
    """Rebuild every read model from the event store and compare with the live ones."""
    from ledger.application import LedgerService

    service = LedgerService(database_option())
    check = service.verify_projections()
    service.close()
    for difference in check.differences:
        console.print(f"[red]{difference}[/]")
    console.print(f"{check.events_replayed} events replayed up to position "
                  f"{check.up_to_position}: "
                  + ("[green]consistent[/]" if check.consistent else "[red]NOT consistent[/]"))
    raise typer.Exit(0 if check.consistent else 1)


@app.command("rebuild-projections")
def rebuild_projections() -> None:
    """Drop every read model and rebuild it from the event store."""
    from rich.progress import Progress

    from ledger.application import LedgerService
    from ledger.application.rebuild import RebuildFailed

    service = LedgerService(database_option())
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


@app.command()
def reconcile(at: str = typer.Option(None, "--at", help="as at this posting date")) -> None:
    """Inventory value against the G/L inventory accounts; exits 1 on a difference."""
    from rich.table import Table

    from ledger.application import LedgerService

    service = LedgerService(database_option())
    lines = service.reads.reconciliation(at)
    service.close()
    table = Table(title=f"Reconciliation{' at ' + at if at else ''}")
    for column in ("Location", "Invt. posting group", "Account"):
        table.add_column(column)
    for column in ("Inventory value", "G/L balance", "Not posted", "Difference"):
        table.add_column(column, justify="right")
    for line in lines:
        table.add_row(line["location_code"], line["invt_posting_group"],
                      line["inventory_account"] or "-", *(format(line[key], "f") for key in (
                          "inventory_value", "gl_balance", "not_posted_to_gl", "difference")))
    console.print(table)
    raise typer.Exit(1 if any(line["difference"] for line in lines) else 0)


@app.command()
def bench(quick: bool = typer.Option(False, help="small sizes, under two minutes"),
          postgres: str = typer.Option("postgresql://postgres@127.0.0.1/postgres",
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
