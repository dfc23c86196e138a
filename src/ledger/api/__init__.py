"""The GraphQL API: a thin translation layer over LedgerService (no business rule here)."""
