"""Per-request context: the service, a worker-thread runner and the DataLoaders.

eventsourcing and the read models are synchronous, so resolvers run them in a worker
thread instead of blocking the event loop.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from ledger.api.auth import Role, forbidden
from ledger.api.progress import ProgressBoard
from ledger.application import LedgerService

T = TypeVar("T")


async def in_thread(function: Callable[..., T], *args: Any) -> T:
    """`function` is a method of the service or of one of its parts, each of which holds
    the unit of work: a lost database connection is tried once more there."""
    uow = getattr(getattr(function, "__self__", None), "uow", None)
    if uow is None:
        return await asyncio.to_thread(function, *args)
    return await asyncio.to_thread(uow.reconnecting, function, *args)


def make_context(service: LedgerService, role: Role | None = Role.ADMIN,
                 runs: ProgressBoard | None = None) -> dict[str, Any]:
    async def applications_of(ile_nos: list[int]) -> list[list[dict[str, Any]]]:
        found = await in_thread(service.reads.applications_of_entries, list(ile_nos))
        return [found[no] for no in ile_nos]

    async def value_entries_of(ile_nos: list[int]) -> list[list[dict[str, Any]]]:
        found = await in_thread(service.reads.value_entries_of_entries, list(ile_nos))
        return [found[no] for no in ile_nos]

    async def gl_entries_of(ve_nos: list[int]) -> list[list[dict[str, Any]]]:
        found = await in_thread(service.reads.gl_entries_of_value_entries, list(ve_nos))
        return [found[no] for no in ve_nos]

    return {"service": service, "role": role, "runs": runs or ProgressBoard(),
            "value_entries_of": DataLoader(load_fn=value_entries_of),
            "applications_of": DataLoader(load_fn=applications_of),
            "gl_entries_of": DataLoader(load_fn=gl_entries_of)}


def service(info: Info, role: Role = Role.VIEWER) -> LedgerService:
    """The service, for a caller with at least `role`: queries need a valid token when
    auth is on, and a few (verifyProjections) the admin role."""
    if (info.context.get("role") or 0) < role:
        raise forbidden()
    return info.context["service"]
