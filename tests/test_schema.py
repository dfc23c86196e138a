"""schema.graphql is the code's schema, and it keeps every promise of the contract."""
from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType,
                     GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLUnionType,
                     build_schema)

from ledger.api.schema import schema, schema_text
from tests.conftest import SHARED

CONTRACT = build_schema((SHARED / "spec" / "api-contract.graphql").read_text())
EXPORTED = Path(__file__).resolve().parents[1] / "schema.graphql"
OURS: GraphQLSchema = schema._schema


def test_schema_graphql_is_what_the_code_exports() -> None:
    assert EXPORTED.read_text() == schema_text(), "run `make schema` and commit schema.graphql"


KINDS = (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType, GraphQLEnumType,
         GraphQLUnionType, GraphQLScalarType)


def kind(graphql_type: object) -> type:
    return next(k for k in KINDS if isinstance(graphql_type, k))


def contract_types() -> list[str]:
    return sorted(name for name in CONTRACT.type_map if not name.startswith("__"))


@pytest.mark.parametrize("name", contract_types())
def test_the_code_keeps_the_contract(name: str) -> None:
    promised, ours = CONTRACT.type_map[name], OURS.type_map.get(name)
    assert ours is not None, f"type {name} is missing"
    assert kind(ours) is kind(promised), f"{name} is a {kind(ours).__name__}"
    if isinstance(promised, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
        for field_name, field in promised.fields.items():
            assert field_name in ours.fields, f"{name}.{field_name} is missing"
            assert str(ours.fields[field_name].type) == str(field.type), f"{name}.{field_name}"
            for arg_name, arg in getattr(field, "args", {}).items():
                our_args = ours.fields[field_name].args
                assert arg_name in our_args, f"{name}.{field_name}({arg_name}) is missing"
                assert str(our_args[arg_name].type) == str(arg.type), f"{name}.{field_name}({arg_name})"
    if isinstance(promised, GraphQLEnumType):
        assert set(promised.values) <= set(ours.values), f"{name} values"
    if isinstance(promised, GraphQLUnionType):
        assert {t.name for t in promised.types} <= {t.name for t in ours.types}, f"{name} members"
    if isinstance(promised, (GraphQLObjectType, GraphQLInterfaceType)):
        assert {i.name for i in promised.interfaces} <= {i.name for i in ours.interfaces}
