"""Aggregate ids derived from business keys, so a command can load by key directly."""
from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c1d0e-6a0b-4f5e-9a47-5b1b1c2b9a10")


@lru_cache(maxsize=65536)
def aggregate_id(kind: str, key: str) -> UUID:
    return uuid5(NAMESPACE, f"{kind}:{key}")
