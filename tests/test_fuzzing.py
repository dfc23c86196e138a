"""API fuzzing with schemathesis against /graphql, with the strict scalars registered:
zero server errors, every bad input a typed error or a GraphQL validation error, and
nothing stored by a refused request. Bounded in examples, in CI."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from ledger.api.app import create_app
from ledger.application import LedgerService
from ledger.errors import ErrorCode
from tests.company import base_company

# Valid and invalid text alike: the scalar must refuse what is not a Decimal or a Date.
schemathesis.graphql.scalar("Decimal", st.one_of(
    st.from_regex(r"-?\d{1,4}(\.\d{1,6})?", fullmatch=True),
    st.sampled_from(["1e3", "NaN", "", "1.", "-0", "0.000001"])).map(nodes.String))
schemathesis.graphql.scalar("Date", st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["2027-02-30", "2027-1-2", "yesterday"])).map(nodes.String))
schemathesis.graphql.scalar("DateTime", st.datetimes().map(lambda at: nodes.String(at.isoformat())))
schemathesis.graphql.scalar("JSON", st.just(nodes.String("{}")))

class BuiltOnFirstUse:
    """The fuzzed ledger, built by the first request that needs it rather than when the
    module is imported: loading the schema is an introspection query, which reads
    nothing, so collecting the tests (or deselecting them) builds no database."""

    def __init__(self) -> None:
        self._built: LedgerService | None = None

    def __getattr__(self, name: str) -> Any:
        if self._built is None:
            directory = tempfile.mkdtemp(prefix="ledger-fuzz-")
            atexit.register(shutil.rmtree, directory, True)
            self._built = LedgerService(f"sqlite:///{directory}/ledger.db")
            base_company(self._built)
        return getattr(self._built, name)


SERVICE: Any = BuiltOnFirstUse()
APP = create_app(SERVICE, tokens={})
schema = schemathesis.graphql.from_asgi("/graphql", APP)
ERROR_CODES = {code.value for code in ErrorCode}
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def stored() -> tuple[int, ...]:
    with SERVICE.views.db.read() as cursor:
        found = []
        for table in ("ledger_ile", "ledger_ve", "ledger_gl_entry", "ledger_gl_register"):
            cursor.execute(f"SELECT COUNT(*) AS n FROM {table}")
            found.append(cursor.fetchone()["n"])
    return (*found, SERVICE.ledger.recorder.max_notification_id())


def refused(body: dict[str, Any]) -> bool:
    """A GraphQL error, or a root field that answered with a typed error."""
    if body.get("errors"):
        return True
    return any(isinstance(value, dict) and value.get("code") in ERROR_CODES
               for value in (body.get("data") or {}).values())


def call_and_check(case: schemathesis.Case) -> Any:
    """Our own checks: schemathesis's defaults also fail a query the API rightly refuses
    (a made-up cursor, an unknown account), which is not what we promise."""
    before = stored()
    response = case.call()
    assert response.status_code < 500, response.text
    body = response.json()
    assert "data" in body or "errors" in body
    assert "Traceback" not in response.text and "Unexpected error" not in response.text
    if refused(body) and case.operation.definition.root_type.name == "Mutation":
        assert stored() == before, f"refused, but stored something: {case.body}"
    return response


@schema.parametrize()
@FUZZ
def test_fuzzing(case: schemathesis.Case) -> None:
    call_and_check(case)


class Stateful(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences of operations, each feeding the next with what it returned."""

    def call(self, case: schemathesis.Case, **kwargs: Any) -> Any:
        return call_and_check(case)

    def validate_response(self, response: Any, case: schemathesis.Case, *args: Any,
                          **kwargs: Any) -> None:
        return None  # checked in call()


TestStateful = Stateful.TestCase
TestStateful.settings = settings(max_examples=10, stateful_step_count=8, deadline=None,
                                 suppress_health_check=list(HealthCheck))


def test_collecting_these_tests_builds_no_database() -> None:
    import subprocess
    import sys
    from pathlib import Path
    built = subprocess.run([sys.executable, "-c", "import tests.test_fuzzing as fuzz; "
                            "print(fuzz.SERVICE._built is None)"], capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert built.stdout.strip() == "True", built.stderr[-2000:]
