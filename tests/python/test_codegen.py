"""The generated Python (calls.py, methods.py, api/bodies.py) against the
registry it is generated from, and the generator's rules."""

from __future__ import annotations

import inspect

import pytest
from buildtracker import calls, codegen, registry
from buildtracker.api import bodies
from buildtracker.registry import Function, Parameter


def test_the_committed_files_are_what_the_registry_generates() -> None:
    stale = [
        path.name
        for path, text in codegen.generated().items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "generated files differ from registry.json: run `make schema`"


def test_every_registry_function_has_one_builder_in_the_sql_order() -> None:
    for function in registry.functions().values():
        builder = getattr(calls, function.name)
        assert list(inspect.signature(builder).parameters) == list(function.parameter_names)


def test_a_write_body_leaves_out_the_actor_and_the_id_in_the_path() -> None:
    fields = set(bodies.CompleteTaskBody.model_fields)
    assert fields == {"actual_hours", "completion_notes"}
    # add_* keeps its parent id: it is in the body, not the path
    assert "feature_id" in bodies.AddComponentBody.model_fields
    # claim: the REST API fills in the caller's identity when it is left out
    assert bodies.ClaimNextTaskBody.model_fields["identity_id"].is_required() is False
    assert bodies.AddTaskBody.model_fields["task_name"].is_required() is True


def fake(name: str, returns: str, *parameters: Parameter, kind: str = "read") -> Function:
    return Function(name, kind, tuple(parameters), returns, "A test function.")  # type: ignore[arg-type]


def test_the_generator_refuses_what_no_rule_covers() -> None:
    with pytest.raises(codegen.NoRule, match="add it to ANSWERS"):
        codegen.answer(fake("get_weather", "jsonb"))
    with pytest.raises(codegen.NoRule, match="SQL type point"):
        codegen.python_type(
            fake("f", "jsonb"), Parameter(name="where_at", type="point", required=True)
        )
    with pytest.raises(codegen.NoRule, match="status of which entity"):
        codegen.enum_of(fake("set_weather", "jsonb"), Parameter("status", "text", True))


def test_the_rules_read_types_from_the_catalog() -> None:
    task_rows = fake("list_things_tasks", "SETOF claude.build_tasks")
    assert codegen.answer(task_rows) == ("rows", "BuildTask", "Call[list[BuildTask]]")
    write = fake("archive_feature", "jsonb", kind="write")
    assert codegen.answer(write) == ("write", "Feature", "Call[Result[Feature]]")
    status = Parameter("new_status", "text", True)
    assert codegen.python_type(write, status) == "FeatureStatus | str"
    array = Parameter("severities", "text[]", False)
    assert codegen.python_type(write, array) == "Sequence[Severity | str]"
