"""Rebuilding every read model from the event store, on both cores when it is large.

A rebuild spends its time in Python reading, decoding and projecting each event and in
SQLite writing the rows, one after the other on one core. So a large rebuild runs in
two processes that share the events in ranges of positions: a child reads and
projects two ranges of every three against a cursor that only records its statements,
and sends them; this process projects the third range itself and executes everything,
range by range in order, in the rebuild's one transaction. Taking every third range
itself keeps the two about even (the measured splits are in docs/performance.md).

The child writes nothing and takes no lock, so a failure on either side leaves what a
failed rebuild in one process leaves: a rolled-back transaction and empty tables, which
the next start fills. A small rebuild (verifyProjections' scratch copy among them)
stays in this process: starting a child costs more than it saves there, and an
in-memory database has no second process to read it.
"""
from __future__ import annotations

import gc
import marshal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from ledger.application.store import Ledger, ledger_env
from ledger.numbering import SEQUENCES, LastNumbers, no_numbers
from ledger.projections.sql import Cursor, Database, RecordingCursor, replay
from ledger.projections.views import (BATCH, Decode, Fill, ItemVersions, Notifications,
                                      applied_here, apply_between, apply_event, rebuild)
from ledger.settings import Persistence

Progress = Callable[[int], None]
RANGE = BATCH  # positions to a range
SHARE = 3  # this process projects every SHARE-th range itself


class RebuildFailed(RuntimeError):
    """The child projecting the events stopped: the rebuild was rolled back."""


def rebuild_projections(ledger: Ledger, db: Database, where: Persistence, from_events: int,
                        progress: Progress | None = None) -> int:
    """Rebuild into `db` (its tables dropped already); returns the count of events. In
    two processes when the store holds `from_events` or more and another process can
    read it."""
    last = last_position(ledger)
    if not in_two_processes(where, last, from_events):
        return rebuild(db, applied_here(ledger.stored_from, ledger.decode_for_projections,
                                        progress))
    return rebuild(db, applied_with_child(ledger, where, last, progress))


def last_position(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0  # type: ignore[no-any-return]


def in_two_processes(where: Persistence, last: int, from_events: int) -> bool:
    """Whether a rebuild of the events up to position `last` shares them with a child."""
    in_memory = where.dialect == "sqlite" and where.sqlite_path == ":memory:"
    return not in_memory and last >= from_events


def ranges(last: int, size: int) -> Iterator[tuple[bool, int, int]]:
    """(whether this process projects it, first, last position) of each range of `size`
    positions up to `last`, in order."""
    for index, first in enumerate(range(1, last + 1, size)):
        yield index % SHARE == SHARE - 1, first, min(first + size - 1, last)


def apply_range(cursor: Cursor, first: int, last: int, numbers: LastNumbers,
                notifications: Notifications, decode: Decode) -> int:
    """Every stored event from position `first` to `last`, the items' rows written at
    the end; returns how many there were."""
    versions = ItemVersions()
    count = apply_between(cursor, first, last, numbers, versions, notifications, decode,
                          apply_event)
    versions.write(cursor)
    return count


CHILD = ("import sys; from ledger.application.rebuild import project_for_parent; "
         "project_for_parent(int(sys.argv[1]))")


def applied_with_child(ledger: Ledger, where: Persistence, last: int,
                       progress: Progress | None) -> Fill:
    """A rebuild's fill up to position `last`, shared with a child (project_for_parent).
    The child is a fresh interpreter, not multiprocessing's: its spawn runs the parent's
    main script again in the child, which a script without a __main__ guard cannot
    take, and fork would copy a server's threads' locks."""
    def fill(cursor: Cursor, numbers: LastNumbers) -> tuple[int, int]:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(theirs.fileno())],
                                     pass_fds=(theirs.fileno(),))
            theirs.close()
            connection = Connection(ours.detach())
        try:
            connection.send((where, last, RANGE))
            with collector_paused():
                count = 0
                for here, first, until in ranges(last, RANGE):
                    if here:
                        events = apply_range(cursor, first, until, numbers,
                                             ledger.stored_from, ledger.decode_for_projections)
                    else:
                        statements, events = received(connection)
                        replay(cursor, statements)
                    count += events
                    if progress:
                        progress(events)
                child_numbers = received(connection)
            for sequence in SEQUENCES:
                numbers[sequence] = max(numbers[sequence], child_numbers[sequence])
            return last, count
        finally:
            connection.close()
            ended(child)
    return fill


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off while events are projected: their objects hold no
    cycles and die by reference counting, and a collection only walked the statements
    waiting to be sent or executed (5-8% of either process's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def received(connection: Connection) -> Any:
    """The child's next message: a range's (statements, count of events) or, last, the
    numbers; a failure it reports, or its end, raises."""
    try:
        message = marshal.loads(connection.recv_bytes())
    except EOFError:
        raise RebuildFailed("the process projecting the events ended without finishing") \
            from None
    if isinstance(message, str):
        raise RebuildFailed(f"projecting the events failed: {message}")
    return message


def ended(child: subprocess.Popen[bytes]) -> None:
    """The child ends by itself once its end of the socket closes."""
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def project_for_parent(descriptor: int) -> None:
    """The child: its ranges of events projected into recorded statements and sent,
    one range at a time (the socket's buffer lets it run ahead of the writer), then the
    highest entry numbers they hold; or what failed, as text. Sent by marshal, which
    the same interpreter on both ends reads, at two thirds of pickle's cost: statements
    hold only text, integers and None."""
    connection = Connection(descriptor)
    where, last, size = connection.recv()
    ledger = Ledger(env={**ledger_env(where), "CREATE_TABLE": "n"})
    recording = RecordingCursor()
    numbers = no_numbers()
    try:
        with collector_paused():
            for here, first, until in ranges(last, size):
                if not here:
                    events = apply_range(recording, first, until, numbers,
                                         ledger.stored_from, ledger.decode_for_projections)
                    connection.send_bytes(marshal.dumps((recording.take(), events)))
        connection.send_bytes(marshal.dumps(numbers))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent gave up and closed its end
    except Exception as error:  # noqa: BLE001 - every failure goes to the parent
        connection.send_bytes(marshal.dumps(f"{type(error).__name__}: {error}"))
    finally:
        connection.close()
        ledger.close()
