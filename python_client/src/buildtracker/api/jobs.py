"""Maintenance jobs."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter

from buildtracker.api.bodies import JobsIn
from buildtracker.api.common import Envelope, Gate, Who, ok

router = APIRouter(tags=["jobs"])


@router.post("/api/jobs/run", response_model=Envelope)
def run_jobs(body: JobsIn, who: Who, gateway: Gate) -> Envelope:
    older = timedelta(days=body.older_than_days) if body.older_than_days else None
    return ok(gateway.call(who, lambda c: c.run_jobs(older)))
