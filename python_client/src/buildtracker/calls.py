"""The call definitions: one builder per SQL function of schema ``claude``.

A builder turns typed Python arguments into a :class:`Call` (the SQL text,
its parameters, and how to read the answer). The sync and async clients both
run these same definitions, so the SQL lives in exactly one place. Arguments
left as ``None`` are not sent, so the database's own defaults apply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar
from uuid import UUID

from psycopg import sql
from psycopg.types.json import Jsonb

from buildtracker.enums import (
    Access,
    ActivityType,
    ComponentStatus,
    ComponentType,
    FeatureStatus,
    FeatureType,
    Operation,
    RequirementStatus,
    RequirementType,
    Severity,
    SourceType,
    TaskStatus,
    TaskType,
)
from buildtracker.models import (
    Activity,
    BuildTask,
    Component,
    Feature,
    FeatureCompletion,
    FeatureWithChildren,
    GateResult,
    Identity,
    Model,
    Project,
    ReadyFeature,
    Requirement,
    Result,
    StaleTask,
    UnblockedTask,
    ValidationReport,
)

T = TypeVar("T")
M = TypeVar("M", bound=Model)
Rows = list[tuple[Any, ...]]


@dataclass(frozen=True)
class Call(Generic[T]):
    """One statement to run and the reader of its rows."""

    query: sql.SQL | sql.Composed
    params: dict[str, Any]
    parse: Callable[[Rows], T]
    writes: bool = False


def _json_default(value: Any) -> Any:
    """JSON for the values a caller may put in ``changes`` or ``data``."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID | Decimal | timedelta):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be sent as JSON")


def _json_dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default)


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        # Sent as text of unknown type, so PostgreSQL converts it to the
        # parameter's declared type (integer, numeric): an out-of-range value
        # is then refused as invalid input (class 22), not a missing function.
        return str(value)
    if isinstance(value, Mapping):
        return Jsonb(dict(value), dumps=_json_dumps)
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def _select(
    function: str, args: dict[str, Any], *, rows: bool = False, keep: frozenset[str] = frozenset()
) -> tuple[sql.Composed, dict[str, Any]]:
    present = {k: _value(v) for k, v in args.items() if v is not None or k in keep}
    arguments = sql.SQL(", ").join(
        sql.SQL("{} => {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in present
    )
    if rows:
        query = sql.SQL("SELECT to_jsonb(r) FROM claude.{}({}) AS r").format(
            sql.Identifier(function), arguments
        )
    else:
        query = sql.SQL("SELECT claude.{}({})").format(sql.Identifier(function), arguments)
    return query, present


def _scalar(rows: Rows) -> Any:
    return rows[0][0]


def _envelope(model: type[M]) -> Callable[[Rows], Result[M]]:
    def parse(rows: Rows) -> Result[M]:
        envelope = _scalar(rows)
        return Result(
            data=model.from_json(envelope["data"]),
            warnings=tuple(envelope["validation"]["warnings"]),
            metadata=envelope["metadata"],
        )

    return parse


def _optional_envelope(model: type[M]) -> Callable[[Rows], Result[M | None]]:
    def parse(rows: Rows) -> Result[M | None]:
        envelope = _scalar(rows)
        data = envelope["data"]
        return Result(
            data=None if data is None else model.from_json(data),
            warnings=tuple(envelope["validation"]["warnings"]),
            metadata=envelope["metadata"],
        )

    return parse


def _many(model: type[M]) -> Callable[[Rows], list[M]]:
    def parse(rows: Rows) -> list[M]:
        return [model.from_json(r[0]) for r in rows]

    return parse


def _write(function: str, model: type[M], **args: Any) -> Call[Result[M]]:
    query, params = _select(function, args)
    return Call(query, params, _envelope(model), writes=True)


def _read(function: str, parse: Callable[[Rows], T], **args: Any) -> Call[T]:
    query, params = _select(function, args)
    return Call(query, params, parse)


def _read_rows(function: str, model: type[M], **args: Any) -> Call[list[M]]:
    query, params = _select(function, args, rows=True)
    return Call(query, params, _many(model))


def _read_one(function: str, model: type[M], **args: Any) -> Call[M]:
    """One row from a get_* function, which raises P0002 (NotFoundError) when it is missing."""
    query, params = _select(function, args, rows=True)
    return Call(query, params, lambda rows: model.from_json(rows[0][0]))


# ---------------------------------------------------------------- projects, identities


def add_project(project_name: str, actor: str | None = None) -> Call[Result[Project]]:
    return _write("add_project", Project, project_name=project_name, actor=actor)


def add_identity(identity_name: str, actor: str | None = None) -> Call[Result[Identity]]:
    return _write("add_identity", Identity, identity_name=identity_name, actor=actor)


def resolve_id(entity_type: SourceType | str, ref: str) -> Call[UUID]:
    """The id a person typed: a whole id, a unique prefix of at least 8 hex
    characters, or (projects and identities) the name. NotFoundError when
    nothing matches; ValidationError listing the candidates when ambiguous."""
    query, params = _select("resolve_id", {"entity_type": entity_type, "ref": ref})
    return Call(query, params, lambda rows: UUID(str(_scalar(rows))))


def get_project(project_id: UUID) -> Call[Project]:
    return _read_one("get_project", Project, project_id=project_id)


def get_identity(identity_id: UUID) -> Call[Identity]:
    return _read_one("get_identity", Identity, identity_id=identity_id)


def list_projects() -> Call[list[Project]]:
    return _read_rows("list_projects", Project)


def list_identities() -> Call[list[Identity]]:
    return _read_rows("list_identities", Identity)


# ---------------------------------------------------------------- features


def add_feature(
    feature_name: str,
    feature_type: FeatureType | str,
    project_id: UUID,
    description: str | None = None,
    priority: int | None = None,
    parent_feature_id: UUID | None = None,
    planned_by_identity_id: UUID | None = None,
    design_doc_path: str | None = None,
    actor: str | None = None,
) -> Call[Result[Feature]]:
    return _write(
        "add_feature",
        Feature,
        feature_name=feature_name,
        feature_type=feature_type,
        project_id=project_id,
        description=description,
        priority=priority,
        parent_feature_id=parent_feature_id,
        planned_by_identity_id=planned_by_identity_id,
        design_doc_path=design_doc_path,
        actor=actor,
    )


def update_feature(
    feature_id: UUID, changes: Mapping[str, Any], actor: str | None = None
) -> Call[Result[Feature]]:
    return _write("update_feature", Feature, feature_id=feature_id, changes=changes, actor=actor)


def update_feature_status(
    feature_id: UUID,
    new_status: FeatureStatus | str,
    reason: str | None = None,
    implemented_by_identity_id: UUID | None = None,
    planned_by_identity_id: UUID | None = None,
    actor: str | None = None,
) -> Call[Result[Feature]]:
    return _write(
        "update_feature_status",
        Feature,
        feature_id=feature_id,
        new_status=new_status,
        reason=reason,
        implemented_by_identity_id=implemented_by_identity_id,
        planned_by_identity_id=planned_by_identity_id,
        actor=actor,
    )


def complete_feature(feature_id: UUID, actor: str | None = None) -> Call[Result[Feature]]:
    return _write("complete_feature", Feature, feature_id=feature_id, actor=actor)


def delete_feature(feature_id: UUID, actor: str | None = None) -> Call[Result[Feature]]:
    return _write("delete_feature", Feature, feature_id=feature_id, actor=actor)


def get_feature(feature_id: UUID) -> Call[Feature]:
    return _read_one("get_feature", Feature, feature_id=feature_id)


def list_features(
    project_id: UUID | None = None,
    status: FeatureStatus | str | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    max_rows: int = 50,
) -> Call[list[Feature]]:
    """Features by project and status, oldest first.

    Page with ``after``/``after_id`` = the last row's created_at and feature_id
    (rows written in one transaction share created_at, so the id breaks ties;
    ``after`` alone means strictly after that time).
    """
    return _read_rows(
        "list_features",
        Feature,
        project_id=project_id,
        status=status,
        after=after,
        after_id=after_id,
        max_rows=max_rows,
    )


def can_complete_feature(feature_id: UUID) -> Call[GateResult]:
    return _read(
        "can_complete_feature",
        lambda rows: GateResult.from_json(_scalar(rows)),
        feature_id=feature_id,
    )


def get_feature_completion(feature_id: UUID) -> Call[FeatureCompletion]:
    return _read(
        "get_feature_completion",
        lambda rows: FeatureCompletion.from_json(_scalar(rows)),
        feature_id=feature_id,
    )


def get_feature_with_children(feature_id: UUID) -> Call[FeatureWithChildren]:
    return _read(
        "get_feature_with_children",
        lambda rows: FeatureWithChildren.from_json(_scalar(rows)),
        feature_id=feature_id,
    )


# ---------------------------------------------------------------- components


def add_component(
    feature_id: UUID,
    component_name: str,
    component_type: ComponentType | str,
    planned_functions: Sequence[str] | None = None,
    planned_dependencies: Sequence[str] | None = None,
    file_path: str | None = None,
    actor: str | None = None,
) -> Call[Result[Component]]:
    return _write(
        "add_component",
        Component,
        feature_id=feature_id,
        component_name=component_name,
        component_type=component_type,
        planned_functions=planned_functions,
        planned_dependencies=planned_dependencies,
        file_path=file_path,
        actor=actor,
    )


def update_component(
    component_id: UUID, changes: Mapping[str, Any], actor: str | None = None
) -> Call[Result[Component]]:
    return _write(
        "update_component", Component, component_id=component_id, changes=changes, actor=actor
    )


def update_component_status(
    component_id: UUID,
    new_status: ComponentStatus | str,
    reason: str | None = None,
    actor: str | None = None,
) -> Call[Result[Component]]:
    return _write(
        "update_component_status",
        Component,
        component_id=component_id,
        new_status=new_status,
        reason=reason,
        actor=actor,
    )


def complete_component(
    component_id: UUID,
    actual_functions: Sequence[str] | None = None,
    file_path: str | None = None,
    lines_of_code: int | None = None,
    has_tests: bool | None = None,
    test_coverage_percentage: float | None = None,
    actor: str | None = None,
) -> Call[Result[Component]]:
    return _write(
        "complete_component",
        Component,
        component_id=component_id,
        actual_functions=actual_functions,
        file_path=file_path,
        lines_of_code=lines_of_code,
        has_tests=has_tests,
        test_coverage_percentage=test_coverage_percentage,
        actor=actor,
    )


# ---------------------------------------------------------------- tasks


def add_task(
    task_name: str,
    task_description: str,
    task_type: TaskType | str,
    component_id: UUID | None = None,
    feature_id: UUID | None = None,
    priority: int | None = None,
    estimated_hours: float | None = None,
    assigned_to_identity_id: UUID | None = None,
    blocked_by_task_id: UUID | None = None,
    actor: str | None = None,
) -> Call[Result[BuildTask]]:
    return _write(
        "add_task",
        BuildTask,
        task_name=task_name,
        task_description=task_description,
        task_type=task_type,
        component_id=component_id,
        feature_id=feature_id,
        priority=priority,
        estimated_hours=estimated_hours,
        assigned_to_identity_id=assigned_to_identity_id,
        blocked_by_task_id=blocked_by_task_id,
        actor=actor,
    )


def update_task(
    task_id: UUID, changes: Mapping[str, Any], actor: str | None = None
) -> Call[Result[BuildTask]]:
    return _write("update_task", BuildTask, task_id=task_id, changes=changes, actor=actor)


def start_task(
    task_id: UUID, identity_id: UUID | None = None, actor: str | None = None
) -> Call[Result[BuildTask]]:
    return _write("start_task", BuildTask, task_id=task_id, identity_id=identity_id, actor=actor)


def block_task(
    task_id: UUID, reason: str, blocked_by_task_id: UUID | None = None, actor: str | None = None
) -> Call[Result[BuildTask]]:
    return _write(
        "block_task",
        BuildTask,
        task_id=task_id,
        reason=reason,
        blocked_by_task_id=blocked_by_task_id,
        actor=actor,
    )


def unblock_task(task_id: UUID, note: str, actor: str | None = None) -> Call[Result[BuildTask]]:
    return _write("unblock_task", BuildTask, task_id=task_id, note=note, actor=actor)


def submit_task_for_review(task_id: UUID, actor: str | None = None) -> Call[Result[BuildTask]]:
    return _write("submit_task_for_review", BuildTask, task_id=task_id, actor=actor)


def request_task_changes(
    task_id: UUID, note: str, actor: str | None = None
) -> Call[Result[BuildTask]]:
    return _write("request_task_changes", BuildTask, task_id=task_id, note=note, actor=actor)


def complete_task(
    task_id: UUID,
    actual_hours: float,
    completion_notes: str | None = None,
    actor: str | None = None,
) -> Call[Result[BuildTask]]:
    return _write(
        "complete_task",
        BuildTask,
        task_id=task_id,
        actual_hours=actual_hours,
        completion_notes=completion_notes,
        actor=actor,
    )


def cancel_task(task_id: UUID, reason: str, actor: str | None = None) -> Call[Result[BuildTask]]:
    return _write("cancel_task", BuildTask, task_id=task_id, reason=reason, actor=actor)


def claim_next_task(
    identity_id: UUID,
    project_id: UUID | None = None,
    feature_id: UUID | None = None,
    actor: str | None = None,
) -> Call[Result[BuildTask | None]]:
    query, params = _select(
        "claim_next_task",
        {
            "identity_id": identity_id,
            "project_id": project_id,
            "feature_id": feature_id,
            "actor": actor,
        },
    )
    return Call(query, params, _optional_envelope(BuildTask), writes=True)


def get_ready_tasks(
    feature_id: UUID | None = None,
    component_id: UUID | None = None,
    project_id: UUID | None = None,
    max_rows: int | None = None,
) -> Call[list[BuildTask]]:
    return _read_rows(
        "get_ready_tasks",
        BuildTask,
        feature_id=feature_id,
        component_id=component_id,
        project_id=project_id,
        max_rows=max_rows,
    )


def get_task(task_id: UUID) -> Call[BuildTask]:
    return _read_one("get_task", BuildTask, task_id=task_id)


def list_tasks(
    feature_id: UUID | None = None,
    status: TaskStatus | str | None = None,
    assigned_to_identity_id: UUID | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    max_rows: int = 50,
    project_id: UUID | None = None,
) -> Call[list[BuildTask]]:
    """Tasks by feature, status, assignee and project, oldest first; page with ``after``/``after_id``."""
    return _read_rows(
        "list_tasks",
        BuildTask,
        feature_id=feature_id,
        status=status,
        assigned_to_identity_id=assigned_to_identity_id,
        project_id=project_id,
        after=after,
        after_id=after_id,
        max_rows=max_rows,
    )


# ---------------------------------------------------------------- requirements


def add_requirement(
    feature_id: UUID,
    requirement_name: str,
    requirement_type: RequirementType | str,
    description: str,
    acceptance_criteria: Sequence[str],
    priority: int | None = None,
    must_have: bool | None = None,
    created_by_identity_id: UUID | None = None,
    actor: str | None = None,
) -> Call[Result[Requirement]]:
    return _write(
        "add_requirement",
        Requirement,
        feature_id=feature_id,
        requirement_name=requirement_name,
        requirement_type=requirement_type,
        description=description,
        acceptance_criteria=acceptance_criteria,
        priority=priority,
        must_have=must_have,
        created_by_identity_id=created_by_identity_id,
        actor=actor,
    )


def update_requirement(
    requirement_id: UUID, changes: Mapping[str, Any], actor: str | None = None
) -> Call[Result[Requirement]]:
    return _write(
        "update_requirement",
        Requirement,
        requirement_id=requirement_id,
        changes=changes,
        actor=actor,
    )


def update_requirement_status(
    requirement_id: UUID,
    new_status: RequirementStatus | str,
    reason: str | None = None,
    component_id: UUID | None = None,
    actor: str | None = None,
) -> Call[Result[Requirement]]:
    return _write(
        "update_requirement_status",
        Requirement,
        requirement_id=requirement_id,
        new_status=new_status,
        reason=reason,
        component_id=component_id,
        actor=actor,
    )


def verify_requirement(
    requirement_id: UUID,
    component_id: UUID | None = None,
    test_results: Mapping[str, Any] | None = None,
    test_run_id: UUID | None = None,
    actor: str | None = None,
) -> Call[Result[Requirement]]:
    return _write(
        "verify_requirement",
        Requirement,
        requirement_id=requirement_id,
        component_id=component_id,
        test_results=test_results,
        test_run_id=test_run_id,
        actor=actor,
    )


def get_requirement(requirement_id: UUID) -> Call[Requirement]:
    return _read_one("get_requirement", Requirement, requirement_id=requirement_id)


def list_requirements(
    feature_id: UUID | None = None,
    status: RequirementStatus | str | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    max_rows: int = 50,
) -> Call[list[Requirement]]:
    """Requirements by feature and status, oldest first; page with ``after``/``after_id``."""
    return _read_rows(
        "list_requirements",
        Requirement,
        feature_id=feature_id,
        status=status,
        after=after,
        after_id=after_id,
        max_rows=max_rows,
    )


def get_component(component_id: UUID) -> Call[Component]:
    return _read_one("get_component", Component, component_id=component_id)


def list_components(
    feature_id: UUID | None = None,
    status: ComponentStatus | str | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    max_rows: int = 50,
) -> Call[list[Component]]:
    """Components by feature and status, oldest first; page with ``after``/``after_id``."""
    return _read_rows(
        "list_components",
        Component,
        feature_id=feature_id,
        status=status,
        after=after,
        after_id=after_id,
        max_rows=max_rows,
    )


def validate(
    entity_type: SourceType | str, data: Mapping[str, Any], operation: Operation | str = "create"
) -> Call[ValidationReport]:
    return _read(
        "validate",
        lambda rows: ValidationReport.from_json(_scalar(rows)),
        entity_type=entity_type,
        data=data,
        operation=operation,
    )


# ---------------------------------------------------------------- activity and jobs


def log_activity(
    source_type: SourceType | str,
    source_id: UUID | None,
    activity_type: ActivityType | str,
    title: str,
    summary: str | None = None,
    actor: str | None = None,
    project_name: str | None = None,
    severity: Severity | str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Call[UUID]:
    query, params = _select(
        "log_activity",
        {
            "source_type": source_type,
            "source_id": source_id,
            "activity_type": activity_type,
            "title": title,
            "summary": summary,
            "actor": actor,
            "project_name": project_name,
            "severity": severity,
            "changes": changes,
        },
        keep=frozenset({"source_id"}),  # a required argument that may be null
    )
    return Call(query, params, lambda rows: UUID(str(_scalar(rows))), writes=True)


def get_activity(
    project_name: str | None = None,
    source_type: SourceType | str | None = None,
    source_id: UUID | None = None,
    actor: str | None = None,
    activity_type: ActivityType | str | None = None,
    severities: Sequence[Severity | str] | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    max_rows: int | None = None,
    before_id: UUID | None = None,
) -> Call[list[Activity]]:
    """Newest first; page with ``before``/``before_id`` = the last row's created_at and id."""
    return _read_rows(
        "get_activity",
        Activity,
        project_name=project_name,
        source_type=source_type,
        source_id=source_id,
        actor=actor,
        activity_type=activity_type,
        severities=severities,
        since=since,
        before=before,
        max_rows=max_rows,
        before_id=before_id,
    )


def check_stale_tasks(older_than: timedelta | None = None) -> Call[list[StaleTask]]:
    return _read_rows("check_stale_tasks", StaleTask, older_than=older_than)


def check_unblocked_tasks() -> Call[list[UnblockedTask]]:
    return _read_rows("check_unblocked_tasks", UnblockedTask)


def check_completion_readiness() -> Call[list[ReadyFeature]]:
    return _read_rows("check_completion_readiness", ReadyFeature)


def run_jobs(older_than: timedelta | None = None, actor: str | None = None) -> Call[dict[str, Any]]:
    query, params = _select("run_jobs", {"older_than": older_than, "actor": actor})
    return Call(query, params, _scalar, writes=True)


# ---------------------------------------------------------------- API tokens (admin)


def create_api_token(
    identity_id: UUID, access: Access | str = "writer", label: str | None = None
) -> Call[dict[str, Any]]:
    """A new bearer token for the REST API; the token itself is returned only here."""
    query, params = _select(
        "create_api_token", {"identity_id": identity_id, "access": access, "label": label}
    )
    return Call(query, params, _scalar, writes=False)


def revoke_api_token(token_id: UUID) -> Call[bool]:
    query, params = _select("revoke_api_token", {"token_id": token_id})
    return Call(query, params, lambda rows: bool(_scalar(rows)))


def list_api_tokens() -> Call[list[dict[str, Any]]]:
    query, params = _select("list_api_tokens", {}, rows=True)
    return Call(query, params, lambda rows: [r[0] for r in rows])


def authenticate_api_token(token: str) -> Call[dict[str, Any] | None]:
    """The identity and access of an active token (REST authentication); None when unknown."""
    query, params = _select("authenticate_api_token", {"token": token}, rows=True)
    return Call(query, params, lambda rows: rows[0][0] if rows else None)


def check_invariants() -> Call[list[dict[str, Any]]]:
    query, params = _select("check_invariants", {}, rows=True)
    return Call(query, params, lambda rows: [r[0] for r in rows])
