"""An idempotency key, recorded in the same save as the posting it guards.

Two requests racing with one key both try to create this aggregate; the store's unique
(id, version) lets exactly one win, and the loser reads the winner's result.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.aggregates.ids import aggregate_id


class IdempotencyRecord(Aggregate):
    @staticmethod
    def create_id(scope: str, key: str) -> UUID:
        return aggregate_id(f"idempotency:{scope}", key)

    @event("Recorded")
    def __init__(self, scope: str, key: str, fingerprint: str, result: dict[str, Any]) -> None:
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.result = result
