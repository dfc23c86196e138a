"""The application layer: commands load aggregates, call the pure rules, save atomically."""
from ledger.application.service import LedgerService

__all__ = ["LedgerService"]
