"""Typed Python client for the buildtracker PostgreSQL data gateway.

Every rule lives in the database (schema ``claude``); this package only calls
its stored functions and maps their results and errors to Python types.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from buildtracker.client import (
        AsyncClient,
        Client,
        listen,
    )
    from buildtracker.enums import (
        Access,
        ActivityType,
        ComponentStatus,
        ComponentType,
        DependencyKind,
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
        Comment,
        Component,
        DependencyLink,
        Feature,
        FeatureCompletion,
        FeatureWithChildren,
        GateResult,
        Identity,
        Project,
        ReadyFeature,
        Requirement,
        Result,
        SearchHit,
        StaleTask,
        TaskContext,
        TaskDependencies,
        TaskDependency,
        UnblockedTask,
        ValidationReport,
    )

# Every public name, by the module that defines it: imported on first use, so
# that `buildtracker --help` and other light uses do not pay for psycopg,
# the models or the client (PEP 562).
_MODULE_OF: dict[str, str] = {
    "Access": "enums",
    "ActivityType": "enums",
    "ComponentStatus": "enums",
    "ComponentType": "enums",
    "DependencyKind": "enums",
    "FeatureStatus": "enums",
    "FeatureType": "enums",
    "Operation": "enums",
    "RequirementStatus": "enums",
    "RequirementType": "enums",
    "Severity": "enums",
    "SourceType": "enums",
    "TaskStatus": "enums",
    "TaskType": "enums",
    "BuildTrackerError": "errors",
    "ErrorItem": "errors",
    "InvalidTransitionError": "errors",
    "MissingReferenceError": "errors",
    "NotFoundError": "errors",
    "PermissionDeniedError": "errors",
    "RetryableConflictError": "errors",
    "ValidationError": "errors",
    "Activity": "models",
    "BuildTask": "models",
    "Component": "models",
    "DependencyLink": "models",
    "Feature": "models",
    "FeatureCompletion": "models",
    "FeatureWithChildren": "models",
    "GateResult": "models",
    "Identity": "models",
    "Project": "models",
    "ReadyFeature": "models",
    "Requirement": "models",
    "Result": "models",
    "StaleTask": "models",
    "TaskDependencies": "models",
    "TaskDependency": "models",
    "Comment": "models",
    "TaskContext": "models",
    "SearchHit": "models",
    "UnblockedTask": "models",
    "ValidationReport": "models",
    "AsyncClient": "client",
    "Client": "client",
    "listen": "client",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'buildtracker' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"buildtracker.{module}"), name)


__version__ = "1.0.0"

__all__ = [
    "Access",
    "Activity",
    "ActivityType",
    "AsyncClient",
    "BuildTask",
    "BuildTrackerError",
    "Client",
    "Comment",
    "Component",
    "ComponentStatus",
    "ComponentType",
    "DependencyKind",
    "DependencyLink",
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
    "SearchHit",
    "Severity",
    "SourceType",
    "StaleTask",
    "TaskContext",
    "TaskDependencies",
    "TaskDependency",
    "TaskStatus",
    "TaskType",
    "UnblockedTask",
    "ValidationError",
    "ValidationReport",
    "listen",
]
