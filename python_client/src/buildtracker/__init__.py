"""Typed Python client for the buildtracker PostgreSQL data gateway.

Every rule lives in the database (schema ``claude``); this package only calls
its stored functions and maps their results and errors to Python types.
"""

from buildtracker.client import AsyncClient, Client
from buildtracker.enums import (
    ActivityType,
    ComponentStatus,
    ComponentType,
    FeatureStatus,
    FeatureType,
    RequirementStatus,
    RequirementType,
    Severity,
    SourceType,
    TaskStatus,
    TaskType,
)
from buildtracker.errors import (
    BuildTrackerError,
    ErrorItem,
    InvalidTransitionError,
    MissingReferenceError,
    NotFoundError,
    PermissionDeniedError,
    RetryableConflictError,
    ValidationError,
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
    Project,
    ReadyFeature,
    Requirement,
    Result,
    StaleTask,
    UnblockedTask,
    ValidationReport,
)

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "ActivityType",
    "AsyncClient",
    "BuildTask",
    "BuildTrackerError",
    "Client",
    "Component",
    "ComponentStatus",
    "ComponentType",
    "ErrorItem",
    "Feature",
    "FeatureCompletion",
    "FeatureStatus",
    "FeatureType",
    "FeatureWithChildren",
    "GateResult",
    "Identity",
    "InvalidTransitionError",
    "MissingReferenceError",
    "NotFoundError",
    "PermissionDeniedError",
    "Project",
    "ReadyFeature",
    "Requirement",
    "RequirementStatus",
    "RequirementType",
    "Result",
    "RetryableConflictError",
    "Severity",
    "SourceType",
    "StaleTask",
    "TaskStatus",
    "TaskType",
    "UnblockedTask",
    "ValidationError",
    "ValidationReport",
]
