"""A batch run's G/L register: one per run, its own aggregate (never a global one).

Summed lines span many items, so the run's G/L entries are events of the register; each
item's "cost posted" event names its own value entries. A run saves in chunks, each
chunk one `Application.save` of the register and the items it touches. Per posting
group a chunk's G/L entries come first, then, a window of value entries at a time, the
register's "entries listed" event (which G/L entries they went into) and the items'
"cost posted" events, all in the chunk's one transaction.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.aggregates.ids import aggregate_id


class BatchRun(Aggregate):
    @staticmethod
    def create_id(register_no: int) -> UUID:
        return aggregate_id("register", str(register_no))

    @event("Opened")
    def __init__(self, register_no: int, post_method: str, document_no: str | None) -> None:
        self.register_no = register_no
        self.post_method = post_method
        self.document_no = document_no

    @event("ChunkPosted")
    def post_chunk(self, changes: dict[str, Any]) -> None:
        """The chunk's G/L entries live in the event, for the read models and the audit
        trail; the register's own state does not change."""

    @event("EntriesListed")
    def list_entries(self, changes: dict[str, Any]) -> None:
        """`relations`: [G/L entry no., [value entry nos.]] pairs, a window's part of the
        G/L relation of G/L entries summed per posting group."""
