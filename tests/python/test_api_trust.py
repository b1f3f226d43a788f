"""The REST API never answers 500 for an input (SPEC section 12).

Text the database cannot store (a lone surrogate, which JSON may escape) is a
422 in the JSON contract; a body over 1 MB is a 413, refused from its
Content-Length before it is read, or counted as it comes when it has none (a
real server over a socket shows neither waits for the body); a program limit
of the database (SQLSTATE class 54) is a 422; a statement timeout (57014) and a
lock timeout (55P03) are 503 with Retry-After, and no 5xx carries the
database's own text. A request whose transaction loses a race (40001) is run
again and succeeds. Bugs still get a 500, in the contract and without their
text.

The errors are real: raised by the deployed database (timeouts set as
connection options of the API's own pool, row locks held by a second
connection), never built by hand.
"""

# The API fixtures (admin, http, seen, writer, writer_token) are test_api's,
# imported so that pytest gives this module a set of its own; the test
# functions' parameters of the same names are pytest's fixture injection.
# ruff: noqa: F811

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.client import HTTPResponse
from typing import Any, LiteralString

import psycopg
import pytest
import uvicorn
from buildtracker.api import MAX_BODY_BYTES, create_app, database_failure
from buildtracker.errors import from_psycopg
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient
from psycopg.conninfo import make_conninfo
from test_api import (  # the fixtures are test_api's own: one set per module
    Api,
    Conn,
    Json,
    Operation,
    Token,
    admin,  # noqa: F401
    data,
    http,  # noqa: F401
    new_feature,
    new_project,
    refused,
    seen,  # noqa: F401
    tag,
    writer,  # noqa: F401
    writer_token,  # noqa: F401
)

JSON = {"Content-Type": "application/json"}


def waiting_on_a_lock(admin: Conn, database_url: str, timeout: float = 10) -> None:
    """Wait until a backend of this database (the API's) waits for a row lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
        if row is not None and row[0] > 0:
            return
        time.sleep(0.02)
    raise AssertionError(f"no backend of {database_url} waited for a lock")


def no_database_text(response: Any, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment not in response.text, response.text


# ---------------------------------------------------------------- text the database cannot store


def test_a_lone_surrogate_is_422_in_the_contract(writer: Api) -> None:
    name = f"surrogate {tag()}"
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    # raw JSON text with the escape: json.dumps of a str would not send it so
    bodies: list[tuple[str, str, bytes]] = [
        ("POST", "/api/projects", b'{"project_name": "a\\ud800b"}'),
        ("POST", "/api/projects", b'{"project_name": "' + name.encode() + b'\\udfff"}'),
        ("PUT", f"/api/features/{feature['feature_id']}", b'{"description": "x\\udc00y"}'),
        ("PUT", f"/api/features/{feature['feature_id']}", b'{"descr\\ud800": "long enough"}'),
        (
            "POST",
            "/api/activity",
            b'{"source_type": "system", "activity_type": "updated", "title": "t",'
            b' "changes": {"k": "\\ud800"}}',
        ),
    ]
    for method, url, body in bodies:
        response = writer.client.request(
            method, url, content=body, headers={**writer.headers, **JSON}
        )
        error = refused(response, 422)
        # refused by psycopg (text), or by the database (inside a jsonb document)
        assert error["sqlstate"] in {"22021", "22P02"}, (body, error)
    # nothing was written: the project with the surrogate in its name does not exist
    names = [p["project_name"] for p in data(writer.get("/api/projects"))]
    assert not [n for n in names if n.startswith(name)]


# ---------------------------------------------------------------- body size


def test_a_body_over_1_mb_is_413_with_or_without_content_length(writer: Api) -> None:
    url = "/api/projects"
    headers = {**writer.headers, **JSON}
    filler = MAX_BODY_BYTES  # one byte too many with the JSON around it
    oversized = b'{"project_name": "' + b"x" * filler + b'"}'

    answered = writer.client.post(url, content=oversized, headers=headers)
    error = refused(answered, 413)
    assert error["errors"][0]["field"] == "body"
    assert len(answered.content) < 1000  # the body is not echoed

    def chunks() -> Iterator[bytes]:  # no Content-Length: httpx sends it chunked
        for start in range(0, len(oversized), 65536):
            yield oversized[start : start + 65536]

    streamed = writer.client.post(url, content=chunks(), headers=headers)
    assert "content-length" not in streamed.request.headers
    refused(streamed, 413)
    assert len(streamed.content) < 1000

    # exactly 1 MB is read, and refused by the database for what it says
    exact = b'{"project_name": "' + b"x" * (MAX_BODY_BYTES - 20) + b'"}'
    assert len(exact) == MAX_BODY_BYTES
    assert refused(writer.client.post(url, content=exact, headers=headers), 422)["sqlstate"]


@contextmanager
def served(app: FastAPI) -> Iterator[int]:
    """The app on a real server (uvicorn, a free port) for the duration."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def raw_post(port: int, head: list[str], send_body: Callable[[socket.socket], None]) -> Json:
    """POST over a socket; the answer must come within 10 s (no body awaited)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        lines = ["POST /api/projects HTTP/1.1", "Host: localhost", *head, "", ""]
        sock.sendall("\r\n".join(lines).encode())
        send_body(sock)
        response = HTTPResponse(sock)
        response.begin()
        body = response.read()
    assert response.status == 413, body
    assert len(body) < 1000
    return {"status": response.status, "body": body}


def test_a_real_server_refuses_an_oversized_body_without_reading_it(
    database_url: str, writer_token: Token
) -> None:
    auth = f"Authorization: Bearer {writer_token.token}"
    with served(create_app(database_url)) as port:
        # Content-Length says too much and no byte follows: answered at once
        declared = [auth, "Content-Type: application/json", "Content-Length: 2000000"]
        raw_post(port, declared, lambda sock: None)

        # chunked, never finished: answered once the count passes 1 MB
        def chunked(sock: socket.socket) -> None:
            chunk = b"x" * 65536
            for _ in range(MAX_BODY_BYTES // len(chunk) + 1):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))

        raw_post(
            port, [auth, "Content-Type: application/json", "Transfer-Encoding: chunked"], chunked
        )


# ---------------------------------------------------------------- timeouts: 503, in our words


def test_a_statement_timeout_is_503_with_retry_after_and_our_words(
    database_url: str, admin: Conn, seen: set[Operation], writer_token: Token
) -> None:
    """The API's login has a statement_timeout (a connection option, as an operator
    would set one); another transaction holds the feature's row lock, so the update
    waits and is cancelled: 57014."""
    url = make_conninfo(database_url, options="-c statement_timeout=500")
    with TestClient(create_app(url)) as client:
        api = Api(client, seen, writer_token.headers)
        feature = new_feature(api, new_project(api)["project_id"])
        with psycopg.connect(database_url) as holder:
            holder.execute(
                "SELECT 1 FROM claude.features WHERE feature_id = %s FOR UPDATE",
                [feature["feature_id"]],
            )
            response = api.put(f"/api/features/{feature['feature_id']}", json={"priority": 4})
            holder.rollback()
        error = refused(response, 503)
        assert response.headers["retry-after"] == "1"
        assert error["sqlstate"] == "57014"
        assert error["message"] == "the database cancelled the request (a time limit); retry"
        assert error["hint"] is None
        no_database_text(response, "canceling statement", "statement timeout")
        # nothing holds the row now: the same request succeeds
        assert data(api.put(f"/api/features/{feature['feature_id']}", json={"priority": 4}))


def test_a_lock_timeout_answer_carries_no_database_text(
    database_url: str, seen: set[Operation], writer_token: Token
) -> None:
    url = make_conninfo(database_url, options="-c lock_timeout=200")
    with TestClient(create_app(url)) as client:
        api = Api(client, seen, writer_token.headers)
        feature = new_feature(api, new_project(api)["project_id"])
        with psycopg.connect(database_url) as holder:
            holder.execute(
                "SELECT 1 FROM claude.features WHERE feature_id = %s FOR UPDATE",
                [feature["feature_id"]],
            )
            response = api.put(f"/api/features/{feature['feature_id']}", json={"priority": 4})
            holder.rollback()
        error = refused(response, 503)
        assert response.headers["retry-after"] == "1"
        assert error["sqlstate"] == "55P03"
        assert error["message"] == "data this request needs is locked by another transaction; retry"
        no_database_text(response, "could not obtain lock", "features")


# ---------------------------------------------------------------- the mapping, with real errors


def real_error(database_url: str, *statements: LiteralString) -> psycopg.Error:
    """The error the database raises for the last of ``statements``."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        for statement in statements[:-1]:
            conn.execute(statement)
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(statements[-1])
    return caught.value


def body_of(response: Response) -> Json:
    document: Json = json.loads(bytes(response.body))
    assert document["success"] is False
    assert set(document["error"]) == {"sqlstate", "message", "errors", "hint"}
    assert document["error"]["errors"], "a failure lists at least one error"
    return document["error"]


def answers(error: psycopg.Error) -> list[Response]:
    """The API's answers to ``error``: as a client call raises it (the buildtracker
    exception chained to psycopg's), and as psycopg raises it outside a call (the
    pool, SET LOCAL ROLE, the commit)."""
    mapped = from_psycopg(error)
    mapped.__cause__ = error
    return [database_failure(mapped), database_failure(error)]


def test_database_failures_map_to_422_and_503_never_500(database_url: str, admin: Conn) -> None:
    too_big = real_error(database_url, "SELECT array_fill(1, ARRAY[200000000])")
    assert too_big.sqlstate == "54000"
    for response in answers(too_big):
        assert response.status_code == 422
        assert body_of(response)["sqlstate"] == "54000"

    cancelled = real_error(database_url, "SET statement_timeout = '1ms'", "SELECT pg_sleep(1)")
    assert cancelled.sqlstate == "57014"

    project = admin.execute(
        "SELECT claude.add_project(%s)->'data'->>'project_id'", [f"locked {tag()}"]
    ).fetchone()
    assert project is not None
    with psycopg.connect(database_url) as holder:
        holder.execute(
            "SELECT 1 FROM claude.projects WHERE project_id = %s FOR UPDATE", [project[0]]
        )
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '50ms'")
            with pytest.raises(psycopg.Error) as caught:
                conn.execute(
                    "SELECT 1 FROM claude.projects WHERE project_id = %s FOR UPDATE", [project[0]]
                )
        holder.rollback()
    locked = caught.value
    assert locked.sqlstate == "55P03"

    with psycopg.connect(database_url, autocommit=True) as victim:
        pid = victim.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            time.sleep(0.01)
        with pytest.raises(psycopg.OperationalError) as caught:
            victim.execute("SELECT 1")
    shutdown = caught.value
    assert shutdown.sqlstate in {"57P01", None}  # the server's notice, or the closed socket

    for error in (cancelled, locked, shutdown):
        for response in answers(error):
            assert response.status_code == 503, error
            assert response.headers["retry-after"] == "1"
            body = body_of(response)
            assert body["sqlstate"] == error.sqlstate
            assert body["hint"] is None
            text = bytes(response.body).decode()
            assert (error.diag.message_primary or str(error)) not in text, text
            for fragment in ("terminating connection", "canceling statement", "lock on row"):
                assert fragment not in text, text


def test_a_bug_is_500_in_the_contract_without_its_text(database_url: str) -> None:
    app = create_app(database_url, authenticate=False)

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)  # a route of this test's app only
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    error = refused(response, 500)
    assert error["message"] == "internal error"
    assert "secret internals" not in response.text


# ---------------------------------------------------------------- a lost race is run again


def test_a_request_that_loses_a_race_is_run_again(
    database_url: str, admin: Conn, seen: set[Operation], writer_token: Token
) -> None:
    """The API's transactions are SERIALIZABLE here (a connection option); the
    request waits for a row another transaction updates and commits, so its
    first attempt fails with 40001. The API runs the request's transaction again,
    and the answer is the success."""
    url = make_conninfo(database_url, options="-c default_transaction_isolation=serializable")
    with TestClient(create_app(url)) as client:
        api = Api(client, seen, writer_token.headers)
        feature = new_feature(api, new_project(api)["project_id"])
        feature_url = f"/api/features/{feature['feature_id']}"
        with psycopg.connect(database_url) as holder:
            holder.execute(
                "SELECT claude.update_feature(%s, %s::jsonb)",
                [feature["feature_id"], '{"priority": 2}'],
            )
            with ThreadPoolExecutor(1) as pool:
                pending = pool.submit(api.put, feature_url, json={"priority": 7})
                waiting_on_a_lock(admin, database_url)
                holder.commit()
                response = pending.result(timeout=30)
        assert data(response)["priority"] == 7
    row = admin.execute(
        "SELECT priority FROM claude.features WHERE feature_id = %s", [feature["feature_id"]]
    ).fetchone()
    assert row == (7,)  # the holder's 2 came first, the request's 7 last
