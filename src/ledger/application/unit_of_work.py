"""One atomic write: aggregates and an idempotency record in one `Application.save`, with
the read models and their entry numbers in the same transaction, retried on a lost race."""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from ledger.aggregates.idempotency import IdempotencyRecord
from ledger.application.database_errors import CONNECTION_ERRORS, is_lock_timeout, unavailable
from ledger.application.locks import NumberingLock
from ledger.application.store import Ledger, dumps
from ledger.application.store_watch import SetupMoved, StoreWatch
from ledger.errors import ErrorCode, LedgerError, busy, validation
from ledger.numbering import Allocator, LastNumbers
from ledger.projections.views import NumbersMoved, Tracked, Views

ATTEMPTS = 16
QUEUED_SECONDS = 60.0  # how long a lost race keeps this process's postings in the queue
Work = Callable[[Allocator], tuple[list[Aggregate], Any]]


@dataclass(frozen=True)
class Streamed:
    """Events made a batch at a time while a save's transaction is open, each batch
    stored and projected before the next is made: a save as large as a batch run's
    million value entries, in the memory of one batch. `batches` yields no empty batch,
    and starts afresh on each attempt of the save."""
    batches: Callable[[], Iterable[list[Any]]]


def same_values(value: Any) -> Any:
    """The input with every amount in one form, so the fingerprint compares values, not
    text: 1, 1.0 and 1.00 are one quantity."""
    if isinstance(value, dict):
        return {key: same_values(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [same_values(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


class Idempotency:
    """A mutation's key and a fingerprint of its input's values (domain.md section 7)."""

    def __init__(self, scope: str, key: str | None, request: Callable[[], Any]) -> None:
        if key is not None and not key.strip():
            raise validation("an idempotency key must not be blank: omit it, or send a "
                             "unique key per request", "idempotencyKey")
        self.scope, self.key = scope, key
        self.fingerprint = dumps(same_values(request())) if key is not None else ""
        # as fingerprints were written before they compared values: a retry across an
        # upgrade with the very same text still matches
        self.earlier_fingerprint = dumps(request()) if key is not None else ""

    def matches(self, fingerprint: str) -> bool:
        return fingerprint in (self.fingerprint, self.earlier_fingerprint)


class UnitOfWork:
    def __init__(self, ledger: Ledger, views: Views, sqlite_path: str = "",
                 lock_timeout: float = 5.0) -> None:
        self.ledger = ledger
        self.views = views
        self.lock = threading.RLock()
        self.lock_timeout = lock_timeout
        self.numbering = NumberingLock(views.db, sqlite_path, lock_timeout)
        self.queue_until = 0.0
        self.holding_numbering = False
        self.touched: list[Any] = []
        self.watch = StoreWatch(ledger, views)

    def get(self, aggregate_id: Any) -> Any | None:
        """The aggregate as stored: from the cache when nothing moved it since, else
        fast-forwarded from the store (a stale copy never decides anything).

        The cache hands out its own copy (no deep copy: an item with a long history
        would be copied on every posting), so a command that fails after an aggregate
        was changed must evict it: see `evict_touched`.
        """
        self.touched.append(aggregate_id)
        cache = self.ledger.repository.cache
        if cache is not None and aggregate_id not in self.watch.stale:
            try:
                return cache.get(aggregate_id)
            except KeyError:
                pass
        self.watch.stale.discard(aggregate_id)
        try:
            return self.ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def evict_touched(self) -> None:
        self.evict(self.touched)
        self.touched = []

    def evict(self, aggregate_ids: list[Any]) -> None:
        cache = self.ledger.repository.cache
        for aggregate_id in aggregate_ids:
            try:
                cache.get(aggregate_id, evict=True)
            except KeyError:
                pass

    def catch_up_if_behind(self, fast_forward: bool = False) -> None:
        """Another process may have written since: one cheap query to know (see
        StoreWatch.look); then this process's postings queue for a while."""
        if self.watch.look(fast_forward):
            self.contended()

    def allocator(self) -> Allocator:
        """Numbers after the last ones saved: as this process knows them, which
        `catch_up_if_behind` brought up to date (a save checks they still are)."""
        return Allocator(self.views.numbers)

    def catch_up(self) -> None:
        self.views.catch_up(self.ledger.stored_from, self.ledger.decode_for_projections)

    def remembered(self, idempotency: Idempotency | None) -> Any | None:
        """The first result of a repeated key; VALIDATION_ERROR when the input differs."""
        if idempotency is None or idempotency.key is None:
            return None
        record = self.get(IdempotencyRecord.create_id(idempotency.scope, idempotency.key))
        if record is None:
            return None
        if not idempotency.matches(record.fingerprint):
            raise validation("this idempotency key was used with other input", "idempotencyKey")
        return record.result

    def drop_broken_connections(self) -> None:
        """After a lost connection: both pools (the event store's and the read models')
        check what they hold and drop the broken, so the next try gets a fresh one."""
        datastore = getattr(self.ledger.recorder, "datastore", None)
        for pool in (getattr(self.views.db, "pool", None), getattr(datastore, "pool", None)):
            if pool is not None:
                pool.check()

    def reconnecting(self, call: Callable[..., Any], *args: Any) -> Any:
        """A read tried once more on fresh connections when its connection was lost; if
        that fails too, UNAVAILABLE (never a masked error)."""
        try:
            return call(*args)
        except CONNECTION_ERRORS as error:
            if is_lock_timeout(error):
                raise busy("the database", self.lock_timeout) from error
            self.drop_broken_connections()
        try:
            return call(*args)
        except CONNECTION_ERRORS as error:
            raise unavailable() from error

    @contextmanager
    def locked(self) -> Iterator[None]:
        """This process's writes one at a time, each wait bounded (a batch run holds the
        lock for its whole run): BUSY when the time is up."""
        if not self.lock.acquire(timeout=self.lock_timeout):
            raise busy("this server's posting lock", self.lock_timeout)
        try:
            yield
        finally:
            self.lock.release()

    @contextmanager
    def queued_while_contended(self) -> Iterator[bool]:
        """Another process writing (seen by its events, or by a race lost to it) puts
        this process's postings in the cross-process queue for a while: several servers
        then take turns instead of racing, none starves, and a lone server pays nothing.
        Yields whether the queue looked at the store as the turn came (the command's
        look, fast-forward included: it need not look again)."""
        if time.monotonic() < self.queue_until and not self.holding_numbering:
            after = self.watch.position
            with self.numbering.queued(self.watch.looks(after)) as found:
                looked, wrote = self.watch.learn_at_turn(after, found)
                if wrote:
                    self.contended()
                yield looked
        else:
            yield False

    def contended(self) -> None:
        self.queue_until = time.monotonic() + QUEUED_SECONDS

    def run(self, work: Work, idempotency: Idempotency | None = None,
            to_json: Callable[[Any], Any] = lambda result: result) -> Any:
        """Build and save; a lost race (another writer moved an aggregate on) retries
        in the cross-process queue, after a short random pause. A lock wait that runs out
        is BUSY; a lost connection is retried once (on a fresh one from the pool), then
        UNAVAILABLE."""
        reconnected = False
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 8)))
            with self.locked(), self.queued_while_contended() as looked:
                self.touched = []
                try:
                    if not looked:
                        self.catch_up_if_behind(fast_forward=True)
                    self.watch.read_position = self.watch.position
                    first = self.remembered(idempotency)
                    if first is not None:
                        return first
                    allocator = self.allocator()
                    aggregates, result = work(allocator)
                    extra: list[Aggregate] = []
                    if idempotency is not None and idempotency.key is not None:
                        extra.append(IdempotencyRecord(
                            scope=idempotency.scope, key=idempotency.key,
                            fingerprint=idempotency.fingerprint, result=to_json(result)))
                    self.save_numbered(allocator, *aggregates, *extra)
                except IntegrityError:
                    self.evict_touched()
                    self.contended()
                    continue  # reloaded, the retry sees the winner's events
                except (NumbersMoved, SetupMoved):
                    self.evict_touched()
                    self.contended()
                    self.catch_up()  # the winner's numbers (its setup: at the next attempt)
                    continue
                except CONNECTION_ERRORS as error:
                    self.evict_touched()
                    if is_lock_timeout(error):
                        raise busy("the entry numbering", self.lock_timeout) from error
                    if reconnected:
                        raise unavailable() from error
                    reconnected = True
                    self.drop_broken_connections()
                    continue
                except BaseException:
                    self.evict_touched()
                    raise
                finally:
                    self.watch.read_position = None
                return result
        raise LedgerError(ErrorCode.CONFLICT, "lost the race to another posting; retry")

    def save_projected(self, *aggregates: Aggregate | Streamed | Any,
                       numbers_from: LastNumbers | None = None, **kwargs: Any) -> None:
        """One Application.save that writes the read models in the same transaction; an
        object that is not an aggregate is an event saved as it is, and a `Streamed`'s
        events follow the others in the same transaction. With `numbers_from`, the
        events' entry numbers follow on from those (NumbersMoved otherwise)."""
        streams = [obj for obj in aggregates if isinstance(obj, Streamed)]
        saved = [obj for obj in aggregates if not isinstance(obj, Streamed)]
        events = [event for obj in saved
                  for event in (obj.pending_events if isinstance(obj, Aggregate) else [obj])]
        after: list[tuple[int, int, LastNumbers]] = []  # (first id, last id, numbers)

        def project(cursor: Any, ids: list[int], locked: Tracked | None) -> None:
            self.watch.check_setup_unmoved(cursor, ids[0])
            numbers = self.views.apply_saved(cursor, list(zip(ids, events)),
                                             self.ledger.stored_from,
                                             self.ledger.decode_for_projections,
                                             numbers_from, locked)
            last = ids[-1]
            for batch in (batch for stream in streams for batch in stream.batches()):
                more = self.ledger.insert_within(cursor, batch)
                numbers = self.views.apply_saved(cursor, list(zip(more, batch)),
                                                 self.ledger.stored_from,
                                                 self.ledger.decode_for_projections,
                                                 None, (last, numbers))
                last = more[-1]
            after.append((ids[0], last, numbers))

        if self.ledger.save(*saved, project=project, **kwargs):
            # committed: what the transaction wrote is now what this process knows
            first, last, self.views.numbers = after[-1]
            self.views.last_position = max(self.views.last_position, last)
            self.watch.saved(first, last)

    def save_numbered(self, allocator: Allocator, *aggregates: Aggregate | Any) -> None:
        """Save aggregates whose events hold numbers `allocator` handed out."""
        if self.holding_numbering:
            self.save_projected(*aggregates, numbers_from=allocator.start)
            return
        with self.numbering.shared_for_save() as kwargs:
            self.save_projected(*aggregates, numbers_from=allocator.start, **kwargs)

    @contextmanager
    def numbering_held(self) -> Iterator[None]:
        """For a batch run: the numbering is this run's until it ends."""
        with self.locked(), self.numbering.held():
            self.holding_numbering = True
            try:
                yield
            finally:
                self.holding_numbering = False

    def save(self, *aggregates: Aggregate) -> None:
        """A save without entry numbers (setup); a lost race is a CONFLICT to retry."""
        with self.locked():
            try:
                self.save_projected(*aggregates)
            except IntegrityError:
                self.evict_touched()
                raise LedgerError(ErrorCode.CONFLICT, "changed meanwhile by another request; retry")
