"""The ``buildtracker`` command line, end to end against the deployed database (SPEC 7).

Commands run in-process through typer's ``CliRunner`` (the demo and the
console script in a subprocess). The CLI commits every call, so each test
works on its own uniquely named project and identities, and the features it
creates are deleted again afterwards.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from buildtracker import Client, NotFoundError
from buildtracker.cli import app
from typer.testing import CliRunner, Result

runner = CliRunner()

# SPEC 6 error kinds -> exit codes of the command line
VALIDATION, MISSING_REFERENCE, NOT_FOUND, REFUSED = 3, 4, 5, 6

LONG_DESCRIPTION = "Shoppers can pay for the whole basket and receive a confirmation"
REQUIREMENT_TEXT = (
    "Every confirmed order is stored with all of its lines and prices, so that no order"
    " is ever lost after the service restarts"
)
CRITERIA = [
    "Given a paid basket, when the order is saved, then it can be loaded by id",
    "A stored order must keep every line with its price",
    "Saving the same order twice should not create a duplicate",
]


def invoke(database_url: str, *args: str, as_json: bool = True) -> Result:
    options = ["--database-url", database_url, *(["--json"] if as_json else [])]
    # wide enough that table cells (UUIDs, names) are not wrapped in human output
    return runner.invoke(app, [*options, *args], env={"COLUMNS": "250"})


@dataclass
class Cli:
    """Runs commands against the test database and keeps track of what to delete."""

    database_url: str
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    features: list[str] = field(default_factory=list)

    def name(self, label: str) -> str:
        return f"{label}-{self.tag}"

    def run(self, *args: str, expect: int = 0, as_json: bool = True) -> Result:
        result = invoke(self.database_url, *args, as_json=as_json)
        assert result.exit_code == expect, (
            f"`buildtracker {' '.join(args)}` exited {result.exit_code}, expected {expect}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}"
        )
        return result

    def json(self, *args: str, expect: int = 0) -> Any:
        """The command's --json document."""
        return json.loads(self.run(*args, expect=expect).stdout)

    def text(self, *args: str, expect: int = 0) -> str:
        """The command's human output (stdout)."""
        return self.run(*args, expect=expect, as_json=False).stdout

    def data(self, *args: str) -> Any:
        """The data of the command's success envelope (a row, rows, or an answer)."""
        document = self.json(*args)
        assert document.keys() == {"success", "data", "validation", "metadata"}, document
        assert document["success"] is True and document["validation"]["errors"] == []
        return document["data"]

    def refused(self, expect: int, *args: str) -> dict[str, Any]:
        """A refused call: its exit code and the error object of the JSON contract's
        failure ({"success": false, "error": {sqlstate, message, errors, hint}})."""
        document: dict[str, Any] = self.json(*args, expect=expect)
        assert document.keys() == {"success", "error"}, document
        assert document["success"] is False
        error: dict[str, Any] = document["error"]
        assert error["errors"], document
        return error

    # ---------------------------------------------------------------- set-up helpers

    def project(self) -> str:
        name = self.name("cli-project")
        self.json("project", "add", name)
        return name

    def identity(self, label: str) -> str:
        name = self.name(label)
        self.json("identity", "add", name)
        return name

    def feature(self, project: str, label: str = "Checkout flow", **options: str) -> str:
        args = ["feature", "add", "--project", project, "--name", label, "--type", "feature"]
        args += ["--description", LONG_DESCRIPTION]
        for key, value in options.items():
            args += [f"--{key.replace('_', '-')}", value]
        document = self.json(*args)
        feature_id = str(document["data"]["feature_id"])
        self.features.append(feature_id)
        return feature_id

    def started_feature(self, project: str, planner: str, builder: str) -> str:
        feature_id = self.feature(project)
        self.json("feature", "status", feature_id, "planned", "--planned-by", planner)
        self.json("feature", "status", feature_id, "in_progress", "--implemented-by", builder)
        return feature_id

    def component(self, feature_id: str, label: str, *functions: str) -> str:
        args = ["component", "add", feature_id, "--name", label, "--type", "service"]
        for function in functions:
            args += ["--planned-function", function]
        return str(self.json(*args)["data"]["component_id"])

    def task(self, *args: str) -> dict[str, Any]:
        data: dict[str, Any] = self.json("task", "add", *args)["data"]
        return data


@pytest.fixture
def cli(database_url: str) -> Iterator[Cli]:
    helper = Cli(database_url)
    yield helper
    client = Client.connect(database_url)
    try:
        for feature_id in reversed(helper.features):
            with contextlib.suppress(NotFoundError):
                client.delete_feature(uuid.UUID(feature_id), force=True)  # the owner cleans up
    finally:
        client.close()


# ---------------------------------------------------------------- projects and identities


def test_project_and_identity_add_and_list(cli: Cli) -> None:
    project = cli.name("cli-project")
    created = cli.json("project", "add", project)
    assert created["success"] is True
    assert created["data"]["project_name"] == project
    assert created["validation"]["warnings"] == [] and isinstance(created["metadata"], dict)
    uuid.UUID(created["data"]["project_id"])

    listed = cli.data("project", "list")
    assert isinstance(listed, list)
    assert project in [p["project_name"] for p in listed]
    assert project in cli.text("project", "list")

    person = cli.name("alice")
    assert "identity" in cli.text("identity", "add", person)
    assert person in [i["identity_name"] for i in cli.data("identity", "list")]

    duplicate = cli.refused(VALIDATION, "project", "add", project)
    assert duplicate["sqlstate"] == "23514"
    assert "project_name" in [e["field"] for e in duplicate["errors"]]


def test_errors_in_human_mode_go_to_stderr_with_every_item(cli: Cli) -> None:
    project = cli.project()
    result = cli.run(
        "feature", "add", "--project", project, "--name", "ab", "--type", "nonsense",
        "--priority", "11", expect=VALIDATION, as_json=False,
    )  # fmt: skip
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    # every failed check, as "field: message"
    for field_name in ("feature_name", "feature_type", "priority"):
        assert f"- {field_name}: " in result.stderr


# ---------------------------------------------------------------- features


def test_feature_commands(cli: Cli) -> None:
    project = cli.project()
    alice, bob = cli.identity("alice"), cli.identity("bob")

    created = cli.json(
        "feature", "add", "--project", project, "--name", "Checkout flow", "--type", "ui",
        "--description", LONG_DESCRIPTION, "--priority", "3", "--planned-by", alice,
        "--design-doc", "docs/checkout.md",
    )  # fmt: skip
    feature = created["data"]
    cli.features.append(feature["feature_id"])
    assert feature["status"] == "not_started" and feature["completion_percentage"] == 0
    assert feature["priority"] == 3 and feature["design_doc_path"] == "docs/checkout.md"

    planned = cli.json("feature", "status", feature["feature_id"], "planned")
    assert planned["metadata"]["old_status"] == "not_started"
    assert planned["metadata"]["new_status"] == "planned"
    started = cli.json(
        "feature", "status", feature["feature_id"], "in_progress", "--implemented-by", bob
    )
    assert started["data"]["status"] == "in_progress"
    assert started["data"]["started_date"] is not None

    updated = cli.json(
        "feature", "update", feature["feature_id"],
        "--set", "priority=1", "--set", "implementation_notes=Uses the new payment API",
        "--set", "design_doc_path=null",
    )  # fmt: skip
    assert updated["data"]["priority"] == 1  # JSON value
    assert updated["data"]["implementation_notes"] == "Uses the new payment API"  # plain text
    assert updated["data"]["design_doc_path"] is None

    listed = cli.data("feature", "list", "--project", project, "--status", "in_progress")
    assert [f["feature_id"] for f in listed] == [feature["feature_id"]]
    assert cli.data("feature", "list", "--project", project, "--status", "completed") == []
    assert "Checkout flow" in cli.text("feature", "list", "--project", project)

    cli.component(feature["feature_id"], "Payment service", "charge")
    shown = cli.data("feature", "show", feature["feature_id"])
    assert shown["feature_id"] == feature["feature_id"]
    assert [c["component_name"] for c in shown["components"]] == ["Payment service"]
    assert shown["tasks"] == [] and shown["requirements"] == []
    human = cli.text("feature", "show", feature["feature_id"])
    assert "Components" in human and "Payment service" in human and "no tasks" in human
    assert bob in human  # identities shown by name

    completion = cli.data("feature", "completion", feature["feature_id"])
    assert completion["can_complete"] is False
    assert any("Payment service" in check for check in completion["checks"])
    assert "completion gate: refused" in cli.text("feature", "completion", feature["feature_id"])

    refused = cli.refused(REFUSED, "feature", "complete", feature["feature_id"])
    assert refused["sqlstate"] == "55000"
    assert any("Payment service" in e["message"] for e in refused["errors"])

    deleted = cli.json("feature", "delete", feature["feature_id"])
    assert deleted["data"]["feature_id"] == feature["feature_id"]
    assert deleted["metadata"]["deleted_components"] == 1
    gone = cli.refused(NOT_FOUND, "feature", "show", feature["feature_id"])
    assert gone["sqlstate"] == "P0002"


def test_names_and_uuids_both_resolve(cli: Cli) -> None:
    project = cli.project()
    alice = cli.identity("alice")
    project_id = cli.json("project", "add", cli.name("second"))["data"]["project_id"]
    alice_id = next(
        i["identity_id"] for i in cli.data("identity", "list") if i["identity_name"] == alice
    )

    by_name = cli.feature(project, planned_by=alice)
    by_uuid = cli.feature(project_id, label="Feature by uuid", planned_by=alice_id)
    detail = cli.data("feature", "show", by_name)
    assert detail["planned_by_identity_id"] == alice_id
    assert cli.data("feature", "show", by_uuid)["project_id"] == project_id
    assert [f["feature_id"] for f in cli.data("feature", "list", "--project", project_id)] == [
        by_uuid
    ]

    missing_project = cli.refused(
        NOT_FOUND, "feature", "add", "--project", cli.name("no-such-project"),
        "--name", "Orphan feature", "--type", "feature",
    )  # fmt: skip
    assert missing_project["sqlstate"] == "P0002"
    # the database resolves names and prefixes (claude.resolve_id) and names its field
    assert missing_project["errors"][0]["field"] == "project_id"
    missing_identity = cli.refused(
        NOT_FOUND, "feature", "status", by_name, "planned", "--planned-by", cli.name("nobody")
    )
    assert missing_identity["errors"][0]["field"] == "identity_id"
    # ids people can type: a unique prefix of 8 hex characters
    assert cli.data("feature", "show", by_name[:8])["feature_id"] == by_name
    assert cli.refused(NOT_FOUND, "activity", "--project", str(uuid.uuid4()))["sqlstate"] == "P0002"


def test_exit_codes_by_error_kind(cli: Cli) -> None:
    project = cli.project()
    feature = cli.feature(project)

    # 3: validation (every failed check listed), also for a malformed UUID argument
    invalid = cli.refused(
        VALIDATION, "feature", "add", "--project", project, "--name", "abc", "--type", "bogus"
    )
    assert invalid["sqlstate"] == "23514"
    assert {"feature_name", "feature_type"} <= {e["field"] for e in invalid["errors"]}
    assert cli.refused(VALIDATION, "feature", "show", "not-a-uuid")["errors"][0]["field"] == (
        "feature_id"
    )
    assert cli.refused(VALIDATION, "feature", "update", feature, "--set", "no-equals-sign")
    # 4: a referenced row does not exist
    missing = cli.refused(
        MISSING_REFERENCE, "feature", "add", "--project", str(uuid.uuid4()),
        "--name", "Lost feature", "--type", "feature",
    )  # fmt: skip
    assert missing["sqlstate"] == "23503"
    # 5: the addressed row does not exist
    assert cli.refused(NOT_FOUND, "task", "start", str(uuid.uuid4()))["sqlstate"] == "P0002"
    # 6: transition not allowed from the current status
    transition = cli.refused(REFUSED, "feature", "status", feature, "completed")
    assert transition["sqlstate"] == "55000"


def test_everyday_show_list_and_update_commands(cli: Cli) -> None:
    project = cli.project()
    feature = cli.feature(project)
    component = cli.component(feature, "order_store", "save")
    task = cli.task("--feature", feature, "--name", "Write the store", "--type", "code",
                    "--description", "Persist orders with their lines")  # fmt: skip
    requirement = cli.json(
        "requirement", "add", feature, "--name", "Orders are durable", "--type", "data",
        "--description", REQUIREMENT_TEXT, *[a for c in CRITERIA for a in ("--criterion", c)],
        "--created-by", cli.identity("author"),
    )["data"]  # fmt: skip

    # show, by a short id (the first 8 hex characters, as tables print them)
    short = task["task_id"][:8]
    assert cli.data("task", "show", short)["task_id"] == task["task_id"]
    assert cli.data("component", "show", component[:8])["component_id"] == component
    text = cli.text("task", "show", short)
    assert short in text and task["task_id"] not in text  # tables show short ids

    # update through the same rules as update_task / update_component / update_requirement
    updated = cli.json("task", "update", short, "--set", "priority=2")["data"]
    assert updated["priority"] == 2
    assert (
        cli.json("component", "update", component, "--set", "lines_of_code=120")["data"][
            "lines_of_code"
        ]
        == 120
    )
    reworded = cli.json(
        "requirement", "update", requirement["requirement_id"], "--set", "priority=1"
    )["data"]
    assert reworded["priority"] == 1
    refused = cli.refused(VALIDATION, "task", "update", short, "--set", "status=completed")
    assert refused["sqlstate"] == "23514"

    # lists, in the envelope
    assert [c["component_id"] for c in cli.data("component", "list", "--feature", feature)] == [
        component
    ]
    assert [
        r["requirement_id"]
        for r in cli.data("requirement", "list", "--feature", feature, "--status", "draft")
    ] == [requirement["requirement_id"]]
    assert [t["task_id"] for t in cli.data("task", "list", "--project", project)] == [
        task["task_id"]
    ]


def test_gate_checks_jobs_log_validate_and_shows(cli: Cli) -> None:
    project = cli.project()
    author = cli.identity("author")
    feature = cli.feature(project, planned_by=author)
    task = cli.task("--feature", feature, "--name", "Open task", "--type", "code",
                    "--description", "Keeps the gate closed")  # fmt: skip

    gate = cli.data("feature", "gate", feature)
    assert gate["can_complete"] is False
    assert any("Open task" in check for check in gate["checks"])
    assert "cannot complete yet" in cli.text("feature", "gate", feature)
    row = cli.data("feature", "show", feature, "--row")
    assert row["feature_id"] == feature and "tasks" not in row

    assert cli.data("project", "show", project)["project_name"] == project
    assert cli.data("identity", "show", author)["identity_name"] == author
    requirement = cli.json(
        "requirement", "add", feature, "--name", "Gate requirement", "--type", "data",
        "--description", REQUIREMENT_TEXT, "--criterion", CRITERIA[0], "--created-by", author,
    )["data"]  # fmt: skip
    shown = cli.data("requirement", "show", requirement["requirement_id"][:8])
    assert shown["requirement_id"] == requirement["requirement_id"]

    # the read-only job checks log nothing; invariants hold
    assert cli.data("jobs", "invariants") == []
    assert all(t["task_id"] != task["task_id"] for t in cli.data("jobs", "stale"))
    assert isinstance(cli.data("jobs", "unblocked"), list)
    assert isinstance(cli.data("jobs", "ready"), list)

    # an application's own event, read back from the feed
    title = cli.name("deploy finished")
    logged = cli.data("log", "--title", title, "--severity", "success", "--project", project)
    rows = cli.data("activity", "--project", project, "--type", "updated")
    assert any(r["id"] == logged["id"] and r["title"] == title for r in rows)

    # validate: the dry run of an add_*, nothing written
    report = cli.data(
        "validate", "feature", "--set", "feature_name=ab", "--set", "feature_type=bogus"
    )
    assert {e["field"] for e in report["errors"]} >= {"feature_name", "feature_type"}
    cli.run(
        "validate", "feature", "--set", "feature_name=ab", as_json=False, expect=3
    )  # refused: exit 3
    assert cli.data("feature", "list", "--project", project)[0]["feature_id"] == feature


def test_every_registry_function_has_a_cli_command() -> None:
    """Each SQL function of the registry is called by some command (static check),
    except the ones only the REST API's authentication uses."""
    import re

    from buildtracker import registry

    source = "\n".join(
        p.read_text()
        for p in (Path(__file__).resolve().parents[2] / "python_client/src/buildtracker/cli").glob(
            "*.py"
        )
    )
    not_cli = {"authenticate_api_token", "prune_activity"}  # REST auth; an admin SQL job
    missing = [
        name
        for name in registry.functions()
        if name not in not_cli and not re.search(rf"\.{name}\(", source)
    ]
    assert missing == []


def test_version_is_printed(cli: Cli) -> None:
    result = cli.run("--version", as_json=False)
    assert result.stdout.startswith("buildtracker ")
    assert result.stdout.split()[1][0].isdigit()


def test_missing_database_url_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = runner.invoke(app, ["--json", "project", "list"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["errors"][0]["field"] == "database_url"


# ---------------------------------------------------------------- components, tasks, requirements


def test_component_commands(cli: Cli) -> None:
    project = cli.project()
    feature = cli.started_feature(project, cli.identity("alice"), cli.identity("bob"))
    created = cli.json(
        "component", "add", feature, "--name", "Order store", "--type", "repository",
        "--planned-function", "save", "--planned-function", "load",
        "--dependency", "psycopg", "--file-path", "src/orders/store.py",
    )  # fmt: skip
    component = created["data"]
    assert component["status"] == "planned"
    assert component["planned_functions"] == ["save", "load"]
    assert component["planned_dependencies"] == ["psycopg"]

    assert (
        cli.json("component", "status", component["component_id"], "in_progress")["data"]["status"]
        == "in_progress"
    )
    incomplete = cli.refused(VALIDATION, "component", "complete", component["component_id"])
    assert incomplete["errors"]

    done = cli.json(
        "component", "complete", component["component_id"], "--function", "save",
        "--lines", "120", "--tests", "--coverage", "72.5",
    )  # fmt: skip
    assert done["data"]["status"] == "completed"
    assert done["data"]["has_tests"] is True and done["data"]["test_coverage_percentage"] == 72.5
    assert done["metadata"]["feature_completion_percentage"] == 100
    warnings = " ".join(done["validation"]["warnings"])
    assert "load" in warnings and "80" in warnings  # planned but missing; low coverage

    again = cli.refused(REFUSED, "component", "status", component["component_id"], "planned")
    assert again["sqlstate"] == "55000"
    human = cli.text(
        "component", "status", component["component_id"], "deprecated", "--reason", "x"
    )
    assert "deprecated" in human


def test_task_commands(cli: Cli) -> None:
    project = cli.project()
    alice, bob = cli.identity("alice"), cli.identity("bob")
    feature = cli.started_feature(project, alice, bob)
    component = cli.component(feature, "Checkout API", "create_order")
    cli.json("component", "status", component, "in_progress")

    first = cli.task(
        "--name", "Write the endpoint", "--description", "POST /checkout creates an order",
        "--type", "code", "--component", component, "--priority", "1", "--estimate", "1.5",
    )  # fmt: skip
    assert first["feature_id"] == feature and first["estimated_hours"] == 1.5
    second = cli.json(
        "task", "add", "--name", "Test the endpoint", "--description", "Integration tests for it",
        "--type", "test", "--feature", feature, "--priority", "2", "--assign", alice,
        "--blocked-by", first["task_id"],
    )  # fmt: skip
    assert second["metadata"]["is_blocked"] is True
    second_id = second["data"]["task_id"]

    ready = cli.data("task", "ready", "--feature", feature)
    assert [t["task_id"] for t in ready] == [first["task_id"]]
    assert [t["task_id"] for t in cli.data("task", "ready", "--project", project)] == [
        first["task_id"]
    ]
    assert "Write the endpoint" in cli.text("task", "ready", "--component", component)

    claimed = cli.json("task", "claim", "--identity", bob, "--feature", feature)
    assert claimed["data"]["task_id"] == first["task_id"]
    assert claimed["data"]["status"] == "in_progress"
    assert claimed["metadata"]["claimed"] is True
    nothing = cli.json("task", "claim", "--identity", bob, "--feature", feature)
    assert nothing["data"] is None and nothing["metadata"]["claimed"] is False
    assert "nothing is ready" in cli.text("task", "claim", "--identity", bob, "--project", project)

    # the dependency is not done yet
    blocked_start = cli.refused(REFUSED, "task", "start", second_id)
    assert any(e["field"] == "blocked_by_task_id" for e in blocked_start["errors"])

    blocked = cli.json("task", "block", first["task_id"], "--reason", "Waiting for API keys")
    assert blocked["data"]["status"] == "blocked"
    assert blocked["data"]["blocked_reason"] == "Waiting for API keys"
    assert (
        cli.json("task", "unblock", first["task_id"], "--note", "Keys arrived")["data"]["status"]
        == "in_progress"
    )
    assert cli.json("task", "review", first["task_id"])["data"]["status"] == "review"
    changes = cli.json("task", "changes", first["task_id"], "--note", "Validate the basket")
    assert changes["data"]["status"] == "in_progress"
    cli.json("task", "review", first["task_id"])
    completed = cli.json(
        "task", "complete", first["task_id"], "--hours", "4", "--notes", "Done and reviewed"
    )
    assert completed["data"]["status"] == "completed"
    assert completed["data"]["actual_hours"] == 4
    assert completed["validation"]["warnings"]  # more than twice the 1.5h estimate
    assert [t["task_id"] for t in completed["metadata"]["unblocked_tasks"]] == [second_id]

    assert [t["task_id"] for t in cli.data("task", "ready", "--feature", feature)] == [second_id]
    started = cli.json("task", "start", second_id)  # the assignee given at creation
    assert started["data"]["status"] == "in_progress"
    cancelled = cli.json("task", "cancel", second_id, "--reason", "Covered by the e2e suite")
    assert cancelled["data"]["status"] == "cancelled"
    assert cli.refused(REFUSED, "task", "start", second_id)["sqlstate"] == "55000"

    listed = cli.data("task", "list", "--feature", feature)
    assert [t["task_id"] for t in listed] == [first["task_id"], second_id]
    assert [
        t["task_id"]
        for t in cli.data("task", "list", "--feature", feature, "--status", "cancelled")
    ] == [second_id]
    mine = cli.data("task", "list", "--feature", feature, "--assignee", bob)
    assert [t["task_id"] for t in mine] == [first["task_id"]]
    assert "Test the endpoint" in cli.text("task", "list", "--feature", feature, "--limit", "5")


def test_requirement_commands_and_feature_completion(cli: Cli) -> None:
    project = cli.project()
    alice, bob = cli.identity("alice"), cli.identity("bob")
    feature = cli.started_feature(project, alice, bob)
    component = cli.component(feature, "Order store", "save")

    criteria = [arg for c in CRITERIA for arg in ("--criterion", c)]
    created = cli.json(
        "requirement", "add", feature, "--name", "Orders are durable", "--type", "data",
        "--description", REQUIREMENT_TEXT, *criteria, "--priority", "2", "--must-have",
        "--created-by", alice,
    )  # fmt: skip
    requirement = created["data"]
    assert requirement["status"] == "draft" and requirement["must_have"] is True
    assert created["metadata"]["criteria_count"] == 3
    rid = requirement["requirement_id"]

    assert cli.json("requirement", "status", rid, "defined")["data"]["status"] == "defined"
    assert cli.json("requirement", "status", rid, "approved")["data"]["status"] == "approved"
    # implemented needs a completed component
    early = cli.refused(
        REFUSED, "requirement", "status", rid, "implemented", "--component", component
    )
    assert early["sqlstate"] == "55000"
    cli.json("component", "status", component, "in_progress")
    cli.json(
        "component", "complete", component, "--function", "save", "--tests", "--coverage", "90"
    )
    cli.json("requirement", "status", rid, "implemented", "--component", component)
    run_id = str(uuid.uuid4())
    verified = cli.json("requirement", "verify", rid, "--test-run", run_id)
    assert verified["data"]["status"] == "verified"
    assert verified["data"]["verified_by_test_run_id"] == run_id
    assert verified["metadata"]["all_must_haves_verified"] is True

    rejected = cli.refused(REFUSED, "requirement", "status", rid, "rejected")
    assert rejected["sqlstate"] == "55000"

    assert cli.data("feature", "completion", feature)["can_complete"] is True
    completed = cli.json("feature", "complete", feature)
    assert completed["data"]["status"] == "completed"
    assert completed["data"]["completed_date"] is not None
    completion = cli.data("feature", "completion", feature)
    assert completion["status"] == "completed" and completion["completion_percentage"] == 100
    assert "[completed] 100% complete" in cli.text("feature", "completion", feature)


# ---------------------------------------------------------------- activity and jobs


def test_activity_lists_and_filters(cli: Cli) -> None:
    project = cli.project()
    feature = cli.started_feature(project, cli.identity("alice"), cli.identity("bob"))

    rows = cli.data("activity", "--project", project)
    assert isinstance(rows, list) and len(rows) == 3  # created, planned, started
    assert {r["source_id"] for r in rows} == {feature}
    assert rows[0]["activity_type"] == "started"  # newest first
    assert all(r["project_name"] == project for r in rows)

    created = cli.data(
        "activity", "--project", project, "--source-type", "feature", "--source-id", feature,
        "--type", "created", "--since", "1h",
    )  # fmt: skip
    assert [r["activity_type"] for r in created] == ["created"]
    assert cli.data("activity", "--project", project, "--severity", "warning") == []
    assert cli.data("activity", "--project", project, "--since", "2999-01-01T00:00:00") == []
    assert len(cli.data("activity", "--project", project, "--limit", "1")) == 1
    by_actor = cli.data("activity", "--project", project, "--actor", "nobody-at-all")
    assert by_actor == []

    human = cli.text("activity", "--project", project)
    assert "Activity" in human and "Feature created" in human
    assert cli.refused(VALIDATION, "activity", "--since", "yesterday-ish")["errors"]


def test_activity_follow_streams_every_row_committed_meanwhile(cli: Cli, database_url: str) -> None:
    project = cli.project()
    warning_title = f"Disk almost full {cli.tag}"
    info_title = f"Routine note {cli.tag}"

    # the command's own connection, once it has read the feed
    reading = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND query LIKE '%%get_activity_after%%'"
    )
    session = psycopg.connect(database_url, autocommit=True)
    watcher = Client(session)
    before = session.execute(reading).fetchone()

    def commit_rows() -> None:
        """Once the command follows (and has printed the latest rows), commit two rows."""
        try:
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:
                if session.execute(reading).fetchone() != before:
                    break
                time.sleep(0.05)
            time.sleep(0.3)
            watcher.log_activity("system", None, "updated", info_title, project_name=project)
            watcher.log_activity(
                "system", None, "updated", warning_title, summary="92% used",
                project_name=project, severity="warning",
            )  # fmt: skip
        finally:
            watcher.close()

    writer = threading.Thread(target=commit_rows)
    writer.start()
    started = time.monotonic()
    result = cli.run(
        "activity", "--project", project, "--follow", "--follow-timeout", "2", as_json=False
    )
    writer.join()
    assert 1.5 <= time.monotonic() - started < 10
    _, _, streamed = result.stdout.partition("following the activity feed")
    assert streamed, result.stdout
    assert warning_title in streamed and "92% used" in streamed  # the row, read back
    assert info_title in streamed  # every severity, in order
    assert streamed.index(info_title) < streamed.index(warning_title)

    # --json: one object per line; both are now among the latest rows
    lines = cli.run(
        "activity", "--project", project, "--follow", "--follow-timeout", "0.2"
    ).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["title"] for r in rows] == [info_title, warning_title]  # oldest first


def test_task_context_shows_dependencies_and_the_latest_comments(cli: Cli) -> None:
    feature = cli.feature(cli.project())
    first = cli.task("--feature", feature, "--name", "Design the schema", "--type", "design",
                     "--description", "Tables for orders and their lines")  # fmt: skip
    second = cli.task("--feature", feature, "--name", "Write the store", "--type", "code",
                      "--description", "Persist orders with their lines")  # fmt: skip
    short = second["task_id"][:8]
    cli.json("task", "dep", "add", short, first["task_id"][:8])
    for body in ("older finding", "newer finding"):
        cli.json("comment", "add", short, body)
    found = cli.data("task", "context", short, "--comments", "1")
    assert found["task"]["task_id"] == second["task_id"]
    assert [d["task_id"] for d in found["depends_on"]] == [first["task_id"]]
    assert [c["body"] for c in found["comments"]] == ["newer finding"]
    text = cli.text("task", "context", short)
    assert "Write the store" in text and "Design the schema" in text
    assert "older finding" in text and "newer finding" in text
    missing = cli.refused(NOT_FOUND, "task", "context", "0" * 8)
    assert missing["sqlstate"] == "P0002"


def test_jobs_run(cli: Cli) -> None:
    summary = cli.data("jobs", "run")
    for job in ("stale_tasks", "unblocked_tasks", "ready_features"):
        assert set(summary[job]) == {"found", "logged"}
        assert summary[job]["found"] >= summary[job]["logged"] >= 0
    assert "ran_at" in summary
    assert "Background jobs" in cli.text("jobs", "run", "--older-than", "30d")
    assert (
        cli.refused(VALIDATION, "jobs", "run", "--older-than", "soon")["errors"][0]["field"]
        == "older_than"
    )


def test_jobs_run_reports_a_feature_ready_to_complete(cli: Cli) -> None:
    project = cli.project()
    feature = cli.started_feature(project, cli.identity("alice"), cli.identity("bob"))
    component = cli.component(feature, "Order store", "save")
    cli.json("component", "status", component, "in_progress")
    cli.json("component", "complete", component, "--function", "save", "--tests")

    first = cli.data("jobs", "run")
    assert first["ready_features"]["found"] >= 1 and first["ready_features"]["logged"] >= 1
    second = cli.data("jobs", "run")
    assert second["ready_features"]["found"] >= 1  # still ready, but logged only once
    ready_rows = [
        r for r in cli.data("activity", "--project", project, "--source-id", feature)
        if r["title"].startswith("Ready to complete")
    ]  # fmt: skip
    assert len(ready_rows) == 1


# ---------------------------------------------------------------- the console script and the demo


def test_console_script_runs_as_a_module(database_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "buildtracker.cli", "--database-url", database_url, "--json",
         "feature", "show", str(uuid.uuid4())],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == NOT_FOUND
    assert json.loads(done.stdout)["error"]["sqlstate"] == "P0002"
    assert done.stderr.startswith("error: ")


def test_demo_runs_the_story_through_the_cli(database_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "buildtracker.demo", "--database-url", database_url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, timeout=300,
        cwd=Path(__file__).parent,
    )  # fmt: skip
    output = done.stdout
    assert done.returncode == 0, output
    assert "$ buildtracker feature complete" in output
    # the refused completion names what is missing ...
    refused = output.index("from in_progress to completed")
    assert "must-have requirement" in output[refused:]
    assert "(exit code 6: refused, as expected)" in output
    # ... and the story ends with the feature completed and its activity feed
    assert "[completed] 100% complete" in output
    assert "Feature completed: Checkout flow" in output
    # ... then two agents share a feature: a lease runs out, the task is taken over,
    # the old holder's heartbeat is refused, and the comment is in the feed
    assert "Task reclaimed: Build the search index" in output
    assert "Lease expired: Build the search index" in output
    assert "Comment on task: Build the search index" in output
    assert "Task released: Add the search endpoint" in output
    assert output.rstrip().endswith(
        "demo finished: the feature went from plan to completed, and two agents"
        " shared another through leases"
    )
