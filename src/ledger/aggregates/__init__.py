"""The write model: aggregates whose events are the ledger's history."""
