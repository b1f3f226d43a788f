"""Comments on projects, features, components, tasks (``build_task``) and
requirements: append-only, newest first, paged backwards (before, before_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from buildtracker.api.bodies import AddCommentBody
from buildtracker.api.common import (
    ID_HELP,
    Envelope,
    Gate,
    Limit,
    Who,
    from_result,
    ok,
    resolve,
)
from buildtracker.client import Client
from buildtracker.enums import SourceType
from buildtracker.errors import ErrorItem, ValidationError
from buildtracker.ids import KEY_OF_ENTITY, whole_uuid

router = APIRouter(tags=["comments"])


def comment_target(client: Client, entity_type: SourceType, ref: str) -> UUID:
    """The id of the entity a comment is about: a whole id, or (an entity
    claude.resolve_id knows) a prefix or a project's name, its errors naming
    ``entity_id``."""
    if entity_type.value in KEY_OF_ENTITY:
        return resolve(client, "entity_id", ref, entity_type.value)
    as_uuid = whole_uuid(ref)
    if as_uuid is None:
        message = "entity_id must be a whole id unless entity_type names its entity"
        raise ValidationError(
            message, sqlstate="23514", errors=(ErrorItem("entity_id", message, "23514"),)
        )
    return as_uuid


@router.post("/api/comments", response_model=Envelope, status_code=201)
def add_comment(body: AddCommentBody, who: Who, gateway: Gate) -> Envelope:
    """A comment on the entity (``entity_type`` project, feature, component,
    build_task or requirement), by the token's identity; also a ``commented`` row
    of the feed. 422 when the entity does not exist."""
    return from_result(
        gateway.call(
            who,
            lambda c: c.add_comment(
                body.entity_type, comment_target(c, body.entity_type, body.entity_id), body.body
            ),
        )
    )


@router.get("/api/comments", response_model=Envelope)
def list_comments(
    who: Who,
    gateway: Gate,
    entity_type: SourceType,
    entity_id: Annotated[str, Query(description=ID_HELP)],
    before: datetime | None = None,
    before_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    """The comments on one entity, newest first; the next (older) page with
    ``metadata.next_before`` and ``next_before_id`` when this one was full."""
    rows = gateway.call(
        who,
        lambda c: c.get_comments(
            entity_type, comment_target(c, entity_type, entity_id), limit, before, before_id
        ),
    )
    full = len(rows) == limit
    return ok(
        rows,
        metadata={
            "next_before": rows[-1].created_at if full else None,
            "next_before_id": rows[-1].comment_id if full else None,
        },
    )
