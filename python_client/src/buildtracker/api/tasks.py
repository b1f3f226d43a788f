"""Build tasks: the work queue (ready, claim) and each task's life cycle."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from buildtracker.api.bodies import (
    AddDependencyBody,
    AddTaskBody,
    BlockTaskBody,
    CancelTaskBody,
    ClaimNextTaskBody,
    CompleteTaskBody,
    HeartbeatTaskBody,
    ReleaseTaskBody,
    RequestTaskChangesBody,
    StartTaskBody,
    UnblockTaskBody,
)
from buildtracker.api.common import (
    Envelope,
    Gate,
    IdPath,
    IdQuery,
    Limit,
    Principal,
    Who,
    from_result,
    ok,
    page,
    project_filter,
    resolve,
    resolve_fields,
    resolve_optional,
)
from buildtracker.client import Client
from buildtracker.enums import TaskStatus
from buildtracker.errors import ErrorItem, ValidationError
from buildtracker.models import Result

router = APIRouter(tags=["tasks"])


@router.post("/api/tasks", response_model=Envelope, status_code=201)
def create_task(body: AddTaskBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.add_task(**resolve_fields(c, body.model_dump())))
    )


@router.get("/api/tasks", response_model=Envelope)
def list_tasks(
    who: Who,
    gateway: Gate,
    feature_id: IdQuery = None,
    status: TaskStatus | None = None,
    assigned_to_identity_id: IdQuery = None,
    project_id: IdQuery = None,
    project: IdQuery = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    rows = gateway.call(
        who,
        lambda c: c.list_tasks(
            feature_id=resolve_optional(c, "feature_id", feature_id),
            status=status,
            assigned_to_identity_id=resolve_optional(
                c, "assigned_to_identity_id", assigned_to_identity_id
            ),
            project_id=project_filter(c, project_id, project),
            after=after,
            after_id=after_id,
            max_rows=limit,
        ),
    )
    return page(rows, limit, lambda row: row.task_id)


@router.get("/api/tasks/ready", response_model=Envelope)
def ready_tasks(
    who: Who,
    gateway: Gate,
    feature_id: IdQuery = None,
    component_id: IdQuery = None,
    project_id: IdQuery = None,
    project: IdQuery = None,
    labels: Annotated[
        list[str] | None, Query(description="Only tasks carrying every one (repeatable)")
    ] = None,
    limit: Limit = 50,
) -> Envelope:
    return ok(
        gateway.call(
            who,
            lambda c: c.get_ready_tasks(
                resolve_optional(c, "feature_id", feature_id),
                resolve_optional(c, "component_id", component_id),
                project_filter(c, project_id, project),
                limit,
                labels,
            ),
        )
    )


@router.post("/api/tasks/claim", response_model=Envelope)
def claim_task(body: ClaimNextTaskBody, who: Who, gateway: Gate) -> Envelope:
    """The highest-priority ready task (of a project or feature, carrying every one
    of ``labels``), or one whose lease expired, started for ``identity_id`` (default:
    the token's identity) and held for ``lease`` (default 30 minutes); ``data`` is
    null when nothing is claimable."""
    caller_identity(body.identity_id, who)

    def claim(c: Client) -> Result[Any]:
        return c.claim_next_task(
            holder(c, body.identity_id, who),
            resolve_optional(c, "project_id", body.project_id),
            resolve_optional(c, "feature_id", body.feature_id),
            body.labels,
            body.lease,
        )

    return from_result(gateway.call(who, claim))


def caller_identity(identity_id: str | None, who: Principal) -> None:
    """Refuse a call that names no identity when the token has none to stand in."""
    if identity_id is None and who.identity_id is None:
        message = "identity_id is required when authentication is off"
        raise ValidationError(
            message,
            sqlstate="23514",
            errors=(ErrorItem(field="identity_id", message=message, code="23514"),),
        )


def holder(c: Client, identity_id: str | None, who: Principal) -> UUID:
    """The identity a claim or heartbeat is for: the one named, else the token's."""
    found = resolve_optional(c, "identity_id", identity_id) or who.identity_id
    assert found is not None  # caller_identity checked it
    return found


@router.get("/api/tasks/{task_id}", response_model=Envelope)
def get_task(task_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return ok(gateway.call(who, lambda c: c.get_task(resolve(c, "task_id", task_id))))


@router.get("/api/tasks/{task_id}/context", response_model=Envelope)
def task_context(
    task_id: IdPath,
    who: Who,
    gateway: Gate,
    max_comments: Annotated[
        int | None, Query(ge=0, le=100, description="At most this many latest comments")
    ] = None,
) -> Envelope:
    """The task with what an agent needs to work it: ``{"task", "feature_name",
    "project_name", "assignee_name", "depends_on", "dependents", "comments"}``
    (comments newest first)."""
    return ok(
        gateway.call(
            who, lambda c: c.get_task_context(resolve(c, "task_id", task_id), max_comments)
        )
    )


@router.put("/api/tasks/{task_id}", response_model=Envelope)
def update_task(task_id: IdPath, changes: dict[str, Any], who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_task(resolve(c, "task_id", task_id), resolve_fields(c, changes)),
        )
    )


@router.patch("/api/tasks/{task_id}/start", response_model=Envelope)
def start_task(task_id: IdPath, body: StartTaskBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.start_task(
                resolve(c, "task_id", task_id),
                resolve_optional(c, "identity_id", body.identity_id) or who.identity_id,
                body.reassign,
            ),
        )
    )


@router.patch("/api/tasks/{task_id}/heartbeat", response_model=Envelope)
def heartbeat_task(task_id: IdPath, body: HeartbeatTaskBody, who: Who, gateway: Gate) -> Envelope:
    """Extends the lease of an in_progress task held by ``identity_id`` (default: the
    token's identity) to now + ``lease`` (default 30 minutes); 409 unless it holds it."""
    caller_identity(body.identity_id, who)
    return from_result(
        gateway.call(
            who,
            lambda c: c.heartbeat_task(
                resolve(c, "task_id", task_id), holder(c, body.identity_id, who), body.lease
            ),
        )
    )


@router.patch("/api/tasks/{task_id}/release", response_model=Envelope)
def release_task(task_id: IdPath, body: ReleaseTaskBody, who: Who, gateway: Gate) -> Envelope:
    """Gives an in_progress task back: todo again, unassigned, with the reason logged."""
    return from_result(
        gateway.call(who, lambda c: c.release_task(resolve(c, "task_id", task_id), body.reason))
    )


@router.patch("/api/tasks/{task_id}/block", response_model=Envelope)
def block_task(task_id: IdPath, body: BlockTaskBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.block_task(
                resolve(c, "task_id", task_id),
                body.reason,
                resolve_optional(c, "blocked_by_task_id", body.blocked_by_task_id),
            ),
        )
    )


@router.patch("/api/tasks/{task_id}/unblock", response_model=Envelope)
def unblock_task(task_id: IdPath, body: UnblockTaskBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.unblock_task(resolve(c, "task_id", task_id), body.note))
    )


@router.patch("/api/tasks/{task_id}/review", response_model=Envelope)
def review_task(task_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.submit_task_for_review(resolve(c, "task_id", task_id)))
    )


@router.patch("/api/tasks/{task_id}/changes", response_model=Envelope)
def request_changes(
    task_id: IdPath, body: RequestTaskChangesBody, who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who, lambda c: c.request_task_changes(resolve(c, "task_id", task_id), body.note)
        )
    )


@router.patch("/api/tasks/{task_id}/complete", response_model=Envelope)
def complete_task(task_id: IdPath, body: CompleteTaskBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.complete_task(
                resolve(c, "task_id", task_id), body.actual_hours, body.completion_notes
            ),
        )
    )


@router.patch("/api/tasks/{task_id}/cancel", response_model=Envelope)
def cancel_task(task_id: IdPath, body: CancelTaskBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.cancel_task(resolve(c, "task_id", task_id), body.reason))
    )


# ---------------------------------------------------------------- dependencies


@router.get("/api/tasks/{task_id}/dependencies", response_model=Envelope)
def task_dependencies(task_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    """What the task depends on and what depends on it: ``{"depends_on": [...],
    "dependents": [...]}``, each ``{task_id, task_name, status, kind}``."""
    return ok(gateway.call(who, lambda c: c.get_task_dependencies(resolve(c, "task_id", task_id))))


@router.post("/api/dependencies", response_model=Envelope, status_code=201)
def add_dependency(body: AddDependencyBody, who: Who, gateway: Gate) -> Envelope:
    """``task_id`` depends on ``depends_on_task_id`` (``kind`` blocks, related or
    discovered_from); a blocks edge keeps the task from starting until it is done."""
    return from_result(
        gateway.call(who, lambda c: c.add_dependency(**resolve_fields(c, body.model_dump())))
    )


@router.delete("/api/dependencies/{task_id}/{depends_on_task_id}", response_model=Envelope)
def remove_dependency(
    task_id: IdPath, depends_on_task_id: IdPath, who: Who, gateway: Gate
) -> Envelope:
    """Removes the edge (and ``blocked_by_task_id`` when it named it); 404 when there is none."""
    return from_result(
        gateway.call(
            who,
            lambda c: c.remove_dependency(
                resolve(c, "task_id", task_id),
                resolve(c, "depends_on_task_id", depends_on_task_id),
            ),
        )
    )
