"""Several `ledger serve` processes on one database: a command on server A decides on
what server B stored, never on A's own older copy (issue 23, part 1), and three servers
posting at once take turns instead of answering CONFLICT (part 2).

Each case warms A's copies first (a posting loads the item and the setup), lets B
change something, lets A answer a call that catches its read models up (the test
report), and then asks A to decide.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from ledger.application import LedgerService
from ledger.errors import ErrorCode, LedgerError
from tests.company import base_company
from tests.company import line as company_line
from tests.servers import ask, serving

RESULT = "__typename ... on UserError { code message } ... on PostingResult { itemLedgerEntries { entryNo } glEntries { entryNo } }"


def line(entry_type: str, date: str, quantity: str, location: str = "BLUE", more: str = "") -> str:
    cost = 'unitCost: "10.00"' if entry_type == "PURCHASE" else ""
    return (f'mutation {{ postItemJournalLine(input: {{entryType: {entry_type}, postingDate: "{date}", '
            f'documentNo: "D-{date}", itemNo: "1000", locationCode: "{location}", quantity: "{quantity}", '
            f'genBusPostingGroup: "DOMESTIC", {cost} {more}}}) {{ {RESULT} }} }}')


def posted(port: int, mutation: str) -> dict:
    return ask(port, mutation)[mutation.split("{")[1].split("(")[0].strip()]


CATCH_UP = '{ inventoryCostPostingTest(input: {postMethod: PER_ENTRY}) { __typename } }'


@pytest.fixture
def servers(database_url: str) -> Iterator[tuple[int, int]]:
    service = LedgerService(database_url)
    base_company(service)  # automatic cost posting on
    service.close()
    with serving(database_url, 2) as (a, b):
        assert posted(a, line("PURCHASE", "2027-01-02", "1"))["__typename"] == "PostingResult"
        yield a, b


def test_a_period_closed_on_b_is_closed_on_a(servers: tuple[int, int]) -> None:
    a, b = servers
    ask(b, 'mutation { updateGLSetup(input: {allowPostingFrom: "2027-01-01", '
           'allowPostingTo: "2027-01-31"}) { __typename } }')
    ask(a, CATCH_UP)
    refused = posted(a, line("PURCHASE", "2027-03-15", "1"))
    assert refused["__typename"] == "UserError" and refused["code"] == "POSTING_DATE_NOT_ALLOWED"


def test_automatic_cost_posting_switched_off_on_b_is_off_on_a(servers: tuple[int, int]) -> None:
    a, b = servers
    ask(b, "mutation { updateInventorySetup(input: {automaticCostPosting: false}) { __typename } }")
    ask(a, CATCH_UP)
    result = posted(a, line("PURCHASE", "2027-01-03", "1"))
    assert result["__typename"] == "PostingResult" and result["glEntries"] == []


def test_stock_received_on_b_can_be_sold_on_a(servers: tuple[int, int]) -> None:
    a, b = servers
    posted(a, line("PURCHASE", "2027-01-02", "1", location="RED"))  # A holds item 1000
    assert posted(b, line("PURCHASE", "2027-01-03", "10", location="RED"))["__typename"] == "PostingResult"
    ask(a, CATCH_UP)
    assert posted(a, line("SALE", "2027-01-04", "5", location="RED"))["__typename"] == "PostingResult"


def test_an_entry_received_on_b_is_invoiced_on_a(servers: tuple[int, int]) -> None:
    a, b = servers
    receipt = posted(b, line("PURCHASE", "2027-01-03", "4", more="invoice: false"))
    entry_no = receipt["itemLedgerEntries"][0]["entryNo"]
    ask(a, CATCH_UP)
    invoiced = posted(a, f'mutation {{ invoiceItemLedgerEntry(input: {{itemLedgerEntryNo: {entry_no}, '
                         f'postingDate: "2027-01-05", documentNo: "PI-1", quantity: "4", '
                         f'unitCost: "11"}}) {{ {RESULT} }} }}')
    assert invoiced["__typename"] == "PostingResult"


def test_an_account_blocked_on_b_is_blocked_on_a(servers: tuple[int, int]) -> None:
    a, b = servers
    ask(b, 'mutation { updateGLAccount(input: {no: "2130", blocked: true}) { __typename } }')
    ask(a, CATCH_UP)
    refused = posted(a, line("PURCHASE", "2027-01-03", "1"))
    assert refused["__typename"] == "UserError" and refused["code"] == "BLOCKED_ACCOUNT"


def test_a_dimension_value_blocked_on_b_is_blocked_on_a(servers: tuple[int, int]) -> None:
    a, b = servers
    dimensions = 'dimensions: [{dimensionCode: "DEPARTMENT", dimensionValueCode: "SALES"}]'
    assert posted(a, line("PURCHASE", "2027-01-02", "1", more=dimensions))["__typename"] == "PostingResult"
    ask(b, 'mutation { updateDimension(input: {code: "DEPARTMENT", blockedValues: ["SALES"]}) '
           '{ __typename } }')
    ask(a, CATCH_UP)
    refused = posted(a, line("PURCHASE", "2027-01-03", "1", more=dimensions))
    assert refused["__typename"] == "UserError" and refused["code"] == "DIMENSION_ERROR"


def test_the_batch_job_on_a_skips_what_b_blocked(servers: tuple[int, int]) -> None:
    a, b = servers
    ask(b, "mutation { updateInventorySetup(input: {automaticCostPosting: false}) { __typename } }")
    posted(b, line("PURCHASE", "2027-01-03", "1"))
    ask(a, CATCH_UP)
    ask(b, 'mutation { updateGLAccount(input: {no: "2130", blocked: true}) { __typename } }')
    report = ask(a, 'mutation { postInventoryCostToGL(input: {postMethod: PER_ENTRY}) { __typename '
                    '... on InventoryCostPostingReport { skippedEntries { errors { code } } } } }')
    skipped = report["postInventoryCostToGL"]["skippedEntries"]
    assert skipped and all(e["code"] == "BLOCKED_ACCOUNT" for s in skipped for e in s["errors"])


def test_a_period_closed_while_a_posting_decides_makes_it_decide_again(database_url: str) -> None:
    """B closes the period after A checked the date and before A saves: A's save sees
    setup stored after A read it, so A decides again on the closed period."""
    a, b = LedgerService(database_url), LedgerService(database_url)
    try:
        base_company(a)
        checked = a.postings.check_dimensions_and_date
        closed: list[bool] = []

        def check_then_close(*args: object) -> None:
            checked(*args)  # type: ignore[arg-type]
            if not closed:
                closed.append(True)
                b.setup.update_gl_setup({"allow_posting_from": "2027-01-01",
                                         "allow_posting_to": "2027-01-31"})

        a.postings.check_dimensions_and_date = check_then_close  # type: ignore[method-assign]
        with pytest.raises(LedgerError) as refused:
            a.postings.post_item_journal_line(company_line("PURCHASE", "2027-03-15", "1",
                                                           unit_cost="10"), None)
        assert refused.value.code == ErrorCode.POSTING_DATE_NOT_ALLOWED
        assert a.reads.item_ledger_entries(None, 10, None)[1] == 0
    finally:
        a.close()
        b.close()


def posting_clients(ports: list[int], clients: int, seconds: float) -> dict[str, int]:
    """`clients` clients, each on one of the servers, posting purchases of three items
    one after another for `seconds`; every answer counted by its kind."""
    def client(number: int) -> dict[str, int]:
        answers: dict[str, int] = {}
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            n += 1
            item = ("1000", "1100", "1200")[(number + n) % 3]
            result = posted(ports[number % len(ports)], line("PURCHASE", "2027-01-05", "1").replace(
                'itemNo: "1000"', f'itemNo: "{item}"'))
            kind = result.get("code", result["__typename"])
            answers[kind] = answers.get(kind, 0) + 1
        return answers

    total: dict[str, int] = {}
    with ThreadPoolExecutor(clients) as pool:
        for answers in pool.map(client, range(clients)):
            for kind, count in answers.items():
                total[kind] = total.get(kind, 0) + count
    return total


def test_three_servers_posting_at_once_never_answer_conflict(postgres_url: str) -> None:
    service = LedgerService(postgres_url)
    base_company(service)
    service.close()
    with serving(postgres_url, 3) as ports:
        answers = posting_clients(ports, 8, 6)
    assert set(answers) == {"PostingResult"}, answers
    with psycopg.connect(postgres_url) as connection:
        count, first, last = connection.execute(
            "SELECT COUNT(*), MIN(entry_no), MAX(entry_no) FROM ledger_ile").fetchone()
    assert (count, first, last) == (answers["PostingResult"], 1, answers["PostingResult"])
