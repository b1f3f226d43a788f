"""The call registry (python_client/src/buildtracker/registry.json) against the
database it describes and the Python surfaces built on it.

- generated from pg_proc, the committed file equals what the deployed schema
  says (a function added, removed or changed in SQL fails here until
  ``make registry`` is run and the diff read);
- every registry function has a sync and an async client method under its own
  name, with the SQL function's parameters, and a docstring (from the SQL
  comment where the builder has none);
- no client method is outside the registry: reads and writes all go through
  SQL functions, none is a SELECT written in Python.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import psycopg
import pytest
from buildtracker import AsyncClient, Client, registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "python_client" / "src" / "buildtracker" / "registry.json"

# Python names that stand for a SQL parameter of another name: none; the client
# takes the SQL function's own parameter names.
PYTHON_NAME: dict[str, str] = {}

# Client-side helpers that are not SQL functions.
NOT_SQL = {"run", "close", "connect"}


def public_methods(cls: type) -> dict[str, object]:
    """Public attributes of the class and its bases (the generated method tables)."""
    members: dict[str, object] = {}
    for klass in reversed(cls.__mro__[:-1]):
        members.update(vars(klass))
    return {
        name: member
        for name, member in members.items()
        if not name.startswith("_") and name not in NOT_SQL
    }


def test_registry_matches_the_database(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        generated = registry.dumps(registry.generate(conn))
    assert REGISTRY.read_text() == generated, (
        "registry.json differs from the deployed schema: run `make registry` and read the diff"
    )


def test_registry_is_complete_and_well_formed() -> None:
    functions = registry.functions()
    assert {"start_task", "get_task", "resolve_id", "list_tasks"} <= set(functions)
    for function in functions.values():
        assert function.kind in ("read", "write", "admin")
        assert function.description, f"claude.{function.name} has no COMMENT ON FUNCTION"
        assert re.fullmatch(r"[a-z_]+", function.name)
        if function.kind == "write":
            assert function.returns == "jsonb" or function.name == "log_activity", function
    # writes take an actor, reads do not
    assert all(
        "actor" in f.parameter_names
        for f in functions.values()
        if f.kind == "write" and f.name not in {"log_activity"}
    )


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=["sync", "async"])
def test_every_registry_function_is_a_client_method_with_its_parameters(cls: type) -> None:
    methods = public_methods(cls)
    missing, wrong = [], {}
    for function in registry.functions().values():
        method = methods.get(function.name)
        if method is None:
            missing.append(function.name)
            continue
        builder = method.builder  # type: ignore[attr-defined]
        python = [
            p.name
            for p in inspect.signature(builder).parameters.values()
            if p.kind is not inspect.Parameter.VAR_KEYWORD
        ]
        expected = [PYTHON_NAME.get(p.name, p.name) for p in function.parameters]
        if python != expected:  # the SQL order and spelling
            wrong[function.name] = (python, expected)
        required_sql = {PYTHON_NAME.get(p.name, p.name) for p in function.parameters if p.required}
        required_python = {
            p.name
            for p in inspect.signature(builder).parameters.values()
            if p.default is inspect.Parameter.empty
        }
        assert required_python == required_sql, function.name
    assert missing == [], f"SQL functions without a {cls.__name__} method"
    assert wrong == {}, "client methods whose parameters differ from the SQL function's"


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=["sync", "async"])
def test_no_client_method_is_outside_the_registry(cls: type) -> None:
    outside = sorted(set(public_methods(cls)) - set(registry.functions()))
    assert outside == [], "client methods that are not SQL functions of the registry"


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=["sync", "async"])
def test_every_client_method_has_a_docstring(cls: type) -> None:
    undocumented = [name for name, m in public_methods(cls).items() if not m.__doc__]
    assert undocumented == []
    assert cls.get_task.__doc__ == registry.description("get_task")
