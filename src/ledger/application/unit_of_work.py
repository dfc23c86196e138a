"""One atomic write: aggregates, the entry-number counter and an idempotency record in
one `Application.save`, retried on a lost race, then the read models caught up."""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from ledger.aggregates.idempotency import IdempotencyRecord
from ledger.aggregates.numbering import Allocator, EntryNumbers
from ledger.application.locks import NumberingLock
from ledger.application.store import Ledger, dumps, notifications
from ledger.errors import ErrorCode, LedgerError, validation
from ledger.projections.views import Views

ATTEMPTS = 16
Work = Callable[[Allocator], tuple[list[Aggregate], Any]]


class Idempotency:
    """A mutation's key and a fingerprint of its input (domain.md section 7)."""

    def __init__(self, scope: str, key: str | None, request: Any) -> None:
        self.scope, self.key = scope, key
        self.fingerprint = dumps(request)


class UnitOfWork:
    def __init__(self, ledger: Ledger, views: Views, sqlite_path: str = "") -> None:
        self.ledger = ledger
        self.views = views
        self.lock = threading.RLock()
        self.numbering = NumberingLock(views.db, sqlite_path)
        self.holding_numbering = False

    def get(self, aggregate_id: Any) -> Any | None:
        try:
            return self.ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def numbers(self) -> EntryNumbers:
        return self.get(EntryNumbers.create_id()) or EntryNumbers()

    def catch_up(self, recordings: list[Any] = ()) -> None:
        self.views.catch_up(lambda start, limit: notifications(self.ledger, start, limit),
                            self.ledger.mapper.to_domain_event,
                            [(r.notification.id, r.domain_event) for r in recordings])

    def remembered(self, idempotency: Idempotency | None) -> Any | None:
        """The first result of a repeated key; VALIDATION_ERROR when the input differs."""
        if idempotency is None or idempotency.key is None:
            return None
        record = self.get(IdempotencyRecord.create_id(idempotency.scope, idempotency.key))
        if record is None:
            return None
        if record.fingerprint != idempotency.fingerprint:
            raise validation("this idempotency key was used with other input", "idempotencyKey")
        return record.result

    def run(self, work: Work, idempotency: Idempotency | None = None,
            to_json: Callable[[Any], Any] = lambda result: result) -> Any:
        """Build and save; a lost race (another writer moved an aggregate on) retries
        after a short random pause, so racing writers do not collide again in step."""
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 8)))
            with self.lock:
                first = self.remembered(idempotency)
                if first is not None:
                    return first
                numbers = self.numbers()
                allocator = Allocator(numbers)
                aggregates, result = work(allocator)
                allocator.commit()
                extra: list[Aggregate] = [numbers]
                if idempotency is not None and idempotency.key is not None:
                    extra.append(IdempotencyRecord(scope=idempotency.scope, key=idempotency.key,
                                                   fingerprint=idempotency.fingerprint,
                                                   result=to_json(result)))
                try:
                    recordings = self.save_numbered(*aggregates, *extra)
                except IntegrityError:
                    continue  # the cache fast-forwards, so the retry sees the winner's events
                self.catch_up(recordings)
                return result
        raise LedgerError(ErrorCode.CONFLICT, "lost the race to another posting; retry")

    def save_numbered(self, *aggregates: Aggregate) -> list[Any]:
        if self.holding_numbering:
            return self.ledger.save(*aggregates)
        with self.numbering.held(exclusive=False):
            return self.ledger.save(*aggregates)

    @contextmanager
    def numbering_held(self) -> Iterator[None]:
        """For a batch run: the numbering is this run's until it ends."""
        with self.lock, self.numbering.held(exclusive=True):
            self.holding_numbering = True
            try:
                yield
            finally:
                self.holding_numbering = False

    def save(self, *aggregates: Aggregate) -> None:
        """A save without entry numbers (setup); a lost race is a CONFLICT to retry."""
        with self.lock:
            try:
                recordings = self.ledger.save(*aggregates)
            except IntegrityError:
                raise LedgerError(ErrorCode.CONFLICT, "changed meanwhile by another request; retry")
            self.catch_up(recordings)
