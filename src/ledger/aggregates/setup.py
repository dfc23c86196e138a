"""Setup records (G/L accounts, locations, dimensions, posting setup, ...).

Each record is its own small aggregate, so a setup change is an event with an audit
trail and postings only read setup, never write it. Every event carries the record's
whole new state: the read side and the audit trail need no history to show it.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.aggregates.ids import aggregate_id


class SetupKind:
    GL_ACCOUNT = "gl_account"
    LOCATION = "location"
    DIMENSION = "dimension"
    DEFAULT_DIMENSIONS = "default_dimensions"
    GENERAL_POSTING_SETUP = "general_posting_setup"
    INVENTORY_POSTING_SETUP = "inventory_posting_setup"
    INVENTORY_SETUP = "inventory_setup"
    GL_SETUP = "gl_setup"


class SetupRecord(Aggregate):
    @staticmethod
    def create_id(kind: str, key: str) -> UUID:
        return aggregate_id(kind, key)

    @event("Defined")
    def __init__(self, kind: str, key: str, state: dict[str, Any]) -> None:
        self.kind = kind
        self.key = key
        self.state = state

    @event("Changed")
    def change(self, state: dict[str, Any]) -> None:
        self.state = state


def posting_setup_key(*parts: str) -> str:
    """Rows are found by exact key; a blank part is an ordinary key (domain.md section 4)."""
    return "|".join(parts)


INVENTORY_SETUP_DEFAULT: dict[str, Any] = {
    "automatic_cost_posting": False,
    "expected_cost_posting": False,
    "automatic_cost_adjustment": "NEVER",
}
GL_SETUP_DEFAULT: dict[str, Any] = {"allow_posting_from": None, "allow_posting_to": None}
