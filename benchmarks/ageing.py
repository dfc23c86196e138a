"""The ageing ledger (issue 20): each figure on items with a long, mostly closed history
beside the same figure on young items, measured in the same run.

The histories are loaded through the same pure rules, `book` and saves as a posting
(automatic cost posting, G/L entries and all), many lines to a save: a day brings a
purchase of 10 and ten sales of 1; every fourth purchase is received first and invoiced
the next day (every fortieth at another cost), one sale a day is shipped first and
invoiced later that day, and every 25th day a transfer of 2 goes to RED and is sold there.
"""
from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.aggregates.item import Item
from ledger.application import LedgerService
from ledger.costing.invoicing import invoice
from ledger.costing.journal import JournalLine, post_line

Report = Callable[..., None]
METHODS = ("FIFO", "LIFO", "AVERAGE")
START = date(2000, 1, 1)


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def line(kind: str, on: str, quantity: int, item_no: str, location: str = "BLUE", **more: Any
         ) -> JournalLine:
    return JournalLine(kind, on, f"{kind[:2]}-{on}", item_no, location, Decimal(quantity),
                       gen_bus_posting_group="DOMESTIC", **more)


class Loader:
    """One item's history, saved `per_save` lines at a time."""

    def __init__(self, service: LedgerService, item_no: str, per_save: int = 1000) -> None:
        self.service, self.per_save, self.lines = service, per_save, 0
        self.item = service.uow.get(Item.create_id(item_no))
        self.setup = service.setup.posting_setup()
        self.numbers = service.uow.allocator()

    def post(self, journal_line: JournalLine) -> list[int]:
        changes = post_line(self.item, journal_line, self.numbers)
        own = [entry["entry_no"] for entry in changes["entries"]]
        self.book(self.item.post_journal_line, changes, "ITEMJNL", own)
        return own

    def invoice(self, entry_no: int, quantity: int, on: str, unit_cost: Decimal | None = None) -> None:
        changes = invoice(self.item, entry_no, Decimal(quantity), on, f"INV-{on}", unit_cost, None,
                          self.numbers)
        self.book(self.item.invoice, changes, "PURCHASES", [entry_no])

    def book(self, event: Callable[..., None], changes: dict[str, Any], source: str,
             own: list[int]) -> None:
        self.service.postings.book(self.item, event, changes, self.setup, self.numbers, source, own)
        self.lines += 1
        if self.lines % self.per_save == 0:
            self.save()

    def save(self) -> None:
        self.service.uow.save_numbered(self.numbers, self.item)
        self.numbers = self.service.uow.allocator()


def load_history(service: LedgerService, item_no: str, entries: int) -> int:
    """A realistic, mostly closed history of about `entries` item ledger entries; ends
    with 1,000 units in stock for the figures' sales. Returns its last day's number."""
    loader, made, n = Loader(service, item_no), 0, 0
    received: tuple[int, int] | None = None
    while made < entries:
        on, transfer = day(n), n % 25 == 24
        quantity = 12 if transfer else 10
        [purchase] = loader.post(line("PURCHASE", on, quantity, item_no,
                                      unit_cost=Decimal(f"{n % 7 + 8}.25"), invoice=n % 4 != 0))
        if received is not None:
            loader.invoice(*received, on, Decimal("9.75") if n % 40 == 1 else None)
        received = (purchase, quantity) if n % 4 == 0 else None
        for k in range(10):
            [sale] = loader.post(line("SALE", on, 1, item_no, unit_price=Decimal("20"),
                                      invoice=k != 0))
            if k == 0:
                shipped = sale
        loader.invoice(shipped, 1, on)
        made += 11
        if transfer:
            loader.post(line("TRANSFER", on, 2, item_no, new_location_code="RED"))
            loader.post(line("SALE", on, 2, item_no, "RED", unit_price=Decimal("20")))
            made += 3
        n += 1
    if received is not None:
        loader.invoice(*received, day(n))
    loader.post(line("PURCHASE", day(n), 1000, item_no, unit_cost=Decimal("9.00")))
    loader.save()
    return n


def load_open_layers(service: LedgerService, item_no: str, layers: int) -> int:
    loader = Loader(service, item_no)
    for n in range(layers):
        loader.post(line("PURCHASE", day(n // 10), 100, item_no, unit_cost=Decimal(f"{n % 7 + 8}.25")))
    loader.save()
    return layers // 10


def posting_ms(service: LedgerService, lines: Iterator[JournalLine], count: int) -> float:
    """Median milliseconds of `count` automatic postings through the posting command."""
    times = []
    for journal_line in (next(lines) for _ in range(count)):
        start = time.perf_counter()
        service.postings.post_item_journal_line(journal_line, None)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def compare(report: Report, figure: str, old: float, young: float, target: str) -> None:
    report(figure, f"{old:.2f} ms", f"young {young:.2f} ms", f"{old / young:.2f}x ({target})")


def sales(item_no: str, on: Callable[[int], str], location: str = "BLUE") -> Iterator[JournalLine]:
    n = 0
    while True:
        yield line("SALE", on(n), 1, item_no, location, unit_price=Decimal("20"))
        n += 1


def purchases(item_no: str, on: str) -> Iterator[JournalLine]:
    while True:
        yield line("PURCHASE", on, 1, item_no, unit_cost=Decimal("9.50"))


def posting_figures(report: Report, service: LedgerService, ends: dict[str, int], size: int,
                    count: int) -> None:
    def both(figure: str, make: Callable[[str], Iterator[JournalLine]], target: str = "target <= 1.2x"
             ) -> None:
        old = posting_ms(service, make(f"OLD-{figure.split()[0]}"), count)
        young = posting_ms(service, make(f"NEW-{figure.split()[0]}"), count)
        compare(report, f"automatic posting, {figure}, {size:,} entries vs 100", old, young, target)

    def last(no: str) -> str:
        return day(ends[no])

    both("FIFO purchase", lambda no: purchases(no, last(no)))
    both("FIFO sale", lambda no: sales(no, lambda n: last(no)))
    both("LIFO sale", lambda no: sales(no, lambda n: last(no)))
    both("AVERAGE sale on its latest day", lambda no: sales(no, lambda n: last(no)))
    both("AVERAGE sale on a new day", lambda no: sales(no, lambda n: day(ends[no] + 1 + n)))
    old = posting_ms(service, sales("LAYERS-MANY", lambda n: day(ends["LAYERS-MANY"])), count)
    young = posting_ms(service, sales("LAYERS-FEW", lambda n: day(ends["LAYERS-FEW"])), count)
    compare(report, f"FIFO sale, {ends['layers']:,} open layers vs 10", old, young, "target <= 1.2x")


def adjust_figures(report: Report, service: LedgerService, ends: dict[str, int], size: int) -> None:
    """Adjust Cost alone (NEVER): after one purchase invoiced at another cost under five
    sales, and after an AVERAGE purchase back-dated 30 days."""
    service.setup.update_inventory_setup({"automatic_cost_adjustment": "NEVER"})

    def invoiced_at_another_cost(no: str) -> float:
        on = day(ends[no] + 2)
        receipt = service.postings.post_item_journal_line(line(
            "PURCHASE", on, 10, no, unit_cost=Decimal("9.00"), invoice=False), None)
        entry_no = receipt["item_ledger_entries"][0]["entry_no"]
        for sale in (line("SALE", on, 1, no, applies_to=entry_no) for _ in range(5)):
            service.postings.post_item_journal_line(sale, None)
        service.postings.invoice_item_ledger_entry(entry_no, on, "INV", Decimal(10), Decimal("11.00"),
                                                   None, None)
        return timed_ms(lambda: service.postings.adjust_cost_item_entries([no]))

    def back_dated(no: str) -> float:
        service.postings.post_item_journal_line(line(
            "PURCHASE", day(ends[no] - 30), 5, no, unit_cost=Decimal("30.00")), None)
        return timed_ms(lambda: service.postings.adjust_cost_item_entries([no]))

    report(f"adjust cost after a purchase invoiced at another cost, {size:,} entries vs 100",
           f"{invoiced_at_another_cost('OLD-FIFO'):.1f} ms",
           f"young {invoiced_at_another_cost('NEW-FIFO'):.1f} ms", "target < 50 ms")
    report(f"adjust cost after an AVERAGE purchase back-dated 30 days, {size:,} entries vs 100",
           f"{back_dated('OLD-AVERAGE'):.1f} ms", f"young {back_dated('NEW-AVERAGE'):.1f} ms",
           "target < 200 ms")
    service.setup.update_inventory_setup({"automatic_cost_adjustment": "ALWAYS"})


def consistency_figure(report: Report, service: LedgerService) -> None:
    """verifyProjections after the long history: a rebuild compared row by row."""
    start = time.perf_counter()
    check = service.verify_projections()
    report("verifyProjections after the ageing ledger",
           "consistent" if check.consistent else f"DIFFERENCES: {check.differences[:3]}",
           f"{time.perf_counter() - start:.0f} s", "")


def timed_ms(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


CHILD = """
import sys, time
from decimal import Decimal
from ledger.application import LedgerService
from ledger.costing.journal import JournalLine
url, on, *items = sys.argv[1:]
service = LedgerService(url)
times = []
for no in items:
    line = JournalLine("SALE", on, "FRESH", no, "BLUE", Decimal(1), gen_bus_posting_group="DOMESTIC")
    start = time.perf_counter()
    service.postings.post_item_journal_line(line, None)
    times.append(time.perf_counter() - start)
# VmHWM: ru_maxrss would carry the bench process's own peak over fork and exec
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(times[0] * 1000, int(peak.split()[1]) / 1024)
"""


def fresh_process(url: str, on: str, items: list[str]) -> tuple[float, float]:
    """(ms of the first posting, peak RSS in MB) of a new process posting once to each item."""
    found = subprocess.run([sys.executable, "-c", CHILD, url, on, *items], check=True,
                           capture_output=True, text=True).stdout.split()
    return float(found[0]), float(found[1])


def process_figures(report: Report, url: str, old: list[str], young: list[str], on: str,
                    size: int) -> None:
    first_old, rss_old = fresh_process(url, on, old)
    first_young, rss_young = fresh_process(url, on, young)
    report(f"first posting in a fresh process, {size:,} entries vs 100", f"{first_old:.1f} ms",
           f"young {first_young:.1f} ms", "target < 50 ms")
    report(f"peak RSS after posting to {len(old)} items of {size:,} entries vs young ones",
           f"{rss_old:.0f} MB", f"young {rss_young:.0f} MB",
           f"{rss_old / rss_young:.2f}x (target < 250 MB and <= 1.2x)")


def storage_figure(report: Report, path: Path) -> None:
    """A posting is a journal line or an invoice; their adjustments and G/L entries count
    in their bytes. The second line says where the bytes go (SQLite's dbstat)."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        postings = connection.execute(
            "SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%JournalLinePosted' "
            "OR topic LIKE '%Invoiced'").fetchone()[0]
        tables = connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name "
                                    "ORDER BY SUM(pgsize) DESC").fetchall()
    total = path.stat().st_size
    report(f"bytes on disk per posting, {postings:,} postings", f"{total / postings:,.0f} B", "",
           "target <= 1,500 B")
    report("  of which", ", ".join(f"{name} {size / postings:,.0f}" for name, size in tables
                                   if size / postings >= 10))


def ageing_figures(report: Report, workdir: Path, quick: bool) -> None:
    size = 5_000 if quick else 100_000
    old_count = 3 if quick else 10
    path = workdir / "ageing.db"
    url = f"sqlite:///{path}"
    service = LedgerService(url)
    from tests.company import base_company
    base_company(service, automatic=True)
    service.setup.update_inventory_setup({"automatic_cost_adjustment": "ALWAYS"})
    olds = [f"OLD-{METHODS[i % 3]}" + (f"-{i}" if i >= 3 else "") for i in range(old_count)]
    youngs = [f"NEW-{METHODS[i % 3]}" + (f"-{i}" if i >= 3 else "") for i in range(old_count)]
    for no in olds + youngs + ["LAYERS-MANY", "LAYERS-FEW"]:
        method = "FIFO" if no.startswith("LAYERS") else no.split("-")[1]
        service.setup.create_item(no, None, method, "RESALE", "RETAIL", Decimal(10), None)
    ends: dict[str, int] = {}
    start = time.perf_counter()
    for no in olds:
        ends[no] = load_history(service, no, size)
    loaded = time.perf_counter() - start
    for no in youngs:
        ends[no] = load_history(service, no, 100)
    layers = 1_000 if quick else 10_000
    ends["LAYERS-MANY"] = load_open_layers(service, "LAYERS-MANY", layers)
    ends["LAYERS-FEW"] = load_open_layers(service, "LAYERS-FEW", 10)
    ends["layers"] = layers
    report(f"ageing ledger loaded: {old_count} items x {size:,} entries",
           f"{old_count * size / loaded:,.0f} entries/s", "", "")
    posting_figures(report, service, ends, size, 50 if quick else 200)
    adjust_figures(report, service, ends, size)
    consistency_figure(report, service)
    service.close()
    process_figures(report, url, olds, youngs, day(max(ends[no] for no in olds) + 40), size)
    storage_figure(report, path)
