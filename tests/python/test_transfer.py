"""``buildtracker export`` / ``import`` and ``import --from beads`` (SPEC section 10).

Export -> import into an empty, freshly deployed database -> export gives the
same lines; an import with bad lines names every one and writes nothing; a
line that is not JSON is named before anything reaches the database. A beads
``issues.jsonl`` (tests/python/fixtures/beads_issues.jsonl, the format of
steveyegge/beads) becomes features, tasks, statuses, dependencies, labels and
comments of a project, all or nothing. The commands run in process
(CliRunner), so the registry coverage sees them on the CLI.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from buildtracker import AsyncClient, Client, ValidationError
from buildtracker.beads import BeadsImportError, import_beads
from buildtracker.cli import app
from test_upgrade import scratch_database, sqitch
from typer.testing import CliRunner, Result

FIXTURE = Path(__file__).parent / "fixtures" / "beads_issues.jsonl"
VALIDATION = 3


def run(database_url: str, *args: str, expect: int = 0, as_json: bool = False) -> Result:
    options = ["--database-url", database_url, *(["--json"] if as_json else [])]
    result = CliRunner().invoke(app, [*options, *args], env={"COLUMNS": "250"})
    assert result.exit_code == expect, (
        f"`buildtracker {' '.join(args)}` exited {result.exit_code}, expected {expect}\n"
        f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}"
    )
    return result


def refused_lines(result: Result) -> list[str]:
    """The "line N" fields of a --json failure."""
    document = json.loads(result.stdout)
    assert document["success"] is False, document
    return [item["field"] for item in document["error"]["errors"]]


@pytest.fixture(scope="module")
def empty_url(database_url: str) -> Iterator[str]:
    """A database of its own on the same server, freshly deployed, dropped afterwards."""
    with scratch_database(database_url, "transfer") as url:
        deployed = sqitch(["deploy", "--verify"], url)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        yield url


def project_with_everything(database_url: str) -> str:
    """A project with features (a child too), a component, a requirement, tasks in
    every status the beads fixture drives, dependencies, comments and their feed."""
    name = f"Transfer {uuid.uuid4().hex[:10]}"
    run(database_url, "import", "--from", "beads", str(FIXTURE), "--project", name)
    with Client.connect(database_url) as client:
        project_id = client.resolve_id("project", name)
        parent = next(
            f for f in client.list_features(project_id=project_id)
            if f.feature_name == "Checkout flow rewrite"
        )  # fmt: skip
        dev = client.add_identity(f"transfer-dev-{uuid.uuid4().hex[:8]}").data
        child = client.add_feature(
            "Transfer child feature",
            "api",
            project_id,
            description="A child feature, so that parents come first in the export",
            parent_feature_id=parent.feature_id,
            planned_by_identity_id=dev.identity_id,
            labels=["child"],
        ).data
        client.update_feature_status(child.feature_id, "planned")
        component = client.add_component(child.feature_id, "order_store", "service", ["save"])
        client.add_requirement(
            child.feature_id,
            "Orders survive a restart",
            "functional",
            "Every confirmed order is stored and can be read back after a restart",
            ["Given a stored order, when the service restarts, then it can be loaded"],
            created_by_identity_id=dev.identity_id,
        )
        client.add_task(
            "Write the order store",
            "Save and load orders with their lines",
            "code",
            component_id=component.data.component_id,
        )
        client.add_comment("feature", child.feature_id, 'Ünïcode and "quotes" survive\ttoo')
    return name


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_lines(
    database_url: str, empty_url: str, tmp_path: Path
) -> None:
    name = project_with_everything(database_url)
    exported = tmp_path / "export.jsonl"
    written = run(database_url, "export", "--project", name, "-o", str(exported), as_json=True)
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert json.loads(written.stdout)["data"]["lines"] == len(lines)
    # stdout holds the same lines, exactly
    assert run(database_url, "export", "--project", name).stdout == exported.read_text("utf-8")
    records = {json.loads(line)["record"] for line in lines}
    assert records >= {
        "projects", "identities", "features", "components", "build_tasks", "requirements",
        "task_dependencies", "comments", "activity_feed",
    }  # fmt: skip

    summary = json.loads(run(empty_url, "import", str(exported), as_json=True).stdout)["data"]
    assert summary["lines"] == len(lines)
    assert sum(summary["imported"].values()) == len(lines)
    again = run(empty_url, "export", "--project", name).stdout.splitlines()
    assert again == lines
    # the whole database is the project and the identities
    assert run(empty_url, "export").stdout.splitlines() == lines
    with Client.connect(empty_url) as client:
        assert client.check_invariants() == []


def test_import_names_every_refused_line_and_writes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:10]
    project_id = uuid.uuid4()
    lines = [
        json.dumps({"record": "projects", "project_id": str(project_id),
                    "project_name": f"Bad import {tag}", "created_at": "2026-01-01T00:00:00Z",
                    "updated_at": "2026-01-01T00:00:00Z"}),
        json.dumps({"record": "nonsense", "id": 1}),
        "",  # blank lines are skipped; the numbers stay the file's
        json.dumps({"record": "projects", "project_id": str(uuid.uuid4()),
                    "project_name": f"Colourful {tag}", "colour": "red"}),
        json.dumps({"record": "build_tasks", "task_id": str(uuid.uuid4()),
                    "feature_id": str(uuid.uuid4()), "task_name": "Dangling task",
                    "task_description": "Its feature does not exist", "task_type": "code",
                    "status": "todo", "priority": 5, "created_at": "2026-01-01T00:00:00Z",
                    "updated_at": "2026-01-01T00:00:00Z"}),
        "[1, 2]",
    ]  # fmt: skip
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(database_url, "import", str(bad), expect=VALIDATION, as_json=True)
    assert refused_lines(result) == ["line 2", "line 4", "line 5", "line 6"]
    document = json.loads(result.stdout)["error"]
    assert "Nothing was imported" in document["hint"]
    assert "colour" in document["errors"][1]["message"]
    # people get every line on stderr
    human = run(database_url, "import", str(bad), expect=VALIDATION)
    for number in (2, 4, 5, 6):
        assert f"line {number}:" in human.stderr
    with Client.connect(database_url) as client:
        assert f"Bad import {tag}" not in {p.project_name for p in client.list_projects()}


def test_import_names_lines_that_are_not_json_before_sending_anything(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_: Any) -> Any:
        raise AssertionError("import_records was called")

    monkeypatch.setattr(Client, "import_records", never)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"record": "projects"}\nnot json at all\n\n{"record": \n', encoding="utf-8")
    result = run(database_url, "import", str(broken), expect=VALIDATION, as_json=True)
    assert refused_lines(result) == ["line 2", "line 4"]
    assert json.loads(result.stdout)["error"]["sqlstate"] == "22P02"
    # the same for a beads file
    result = run(
        database_url, "import", "--from", "beads", str(broken), "--project", "never created",
        expect=VALIDATION, as_json=True,
    )  # fmt: skip
    assert refused_lines(result) == ["line 2", "line 4"]
    with Client.connect(database_url) as client:
        assert "never created" not in {p.project_name for p in client.list_projects()}


def test_export_and_import_through_the_async_client(database_url: str) -> None:
    async def walk() -> None:
        async with await AsyncClient.connect(database_url) as client:
            project = (await client.add_project(f"Async export {uuid.uuid4().hex[:8]}")).data
            lines = await client.export_records(project.project_id)
            assert json.loads(lines[0])["project_id"] == str(project.project_id)
            # the project again: its id is taken, so the line is refused (23505, a
            # ValidationError), and nothing changes
            with pytest.raises(ValidationError) as refused:
                await client.import_records([json.loads(lines[0])])
            assert refused.value.sqlstate == "23505"
            assert [e.field for e in refused.value.errors] == ["line 1"]
            # the follower's read, from the start
            assert isinstance(await client.get_activity_after(None, 1), list)

    asyncio.run(walk())


# ---------------------------------------------------------------- beads


def test_beads_import_of_the_fixture(database_url: str) -> None:
    name = f"Beads {uuid.uuid4().hex[:10]}"
    result = run(
        database_url, "import", "--from", "beads", str(FIXTURE), "--project", name, as_json=True
    )
    report = json.loads(result.stdout)["data"]
    assert report["project_created"] is True
    assert (report["lines"], report["features"], report["tasks"]) == (11, 3, 8)
    assert report["dependencies"] == 5
    assert report["statuses"] == {"open": 4, "in_progress": 1, "blocked": 1, "closed": 2}
    assert report["skipped"] == [
        {"line": 11, "beads_id": "bd-3hdw", "reason": "deleted in beads (tombstone)"}
    ]

    with Client.connect(database_url) as client:
        project_id = client.resolve_id("project", name)
        features = {f.feature_name: f for f in client.list_features(project_id=project_id)}
        assert set(features) == {
            "Checkout flow rewrite",
            "Customer accounts",
            "Imported from beads",
        }
        assert features["Checkout flow rewrite"].labels == ("checkout", "beads:bd-a1f3")
        assert features["Checkout flow rewrite"].priority == 3  # beads P1
        tasks = {
            next(label for label in t.labels if label.startswith("beads:")): t
            for t in client.list_tasks(project_id=project_id, max_rows=100)
        }
        assert len(tasks) == 8 and "beads:bd-3hdw" not in tasks
        names = {i.identity_id: i.identity_name for i in client.list_identities()}

        def task(beads_id: str) -> Any:
            return tasks[f"beads:{beads_id}"]

        expected = {
            # beads id: (status, priority, task_type, feature, assignee)
            "bd-a1f3.1": ("completed", 3, "code", "Checkout flow rewrite", "alice"),
            "bd-a1f3.2": ("in_progress", 1, "code", "Checkout flow rewrite", "bob"),
            "bd-a1f3.3": ("blocked", 5, "code", "Checkout flow rewrite", "alice"),
            "bd-a1f3.4": ("todo", 1, "bug_fix", "Checkout flow rewrite", None),
            "bd-7k2p": ("todo", 7, "code", "Imported from beads", None),
            "bd-9x1c": ("todo", 9, "code", "Imported from beads", None),
            "bd-q8m2": ("completed", 3, "bug_fix", "Imported from beads", "carol"),
            "bd-5tz0.1": ("todo", 5, "code", "Customer accounts", None),
        }
        for beads_id, (status, priority, task_type, feature, assignee) in expected.items():
            t = task(beads_id)
            assert (t.status, t.priority, t.task_type) == (status, priority, task_type), beads_id
            assert t.feature_id == features[feature].feature_id, beads_id
            assert names.get(t.assigned_to_identity_id) == assignee, beads_id  # type: ignore[arg-type]
        assert task("bd-a1f3.1").labels == ("backend", "db", "beads:bd-a1f3.1")
        assert task("bd-a1f3.1").estimated_hours == 4
        closed = task("bd-a1f3.1")
        assert closed.actual_hours == 0.01 and closed.completion_notes is not None
        assert (
            "unknown in beads" in closed.completion_notes
            and "Merged in #42" in closed.completion_notes
        )
        assert task("bd-a1f3.3").blocked_reason == "Blocked in beads, waiting on bd-a1f3.2"
        # a description too short for a task says where the task came from
        assert task("bd-7k2p").task_description == "Imported from beads issue bd-7k2p."

        def depends_on(beads_id: str) -> set[tuple[str, str]]:
            links = client.get_task_dependencies(task(beads_id).task_id).depends_on
            back = {t.task_id: key.removeprefix("beads:") for key, t in tasks.items()}
            return {(back[link.task_id], link.kind.value) for link in links}

        assert depends_on("bd-a1f3.2") == {("bd-a1f3.1", "blocks")}
        assert depends_on("bd-a1f3.3") == {("bd-a1f3.2", "blocks")}
        assert depends_on("bd-a1f3.4") == {("bd-a1f3.2", "discovered_from")}
        assert depends_on("bd-9x1c") == {("bd-a1f3.2", "related")}
        assert depends_on("bd-5tz0.1") == {("bd-a1f3.3", "blocks")}
        assert depends_on("bd-7k2p") == set()

        notes = client.get_comments("build_task", task("bd-a1f3.3").task_id)
        assert [c.body for c in notes] == [
            "Notes (from beads bd-a1f3.3):\nWaiting for the SMTP credentials from ops;"
            " the template is ready in templates/order_confirmed.html."
        ]
        remarks = client.get_comments("build_task", task("bd-9x1c").task_id)
        assert [c.actor for c in remarks] == ["carol"]
        assert remarks[0].body.startswith("Ask support which refund cases come up most often.")
        design = client.get_comments("feature", features["Checkout flow rewrite"].feature_id)
        assert design[0].body.startswith("Design (from beads bd-a1f3):")
        # the blocked task resumes by itself once what it waits on is done
        client.complete_task(task("bd-a1f3.2").task_id, 2)
        assert client.get_task(task("bd-a1f3.3").task_id).status == "in_progress"
        count = len(client.list_tasks(project_id=project_id, max_rows=100))

    # importing the same file again into the project: every line refused, nothing added
    again = run(
        database_url, "import", "--from", "beads", str(FIXTURE), "--project", name,
        expect=VALIDATION, as_json=True,
    )  # fmt: skip
    assert refused_lines(again) == [f"line {n}" for n in range(1, 11)]
    assert "already imported" in json.loads(again.stdout)["error"]["errors"][0]["message"]
    with Client.connect(database_url) as client:
        assert len(client.list_tasks(project_id=project_id, max_rows=100)) == count


def test_beads_refused_lines_are_all_reported_and_nothing_is_written(
    database_url: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:10]
    issue = {"status": "open", "priority": 2, "issue_type": "task",
             "created_at": "2025-11-05T10:00:00Z", "updated_at": "2025-11-05T10:00:00Z"}  # fmt: skip
    lines = [
        {**issue, "id": "bd-ok1", "title": "A perfectly fine task", "assignee": f"ghost-{tag}",
         "description": "Nothing wrong with this one at all."},
        {**issue, "id": "bd-bad1", "title": "Fix"},  # the database: a task name of 5+
        {**issue, "id": "bd-bad2", "title": "Status nobody knows", "status": "weird"},
        {**issue, "id": "bd-bad3", "title": "Depends on a ghost",
         "dependencies": [{"issue_id": "bd-bad3", "depends_on_id": "bd-ghost", "type": "blocks"}]},
        {**issue, "id": "bd-bad4", "title": "Priority out of range", "priority": 9},
        {**issue, "id": "bd-bad5", "title": "A label the database refuses",
         "labels": ["Needs Review"]},
        {**issue, "id": "bd-ok1", "title": "The same id twice"},
        {**issue, "id": "bd-epic", "title": "Epic", "issue_type": "epic"},
        {**issue, "id": "bd-child", "title": "Child of a refused epic",
         "dependencies": [{"issue_id": "bd-child", "depends_on_id": "bd-epic",
                           "type": "parent-child"}]},
    ]  # fmt: skip
    bad = tmp_path / "issues.jsonl"
    bad.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    project = f"Beads refused {tag}"
    result = run(
        database_url, "import", "--from", "beads", str(bad), "--project", project,
        expect=VALIDATION, as_json=True,
    )  # fmt: skip
    assert refused_lines(result) == [f"line {n}" for n in range(2, 10)]
    messages = [e["message"] for e in json.loads(result.stdout)["error"]["errors"]]
    assert messages[0] == "bd-bad1: task_name must be at least 5 characters"
    assert "depends on bd-ghost, which is not in the file" in messages[2]
    assert "labels" in messages[4]
    assert "line 1" in messages[5]  # the same id
    assert messages[6].startswith("bd-epic: feature_name")  # "Epic" is too short
    assert messages[7] == "bd-child: its epic bd-epic was refused"
    with Client.connect(database_url) as client:
        assert project not in {p.project_name for p in client.list_projects()}
        assert f"ghost-{tag}" not in {i.identity_name for i in client.list_identities()}


def test_beads_import_runs_in_the_callers_transaction(database_url: str) -> None:
    """The library call: the caller owns the transaction (commit or roll back)."""
    name = f"Beads rolled back {uuid.uuid4().hex[:10]}"
    with psycopg.connect(database_url) as conn:  # not autocommit: the caller's transaction
        client = Client(conn)
        report = import_beads(client, FIXTURE.read_text("utf-8").splitlines(), name)
        assert report.tasks == 8
        assert name in {p.project_name for p in client.list_projects()}
        conn.rollback()
        assert name not in {p.project_name for p in client.list_projects()}
        conn.rollback()
    with (
        pytest.raises(BeadsImportError) as refused,
        psycopg.connect(database_url, autocommit=True) as conn,
    ):
        import_beads(Client(conn), ['{"id": "bd-1", "title": "Fix"}'], name)
    assert [e.field for e in refused.value.errors] == ["line 1"]
