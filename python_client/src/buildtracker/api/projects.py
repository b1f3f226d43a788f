"""Projects and identities: the two entities named by a name."""

from __future__ import annotations

from fastapi import APIRouter

from buildtracker.api.bodies import AddIdentityBody, AddProjectBody
from buildtracker.api.common import Envelope, Gate, IdPath, Who, from_result, ok, resolve

router = APIRouter()


@router.post("/api/projects", response_model=Envelope, status_code=201, tags=["projects"])
def create_project(body: AddProjectBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(gateway.call(who, lambda c: c.add_project(body.project_name)))


@router.get("/api/projects", response_model=Envelope, tags=["projects"])
def list_projects(who: Who, gateway: Gate) -> Envelope:
    return ok(gateway.call(who, lambda c: c.list_projects()))


@router.get("/api/projects/{project_id}", response_model=Envelope, tags=["projects"])
def get_project(project_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return ok(gateway.call(who, lambda c: c.get_project(resolve(c, "project_id", project_id))))


@router.post("/api/identities", response_model=Envelope, status_code=201, tags=["identities"])
def create_identity(body: AddIdentityBody, who: Who, gateway: Gate) -> Envelope:
    return from_result(gateway.call(who, lambda c: c.add_identity(body.identity_name)))


@router.get("/api/identities", response_model=Envelope, tags=["identities"])
def list_identities(who: Who, gateway: Gate) -> Envelope:
    return ok(gateway.call(who, lambda c: c.list_identities()))


@router.get("/api/identities/{identity_id}", response_model=Envelope, tags=["identities"])
def get_identity(identity_id: IdPath, who: Who, gateway: Gate) -> Envelope:
    return ok(gateway.call(who, lambda c: c.get_identity(resolve(c, "identity_id", identity_id))))
