"""The web app in a real browser (issue 22): Debian's chromium, driven by Playwright,
against a real `ledger serve` on SQLite.

Worked scenarios 02 (per entry) and 03 (per posting group) are posted through the pages
as a person would: their journal lines through the item journal's form, the batch job
through the request page (its refused runs, the preview, the test report, the run), and
the lines the page shows, debits and credits, must be the scenario's expected lines.
Then Navigate goes from the register to the value entries and the applications; the
reconciliation shows no difference; the time-travel control shows the earlier trial
balance; a posting made through the API appears in an open list; a refused line shows
its error beside its field; a viewer sees no posting button. Every page is checked with
axe-core and at 1280x800 and 390x844, and saves a screenshot under test-output/.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ledger.aggregates.item import Item
from ledger.costing.journal import post_line
from tests.books import fresh_books
from tests.company import line
from tests.servers import LEDGER, ask, free_port, serving

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT.parent / "shared" / "scenarios"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {"post-cost": "Post Inventory Cost to G/L", "journal": "Item journal",
         "entries/value": "Value entries", "navigate": "G/L registers", "items/1000": "Item 1000",
         "balances": "Trial balance and reconciliation"}
# What shows that a page has its data: the forms have none to wait for.
DATA = {"post-cost": "main form", "journal": "main form", "entries": "main [role=table][aria-busy=false]",
        "navigate": "main table", "items": "main dl.card", "balances": "main table"}
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "the browser tests drive Debian's chromium: make test installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def port(tmp_path: Path) -> Iterator[int]:
    """A server on a copy of the base company (automatic cost posting off)."""
    fresh_books(str(tmp_path)).close()
    with serving(f"sqlite:///{tmp_path}/ledger.db", 1) as (found,):
        yield found


@pytest.fixture
def page(browser: Browser, port: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=f"http://127.0.0.1:{port}")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def scenario(name: str) -> list[dict[str, Any]]:
    return json.loads((SCENARIOS / f"{name}.json").read_text())["steps"]


def open_page(page: Page, route: str) -> None:
    page.goto(f"/#/{route}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# ---------------------------------------------------------------- a person's steps

def enter_line(page: Page, line: dict[str, Any]) -> None:
    """A journal line through the item journal's form; waits for its entries or its error."""
    open_page(page, "journal")
    form = page.get_by_role("form", name="Journal line")
    form.get_by_label("Entry Type").select_option(line["entryType"])
    fields = {"Posting Date": "postingDate", "Document No.": "documentNo", "Item No.": "itemNo",
              "Location Code": "locationCode", "Quantity": "quantity", "Unit Cost": "unitCost",
              "Unit Price": "unitPrice", "Gen. Bus. Posting Group": "genBusPostingGroup"}
    for label, key in fields.items():
        form.get_by_label(label, exact=True).fill(str(line.get(key, "")))
    if "newLocationCode" in line:
        form.get_by_label("New Location Code").fill(line["newLocationCode"])
    form.get_by_label("Invoice").select_option("yes" if line.get("invoice", True) else "no")
    form.get_by_label("Dimensions (CODE=VALUE, ...)").fill(", ".join(
        f"{d['dimensionCode']}={d['dimensionValueCode']}" for d in line.get("dimensions", [])))
    with answered(page, "PostJournalLine"):
        form.get_by_role("button", name="Post line").click()
    expect(form.locator("table, [role=alert]").first).to_be_visible()


def request_page(page: Page, input: dict[str, Any], post: bool, action: str | None = None) -> None:
    open_page(page, "post-cost")
    page.get_by_label("Post Method").select_option(input["postMethod"])
    page.get_by_label("Document No.").fill(input.get("documentNo") or "")
    page.get_by_label("Item No.").fill(", ".join(input.get("itemNos") or []))
    page.get_by_label("Post", exact=True).set_checked(post)
    with answered(page, "InventoryCost"):
        page.get_by_role("button", name=action or ("Post" if post else "Preview"), exact=True).click()
    expect(page.locator(".result, [role=alert]").first).to_be_visible()


def answered(page: Page, operation: str) -> Any:
    """Until the API has answered the page's request for `operation` (the page still
    shows the previous result meanwhile)."""
    return page.expect_response(lambda response: response.request.method == "POST"
                                and operation in (response.request.post_data or ""))


def lines_shown(page: Page) -> list[tuple[str, str, str]]:
    """(G/L account, debit, credit) of each line the request page shows."""
    table = page.get_by_role("table", name="G/L lines")
    return [(row.locator("td").nth(2).inner_text(), row.locator("td").nth(4).inner_text(),
             row.locator("td").nth(5).inner_text()) for row in table.locator("tbody tr").all()]


def as_debit_credit(lines: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(line["glAccountNo"], line["amount"] if not line["amount"].startswith("-") else "",
             line["amount"][1:] if line["amount"].startswith("-") else "") for line in lines]


def run_scenario_in_the_browser(page: Page, port: int, name: str) -> None:
    for step in scenario(name):
        if step.get("do") == "updateInventorySetup":
            ask(port, "mutation($i: UpdateInventorySetupInput!) { updateInventorySetup(input: $i) "
                      "{ __typename } }", {"i": step["input"]})
        elif step.get("do") == "postItemJournalLine":
            enter_line(page, step["input"])
            expect(page.get_by_role("form", name="Journal line").get_by_role(
                "table", name="Item ledger entries")).to_be_visible()
        elif step.get("do") == "postInventoryCostToGL":
            expected = step["expect"]
            if "error" in expected:
                request_page(page, step["input"], post=True)
                expect(page.get_by_role("alert")).to_contain_text(
                    "document" if "DOCUMENT" in expected["error"] else expected["error"], ignore_case=True)
                continue
            if expected.get("lines"):
                request_page(page, step["input"], post=False)
                expect(page.get_by_text("Preview (nothing stored)")).to_be_visible()
                assert sorted(lines_shown(page)) == sorted(as_debit_credit(expected["lines"]))
                request_page(page, step["input"], post=True, action="Test report")
                expect(page.get_by_text("0 errors")).to_be_visible()
            request_page(page, step["input"], post=True)
            assert sorted(lines_shown(page)) == sorted(as_debit_credit(expected.get("lines", [])))
            expect(page.get_by_text(f"{expected['valueEntryCount']} value entries")).to_be_visible()
            register = page.locator(".summary").get_by_role("link")
            expect(register).to_have_count(1 if expected.get("glRegister") else 0)
            if expected.get("glRegister"):
                screenshot(page, f"request-page-{name}")


# ---------------------------------------------------------------- the tests

def test_scenario_02_per_entry_posts_through_the_pages(page: Page, port: int) -> None:
    run_scenario_in_the_browser(page, port, "02-batch-per-entry")


def test_scenario_03_per_posting_group_posts_through_the_pages(page: Page, port: int) -> None:
    run_scenario_in_the_browser(page, port, "03-batch-per-posting-group")


def test_navigate_reconcile_and_travel_back_in_time(page: Page, port: int) -> None:
    run_scenario_in_the_browser(page, port, "02-batch-per-entry")
    # Navigate: register 1 -> its G/L entries and value entries -> the sale -> its application
    open_page(page, "navigate")
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("table", name="G/L entries of the register").locator("tbody tr")).to_have_count(4)
    values = page.get_by_role("table", name="Value entries behind them")
    expect(values.locator("tbody tr")).to_have_count(2)
    values.get_by_role("link", name="2", exact=True).click()
    applications = page.get_by_role("table", name="Applications: which inbound entry fed which outbound entry, at what cost")
    expect(applications.locator("tbody td")).to_have_text(["1", "2", "4", "40.00"])
    screenshot(page, "navigate")
    # the item ledger entries filtered by document no. and by what is open
    open_page(page, "entries/item-ledger")
    page.get_by_label("Document No.").fill("SI-2001")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".summary")).to_contain_text("1 entries; 1 loaded")
    page.get_by_label("Document No.").fill("")
    page.get_by_label("Open").select_option("yes")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row").filter(has_text="PR-1001")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("1 entries; 1 loaded")
    # a later posting of the same purchase, and a second register
    enter_line(page, {"entryType": "PURCHASE", "postingDate": "2027-01-06", "documentNo": "PR-2",
                     "itemNo": "1000", "locationCode": "BLUE", "quantity": "1", "unitCost": "7.00",
                     "genBusPostingGroup": "DOMESTIC"})
    request_page(page, {"postMethod": "PER_ENTRY"}, post=True)
    open_page(page, "balances")
    reconciliation = page.get_by_role("table", name="Reconciliation", exact=False)
    expect(reconciliation.locator(".difference")).to_have_count(0)
    balance = page.get_by_role("table", name="Trial balance")
    expect(balance.locator("tbody tr", has_text="2130")).to_contain_text("67.00")
    page.get_by_role("slider").fill("0")  # as known after register 1
    earlier = page.get_by_role("table", name="Trial balance as known after register 1")
    expect(earlier.locator("tbody tr", has_text="2130")).to_contain_text("60.00")
    then = page.get_by_role("table", name="(as known after register 1)", exact=False)
    expect(then.locator("tbody tr", has_text="BLUE")).to_contain_text("60.00")
    screenshot(page, "balances")
    earlier.get_by_role("link", name="2130").click()  # its G/L entries as known then
    expect(page.locator(".summary")).to_contain_text("2 entries as known at position")
    expect(page.locator(".summary")).to_contain_text("debit 100.00, credit 40.00, balance 60.00")
    page.go_back()
    page.get_by_role("slider").fill("0")
    then.get_by_role("link", name="60.00").click()  # the value entries behind it, as known then
    expect(page.locator(".summary")).to_contain_text("2 entries as known at position")
    expect(page.locator(".summary .totals")).to_have_text(
        "cost 60.00 actual, 0.00 expected, 60.00 posted to G/L")
    expect(page.get_by_role("row").filter(has_text="PR-2")).to_have_count(0)


def test_a_refused_line_shows_the_apis_error_beside_its_field(page: Page) -> None:
    enter_line(page, {"entryType": "SALE", "postingDate": "2027-01-05", "documentNo": "SI-1",
                     "itemNo": "1000", "locationCode": "BLUE", "quantity": "0",
                     "genBusPostingGroup": "DOMESTIC"})
    beside = page.get_by_role("form", name="Journal line").locator("[data-field=quantity]")
    expect(beside).to_contain_text("quantity must be greater than 0")
    enter_line(page, {"entryType": "SALE", "postingDate": "2027-01-05", "documentNo": "SI-1",
                     "itemNo": "NOPE", "locationCode": "BLUE", "quantity": "1",
                     "genBusPostingGroup": "DOMESTIC"})
    expect(page.get_by_role("form", name="Journal line").locator("[data-field=itemNo]")).to_contain_text("NOPE")
    screenshot(page, "journal-refused")


def test_a_posting_made_through_the_api_appears_in_an_open_list(page: Page, port: int) -> None:
    open_page(page, "entries/value")
    expect(page.get_by_text("live")).to_be_visible()
    totals = page.locator(".summary .totals")
    expect(totals).to_contain_text(" actual")
    actual = Decimal(totals.inner_text().split(" ")[1])
    time.sleep(0.5)  # the subscription is acknowledged
    ask(port, """mutation { postItemJournalLine(input: {entryType: PURCHASE, postingDate: "2027-01-02",
        documentNo: "LIVE-1", itemNo: "1000", locationCode: "BLUE", quantity: "3", unitCost: "5.00",
        genBusPostingGroup: "DOMESTIC"}) { __typename } }""")
    expect(page.get_by_role("row").filter(has_text="LIVE-1")).to_be_visible()
    expect(page.get_by_text("1 new")).to_be_visible()
    expect(totals).to_contain_text(f"cost {actual + Decimal('15.00')} actual")  # summed again


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_page_works_offline_is_accessible_and_fits(browser: Browser, port: int, viewport: str) -> None:
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  base_url=f"http://127.0.0.1:{port}")
    outside: list[str] = []
    context.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                  if not route.request.url.startswith(f"http://127.0.0.1:{port}")
                  and not route.request.url.startswith(f"ws://127.0.0.1:{port}") else route.continue_())
    page = context.new_page()
    try:
        for route, title in PAGES.items():
            open_page(page, route)
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, \
                f"{route} is wider than the {viewport} screen"
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
            assert violations == [], f"{route} at {viewport}: {violations}"
            screenshot(page, f"{route.replace('/', '-')}-{viewport}")
        page.goto("/graphiql")
        expect(page.locator(".graphiql-container")).to_be_visible()
        screenshot(page, f"graphiql-{viewport}")
        assert outside == [], f"loaded from outside the server: {outside}"
    finally:
        context.close()


def test_a_viewer_sees_no_posting_buttons_and_a_token_is_asked_for(browser: Browser, tmp_path: Path) -> None:
    fresh_books(str(tmp_path)).close()
    listen = free_port()
    server = subprocess.Popen([str(LEDGER), "serve", "--host", "127.0.0.1", "--port", str(listen)],
                              env={**os.environ, "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path}/ledger.db",
                                   "LEDGER_TOKENS": json.dumps({"look": "viewer", "post": "poster"})})
    context = browser.new_context(base_url=f"http://127.0.0.1:{listen}")
    try:
        page = context.new_page()
        for _ in range(100):
            try:
                page.goto("/#/post-cost")
                break
            except Exception:  # the server is starting
                time.sleep(0.1)
        page.get_by_label("Token").fill("look")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Post Inventory Cost to G/L")
        expect(page.locator(".who")).to_contain_text("viewer")
        expect(page.get_by_role("button", name="Post", exact=True)).to_have_count(0)
        open_page(page, "journal")
        expect(page.get_by_role("button", name="Post line")).to_have_count(0)
        page.get_by_role("button", name="sign out").click()
        page.get_by_label("Token").fill("post")
        page.get_by_role("button", name="Sign in").click()
        open_page(page, "journal")
        expect(page.get_by_role("button", name="Post line")).to_be_visible()
    finally:
        context.close()
        server.terminate()
        server.wait()


def shows_its_data_within_a_second(page: Page, route: str, where: str) -> None:
    """From another page to `route`, until its data is shown; the time is printed."""
    page.goto("/#/post-cost")
    started = time.perf_counter()
    open_page(page, route)
    expect(page.locator(DATA[route.split("/")[0]]).first).to_be_visible()
    seconds = time.perf_counter() - started
    print(f"\n{route}{where}: data shown in {seconds * 1000:.0f} ms")
    assert seconds < 1, f"{route}{where} took {seconds:.2f} s"


def test_the_first_page_is_small_and_every_page_shows_its_data_within_a_second(page: Page) -> None:
    """Printed figures: the JavaScript the first page loads, gzipped (budget 300 KB; the
    other pages' code loads when they open), and each page's time from navigation to
    its data shown, on the base company."""
    scripts: dict[str, bytes] = {}
    page.on("response", lambda response: scripts.setdefault(response.url, response.body())
            if response.url.endswith(".js") else None)
    open_page(page, "post-cost")
    page.wait_for_load_state("networkidle")
    gzipped = sum(len(gzip.compress(body)) for body in scripts.values())
    print(f"\nfirst page: {len(scripts)} scripts, {gzipped / 1024:.0f} KB gzipped (budget 300 KB)")
    assert gzipped < 300 * 1024
    for route in PAGES:
        shows_its_data_within_a_second(page, route, "")


def test_a_list_of_100000_entries_scrolls_without_loading_them_all(browser: Browser, tmp_path: Path) -> None:
    """The base company plus 100,000 purchases: every page still shows its data within a
    second, and the item ledger entry list loads pages as it scrolls, drawing only the
    rows in view."""
    service = fresh_books(str(tmp_path))
    item = service.uow.get(Item.create_id("1000"))
    for start in range(0, 100_000, 2_000):
        numbers = service.uow.allocator()
        for n in range(start, start + 2_000):
            item.post_journal_line(changes=post_line(item, line(
                "PURCHASE", "2027-01-02", "1", unit_cost="2.00", document_no=f"P{n}"), numbers))
        service.uow.save_numbered(numbers, item)
    service.close()
    with serving(f"sqlite:///{tmp_path}/ledger.db", 1) as (listen,):
        context = browser.new_context(viewport={"width": 1280, "height": 800},
                                      base_url=f"http://127.0.0.1:{listen}")
        page = context.new_page()
        for route in [*PAGES, "entries/item-ledger"]:
            shows_its_data_within_a_second(page, route, " with 100,000 entries")
        expect(page.get_by_text("100,000 entries; 200 loaded", exact=False)).to_be_visible()
        grid = page.locator(".grid-body")
        for _ in range(3):
            grid.evaluate("element => element.scrollTop = element.scrollHeight")
            page.wait_for_timeout(300)
        loaded = int(page.locator(".summary").inner_text().split("; ")[1].split(" ")[0].replace(",", ""))
        drawn = page.locator(".grid-row").count()
        print(f"after scrolling to the end three times: {loaded:,} rows loaded, {drawn} drawn")
        assert 200 < loaded < 100_000 and drawn < 100
        # a long run shows how far it has got, and then its answer
        open_page(page, "post-cost")
        page.get_by_label("Post Method").select_option("PER_POSTING_GROUP")
        page.get_by_label("Document No.").fill("INVT")
        with answered(page, "PostInventoryCost"):
            page.get_by_role("button", name="Post", exact=True).click()
            expect(page.get_by_role("status")).to_contain_text("of 100,000 value entries")
            screenshot(page, "request-page-progress")
        expect(page.get_by_text("Posted: 100000 value entries", exact=False)).to_be_visible()
        context.close()
