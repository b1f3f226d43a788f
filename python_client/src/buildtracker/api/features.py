"""Features: a project's units of work, with their status and completion."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from buildtracker.api.bodies import AddFeatureBody, UpdateFeatureStatusBody
from buildtracker.api.common import (
    Envelope,
    Gate,
    IdPath,
    IdQuery,
    Limit,
    Who,
    from_result,
    ok,
    page,
    project_filter,
    resolve,
    resolve_fields,
)
from buildtracker.enums import FeatureStatus

router = APIRouter(tags=["features"])


@router.post("/api/features", response_model=Envelope, status_code=201)
def create_feature(body: AddFeatureBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.add_feature(**resolve_fields(c, body.model_dump())))
    )


@router.get("/api/features", response_model=Envelope)
def list_features(
    who: Who,
    gateway: Gate,
    project_id: IdQuery = None,
    project: IdQuery = None,
    status: FeatureStatus | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    rows = gateway.call(
        who,
        lambda c: c.list_features(
            project_filter(c, project_id, project), status, after, after_id, limit
        ),
    )
    return page(rows, limit, lambda row: row.feature_id)


@router.get("/api/features/{feature_id}", response_model=Envelope)
def get_feature(feature_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    """The feature in the seed's shape: its fields flat in ``data``, with its
    ``components``, ``tasks`` and ``requirements`` arrays beside them (what
    ``get_feature_with_children`` returns, and the CLI's ``feature show --json``)."""
    detail = gateway.call(
        who, lambda c: c.get_feature_with_children(resolve(c, "feature_id", feature_id))
    )
    return ok(detail.to_json())


@router.put("/api/features/{feature_id}", response_model=Envelope)
def update_feature(
    feature_id: IdPath, changes: dict[str, Any], who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_feature(
                resolve(c, "feature_id", feature_id), resolve_fields(c, changes)
            ),
        )
    )


@router.delete("/api/features/{feature_id}", response_model=Envelope)
def delete_feature(feature_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.delete_feature(resolve(c, "feature_id", feature_id)))
    )


@router.patch("/api/features/{feature_id}/status", response_model=Envelope)
def change_feature_status(
    feature_id: IdPath, body: UpdateFeatureStatusBody, who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_feature_status(
                resolve(c, "feature_id", feature_id), **resolve_fields(c, body.model_dump())
            ),
        )
    )


@router.get("/api/features/{feature_id}/completion", response_model=Envelope)
def feature_completion(feature_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return ok(
        gateway.call(who, lambda c: c.get_feature_completion(resolve(c, "feature_id", feature_id)))
    )


@router.get("/api/features/{feature_id}/row", response_model=Envelope)
def get_feature_row(feature_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    """The feature's own row, without its components, tasks and requirements
    (``GET /api/features/{feature_id}`` has them)."""
    return ok(gateway.call(who, lambda c: c.get_feature(resolve(c, "feature_id", feature_id))))


@router.get("/api/features/{feature_id}/gate", response_model=Envelope)
def feature_gate(feature_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    """Whether the feature may complete now (``can_complete``) and every check
    that fails (``checks``); nothing is written."""
    return ok(
        gateway.call(who, lambda c: c.can_complete_feature(resolve(c, "feature_id", feature_id)))
    )


@router.post("/api/features/{feature_id}/complete", response_model=Envelope)
def complete_feature(feature_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.complete_feature(resolve(c, "feature_id", feature_id)))
    )
