"""Components: the planned and built parts of a feature."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from buildtracker.api.bodies import (
    AddComponentBody,
    CompleteComponentBody,
    UpdateComponentStatusBody,
)
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
    resolve,
    resolve_fields,
    resolve_optional,
)
from buildtracker.enums import ComponentStatus

router = APIRouter(tags=["components"])


@router.post("/api/components", response_model=Envelope, status_code=201)
def create_component(body: AddComponentBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(
        gateway.call(who, lambda c: c.add_component(**resolve_fields(c, body.model_dump())))
    )


@router.get("/api/components", response_model=Envelope)
def list_components(
    who: Who,
    gateway: Gate,
    feature_id: IdQuery = None,
    status: ComponentStatus | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    rows = gateway.call(
        who,
        lambda c: c.list_components(
            resolve_optional(c, "feature_id", feature_id), status, after, after_id, limit
        ),
    )
    return page(rows, limit, lambda row: row.component_id)


@router.get("/api/components/{component_id}", response_model=Envelope)
def get_component(component_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return ok(
        gateway.call(who, lambda c: c.get_component(resolve(c, "component_id", component_id)))
    )


@router.put("/api/components/{component_id}", response_model=Envelope)
def update_component(
    component_id: IdPath, changes: dict[str, Any], who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_component(
                resolve(c, "component_id", component_id), resolve_fields(c, changes)
            ),
        )
    )


@router.patch("/api/components/{component_id}/status", response_model=Envelope)
def change_component_status(
    component_id: IdPath, body: UpdateComponentStatusBody, who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_component_status(
                resolve(c, "component_id", component_id), **body.model_dump()
            ),
        )
    )


@router.patch("/api/components/{component_id}/complete", response_model=Envelope)
def complete_component(
    component_id: IdPath, body: CompleteComponentBody, who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.complete_component(
                resolve(c, "component_id", component_id), **body.model_dump()
            ),
        )
    )
