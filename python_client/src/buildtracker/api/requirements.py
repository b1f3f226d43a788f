"""Requirements: what a feature must do, and their verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from buildtracker.api.bodies import (
    AddRequirementBody,
    UpdateRequirementStatusBody,
    VerifyRequirementBody,
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
from buildtracker.client import Client
from buildtracker.enums import RequirementStatus
from buildtracker.models import Result

router = APIRouter(tags=["requirements"])


@router.post("/api/requirements", response_model=Envelope, status_code=201)
def create_requirement(body: AddRequirementBody, who: Who, gateway: Gate) -> Envelope:
    def add(c: Client) -> Result[Any]:
        args = resolve_fields(c, body.model_dump())
        args["created_by_identity_id"] = args["created_by_identity_id"] or who.identity_id
        return c.add_requirement(**args)

    return from_result(gateway.call(who, add))


@router.get("/api/requirements", response_model=Envelope)
def list_requirements(
    who: Who,
    gateway: Gate,
    feature_id: IdQuery = None,
    status: RequirementStatus | None = None,
    after: datetime | None = None,
    after_id: UUID | None = None,
    limit: Limit = 50,
) -> Envelope:
    rows = gateway.call(
        who,
        lambda c: c.list_requirements(
            resolve_optional(c, "feature_id", feature_id), status, after, after_id, limit
        ),
    )
    return page(rows, limit, lambda row: row.requirement_id)


@router.get("/api/requirements/{requirement_id}", response_model=Envelope)
def get_requirement(requirement_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return ok(
        gateway.call(who, lambda c: c.get_requirement(resolve(c, "requirement_id", requirement_id)))
    )


@router.put("/api/requirements/{requirement_id}", response_model=Envelope)
def update_requirement(
    requirement_id: IdPath, changes: dict[str, Any], who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_requirement(
                resolve(c, "requirement_id", requirement_id), resolve_fields(c, changes)
            ),
        )
    )


@router.patch("/api/requirements/{requirement_id}/status", response_model=Envelope)
def change_requirement_status(
    requirement_id: IdPath, body: UpdateRequirementStatusBody, who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.update_requirement_status(
                resolve(c, "requirement_id", requirement_id),
                **resolve_fields(c, body.model_dump()),
            ),
        )
    )


@router.patch("/api/requirements/{requirement_id}/verify", response_model=Envelope)
def verify_requirement(
    requirement_id: IdPath, body: VerifyRequirementBody, who: Who, gateway: Gate
) -> Envelope:
    return from_result(
        gateway.call(
            who,
            lambda c: c.verify_requirement(
                resolve(c, "requirement_id", requirement_id),
                **resolve_fields(c, body.model_dump()),
            ),
        )
    )
