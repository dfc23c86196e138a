"""Input values built from a plan made once per input type.

strawberry's own conversion resolves every field's type annotation on every request,
a large share of a mutation's time in strawberry. Its `from_input` hook lets a type
build its own value: this one resolves the fields once, passes scalars and enums
through as strawberry does (graphql-core has parsed them already), copies lists of
them, and leaves anything nested to strawberry, which comes back here for nested input
types.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING
from typing import Any

from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

AS_IS, LIST_AS_IS, CONVERT = range(3)
Field = tuple[str, str, Any, int]  # GraphQL name, Python name, type, how
Plan = tuple[dict[str, None], list[Field]]
PLANS: dict[type, Plan] = {}


def use_plans(types: list[type]) -> None:
    for type_ in types:
        type_.__strawberry_definition__.from_input = build  # type: ignore[attr-defined]


def build(type_: type, value: Mapping[str, Any], context: InputContext) -> Any:
    plan = PLANS.get(type_)
    if plan is None:
        plan = PLANS[type_] = plan_of(type_, context)
    defaults, fields = plan
    kwargs: dict[str, Any] = dict(defaults)
    for graphql_name, python_name, field_type, how in fields:
        if graphql_name in value:
            given = value[graphql_name]
            if how == AS_IS:
                kwargs[python_name] = given
            elif how == LIST_AS_IS:
                kwargs[python_name] = given if given is None else list(given)
            else:
                kwargs[python_name] = context.convert(given, field_type, graphql_name)
    return type_(**kwargs)


def plan_of(type_: type, context: InputContext) -> Plan:
    definition = type_.__strawberry_definition__  # type: ignore[attr-defined]
    defaults = {field.python_name: None for field in definition.fields
                if field.default_value is MISSING and field.default_factory is MISSING}
    fields = []
    for field in definition.fields:
        field_type = field.resolve_type(type_definition=definition)
        fields.append((context.config.name_converter.from_field(field), field.python_name,
                       field_type, how_to_convert(field_type, context)))
    return defaults, fields


def how_to_convert(field_type: Any, context: InputContext) -> int:
    if isinstance(field_type, StrawberryMaybe):
        return CONVERT
    if isinstance(field_type, StrawberryOptional):
        field_type = field_type.of_type
    if is_leaf(field_type, context):
        return AS_IS
    if isinstance(field_type, StrawberryList) and is_leaf(unwrapped(field_type.of_type), context):
        return LIST_AS_IS
    return CONVERT


def unwrapped(field_type: Any) -> Any:
    return field_type.of_type if isinstance(field_type, StrawberryOptional) else field_type


def is_leaf(field_type: Any, context: InputContext) -> bool:
    """What strawberry's convert_argument returns unchanged: scalars and enums."""
    return (is_scalar(field_type, context.scalar_registry)
            or isinstance(field_type, StrawberryEnumDefinition) or has_enum_definition(field_type))
