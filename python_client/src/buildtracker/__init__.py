"""Typed Python client for the buildtracker PostgreSQL data gateway.

Every rule lives in the database (schema ``claude``); this package only calls
its stored functions and maps their results and errors to Python types.
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from buildtracker.client import AsyncClient, Client, listen


def __getattr__(name: str) -> Any:
    """Client and AsyncClient load psycopg: imported on first use, so that
    ``buildtracker --help`` and the other pure-Python parts start fast."""
    if name in ("Client", "AsyncClient", "listen"):
        from buildtracker import client

        return getattr(client, name)
    raise AttributeError(f"module 'buildtracker' has no attribute {name!r}")


__version__ = "1.0.0"

__all__ = [
    "Access",
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
    "Operation",
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
    "listen",
]
