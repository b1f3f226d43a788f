"""The registry functions beyond the seed's endpoints, over HTTP.

Every function of the registry (``buildtracker/registry.json``) a REST caller
should have is reached by a route: the completion gate and a feature's own row,
one identity or project, a requirement's update, the dry run (``validate``), an
application's own event in the feed (``log_activity``), each maintenance check
on its own, and the invariants. The admin's functions (tokens, pruning the
feed) are not: the CLI or SQL does them as the owner.

The helpers and builders are those of test_api; the fixtures are repeated here
(a module's ``seen`` operations belong to that module's coverage test, and
test_api calls each of these routes too).
"""

# The API fixtures (admin, http, seen, tokens, writer, reader) are test_api's,
# imported so that pytest gives this module a set of its own; the test
# functions' parameters of the same names are pytest's fixture injection.
# ruff: noqa: F811

from __future__ import annotations

import inspect
import json
from pathlib import Path

import buildtracker
from buildtracker.api import ROUTERS, common
from fastapi.routing import APIRoute
from test_api import (  # the fixtures are test_api's own: one set per module
    LONG_DESCRIPTION,
    Api,
    Token,
    activity_rows,
    admin,  # noqa: F401
    complete_task,
    data,
    fields,
    http,  # noqa: F401
    new_feature,
    new_identity,
    new_project,
    new_requirement,
    new_task,
    ok,
    reader,  # noqa: F401
    reader_token,  # noqa: F401
    refused,
    seen,  # noqa: F401
    started_feature,
    tag,
    writer,  # noqa: F401
    writer_token,  # noqa: F401
)

# Registry functions no route calls: the admin's, done with the CLI or SQL as
# the owner, the whole-database transfer (the CLI's export and import), and
# the two every request goes through (common.py); following the feed registers
# a session that stays (the dashboard's live stream does, on its own connection).
NOT_A_ROUTE = {
    "create_api_token",
    "revoke_api_token",
    "list_api_tokens",
    "prune_activity",
    "export_records",
    "import_records",
    "follow_feed",
}
BEHIND_EVERY_ROUTE = {"authenticate_api_token", "resolve_id"}

# ---------------------------------------------------------------- fixtures


def start(api: Api, task_id: str) -> None:
    assert data(api.patch(f"/api/tasks/{task_id}/start", json={}))["status"] == "in_progress"


# ---------------------------------------------------------------- the registry


def test_every_registry_function_a_caller_needs_has_a_route() -> None:
    """Each function of the registry is called by some route (``c.<name>(``),
    or is one of the admin's, or runs behind every route (common.py)."""
    registry = Path(buildtracker.__file__).with_name("registry.json")
    functions = {f["name"] for f in json.loads(registry.read_text())["functions"]}
    sources = "\n".join(
        inspect.getsource(route.endpoint)
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
    )
    called = {name for name in functions if f"c.{name}(" in sources}
    assert functions - called - NOT_A_ROUTE - BEHIND_EVERY_ROUTE == set()
    assert called & NOT_A_ROUTE == set()
    shared = inspect.getsource(common)
    assert all(f"{name}(" in shared for name in BEHIND_EVERY_ROUTE)


# ---------------------------------------------------------------- features


def test_the_gate_lists_an_open_task_until_it_is_done(
    writer: Api, reader: Api, writer_token: Token
) -> None:
    project = new_project(writer)
    feature = started_feature(writer, project["project_id"], writer_token.identity_id)
    fid = feature["feature_id"]
    task = new_task(writer, fid)

    gate = data(reader.get(f"/api/features/{fid[:8]}/gate"))
    assert gate["can_complete"] is False
    assert gate["checks"] == [f'task "{task["task_name"]}" is todo, not completed']
    assert fid not in {f["feature_id"] for f in data(reader.get("/api/jobs/ready"))}

    start(writer, task["task_id"])
    complete_task(writer, task["task_id"])
    assert data(reader.get(f"/api/features/{fid}/gate")) == {"can_complete": True, "checks": []}
    # in progress, at 100% and through the gate: the readiness check lists it
    ready = [f for f in data(reader.get("/api/jobs/ready")) if f["feature_id"] == fid]
    assert ready == [
        {
            "feature_id": fid,
            "feature_name": feature["feature_name"],
            "completion_percentage": 100,
            "project_name": project["project_name"],
        }
    ]
    # reading the gate wrote nothing: the feature is still in progress
    assert data(reader.get(f"/api/features/{fid}/row"))["status"] == "in_progress"
    refused(reader.get(f"/api/features/{'0' * 8}/gate"), 404)


def test_a_features_row_is_the_feature_without_its_children(writer: Api, reader: Api) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    fid = feature["feature_id"]
    new_task(writer, fid)

    row = data(reader.get(f"/api/features/{fid[:8]}/row"))
    assert row["feature_id"] == fid
    assert row["feature_name"] == feature["feature_name"]
    assert not {"feature", "components", "tasks", "requirements"} & set(row)
    with_children = data(reader.get(f"/api/features/{fid}"))
    assert {key: with_children[key] for key in row} == row
    assert set(with_children) == set(row) | {"components", "tasks", "requirements"}
    assert len(with_children["tasks"]) == 1
    refused(reader.get(f"/api/features/{'0' * 8}/row"), 404)


# ---------------------------------------------------------------- projects and identities


def test_one_identity_and_one_project_by_name_prefix_or_id(writer: Api, reader: Api) -> None:
    identity = new_identity(writer)
    iid = identity["identity_id"]
    for ref in (identity["identity_name"], iid[:8], iid):
        assert data(reader.get(f"/api/identities/{ref}")) == identity, ref
    project = new_project(writer)
    pid = project["project_id"]
    for ref in (project["project_name"], pid[:8], pid):
        assert data(reader.get(f"/api/projects/{ref}")) == project, ref

    error = refused(reader.get(f"/api/identities/nobody-{tag()}"), 404)
    assert fields(error) == {"identity_id"}
    error = refused(reader.get(f"/api/projects/nothing-{tag()}"), 404)
    assert fields(error) == {"project_id"}


# ---------------------------------------------------------------- requirements


def test_a_requirement_is_updated_and_an_unknown_key_refused(writer: Api, reader: Api) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    requirement = new_requirement(writer, feature["feature_id"], priority=5)
    rid = requirement["requirement_id"]

    updated = ok(writer.put(f"/api/requirements/{rid[:8]}", json={"priority": 2}))
    assert updated["data"]["requirement_id"] == rid
    assert updated["data"]["priority"] == 2
    assert data(reader.get(f"/api/requirements/{rid}"))["priority"] == 2

    error = refused(writer.put(f"/api/requirements/{rid}", json={"no_such_key": 1}), 422)
    assert fields(error) == {"no_such_key"}
    assert error["sqlstate"] == "23514"
    # a reader cannot, and neither changed anything
    refused(reader.put(f"/api/requirements/{rid}", json={"priority": 9}), 403)
    refused(writer.put(f"/api/requirements/{'0' * 8}", json={"priority": 3}), 404)
    assert data(reader.get(f"/api/requirements/{rid}"))["priority"] == 2


# ---------------------------------------------------------------- validate


def test_validate_reports_errors_and_writes_nothing(writer: Api, reader: Api) -> None:
    project = new_project(writer)
    body = {
        "entity_type": "feature",
        "operation": "create",
        "data": {
            "feature_name": "abc",
            "feature_type": "feature",
            "project_id": project["project_name"],  # ids in data: names and prefixes work
            "description": LONG_DESCRIPTION,
        },
    }
    report = data(reader.post("/api/validate", json=body))
    assert set(report) == {"errors", "warnings"}
    assert "feature_name" in {e["field"] for e in report["errors"]}
    assert all(e["message"] for e in report["errors"])

    valid = {**body, "data": {**body["data"], "feature_name": f"Feature {tag()}"}}
    assert data(reader.post("/api/validate", json=valid))["errors"] == []
    # a dry run: no feature was made, not even the valid one
    assert data(reader.get("/api/features", params={"project": project["project_id"]})) == []

    # an update names its entity in data; the operation defaults to create
    feature = new_feature(writer, project["project_id"])
    update = {
        "entity_type": "feature",
        "operation": "update",
        "data": {"feature_id": feature["feature_id"][:8], "no_such_key": 1},
    }
    report = data(reader.post("/api/validate", json=update))
    assert "no_such_key" in {e["field"] for e in report["errors"]}
    refused(reader.post("/api/validate", json={"entity_type": "feature"}), 422)


# ---------------------------------------------------------------- log_activity


def test_log_activity_returns_the_id_the_feed_then_shows(
    writer: Api, reader: Api, writer_token: Token
) -> None:
    project = new_project(writer)
    feature = new_feature(writer, project["project_id"])
    fid = feature["feature_id"]
    title = f"Deployed {tag()}"
    body = {
        "source_type": "feature",
        "source_id": fid[:8],
        "activity_type": "updated",
        "title": title,
        "summary": "rolled out to staging",
        "project_name": project["project_name"],
        "severity": "warning",
        "changes": {"environment": "staging"},
    }
    new_id = data(writer.post("/api/activity", json=body), 201)["id"]

    rows = activity_rows(reader, source_type="feature", source_id=fid)
    mine = [r for r in rows if r["id"] == new_id]
    assert len(mine) == 1
    row = mine[0]
    assert row["title"] == title
    assert row["source_id"] == fid
    assert row["actor"] == writer_token.identity_name
    assert row["severity"] == "warning"
    assert row["changes"] == {"environment": "staging"}

    # a system event has no source; a reader cannot log
    system = {"source_type": "system", "activity_type": "created", "title": f"Boot {tag()}"}
    assert data(writer.post("/api/activity", json=system), 201)["id"]
    refused(reader.post("/api/activity", json=system), 403)
    error = refused(writer.post("/api/activity", json={**system, "title": "  "}), 422)
    assert fields(error) == {"title"}


# ---------------------------------------------------------------- jobs and invariants


def test_each_maintenance_check_on_its_own(writer: Api, reader: Api, writer_token: Token) -> None:
    project = new_project(writer)
    feature = started_feature(writer, project["project_id"], writer_token.identity_id)
    fid = feature["feature_id"]
    blocker = new_task(writer, fid)
    waiting = new_task(writer, fid)
    start(writer, waiting["task_id"])

    # started in an earlier transaction: older than 0 days, not than the default 7
    stale = data(reader.get("/api/jobs/stale", params={"older_than_days": 0}))
    mine = [t for t in stale if t["task_id"] == waiting["task_id"]]
    assert len(mine) == 1
    assert mine[0]["feature_id"] == fid
    assert mine[0]["assigned_to_identity_id"] == writer_token.identity_id
    assert mine[0]["project_name"] == project["project_name"]
    default = data(reader.get("/api/jobs/stale"))
    assert waiting["task_id"] not in {t["task_id"] for t in default}
    refused(reader.get("/api/jobs/stale", params={"older_than_days": -1}), 422)

    url = f"/api/tasks/{waiting['task_id']}/block"
    data(writer.patch(url, json={"reason": "waits", "blocked_by_task_id": blocker["task_id"]}))
    assert waiting["task_id"] not in {t["task_id"] for t in data(reader.get("/api/jobs/unblocked"))}
    start(writer, blocker["task_id"])
    complete_task(writer, blocker["task_id"])
    # completing the blocker resumed the waiting task at once (auto-unblock):
    # the job has nothing to report about it
    assert data(reader.get(f"/api/tasks/{waiting['task_id']}"))["status"] == "in_progress"
    assert waiting["task_id"] not in {t["task_id"] for t in data(reader.get("/api/jobs/unblocked"))}


def test_invariants_hold(reader: Api) -> None:
    assert data(reader.get("/api/invariants")) == []
