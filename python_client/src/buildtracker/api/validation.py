"""Dry runs: what a create or update would report, nothing written."""

from __future__ import annotations

from fastapi import APIRouter

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
