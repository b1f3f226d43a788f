"""Property test of the REST API against its own OpenAPI document (schemathesis 4).

For every documented operation, schemathesis generates valid and invalid
requests (a few examples each) and sends them in-process to the ASGI app,
authenticated with a writer token. Every response must: not be a server error
(5xx), have a documented status code, the documented content type and
headers, and a body matching the documented schema (the seed's envelope).

Every generated request is sent, including numbers outside PostgreSQL's
ranges, NUL characters and unreadable bodies: each must get a documented
answer in the envelope.

Each request commits; the projects and identities the run creates are removed
at the end, unless something refers to them (a claim assigns a leftover task to
the token's identity). Nothing else can be created with random ids.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from datetime import datetime
from typing import Any

import psycopg
import pytest
import schemathesis
from buildtracker.api import create_app
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckFunction
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# The app is built at import, because schemathesis reads the document at
# collection time; it connects only when its lifespan runs (fixture `running`).
# Without DATABASE_URL the `database_url` fixture fails the test first.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
app = create_app(DATABASE_URL)


class WithoutLifespan:
    """The app for HTTP; lifespan messages are answered here, not by the app.

    schemathesis starts and ends the app's lifespan around every test; the real
    lifespan (the connection pool) runs once, in the `running` fixture, so the
    pool is opened once for the whole run.
    """

    def __init__(self, application: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.application(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


schema = schemathesis.openapi.from_asgi("/openapi.json", WithoutLifespan(app))
tally: Counter[str] = Counter()  # requests sent


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def started_at(database_url: str) -> Iterator[datetime]:
    """The database clock before the run; what the run created is removed afterwards."""
    assert database_url == DATABASE_URL
    with psycopg.connect(database_url, autocommit=True) as admin:
        row = admin.execute("SELECT clock_timestamp()").fetchone()
        assert row is not None
        yield row[0]
        admin.execute(
            "DELETE FROM claude.projects p WHERE p.created_at >= %s"
            " AND NOT EXISTS (SELECT 1 FROM claude.features f WHERE f.project_id = p.project_id)",
            [row[0]],
        )
        admin.execute(
            "DELETE FROM claude.identities i WHERE i.created_at >= %s"
            " AND NOT EXISTS (SELECT 1 FROM claude.features f"
            "   WHERE i.identity_id IN (f.planned_by_identity_id, f.implemented_by_identity_id))"
            " AND NOT EXISTS (SELECT 1 FROM claude.build_tasks t"
            "   WHERE t.assigned_to_identity_id = i.identity_id)"
            " AND NOT EXISTS (SELECT 1 FROM claude.requirements r"
            "   WHERE r.created_by_identity_id = i.identity_id)",
            [row[0]],
        )


@pytest.fixture(scope="module")
def running(started_at: datetime) -> Iterator[None]:
    """The app's real lifespan (its connection pool), open for the whole module."""
    with TestClient(app):
        yield
    # shown with `pytest -s`
    print(f"\nrequests sent: {dict(sorted(tally.items()))}")


@pytest.fixture(scope="module")
def auth(started_at: datetime) -> dict[str, str]:
    """A writer token for a new identity, created with SQL as an admin."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        row = admin.execute(
            "SELECT claude.create_api_token("
            " identity_id => (claude.add_identity(identity_name => %s)->'data'->>'identity_id')::uuid,"
            " access => 'writer', label => 'schemathesis')->>'token'",
            [f"schemathesis-{uuid.uuid4().hex[:10]}"],
        ).fetchone()
    assert row is not None
    return {"Authorization": f"Bearer {row[0]}"}


# ---------------------------------------------------------------- the property


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)
def test_every_operation_conforms_to_its_document(
    case: Case[Any], running: None, auth: dict[str, str]
) -> None:
    response = case.call(headers=auth)
    tally["(sent)"] += 1
    case.validate_response(response, checks=CHECKS, headers=auth)
    if case.method.upper() != case.operation.method.upper():
        # schemathesis also sends undocumented methods (e.g. TRACE): 405 in the
        # envelope, or another route answers (PUT /api/tasks/ready reaches PUT
        # /api/tasks/{task_id}: 422); the checks above accept it
        return
    # beyond the schema: success matches the status, failures carry no data
    body = response.json()
    assert body["success"] is (response.status_code < 400), response.text
    if body["success"]:
        assert body["validation"]["errors"] == []
    else:
        # the JSON contract's failure: no data, the error object
        assert set(body) == {"success", "error"}, body


def test_the_document_declares_every_failure_status() -> None:
    """Every operation documents 401, 403, 404, 409, 422 and 503 with the JSON contract's failure."""
    document = app.openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "409", "422", "503"):
                response = operation["responses"].get(status)
                assert response is not None, (method, path, status)
                content = response["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Failure"}, (method, path, status)
