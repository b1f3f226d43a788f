"""The request bodies of the REST API. An id field (``IdRef``) may be a
prefix or a name; routes resolve it (``resolve_fields``) in the request's
transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from buildtracker.api.common import ID_HELP, IdRef, OptionalIdRef
from buildtracker.enums import (
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
    TaskType,
)


class ProjectIn(BaseModel):
    project_name: str


class IdentityIn(BaseModel):
    identity_name: str


class FeatureIn(BaseModel):
    feature_name: str
    feature_type: FeatureType
    project_id: IdRef
    description: str | None = None
    priority: int | None = None
    parent_feature_id: OptionalIdRef = None
    planned_by_identity_id: OptionalIdRef = None
    design_doc_path: str | None = None


class FeatureStatusIn(BaseModel):
    new_status: FeatureStatus
    reason: str | None = None
    implemented_by_identity_id: OptionalIdRef = None
    planned_by_identity_id: OptionalIdRef = None


class ComponentIn(BaseModel):
    feature_id: IdRef
    component_name: str
    component_type: ComponentType
    planned_functions: list[str] | None = None
    planned_dependencies: list[str] | None = None
    file_path: str | None = None


class ComponentStatusIn(BaseModel):
    new_status: ComponentStatus
    reason: str | None = None


class ComponentCompleteIn(BaseModel):
    actual_functions: list[str] | None = None
    file_path: str | None = None
    lines_of_code: int | None = None
    has_tests: bool | None = None
    test_coverage_percentage: float | None = None


class TaskIn(BaseModel):
    task_name: str
    task_description: str
    task_type: TaskType
    component_id: OptionalIdRef = None
    feature_id: OptionalIdRef = None
    priority: int | None = None
    estimated_hours: float | None = None
    assigned_to_identity_id: OptionalIdRef = None
    blocked_by_task_id: OptionalIdRef = None


class TaskStartIn(BaseModel):
    identity_id: OptionalIdRef = None


class TaskBlockIn(BaseModel):
    reason: str
    blocked_by_task_id: OptionalIdRef = None


class NoteIn(BaseModel):
    note: str


class ReasonIn(BaseModel):
    reason: str


class TaskCompleteIn(BaseModel):
    actual_hours: float
    completion_notes: str | None = None


class ClaimIn(BaseModel):
    identity_id: OptionalIdRef = None
    project_id: OptionalIdRef = None
    feature_id: OptionalIdRef = None


class RequirementIn(BaseModel):
    feature_id: IdRef
    requirement_name: str
    requirement_type: RequirementType
    description: str
    acceptance_criteria: list[str]
    priority: int | None = None
    must_have: bool | None = None
    created_by_identity_id: OptionalIdRef = None


class RequirementStatusIn(BaseModel):
    new_status: RequirementStatus
    reason: str | None = None
    component_id: OptionalIdRef = None


class VerifyIn(BaseModel):
    component_id: OptionalIdRef = None
    test_results: dict[str, Any] | None = None
    test_run_id: UUID | None = None


class JobsIn(BaseModel):
    older_than_days: int | None = Field(default=None, ge=1, le=3650)


class ActivityIn(BaseModel):
    source_type: SourceType
    source_id: str | None = Field(
        default=None,
        description=f"{ID_HELP}, of the source_type's entity; a whole id (or null) for system",
    )
    activity_type: ActivityType
    title: str
    summary: str | None = None
    project_name: str | None = None
    severity: Severity | None = None
    changes: dict[str, Any] | None = None


class ValidateIn(BaseModel):
    entity_type: SourceType
    data: dict[str, Any]
    operation: Operation = Operation.CREATE
