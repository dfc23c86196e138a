"""What a batch run is asked for and what it reports."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.amounts import ZERO
from ledger.posting.batch import EntryCheck
from ledger.posting.lines import PostingLine

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Request:
    post_method: str
    document_no: str | None = None
    item_nos: list[str] | None = None
    posting_date_to: str | None = None
    posting_date_from: str | None = None  # a chunk's second read: its lines' dates


@dataclass
class Report:
    """With keep_lines off (the CLI on a large run) lines are only totalled per account,
    so a per-entry run's memory does not grow with the number of value entries."""
    posted: bool
    post_method: str
    keep_lines: bool = True
    lines: list[PostingLine] = field(default_factory=list)
    line_count: int = 0
    # per G/L account: (debit, credit), never netted, as the batch job never nets lines
    account_totals: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    value_entry_count: int = 0
    skipped: list[EntryCheck] = field(default_factory=list)
    warnings: list[EntryCheck] = field(default_factory=list)
    register: dict[str, Any] | None = None

    def note(self, check: EntryCheck) -> None:
        if check.skipped:
            self.skipped.append(check)
        else:
            self.value_entry_count += 1
            if check.warned:
                self.warnings.append(check)

    def note_all(self, checks: list[EntryCheck], progress: Progress | None) -> None:
        for check in checks:
            self.note(check)
        if progress:
            progress(len(checks))

    def note_alike(self, count: int) -> None:
        """Entries checked as one group, without an error."""
        self.value_entry_count += count

    def add_lines(self, lines: list[PostingLine]) -> None:
        self.line_count += len(lines)
        for line in lines:
            account = line.gl_account_no or ""
            debit, credit = self.account_totals.get(account, (ZERO, ZERO))
            self.account_totals[account] = (debit + max(line.amount, ZERO),
                                            credit + max(-line.amount, ZERO))
        if self.keep_lines:
            self.lines += lines


@dataclass
class TestReport:
    lines: list[EntryCheck]
    error_count: int
