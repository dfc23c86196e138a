"""The Item aggregate: one per item, the consistency boundary of inventory costing.

Its events are the item's journal lines, invoices, revaluations, cost adjustments and
the "cost posted to G/L" bookkeeping. Each event carries its whole effect (new item
ledger and value entries with their numbers, applications, posted amounts), computed
beforehand by the pure costing and posting rules, so the event methods only record:
they run again on every load and replay.

State holds entries as plain dicts keyed by the entry no. as text, because snapshots
go through JSON (whose object keys are strings).

Events are the truth and are never rewritten, so every layout an event or a snapshot
was ever stored in stays readable: eventsourcing's upcasting brings each to today's
(`class_version`, `upcast_v1_v2`), and the read models' fast decoding calls the same
`upcast_changes` (ledger.application.transcoder).
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.aggregates.ids import aggregate_id


CHANGES_VERSION = 2


def stored_decimal(value: Any) -> Decimal:
    """An amount as the domain decodes it (a Decimal) or as the read models' fast path
    leaves it (eventsourcing's tagged text)."""
    return Decimal(value["_data_"]) if isinstance(value, Mapping) else Decimal(value)


def upcast_entries(entries: Any) -> None:
    """The first layout's item ledger entries had no `revaluations`."""
    for entry in entries:
        entry.setdefault("revaluations", [])


def upcast_changes(changes: dict[str, Any]) -> None:
    """An Item event's `changes` of any earlier layout, in place, as today's.

    - The first layout's new entries had no `revaluations`.
    - Until "cost posted" events became compact, `posted` named each value entry with
      its posted amounts, `[[no, actual, expected], ...]`; posting always moved the
      actual amount up to the cost and the expected one only while expected cost
      posted, so the entry nos. and whether any expected amount was posted say the same.
    """
    upcast_entries(changes.get("entries", ()))
    posted = changes.get("posted")
    if posted and isinstance(posted[0], list):
        changes["posted"] = [no for no, _, _ in posted]
        changes["expected_posting"] = any(stored_decimal(expected) for _, _, expected in posted)


class Item(Aggregate):
    class_version = 2  # of its snapshots' state

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        upcast_entries(state.get("entries", {}).values())

    class Changed(Aggregate.Event):
        """What every Item event but the first records: one `changes` payload."""
        class_version = CHANGES_VERSION
        changes: dict[str, Any]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            upcast_changes(state["changes"])

    class JournalLinePosted(Changed):
        pass

    class Invoiced(Changed):
        pass

    class Revalued(Changed):
        pass

    class CostAdjusted(Changed):
        pass

    class CostPostedToGL(Changed):
        pass

    @staticmethod
    def create_id(no: str) -> UUID:
        return aggregate_id("item", no)

    @event("Registered")
    def __init__(self, no: str, description: str | None, costing_method: str,
                 invt_posting_group: str, gen_prod_posting_group: str, unit_cost: Decimal,
                 standard_cost: Decimal | None) -> None:
        self.no = no
        self.description = description
        self.costing_method = costing_method
        self.invt_posting_group = invt_posting_group
        self.gen_prod_posting_group = gen_prod_posting_group
        self.unit_cost = unit_cost
        self.standard_cost = standard_cost
        self.entries: dict[str, dict[str, Any]] = {}
        self.values: dict[str, dict[str, Any]] = {}
        self.adjust_needed = False

    @property
    def master(self) -> dict[str, Any]:
        return {
            "no": self.no, "description": self.description, "costing_method": self.costing_method,
            "invt_posting_group": self.invt_posting_group,
            "gen_prod_posting_group": self.gen_prod_posting_group,
            "unit_cost": self.unit_cost, "standard_cost": self.standard_cost,
        }

    # Each kind of posting is its own event type, for a readable audit trail; all of
    # them record a `changes` payload (made by ledger.costing and ledger.posting) the same way.
    @event(JournalLinePosted)
    def post_journal_line(self, changes: dict[str, Any]) -> None:
        self._record(changes)

    @event(Invoiced)
    def invoice(self, changes: dict[str, Any]) -> None:
        self._record(changes)

    @event(Revalued)
    def revalue(self, changes: dict[str, Any]) -> None:
        self._record(changes)

    @event(CostAdjusted)
    def adjust_cost(self, changes: dict[str, Any]) -> None:
        self._record(changes)

    @event(CostPostedToGL)
    def post_cost_to_gl(self, changes: dict[str, Any]) -> None:
        """The batch job appends this event without loading the item (it can be long);
        calling it on a loaded item records the same."""
        self._record(changes)

    def _record(self, changes: dict[str, Any]) -> None:
        """Entries are copied where state changes them later (a pending event's payload
        must never change with the state it built)."""
        for entry in changes.get("entries", ()):
            self.entries[str(entry["entry_no"])] = dict(
                entry, value_entry_nos=[], applications=[list(a) for a in entry["applications"]],
                revaluations=[list(r) for r in entry["revaluations"]])
        for outbound_no, inbound_no, quantity, cost in changes.get("applied", ()):
            outbound = self.entries[str(outbound_no)]
            outbound["applications"].append([inbound_no, quantity, cost])
            inbound = self.entries[str(inbound_no)]
            inbound["remaining_quantity"] -= quantity
            inbound["applied_cost"] += cost
        for outbound_no, index, cost in changes.get("application_costs", ()):
            application = self.entries[str(outbound_no)]["applications"][index]
            inbound = self.entries[str(application[0])]
            inbound["applied_cost"] += cost - application[2]
            application[2] = cost
        for entry_no, quantity in changes.get("invoiced", ()):
            self.entries[str(entry_no)]["invoiced_quantity"] += quantity
        for value in changes.get("values", ()):
            self.values[str(value["entry_no"])] = dict(value)
            self.entries[str(value["ile_no"])]["value_entry_nos"].append(value["entry_no"])
        for entry_no, posting_date, applied_count, amount in changes.get("revalued", ()):
            entry = self.entries[str(entry_no)]
            # Open from the latest of its revaluation dates, whatever order they were posted in.
            entry["revalued_on"] = max(entry.get("revalued_on") or posting_date, posting_date)
            entry["revaluations"].append([applied_count, amount])
        expected_posting = changes.get("expected_posting", False)
        for value_no in changes.get("posted", ()):
            # Posting moves a value entry's posted amounts up to its cost (the expected
            # part only while expected cost posts): the entry nos. say it all.
            value = self.values[str(value_no)]
            value["posted_actual"] = value["cost_actual"]
            if expected_posting:
                value["posted_expected"] = value["cost_expected"]
        if "adjust_needed" in changes:
            self.adjust_needed = changes["adjust_needed"]
