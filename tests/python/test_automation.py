"""Automation with real sessions (SPEC section 5): the completion roll-up is
exact under concurrent writers, and warning/error activity is published with
pg_notify on channel buildtracker_activity (at commit, never on rollback).

Every test commits, because another session only sees committed rows, so each
one works on its own uniquely named project, identity and features and
deletes them afterwards with claude.delete_feature.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest

Conn = psycopg.Connection[tuple[Any, ...]]

CHANNEL = "buildtracker_activity"
ROUNDS = 10
# Generous upper bounds; they only stop a broken lock from hanging the run.
STATEMENT_TIMEOUT_MS = 20_000
BARRIER_TIMEOUT_S = 20.0
# How long a listener waits for notifications that should (or should not) come.
NOTIFY_WAIT_S = 2.0

COMPLETE_COMPONENT = (
    "SELECT claude.complete_component(component_id => %s, actual_functions => %s,"
    " has_tests => true, test_coverage_percentage => 90)"
)
COMPLETE_TASK = "SELECT claude.complete_task(task_id => %s, actual_hours => %s)"


def connect(database_url: str, *, autocommit: bool = False) -> Conn:
    """One session; statements that wait too long fail instead of hanging the suite."""
    return psycopg.connect(
        database_url,
        autocommit=autocommit,
        options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
    )


def one(conn: Conn, query: str, params: tuple[Any, ...] = ()) -> Any:
    """The single value of a one-row, one-column query."""
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


@dataclass
class Workspace:
    """Uniquely named, committed data for one test, removed again by the fixture."""

    conn: Conn
    tag: str
    project_id: uuid.UUID
    project_name: str
    identity_id: uuid.UUID
    feature_ids: list[uuid.UUID] = field(default_factory=list)

    def feature(self, label: str) -> uuid.UUID:
        """A new feature walked to in_progress, so its components and tasks can complete."""
        data = one(
            self.conn,
            "SELECT claude.add_feature(feature_name => %s, feature_type => 'feature',"
            " project_id => %s, description => %s, planned_by_identity_id => %s) -> 'data'",
            (
                f"{label} {uuid.uuid4().hex[:8]}",
                self.project_id,
                "A feature created by the automation tests.",
                self.identity_id,
            ),
        )
        feature_id = uuid.UUID(data["feature_id"])
        self.feature_ids.append(feature_id)
        self.conn.execute(
            "SELECT claude.update_feature_status(feature_id => %s, new_status => 'planned')",
            (feature_id,),
        )
        self.conn.execute(
            "SELECT claude.update_feature_status(feature_id => %s, new_status => 'in_progress',"
            " implemented_by_identity_id => %s)",
            (feature_id, self.identity_id),
        )
        return feature_id

    def started_component(self, feature_id: uuid.UUID, name: str) -> uuid.UUID:
        data = one(
            self.conn,
            "SELECT claude.add_component(feature_id => %s, component_name => %s,"
            " component_type => 'service') -> 'data'",
            (feature_id, name),
        )
        component_id = uuid.UUID(data["component_id"])
        self.conn.execute(
            "SELECT claude.update_component_status(component_id => %s, new_status => 'in_progress')",
            (component_id,),
        )
        return component_id

    def task(self, feature_id: uuid.UUID, name: str, *, start: bool = True) -> uuid.UUID:
        data = one(
            self.conn,
            "SELECT claude.add_task(task_name => %s, task_description => %s, task_type => 'code',"
            " feature_id => %s, estimated_hours => 2) -> 'data'",
            (name, f"Work item {name} for the automation tests", feature_id),
        )
        task_id = uuid.UUID(data["task_id"])
        if start:
            self.conn.execute(
                "SELECT claude.start_task(task_id => %s, identity_id => %s)",
                (task_id, self.identity_id),
            )
        return task_id

    def percentage(self, feature_id: uuid.UUID) -> int:
        value: int = one(
            self.conn,
            "SELECT completion_percentage FROM claude.features WHERE feature_id = %s",
            (feature_id,),
        )
        return value


@pytest.fixture
def workspace(database_url: str) -> Iterator[Workspace]:
    """A committed project and identity of its own; its features (with children) go afterwards."""
    tag = uuid.uuid4().hex[:12]
    with connect(database_url, autocommit=True) as conn:
        project_name = f"pytest automation {tag}"
        project = one(
            conn, "SELECT claude.add_project(project_name => %s) -> 'data'", (project_name,)
        )
        identity = one(
            conn,
            "SELECT claude.add_identity(identity_name => %s) -> 'data'",
            (f"automation agent {tag}",),
        )
        space = Workspace(
            conn=conn,
            tag=tag,
            project_id=uuid.UUID(project["project_id"]),
            project_name=project_name,
            identity_id=uuid.UUID(identity["identity_id"]),
        )
        try:
            yield space
        finally:
            conn.execute("SET statement_timeout = 0")
            for feature_id in space.feature_ids:
                conn.execute(
                    "SELECT claude.delete_feature(f.feature_id) FROM claude.features f"
                    " WHERE f.feature_id = %s",
                    (feature_id,),
                )
            conn.execute(
                "DELETE FROM claude.identities WHERE identity_id = %s", (space.identity_id,)
            )
            conn.execute("DELETE FROM claude.projects WHERE project_id = %s", (space.project_id,))


@pytest.fixture
def two_sessions(database_url: str) -> Iterator[tuple[Conn, Conn]]:
    """Two extra sessions (transactional), opened before any race starts."""
    first = connect(database_url)
    second = connect(database_url)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


# ---------------------------------------------------------------- 1. exact roll-up


def call_and_commit(
    conn: Conn, query: str, params: tuple[Any, ...], barrier: threading.Barrier | None = None
) -> None:
    """Waits for the other threads (if any), then runs the call in its own transaction and commits."""
    if barrier is not None:
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
    try:
        conn.execute(query, params)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def at_the_same_moment(calls: list[tuple[Conn, str, tuple[Any, ...]]]) -> None:
    """Runs every call at once, each in its own session and thread; re-raises any failure."""
    barrier = threading.Barrier(len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [
            pool.submit(call_and_commit, conn, query, params, barrier)
            for conn, query, params in calls
        ]
        for future in futures:
            future.result(timeout=60)


def test_components_completed_in_parallel_roll_up_to_100(
    workspace: Workspace, two_sessions: tuple[Conn, Conn]
) -> None:
    first, second = two_sessions
    for round_no in range(ROUNDS):
        feature_id = workspace.feature(f"Parallel components {round_no}")
        left = workspace.started_component(feature_id, "Left component")
        right = workspace.started_component(feature_id, "Right component")
        assert workspace.percentage(feature_id) == 0

        at_the_same_moment(
            [
                (first, COMPLETE_COMPONENT, (left, ["run"])),
                (second, COMPLETE_COMPONENT, (right, ["run"])),
            ]
        )

        assert workspace.percentage(feature_id) == 100, f"round {round_no}"
        statuses = one(
            workspace.conn,
            "SELECT array_agg(DISTINCT status) FROM claude.components WHERE feature_id = %s",
            (feature_id,),
        )
        assert statuses == ["completed"]


def test_tasks_completed_in_parallel_roll_up_to_100(
    workspace: Workspace, two_sessions: tuple[Conn, Conn]
) -> None:
    first, second = two_sessions
    for round_no in range(ROUNDS):
        feature_id = workspace.feature(f"Parallel tasks {round_no}")
        left = workspace.task(feature_id, f"Left task {round_no}")
        right = workspace.task(feature_id, f"Right task {round_no}")
        assert workspace.percentage(feature_id) == 0

        at_the_same_moment(
            [
                (first, COMPLETE_TASK, (left, 1)),
                (second, COMPLETE_TASK, (right, 1)),
            ]
        )

        assert workspace.percentage(feature_id) == 100, f"round {round_no}"


def wait_until_waiting_on_lock(monitor: Conn, pid: int, running: Future[None]) -> None:
    """Blocks until backend `pid` waits on a heavyweight lock."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if running.done():
            running.result()  # re-raises what went wrong
            pytest.fail("the second session finished without waiting for the first")
        row = monitor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'", (pid,)
        ).fetchone()
        if row is not None:
            return
        time.sleep(0.02)
    pytest.fail(f"backend {pid} never waited on a lock")


def test_second_roll_up_waits_for_the_first_and_counts_its_commit(
    workspace: Workspace, two_sessions: tuple[Conn, Conn]
) -> None:
    """The interleaving that loses an update without a lock, forced instead of hoped for."""
    first, second = two_sessions
    feature_id = workspace.feature("Forced interleaving")
    left = workspace.started_component(feature_id, "Left component")
    right = workspace.started_component(feature_id, "Right component")

    # The first session completes its component and keeps its transaction open.
    envelope = one(first, COMPLETE_COMPONENT, (left, ["run"]))
    assert envelope["metadata"]["feature_completion_percentage"] == 50

    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(call_and_commit, second, COMPLETE_COMPONENT, (right, ["run"]))
        wait_until_waiting_on_lock(workspace.conn, second.info.backend_pid, running)
        first.commit()
        running.result(timeout=60)

    assert workspace.percentage(feature_id) == 100


# ---------------------------------------------------------------- 2. LISTEN/NOTIFY


@pytest.fixture
def listener(database_url: str) -> Iterator[Conn]:
    """An autocommit session listening on the activity channel."""
    with connect(database_url, autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        yield conn


def received(listener: Conn, project_name: str, *, stop_after: int = 2) -> list[dict[str, Any]]:
    """Payloads of this project's notifications arriving within NOTIFY_WAIT_S, at most stop_after.

    Waiting for one more than expected is what shows that no extra notification comes.
    """
    payloads: list[dict[str, Any]] = []
    deadline = time.monotonic() + NOTIFY_WAIT_S
    while len(payloads) < stop_after:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        for notify in listener.notifies(timeout=remaining, stop_after=1):
            assert notify.channel == CHANNEL
            payload: dict[str, Any] = json.loads(notify.payload)
            if payload.get("project_name") == project_name:
                payloads.append(payload)
    return payloads


def test_blocking_a_task_publishes_one_notification(
    workspace: Workspace, listener: Conn, database_url: str
) -> None:
    feature_id = workspace.feature("Notified feature")
    task_name = f"Task to block {workspace.tag}"
    task_id = workspace.task(feature_id, task_name)
    assert received(listener, workspace.project_name) == []  # creating and starting: info only

    with connect(database_url) as writer:
        writer.execute(
            "SELECT claude.block_task(task_id => %s, reason => %s)",
            (task_id, "waiting for the database upgrade"),
        )
        writer.commit()

    payloads = received(listener, workspace.project_name)
    assert len(payloads) == 1, payloads
    payload = payloads[0]
    feed_id = one(
        workspace.conn,
        "SELECT id FROM claude.activity_feed WHERE source_id = %s AND activity_type = 'blocked'",
        (task_id,),
    )
    assert payload["id"] == str(feed_id)
    assert payload["activity_type"] == "blocked"
    assert payload["severity"] == "warning"
    assert payload["title"] == f"Task blocked: {task_name}"
    assert payload["project_name"] == workspace.project_name
    assert payload["source_type"] == "build_task"
    assert payload["source_id"] == str(task_id)


def test_info_and_success_changes_publish_nothing(
    workspace: Workspace, listener: Conn, database_url: str
) -> None:
    feature_id = workspace.feature("Quiet feature")
    task_id = workspace.task(feature_id, f"Quiet task {workspace.tag}")
    with connect(database_url) as writer:
        writer.execute(
            "SELECT claude.update_task(task_id => %s, changes => %s)",
            (task_id, json.dumps({"priority": 2})),
        )
        writer.execute(
            "SELECT claude.add_task(task_name => %s, task_description => %s, task_type => 'code',"
            " feature_id => %s)",
            (f"Another quiet task {workspace.tag}", "Created only to stay quiet", feature_id),
        )
        writer.execute(COMPLETE_TASK, (task_id, 1))
        writer.commit()
    severities = one(
        workspace.conn,
        "SELECT array_agg(DISTINCT severity ORDER BY severity) FROM claude.activity_feed"
        " WHERE project_name = %s",
        (workspace.project_name,),
    )
    assert severities == ["info", "success"]  # the changes were logged, just not published
    assert received(listener, workspace.project_name) == []


def test_rolled_back_blocking_publishes_nothing(
    workspace: Workspace, listener: Conn, database_url: str
) -> None:
    feature_id = workspace.feature("Rolled back feature")
    task_name = f"Task blocked then rolled back {workspace.tag}"
    task_id = workspace.task(feature_id, task_name)
    with connect(database_url) as writer:
        writer.execute(
            "SELECT claude.block_task(task_id => %s, reason => %s)", (task_id, "never happened")
        )
        writer.rollback()
    assert received(listener, workspace.project_name) == []
    blocked_rows = one(
        workspace.conn,
        "SELECT count(*) FROM claude.activity_feed WHERE source_id = %s AND activity_type = 'blocked'",
        (task_id,),
    )
    assert blocked_rows == 0

    # The listener still works: a committed warning afterwards is the only one that arrives.
    with connect(database_url) as writer:
        writer.execute(
            "SELECT claude.cancel_task(task_id => %s, reason => %s)", (task_id, "dropped")
        )
        writer.commit()
    payloads = received(listener, workspace.project_name)
    assert [(p["activity_type"], p["severity"]) for p in payloads] == [("cancelled", "warning")]


def test_job_findings_are_published_as_warnings(
    workspace: Workspace, listener: Conn, database_url: str
) -> None:
    feature_id = workspace.feature("Feature ready for the jobs")
    workspace.conn.execute(
        "SELECT claude.update_feature(feature_id => %s, changes => %s)",
        (feature_id, json.dumps({"completion_percentage": 100})),
    )
    assert received(listener, workspace.project_name) == []
    with connect(database_url) as writer:
        summary = one(writer, "SELECT claude.run_jobs()")
        writer.commit()
    assert summary["ready_features"]["logged"] >= 1
    payloads = received(listener, workspace.project_name)
    assert len(payloads) == 1, payloads
    # good news that needs a person: a warning of its own type, never an error
    assert payloads[0]["severity"] == "warning"
    assert payloads[0]["activity_type"] == "ready_to_complete"
    assert payloads[0]["source_type"] == "feature"
    assert payloads[0]["source_id"] == str(feature_id)
