"""Ids people can type, over HTTP (SPEC section 11), and unknown query parameters.

Wherever the REST API takes an id (a path, a query parameter, a JSON body
field), a unique prefix of at least 8 hex characters works, and projects and
identities are also found by name; list endpoints that filter by project take
``project`` (name, id or prefix). The database decides (claude.resolve_id): no
match is 404 (P0002), an ambiguous prefix is 422 listing every candidate with
its entity_id, and the error names the parameter that was given. A query
parameter the route does not declare is a 422 naming it.

The helpers and builders are those of test_api; the fixtures are repeated here
(a module's ``seen`` operations belong to that module's coverage test).
"""

# The API fixtures (admin, http, seen, tokens, writer, reader) are test_api's,
# imported so that pytest gives this module a set of its own; the test
# functions' parameters of the same names are pytest's fixture injection.
# ruff: noqa: F811

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from buildtracker.api import ID_HELP
from test_api import (  # the fixtures are test_api's own: one set per module
    Api,
    Conn,
    Json,
    Token,
    admin,  # noqa: F401
    data,
    fields,
    http,  # noqa: F401
    new_feature,
    new_identity,
    new_project,
    new_task,
    ok,
    refused,
    seen,  # noqa: F401
    tag,
    writer,  # noqa: F401
    writer_token,  # noqa: F401
)

# ---------------------------------------------------------------- fixtures


@pytest.fixture
def twins(admin: Conn) -> Iterator[list[str]]:
    """Two identities whose ids share their first 8 hex characters (removed afterwards)."""
    prefix = uuid.uuid4().hex[:8]
    ids = [str(uuid.UUID(prefix + uuid.uuid4().hex[8:])) for _ in range(2)]
    for n, identity_id in enumerate(ids):
        admin.execute(
            "INSERT INTO claude.identities (identity_id, identity_name) VALUES (%s, %s)",
            [identity_id, f"twin-{n}-{tag()}"],
        )
    try:
        yield ids
    finally:
        admin.execute("DELETE FROM claude.identities WHERE identity_id = ANY (%s::uuid[])", [ids])


def named_project(api: Api) -> Json:
    name = f"webshop-{tag()}"
    project: Json = data(api.post("/api/projects", json={"project_name": name}), 201)
    assert project["project_name"] == name
    return project


# ---------------------------------------------------------------- prefixes and names


def test_a_task_is_fetched_and_started_by_an_8_character_prefix(
    writer: Api, writer_token: Token
) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    task = new_task(writer, feature["feature_id"])
    tid = task["task_id"]

    assert data(writer.get(f"/api/tasks/{tid[:8]}"))["task_id"] == tid
    # upper case and a longer prefix with its hyphen work too
    assert data(writer.get(f"/api/tasks/{tid[:13].upper()}"))["task_id"] == tid
    # the identity in the body by name
    started = data(
        writer.patch(
            f"/api/tasks/{tid[:8]}/start", json={"identity_id": writer_token.identity_name}
        )
    )
    assert started["task_id"] == tid and started["status"] == "in_progress"
    assert started["assigned_to_identity_id"] == writer_token.identity_id
    # features and the feed by prefix as well
    fid = feature["feature_id"]
    assert data(writer.get(f"/api/features/{fid[:8]}"))["feature_id"] == fid
    assert data(writer.get(f"/api/features/{fid[:10]}/completion"))["feature_id"] == fid
    feed = data(writer.get(f"/api/activity/feature/{fid[:8]}"))
    assert feed and all(row["source_id"] == fid for row in feed)
    by_source = data(
        writer.get("/api/activity", params={"source_type": "build_task", "source_id": tid[:8]})
    )
    assert by_source and {row["source_id"] for row in by_source} == {tid}


def test_project_filters_features_and_tasks_by_name(writer: Api) -> None:
    project = named_project(writer)
    name, pid = project["project_name"], project["project_id"]
    feature = new_feature(writer, pid)
    task = new_task(writer, feature["feature_id"])
    other = new_feature(writer, new_project(writer)["project_id"])
    new_task(writer, other["feature_id"])  # another project: never listed

    for params in ({"project": name}, {"project": pid[:8]}, {"project_id": name}):
        features = data(writer.get("/api/features", params=params))
        assert [f["feature_id"] for f in features] == [feature["feature_id"]], params
        tasks = data(writer.get("/api/tasks", params=params))
        assert [t["task_id"] for t in tasks] == [task["task_id"]], params
        ready = data(writer.get("/api/tasks/ready", params=params))
        assert [t["task_id"] for t in ready] == [task["task_id"]], params

    # the feed by project name, id or prefix alike
    feed = data(writer.get("/api/activity", params={"project": pid[:8], "limit": 1000}))
    assert feature["feature_id"] in {row["source_id"] for row in feed}
    assert feed == data(writer.get("/api/activity", params={"project_name": name, "limit": 1000}))

    # a filter given twice (name and alias) is refused, both named
    both = refused(writer.get("/api/tasks", params={"project": name, "project_id": pid}), 422)
    assert fields(both) == {"project", "project_id"}
    # a project nobody has: 404 naming the parameter given
    missing = refused(writer.get("/api/features", params={"project": f"nowhere-{tag()}"}), 404)
    assert missing["sqlstate"] == "P0002"
    assert fields(missing) == {"project"}


def test_body_fields_take_names_and_prefixes(writer: Api, writer_token: Token) -> None:
    project = named_project(writer)
    planner = new_identity(writer)
    feature = new_feature(
        writer, project["project_name"], planned_by_identity_id=planner["identity_name"]
    )
    assert feature["project_id"] == project["project_id"]
    assert feature["planned_by_identity_id"] == planner["identity_id"]
    fid = feature["feature_id"]

    component = data(
        writer.post(
            "/api/components",
            json={
                "feature_id": fid[:8],
                "component_name": f"svc_{tag()}",
                "component_type": "service",
            },
        ),
        201,
    )
    assert component["feature_id"] == fid
    blocker = new_task(writer, fid[:9])
    waiting = new_task(
        writer,
        fid,
        component_id=component["component_id"][:8],
        blocked_by_task_id=blocker["task_id"][:8],
        assigned_to_identity_id=writer_token.identity_name,
    )
    assert waiting["feature_id"] == fid
    assert waiting["component_id"] == component["component_id"]
    assert waiting["blocked_by_task_id"] == blocker["task_id"]
    assert waiting["assigned_to_identity_id"] == writer_token.identity_id

    # edits (PUT) resolve their id keys too
    edited = data(
        writer.put(
            f"/api/tasks/{blocker['task_id'][:8]}",
            json={"assigned_to_identity_id": planner["identity_name"]},
        )
    )
    assert edited["assigned_to_identity_id"] == planner["identity_id"]
    # a claim by project name, for the identity the task is assigned to (a claim
    # skips tasks assigned to others)
    claimed = ok(
        writer.post(
            "/api/tasks/claim",
            json={"project_id": project["project_name"], "identity_id": planner["identity_name"]},
        )
    )
    assert claimed["data"]["task_id"] == blocker["task_id"]

    # a wrong name in the body: 404 naming the body field, not the database's key
    missing = refused(
        writer.post(
            "/api/tasks",
            json={
                "task_name": "Nobody's task",
                "task_description": "Assigned to somebody who does not exist.",
                "task_type": "code",
                "feature_id": fid,
                "assigned_to_identity_id": f"nobody-{tag()}",
            },
        ),
        404,
    )
    assert fields(missing) == {"assigned_to_identity_id"}


# ---------------------------------------------------------------- failures


def test_an_ambiguous_prefix_is_422_listing_every_candidate(writer: Api, twins: list[str]) -> None:
    prefix = twins[0][:8]
    body = refused(writer.get("/api/tasks", params={"assigned_to_identity_id": prefix}), 422)
    assert body["sqlstate"] == "23514"
    assert prefix in body["message"]
    assert sorted(e["entity_id"] for e in body["errors"]) == sorted(twins)
    assert fields(body) == {"assigned_to_identity_id"}
    assert body["hint"]
    # one more character decides
    chosen = twins[0][:10] if twins[0][9] != twins[1][9] else twins[0]
    assert data(writer.get("/api/tasks", params={"assigned_to_identity_id": chosen})) == []


def test_an_unknown_prefix_is_404_and_a_malformed_id_is_422(writer: Api) -> None:
    unknown = uuid.uuid4().hex[:8]
    for url in (f"/api/tasks/{unknown}", f"/api/features/{unknown}/completion"):
        body = refused(writer.get(url), 404)
        assert body["sqlstate"] == "P0002"
        assert unknown in body["message"]
        assert body["errors"][0]["code"] == "P0002"
    body = refused(writer.patch(f"/api/tasks/{unknown}/start", json={}), 404)
    assert fields(body) == {"task_id"}
    # shorter than 8, or not hex: 422 (only projects and identities have names)
    for ref in (unknown[:7], "not-an-id"):
        body = refused(writer.get(f"/api/components/{ref}"), 422)
        assert body["sqlstate"] == "23514"
        assert fields(body) == {"component_id"}
    body = refused(writer.get("/api/activity", params={"source_id": unknown}), 422)
    assert fields(body) == {"source_id"}


def test_an_unknown_query_parameter_is_422_naming_it(writer: Api) -> None:
    project = new_project(writer)
    body = refused(
        writer.get("/api/features", params={"project_id": project["project_id"], "colour": "red"}),
        422,
    )
    assert fields(body) == {"colour"}
    assert "colour" in body["message"]
    assert "project_id" in body["hint"]
    # several, each named; also on routes without any query parameter
    body = refused(writer.get("/api/tasks", params={"sort": "name", "page": 2}), 422)
    assert fields(body) == {"sort", "page"}
    name = f"dry-run-{tag()}"
    body = refused(writer.post("/api/projects?dry_run=1", json={"project_name": name}), 422)
    assert fields(body) == {"dry_run"}
    assert "no query parameters" in body["hint"]
    # the refused request wrote nothing
    assert name not in [p["project_name"] for p in data(writer.get("/api/projects"))]
    # without a token, the 401 comes first
    unauthenticated = writer.client.get("/api/tasks", params={"sort": "name"})
    assert refused(unauthenticated, 401)["errors"][0]["field"] == "authorization"


def test_the_document_describes_id_parameters(writer: Api) -> None:
    document: dict[str, Any] = writer.client.get("/openapi.json").json()
    task = document["paths"]["/api/tasks/{task_id}"]["get"]["parameters"]
    assert task[0]["schema"]["type"] == "string" and task[0]["description"] == ID_HELP
    listed = {p["name"]: p for p in document["paths"]["/api/tasks"]["get"]["parameters"]}
    for name in ("project", "project_id", "feature_id", "assigned_to_identity_id"):
        assert listed[name]["description"] == ID_HELP, name
    feature_in = document["components"]["schemas"]["AddFeatureBody"]["properties"]
    assert feature_in["project_id"]["description"] == ID_HELP
