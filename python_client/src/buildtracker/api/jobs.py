"""Maintenance jobs: each check on its own (nothing written), all of them run
and logged (``run_jobs``), and the database's invariants."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from buildtracker.api.common import Envelope, Gate, Who, ok

router = APIRouter(tags=["jobs"])


class JobsIn(BaseModel):
    """REST spells run_jobs' interval in whole days."""

    older_than_days: int | None = Field(default=None, ge=1, le=3650)


@router.post("/api/jobs/run", response_model=Envelope)
def run_jobs(body: JobsIn, who: Who, gateway: Gate) -> Envelope:
    older = timedelta(days=body.older_than_days) if body.older_than_days else None
    return ok(gateway.call(who, lambda c: c.run_jobs(older)))


@router.get("/api/jobs/stale", response_model=Envelope)
def stale_tasks(
    who: Who,
    gateway: Gate,
    older_than_days: Annotated[
        int | None,
        Query(ge=0, le=3650, description="days in progress; 7 when not given"),
    ] = None,
) -> Envelope:
    """Tasks in progress for longer than ``older_than_days``, oldest first."""
    older = None if older_than_days is None else timedelta(days=older_than_days)
    return ok(gateway.call(who, lambda c: c.check_stale_tasks(older)))


@router.get("/api/jobs/unblocked", response_model=Envelope)
def unblocked_tasks(who: Who, gateway: Gate) -> Envelope:
    """Blocked tasks whose blocker is now completed or cancelled."""
    return ok(gateway.call(who, lambda c: c.check_unblocked_tasks()))


@router.get("/api/jobs/ready", response_model=Envelope)
def ready_features(who: Who, gateway: Gate) -> Envelope:
    """Features in progress at 100% that pass the completion gate."""
    return ok(gateway.call(who, lambda c: c.check_completion_readiness()))


@router.get("/api/invariants", response_model=Envelope)
def invariants(who: Who, gateway: Gate) -> Envelope:
    """Every violation of the invariants (invariant, entity, entity_id, detail); [] when all hold."""
    return ok(gateway.call(who, lambda c: c.check_invariants()))
