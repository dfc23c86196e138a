"""The `ledger` command: serve the API, load the demo, and the operators' batch jobs."""
from __future__ import annotations

import typer
from rich.console import Console

from ledger.settings import Settings

app = typer.Typer(help="An event-sourced ledger that posts inventory cost to the G/L.",
                  no_args_is_help=True)
console = Console()


def database_option() -> str:
    return Settings().database_url


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
    uvicorn.run(create_app(service), host=host, port=port, log_level="warning")


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

    from ledger.application import LedgerService
    from ledger.application.batch import Request
    from ledger.errors import LedgerError
    from ledger.tables import print_report, print_test_report

    service = LedgerService(database_option())
    request = Request("PER_POSTING_GROUP" if per_posting_group else "PER_ENTRY", document_no,
                      item or None, to)
    try:
        if test:
            print_test_report(console, service.batch.test(request, only_warnings))
            return
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("value entries", total=service.batch.count(request))
            report = service.batch.run(request, post=not preview, keep_lines=False,
                                       progress=lambda done: progress.advance(task, done))
        print_report(console, report)
    except LedgerError as error:
        console.print(f"[red]{error.code.value}[/]: {error.message}")
        raise typer.Exit(1) from None
    finally:
        service.close()


@app.command("adjust-cost")
def adjust_cost(item: list[str] = typer.Option(None, help="only these items (repeatable); "
                                                           "default: every item marked")) -> None:
    """Adjust Cost - Item Entries: forward cost changes to outbound entries."""
    from rich.progress import Progress

    from ledger.application import LedgerService
    from ledger.errors import LedgerError

    service = LedgerService(database_option())
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("items", total=None)
            result = service.postings.adjust_cost_item_entries(
                item or None, lambda done, total: progress.update(task, completed=done, total=total))
        console.print(f"adjusted items: {', '.join(result['adjusted_item_nos']) or 'none'}; "
                      f"{len(result['value_entries'])} value entries, "
                      f"{len(result['gl_entries'])} G/L entries")
    except LedgerError as error:
        console.print(f"[red]{error.code.value}[/]: {error.message}")
        raise typer.Exit(1) from None
    finally:
        service.close()
