"""Ids people can type (SPEC section 11), the parts the CLI and the REST API
share: which field names an entity, and a whole UUID passed through without a
database call. Everything else (prefixes, names, ambiguity) is decided by
``claude.resolve_id``."""

from __future__ import annotations

from uuid import UUID

# The entity claude.resolve_id looks each id field up in (the SQL functions'
# parameter names, which are also the REST API's body and query fields).
ENTITY_OF_FIELD: dict[str, str] = {
    "project_id": "project",
    "identity_id": "identity",
    "assigned_to_identity_id": "identity",
    "planned_by_identity_id": "identity",
    "implemented_by_identity_id": "identity",
    "created_by_identity_id": "identity",
    "feature_id": "feature",
    "parent_feature_id": "feature",
    "component_id": "component",
    "task_id": "build_task",
    "blocked_by_task_id": "build_task",
    "depends_on_task_id": "build_task",
    "requirement_id": "requirement",
}

# The field claude.resolve_id names in its errors, per entity.
KEY_OF_ENTITY: dict[str, str] = {
    "project": "project_id",
    "identity": "identity_id",
    "feature": "feature_id",
    "component": "component_id",
    "build_task": "task_id",
    "requirement": "requirement_id",
}


def whole_uuid(ref: str) -> UUID | None:
    """``ref`` as a UUID when it is a whole one, else None (resolve it)."""
    try:
        return UUID(ref.strip())
    except ValueError:
        return None
