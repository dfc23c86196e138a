"""The schema: the feature modules' queries and mutations merged into one."""
from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (AddValidationRules, MaskErrors, MaxAliasesLimiter,
                                   MaxTokensLimiter, ParserCache, QueryDepthLimiter,
                                   ValidationCache)
from strawberry.printer import print_schema
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from ledger.api import inputs
from ledger.api.batch import BatchMutation, BatchQuery
from ledger.api.errors import Error, UserError
from ledger.api.input_plans import use_plans
from ledger.api.inventory import InventoryMutation
from ledger.api.ledger import LedgerQuery
from ledger.api.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, IntrospectionDepthLimit
from ledger.api.scalars import SCALARS
from ledger.api.setup import SetupMutation, SetupQuery
from ledger.api.subscriptions import Subscription
from ledger.errors import LedgerError

Query = merge_types("Query", (SetupQuery, LedgerQuery, BatchQuery))
Mutation = merge_types("Mutation", (SetupMutation, InventoryMutation, BatchMutation))


def is_expected(error: Exception) -> bool:
    """Validation and argument errors are the client's to see; anything else is masked so
    no internal detail (or stack trace) leaves the server."""
    original = getattr(error, "original_error", None)
    return original is None or isinstance(original, (ValueError, GraphQLError, LedgerError))


class LedgerSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        """Only the unexpected errors (those MaskErrors hides from the client) are server
        errors, logged with their traceback for the operator. A client's mistake, a bad
        variable or an unknown field, is answered in the response and noted at INFO:
        strawberry logged each one at ERROR with a stack trace, so one front end with a
        typo filled the server's log."""
        unexpected = []
        for error in errors:
            if is_expected(error):
                StrawberryLogger.logger.info("client error: %s", error.message)
            else:
                unexpected.append(error)
        super().process_errors(unexpected, execution_context)


# The depth and alias rules, built once: the validation cache keys on the rule classes,
# and QueryDepthLimiter builds a new class for every instance.
LIMIT_RULES = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
               *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
               IntrospectionDepthLimit]

schema = LedgerSchema(
    query=Query, mutation=Mutation, subscription=Subscription, types=[Error, UserError],
    config=StrawberryConfig(scalar_map=SCALARS),
    # Front ends send the same few documents again and again: parse and validate each once.
    extensions=[lambda: MaskErrors(should_mask_error=lambda error: not is_expected(error)),
                lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
                lambda: ParserCache(maxsize=1000),
                lambda: AddValidationRules(LIMIT_RULES),
                lambda: ValidationCache(maxsize=1000)],
)


use_plans([value for value in vars(inputs).values()
           if getattr(getattr(value, "__strawberry_definition__", None), "is_input", False)])


def schema_text() -> str:
    return print_schema(schema) + "\n"
