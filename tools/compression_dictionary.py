"""Make a zlib preset dictionary for stored events (ledger.application.compression).

Run once per dictionary version, from the repository root:

    .venv/bin/python tools/compression_dictionary.py src/ledger/application/dictionaries/v3.zdict

It posts a small, varied history of the tests' base company (every costing method;
receipts and shipments invoiced later, one at another cost; a transfer; a revaluation;
Adjust Cost; automatic cost posting on, then a batch run) and writes one event of each
kind as stored, the commonest kinds last (zlib reaches the end of a dictionary with the
shortest distances). A dictionary, once events are stored with it, is kept forever:
events name it by its Adler-32 checksum. A new one (v3, ...) becomes the current one in
ledger.application.compression. v1 was made from this history in the second event
layout, v2 (current) from it in the compact one (ledger.aggregates.payloads).
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger.application import LedgerService  # noqa: E402
from ledger.application.batch_job import Request  # noqa: E402
from ledger.application.compression import ZlibOrPlain  # noqa: E402
from tests.company import base_company, line  # noqa: E402

ORDER = ("Registered", "Defined", "Revalued", "CostPostedToGL", "ChunkPosted", "Invoiced",
         "CostAdjusted", "JournalLinePosted")


def history(service: LedgerService) -> None:
    base_company(service, automatic=True)
    service.setup.update_inventory_setup({"automatic_cost_adjustment": "ALWAYS"})
    post = service.postings.post_item_journal_line
    for item in ("1000", "1100", "1200"):
        received = post(line("PURCHASE", "2027-01-02", "10", item, unit_cost="10.00", invoice=False,
                             dimensions={"DEPARTMENT": "SALES"}), None)["item_ledger_entries"][0]
        post(line("SALE", "2027-01-03", "4", item, unit_price="25.00"), None)
        post(line("TRANSFER", "2027-01-04", "2", item, new_location_code="RED"), None)
        service.postings.invoice_item_ledger_entry(received["entry_no"], "2027-01-05", "PI-1",
                                                   D("10"), D("11.00"), None, None)
    bought = post(line("PURCHASE", "2027-01-06", "3", "1200", unit_cost="7.00"), None)
    service.postings.revalue_item_ledger_entry(bought["item_ledger_entries"][0]["entry_no"],
                                               "2027-01-07", "RV-1", D("8.00"), None)
    service.setup.update_inventory_setup({"automatic_cost_posting": False})
    post(line("SALE", "2027-01-08", "1", "1000", unit_price="25.00"), None)
    service.batch.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True)


def main(target: str) -> None:
    directory = tempfile.mkdtemp()
    service = LedgerService(f"sqlite:///{directory}/ledger.db")
    history(service)
    service.close()
    with sqlite3.connect(f"{directory}/ledger.db") as connection:
        stored = connection.execute("SELECT topic, state FROM stored_events ORDER BY rowid").fetchall()
    last_of = {topic.rsplit(".", 1)[-1]: ZlibOrPlain().decompress(state) for topic, state in stored}
    Path(target).write_bytes(b"".join(last_of[kind] for kind in ORDER if kind in last_of))


if __name__ == "__main__":
    main(sys.argv[1])
