"""ledger: inventory cost posted to the general ledger, event-sourced."""
