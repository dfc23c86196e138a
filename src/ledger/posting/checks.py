"""The checks of domain.md section 7 that posting rules share: dimensions and dates."""
from __future__ import annotations

from ledger.errors import ErrorCode, LedgerError
from ledger.posting.setup import PostingSetup


def dimension_error(message: str, owner: str, code: str) -> LedgerError:
    return LedgerError(ErrorCode.DIMENSION_ERROR, message, "dimensions",
                       key=(owner, code))


def dimension_value_errors(dimensions: dict[str, str], setup: PostingSetup) -> list[LedgerError]:
    """Each code and value exists and is not blocked (checked again by the batch job: a
    value blocked after the entry was posted is a dimension error then)."""
    errors = []
    for code, value in sorted(dimensions.items()):
        definition = setup.dimension(code)
        if definition is None:
            errors.append(dimension_error(f"dimension {code} does not exist", "", code))
        elif definition["blocked"]:
            errors.append(dimension_error(f"dimension {code} is blocked", "", code))
        elif value not in definition["values"]:
            errors.append(dimension_error(f"dimension {code} has no value {value}", "", code))
        elif value in definition["blocked_values"]:
            errors.append(dimension_error(f"dimension value {code} {value} is blocked", "", code))
    return errors


def default_dimension_errors(table: str, no: str, dimensions: dict[str, str],
                             setup: PostingSetup) -> list[LedgerError]:
    """CODE_MANDATORY, SAME_CODE and NO_CODE of a G/L account's or an item's defaults."""
    errors = []
    what = "G/L account" if table == "GL_ACCOUNT" else "item"
    for code, rule in sorted(setup.default_dimensions(table, no).items()):
        posting, value = rule["value_posting"], dimensions.get(code)
        if posting == "CODE_MANDATORY" and value is None:
            message = f"{what} {no} requires dimension {code}"
        elif posting == "SAME_CODE" and value != rule["dimension_value_code"]:
            message = (f"{what} {no} requires dimension {code} "
                       f"with value {rule['dimension_value_code']}, not {value}")
        elif posting == "NO_CODE" and value is not None:
            message = f"{what} {no} does not allow dimension {code}"
        else:
            continue
        errors.append(dimension_error(message, f"{table}:{no}", code))
    return errors


def posting_date_error(posting_date: str, setup: PostingSetup) -> LedgerError | None:
    allowed_from = setup.gl_setup.get("allow_posting_from")
    allowed_to = setup.gl_setup.get("allow_posting_to")
    if (allowed_from and posting_date < allowed_from) or (allowed_to and posting_date > allowed_to):
        return LedgerError(ErrorCode.POSTING_DATE_NOT_ALLOWED,
                           f"posting date {posting_date} is outside the allowed period "
                           f"{allowed_from or '...'} to {allowed_to or '...'}",
                           "postingDate", key=("posting_date",))
    return None
