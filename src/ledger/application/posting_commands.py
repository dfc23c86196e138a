"""Inventory transactions: journal lines, invoices, revaluations and Adjust Cost, checked
in the order of domain.md section 7 and saved atomically with their G/L entries."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from ledger.aggregates.item import Item
from ledger.aggregates.payloads import Changes
from ledger.numbering import Allocator
from ledger.application import validation as check
from ledger.application.rows import posting_result, values_as_posted
from ledger.application.setup_commands import SetupCommands
from ledger.application.unit_of_work import Idempotency, UnitOfWork
from ledger.costing.adjustment import adjust
from ledger.costing.invoicing import check_invoice, invoice
from ledger.costing.journal import JournalLine, check_line_against_item, check_line_shape, post_line
from ledger.costing.revaluation import check_revaluation, revalue
from ledger.costing.state import Entry, ItemState
from ledger.errors import not_found, validation
from ledger.posting.automatic import post_value_entries
from ledger.posting.checks import default_dimension_errors, dimension_value_errors, posting_date_error
from ledger.posting.setup import PostingSetup
from ledger.projections import queries

Result = dict[str, Any]
Event = Callable[..., None]


def allowed_period(setup: PostingSetup) -> tuple[str | None, str | None]:
    return setup.gl_setup.get("allow_posting_from"), setup.gl_setup.get("allow_posting_to")


def has_effect(changes: Changes, item: Item) -> bool:
    return bool(changes.get("values") or changes.get("application_costs")
                or changes.get("posted") or item.adjust_needed or item.dirty or item.adjust_from)


class PostingCommands:
    def __init__(self, uow: UnitOfWork, setup: SetupCommands) -> None:
        self.uow = uow
        self.setup = setup

    # ---------------------------------------------------------------- references

    def item(self, no: str, field: str = "itemNo") -> Item:
        item = self.uow.get(Item.create_id(no))
        if item is None:
            raise not_found(f"item {no} does not exist", field)
        return item

    def item_of_entry(self, entry_no: int, field: str) -> Item | None:
        """The item an item ledger entry belongs to; None when no such entry exists."""
        for attempt in range(2):
            with self.uow.views.db.read() as cursor:
                cursor.execute("SELECT item_no FROM ledger_ile WHERE entry_no = ?", (entry_no,))
                row = cursor.fetchone()
            if row:
                return self.item(row["item_no"], field)
            if not attempt:
                self.uow.catch_up()  # another process may have posted it just now
        return None

    def entry_item(self, entry_no: int, field: str = "itemLedgerEntryNo") -> tuple[Item, Entry]:
        """The item of an entry, and the entry: live in the item, or closed (settled
        entries leave the item's state; the read models keep them)."""
        item = self.item_of_entry(entry_no, field)
        if item is None:
            raise not_found(f"item ledger entry {entry_no} does not exist", field)
        return item, self.live_or_closed(item, entry_no)

    def live_or_closed(self, item: Item, entry_no: int) -> Entry:
        live = item.entries.get(str(entry_no))
        if live is not None:
            return live
        with self.uow.views.db.read() as cursor:
            return queries.item_ledger_entries_by_no(cursor, [entry_no])[entry_no]

    def applies_to(self, item: Item, entry_no: int | None) -> Entry | None:
        """An unknown entry is NOT_FOUND; another item's entry a VALIDATION_ERROR."""
        if entry_no is None or str(entry_no) in item.entries:
            return item.entries.get(str(entry_no))
        owner = self.item_of_entry(entry_no, "appliesToEntry")
        if owner is None:
            raise not_found(f"item ledger entry {entry_no} does not exist", "appliesToEntry")
        if owner.no != item.no:
            raise validation(f"item ledger entry {entry_no} is of item {owner.no}", "appliesToEntry")
        return self.live_or_closed(item, entry_no)

    def settled_since(self, item: ItemState, posting_date: str) -> list[Entry]:
        """AVERAGE's Adjust Cost reads the settled entries it revisits from the read
        models, which hold every save of the item's state it decides on: an entry
        leaves the state only after the step that settled it was saved."""
        live = {int(no) for no in item.entries}
        with self.uow.views.db.read() as cursor:
            return queries.settled_since(cursor, item.no, posting_date, live)

    def check_dimensions_and_date(self, item: Item, dimensions: dict[str, str],
                                  posting_date: str, setup: PostingSetup) -> None:
        errors = dimension_value_errors(dimensions, setup) \
            + default_dimension_errors("ITEM", item.no, dimensions, setup)
        if errors:
            raise errors[0]
        error = posting_date_error(posting_date, setup)
        if error:
            raise error

    # ---------------------------------------------------------------- one posting, to the end

    def book(self, item: Item, event: Event, changes: Changes, setup: PostingSetup,
               numbers: Allocator, source_code: str, own_entries: list[int]) -> Result:
        """Record a posting's own changes; with ALWAYS, its item's adjustment follows in the
        same step; with automatic cost posting, both reach the G/L in one register."""
        automatic = setup.inventory_setup["automatic_cost_posting"]
        if setup.inventory_setup["automatic_cost_adjustment"] != "ALWAYS":
            if automatic:
                changes.update(post_value_entries(changes["values"], setup, numbers, source_code))
            event(changes=changes)
            return posting_result(item, [changes], own_entries)
        event(changes=changes)
        adjustment = adjust(item, numbers, *allowed_period(setup), self.settled_since)
        if automatic:
            own = [dict(value) for value in changes.get("values", ())]
            adjustment.update(post_value_entries(own + adjustment.get("values", []), setup,
                                                 numbers, source_code))
            adjustment["posted"] = [value["entry_no"] for value in own]
            adjustment["expected_posting"] = setup.expected_cost_posting
        if has_effect(adjustment, item):
            item.adjust_cost(changes=adjustment)
        return posting_result(item, [changes, adjustment], own_entries)

    # ---------------------------------------------------------------- journal lines

    def post_item_journal_line(self, line: JournalLine, idempotency_key: str | None) -> Result:
        def work(numbers: Allocator) -> tuple[list[Any], Result]:
            check_line_shape(line)
            check.quantity(line.quantity)
            check.unit_amount(line.unit_cost, "unitCost")
            check.unit_amount(line.unit_price, "unitPrice")
            check.product_below(line.quantity, line.unit_cost, "unitCost")
            check.product_below(line.quantity, line.unit_price, "unitPrice")
            check.required(line.document_no, "documentNo")
            item = self.item(line.item_no)
            check.product_below(line.quantity, item.standard_cost or item.unit_cost, "quantity")
            check_line_against_item(line, item)
            self.setup.require_location(line.location_code, "locationCode")
            if line.new_location_code:
                self.setup.require_location(line.new_location_code, "newLocationCode")
            applies_to = self.applies_to(item, line.applies_to)
            setup = self.setup.posting_setup()
            self.check_dimensions_and_date(item, line.dimensions, line.posting_date, setup)
            changes = post_line(item, line, numbers, applies_to)
            own = [entry["entry_no"] for entry in changes["entries"]]
            return [item], self.book(item, item.post_journal_line, changes, setup, numbers,
                                       "ITEMJNL", own)

        return self.uow.run(work, Idempotency("postItemJournalLine", idempotency_key,
                                              lambda: asdict(line)))

    # ---------------------------------------------------------------- invoices

    def invoice_item_ledger_entry(self, entry_no: int, posting_date: str, document_no: str,
                                  quantity: Decimal, unit_cost: Decimal | None,
                                  unit_price: Decimal | None, idempotency_key: str | None) -> Result:
        request = {"entry_no": entry_no, "posting_date": posting_date, "document_no": document_no,
                   "quantity": quantity, "unit_cost": unit_cost, "unit_price": unit_price}

        def work(numbers: Allocator) -> tuple[list[Any], Result]:
            check.quantity(quantity)
            check.unit_amount(unit_cost, "unitCost")
            check.unit_amount(unit_price, "unitPrice")
            check.product_below(quantity, unit_cost, "unitCost")
            check.product_below(quantity, unit_price, "unitPrice")
            check.required(document_no, "documentNo")
            item, ile = self.entry_item(entry_no)
            check_invoice(ile, quantity, unit_cost, unit_price)
            setup = self.setup.posting_setup()
            self.check_dimensions_and_date(item, ile["dimensions"], posting_date, setup)
            changes = invoice(item, entry_no, quantity, posting_date, document_no, unit_cost,
                              unit_price, numbers)
            source = "PURCHASES" if ile["quantity"] > 0 else "SALES"
            return [item], self.book(item, item.invoice, changes, setup, numbers, source,
                                       [entry_no])

        return self.uow.run(work, Idempotency("invoiceItemLedgerEntry", idempotency_key,
                                              lambda: request))

    # ---------------------------------------------------------------- revaluation

    def revalue_item_ledger_entry(self, entry_no: int, posting_date: str, document_no: str,
                                  new_unit_cost: Decimal, idempotency_key: str | None) -> Result:
        request = {"entry_no": entry_no, "posting_date": posting_date, "document_no": document_no,
                   "new_unit_cost": new_unit_cost}

        def work(numbers: Allocator) -> tuple[list[Any], Result]:
            check.unit_amount(new_unit_cost, "newUnitCost")
            check.required(document_no, "documentNo")
            item, ile = self.entry_item(entry_no)
            check.product_below(ile["remaining_quantity"], new_unit_cost, "newUnitCost")
            check_revaluation(item, ile, posting_date)
            setup = self.setup.posting_setup()
            self.check_dimensions_and_date(item, ile["dimensions"], posting_date, setup)
            changes = revalue(item, entry_no, posting_date, document_no, new_unit_cost, numbers)
            return [item], self.book(item, item.revalue, changes, setup, numbers, "REVALJNL",
                                       [entry_no])

        return self.uow.run(work, Idempotency("revalueItemLedgerEntry", idempotency_key,
                                              lambda: request))

    # ---------------------------------------------------------------- Adjust Cost - Item Entries

    def adjust_cost_item_entries(self, item_nos: list[str] | None,
                                 progress: Callable[[int, int], None] | None = None) -> Result:
        """Every item whose cost may have changed (or the ones named), adjusted in one
        atomic step; with automatic cost posting, posted in one register (INVTADJMT).
        `progress(done, total)` is told after each item."""
        for no in item_nos or ():
            self.item(no, "itemNos")
        self.uow.catch_up_if_behind()
        if item_nos is None:
            with self.uow.views.db.read() as cursor:
                item_nos = queries.items_needing_adjustment(cursor)

        def work(numbers: Allocator) -> tuple[list[Any], Result]:
            setup = self.setup.posting_setup()
            touched: list[tuple[Item, Changes]] = []
            candidates = sorted(set(item_nos))
            for done, no in enumerate(candidates, 1):
                item = self.item(no, "itemNos")
                changes = adjust(item, numbers, *allowed_period(setup), self.settled_since)
                if has_effect(changes, item):
                    touched.append((item, changes))
                if progress:
                    progress(done, len(candidates))
            values = [value for _, changes in touched for value in changes.get("values", ())]
            posting = {}
            if setup.inventory_setup["automatic_cost_posting"]:
                posting = post_value_entries(values, setup, numbers, "INVTADJMT")
            for item, changes in touched:
                own = {v["entry_no"] for v in changes.get("values", ())}
                entries = [g for g in posting.get("gl_entries", ())
                           if set(g["value_entry_nos"]) & own]
                if entries:
                    changes.update(gl_entries=entries, register=posting["register"])
                item.adjust_cost(changes=changes)
            return [item for item, _ in touched], {
                "adjusted_item_nos": sorted(item.no for item, changes in touched
                                            if changes.get("values")),
                "value_entries": values_as_posted([changes for _, changes in touched]),
                "gl_entries": [dict(g) for g in posting.get("gl_entries", ())]}

        return self.uow.run(work)
