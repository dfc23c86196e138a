"""A batch run's chunk: its G/L entries as an event of the run's register, saved in one
`Application.save` with the events that say which value entries they posted. A chunk
is all or nothing; a save that lost a race is retried by the unit of work."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from ledger.aggregates.item import Item
from ledger.aggregates.register import BatchRun
from ledger.application.batch_job.reports import Request
from ledger.application.unit_of_work import UnitOfWork
from ledger.errors import ErrorCode, LedgerError
from ledger.numbering import Allocator
from ledger.posting.glentries import gl_entries
from ledger.posting.lines import PostingLine

SOURCE_CODE = "INVTPCOST"
# What a chunk saves beside its G/L entries, given the run as saved and those entries.
MoreEvents = Callable[["Run", list[dict[str, Any]]], list[Any]]


@dataclass
class Run:
    """What a posting run has saved so far: its register and transactions."""
    request: Request
    register_no: int | None = None
    first_entry_no: int | None = None
    last_entry_no: int | None = None
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())
    transactions: dict[tuple[str, str], int] = field(default_factory=dict)
    version: int = 0  # the register's

    def register_row(self) -> dict[str, Any]:
        return {"no": self.register_no, "from_entry_no": self.first_entry_no,
                "to_entry_no": self.last_entry_no, "source_code": SOURCE_CODE,
                "created_at": self.created_at}


def moved_on() -> LedgerError:
    return LedgerError(ErrorCode.CONFLICT, "value entries of this run were posted by another "
                       "run meanwhile; run again")


def cost_posted(item_no: str, version: int, posted: list[int], expected_posting: bool) -> Any:
    """An item's "cost posted" event, made without loading the item (its history can be
    long): the read model gives the version it follows."""
    return Item.CostPostedToGL(originator_id=Item.create_id(item_no), originator_version=version,
                               timestamp=Item.CostPostedToGL.create_timestamp(),
                               changes={"item_no": item_no, "posted": posted,
                                        "expected_posting": expected_posting})


def chunk_events(run: Run, lines: list[PostingLine], more: MoreEvents,
                 numbers: Allocator) -> tuple[list[Any], Run]:
    """One attempt at a chunk: the run as it will stand once saved, and its events. The
    register is opened by the first chunk and appended to, at the version the run keeps,
    by the others, without loading it."""
    saved = replace(run, transactions=dict(run.transactions))
    opened = None
    if saved.register_no is None:
        saved.register_no = numbers.take("register")
        opened = BatchRun(register_no=saved.register_no, post_method=run.request.post_method,
                          document_no=run.request.document_no)
    new = gl_entries(lines, numbers, SOURCE_CODE, saved.register_no, saved.transactions)
    saved.first_entry_no = saved.first_entry_no or new[0]["entry_no"]
    saved.last_entry_no = new[-1]["entry_no"]
    changes = {"gl_entries": new, "register": saved.register_row()}
    if opened is not None:
        opened.post_chunk(changes=changes)
        saved.version = opened.version
    else:
        saved.version += 1
    head = opened or BatchRun.ChunkPosted(
        originator_id=BatchRun.create_id(saved.register_no), originator_version=saved.version,
        timestamp=BatchRun.ChunkPosted.create_timestamp(), changes=changes)
    return [head, *more(saved, new)], saved


def save_chunk(uow: UnitOfWork, run: Run, lines: list[PostingLine], more: MoreEvents) -> None:
    """Save a chunk and move `run` on to what it saved."""
    saved = uow.run(lambda numbers: chunk_events(run, lines, more, numbers))
    # the register's cached copy, saved with the first chunk, is behind its events since
    uow.evict([BatchRun.create_id(saved.register_no)])
    run.register_no, run.first_entry_no = saved.register_no, saved.first_entry_no
    run.last_entry_no, run.transactions = saved.last_entry_no, saved.transactions
    run.version = saved.version
