"""The demo company: loaded through the public API, so it shows what a front end does.

Loading it twice is harmless: what exists already is left alone, and its postings carry
idempotency keys.
"""
from __future__ import annotations

import asyncio
import json
from importlib.resources import files
from typing import Any

from ledger.api.schema import schema
from ledger.application import LedgerService
from ledger.api.context import make_context

HARMLESS = {"ALREADY_EXISTS"}


def steps() -> list[dict[str, Any]]:
    return json.loads((files("ledger") / "demo" / "company.json").read_text())["steps"]


def load_demo(service: LedgerService) -> list[str]:
    """Run each step; returns a line per step that was refused for a reason other than
    already being there."""
    return asyncio.run(run_steps(service))


async def run_steps(service: LedgerService) -> list[str]:
    problems = []
    for step in steps():
        name = step["do"]
        input_type = name[0].upper() + name[1:]
        query = (f"mutation($input: {input_type}Input!) {{ r: {name}(input: $input) "
                 "{ __typename ... on Error { code message } } }")
        result = await schema.execute(query, {"input": step["input"]},
                                      context_value=make_context(service))
        if result.errors:
            problems.append(f"{name}: {result.errors[0].message}")
        elif result.data["r"].get("code") and result.data["r"]["code"] not in HARMLESS:
            problems.append(f"{name}: {result.data['r']['code']} {result.data['r']['message']}")
    return problems
