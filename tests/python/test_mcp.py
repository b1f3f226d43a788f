"""``buildtracker mcp`` through the ``mcp`` SDK's own client over stdio, as an
agent host runs it (SPEC section 11), and ``buildtracker agent setup``.

Every server here is a process of its own (``python -m buildtracker.cli mcp``,
or exactly the command a written ``.mcp.json`` names), with DATABASE_URL and
BUILDTRACKER_IDENTITY in its environment; :mod:`buildtracker.mcp_session`
drives it. Each test works in its own project with unique names.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from buildtracker import Client, registry
from buildtracker.agent_setup import BEGIN, END
from buildtracker.cli import app
from buildtracker.enums import TaskType
from buildtracker.mcp_server import TOOLS
from buildtracker.mcp_session import Session, open_session
from mcp import MCPError, StdioServerParameters
from typer.testing import CliRunner

runner = CliRunner()


@dataclass
class Place:
    """A project with one feature, and an identity to work in it."""

    project_name: str
    project_id: str
    feature_id: str
    identity: str
    identity_id: str


def tag() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def place(database_url: str) -> Iterator[Place]:
    with Client.connect(database_url) as client:
        project = client.add_project(f"mcp project {tag()}").data
        feature = client.add_feature(
            f"MCP feature {tag()}", "feature", project.project_id, description="Worked by agents"
        ).data
        identity = client.add_identity(f"mcp-agent-{tag()}").data
    yield Place(
        project.project_name,
        str(project.project_id),
        str(feature.feature_id),
        identity.identity_name,
        str(identity.identity_id),
    )
    with Client.connect(database_url) as client:
        client.delete_feature(feature.feature_id, force=True)


@pytest.fixture
def session(database_url: str, place: Place) -> Iterator[Session]:
    with open_session(database_url, identity=place.identity) as running:
        yield running


def cli_json(database_url: str, *args: str) -> dict[str, Any]:
    """What ``buildtracker --json ARGS`` prints (in process)."""
    done = runner.invoke(app, ["--database-url", database_url, "--json", *args])
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def add_task(session: Session, place: Place, name: str, **extra: Any) -> dict[str, Any]:
    arguments = {
        "task_name": name,
        "task_description": "Work done through the MCP server",
        "task_type": "code",
        "feature_id": place.feature_id[:8],
        **extra,
    }
    task: dict[str, Any] = session.call("add_task", arguments).data
    return task


# ---------------------------------------------------------------- the tools


def test_the_tools_are_few_described_by_the_registry_and_typed(session: Session) -> None:
    tools = {t.name: t for t in session.tools()}
    assert len(tools) <= 15
    assert set(tools) == {spec.function for spec in TOOLS}
    functions = registry.functions()
    for name, listed in tools.items():
        # each tool is one SQL function, described by its COMMENT
        assert listed.description == functions[name].description
        assert listed.input_schema["type"] == "object"
        assert listed.input_schema["additionalProperties"] is False
        assert "actor" not in listed.input_schema["properties"]
    claim = tools["claim_next_task"].input_schema
    assert claim["required"] == []  # the identity defaults to BUILDTRACKER_IDENTITY
    assert claim["properties"]["identity"]["type"] == "string"
    assert claim["properties"]["lease"]["type"] == ["string", "number"]
    assert claim["properties"]["labels"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": claim["properties"]["labels"]["description"],
    }
    complete = tools["complete_task"].input_schema
    assert complete["required"] == ["task_id", "actual_hours"]
    assert complete["properties"]["task_id"]["format"] == "uuid"
    assert complete["properties"]["actual_hours"]["type"] == "number"
    added = tools["add_task"].input_schema["properties"]
    assert added["task_type"]["enum"] == [t.value for t in TaskType]
    assert added["priority"]["type"] == "integer"
    kinds = tools["add_dependency"].input_schema["properties"]["kind"]["enum"]
    assert kinds == ["blocks", "related", "discovered_from"]
    assert tools["get_ready_tasks"].annotations is not None
    assert tools["get_ready_tasks"].annotations.read_only_hint is True
    assert tools["complete_task"].annotations is not None
    assert tools["complete_task"].annotations.read_only_hint is False
    with pytest.raises(MCPError, match="Unknown tool"):  # a protocol error, not a tool's
        session.call("delete_feature", {})


def test_a_task_from_added_to_completed(session: Session, place: Place, database_url: str) -> None:
    task = add_task(session, place, f"Write the parser {tag()}", labels=["mcp"], priority=1)
    assert task["status"] == "todo" and task["labels"] == ["mcp"]
    ready = session.call("get_ready_tasks", {"feature_id": place.feature_id, "labels": ["mcp"]})
    assert [t["task_id"] for t in ready.data] == [task["task_id"]]

    claim = session.call(
        "claim_next_task", {"project_id": place.project_name, "lease": "10 minutes"}
    )
    held = claim.data
    assert held["task_id"] == task["task_id"] and held["status"] == "in_progress"
    assert held["assigned_to_identity_id"] == place.identity_id
    assert claim.document["metadata"]["claimed"] is True
    assert claim.seconds > 0
    # the text content is the same document as the structured content
    assert json.loads(claim.result.content[0].text) == claim.document  # type: ignore[union-attr]

    beat = session.call("heartbeat_task", {"task_id": task["task_id"][:8], "lease": 3600})
    assert beat.data["lease_expires_at"] > held["lease_expires_at"]
    note = session.call(
        "add_comment",
        {"entity_type": "build_task", "entity_id": task["task_id"][:8], "body": "parser found"},
    ).data
    assert note["actor"] == place.identity  # the actor is the identity's name

    shown = session.call("get_task_context", {"task_id": task["task_id"][:8]})
    assert shown.data["task"]["status"] == "in_progress"
    assert shown.data["assignee_name"] == place.identity
    assert [c["body"] for c in shown.data["comments"]] == ["parser found"]
    # the success envelope is what `buildtracker --json` prints
    assert shown.document == cli_json(database_url, "task", "context", task["task_id"])

    done = session.call(
        "complete_task",
        {"task_id": task["task_id"], "actual_hours": 1.5, "completion_notes": "parsed"},
    )
    assert done.data["status"] == "completed" and done.data["actual_hours"] == 1.5
    assert "estimate_accuracy" in done.document["metadata"]
    status = session.call("get_feature_completion", {"feature_id": place.feature_id}).data
    assert status["tasks"]["completed"] == 1 and "checks" in status
    with Client.connect(database_url) as client:
        feed = client.get_activity(source_id=uuid.UUID(task["task_id"]))
    assert {row.actor for row in feed} == {place.identity}


def test_a_refused_call_is_a_tool_error_carrying_the_failure_document(
    session: Session, place: Place, database_url: str
) -> None:
    first = add_task(session, place, f"Lay the foundation {tag()}")
    second = add_task(session, place, f"Build the walls {tag()}")
    # a todo task cannot complete: 55000, what the CLI prints for it
    refused = session.call("complete_task", {"task_id": second["task_id"], "actual_hours": 1})
    assert refused.is_error
    document = refused.document
    assert document.keys() == {"success", "error"} and document["success"] is False
    error = document["error"]
    assert error.keys() == {"sqlstate", "message", "errors", "hint"}
    assert error["sqlstate"] == "55000" and error["errors"]
    assert refused.result.content[0].text == json.dumps(  # type: ignore[union-attr]
        document, ensure_ascii=False, separators=(",", ":")
    )
    cli = cli_json(database_url, "task", "complete", second["task_id"], "--hours", "1")
    assert document == cli

    # a dependency not done: the errors name the blocker (entity_id)
    session.call(
        "add_dependency",
        {"task_id": second["task_id"][:8], "depends_on_task_id": first["task_id"][:8]},
    )
    blocked = session.call("start_task", {"task_id": second["task_id"]})
    assert blocked.is_error and blocked.document["error"]["sqlstate"] == "55000"
    assert first["task_id"] in [e["entity_id"] for e in blocked.document["error"]["errors"]]

    # arguments that do not fit the schema: every problem listed, like REST's 422
    wrong = session.call("complete_task", {"task_id": 7, "hours": 2})
    assert wrong.is_error
    fields = {e["field"] for e in wrong.document["error"]["errors"]}
    assert fields == {"task_id", "hours", "actual_hours"}
    assert wrong.document["error"]["sqlstate"] is None
    # an ambiguous or unknown id: claude.resolve_id's answer, naming the argument
    unknown = session.call("get_task_context", {"task_id": "0" * 8})
    assert unknown.document["error"]["sqlstate"] == "P0002"
    assert unknown.document["error"]["errors"][0]["field"] == "task_id"
    # a lease out of bounds is the database's 23514
    session.call("claim_next_task", {"feature_id": place.feature_id})
    too_long = session.call("heartbeat_task", {"task_id": first["task_id"], "lease": "2 days"})
    assert too_long.is_error and too_long.document["error"]["sqlstate"] == "23514"


def test_two_agents_claiming_at_once_never_get_the_same_task(
    database_url: str, place: Place
) -> None:
    with Client.connect(database_url) as client:
        other = client.add_identity(f"mcp-other-{tag()}").data.identity_name
        pool = [
            str(
                client.add_task(
                    f"Pooled task {n} {tag()}",
                    "One of many",
                    "code",
                    feature_id=uuid.UUID(place.feature_id),
                ).data.task_id
            )
            for n in range(10)
        ]
    claimed: dict[str, list[str]] = {place.identity: [], other: []}
    failures: list[Any] = []
    start = threading.Barrier(2)

    def agent(identity: str) -> None:
        try:
            with open_session(database_url, identity=identity) as session:
                start.wait(timeout=60)
                while True:
                    call = session.call("claim_next_task", {"feature_id": place.feature_id})
                    if call.is_error:
                        failures.append(call.document)
                        return
                    if call.data is None:
                        return
                    claimed[identity].append(call.data["task_id"])
        except Exception as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=agent, args=(who,)) for who in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    mine, theirs = claimed[place.identity], claimed[other]
    assert set(mine).isdisjoint(theirs)
    assert len(mine) + len(theirs) == len(pool) and set(mine) | set(theirs) == set(pool)


def test_resources_and_the_prompt(session: Session, place: Place, database_url: str) -> None:
    with Client.connect(database_url) as client:
        child = client.add_feature(
            f"MCP child {tag()}",
            "api",
            uuid.UUID(place.project_id),
            parent_feature_id=uuid.UUID(place.feature_id),
        ).data
    task = add_task(session, place, f"Mine to do {tag()}")
    session.call("start_task", {"task_id": task["task_id"]})

    assert [t.uri_template for t in session.templates()] == [
        "buildtracker://projects/{project}/features"
    ]
    assert "buildtracker://me/tasks" in [str(r.uri) for r in session.resources()]
    tree = session.read(
        f"buildtracker://projects/{place.project_name.replace(' ', '%20')}/features"
    )
    assert tree["success"] is True
    (root,) = tree["data"]
    assert root["feature_id"] == place.feature_id and root["status"] == "not_started"
    assert "completion_percentage" in root
    assert [c["feature_id"] for c in root["children"]] == [str(child.feature_id)]
    by_id = session.read(f"buildtracker://projects/{place.project_id[:8]}/features")
    assert by_id["data"] == tree["data"]

    mine = session.read("buildtracker://me/tasks")
    assert [t["task_id"] for t in mine["data"]] == [task["task_id"]]
    assert mine["metadata"]["identity_name"] == place.identity

    text = session.prompt("work-next-task", {"project": place.project_name})
    for step in ("search", "claim_next_task", "heartbeat_task", "release_task", "complete_task"):
        assert step in text
    assert place.identity in text and place.project_name in text


def test_the_cli_starts_without_the_mcp_sdk() -> None:
    """The SDK is imported by `buildtracker mcp` only (--help stays fast)."""
    code = "import sys; from buildtracker.cli.root import app; print('mcp' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_without_a_database_the_server_says_why(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "buildtracker.cli", "mcp"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode != 0 and done.stdout == ""
    assert "DATABASE_URL" in done.stderr


# ---------------------------------------------------------------- agent setup


def setup(*args: str, database_url: str | None = None) -> Any:
    options = ["--database-url", database_url] if database_url else []
    done = runner.invoke(app, [*options, "--json", "agent", "setup", *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)["data"]


def test_agent_setup_writes_each_host_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "AGENTS.md").write_text("# Agents\n\nBe kind.\n")
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": {"other": {"command": "x"}}}))

    printed = setup("--identity", "agent-7")
    assert printed["written"] == [] and not (tmp_path / ".cursor").exists()

    first = setup("--write", "--identity", "agent-7")
    assert sorted(first["written"]) == [".cursor/mcp.json", ".mcp.json", "AGENTS.md"]
    claude = json.loads((tmp_path / ".mcp.json").read_text())
    assert claude["mcpServers"]["other"] == {"command": "x"}  # kept
    entry = claude["mcpServers"]["buildtracker"]
    assert Path(entry["command"]).is_absolute()
    assert entry["args"][-1] == "mcp" and entry["type"] == "stdio"
    assert entry["env"]["BUILDTRACKER_IDENTITY"] == "agent-7"
    assert "DATABASE_URL" in entry["env"]
    cursor = json.loads((tmp_path / ".cursor" / "mcp.json").read_text())
    assert cursor["mcpServers"]["buildtracker"]["args"] == entry["args"]
    assert "[mcp_servers.buildtracker]" in first["notes"]["codex"]

    agents = (tmp_path / "AGENTS.md").read_text()
    assert agents.startswith("# Agents\n\nBe kind.\n")
    for words in ("claim_next_task", "heartbeat_task", "release_task", "complete_task", "search"):
        assert words in agents

    again = setup("--write", "--identity", "agent-7")
    assert again["written"] == []
    assert (tmp_path / "AGENTS.md").read_text() == agents
    assert agents.count(BEGIN) == 1 and agents.count(END) == 1

    # another identity: the entries change, the section is still there once
    setup("--write", "--host", "claude-code", "--identity", "agent-8")
    assert (tmp_path / "AGENTS.md").read_text().count(BEGIN) == 1
    claude = json.loads((tmp_path / ".mcp.json").read_text())
    assert claude["mcpServers"]["buildtracker"]["env"]["BUILDTRACKER_IDENTITY"] == "agent-8"


def test_the_written_entry_starts_a_server_that_works_a_task(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, place: Place
) -> None:
    monkeypatch.chdir(tmp_path)
    setup(
        "--write", "--host", "claude-code", "--identity", place.identity, database_url=database_url
    )
    entry = json.loads((tmp_path / ".mcp.json").read_text())["mcpServers"]["buildtracker"]
    assert entry["env"] == {"DATABASE_URL": database_url, "BUILDTRACKER_IDENTITY": place.identity}
    with Client.connect(database_url) as client:
        task = client.add_task(
            f"Agent host task {tag()}", "Worked from .mcp.json", "code",
            feature_id=uuid.UUID(place.feature_id),
        ).data  # fmt: skip
    parameters = StdioServerParameters(
        command=entry["command"], args=entry["args"], env=entry["env"], cwd=tmp_path
    )
    with Session(parameters) as session:
        ready = session.call("get_ready_tasks", {"feature_id": place.feature_id}).data
        assert [t["task_id"] for t in ready] == [str(task.task_id)]
        held = session.call("claim_next_task", {"feature_id": place.feature_id, "lease": 600}).data
        assert held["task_id"] == str(task.task_id)
        session.call("heartbeat_task", {"task_id": held["task_id"], "lease": "20 minutes"})
        done = session.call("complete_task", {"task_id": held["task_id"], "actual_hours": 2})
        assert done.data["status"] == "completed"
        assert session.read("buildtracker://me/tasks")["data"] == []
