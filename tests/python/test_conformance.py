"""Conformance with the seed (issue 3/7) on the command line:
``buildtracker transition`` answers validate_status_transition with the exit
codes of the README's table."""

from __future__ import annotations

import json

from buildtracker.cli import app
from typer.testing import CliRunner


def run(database_url: str, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["--database-url", database_url, *args])
    return done.exit_code, done.stdout


def test_an_allowed_move_exits_0_with_its_action(database_url: str) -> None:
    code, out = run(database_url, "--json", "transition", "requirement", "draft", "defined")
    assert code == 0
    assert json.loads(out)["data"]["action"] == "define"


def test_a_move_not_allowed_exits_6(database_url: str) -> None:
    code, out = run(database_url, "transition", "feature", "not_started", "completed")
    assert code == 6
    assert "cannot go from not_started to completed" in out


def test_an_unknown_status_exits_3(database_url: str) -> None:
    code, out = run(database_url, "--json", "transition", "build_task", "todo", "done")
    assert code == 3
    assert json.loads(out)["data"]["errors"][0]["field"] == "to_status"


def test_a_completed_feature_is_deleted_only_with_force(database_url: str) -> None:
    import uuid

    from buildtracker import Client

    with Client.connect(database_url) as client:
        project = client.add_project(f"Delete guard {uuid.uuid4().hex[:8]}").data
        dev = client.add_identity(f"guard-dev-{uuid.uuid4().hex[:8]}").data
        feature = client.add_feature(
            "Finished feature",
            "api",
            project.project_id,
            description="A feature that is done and kept.",
            planned_by_identity_id=dev.identity_id,
        ).data
        client.update_feature_status(feature.feature_id, "planned")
        client.update_feature_status(
            feature.feature_id, "in_progress", implemented_by_identity_id=dev.identity_id
        )
        client.complete_feature(feature.feature_id)
    short = str(feature.feature_id)[:8]
    code, out = run(database_url, "--json", "feature", "delete", short)
    assert code == 6
    assert json.loads(out)["error"]["sqlstate"] == "55000"
    code, out = run(database_url, "--json", "feature", "delete", short, "--force")
    assert code == 0, out  # this login is a superuser: a member of the owner role
    assert json.loads(out)["data"]["feature_id"] == str(feature.feature_id)
