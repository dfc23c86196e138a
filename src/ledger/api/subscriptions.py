"""Live updates over graphql-transport-ws: each G/L entry and value entry as it commits.

The read models are the source: a subscription starts after the last entry committed
when it began and follows the entry numbers (gap-free, in commit order), so a client
sees every later entry once, in order, whichever process posted it.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from ledger.api.context import in_thread, service
from ledger.api.types import GLEntry, ValueEntry

POLL_SECONDS = 0.2
BATCH = 100


async def follow(info: Info, table: str, read: Callable[[int, int], list[dict[str, Any]]],
                 make: Callable[[dict[str, Any]], Any]) -> AsyncGenerator[Any, None]:
    reads = service(info).reads
    last = await in_thread(reads.last_entry_no, table)
    while True:
        await in_thread(reads.fresh)
        rows = await in_thread(read, last, BATCH)
        for row in rows:
            last = row["entry_no"]
            yield make(row)
        if len(rows) < BATCH:
            await asyncio.sleep(POLL_SECONDS)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Each G/L entry as it is committed, in entry-number "
                                         "order.")
    async def gl_entry_posted(self, info: Info) -> AsyncGenerator[GLEntry, None]:
        reads = service(info).reads
        async for entry in follow(info, "ledger_gl_entry",
                                  lambda after, first: reads.gl_entries({}, first, after)[0],
                                  GLEntry.of):
            yield entry

    @strawberry.subscription(description="Each value entry as it is committed, in entry-number "
                                         "order.")
    async def value_entry_posted(self, info: Info) -> AsyncGenerator[ValueEntry, None]:
        reads = service(info).reads
        async for entry in follow(info, "ledger_ve",
                                  lambda after, first: reads.value_entries({}, None, first, after)[0],
                                  ValueEntry.of):
            yield entry
