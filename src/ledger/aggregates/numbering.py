"""The one aggregate every posting writes: the gap-free entry-number sequences.

Entry numbers must be in the events before they are encoded, so a posting saves this
counter in the same `Application.save` as its item; a concurrent posting then loses on
the counter's version and retries. A rejected posting never saves it, so it uses up no
number (domain.md section 1).
"""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.aggregates.ids import aggregate_id

SEQUENCES = ("ile", "ve", "gl", "transaction", "register")


class EntryNumbers(Aggregate):
    @staticmethod
    def create_id() -> UUID:
        return aggregate_id("numbers", "")

    @event("Started")
    def __init__(self) -> None:
        self.last = dict.fromkeys(SEQUENCES, 0)

    @event("Allocated")
    def allocate(self, last: dict[str, int]) -> None:
        self.last = dict(last)


class Allocator:
    """Hands out numbers for one posting; `commit` writes what was taken to the counter."""

    def __init__(self, numbers: EntryNumbers) -> None:
        self.numbers = numbers
        self.next = {name: value + 1 for name, value in numbers.last.items()}

    def take(self, sequence: str) -> int:
        value = self.next[sequence]
        self.next[sequence] = value + 1
        return value

    def commit(self) -> None:
        last = {name: value - 1 for name, value in self.next.items()}
        if last != self.numbers.last:
            self.numbers.allocate(last)
