"""Posting per posting group: the selection's lines summed by BC's key (domain.md
section 6), all with the run's document no.

The selection is read twice: once to sum the lines, then, a window at a time inside
each chunk's transaction, to list which entries each summed line covers. So a run's
memory grows with its summed lines, not with its value entries."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ledger.aggregates.item import Item
from ledger.aggregates.register import BatchRun
from ledger.application.batch_job.chunks import Run, cost_posted, moved_on, save_chunk
from ledger.application.batch_job.reports import Progress, Report, Request
from ledger.application.batch_job.selection import Selection, Span
from ledger.application.unit_of_work import Streamed, UnitOfWork
from ledger.posting.batch import Listing, Summary, list_entries
from ledger.posting.lines import PostingLine
from ledger.posting.setup import PostingSetup
from ledger.projections import queries


def post_per_posting_group(uow: UnitOfWork, selection: Selection, run: Run, report: Report,
                           setup: PostingSetup, document_no: str | None, post: bool,
                           chunk_size: int, progress: Progress | None) -> None:
    request = run.request
    summary, spans = Summary(), []
    for span, parts in selection.parts(request, setup, document_no, report, progress):
        touched = {index for part in parts for index in summary.add(part.lines)}
        spans.append(span._replace(lines=sorted(touched)))
    lines = summary.result()
    if report.keep_lines:
        list_entries(lines, (parts for _, parts in selection.parts(
            request, setup, document_no, spans=spans)))
    report.add_lines(lines)
    first = 0
    for chunk in summary.chunks(lines, chunk_size) if post else ():
        touching = [span for span in spans if span.touches(first, first + len(chunk))]
        entries_of = EntriesListed(uow, selection, chunk, touching, request, setup, document_no)
        save_chunk(uow, run, [line._replace(value_entry_nos=[]) for line in chunk], entries_of)
        first += len(chunk)


class EntriesListed:
    """What a chunk of summed lines saves beside its G/L entries: per window of the
    selection whose entries went into the chunk's lines, the register's "entries listed"
    event (the G/L relation) and the items' "cost posted" events, each window's events
    made while the chunk's transaction is open (a `Streamed`), so that a chunk of a
    million entries is saved in the memory of one window.

    Of those windows, only the entries of the lines' dates are read again (an entry's
    lines all have its date): entries mostly come in date order, and so do the summed
    lines, so a chunk rereads about its own entries, not the whole selection."""

    def __init__(self, uow: UnitOfWork, selection: Selection, lines: list[PostingLine],
                 spans: list[Span], request: Request, setup: PostingSetup,
                 document_no: str | None) -> None:
        dates = [line.posting_date for line in lines]
        self.uow, self.selection, self.lines, self.spans = uow, selection, lines, spans
        self.request = replace(request, posting_date_from=min(dates), posting_date_to=max(dates))
        self.setup, self.document_no = setup, document_no

    def __call__(self, saved: Run, entries: list[dict[str, Any]]) -> list[Any]:
        base = saved.version
        return [Streamed(lambda: self.windows(saved, base, entries))]

    def windows(self, saved: Run, base: int, entries: list[dict[str, Any]]
                ) -> Iterator[list[Any]]:
        """If the lines no longer sum to what they did, another run posted some of the
        entries meanwhile: CONFLICT, nothing saved. Starts afresh from the register's
        version `base` on every attempt of the save."""
        listing = Listing(self.lines)
        register_id = BatchRun.create_id(saved.register_no)
        expected = self.setup.expected_cost_posting
        versions: dict[str, int] = {}
        saved.version = base
        for _, parts in self.selection.parts(self.request, self.setup, self.document_no,
                                             spans=self.spans):
            related, posted = listing.window(parts)
            if not related:
                continue
            with self.uow.views.db.read() as cursor:
                versions.update(queries.item_versions(
                    cursor, sorted(no for no in posted if no not in versions)))
            saved.version += 1
            relations = [[entries[index]["entry_no"], sorted(nos)]
                         for index, nos in sorted(related.items())]
            events: list[Any] = [BatchRun.EntriesListed(
                originator_id=register_id, originator_version=saved.version,
                timestamp=BatchRun.EntriesListed.create_timestamp(),
                changes={"relations": relations})]
            for no, nos in posted.items():
                versions[no] += 1
                events.append(cost_posted(no, versions[no], sorted(nos), expected))
            self.uow.evict([Item.create_id(no) for no in posted])
            yield events
        if not listing.balanced():
            raise moved_on()
