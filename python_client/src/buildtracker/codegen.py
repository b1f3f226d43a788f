"""Python source generated from the call registry (``registry.json``).

``make schema`` writes, from the registry alone:

- ``calls.py``: one typed call builder per SQL function (its parameters in the
  SQL order and spelling, the SQL comment as its docstring, how its answer is
  read);
- ``methods.py``: the sync and the async method tables of the clients;
- ``api/bodies.py``: the REST request body of every write (and of every read
  taking a JSON document).

What the catalog cannot say lives in the tables below, keyed by parameter
name or return type, not by function: which text parameters hold an enum
value, which SQL row type is which model. A few functions answer a JSON
document or a scalar whose Python shape the catalog does not know; they are
listed once in ``ANSWERS``. ``tests/python/test_codegen.py`` fails when a
committed file differs from what this module generates.

    python -m buildtracker.codegen --write   # or --check
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from buildtracker.registry import Function, Parameter, functions

PACKAGE = Path(__file__).resolve().parent

# SQL type -> Python annotation of a call builder's parameter.
PYTHON_TYPE = {
    "uuid": "UUID",
    "text": "str",
    "integer": "int",
    "bigint": "int",
    "numeric": "float",
    "boolean": "bool",
    "jsonb": "Mapping[str, Any]",
    "interval": "timedelta",
    "timestamp with time zone": "datetime",
}

# Text parameters holding a value of an enum (SPEC section 3), by name.
ENUM_OF_PARAMETER = {
    "feature_type": "FeatureType",
    "component_type": "ComponentType",
    "task_type": "TaskType",
    "requirement_type": "RequirementType",
    "source_type": "SourceType",
    "entity_type": "SourceType",
    "activity_type": "ActivityType",
    "severity": "Severity",
    "severities": "Severity",
    "operation": "Operation",
    "access": "Access",
    "kind": "DependencyKind",
}
# `status` / `new_status` hold the status of the function's entity.
STATUS_PARAMETERS = ("status", "new_status")
STATUS_ENUM = {
    "feature": "FeatureStatus",
    "component": "ComponentStatus",
    "task": "TaskStatus",
    "requirement": "RequirementStatus",
}

# The entity a function acts on, found in its name (first match wins).
ENTITY_WORDS = ("requirement", "component", "task", "feature", "project", "identit")
MODEL_OF_ENTITY = {
    "requirement": "Requirement",
    "component": "Component",
    "task": "BuildTask",
    "feature": "Feature",
    "project": "Project",
    "identit": "Identity",
}
# A row type of schema claude -> its model.
MODEL_OF_TABLE = {
    "claude.projects": "Project",
    "claude.identities": "Identity",
    "claude.features": "Feature",
    "claude.components": "Component",
    "claude.build_tasks": "BuildTask",
    "claude.requirements": "Requirement",
    "claude.activity_feed": "Activity",
    "claude.comments": "Comment",
}

# Required SQL parameters that may be null (null has a meaning there).
NULLABLE_REQUIRED = {"log_activity": frozenset({"source_id"})}

# Answers the catalog cannot type (a jsonb document, a TABLE of a job): how
# each is read. ("value", Model): a JSON document; ("rows", Model): rows;
# ("write_optional", Model): an envelope whose data may be null;
# ("scalar", T): one plain value; ("first_record", None): one row or None.
ANSWERS: dict[str, tuple[str, str | None]] = {
    "can_complete_feature": ("value", "GateResult"),
    "get_feature_completion": ("value", "FeatureCompletion"),
    "get_feature_with_children": ("value", "FeatureWithChildren"),
    "validate": ("value", "ValidationReport"),
    "check_stale_tasks": ("rows", "StaleTask"),
    "check_unblocked_tasks": ("rows", "UnblockedTask"),
    "check_completion_readiness": ("rows", "ReadyFeature"),
    "claim_next_task": ("write_optional", "BuildTask"),
    "run_jobs": ("scalar", "dict"),
    "create_api_token": ("scalar", "dict"),
    "seal_feed": ("scalar", "dict"),
    "validate_status_transition": ("scalar", "dict"),
    "add_dependency": ("write", "TaskDependency"),
    "remove_dependency": ("write", "TaskDependency"),
    "get_task_dependencies": ("value", "TaskDependencies"),
    "get_task_context": ("value", "TaskContext"),
    "add_comment": ("write", "Comment"),
    "import_records": ("scalar", "dict"),
    "export_records": ("texts", None),
    "search": ("rows", "SearchHit"),
    "authenticate_api_token": ("first_record", None),
}
SCALAR_OF_SQL = {
    "uuid": "UUID",
    "boolean": "bool",
    "bigint": "int",
    "integer": "int",
    "text": "str",
}
CONVERTER = {
    "UUID": "kit.as_uuid",
    "bool": "bool",
    "int": "int",
    "dict": "kit.as_dict",
    "str": "str",
}
SCALAR_TYPE = {"UUID": "UUID", "bool": "bool", "int": "int", "dict": "dict[str, Any]", "str": "str"}

# REST: a parameter the API fills in for the caller when it is left out
# (the token's identity claims, and keeps its lease).
REST_OPTIONAL = {
    "claim_next_task": frozenset({"identity_id"}),
    "heartbeat_task": frozenset({"identity_id"}),
}

GENERATED = (
    "# Generated by `make schema` (python -m buildtracker.codegen) from registry.json: do not edit."
)


class NoRule(Exception):
    """A function whose answer or parameter type no rule covers: add one here."""


def entity(function: Function) -> str | None:
    for word in ENTITY_WORDS:
        if word in function.name:
            return word
    return None


def enum_of(function: Function, parameter: Parameter) -> str | None:
    if parameter.name in STATUS_PARAMETERS:
        word = entity(function)
        if word not in STATUS_ENUM:
            raise NoRule(f"{function.name}.{parameter.name}: a status of which entity?")
        return STATUS_ENUM[word]
    return ENUM_OF_PARAMETER.get(parameter.name)


# jsonb parameters holding a JSON array of objects (import_records' lines),
# sent as one JSON value: a Python list would otherwise become jsonb[]
JSON_LIST_PARAMETERS = frozenset({"records"})


def python_type(function: Function, parameter: Parameter) -> str:
    if parameter.name in JSON_LIST_PARAMETERS and parameter.type == "jsonb":
        return "Sequence[Mapping[str, Any]]"
    base_sql = parameter.type.removesuffix("[]")
    enum = enum_of(function, parameter)
    if enum:
        base = f"{enum} | str"
    elif base_sql in PYTHON_TYPE:
        base = PYTHON_TYPE[base_sql]
    else:
        raise NoRule(f"{function.name}.{parameter.name}: SQL type {parameter.type}")
    if parameter.type.endswith("[]"):
        base = f"Sequence[{base}]"
    return base


def nullable_required(function: Function, parameter: Parameter) -> bool:
    return parameter.name in NULLABLE_REQUIRED.get(function.name, frozenset())


def answer(function: Function) -> tuple[str, str, str]:
    """(reader, its model or converter argument, the builder's return annotation)."""
    if function.name in ANSWERS:
        reader, what = ANSWERS[function.name]
    elif function.returns.startswith("SETOF claude."):
        reader, what = "rows", MODEL_OF_TABLE[function.returns.removeprefix("SETOF ")]
    elif function.returns in MODEL_OF_TABLE:
        reader, what = "one", MODEL_OF_TABLE[function.returns]
    elif function.returns.startswith("TABLE("):
        reader, what = "records", None
    elif function.returns in SCALAR_OF_SQL:
        reader, what = "scalar", SCALAR_OF_SQL[function.returns]
    elif function.returns == "jsonb" and function.kind == "write" and entity(function):
        reader, what = "write", MODEL_OF_ENTITY[entity(function) or ""]
    else:
        raise NoRule(f"{function.name} returns {function.returns}: add it to ANSWERS")
    annotation = {
        "write": f"Result[{what}]",
        "write_optional": f"Result[{what} | None]",
        "one": f"{what}",
        "value": f"{what}",
        "rows": f"list[{what}]",
        "records": "list[dict[str, Any]]",
        "texts": "list[str]",
        "first_record": "dict[str, Any] | None",
        "scalar": SCALAR_TYPE.get(what or "", ""),
    }[reader]
    return reader, what or "", f"Call[{annotation}]"


def docstring(text: str, indent: str) -> list[str]:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    lines = textwrap.wrap(text, width=96 - len(indent), break_long_words=False)
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= 100:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" for line in lines[1:]), f'{indent}"""']


def builder_source(function: Function) -> list[str]:
    reader, what, returns = answer(function)
    signature = []
    for p in function.parameters:
        annotation = python_type(function, p)
        if p.required and nullable_required(function, p):
            signature.append(f"    {p.name}: {annotation} | None,")
        elif p.required:
            signature.append(f"    {p.name}: {annotation},")
        else:
            signature.append(f"    {p.name}: {annotation} | None = None,")
    if signature:
        head = [f"def {function.name}(", *signature, f") -> {returns}:"]
    else:
        head = [f"def {function.name}() -> {returns}:"]
    args = [
        f'            "{p.name}": kit.json_list({p.name}),'
        if p.name in JSON_LIST_PARAMETERS and p.type == "jsonb"
        else f'            "{p.name}": {p.name},'
        for p in function.parameters
    ]
    arguments = ["        {", *args, "        },"] if args else ["        {},"]
    if reader == "scalar":
        lead = [f"        {CONVERTER[what]},"]
    elif reader in ("records", "first_record", "texts"):
        lead = []
    elif reader == "value":
        lead = [f"        {what}.from_json,"]
    else:
        lead = [f"        {what},"]
    extra = []
    if reader == "scalar":
        writes = function.kind != "read" and "actor" in function.parameter_names
        if writes:
            extra.append("        writes=True,")
        keep = sorted(NULLABLE_REQUIRED.get(function.name, frozenset()))
        if keep:
            names = ", ".join(f'"{k}"' for k in keep)
            extra.append(f"        keep=frozenset({{{names}}}),")
    body = [
        "    return kit." + reader + "(",
        f'        "{function.name}",',
        *lead,
        *arguments,
        *extra,
        "    )",
    ]
    return [*head, *docstring(function.description, "    "), *body]


def calls_source() -> str:
    registry = functions()
    out = [
        '"""Typed call builders: one per SQL function of the registry (see :mod:`buildtracker.codegen`).',
        "",
        "Each returns a :class:`~buildtracker.callkit.Call`; the clients run it. Arguments left",
        "as ``None`` are not sent, so the database's own defaults apply.",
        '"""',
        "",
        GENERATED,
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping, Sequence",
        "from datetime import datetime, timedelta",
        "from typing import Any",
        "from uuid import UUID",
        "",
        "from buildtracker import callkit as kit",
        "from buildtracker.callkit import Call",
        "from buildtracker.enums import (",
        *(f"    {name}," for name in sorted(_used_enums(registry.values()))),
        ")",
        "from buildtracker.models import (",
        *(f"    {name}," for name in sorted(_used_models(registry.values()))),
        ")",
        "",
        "__all__ = [",
        '    "Call",',
        *(f'    "{name}",' for name in registry),
        "]",
    ]
    for function in registry.values():
        out += ["", "", *builder_source(function)]
    return "\n".join(out) + "\n"


def methods_source() -> str:
    registry = functions()
    out = [
        '"""The clients\' method tables: every builder of :mod:`buildtracker.calls` bound as a',
        'blocking (``SyncCalls``) and as a coroutine (``AsyncCalls``) method."""',
        "",
        GENERATED,
        "",
        "from __future__ import annotations",
        "",
        "from buildtracker import calls",
        "from buildtracker.callkit import AsyncMethod, SyncMethod",
        "",
        "",
        "class SyncCalls:",
        '    """Every registry function as a method of :class:`~buildtracker.client.Client`."""',
        "",
        *(f"    {name} = SyncMethod(calls.{name})" for name in registry),
        "",
        "",
        "class AsyncCalls:",
        '    """Every registry function as a method of :class:`~buildtracker.client.AsyncClient`."""',
        "",
        *(f"    {name} = AsyncMethod(calls.{name})" for name in registry),
    ]
    return "\n".join(out) + "\n"


def body_name(function: Function) -> str:
    return "".join(part.capitalize() for part in function.name.split("_")) + "Body"


def has_body(function: Function) -> bool:
    return function.kind == "write" or any(p.type == "jsonb" for p in function.parameters)


def body_fields(function: Function) -> list[Parameter]:
    """The parameters a REST body holds: not the actor (the caller is the
    actor), not the id of the entity acted on (it is in the path)."""
    word = entity(function)
    path_id = (
        function.parameters[0].name
        if function.parameters
        and not function.name.startswith("add_")
        and word is not None
        and function.parameters[0].name == f"{word}_id"
        else None
    )
    return [p for p in function.parameters if p.name not in ("actor", path_id)]


REST_TYPE = {
    "uuid": "UUID",
    "text": "str",
    "integer": "int",
    "bigint": "int",
    "numeric": "float",
    "boolean": "bool",
    "jsonb": "dict[str, Any]",
    "interval": "timedelta",
    "timestamp with time zone": "datetime",
}


def body_field(function: Function, p: Parameter) -> str:
    optional = (
        not p.required
        or nullable_required(function, p)
        or p.name in REST_OPTIONAL.get(function.name, frozenset())
    )
    enum = enum_of(function, p)
    base_sql = p.type.removesuffix("[]")
    if base_sql == "uuid" and not p.type.endswith("[]"):
        # a prefix or a name is resolved by the route (resolve_fields)
        return f"    {p.name}: {'OptionalIdRef = None' if optional else 'IdRef'}"
    base = enum or REST_TYPE[base_sql]
    if p.name in JSON_LIST_PARAMETERS and p.type == "jsonb":
        base = "list[dict[str, Any]]"
    if p.type.endswith("[]"):
        base = f"list[{base}]"
    return f"    {p.name}: {base} | None = None" if optional else f"    {p.name}: {base}"


def bodies_source() -> str:
    chosen = [f for f in functions().values() if has_body(f)]
    enums = sorted({e for f in chosen for p in body_fields(f) if (e := enum_of(f, p)) is not None})
    out = [
        '"""The request bodies of the REST API, one per write (and per read taking a JSON',
        "document): the SQL function's parameters but the actor (the caller) and the id in the",
        "path. An id field (``IdRef``) may be a prefix or a name; routes resolve it",
        '(``resolve_fields``) in the request\'s transaction."""',
        "",
        GENERATED,
        "",
        "from __future__ import annotations",
        "",
        "from datetime import timedelta",
        "from typing import Any",
        "",
        "from pydantic import BaseModel",
        "",
        "from buildtracker.api.common import IdRef, OptionalIdRef",
        "from buildtracker.enums import (",
        *(f"    {name}," for name in enums),
        ")",
    ]
    for function in chosen:
        fields = body_fields(function)
        out += [
            "",
            "",
            f"class {body_name(function)}(BaseModel):",
            f'    """Body of claude.{function.name}."""',
        ]
        if fields:
            out += ["", *(body_field(function, p) for p in fields)]
    text = "\n".join(out) + "\n"
    if "timedelta" not in text.split("from pydantic", 1)[1]:
        text = text.replace("from datetime import timedelta\n", "")
    if "Any]" not in text:
        text = text.replace("from typing import Any\n", "")
    return text


def _used_enums(all_functions: object) -> set[str]:
    found = set()
    for f in all_functions:  # type: ignore[attr-defined]
        for p in f.parameters:
            enum = enum_of(f, p)
            if enum:
                found.add(enum)
    return found


def _used_models(all_functions: object) -> set[str]:
    found = {"Result"}
    for f in all_functions:  # type: ignore[attr-defined]
        _reader, what, _returns = answer(f)
        if what and what[0].isupper() and what != "UUID":
            found.add(what)
    return found


def generated() -> dict[Path, str]:
    """Each generated file and its text."""
    return {
        PACKAGE / "calls.py": calls_source(),
        PACKAGE / "methods.py": methods_source(),
        PACKAGE / "api" / "bodies.py": bodies_source(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m buildtracker.codegen", description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite the generated files")
    action.add_argument("--check", action="store_true", help="exit 1 when one differs")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            stale.append(path.name)
            if args.write:
                path.write_text(text, encoding="utf-8")
    if stale and args.check:
        print(f"{', '.join(stale)} differ from registry.json: run make schema", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
