"""Applies domain events to the read-model tables; the same code builds the live views
and the scratch copy that verifyProjections compares them with."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from ledger.aggregates.payloads import Changes, GLEntry, ItemLedgerEntry, Register, ValueEntry
from ledger.numbering import LastNumbers
from ledger.projections.codec import cents, decimal_text, dimensions_json, json_text, units
from ledger.projections.sql import Cursor

Handler = Callable[[Cursor, Any, int], None]


def setup_defined(cursor: Cursor, event: Any, position: int) -> None:
    cursor.execute("INSERT INTO ledger_setup (id, kind, key, state) VALUES (?, ?, ?, ?)",
                   (str(event.originator_id), event.kind, event.key, json_text(event.state)))


def setup_changed(cursor: Cursor, event: Any, position: int) -> None:
    cursor.execute("UPDATE ledger_setup SET state = ? WHERE id = ?",
                   (json_text(event.state), str(event.originator_id)))


def item_registered(cursor: Cursor, event: Any, position: int) -> None:
    state = {"no": event.no, "description": event.description,
             "costing_method": event.costing_method,
             "invt_posting_group": event.invt_posting_group,
             "gen_prod_posting_group": event.gen_prod_posting_group,
             "unit_cost": event.unit_cost, "standard_cost": event.standard_cost}
    cursor.execute("INSERT INTO ledger_item (no, state, adjust_needed, version) VALUES (?, ?, 0, ?)",
                   (event.no, json_text(state), event.originator_version))


def item_changed(cursor: Cursor, event: Any, position: int) -> None:
    """The item's own row (its version, whether it needs adjusting) is written once for
    a run of events: ledger.projections.views.ItemVersions."""
    apply_changes(cursor, event.changes, position)


def set_item_version(cursor: Cursor, item_no: str, version: int,
                     adjust_needed: bool | None) -> None:
    """An item's version is kept, so the batch job can append to it without loading it;
    `adjust_needed` None leaves the flag as it is."""
    if adjust_needed is None:
        cursor.execute("UPDATE ledger_item SET version = ? WHERE no = ?", (version, item_no))
    else:
        cursor.execute("UPDATE ledger_item SET version = ?, adjust_needed = ? WHERE no = ?",
                       (version, int(adjust_needed), item_no))


def batch_chunk_posted(cursor: Cursor, event: Any, position: int) -> None:
    apply_changes(cursor, event.changes, position)


def apply_changes(cursor: Cursor, changes: Changes, position: int) -> None:
    entries = changes.get("entries", ())
    value_rows = [value_entry_row(v, position) for v in changes.get("values", ())]
    if entries:
        insert_item_ledger_entries(cursor, changes["item_no"], entries, value_rows, position)
    applied = changes.get("applied", ())
    for _outbound, inbound, quantity, _cost in applied:
        cursor.execute("UPDATE ledger_ile SET remaining_quantity = remaining_quantity - ? "
                       "WHERE entry_no = ?", (units(quantity), inbound))
    if applied:
        insert_applications(cursor, applied)
    for outbound, index, cost in changes.get("application_costs", ()):
        cursor.execute("UPDATE ledger_application SET cost = ? WHERE outbound_no = ? AND idx = ?",
                       (cents(cost), outbound, index))
    for entry_no, quantity in changes.get("invoiced", ()):
        cursor.execute("UPDATE ledger_ile SET invoiced_quantity = invoiced_quantity + ? "
                       "WHERE entry_no = ?", (units(quantity), entry_no))
    if value_rows:
        insert_value_entries(cursor, value_rows, {e["entry_no"] for e in entries})
    posted = changes.get("posted", ())
    if posted:
        post_value_entries(cursor, posted, changes.get("expected_posting", False))
    gl_entries = changes.get("gl_entries", ())
    if gl_entries:
        insert_gl_entries(cursor, gl_entries, position)
    for gl_entry_no, entry_nos in changes.get("relations", ()):
        insert_relations(cursor, ((no, gl_entry_no) for no in entry_nos))
    if changes.get("register"):
        insert_register(cursor, changes["register"], position)


def insert_applications(cursor: Cursor, applied: list[list[Any]]) -> None:
    """An outbound takes all its applications in the event that makes it, in order."""
    index: dict[Any, int] = {}
    rows = []
    for outbound, inbound, quantity, cost in applied:
        index[outbound] = index.get(outbound, -1) + 1
        rows.append((outbound, index[outbound], inbound, units(quantity), cents(cost)))
    cursor.executemany("INSERT INTO ledger_application (outbound_no, idx, inbound_no, quantity, "
                       "cost) VALUES (?, ?, ?, ?, ?)", rows)


NUMBERED = tuple((sequence, key, itemgetter(field)) for sequence, key, field in (
    ("ile", "entries", "entry_no"), ("ve", "values", "entry_no"), ("gl", "gl_entries", "entry_no"),
    ("transaction", "gl_entries", "transaction_no")))


def advance_numbers(numbers: LastNumbers, changes: Changes) -> None:
    """Raise `numbers` to the highest entry numbers a change holds."""
    for sequence, key, number in NUMBERED:
        rows = changes.get(key)
        if rows:
            numbers[sequence] = max(numbers[sequence], *map(number, rows))
    if changes.get("register"):
        numbers["register"] = max(numbers["register"], changes["register"]["no"])


def insert_item_ledger_entries(cursor: Cursor, item_no: str, entries: list[ItemLedgerEntry],
                               value_rows: list[tuple[Any, ...]], position: int) -> None:
    """New entries with the totals of their value entries made in the same event."""
    totals = {e["entry_no"]: [0, 0, 0] for e in entries}
    for row in value_rows:
        total = totals.get(row[ILE])
        if total is not None:
            total[0] += row[ACTUAL]
            total[1] += row[EXPECTED]
            total[2] += row[SALES]
    cursor.executemany(
        "INSERT INTO ledger_ile (entry_no, item_no, entry_type, posting_date, document_no, "
        "location_code, quantity, remaining_quantity, invoiced_quantity, cost_actual, "
        "cost_expected, sales_actual, dimensions, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(e["entry_no"], item_no, e["entry_type"], e["posting_date"], e["document_no"],
          e["location_code"], units(e["quantity"]), units(e["remaining_quantity"]),
          units(e["invoiced_quantity"]), *totals[e["entry_no"]], dimensions_json(e["dimensions"]),
          position) for e in entries])


VALUE_ENTRY_COLUMNS = (
    "entry_no", "item_no", "ile_no", "ile_type", "entry_type", "posting_date", "document_no",
    "description", "location_code", "invt_posting_group", "gen_bus_posting_group",
    "gen_prod_posting_group", "ile_quantity", "invoiced_quantity", "valued_quantity",
    "cost_per_unit", "cost_actual", "cost_expected", "sales_actual", "posted_actual",
    "posted_expected", "expected_cost", "adjustment", "applies_to", "dimensions", "position")
INSERT_VALUE_ENTRY = (f"INSERT INTO ledger_ve ({', '.join(VALUE_ENTRY_COLUMNS)}) "
                      f"VALUES ({', '.join('?' * len(VALUE_ENTRY_COLUMNS))})")
NO, ITEM, ILE, DATE, ACTUAL, EXPECTED, SALES, POSTED_ACTUAL, POSTED_EXPECTED = map(
    VALUE_ENTRY_COLUMNS.index, ("entry_no", "item_no", "ile_no", "posting_date", "cost_actual",
                                "cost_expected", "sales_actual", "posted_actual",
                                "posted_expected"))
VALUE_ENTRY_TEXTS = itemgetter(*VALUE_ENTRY_COLUMNS[:VALUE_ENTRY_COLUMNS.index("ile_quantity")])


def value_entry_row(v: ValueEntry, position: int) -> tuple[Any, ...]:
    """A ledger_ve row in VALUE_ENTRY_COLUMNS' order, made once: the insert, the item
    ledger entry's totals and the unposted index all read their amounts from it."""
    return (*VALUE_ENTRY_TEXTS(v), units(v["ile_quantity"]), units(v["invoiced_quantity"]),
            units(v["valued_quantity"]), decimal_text(v["cost_per_unit"]), cents(v["cost_actual"]),
            cents(v["cost_expected"]), cents(v["sales_actual"]), cents(v["posted_actual"]),
            cents(v["posted_expected"]), int(v["expected_cost"]), int(v["adjustment"]),
            v["applies_to"], dimensions_json(v["dimensions"]), position)


def insert_value_entries(cursor: Cursor, rows: list[tuple[Any, ...]],
                         new_entries: set[int]) -> None:
    cursor.executemany(INSERT_VALUE_ENTRY, rows)
    for row in rows:
        if row[ILE] not in new_entries:
            cursor.execute("UPDATE ledger_ile SET cost_actual = cost_actual + ?, "
                           "cost_expected = cost_expected + ?, sales_actual = sales_actual + ? "
                           "WHERE entry_no = ?", (row[ACTUAL], row[EXPECTED], row[SALES], row[ILE]))
    unposted = [(row[NO], row[ITEM], row[DATE], row[ACTUAL] - row[POSTED_ACTUAL],
                 row[EXPECTED] - row[POSTED_EXPECTED]) for row in rows
                if row[ACTUAL] != row[POSTED_ACTUAL] or row[EXPECTED] != row[POSTED_EXPECTED]]
    if unposted:
        cursor.executemany("INSERT INTO ledger_unposted (ve_no, item_no, posting_date, actual, "
                           "expected) VALUES (?, ?, ?, ?, ?)", unposted)


def post_value_entries(cursor: Cursor, posted: list[int], expected_posting: bool) -> None:
    """Move posted amounts up to the cost and keep the unposted index (what the batch job
    reads) in step. Posting leaves nothing of the actual cost unposted, and of the
    expected cost nothing when expected cost is posted, else what was there: so the
    index row goes, or keeps only its expected part, without reading the entry back.
    A statement per run of consecutive entry numbers, not per entry: a batch run posts
    an item's entries in order, mostly in long runs, and a row changed inside a range
    costs far less than one found by its own statement."""
    expected = "cost_expected" if expected_posting else "posted_expected"
    cursor.executemany(f"UPDATE ledger_ve SET posted_actual = cost_actual, "
                       f"posted_expected = {expected} WHERE entry_no BETWEEN ? AND ?",
                       runs_of(posted))
    if expected_posting:
        cursor.executemany("DELETE FROM ledger_unposted WHERE ve_no BETWEEN ? AND ?",
                           runs_of(posted))
        return
    cursor.executemany("DELETE FROM ledger_unposted WHERE ve_no BETWEEN ? AND ? "
                       "AND expected = 0", runs_of(posted))
    cursor.executemany("UPDATE ledger_unposted SET actual = 0 WHERE ve_no BETWEEN ? AND ?",
                       runs_of(posted))


def runs_of(entry_nos: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each run of consecutive numbers, made as they are bound: a batch
    run can post a million entries in one chunk. Every number between first and last
    is in the list, so a range touches no entry the list does not name."""
    numbers = iter(entry_nos)
    first = next(numbers, None)
    if first is None:
        return
    last = first
    for no in numbers:
        if no != last + 1:
            yield first, last
            first = no
        last = no
    yield first, last


def insert_gl_entries(cursor: Cursor, entries: list[GLEntry], position: int) -> None:
    rows = [(g["entry_no"], g["transaction_no"], g["gl_account_no"], g["posting_date"],
             g["document_no"], g["description"], cents(g["amount"]), g["source_code"],
             dimensions_json(g["dimensions"]), g["register_no"], position) for g in entries]
    cursor.executemany(
        "INSERT INTO ledger_gl_entry (entry_no, transaction_no, gl_account_no, posting_date, "
        "document_no, description, amount, source_code, dimensions, register_no, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    insert_relations(cursor, ((ve_no, g["entry_no"]) for g in entries
                              for ve_no in g["value_entry_nos"]))
    days: dict[tuple[str, str], list[int]] = {}
    for _, _, account_no, posting_date, _, _, amount, *_ in rows:
        day = days.setdefault((account_no, posting_date), [0, 0])
        day[0 if amount > 0 else 1] += abs(amount)
    cursor.executemany("INSERT INTO ledger_gl_day (gl_account_no, posting_date, debit, credit) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (gl_account_no, posting_date) DO UPDATE "
                       "SET debit = ledger_gl_day.debit + excluded.debit, "
                       "credit = ledger_gl_day.credit + excluded.credit",
                       [(*key, debit, credit) for key, (debit, credit) in days.items()])


def insert_relations(cursor: Cursor, pairs: Iterable[tuple[int, int]]) -> None:
    """(value entry no., G/L entry no.) pairs: a G/L entry's own list, or a batch run's
    "entries listed" window."""
    cursor.executemany("INSERT INTO ledger_gl_relation (ve_no, gl_entry_no) VALUES (?, ?)", pairs)


def insert_register(cursor: Cursor, register: Register, position: int) -> None:
    """A batch run's register grows chunk by chunk: each chunk moves its last entry on."""
    cursor.execute("INSERT INTO ledger_gl_register (no, from_entry_no, to_entry_no, source_code, "
                   "created_at, position) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (no) "
                   "DO UPDATE SET to_entry_no = excluded.to_entry_no",
                   (register["no"], register["from_entry_no"], register["to_entry_no"],
                    register["source_code"], register["created_at"], position))
