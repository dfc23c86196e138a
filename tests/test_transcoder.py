"""The orjson transcoder writes exactly the bytes eventsourcing's own JSON transcoder
writes, for every event and snapshot a history of every kind stores (each then
compressed with zlib), so either can read what the other wrote; stores written before
compression stay readable; and amounts read straight from the stored text are the
Decimals'.
(That a rebuild from the stored text gives the live tables row for row is what every
verifyProjections in the suite checks.)"""
from __future__ import annotations

import sqlite3
import zlib
from decimal import Decimal as D
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex

from ledger.application import LedgerService
from ledger.application.batch_job import Request
from ledger.application.compression import DICTIONARIES, ZlibOrPlain
from ledger.application.store import Ledger
from ledger.application.transcoder import OrjsonTranscoder
from ledger.aggregates.item import Item
from ledger.projections.codec import cents, units
from tests.company import base_company, line

TOPICS = {"JournalLinePosted", "Invoiced", "Revalued", "CostAdjusted", "CostPostedToGL",
          "Defined", "Registered", "ChunkPosted", "EntriesListed"}


def stock_transcoder() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


def every_kind_of_history(service: LedgerService) -> None:
    base_company(service, automatic=False)
    post = service.postings
    receipt = post.post_item_journal_line(line("PURCHASE", "2027-01-02", "10", unit_cost="10.00",
                                               invoice=False), None)["item_ledger_entries"][0]
    post.post_item_journal_line(line("TRANSFER", "2027-01-03", "4", new_location_code="RED"), None)
    post.post_item_journal_line(line("SALE", "2027-01-04", "2", location_code="RED",
                                     unit_price="25.00"), None)
    post.invoice_item_ledger_entry(receipt["entry_no"], "2027-01-06", "PI-1", D("10"),
                                   D("11.00"), None, None)
    bought = post.post_item_journal_line(line("PURCHASE", "2027-01-02", "3", item_no="1200",
                                              unit_cost="7.00"), None)["item_ledger_entries"][0]
    post.revalue_item_ledger_entry(bought["entry_no"], "2027-01-07", "RV-1", D("8.00"), None)
    post.adjust_cost_item_entries(None)
    service.batch.run(Request("PER_POSTING_GROUP", "INVT-1"), post=True)
    service.uow.ledger.take_snapshot(Item.create_id("1000"))


def test_orjson_writes_the_stock_transcoders_bytes(tmp_path: Path) -> None:
    service = LedgerService(f"sqlite:///{tmp_path}/ledger.db")
    assert isinstance(service.uow.ledger, Ledger)
    every_kind_of_history(service)
    service.close()
    stock, fast = stock_transcoder(), OrjsonTranscoder()
    with sqlite3.connect(tmp_path / "ledger.db") as connection:
        stored = [row for table in ("stored_events", "stored_snapshots")
                  for row in connection.execute(f"SELECT topic, state FROM {table}")]
    assert TOPICS <= {topic.rsplit(".", 1)[-1] for topic, _ in stored}
    assert any(topic.endswith("Snapshot") for topic, _ in stored)
    for _, compressed in stored:
        assert compressed[:1] != b"{", "every event and snapshot is stored compressed"
        state = ZlibOrPlain().decompress(compressed)
        decoded = stock.decode(state)
        assert fast.encode(decoded) == stock.encode(decoded) == state
        assert fast.decode(state) == decoded


def test_events_stored_before_compression_or_without_a_dictionary_stay_readable() -> None:
    plain = OrjsonTranscoder().encode({"changes": {"item_no": "1000", "cost": D("1.50")}})
    assert ZlibOrPlain().decompress(plain) == plain
    assert ZlibOrPlain().decompress(zlib.compress(plain)) == plain
    with_dictionary = ZlibOrPlain().compress(plain)
    assert with_dictionary[1] & 0x20, "the stream names its preset dictionary"
    assert ZlibOrPlain().decompress(with_dictionary) == plain
    for dictionary in DICTIONARIES.values():  # every one ever current stays readable
        compressor = zlib.compressobj(zdict=dictionary)
        assert ZlibOrPlain().decompress(compressor.compress(plain) + compressor.flush()) == plain
    assert len(DICTIONARIES) >= 2


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=7))
def test_amounts_read_from_the_stored_text_are_the_decimals_amounts(value: D) -> None:
    for text in (str(value), format(value, "f")):
        assert cents({"_type_": "decimal_str", "_data_": text}) == cents(text) == cents(value)
        assert units({"_type_": "decimal_str", "_data_": text}) == units(text) == units(value)
