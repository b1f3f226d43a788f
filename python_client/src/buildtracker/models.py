"""Frozen dataclasses for the rows and results the database returns.

``from_json`` converts the JSON the stored functions return (``to_jsonb`` of
a row) into typed values; it checks types, never business rules.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar
from uuid import UUID

from buildtracker.enums import (
    ActivityType,
    ComponentStatus,
    ComponentType,
    DependencyKind,
    FeatureStatus,
    FeatureType,
    RequirementStatus,
    RequirementType,
    Severity,
    SourceType,
    TaskStatus,
    TaskType,
)
from buildtracker.errors import ErrorItem

T = TypeVar("T")
M = TypeVar("M", bound="Model")


def _keep(value: Any) -> Any:
    return value


def _converter(hint: Any) -> Callable[[Any], Any]:
    """The function that turns a JSON value into ``hint``'s type (None stays None),
    decided once per field rather than once per value."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _converter(inner[0])
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(hint)
        item = _converter(item_type)
        return lambda value: None if value is None else tuple(item(v) for v in value)
    if origin is dict or hint is Any or not isinstance(hint, type):
        return _keep
    convert: Callable[[Any], Any] = _keep
    if issubclass(hint, Enum):
        convert = hint
    elif hint is UUID:
        convert = lambda value: value if isinstance(value, UUID) else UUID(str(value))  # noqa: E731
    elif hint is datetime:
        convert = lambda value: (  # noqa: E731
            value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        )
    elif hint is float:
        convert = float
    elif dataclasses.is_dataclass(hint) and issubclass(hint, Model):
        convert = hint.from_json
    if convert is _keep:
        return _keep
    return lambda value: None if value is None else convert(value)


def _convert(value: Any, hint: Any) -> Any:
    """``value`` (JSON) as ``hint``'s type."""
    return _converter(hint)(value)


class Model:
    """Base of the row models: construction from a JSON object."""

    @classmethod
    def from_json(cls: type[M], data: dict[str, Any]) -> M:
        converters = _field_converters(cls)
        return cls(**{k: converters[k](v) for k, v in data.items() if k in converters})


_FIELD_CONVERTERS: dict[type, dict[str, Callable[[Any], Any]]] = {}


def _field_converters(cls: type) -> dict[str, Callable[[Any], Any]]:
    """How to convert each field of a model, worked out once per class
    (resolving the annotations costs more than converting a row: a list of
    1,000 rows would spend most of its time there)."""
    found = _FIELD_CONVERTERS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls)}
        _FIELD_CONVERTERS[cls] = found
    return found


@dataclass(frozen=True)
class Project(Model):
    project_id: UUID
    project_name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Identity(Model):
    identity_id: UUID
    identity_name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Feature(Model):
    feature_id: UUID
    project_id: UUID
    feature_name: str
    feature_type: FeatureType
    status: FeatureStatus
    priority: int
    completion_percentage: int
    created_at: datetime
    updated_at: datetime
    parent_feature_id: UUID | None = None
    description: str | None = None
    planned_date: datetime | None = None
    planned_by_identity_id: UUID | None = None
    started_date: datetime | None = None
    completed_date: datetime | None = None
    implemented_by_identity_id: UUID | None = None
    design_doc_path: str | None = None
    implementation_notes: str | None = None
    blocked_reason: str | None = None
    cancellation_reason: str | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Component(Model):
    component_id: UUID
    feature_id: UUID
    component_name: str
    component_type: ComponentType
    status: ComponentStatus
    created_at: datetime
    updated_at: datetime
    file_path: str | None = None
    planned_functions: tuple[str, ...] = ()
    planned_dependencies: tuple[str, ...] = ()
    actual_functions: tuple[str, ...] = ()
    lines_of_code: int | None = None
    has_tests: bool = False
    test_coverage_percentage: float | None = None
    has_documentation: bool = False
    doc_path: str | None = None
    implemented_at: datetime | None = None


@dataclass(frozen=True)
class BuildTask(Model):
    task_id: UUID
    feature_id: UUID
    task_name: str
    task_description: str
    task_type: TaskType
    status: TaskStatus
    priority: int
    created_at: datetime
    updated_at: datetime
    component_id: UUID | None = None
    assigned_to_identity_id: UUID | None = None
    estimated_hours: float | None = None
    actual_hours: float | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    blocked_reason: str | None = None
    blocked_by_task_id: UUID | None = None
    completion_notes: str | None = None
    cancellation_reason: str | None = None
    labels: tuple[str, ...] = ()
    lease_expires_at: datetime | None = None


@dataclass(frozen=True)
class Requirement(Model):
    requirement_id: UUID
    feature_id: UUID
    requirement_name: str
    requirement_type: RequirementType
    status: RequirementStatus
    priority: int
    must_have: bool
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    acceptance_criteria: tuple[str, ...] = ()
    implemented_by_component_id: UUID | None = None
    verified_at: datetime | None = None
    verified_by_test_run_id: UUID | None = None
    created_by_identity_id: UUID | None = None


@dataclass(frozen=True)
class Activity(Model):
    id: UUID
    source_type: SourceType
    activity_type: ActivityType
    title: str
    severity: Severity
    created_at: datetime
    source_id: UUID | None = None
    actor: str | None = None
    summary: str | None = None
    project_name: str | None = None
    changes: dict[str, Any] | None = None


@dataclass(frozen=True)
class FeatureWithChildren(Model):
    feature: Feature
    components: tuple[Component, ...]
    tasks: tuple[BuildTask, ...]
    requirements: tuple[Requirement, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureWithChildren:
        return cls(
            feature=Feature.from_json(data),
            components=tuple(Component.from_json(c) for c in data.get("components", [])),
            tasks=tuple(BuildTask.from_json(t) for t in data.get("tasks", [])),
            requirements=tuple(Requirement.from_json(r) for r in data.get("requirements", [])),
        )

    def to_json(self) -> dict[str, Any]:
        """The seed's shape: the feature's fields, with its children beside them."""
        return {
            **{f.name: getattr(self.feature, f.name) for f in dataclasses.fields(self.feature)},
            "components": list(self.components),
            "tasks": list(self.tasks),
            "requirements": list(self.requirements),
        }


@dataclass(frozen=True)
class GateResult(Model):
    """``can_complete_feature``: whether the feature may complete, and every failing check."""

    can_complete: bool
    checks: tuple[str, ...]


@dataclass(frozen=True)
class FeatureCompletion(Model):
    feature_id: UUID
    feature_name: str
    status: FeatureStatus
    completion_percentage: int
    components: dict[str, int]
    tasks: dict[str, int]
    requirements: dict[str, int]
    child_features: dict[str, int]
    can_complete: bool
    checks: tuple[str, ...]


@dataclass(frozen=True)
class ValidationReport:
    """``validate``: what the call would report, nothing written."""

    errors: tuple[ErrorItem, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ValidationReport:
        return cls(
            errors=tuple(
                ErrorItem(field=e.get("field"), message=str(e.get("message")), code=e.get("code"))
                for e in data.get("errors", [])
            ),
            warnings=tuple(str(w) for w in data.get("warnings", [])),
        )


@dataclass(frozen=True)
class TaskDependency(Model):
    """A row of claude.task_dependencies: task_id depends on depends_on_task_id."""

    task_id: UUID
    depends_on_task_id: UUID
    kind: DependencyKind
    created_at: datetime
    actor: str | None = None


@dataclass(frozen=True)
class Comment(Model):
    """A row of claude.comments: append-only, about one entity."""

    comment_id: UUID
    entity_type: SourceType
    entity_id: UUID
    body: str
    created_at: datetime
    actor: str | None = None


@dataclass(frozen=True)
class SearchHit(Model):
    """One answer of search(): the entity (a comment is reported as what it is about), best first."""

    entity_type: SourceType
    entity_id: UUID
    title: str
    snippet: str
    rank: float


@dataclass(frozen=True)
class DependencyLink(Model):
    """One neighbour in get_task_dependencies: the other task, its status, the edge's kind."""

    task_id: UUID
    task_name: str
    status: TaskStatus
    kind: DependencyKind


@dataclass(frozen=True)
class TaskDependencies(Model):
    """get_task_dependencies: what a task depends on, and what depends on it."""

    depends_on: tuple[DependencyLink, ...]
    dependents: tuple[DependencyLink, ...]


@dataclass(frozen=True)
class TaskContext(Model):
    """get_task_context: a task with what an agent needs to work it."""

    task: BuildTask
    depends_on: tuple[DependencyLink, ...]
    dependents: tuple[DependencyLink, ...]
    comments: tuple[Comment, ...]
    feature_name: str | None = None
    project_name: str | None = None
    assignee_name: str | None = None


@dataclass(frozen=True)
class StaleTask(Model):
    task_id: UUID
    task_name: str
    started_at: datetime
    feature_id: UUID
    assigned_to_identity_id: UUID | None = None
    project_name: str | None = None


@dataclass(frozen=True)
class UnblockedTask(Model):
    task_id: UUID
    task_name: str
    blocked_by_task_id: UUID
    blocker_name: str
    blocker_status: TaskStatus
    feature_id: UUID
    project_name: str | None = None


@dataclass(frozen=True)
class ReadyFeature(Model):
    feature_id: UUID
    feature_name: str
    completion_percentage: int
    project_name: str | None = None


@dataclass(frozen=True)
class Result(Generic[T]):
    """The seed's envelope: the entity, the warnings, call-specific metadata."""

    data: T
    warnings: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
