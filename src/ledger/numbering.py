"""The gap-free entry-number sequences (domain.md section 1), handed out per posting.

Entry numbers must be in the events before they are encoded, so a posting takes them
from the highest numbers its events' read models hold (kept beside the tracking
position, ledger.projections.views) and its save checks, in its own transaction, that
they have not moved meanwhile: a concurrent posting that took the same numbers first
makes it reload and retry. A rejected posting saves nothing, so it uses up no number.
"""
from __future__ import annotations

from typing import Protocol

SEQUENCES = ("ile", "ve", "gl", "transaction", "register")
LastNumbers = dict[str, int]  # the last number handed out, per sequence


class NumberSource(Protocol):
    """What the pure rules take entry numbers from: an Allocator, or a test's counter."""

    def take(self, sequence: str) -> int: ...


def no_numbers() -> LastNumbers:
    return dict.fromkeys(SEQUENCES, 0)


class Allocator:
    """Hands out numbers for one posting, after the last ones `start` names."""

    def __init__(self, start: LastNumbers) -> None:
        self.start = dict(start)
        self.next = {name: value + 1 for name, value in start.items()}

    def take(self, sequence: str) -> int:
        value = self.next[sequence]
        self.next[sequence] = value + 1
        return value
