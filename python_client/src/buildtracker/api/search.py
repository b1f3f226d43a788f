"""Full-text search over names, descriptions, acceptance criteria and comments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from buildtracker.api.common import Envelope, Gate, IdQuery, Who, ok, project_filter

router = APIRouter(tags=["search"])


@router.get("/api/search", response_model=Envelope)
def search(
    who: Who,
    gateway: Gate,
    q: Annotated[
        str,
        Query(description='Words, "a phrase", a or b, -word (websearch syntax); 1-1000 characters'),
    ],
    project_id: IdQuery = None,
    project: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Envelope:
    """Features, tasks, components and requirements matching ``q``, best first, each
    with its ``title``, a ``snippet`` marking the hits in ``**`` and its ``rank``; a
    comment that matches is reported as the entity it is about."""
    return ok(
        gateway.call(who, lambda c: c.search(q, project_filter(c, project_id, project), limit))
    )
