"""The activity feed's tamper evidence (SPEC section 12): the chain's head,
its verification, and sealing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from buildtracker.api.common import Envelope, Gate, Who, ok

router = APIRouter(tags=["feed"])


@router.get("/api/feed/anchor", response_model=Envelope)
def feed_anchor(who: Who, gateway: Gate) -> Envelope:
    """The head of the checkpoint chain, ``{"anchor": "<checkpoint_id>:<digest>"}``: save it
    where the database's owner cannot write, and verify against it later."""
    return ok({"anchor": gateway.call(who, lambda c: c.feed_anchor())})


@router.get("/api/feed/verify", response_model=Envelope)
def verify_feed(
    who: Who,
    gateway: Gate,
    anchor: Annotated[
        str | None, Query(description="an anchor from /api/feed/anchor, saved before")
    ] = None,
) -> Envelope:
    """One item per problem (problem, checkpoint_id, entity_id, detail); ``[]`` when the
    feed's history is intact (and, given an anchor, was not rewritten up to it)."""
    return ok(gateway.call(who, lambda c: c.verify_feed(anchor)))


@router.post("/api/feed/seal", response_model=Envelope)
def seal_feed(who: Who, gateway: Gate) -> Envelope:
    """Append a checkpoint over the rows of finished transactions (run_jobs does it too)."""
    return ok(gateway.call(who, lambda c: c.seal_feed()))
