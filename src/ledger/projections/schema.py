"""The read-model tables. Amounts are integer hundredths and quantities integer
hundred-thousandths (ledger.amounts), so SQL sums are exact on both databases.

`{key}` is the entry-number key's type: SQLite makes only an `INTEGER PRIMARY KEY` the
rowid (any other spelling adds an index every insert writes), PostgreSQL wants BIGINT.
Tables keyed by several columns are WITHOUT ROWID on SQLite for the same reason.

The tracking row also holds the highest entry numbers the events applied so far hold:
the next posting's numbers start from there (ledger.numbering)."""
from __future__ import annotations

TABLES: dict[str, str] = {
    "ledger_tracking": "id INTEGER PRIMARY KEY, position BIGINT NOT NULL, "
                       "last_ile BIGINT NOT NULL, last_ve BIGINT NOT NULL, "
                       "last_gl BIGINT NOT NULL, last_transaction BIGINT NOT NULL, "
                       "last_register BIGINT NOT NULL",
    "ledger_setup": "id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, "
                    "PRIMARY KEY (kind, key)",
    "ledger_item": "no TEXT PRIMARY KEY, state TEXT NOT NULL, adjust_needed INTEGER NOT NULL, "
                   "version BIGINT NOT NULL",
    "ledger_ile": "entry_no {key} PRIMARY KEY, item_no TEXT NOT NULL, entry_type TEXT NOT NULL, "
                  "posting_date TEXT NOT NULL, document_no TEXT NOT NULL, "
                  "location_code TEXT NOT NULL, quantity BIGINT NOT NULL, "
                  "remaining_quantity BIGINT NOT NULL, invoiced_quantity BIGINT NOT NULL, "
                  "cost_actual BIGINT NOT NULL, cost_expected BIGINT NOT NULL, "
                  "sales_actual BIGINT NOT NULL, dimensions TEXT NOT NULL, position BIGINT NOT NULL",
    "ledger_ve": "entry_no {key} PRIMARY KEY, item_no TEXT NOT NULL, ile_no BIGINT NOT NULL, "
                 "ile_type TEXT NOT NULL, entry_type TEXT NOT NULL, posting_date TEXT NOT NULL, "
                 "document_no TEXT NOT NULL, description TEXT NOT NULL, "
                 "location_code TEXT NOT NULL, invt_posting_group TEXT NOT NULL, "
                 "gen_bus_posting_group TEXT NOT NULL, gen_prod_posting_group TEXT NOT NULL, "
                 "ile_quantity BIGINT NOT NULL, invoiced_quantity BIGINT NOT NULL, "
                 "valued_quantity BIGINT NOT NULL, cost_per_unit TEXT NOT NULL, "
                 "cost_actual BIGINT NOT NULL, cost_expected BIGINT NOT NULL, "
                 "sales_actual BIGINT NOT NULL, posted_actual BIGINT NOT NULL, "
                 "posted_expected BIGINT NOT NULL, expected_cost INTEGER NOT NULL, "
                 "adjustment INTEGER NOT NULL, applies_to BIGINT, dimensions TEXT NOT NULL, "
                 "position BIGINT NOT NULL",
    "ledger_unposted": "ve_no {key} PRIMARY KEY, item_no TEXT NOT NULL, "
                       "posting_date TEXT NOT NULL, actual BIGINT NOT NULL, "
                       "expected BIGINT NOT NULL",
    "ledger_gl_entry": "entry_no {key} PRIMARY KEY, transaction_no BIGINT NOT NULL, "
                       "gl_account_no TEXT NOT NULL, posting_date TEXT NOT NULL, "
                       "document_no TEXT NOT NULL, description TEXT NOT NULL, "
                       "amount BIGINT NOT NULL, source_code TEXT NOT NULL, "
                       "dimensions TEXT NOT NULL, register_no BIGINT NOT NULL, "
                       "position BIGINT NOT NULL",
    "ledger_gl_day": "gl_account_no TEXT NOT NULL, posting_date TEXT NOT NULL, "
                     "debit BIGINT NOT NULL, credit BIGINT NOT NULL, "
                     "PRIMARY KEY (gl_account_no, posting_date)",
    "ledger_gl_relation": "ve_no BIGINT NOT NULL, gl_entry_no BIGINT NOT NULL, "
                          "PRIMARY KEY (ve_no, gl_entry_no)",
    "ledger_gl_register": "no {key} PRIMARY KEY, from_entry_no BIGINT NOT NULL, "
                          "to_entry_no BIGINT NOT NULL, source_code TEXT NOT NULL, "
                          "created_at TEXT NOT NULL, position BIGINT NOT NULL",
    # Which inbound entry fed which outbound entry, how much, at what cost (Navigate):
    # the `idx`-th application of the outbound, its cost as Adjust Cost left it.
    "ledger_application": "outbound_no BIGINT NOT NULL, idx INTEGER NOT NULL, "
                          "inbound_no BIGINT NOT NULL, quantity BIGINT NOT NULL, "
                          "cost BIGINT NOT NULL, PRIMARY KEY (outbound_no, idx)",
}

INDEXES: dict[str, str] = {
    "ledger_ile_item": "ledger_ile (item_no, entry_no)",
    "ledger_ile_item_day": "ledger_ile (item_no, posting_date)",
    "ledger_ve_item": "ledger_ve (item_no, entry_no)",
    "ledger_ve_ile": "ledger_ve (ile_no)",
    "ledger_unposted_item": "ledger_unposted (item_no, ve_no)",
    "ledger_gl_account": "ledger_gl_entry (gl_account_no, posting_date)",
    "ledger_gl_relation_entry": "ledger_gl_relation (gl_entry_no)",
    "ledger_application_inbound": "ledger_application (inbound_no)",
}

# Primary keys, for ordered comparison of a rebuilt copy with the live tables.
KEYS: dict[str, str] = {
    "ledger_tracking": "id", "ledger_setup": "kind, key", "ledger_item": "no",
    "ledger_ile": "entry_no", "ledger_ve": "entry_no", "ledger_unposted": "ve_no",
    "ledger_gl_entry": "entry_no", "ledger_gl_day": "gl_account_no, posting_date",
    "ledger_gl_relation": "ve_no, gl_entry_no",
    "ledger_gl_register": "no", "ledger_application": "outbound_no, idx",
}


WITHOUT_ROWID = ("ledger_setup", "ledger_gl_day", "ledger_gl_relation", "ledger_application")


def table_statements(dialect: str) -> dict[str, str]:
    """Each table by name, with the statement that creates it."""
    sqlite = dialect == "sqlite"
    key = "INTEGER" if sqlite else "BIGINT"
    return {name: f"CREATE TABLE IF NOT EXISTS {name} ({columns.format(key=key)})"
            + (" WITHOUT ROWID" if sqlite and name in WITHOUT_ROWID else "")
            for name, columns in TABLES.items()}


def index_statements() -> dict[str, str]:
    """Each index by name, with the statement that creates it (the same on both)."""
    return {name: f"CREATE INDEX IF NOT EXISTS {name} ON {on}" for name, on in INDEXES.items()}


def create_statements(dialect: str) -> dict[str, str]:
    """Each table, then each index, by name."""
    return {**table_statements(dialect), **index_statements()}
