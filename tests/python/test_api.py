"""The REST API over HTTP against the deployed database (SPEC sections 6, 7 and 8).

Every documented operation is called at least once (the last test compares
what was called with the paths of ``/openapi.json``); every response carries
the seed's envelope; every failure kind has its HTTP status (422, 404, 409,
503, 403, 401); bearer tokens map to identities (the actor of every write)
and database roles; list endpoints filter and page; ``authenticate=False``
works without a token; the seed's feature-to-completion story runs over HTTP.

The API commits every request, so each test works in its own project with
unique names. Tokens are created with SQL as the superuser the tests connect
as (``claude.create_api_token`` is for admins only).

Tasks are completed over HTTP with whole and fractional hours (the client
sends numbers as text of unknown type, so PostgreSQL converts them to the
functions' ``numeric`` and ``integer`` parameters).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from buildtracker.api import create_app
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from psycopg.conninfo import make_conninfo

Json = dict[str, Any]
Conn = psycopg.Connection[Any]
Operation = tuple[str, str]

ENVELOPE_KEYS = {"success", "data", "validation", "metadata"}
LONG_DESCRIPTION = "A description comfortably longer than fifty characters, for approval."
CRITERIA = [
    "Given a user, the page should load",
    "When saved, the record must persist",
    "Then the list must show the record",
]


def tag() -> str:
    """A suffix that keeps names unique across runs and tests."""
    return uuid.uuid4().hex[:10]


# ---------------------------------------------------------------- HTTP helpers


def route_of(app: FastAPI, method: str, url: str) -> str:
    """The documented path template a request reaches (first match, as Starlette routes)."""
    path = urlsplit(url).path
    for route in app.routes:
        if (
            isinstance(route, APIRoute)
            and method.upper() in (route.methods or set())
            and route.path_regex.match(path)
        ):
            return route.path
    return path


@dataclass
class Api:
    """A test client with fixed headers that records every operation it calls."""

    client: TestClient
    seen: set[Operation]
    headers: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        app = self.client.app
        assert isinstance(app, FastAPI)
        self.seen.add((method.upper(), route_of(app, method, url)))
        response: httpx.Response = self.client.request(
            method, url, json=json, params=params, headers={**self.headers, **(headers or {})}
        )
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


def envelope(response: httpx.Response, status: int) -> Json:
    """The body of a success, after checking the status and the seed's envelope shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: Json = response.json()
    assert set(body) == ENVELOPE_KEYS, body
    assert isinstance(body["success"], bool)
    assert set(body["validation"]) == {"errors", "warnings"}
    assert isinstance(body["validation"]["errors"], list)
    assert isinstance(body["validation"]["warnings"], list)
    assert all(isinstance(w, str) for w in body["validation"]["warnings"])
    assert isinstance(body["metadata"], dict)
    return body


def ok(response: httpx.Response, status: int = 200) -> Json:
    """A successful envelope: success true, no errors."""
    body = envelope(response, status)
    assert body["success"] is True
    assert body["validation"]["errors"] == []
    return body


def data(response: httpx.Response, status: int = 200) -> Any:
    return ok(response, status)["data"]


def refused(response: httpx.Response, status: int, *, listed: bool = True) -> Json:
    """A failure in the JSON contract ({"success": false, "error": {...}}): returns the
    error object (sqlstate, message, errors, hint).

    ``listed=False`` skips the check that at least one error is listed.
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: Json = response.json()
    assert body.keys() == {"success", "error"}, body
    assert body["success"] is False
    error: Json = body["error"]
    assert error.keys() == {"sqlstate", "message", "errors", "hint"}, error
    if listed:
        assert error["errors"], "a failure lists at least one error"
    for item in error["errors"]:
        assert set(item) == {"field", "message", "code", "entity_id"}
        assert isinstance(item["message"], str) and item["message"]
    assert isinstance(error["message"], str) and error["message"]
    return error


def fields(error: Json) -> set[str | None]:
    return {e["field"] for e in error["errors"]}


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    token: str
    token_id: str
    identity_id: str
    identity_name: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_token(admin: Conn, access: str, name: str | None = None) -> Token:
    """A new identity and a bearer token acting as it, created with SQL as an admin."""
    identity_name = name or f"api-{access}-{tag()}"
    row = admin.execute(
        "SELECT claude.add_identity(identity_name => %s)->'data'->>'identity_id'",
        [identity_name],
    ).fetchone()
    assert row is not None
    identity_id = row[0]
    created = admin.execute(
        "SELECT claude.create_api_token(identity_id => %s::uuid, access => %s, label => 'pytest')",
        [identity_id, access],
    ).fetchone()
    assert created is not None
    payload: Json = created[0]
    assert payload["access"] == access
    return Token(payload["token"], payload["token_id"], identity_id, identity_name)


def complete_task(api: Api, task_id: str) -> None:
    """Complete a task over HTTP with 2.5 hours; the envelope reports the estimate accuracy."""
    body = ok(api.patch(f"/api/tasks/{task_id}/complete", json={"actual_hours": 2.5}))
    assert body["data"]["status"] == "completed"
    assert body["data"]["actual_hours"] == 2.5
    assert "estimate_accuracy" in body["metadata"]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def admin(database_url: str) -> Iterator[Conn]:
    """The superuser, autocommit: tokens, and what the API cannot do (see above)."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def seen() -> set[Operation]:
    """Every (method, path template) any test of this module called."""
    return set()


@pytest.fixture(scope="module")
def http(database_url: str) -> Iterator[TestClient]:
    """The app behind a test client; the context manager runs the lifespan (opens the pool)."""
    with TestClient(create_app(database_url)) as client:
        yield client


@pytest.fixture(scope="module")
def writer_token(admin: Conn) -> Token:
    return make_token(admin, "writer")


@pytest.fixture(scope="module")
def reader_token(admin: Conn) -> Token:
    return make_token(admin, "reader")


@pytest.fixture
def writer(http: TestClient, seen: set[Operation], writer_token: Token) -> Api:
    return Api(http, seen, writer_token.headers)


@pytest.fixture
def reader(http: TestClient, seen: set[Operation], reader_token: Token) -> Api:
    return Api(http, seen, reader_token.headers)


@pytest.fixture
def anonymous(http: TestClient, seen: set[Operation]) -> Api:
    return Api(http, seen)


# ---------------------------------------------------------------- builders


def new_project(api: Api) -> Json:
    project: Json = data(api.post("/api/projects", json={"project_name": f"proj {tag()}"}), 201)
    return project


def new_identity(api: Api) -> Json:
    body = {"identity_name": f"agent-{tag()}"}
    identity: Json = data(api.post("/api/identities", json=body), 201)
    return identity


def new_feature(api: Api, project_id: str, **extra: Any) -> Json:
    body = {
        "feature_name": f"Feature {tag()}",
        "feature_type": "feature",
        "project_id": project_id,
        "description": LONG_DESCRIPTION,
        **extra,
    }
    feature: Json = data(api.post("/api/features", json=body), 201)
    return feature


def started_feature(api: Api, project_id: str, identity_id: str) -> Json:
    """A feature moved not_started -> planned -> in_progress over HTTP."""
    feature = new_feature(api, project_id)
    url = f"/api/features/{feature['feature_id']}/status"
    data(api.patch(url, json={"new_status": "planned", "planned_by_identity_id": identity_id}))
    moved: Json = data(
        api.patch(
            url, json={"new_status": "in_progress", "implemented_by_identity_id": identity_id}
        )
    )
    assert moved["status"] == "in_progress"
    return moved


def new_component(api: Api, feature_id: str, name: str | None = None) -> Json:
    body = {
        "feature_id": feature_id,
        "component_name": name or f"comp_{tag()}",
        "component_type": "service",
        "planned_functions": ["run"],
    }
    component: Json = data(api.post("/api/components", json=body), 201)
    return component


def new_task(api: Api, feature_id: str, **extra: Any) -> Json:
    body = {
        "task_name": f"Task {tag()}",
        "task_description": "Do the work described in the plan.",
        "task_type": "code",
        "feature_id": feature_id,
        **extra,
    }
    task: Json = data(api.post("/api/tasks", json=body), 201)
    return task


def new_requirement(api: Api, feature_id: str, **extra: Any) -> Json:
    body = {
        "feature_id": feature_id,
        "requirement_name": f"Requirement {tag()}",
        "requirement_type": "functional",
        "description": LONG_DESCRIPTION,
        "acceptance_criteria": CRITERIA,
        **extra,
    }
    requirement: Json = data(api.post("/api/requirements", json=body), 201)
    return requirement


def activity_rows(api: Api, **params: Any) -> list[Json]:
    rows: list[Json] = data(api.get("/api/activity", params={"limit": 1000, **params}))
    return rows


# ---------------------------------------------------------------- the document


def test_openapi_document_lists_the_seed_endpoints(anonymous: Api) -> None:
    response = anonymous.client.get("/openapi.json")  # public: no token needed
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "buildtracker"
    operations = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    assert {
        ("POST", "/api/features"),
        ("GET", "/api/features"),
        ("PATCH", "/api/features/{feature_id}/status"),
        ("POST", "/api/features/{feature_id}/complete"),
        ("GET", "/api/features/{feature_id}/completion"),
        ("POST", "/api/components"),
        ("POST", "/api/tasks"),
        ("GET", "/api/tasks/ready"),
        ("POST", "/api/tasks/claim"),
        ("POST", "/api/requirements"),
        ("GET", "/api/activity"),
    } <= operations
    for ops in document["paths"].values():
        for op in ops.values():
            for status in ("401", "403", "404", "409", "422", "503"):
                assert status in op["responses"], (op["operationId"], status)


# ---------------------------------------------------------------- success envelope


def test_projects_and_identities_answer_with_the_seed_envelope(writer: Api) -> None:
    name = f"proj {tag()}"
    body = ok(writer.post("/api/projects", json={"project_name": name}), 201)
    assert body["data"]["project_name"] == name
    uuid.UUID(body["data"]["project_id"])
    assert body["validation"] == {"errors": [], "warnings": []}
    assert body["metadata"] == {}

    projects = data(writer.get("/api/projects"))
    assert name in [p["project_name"] for p in projects]

    identity = new_identity(writer)
    identities = data(writer.get("/api/identities"))
    assert identity["identity_id"] in [i["identity_id"] for i in identities]

    # a duplicate name is a validation error (23514), not a unique violation
    duplicate = refused(writer.post("/api/projects", json={"project_name": name}), 422)
    assert duplicate["sqlstate"] == "23514"
    assert "project_name" in fields(duplicate)


# ---------------------------------------------------------------- 422


def test_database_validation_lists_every_error(writer: Api) -> None:
    project = new_project(writer)
    body = refused(
        writer.post(
            "/api/features",
            json={
                "feature_name": "Tiny",  # shorter than 5
                "feature_type": "feature",
                "project_id": project["project_id"],
                "priority": 42,  # outside 1-10
            },
        ),
        422,
    )
    assert body["sqlstate"] == "23514"
    assert {"feature_name", "priority"} <= fields(body)
    assert all(e["code"] == "23514" for e in body["errors"])
    # nothing was written
    assert data(writer.get("/api/features", params={"project_id": project["project_id"]})) == []

    feature = new_feature(writer, project["project_id"])
    # update_feature: an unknown key and `status` are both refused, both named
    body = refused(
        writer.put(
            f"/api/features/{feature['feature_id']}", json={"status": "completed", "colour": "red"}
        ),
        422,
    )
    assert len(body["errors"]) >= 2
    assert {"status", "colour"} <= fields(body)


def test_request_validation_lists_every_error(writer: Api) -> None:
    # a bad enum value and a missing field, both reported by the request check
    body = refused(
        writer.post("/api/features", json={"feature_name": "Some feature", "feature_type": "x"}),
        422,
    )
    assert {"feature_type", "project_id"} <= fields(body)
    assert body["message"] == "the request is invalid"


def test_missing_reference_is_422(writer: Api) -> None:
    unknown = str(uuid.uuid4())
    body = refused(
        writer.post(
            "/api/features",
            json={"feature_name": "Orphan feature", "feature_type": "ui", "project_id": unknown},
        ),
        422,
    )
    assert body["sqlstate"] == "23503"
    errors = {e["field"]: e for e in body["errors"]}
    assert errors["project_id"]["code"] == "23503"


def test_malformed_requests_are_422(writer: Api) -> None:
    body = refused(writer.get("/api/features/not-a-uuid"), 422)
    assert any("feature_id" in (f or "") for f in fields(body))

    body = refused(writer.patch(f"/api/tasks/{uuid.uuid4()}/block", json={}), 422)
    assert "reason" in fields(body)

    # complete-task: covered by its malformed answer only (see the module docstring)
    body = refused(writer.patch(f"/api/tasks/{uuid.uuid4()}/complete", json={}), 422)
    assert "actual_hours" in fields(body)

    body = refused(writer.get("/api/tasks", params={"limit": 0}), 422)
    body = refused(writer.get("/api/tasks", params={"status": "sleeping"}), 422)
    body = refused(writer.post("/api/jobs/run", json={"older_than_days": 0}), 422)
    assert "older_than_days" in fields(body)
    body = refused(writer.get("/api/requirements", params={"feature_id": "zz"}), 422)
    assert any("feature_id" in (f or "") for f in fields(body))  # not an id at all
    # a body that is not JSON at all
    response = writer.client.post(
        "/api/projects",
        content=b"{not json",
        headers={**writer.headers, "content-type": "application/json"},
    )
    refused(response, 422)


# ---------------------------------------------------------------- 404


def test_unknown_entities_are_404(writer: Api) -> None:
    unknown = str(uuid.uuid4())
    # (method, url, body, raised by the database: errors listed, sqlstate P0002)
    for method, url, body, by_database in [
        ("GET", f"/api/features/{unknown}", None, True),
        ("GET", f"/api/features/{unknown}/completion", None, True),
        ("DELETE", f"/api/features/{unknown}", None, True),
        ("POST", f"/api/features/{unknown}/complete", None, True),
        ("PATCH", f"/api/features/{unknown}/status", {"new_status": "planned"}, True),
        ("GET", f"/api/components/{unknown}", None, True),
        ("PATCH", f"/api/components/{unknown}/status", {"new_status": "in_progress"}, True),
        ("GET", f"/api/tasks/{unknown}", None, True),
        ("PATCH", f"/api/tasks/{unknown}/start", {}, True),
        ("PATCH", f"/api/tasks/{unknown}/cancel", {"reason": "gone"}, True),
        ("GET", f"/api/requirements/{unknown}", None, True),
        ("GET", "/api/requirements?feature_id=" + unknown, None, True),
        ("PATCH", f"/api/requirements/{unknown}/verify", {}, True),
    ]:
        answer = refused(writer.request(method, url, json=body), 404, listed=by_database)
        assert unknown in answer["message"], (method, url)
        assert answer["sqlstate"] == "P0002", (method, url)
        if by_database:
            assert answer["errors"][0]["code"] == "P0002", (method, url)


# ---------------------------------------------------------------- 409


def test_transitions_and_dependencies_are_409(writer: Api, writer_token: Token) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    # not_started -> completed is not a listed transition
    body = refused(
        writer.patch(
            f"/api/features/{feature['feature_id']}/status", json={"new_status": "completed"}
        ),
        409,
    )
    assert body["sqlstate"] == "55000"

    blocker = new_task(writer, feature["feature_id"])
    waiting = new_task(writer, feature["feature_id"], blocked_by_task_id=blocker["task_id"])
    body = refused(writer.patch(f"/api/tasks/{waiting['task_id']}/start", json={}), 409)
    assert body["sqlstate"] == "55000"
    # review needs in_progress
    refused(writer.patch(f"/api/tasks/{blocker['task_id']}/review"), 409)
    started = data(writer.patch(f"/api/tasks/{blocker['task_id']}/start", json={}))
    assert started["assigned_to_identity_id"] == writer_token.identity_id
    # starting it twice
    refused(writer.patch(f"/api/tasks/{blocker['task_id']}/start", json={}), 409)


# ---------------------------------------------------------------- 503


def test_lock_timeout_is_503_with_retry_after(
    database_url: str, admin: Conn, seen: set[Operation], writer_token: Token
) -> None:
    """A real RetryableConflictError: the API's connections get a short lock_timeout (a
    connection option, the API itself sets none) and another transaction holds the task's
    row lock, so start_task fails with 55P03 and the API answers 503 with Retry-After."""
    url = make_conninfo(database_url, options="-c lock_timeout=200")
    with TestClient(create_app(url)) as client:
        api = Api(client, seen, writer_token.headers)
        project = new_project(api)
        feature = new_feature(api, project["project_id"])
        task = new_task(api, feature["feature_id"])
        with psycopg.connect(database_url) as holder:
            holder.execute(
                "SELECT 1 FROM claude.build_tasks WHERE task_id = %s FOR UPDATE", [task["task_id"]]
            )
            response = api.patch(f"/api/tasks/{task['task_id']}/start", json={})
            body = refused(response, 503)
            assert response.headers["retry-after"] == "1"
            assert body["sqlstate"] == "55P03"
            holder.rollback()
        # the lock is gone: the retry succeeds
        started = data(api.patch(f"/api/tasks/{task['task_id']}/start", json={}))
        assert started["status"] == "in_progress"


# ---------------------------------------------------------------- 403 and 401


def test_reader_token_reads_but_cannot_write(reader: Api, writer: Api) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    assert data(reader.get("/api/projects"))
    seen_by_reader = data(reader.get(f"/api/features/{feature['feature_id']}"))
    assert seen_by_reader["feature_id"] == feature["feature_id"]
    assert data(reader.get("/api/tasks/ready", params={"project_id": project["project_id"]})) == []

    body = refused(reader.post("/api/projects", json={"project_name": f"nope {tag()}"}), 403)
    assert body["sqlstate"] == "42501"
    refused(
        reader.patch(
            f"/api/features/{feature['feature_id']}/status",
            json={"new_status": "cancelled", "reason": "reader says so"},
        ),
        403,
    )
    # nothing changed
    after = data(writer.get(f"/api/features/{feature['feature_id']}"))
    assert after["status"] == "not_started"


def test_missing_malformed_unknown_and_revoked_tokens_are_401(anonymous: Api, admin: Conn) -> None:
    token = make_token(admin, "writer")
    for headers in [
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer    "},
        {"Authorization": token.token},  # no scheme
        {"Authorization": "Bearer bt_unknown_" + tag()},
    ]:
        response = anonymous.get("/api/projects", headers=headers)
        body = refused(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
        assert fields(body) == {"authorization"}

    assert data(anonymous.get("/api/projects", headers=token.headers)) is not None
    revoked = admin.execute(
        "SELECT claude.revoke_api_token(token_id => %s::uuid)", [token.token_id]
    ).fetchone()
    assert revoked == (True,)
    body = refused(anonymous.get("/api/projects", headers=token.headers), 401)
    assert "revoked" in body["message"]
    # a write with a revoked token writes nothing
    refused(anonymous.post("/api/projects", json={"project_name": "x"}, headers=token.headers), 401)


# ---------------------------------------------------------------- actor


def test_the_actor_of_writes_is_the_tokens_identity(writer: Api, writer_token: Token) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    data(
        writer.put(f"/api/features/{feature['feature_id']}", json={"priority": 2}),
    )
    rows = activity_rows(writer, source_type="feature", source_id=feature["feature_id"])
    assert [r["activity_type"] for r in rows] == ["updated", "created"]
    assert {r["actor"] for r in rows} == {writer_token.identity_name}
    assert {r["project_name"] for r in rows} == {project["project_name"]}
    # the actor filter finds them too
    mine = activity_rows(
        writer, actor=writer_token.identity_name, project_name=project["project_name"]
    )
    assert {r["id"] for r in mine} == {r["id"] for r in rows}


# ---------------------------------------------------------------- every other operation


def test_feature_component_task_and_requirement_operations(
    writer: Api, writer_token: Token, admin: Conn
) -> None:
    me = writer_token.identity_id
    project = new_project(writer)
    feature = started_feature(writer, project["project_id"], me)
    fid = feature["feature_id"]

    # features: edit, read with children
    edited = ok(writer.put(f"/api/features/{fid}", json={"design_doc_path": "docs/x.md"}))
    assert edited["data"]["design_doc_path"] == "docs/x.md"
    with_children = data(writer.get(f"/api/features/{fid}"))
    assert with_children["feature_id"] == fid
    assert with_children["components"] == [] and with_children["tasks"] == []

    # components: read, edit, status, complete (with warnings)
    component = new_component(writer, fid, name=f"svc_{tag()}")
    cid = component["component_id"]
    assert component["file_path"]  # generated from type and name
    assert (
        data(writer.get(f"/api/components/{cid}"))["component_name"] == component["component_name"]
    )
    assert (
        data(writer.put(f"/api/components/{cid}", json={"lines_of_code": 10}))["lines_of_code"]
        == 10
    )
    moved = ok(writer.patch(f"/api/components/{cid}/status", json={"new_status": "in_progress"}))
    assert moved["metadata"] == {"old_status": "planned", "new_status": "in_progress"}
    done = ok(
        writer.patch(
            f"/api/components/{cid}/complete",
            json={"actual_functions": ["run", "extra"], "file_path": "src/svc.py"},
        )
    )
    assert done["data"]["status"] == "completed"
    assert done["validation"]["warnings"], "an unplanned function and no tests warn"
    assert "feature_completion_percentage" in done["metadata"]

    # tasks: read, edit, start, block, unblock, review, changes, cancel
    task = new_task(writer, fid, component_id=cid, priority=3)
    tid = task["task_id"]
    assert data(writer.get(f"/api/tasks/{tid}"))["task_name"] == task["task_name"]
    edited_task = data(writer.put(f"/api/tasks/{tid}", json={"estimated_hours": 2.5}))
    assert edited_task["estimated_hours"] == 2.5
    started = ok(writer.patch(f"/api/tasks/{tid}/start", json={"identity_id": me}))
    assert started["metadata"]["active_tasks_count"] >= 1
    other = new_task(writer, fid)
    blocked = data(
        writer.patch(
            f"/api/tasks/{tid}/block",
            json={"reason": "waiting for the other task", "blocked_by_task_id": other["task_id"]},
        )
    )
    assert blocked["status"] == "blocked"
    assert blocked["blocked_by_task_id"] == other["task_id"]
    # unblock is refused while the blocker is open, naming it
    early = refused(writer.patch(f"/api/tasks/{tid}/unblock", json={"note": "resolved it"}), 409)
    assert early["errors"][0]["entity_id"] == other["task_id"]
    # cancelling the blocker resumes the task (auto-unblock)
    cancelled = data(writer.patch(f"/api/tasks/{other['task_id']}/cancel", json={"reason": "dup"}))
    assert cancelled["status"] == "cancelled" and cancelled["cancellation_reason"] == "dup"
    unblocked = data(writer.get(f"/api/tasks/{tid}"))
    assert unblocked["status"] == "in_progress" and unblocked["blocked_reason"] is None
    assert data(writer.patch(f"/api/tasks/{tid}/review"))["status"] == "review"
    assert (
        data(writer.patch(f"/api/tasks/{tid}/changes", json={"note": "rename things"}))["status"]
        == "in_progress"
    )

    # requirements: read, status walk (warnings on approval), implemented, verify
    requirement = new_requirement(writer, fid, must_have=True)
    rid = requirement["requirement_id"]
    assert requirement["created_by_identity_id"] == me  # defaults to the token's identity
    assert (
        data(writer.get(f"/api/requirements/{rid}"))["requirement_name"]
        == requirement["requirement_name"]
    )
    for status in ("defined", "approved"):
        moved = ok(writer.patch(f"/api/requirements/{rid}/status", json={"new_status": status}))
        assert moved["data"]["status"] == status
    refused(writer.patch(f"/api/requirements/{rid}/status", json={"new_status": "rejected"}), 409)
    implemented = data(
        writer.patch(
            f"/api/requirements/{rid}/status",
            json={"new_status": "implemented", "component_id": cid},
        )
    )
    assert implemented["implemented_by_component_id"] == cid
    # verification needs tests on the component
    refused(writer.patch(f"/api/requirements/{rid}/verify", json={"component_id": cid}), 409)
    data(writer.put(f"/api/components/{cid}", json={"has_tests": True}))
    run_id = str(uuid.uuid4())
    verified = ok(
        writer.patch(
            f"/api/requirements/{rid}/verify",
            json={"component_id": cid, "test_results": {"passed": 3}, "test_run_id": run_id},
        )
    )
    assert verified["data"]["status"] == "verified"
    assert verified["data"]["verified_by_test_run_id"] == run_id
    assert verified["metadata"]["all_must_haves_verified"] is True

    # delete: the feature and its children go; the feed keeps the history
    complete_task(writer, tid)
    gone = ok(writer.delete(f"/api/features/{fid}"))
    assert gone["data"]["feature_id"] == fid
    assert gone["metadata"]["deleted_components"] == 1
    assert gone["metadata"]["deleted_tasks"] == 2
    assert gone["metadata"]["deleted_requirements"] == 1
    refused(writer.get(f"/api/features/{fid}"), 404)
    refused(writer.get(f"/api/tasks/{tid}"), 404, listed=False)
    deleted = activity_rows(writer, source_id=fid, activity_type="deleted")
    assert len(deleted) == 1 and deleted[0]["actor"] == writer_token.identity_name


def instants(value: Any) -> Any:
    """``value`` with its timestamps parsed: PostgreSQL's JSON drops the trailing
    zeros of a fraction of a second (.12345), Python's keeps six digits (.123450)."""
    if isinstance(value, dict):
        return {key: instants(item) for key, item in value.items()}
    if isinstance(value, list):
        return [instants(item) for item in value]
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}T", value):
        return datetime.fromisoformat(value)
    return value


def test_a_feature_reads_in_the_seeds_shape(writer: Api, reader: Api, admin: Conn) -> None:
    """GET /api/features/{id}: the feature's fields flat in ``data`` (the seed's
    response format) with its components, tasks and requirements arrays beside
    them, exactly what claude.get_feature_with_children returns."""
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    fid = feature["feature_id"]
    component = new_component(writer, fid)
    task = new_task(writer, fid, component_id=component["component_id"], estimated_hours=2.5)
    requirement = new_requirement(writer, fid)

    detail = data(reader.get(f"/api/features/{fid[:8]}"))
    assert "feature" not in detail  # no nested feature object
    row = data(reader.get(f"/api/features/{fid}/row"))
    assert {key: detail[key] for key in row} == row
    assert set(detail) == set(row) | {"components", "tasks", "requirements"}
    assert [c["component_id"] for c in detail["components"]] == [component["component_id"]]
    assert [t["task_id"] for t in detail["tasks"]] == [task["task_id"]]
    assert detail["tasks"][0]["estimated_hours"] == 2.5
    assert [r["requirement_id"] for r in detail["requirements"]] == [requirement["requirement_id"]]
    from_sql = admin.execute("SELECT claude.get_feature_with_children(%s)", [fid]).fetchone()
    assert from_sql is not None and instants(detail) == instants(from_sql[0])

    # a feature without children: the arrays are there, empty
    bare = new_feature(writer, project["project_id"])["feature_id"]
    empty = data(reader.get(f"/api/features/{bare}"))
    assert empty["feature_id"] == bare
    assert (empty["components"], empty["tasks"], empty["requirements"]) == ([], [], [])


def test_claim_next_task_and_jobs(writer: Api, writer_token: Token) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    low = new_task(writer, feature["feature_id"], priority=8)
    high = new_task(writer, feature["feature_id"], priority=1)

    claimed = ok(writer.post("/api/tasks/claim", json={"project_id": project["project_id"]}))
    assert claimed["data"]["task_id"] == high["task_id"]
    assert claimed["data"]["status"] == "in_progress"
    assert claimed["data"]["assigned_to_identity_id"] == writer_token.identity_id
    second = data(writer.post("/api/tasks/claim", json={"feature_id": feature["feature_id"]}))
    assert second["task_id"] == low["task_id"]
    nothing = ok(writer.post("/api/tasks/claim", json={"project_id": project["project_id"]}))
    assert nothing["data"] is None

    summary = data(writer.post("/api/jobs/run", json={"older_than_days": 30}))
    assert set(summary) >= {"stale_tasks", "unblocked_tasks", "ready_features", "ran_at"}
    assert set(summary["stale_tasks"]) == {"found", "logged"}
    assert data(writer.post("/api/jobs/run", json={}))["ran_at"]


# ---------------------------------------------------------------- lists and paging


def test_features_filter_by_project_and_status_and_page_with_after(
    writer: Api, writer_token: Token
) -> None:
    project = new_project(writer)
    pid = project["project_id"]
    created = [new_feature(writer, pid)["feature_id"] for _ in range(5)]
    data(
        writer.patch(
            f"/api/features/{created[2]}/status",
            json={"new_status": "planned", "planned_by_identity_id": writer_token.identity_id},
        )
    )
    new_feature(writer, new_project(writer)["project_id"])  # another project: never listed

    pages: list[list[str]] = []
    params: Json = {"project_id": pid, "limit": 2}
    while True:
        body = ok(writer.get("/api/features", params=params))
        pages.append([f["feature_id"] for f in body["data"]])
        if body["metadata"]["next_after"] is None:
            break
        params = {
            **params,
            "after": body["metadata"]["next_after"],
            "after_id": body["metadata"]["next_after_id"],
        }
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [fid for page in pages for fid in page] == created  # oldest first, no overlap

    planned = data(writer.get("/api/features", params={"project_id": pid, "status": "planned"}))
    assert [f["feature_id"] for f in planned] == [created[2]]
    not_started = data(
        writer.get("/api/features", params={"project_id": pid, "status": "not_started"})
    )
    assert len(not_started) == 4


def test_tasks_filter_by_status_and_assignee_and_page(
    writer: Api, writer_token: Token, admin: Conn
) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    fid = feature["feature_id"]
    other = make_token(admin, "writer")
    tasks = [new_task(writer, fid)["task_id"] for _ in range(3)]
    data(writer.patch(f"/api/tasks/{tasks[0]}/start", json={}))
    data(writer.put(f"/api/tasks/{tasks[1]}", json={"assigned_to_identity_id": other.identity_id}))

    by_status = data(writer.get("/api/tasks", params={"feature_id": fid, "status": "in_progress"}))
    assert [t["task_id"] for t in by_status] == [tasks[0]]
    mine = data(
        writer.get(
            "/api/tasks",
            params={"feature_id": fid, "assigned_to_identity_id": writer_token.identity_id},
        )
    )
    assert [t["task_id"] for t in mine] == [tasks[0]]
    theirs = data(writer.get("/api/tasks", params={"assigned_to_identity_id": other.identity_id}))
    assert [t["task_id"] for t in theirs] == [tasks[1]]
    todo = data(writer.get("/api/tasks", params={"feature_id": fid, "status": "todo"}))
    assert [t["task_id"] for t in todo] == tasks[1:]

    first = ok(writer.get("/api/tasks", params={"feature_id": fid, "limit": 2}))
    assert [t["task_id"] for t in first["data"]] == tasks[:2]
    assert first["metadata"]["next_after"] is not None
    rest = ok(
        writer.get(
            "/api/tasks",
            params={
                "feature_id": fid,
                "limit": 2,
                "after": first["metadata"]["next_after"],
                "after_id": first["metadata"]["next_after_id"],
            },
        )
    )
    assert [t["task_id"] for t in rest["data"]] == tasks[2:]
    assert rest["metadata"]["next_after"] is None


def test_components_and_requirements_list_and_page(writer: Api) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    fid = feature["feature_id"]
    other = new_feature(writer, project["project_id"])["feature_id"]
    components = [new_component(writer, fid)["component_id"] for _ in range(3)]
    new_component(writer, other)  # another feature: never listed
    data(
        writer.patch(f"/api/components/{components[1]}/status", json={"new_status": "in_progress"})
    )

    first = ok(writer.get("/api/components", params={"feature_id": fid, "limit": 2}))
    rest = ok(
        writer.get(
            "/api/components",
            params={
                "feature_id": fid,
                "limit": 2,
                "after": first["metadata"]["next_after"],
                "after_id": first["metadata"]["next_after_id"],
            },
        )
    )
    listed = [c["component_id"] for c in first["data"] + rest["data"]]
    assert sorted(listed) == sorted(components) and len(set(listed)) == 3  # no overlap
    assert rest["metadata"]["next_after"] is None
    busy = data(writer.get("/api/components", params={"feature_id": fid, "status": "in_progress"}))
    assert [c["component_id"] for c in busy] == [components[1]]

    requirements = [new_requirement(writer, fid)["requirement_id"] for _ in range(3)]
    page = ok(writer.get("/api/requirements", params={"feature_id": fid, "limit": 2}))
    assert len(page["data"]) == 2 and page["metadata"]["next_after_id"] is not None
    tail = data(
        writer.get(
            "/api/requirements",
            params={
                "feature_id": fid,
                "limit": 2,
                "after": page["metadata"]["next_after"],
                "after_id": page["metadata"]["next_after_id"],
            },
        )
    )
    assert sorted(r["requirement_id"] for r in page["data"] + tail) == sorted(requirements)

    # tasks by project, and a filter naming a missing entity is a 404 from the database
    task = new_task(writer, other)["task_id"]
    by_project = data(writer.get("/api/tasks", params={"project_id": project["project_id"]}))
    assert [t["task_id"] for t in by_project] == [task]
    missing = refused(writer.get("/api/components", params={"feature_id": str(uuid.uuid4())}), 404)
    assert missing["sqlstate"] == "P0002"


def all_pages(api: Api, url: str, params: Json) -> list[list[str]]:
    """The ids of every page of a list route (components or requirements),
    following metadata.next_after/next_after_id until they are null."""
    key = {"/api/components": "component_id", "/api/requirements": "requirement_id"}[url]
    pages: list[list[str]] = []
    while True:
        body = ok(api.get(url, params=params))
        pages.append([row[key] for row in body["data"]])
        metadata = body["metadata"]
        assert set(metadata) == {"next_after", "next_after_id"}
        if metadata["next_after"] is None:
            assert metadata["next_after_id"] is None
            return pages
        assert metadata["next_after_id"] == pages[-1][-1]  # the key of the page's last row
        params = {**params, "after": metadata["next_after"], "after_id": metadata["next_after_id"]}


def test_components_list_pages_by_feature_prefix_status_or_none(writer: Api) -> None:
    """GET /api/components: feature_id as an id or a unique prefix, status, and
    keyset paging oldest first; without feature_id it spans features."""
    project = new_project(writer)
    fid = new_feature(writer, project["project_id"])["feature_id"]
    made = [new_component(writer, fid) for _ in range(4)]
    components = [c["component_id"] for c in made]
    other = new_component(writer, new_feature(writer, project["project_id"])["feature_id"])

    # a full last page points at one more page, which is empty and ends the list
    pages = all_pages(writer, "/api/components", {"feature_id": fid[:8], "limit": 2})
    assert pages == [components[:2], components[2:], []]
    pages = all_pages(writer, "/api/components", {"feature_id": fid, "limit": 3})
    assert pages == [components[:3], components[3:]]

    for cid in (components[1], components[3]):
        data(writer.patch(f"/api/components/{cid}/status", json={"new_status": "in_progress"}))
    busy = {"feature_id": fid, "status": "in_progress", "limit": 1}
    assert all_pages(writer, "/api/components", busy) == [[components[1]], [components[3]], []]

    # no feature filter: every feature's components, still oldest first
    since = {"after": made[0]["created_at"], "after_id": str(uuid.UUID(int=0)), "limit": 1000}
    listed = [c["component_id"] for c in data(writer.get("/api/components", params=since))]
    ours = [*components, other["component_id"]]
    assert [c for c in listed if c in ours] == ours

    # unknown parameters and values are 422, naming them
    assert fields(refused(writer.get("/api/components", params={"feature": fid}), 422)) == {
        "feature"
    }
    refused(writer.get("/api/components", params={"status": "sleeping"}), 422)
    refused(writer.get("/api/components", params={"limit": 1001}), 422)


def test_requirements_list_pages_like_the_other_lists(writer: Api) -> None:
    """GET /api/requirements: feature_id (id or unique prefix), status, and the
    same keyset paging as the other lists (after, after_id, limit;
    metadata.next_after and next_after_id, null on the last page)."""
    project = new_project(writer)
    fid = new_feature(writer, project["project_id"])["feature_id"]
    requirements = [new_requirement(writer, fid)["requirement_id"] for _ in range(5)]
    new_requirement(writer, new_feature(writer, project["project_id"])["feature_id"])

    pages = all_pages(writer, "/api/requirements", {"feature_id": fid[:8], "limit": 2})
    assert pages == [requirements[:2], requirements[2:4], requirements[4:]]
    pages = all_pages(writer, "/api/requirements", {"feature_id": fid, "limit": 5})
    assert pages == [requirements, []]

    for rid in requirements[::2]:
        data(writer.patch(f"/api/requirements/{rid}/status", json={"new_status": "defined"}))
    defined = {"feature_id": fid, "status": "defined", "limit": 2}
    pages = all_pages(writer, "/api/requirements", defined)
    assert pages == [requirements[0:3:2], requirements[4:]]
    drafts = data(writer.get("/api/requirements", params={"feature_id": fid, "status": "draft"}))
    assert [r["requirement_id"] for r in drafts] == requirements[1::2]

    params = {"feature_id": fid, "after_time": "2000-01-01T00:00:00Z"}
    assert fields(refused(writer.get("/api/requirements", params=params), 422)) == {"after_time"}
    refused(writer.get("/api/requirements", params={"feature_id": fid, "limit": 0}), 422)
    refused(writer.get("/api/requirements", params={"feature_id": fid, "status": "done"}), 422)


def test_paging_keeps_rows_written_in_one_transaction(
    writer: Api, database_url: str, writer_token: Token
) -> None:
    """Rows written in one transaction share created_at; the id breaks the tie."""
    project = new_project(writer)
    pid = project["project_id"]
    with psycopg.connect(database_url) as conn:
        created = [
            conn.execute(
                "SELECT claude.add_feature(feature_name => %s, feature_type => 'feature',"
                " project_id => %s)->'data'->>'feature_id'",
                [f"Same transaction {n}", pid],
            ).fetchone()[0]  # type: ignore[index]
            for n in range(3)
        ]
    seen: list[str] = []
    params: Json = {"project_id": pid, "limit": 2}
    while True:
        body = ok(writer.get("/api/features", params=params))
        seen += [f["feature_id"] for f in body["data"]]
        if body["metadata"]["next_after"] is None:
            break
        params = {
            **params,
            "after": body["metadata"]["next_after"],
            "after_id": body["metadata"]["next_after_id"],
        }
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen)) == 3


def test_ready_tasks_and_requirements_by_feature(writer: Api) -> None:
    project = new_project(writer)
    pid = project["project_id"]
    feature = new_feature(writer, pid)
    fid = feature["feature_id"]
    component = new_component(writer, fid)
    first = new_task(writer, fid, component_id=component["component_id"], priority=2)
    second = new_task(writer, fid, priority=1)
    waiting = new_task(writer, fid, blocked_by_task_id=first["task_id"])
    assert waiting["blocked_by_task_id"] == first["task_id"]

    ready = data(writer.get("/api/tasks/ready", params={"feature_id": fid}))
    assert [t["task_id"] for t in ready] == [second["task_id"], first["task_id"]]  # by priority
    by_project = data(writer.get("/api/tasks/ready", params={"project_id": pid, "limit": 1}))
    assert [t["task_id"] for t in by_project] == [second["task_id"]]
    by_component = data(
        writer.get("/api/tasks/ready", params={"component_id": component["component_id"]})
    )
    assert [t["task_id"] for t in by_component] == [first["task_id"]]

    assert data(writer.get("/api/requirements", params={"feature_id": fid})) == []
    made = [new_requirement(writer, fid)["requirement_id"] for _ in range(2)]
    other = new_feature(writer, pid)
    new_requirement(writer, other["feature_id"])
    listed = data(writer.get("/api/requirements", params={"feature_id": fid}))
    assert sorted(r["requirement_id"] for r in listed) == sorted(made)


def test_activity_filters_and_pages_backwards_without_overlap(
    writer: Api, writer_token: Token
) -> None:
    project = new_project(writer)
    name = project["project_name"]
    feature = new_feature(writer, project["project_id"])
    fid = feature["feature_id"]
    task = new_task(writer, fid)
    data(writer.patch(f"/api/tasks/{task['task_id']}/start", json={}))
    data(writer.patch(f"/api/tasks/{task['task_id']}/block", json={"reason": "stuck on it"}))
    cancelled = new_task(writer, fid)
    data(writer.patch(f"/api/tasks/{cancelled['task_id']}/cancel", json={"reason": "not needed"}))
    for priority in (2, 3, 4):
        data(writer.put(f"/api/features/{fid}", json={"priority": priority}))

    everything = activity_rows(writer, project_name=name)
    assert len(everything) >= 9
    stamps = [r["created_at"] for r in everything]
    assert stamps == sorted(stamps, reverse=True)  # newest first

    pages: list[list[str]] = []
    params: Json = {"project_name": name, "limit": 4}
    while True:
        body = ok(writer.get("/api/activity", params=params))
        pages.append([r["id"] for r in body["data"]])
        if body["metadata"]["next_before"] is None:
            break
        params = {
            **params,
            "before": body["metadata"]["next_before"],
            "before_id": body["metadata"]["next_before_id"],
        }
    flat = [row_id for page in pages for row_id in page]
    assert len(flat) == len(set(flat)), "pages overlap"
    assert flat == [r["id"] for r in everything]
    assert len(pages) >= 3

    # filters
    by_source = activity_rows(writer, source_type="build_task", source_id=task["task_id"])
    assert [r["activity_type"] for r in by_source] == ["blocked", "started", "created"]
    warnings = activity_rows(writer, project_name=name, severity="warning")
    assert {r["activity_type"] for r in warnings} == {"blocked", "cancelled"}
    both = activity_rows(writer, project_name=name, severity=["warning", "success"])
    assert {r["id"] for r in both} == {r["id"] for r in warnings}  # nothing succeeded yet
    updated = activity_rows(writer, project_name=name, activity_type="updated")
    assert len(updated) == 3 and {r["source_id"] for r in updated} == {fid}
    since = activity_rows(writer, project_name=name, since=updated[-1]["created_at"])
    assert [r["id"] for r in since] == [r["id"] for r in everything[:3]]
    assert activity_rows(writer, project_name=name, actor="someone else") == []
    assert {r["actor"] for r in everything} == {writer_token.identity_name}
    refused(writer.get("/api/activity", params={"severity": "loud"}), 422)

    # one feature's feed, paged the same way
    feed = data(writer.get(f"/api/activity/feature/{fid}", params={"limit": 1000}))
    assert [r["activity_type"] for r in feed] == ["updated", "updated", "updated", "created"]
    first = ok(writer.get(f"/api/activity/feature/{fid}", params={"limit": 3}))
    assert first["metadata"]["next_before"] is not None
    rest = ok(
        writer.get(
            f"/api/activity/feature/{fid}",
            params={
                "limit": 3,
                "before": first["metadata"]["next_before"],
                "before_id": first["metadata"]["next_before_id"],
            },
        )
    )
    assert [r["id"] for r in first["data"] + rest["data"]] == [r["id"] for r in feed]
    assert rest["metadata"]["next_before"] is None


# ---------------------------------------------------------------- authentication off


def test_without_authentication_no_token_is_needed_and_x_actor_is_the_actor(
    database_url: str, seen: set[Operation], admin: Conn, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="buildtracker.api"):
        client_cm = TestClient(create_app(database_url, authenticate=False))
        with client_cm as client:
            assert "AUTHENTICATION IS OFF" in caplog.text
            api = Api(client, seen)
            actor = f"local-dev-{tag()}"
            assert isinstance(data(api.get("/api/projects")), list)
            project = new_project(api)
            feature = data(
                api.post(
                    "/api/features",
                    json={
                        "feature_name": "Offline feature",
                        "feature_type": "ui",
                        "project_id": project["project_id"],
                    },
                    headers={"X-Actor": actor},
                ),
                201,
            )
            rows = activity_rows(api, source_id=feature["feature_id"])
            assert [(r["activity_type"], r["actor"]) for r in rows] == [("created", actor)]

            # without X-Actor the actor is the API login's session user
            data(api.put(f"/api/features/{feature['feature_id']}", json={"priority": 1}))
            rows = activity_rows(api, source_id=feature["feature_id"], activity_type="updated")
            login = admin.execute("SELECT session_user").fetchone()
            assert login is not None
            assert rows[0]["actor"] == login[0]

            # claiming needs an explicit identity when no token names one
            body = refused(api.post("/api/tasks/claim", json={}), 422, listed=False)
            assert "identity_id" in body["message"]
            identity = new_identity(api)
            nothing = ok(
                api.post(
                    "/api/tasks/claim",
                    json={
                        "identity_id": identity["identity_id"],
                        "feature_id": feature["feature_id"],
                    },
                )
            )
            assert nothing["data"] is None


# ---------------------------------------------------------------- the seed's story


def test_feature_to_completion_story_over_http(
    writer: Api, writer_token: Token, admin: Conn
) -> None:
    me = writer_token.identity_id
    project = new_project(writer)
    planner = new_identity(writer)

    feature = data(
        writer.post(
            "/api/features",
            json={
                "feature_name": "Checkout page",
                "feature_type": "ui",
                "project_id": project["project_id"],
                "description": "Customers pay for the basket in one step.",
                "priority": 2,
            },
        ),
        201,
    )
    fid = feature["feature_id"]
    assert feature["status"] == "not_started" and feature["completion_percentage"] == 0
    status_url = f"/api/features/{fid}/status"
    planned = ok(
        writer.patch(
            status_url,
            json={"new_status": "planned", "planned_by_identity_id": planner["identity_id"]},
        )
    )
    assert planned["metadata"]["old_status"] == "not_started"
    assert planned["data"]["planned_date"] is not None
    started = ok(
        writer.patch(
            status_url, json={"new_status": "in_progress", "implemented_by_identity_id": me}
        )
    )
    assert started["metadata"]["new_status"] == "in_progress"
    assert started["data"]["started_date"] is not None

    form = new_component(writer, fid, name="checkout_form")
    service = new_component(writer, fid, name="payment_service")
    build = new_task(writer, fid, component_id=form["component_id"], task_name="Build the form")
    wire = ok(
        writer.post(
            "/api/tasks",
            json={
                "task_name": "Wire up payments",
                "task_description": "Call the payment service from the form.",
                "task_type": "code",
                "component_id": service["component_id"],
                "blocked_by_task_id": build["task_id"],
            },
        ),
        201,
    )
    assert wire["data"]["feature_id"] == fid  # filled from the component
    assert wire["metadata"]["is_blocked"] is True
    requirement = new_requirement(writer, fid, requirement_name="Payment succeeds", must_have=True)
    rid = requirement["requirement_id"]

    # the gate refuses, naming everything that is missing
    body = refused(writer.post(f"/api/features/{fid}/complete"), 409)
    assert body["sqlstate"] == "55000"
    named = " ".join(e["message"] for e in body["errors"]) + body["message"]
    for name in (
        "checkout_form",
        "payment_service",
        "Payment succeeds",
        "Build the form",
        "Wire up payments",
    ):
        assert name in named, name
    completion = data(writer.get(f"/api/features/{fid}/completion"))
    assert completion["can_complete"] is False
    assert len(completion["checks"]) == 5

    # the blocked task waits for its blocker
    refused(writer.patch(f"/api/tasks/{wire['data']['task_id']}/start", json={}), 409)
    for component in (form, service):
        data(
            writer.patch(
                f"/api/components/{component['component_id']}/status",
                json={"new_status": "in_progress"},
            )
        )
    data(writer.patch(f"/api/tasks/{build['task_id']}/start", json={}))
    data(writer.patch(f"/api/tasks/{build['task_id']}/review"))
    complete_task(writer, build["task_id"])
    assert data(writer.get(f"/api/tasks/{build['task_id']}"))["status"] == "completed"
    ready = data(writer.get("/api/tasks/ready", params={"feature_id": fid}))
    assert [t["task_id"] for t in ready] == [wire["data"]["task_id"]]
    data(writer.patch(f"/api/tasks/{wire['data']['task_id']}/start", json={}))
    complete_task(writer, wire["data"]["task_id"])

    for component, functions in ((form, ["run"]), (service, ["run"])):
        done = ok(
            writer.patch(
                f"/api/components/{component['component_id']}/complete",
                json={
                    "actual_functions": functions,
                    "file_path": f"src/{component['component_name']}.py",
                    "lines_of_code": 120,
                    "has_tests": True,
                },
            )
        )
        assert done["data"]["status"] == "completed"
    assert done["metadata"]["feature_completion_percentage"] == 100

    for status in ("defined", "approved"):
        data(writer.patch(f"/api/requirements/{rid}/status", json={"new_status": status}))
    data(
        writer.patch(
            f"/api/requirements/{rid}/status",
            json={"new_status": "implemented", "component_id": service["component_id"]},
        )
    )
    verified = ok(
        writer.patch(
            f"/api/requirements/{rid}/verify", json={"component_id": service["component_id"]}
        )
    )
    assert verified["metadata"]["all_must_haves_verified"] is True

    completed = ok(writer.post(f"/api/features/{fid}/complete"))
    assert completed["data"]["status"] == "completed"
    assert completed["data"]["completed_date"] is not None
    final = data(writer.get(f"/api/features/{fid}/completion"))
    assert final["completion_percentage"] == 100
    assert final["can_complete"] is True and final["checks"] == []
    assert final["status"] == "completed"
    assert final["components"]["done"] == 2 and final["tasks"]["completed"] == 2
    assert final["requirements"]["must_have_verified"] == 1

    story = activity_rows(writer, source_type="feature", source_id=fid)
    assert story[0]["activity_type"] == "completed" and story[0]["severity"] == "success"
    assert story[0]["actor"] == writer_token.identity_name


# ---------------------------------------------------------------- beyond the seed's endpoints


def test_registry_functions_beyond_the_seed_endpoints(
    writer: Api, reader: Api, writer_token: Token
) -> None:
    """Each route test_api_surface tests in depth, called once here (this module's
    coverage test counts only its own calls)."""
    project = new_project(writer)
    pid = project["project_id"]
    assert data(reader.get(f"/api/projects/{project['project_name']}")) == project
    assert data(reader.get(f"/api/identities/{writer_token.identity_name}"))["identity_id"] == (
        writer_token.identity_id
    )
    feature = started_feature(writer, pid, writer_token.identity_id)
    fid = feature["feature_id"]
    task = new_task(writer, fid)
    gate = data(reader.get(f"/api/features/{fid}/gate"))
    assert gate["can_complete"] is False and len(gate["checks"]) == 1
    assert data(reader.get(f"/api/features/{fid[:8]}/row"))["status"] == "in_progress"

    requirement = new_requirement(writer, fid)
    rid = requirement["requirement_id"]
    assert data(writer.put(f"/api/requirements/{rid}", json={"priority": 3}))["priority"] == 3

    dry_run = {"entity_type": "project", "data": {"project_name": ""}}
    assert data(reader.post("/api/validate", json=dry_run))["errors"]
    event = {"source_type": "feature", "source_id": fid, "activity_type": "updated", "title": "x"}
    new_id = data(writer.post("/api/activity", json=event), 201)["id"]
    assert new_id in {
        row["id"] for row in activity_rows(reader, source_id=fid, source_type="feature")
    }

    data(writer.patch(f"/api/tasks/{task['task_id']}/start", json={}))
    stale = data(reader.get("/api/jobs/stale", params={"older_than_days": 0}))
    assert task["task_id"] in {t["task_id"] for t in stale}
    assert isinstance(data(reader.get("/api/jobs/unblocked")), list)
    assert isinstance(data(reader.get("/api/jobs/ready")), list)
    assert data(reader.get("/api/invariants")) == []


def test_task_dependencies_over_http(writer: Api, reader: Api) -> None:
    fid = new_feature(writer, new_project(writer)["project_id"])["feature_id"]
    first, second = new_task(writer, fid), new_task(writer, fid)
    edge = data(
        writer.post(
            "/api/dependencies",
            json={"task_id": second["task_id"][:8], "depends_on_task_id": first["task_id"][:8]},
        ),
        201,
    )
    assert edge["kind"] == "blocks" and edge["depends_on_task_id"] == first["task_id"]
    deps = data(reader.get(f"/api/tasks/{second['task_id'][:8]}/dependencies"))
    assert [d["task_id"] for d in deps["depends_on"]] == [first["task_id"]]
    assert deps["dependents"] == []
    cycle = refused(
        writer.post(
            "/api/dependencies",
            json={"task_id": first["task_id"], "depends_on_task_id": second["task_id"]},
        ),
        422,
    )
    assert cycle["errors"][0]["entity_id"] == second["task_id"]
    removed = data(writer.delete(f"/api/dependencies/{second['task_id']}/{first['task_id'][:8]}"))
    assert removed["task_id"] == second["task_id"]
    refused(writer.delete(f"/api/dependencies/{second['task_id']}/{first['task_id']}"), 404)
    refused(
        reader.post(
            "/api/dependencies",
            json={"task_id": second["task_id"], "depends_on_task_id": first["task_id"]},
        ),
        403,
    )


def test_a_tasks_context_has_its_dependencies_and_latest_comments(writer: Api, reader: Api) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    first, second = new_task(writer, feature["feature_id"]), new_task(writer, feature["feature_id"])
    body = {"task_id": second["task_id"], "depends_on_task_id": first["task_id"]}
    data(writer.post("/api/dependencies", json=body), 201)
    for text in ("first note", "second note", "third note"):
        note = {"entity_type": "build_task", "entity_id": second["task_id"], "body": text}
        data(writer.post("/api/comments", json=note), 201)
    found = data(
        reader.get(f"/api/tasks/{second['task_id'][:8]}/context", params={"max_comments": 2})
    )
    assert found["task"]["task_id"] == second["task_id"]
    assert found["feature_name"] == feature["feature_name"]
    assert found["project_name"] == project["project_name"]
    assert [d["task_id"] for d in found["depends_on"]] == [first["task_id"]]
    assert found["dependents"] == []
    assert [c["body"] for c in found["comments"]] == ["third note", "second note"]
    first_context = data(reader.get(f"/api/tasks/{first['task_id']}/context"))
    assert [d["task_id"] for d in first_context["dependents"]] == [second["task_id"]]
    refused(reader.get(f"/api/tasks/{'0' * 8}/context"), 404)
    refused(reader.get(f"/api/tasks/{first['task_id']}/context", params={"max_comments": 500}), 422)


def test_a_task_is_released_and_another_identity_needs_reassign(writer: Api, admin: Conn) -> None:
    fid = new_feature(writer, new_project(writer)["project_id"])["feature_id"]
    row = admin.execute(
        "SELECT claude.add_identity(%s)->'data'->>'identity_id'", [f"other {tag()}"]
    ).fetchone()
    assert row is not None
    other = row[0]
    task = new_task(writer, fid, assigned_to_identity_id=other)
    url = f"/api/tasks/{task['task_id']}"
    taken = refused(
        writer.patch(f"{url}/start", json={}), 409
    )  # the token's identity is not the assignee
    assert taken["errors"][0]["entity_id"] == other
    started = data(writer.patch(f"{url}/start", json={"reassign": True}))
    assert started["status"] == "in_progress" and started["assigned_to_identity_id"] != other
    released = data(writer.patch(f"{url}/release", json={"reason": "out of time"}))
    assert released["status"] == "todo" and released["assigned_to_identity_id"] is None
    refused(writer.patch(f"{url}/release", json={"reason": "again"}), 409)


def test_a_status_change_is_checked_without_writing(reader: Api) -> None:
    allowed = data(
        reader.get(
            "/api/status-transitions/check",
            params={"entity_type": "build_task", "from_status": "todo", "to_status": "in_progress"},
        )
    )
    assert allowed["errors"] == [] and allowed["action"] == "start"
    refused_move = data(
        reader.get(
            "/api/status-transitions/check",
            params={"entity_type": "feature", "from_status": "on_hold", "to_status": "completed"},
        )
    )
    assert [e["code"] for e in refused_move["errors"]] == ["55000"]


def test_the_feed_is_sealed_anchored_and_verified(writer: Api, reader: Api) -> None:
    data(
        writer.post(
            "/api/activity",
            json={"source_type": "system", "activity_type": "updated", "title": "sealed"},
        ),
        201,
    )
    sealed = data(writer.post("/api/feed/seal"))
    assert set(sealed) == {"checkpoint_id", "row_count", "digest"}
    anchor = data(reader.get("/api/feed/anchor"))["anchor"]
    assert anchor.endswith(sealed["digest"])
    assert data(reader.get("/api/feed/verify", params={"anchor": anchor})) == []
    head = anchor.split(":")[0]
    problems = data(reader.get("/api/feed/verify", params={"anchor": f"{head}:{'0' * 64}"}))
    assert [p["problem"] for p in problems] == ["anchor_mismatch"]
    refused(reader.post("/api/feed/seal"), 403)


def test_leases_comments_search_and_following_the_feed(
    writer: Api, reader: Api, writer_token: Token
) -> None:
    """The agent work routes, once each (test_agent_work tests them in depth)."""
    pid = new_project(writer)["project_id"]
    fid = new_feature(writer, pid, labels=["backend"])["feature_id"]
    word = f"heron{tag()}"
    task = new_task(writer, fid, task_name=f"Watch the {word}", labels=["backend", "db"])
    ready = data(reader.get("/api/tasks/ready", params={"feature_id": fid, "labels": ["db"]}))
    assert [t["task_id"] for t in ready] == [task["task_id"]]
    claim = {"feature_id": fid, "labels": ["backend"], "lease": "PT5M"}
    held = data(writer.post("/api/tasks/claim", json=claim))
    assert held["task_id"] == task["task_id"] and held["lease_expires_at"] is not None
    beat = ok(writer.patch(f"/api/tasks/{task['task_id'][:8]}/heartbeat", json={"lease": 3600}))
    assert beat["data"]["assigned_to_identity_id"] == writer_token.identity_id
    assert datetime.fromisoformat(beat["metadata"]["lease_expires_at"]) == datetime.fromisoformat(
        beat["data"]["lease_expires_at"]
    )

    mark = data(reader.get("/api/activity/after", params={"max_rows": 1}))[-1]["id"]
    note = {"entity_type": "build_task", "entity_id": task["task_id"], "body": f"A {word} nest"}
    comment = data(writer.post("/api/comments", json=note), 201)
    assert comment["actor"] == writer_token.identity_name
    listed = data(
        reader.get(
            "/api/comments", params={"entity_type": "build_task", "entity_id": task["task_id"]}
        )
    )
    assert [c["comment_id"] for c in listed] == [comment["comment_id"]]
    # the commented row, once final (no older transaction open on the server)
    deadline = time.monotonic() + 30
    while True:
        followed = data(reader.get("/api/activity/after", params={"after_id": mark}))
        if "commented" in [r["activity_type"] for r in followed] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert "commented" in [r["activity_type"] for r in followed]
    hits = data(reader.get("/api/search", params={"q": word, "project_id": pid}))
    assert {h["entity_id"] for h in hits} == {task["task_id"]}
    refused(writer.patch(f"/api/tasks/{task['task_id']}/heartbeat", json={"lease": 0}), 422)


# ---------------------------------------------------------------- coverage (keep last)


def test_every_documented_operation_was_called(
    request: pytest.FixtureRequest, anonymous: Api, seen: set[Operation]
) -> None:
    selected = {
        item.name
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.module is request.module
    }
    defined = {name for name in dir(request.module) if name.startswith("test_")}
    if selected != defined:
        pytest.skip("only meaningful when the whole module runs")
    document = anonymous.client.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    assert documented - seen == set()
    assert seen - documented == set()
