"""Dry runs: what a create or update would report, nothing written."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from buildtracker.api.bodies import ValidateBody
from buildtracker.api.common import Envelope, Gate, Who, ok, resolve_fields

router = APIRouter(tags=["validation"])


@router.post("/api/validate", response_model=Envelope)
def validate(body: ValidateBody, who: Who, gateway: Gate) -> Envelope:
    """What the add_* (operation ``create``) or update_* (``update``, ``data``
    holding the id) call would report, as ``data``: ``{"errors": [...],
    "warnings": [...]}``. Nothing is written; a reader may call it. Id fields of
    ``data`` may be prefixes or names, resolved as in the real call."""
    return ok(
        gateway.call(
            who,
            lambda c: c.validate(body.entity_type, resolve_fields(c, body.data), body.operation),
        )
    )


@router.get("/api/status-transitions/check", response_model=Envelope)
def check_transition(
    who: Who,
    gateway: Gate,
    entity_type: Annotated[str, Query(description="feature, component, build_task or requirement")],
    from_status: Annotated[str, Query()],
    to_status: Annotated[str, Query()],
) -> Envelope:
    """Whether a status change is allowed (``validate_status_transition``): ``data`` is
    ``{"errors", "warnings", "action", "needs"}``; nothing is written; a reader may call it."""
    return ok(
        gateway.call(
            who, lambda c: c.validate_status_transition(entity_type, from_status, to_status)
        )
    )
