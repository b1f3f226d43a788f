"""One JSON contract on every surface (SPEC section 11).

The same failure gives the same bytes from the CLI's ``--json``, from REST and
from the library's own rendering (``buildtracker.contract``); successes,
lists included, are the SQL envelope; ``--json`` works anywhere on the command
line, and a usage error under it is JSON too (exit 2).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from buildtracker import Client, contract
from buildtracker.api import create_app
from buildtracker.cli import app
from buildtracker.errors import BuildTrackerError
from fastapi.testclient import TestClient
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(scope="module")
def rest(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_url, authenticate=False)) as client:
        yield client


@pytest.fixture
def completed_task(database_url: str) -> Iterator[dict[str, str]]:
    """A project with a completed task (every later start of it is refused with 55000)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        client = Client(conn)
        name = f"contract-{uuid.uuid4().hex[:8]}"
        project = client.add_project(name).data
        dev = client.add_identity(f"{name}-dev").data
        feature = client.add_feature("Contract feature", "feature", project.project_id).data
        task = client.add_task(
            "Contract task", "A task that is already done", "code", feature_id=feature.feature_id
        ).data
        client.start_task(task.task_id, dev.identity_id)
        client.complete_task(task.task_id, 1)
        try:
            yield {"task_id": str(task.task_id), "project": name, "dev": str(dev.identity_id)}
        finally:
            client.delete_feature(feature.feature_id)


def cli(database_url: str, *args: str) -> Any:
    return runner.invoke(app, ["--database-url", database_url, *args], prog_name="buildtracker")


def test_the_same_failure_is_the_same_bytes_on_cli_rest_and_library(
    database_url: str, rest: TestClient, completed_task: dict[str, str]
) -> None:
    task_id, dev = completed_task["task_id"], completed_task["dev"]
    on_cli = cli(database_url, "--json", "task", "start", task_id, "--identity", dev)
    assert on_cli.exit_code == 6, on_cli.stdout
    on_rest = rest.patch(f"/api/tasks/{task_id}/start", json={"identity_id": dev})
    assert on_rest.status_code == 409
    with (
        psycopg.connect(database_url, autocommit=True) as conn,
        pytest.raises(BuildTrackerError) as refused,
    ):
        Client(conn).start_task(uuid.UUID(task_id), uuid.UUID(dev))
    in_library = contract.dumps(contract.failure_of(refused.value))

    assert on_cli.stdout.rstrip("\n").encode() == on_rest.content == in_library.encode()
    document = json.loads(on_rest.content)
    assert document["success"] is False
    assert document["error"]["sqlstate"] == "55000"
    assert document["error"]["errors"][0].keys() == {"field", "message", "code", "entity_id"}


def test_an_ambiguous_prefix_names_each_candidate_on_every_surface(
    database_url: str, rest: TestClient
) -> None:
    twins = [f"abcd{uuid.uuid4().hex[:4]}-0000-4000-8000-00000000000{n}" for n in (1, 2)]
    twins[1] = twins[0][:8] + twins[1][8:]
    with psycopg.connect(database_url, autocommit=True) as conn:
        for n, twin in enumerate(twins):
            conn.execute(
                "INSERT INTO claude.identities (identity_id, identity_name) VALUES (%s, %s)",
                [twin, f"twin-{n}-{twin}"],
            )
        try:
            on_cli = cli(database_url, "task", "list", "--assignee", twins[0][:8], "--json")
        finally:
            conn.execute("DELETE FROM claude.identities WHERE identity_id = ANY (%s)", [twins])
    assert on_cli.exit_code == 3, on_cli.stdout
    error = json.loads(on_cli.stdout)["error"]
    assert error["sqlstate"] == "23514"
    assert sorted(e["entity_id"] for e in error["errors"]) == sorted(twins)


def test_json_works_anywhere_and_lists_come_in_the_envelope(
    database_url: str, completed_task: dict[str, str]
) -> None:
    for args in (
        ["--json", "project", "list"],
        ["project", "--json", "list"],
        ["project", "list", "--json"],
    ):
        result = cli(database_url, *args)
        assert result.exit_code == 0, (args, result.stdout)
        document = json.loads(result.stdout)
        assert document.keys() == {"success", "data", "validation", "metadata"}
        assert document["success"] is True and isinstance(document["data"], list)
        assert completed_task["project"] in [p["project_name"] for p in document["data"]]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["task", "start", "--bogus", "--json"], "--bogus"),
        (["--json", "task", "start"], "task_id"),
        (["task", "list", "--limit", "many", "--json"], "--limit"),
    ],
)
def test_usage_errors_are_json_under_json_with_exit_2(
    database_url: str, args: list[str], field: str
) -> None:
    result = cli(database_url, *args)
    assert result.exit_code == 2, result.stdout
    document = json.loads(result.stdout)
    assert document["success"] is False
    assert document["error"]["sqlstate"] is None
    assert document["error"]["errors"][0]["field"] == field
    assert document["error"]["hint"].startswith("Try 'buildtracker")


def test_usage_errors_without_json_are_plain_text(database_url: str) -> None:
    result = cli(database_url, "task", "start", "--bogus")
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.output
    assert not result.stdout.lstrip().startswith("{")
