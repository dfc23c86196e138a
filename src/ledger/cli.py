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
