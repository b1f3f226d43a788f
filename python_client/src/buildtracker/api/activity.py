"""The activity feed, newest first, paged backwards (before, before_id); the
feed followed forwards (``get_activity_after``); and applications' own events
written to it (``log_activity``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from buildtracker.api.bodies import LogActivityBody
from buildtracker.api.common import (
    ID_HELP,
    Envelope,
    Gate,
    IdPath,
    IdQuery,
    Limit,
    Who,
    activity_source,
    next_before,
    ok,
    one_of,
    resolve,
)
from buildtracker.client import Client
from buildtracker.enums import Severity, SourceType
from buildtracker.models import Activity

router = APIRouter(tags=["activity"])


@router.get("/api/activity", response_model=Envelope)
def activity(
    who: Who,
    gateway: Gate,
    project_name: str | None = None,
    project: IdQuery = None,
    source_type: SourceType | None = None,
    source_id: Annotated[
        str | None,
        Query(
            description=f"{ID_HELP}; a prefix or name needs source_type (not system)",
        ),
    ] = None,
    actor: str | None = None,
    activity_type: str | None = None,
    severity: Annotated[list[Severity] | None, Query()] = None,
    since: datetime | None = None,
    before: datetime | None = None,
    before_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    one_of("project_name", project_name, "project", project)

    def feed(c: Client) -> list[Activity]:
        name = project_name
        if project is not None:
            name = c.get_project(resolve(c, "project", project, "project")).project_name
        return c.get_activity(
            name,
            source_type,
            activity_source(c, source_type, source_id),
            actor,
            activity_type,
            severity,
            since,
            before,
            limit,
            before_id,
        )

    rows = gateway.call(who, feed)
    return ok(rows, metadata=next_before(rows, limit))


@router.get("/api/activity/feature/{feature_id}", response_model=Envelope)
def feature_activity(
    feature_id: IdPath,
    who: Who,
    gateway: Gate,
    before: datetime | None = None,
    before_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    rows = gateway.call(
        who,
        lambda c: c.get_activity(
            source_type="feature",
            source_id=resolve(c, "feature_id", feature_id),
            before=before,
            before_id=before_id,
            max_rows=limit,
        ),
    )
    return ok(rows, metadata=next_before(rows, limit))


FollowLimit = Annotated[
    int | None, Query(ge=0, le=1000, description="At most this many rows (default 100)")
]


@router.get("/api/activity/after", response_model=Envelope)
def activity_after(
    who: Who,
    gateway: Gate,
    after_id: Annotated[
        UUID | None,
        Query(description="The id of the last row the reader has; none: the newest rows"),
    ] = None,
    limit: FollowLimit = None,
    max_rows: FollowLimit = None,
) -> Envelope:
    """Follows the feed: the final rows after the row ``after_id``, oldest first,
    every severity (``max_rows`` is another name for ``limit``). Passing
    ``metadata.next_after_id`` as the next call's ``after_id`` never misses a
    row; 404 when ``after_id`` is not in the feed (pruned)."""
    one_of(
        "limit",
        None if limit is None else str(limit),
        "max_rows",
        None if max_rows is None else str(max_rows),
    )
    wanted = max_rows if limit is None else limit
    rows = gateway.call(who, lambda c: c.get_activity_after(after_id, wanted))
    return ok(rows, metadata={"next_after_id": rows[-1].id if rows else after_id})


@router.post("/api/activity", response_model=Envelope, status_code=201)
def log_activity(body: LogActivityBody, who: Who, gateway: Gate) -> Envelope:
    """An application's own event in the feed, by the token's identity; ``data``
    is the new row's ``id``."""
    new_id = gateway.call(
        who,
        lambda c: c.log_activity(
            body.source_type,
            activity_source(c, body.source_type, body.source_id),
            body.activity_type,
            body.title,
            body.summary,
            project_name=body.project_name,
            severity=body.severity,
            changes=body.changes,
        ),
    )
    return ok({"id": new_id})
