"""The setup a posting reads, as one object the pure rules can ask.

The application fills it from the setup aggregates as they stood when the command
started (lazily, so a posting loads only the rows it needs); tests fill it from dicts.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.aggregates.setup import (GL_SETUP_DEFAULT, INVENTORY_SETUP_DEFAULT, SetupKind,
                                     posting_setup_key)

Row = dict[str, Any]
Loader = Callable[[str, str], Row | None]


class PostingSetup:
    def __init__(self, load: Loader) -> None:
        self._load = load
        self._rows: dict[tuple[str, str], Row | None] = {}
        self.resolved: dict[tuple, str] = {}  # by ledger.posting.lines.resolve_account
        self.checked: dict[tuple, list[Any]] = {}  # by ledger.posting.batch.check_value_entry

    @classmethod
    def from_rows(cls, rows: dict[tuple[str, str], Row]) -> PostingSetup:
        return cls(lambda kind, key: rows.get((kind, key)))

    def row(self, kind: str, key: str) -> Row | None:
        try:
            return self._rows[(kind, key)]
        except KeyError:
            found = self._rows[(kind, key)] = self._load(kind, key)
            return found

    def inventory_row(self, location_code: str, invt_posting_group: str) -> Row | None:
        return self.row(SetupKind.INVENTORY_POSTING_SETUP,
                        posting_setup_key(location_code, invt_posting_group))

    def general_row(self, gen_bus: str, gen_prod: str) -> Row | None:
        return self.row(SetupKind.GENERAL_POSTING_SETUP, posting_setup_key(gen_bus, gen_prod))

    def account(self, no: str) -> Row | None:
        return self.row(SetupKind.GL_ACCOUNT, no)

    def dimension(self, code: str) -> Row | None:
        return self.row(SetupKind.DIMENSION, code)

    def default_dimensions(self, table: str, no: str) -> dict[str, Row]:
        row = self.row(SetupKind.DEFAULT_DIMENSIONS, posting_setup_key(table, no))
        return row["rules"] if row else {}

    @property
    def inventory_setup(self) -> Row:
        return self.row(SetupKind.INVENTORY_SETUP, "") or INVENTORY_SETUP_DEFAULT

    @property
    def gl_setup(self) -> Row:
        return self.row(SetupKind.GL_SETUP, "") or GL_SETUP_DEFAULT

    @property
    def expected_cost_posting(self) -> bool:
        return bool(self.inventory_setup["expected_cost_posting"])
