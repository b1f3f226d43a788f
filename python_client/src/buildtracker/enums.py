"""Enums mirroring the value sets of the database (SPEC section 3).

The database's CHECK constraints are the source of truth; these only give
Python callers names for the values.
"""

from __future__ import annotations

from enum import StrEnum


class FeatureStatus(StrEnum):
    NOT_STARTED = "not_started"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class FeatureType(StrEnum):
    FEATURE = "feature"
    ENHANCEMENT = "enhancement"
    BUG_FIX = "bug_fix"
    REFACTORING = "refactoring"
    INTEGRATION = "integration"
    INFRASTRUCTURE = "infrastructure"
    UI = "ui"
    API = "api"
    DATA = "data"


class ComponentStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    TESTED = "tested"
    DOCUMENTED = "documented"
    DEPRECATED = "deprecated"


class ComponentType(StrEnum):
    UI_COMPONENT = "ui_component"
    PAGE = "page"
    LAYOUT = "layout"
    DIALOG = "dialog"
    HOOK = "hook"
    STORE = "store"
    API_ENDPOINT = "api_endpoint"
    SERVICE = "service"
    REPOSITORY = "repository"
    MIDDLEWARE = "middleware"
    WORKER = "worker"
    DATABASE = "database"
    MODULE = "module"
    UTILITY = "utility"
    CONFIG = "config"
    TYPES = "types"
    TEST = "test"


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    REVIEW = "review"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskType(StrEnum):
    CODE = "code"
    TEST = "test"
    REVIEW = "review"
    DESIGN = "design"
    DOCUMENTATION = "documentation"
    RESEARCH = "research"
    BUG_FIX = "bug_fix"
    REFACTOR = "refactor"
    DEPLOYMENT = "deployment"
    MEETING = "meeting"


class RequirementStatus(StrEnum):
    DRAFT = "draft"
    DEFINED = "defined"
    APPROVED = "approved"
    IMPLEMENTED = "implemented"
    VERIFIED = "verified"
    REJECTED = "rejected"


class RequirementType(StrEnum):
    UI = "ui"
    API = "api"
    DATA = "data"
    INTEGRATION = "integration"
    FUNCTIONAL = "functional"
    PERFORMANCE = "performance"
    SECURITY = "security"
    USABILITY = "usability"
    ACCESSIBILITY = "accessibility"
    COMPLIANCE = "compliance"
    CONFIG = "config"
    DEPLOYMENT = "deployment"


class SourceType(StrEnum):
    FEATURE = "feature"
    COMPONENT = "component"
    BUILD_TASK = "build_task"
    REQUIREMENT = "requirement"
    PROJECT = "project"
    IDENTITY = "identity"
    SYSTEM = "system"


class ActivityType(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    STATUS_CHANGED = "status_changed"
    COMPLETED = "completed"
    STARTED = "started"
    ASSIGNED = "assigned"
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"
    VERIFIED = "verified"
    CANCELLED = "cancelled"
    DELETED = "deleted"
    # written by the database only (SPEC section 10); log_activity refuses them
    COMMENTED = "commented"
    RECLAIMED = "reclaimed"
    STALE = "stale"
    BLOCKER_RESOLVED = "blocker_resolved"
    READY_TO_COMPLETE = "ready_to_complete"
    LEASE_EXPIRED = "lease_expired"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    SUCCESS = "success"


class Access(StrEnum):
    """What a REST API token may do (claude.api_tokens.access)."""

    READER = "reader"
    WRITER = "writer"


class Operation(StrEnum):
    """What claude.validate dry-runs: an add_* (create) or an update_* (update)."""

    CREATE = "create"
    UPDATE = "update"


class DependencyKind(StrEnum):
    """claude.task_dependencies.kind: how a task depends on another."""

    BLOCKS = "blocks"
    RELATED = "related"
    DISCOVERED_FROM = "discovered_from"
