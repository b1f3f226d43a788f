"""Real concurrent sessions against the deployed database (SPEC sections 4 and 6).

Every test here commits, because another session only sees committed rows, so
each one works on its own uniquely named project, identities and features and
deletes them afterwards (claude.delete_feature cascades to the tasks).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from buildtracker import BuildTask, Client, InvalidTransitionError, Result
from psycopg import errors
from psycopg.types.json import Jsonb

Conn = psycopg.Connection[tuple[Any, ...]]

# Generous upper bounds; they only stop a broken lock from hanging the run.
STATEMENT_TIMEOUT_MS = 20_000
BARRIER_TIMEOUT_S = 20.0


def connect(database_url: str, *, autocommit: bool = False) -> Conn:
    """One session; statements that wait too long fail instead of hanging the suite."""
    return psycopg.connect(
        database_url,
        autocommit=autocommit,
        options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
    )


def one(conn: Conn, query: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
    """The single value of a one-row, one-column query."""
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


@dataclass
class Workspace:
    """Uniquely named data for one test, removed again by the fixture."""

    conn: Conn
    tag: str
    project_id: uuid.UUID
    identity_ids: list[uuid.UUID] = field(default_factory=list)
    feature_ids: list[uuid.UUID] = field(default_factory=list)

    def identity(self, label: str) -> uuid.UUID:
        data = one(
            self.conn,
            "SELECT claude.add_identity(identity_name => %s) -> 'data'",
            (f"{label} {self.tag} {uuid.uuid4().hex[:8]}",),
        )
        identity_id = uuid.UUID(data["identity_id"])
        self.identity_ids.append(identity_id)
        return identity_id

    def feature(self, name: str | None = None) -> uuid.UUID:
        data = one(
            self.conn,
            "SELECT claude.add_feature(feature_name => %s, feature_type => 'feature',"
            " project_id => %s) -> 'data'",
            (name or f"Concurrency feature {uuid.uuid4().hex[:8]}", self.project_id),
        )
        feature_id = uuid.UUID(data["feature_id"])
        self.feature_ids.append(feature_id)
        return feature_id

    def task(
        self,
        feature_id: uuid.UUID,
        name: str,
        *,
        priority: int = 5,
        blocked_by: uuid.UUID | None = None,
        labels: list[str] | None = None,
    ) -> uuid.UUID:
        data = one(
            self.conn,
            "SELECT claude.add_task(task_name => %s, task_description => %s, task_type => 'code',"
            " feature_id => %s, priority => %s, blocked_by_task_id => %s,"
            " labels => %s) -> 'data'",
            (
                name,
                f"Work item {name} for the concurrency tests",
                feature_id,
                priority,
                blocked_by,
                labels or [],
            ),
        )
        return uuid.UUID(data["task_id"])

    def task_row(self, task_id: uuid.UUID) -> dict[str, Any]:
        row: dict[str, Any] = one(
            self.conn,
            "SELECT to_jsonb(t) FROM claude.build_tasks t WHERE t.task_id = %s",
            (task_id,),
        )
        return row


@pytest.fixture
def workspace(database_url: str) -> Iterator[Workspace]:
    """A committed project of its own; its features (and so tasks) and identities go afterwards."""
    tag = uuid.uuid4().hex[:12]
    with connect(database_url, autocommit=True) as conn:
        data = one(
            conn,
            "SELECT claude.add_project(project_name => %s) -> 'data'",
            (f"pytest concurrency {tag}",),
        )
        space = Workspace(conn=conn, tag=tag, project_id=uuid.UUID(data["project_id"]))
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
                "DELETE FROM claude.identities WHERE identity_id = ANY(%s)",
                (space.identity_ids,),
            )
            conn.execute("DELETE FROM claude.projects WHERE project_id = %s", (space.project_id,))


@pytest.fixture
def sessions(database_url: str) -> Iterator[Callable[[int], list[Conn]]]:
    """Opens n extra sessions on demand (before any barrier, so connecting is not part of the race)."""
    opened: list[Conn] = []

    def open_sessions(n: int) -> list[Conn]:
        new = [connect(database_url) for _ in range(n)]
        opened.extend(new)
        return new

    try:
        yield open_sessions
    finally:
        for conn in opened:
            conn.close()


@dataclass
class Outcome:
    """What one session's call ended with: its result, or the exception it raised."""

    result: Any = None
    error: psycopg.Error | None = None


def call_and_commit(
    conn: Conn, query: str, params: tuple[Any, ...], barrier: threading.Barrier | None
) -> Outcome:
    """Waits at the barrier, runs the statement in its own transaction, commits or rolls back."""
    if barrier is not None:
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
    try:
        result = one(conn, query, params)
        conn.commit()
        return Outcome(result=result)
    except psycopg.Error as exc:
        conn.rollback()
        return Outcome(error=exc)


def race(calls: list[tuple[Conn, str, tuple[Any, ...]]]) -> list[Outcome]:
    """Fires every call at the same moment, each in its own session and thread."""
    barrier = threading.Barrier(len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [
            pool.submit(call_and_commit, conn, query, params, barrier)
            for conn, query, params in calls
        ]
        return [future.result(timeout=60) for future in futures]


def wait_until_waiting_on_lock(monitor: Conn, pid: int, running: Future[Outcome]) -> str:
    """Blocks until backend `pid` waits on a heavyweight lock; returns the lock kind (e.g. advisory)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert not running.done(), f"the second session did not wait: {running.result()}"
        row = monitor.execute(
            "SELECT wait_event FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
            (pid,),
        ).fetchone()
        if row is not None:
            return str(row[0])
        time.sleep(0.02)
    pytest.fail(f"backend {pid} never waited on a lock")


def run_behind(
    first: Conn,
    second: Conn,
    monitor: Conn,
    query: str,
    params: tuple[Any, ...],
    *,
    lock_kinds: set[str] | None = None,
) -> Outcome:
    """Runs `query` on `second` while `first` holds its uncommitted write: shows that it
    waits on a lock (of one of `lock_kinds`, when given), then commits `first` and
    returns how `second` ended."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(call_and_commit, second, query, params, None)
        lock = wait_until_waiting_on_lock(monitor, second.info.backend_pid, running)
        if lock_kinds is not None:
            assert lock in lock_kinds
        first.commit()
        return running.result(timeout=30)


# ---------------------------------------------------------------- 1. start_task


START_TASK = "SELECT claude.start_task(task_id => %s, identity_id => %s)"


def test_parallel_start_of_one_task_exactly_one_wins(
    workspace: Workspace, sessions: Callable[[int], list[Conn]]
) -> None:
    n = 8
    conns = sessions(n)
    agents = [workspace.identity(f"starter {i}") for i in range(n)]
    feature_id = workspace.feature()
    for round_no in range(5):
        name = f"Contended task {round_no} {workspace.tag}"
        task_id = workspace.task(feature_id, name)

        outcomes = race([(conns[i], START_TASK, (task_id, agents[i])) for i in range(n)])

        winners = [i for i, o in enumerate(outcomes) if o.error is None]
        assert len(winners) == 1, f"round {round_no}: {outcomes}"
        winner = winners[0]
        assert outcomes[winner].result["data"]["status"] == "in_progress"
        for i, outcome in enumerate(outcomes):
            if i == winner:
                continue
            assert isinstance(outcome.error, errors.ObjectNotInPrerequisiteState), outcome
            assert outcome.error.sqlstate == "55000"
            assert name in str(outcome.error), str(outcome.error)
            assert "in_progress" in str(outcome.error)
        row = workspace.task_row(task_id)
        assert row["status"] == "in_progress"
        assert row["assigned_to_identity_id"] == str(agents[winner])
        assert row["started_at"] is not None


# ---------------------------------------------------------------- 2. opposite links


@dataclass(frozen=True)
class LinkKind:
    """Either task dependencies (blocked_by_task_id) or feature parents (parent_feature_id)."""

    update_call: str
    column: str
    table: str
    key: str
    cycle_words: tuple[str, ...]


TASK_LINK = LinkKind(
    update_call="SELECT claude.update_task(%s, %s)",
    column="blocked_by_task_id",
    table="build_tasks",
    key="task_id",
    cycle_words=("cycle",),
)
FEATURE_LINK = LinkKind(
    update_call="SELECT claude.update_feature(%s, %s)",
    column="parent_feature_id",
    table="features",
    key="feature_id",
    cycle_words=("ancestor",),
)
Named = tuple[uuid.UUID, str]
LINK_KINDS = pytest.mark.parametrize(
    "kind", [TASK_LINK, FEATURE_LINK], ids=["task_dependency", "feature_parent"]
)


def make_pair(workspace: Workspace, kind: LinkKind, label: str) -> tuple[Named, Named]:
    """Two unlinked rows (todo tasks or not_started features) with their names."""
    a_name, b_name = (f"{label} {side} {uuid.uuid4().hex[:8]}" for side in "AB")
    if kind is TASK_LINK:
        feature_id = workspace.feature()
        a, b = workspace.task(feature_id, a_name), workspace.task(feature_id, b_name)
    else:
        a, b = workspace.feature(a_name), workspace.feature(b_name)
    return (a, a_name), (b, b_name)


def links(workspace: Workspace, kind: LinkKind, a: uuid.UUID, b: uuid.UUID) -> tuple[bool, bool]:
    """(a points at b, b points at a)."""
    query = f"SELECT {kind.column} FROM claude.{kind.table} WHERE {kind.key} = %s"
    return one(workspace.conn, query, (a,)) == b, one(workspace.conn, query, (b,)) == a


def is_cycle_error(error: psycopg.Error | None, kind: LinkKind, name: str) -> bool:
    return (
        isinstance(error, errors.CheckViolation)
        and error.sqlstate == "23514"
        and name in str(error)
        and all(word in str(error) for word in kind.cycle_words)
    )


@LINK_KINDS
def test_opposite_link_waits_then_fails_as_a_cycle(
    workspace: Workspace, sessions: Callable[[int], list[Conn]], kind: LinkKind
) -> None:
    first, second, monitor = sessions(3)
    monitor.autocommit = True
    (a, _a_name), (b, b_name) = make_pair(workspace, kind, "Opposite link")

    one(first, kind.update_call, (a, Jsonb({kind.column: str(b)})))  # uncommitted a -> b
    outcome = run_behind(
        first,
        second,
        monitor,
        kind.update_call,
        (b, Jsonb({kind.column: str(a)})),
        lock_kinds={"advisory", "transactionid", "tuple"},
    )

    assert is_cycle_error(outcome.error, kind, b_name), outcome
    assert links(workspace, kind, a, b) == (True, False)


@LINK_KINDS
def test_opposite_link_under_repeatable_read_fails(
    workspace: Workspace, sessions: Callable[[int], list[Conn]], kind: LinkKind
) -> None:
    """A snapshot taken before the other link committed must not let the second link through."""
    first, second, monitor = sessions(3)
    monitor.autocommit = True
    second.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    (a, _a_name), (b, b_name) = make_pair(workspace, kind, "Snapshot link")

    one(second, f"SELECT count(*) FROM claude.{kind.table}")  # the snapshot: before a -> b exists
    one(first, kind.update_call, (a, Jsonb({kind.column: str(b)})))
    outcome = run_behind(
        first, second, monitor, kind.update_call, (b, Jsonb({kind.column: str(a)}))
    )

    assert isinstance(outcome.error, errors.SerializationFailure) or is_cycle_error(
        outcome.error, kind, b_name
    ), outcome
    assert outcome.error is not None and outcome.error.sqlstate in {"23514", "40001"}
    assert links(workspace, kind, a, b) == (True, False)


def speed_up_deadlock_detection(conns: list[Conn]) -> None:
    """A deadlock costs deadlock_timeout (1 s by default) before one side is cancelled."""
    for conn in conns:
        if one(conn, "SELECT current_setting('is_superuser')") == "on":
            conn.execute("SET deadlock_timeout = '50ms'")
        conn.commit()


@LINK_KINDS
def test_symmetric_opposite_links_never_both_commit(
    workspace: Workspace, sessions: Callable[[int], list[Conn]], kind: LinkKind
) -> None:
    first, second = sessions(2)
    speed_up_deadlock_detection([first, second])
    for round_no in range(20):
        (a, a_name), (b, b_name) = make_pair(workspace, kind, f"Symmetric {round_no}")
        outcomes = race(
            [
                (first, kind.update_call, (a, Jsonb({kind.column: str(b)}))),
                (second, kind.update_call, (b, Jsonb({kind.column: str(a)}))),
            ]
        )
        a_to_b, b_to_a = links(workspace, kind, a, b)
        assert not (a_to_b and b_to_a), f"round {round_no}: both links committed: {outcomes}"
        assert (outcomes[0].error is None) == a_to_b
        assert (outcomes[1].error is None) == b_to_a
        # Exactly one link stays. The workflow functions take the link lock
        # before any row lock, so the loser waits, then sees the winner's link
        # and fails with the cycle error (23514) - never a deadlock.
        assert a_to_b != b_to_a, f"round {round_no}: {outcomes}"
        loser, loser_name = (outcomes[1], b_name) if a_to_b else (outcomes[0], a_name)
        assert is_cycle_error(loser.error, kind, loser_name), f"round {round_no}: {loser}"


# ---------------------------------------------------------------- 3. many agents


CLAIM = "SELECT claude.claim_next_task(identity_id => %s, project_id => %s)"


def drain_queue(
    conn: Conn,
    identity_id: uuid.UUID,
    project_id: uuid.UUID,
    barrier: threading.Barrier,
) -> list[dict[str, Any]]:
    """One agent: claims and commits until nothing is ready; returns its tasks in claim order."""
    barrier.wait(timeout=BARRIER_TIMEOUT_S)
    claimed: list[dict[str, Any]] = []
    while True:
        envelope = one(conn, CLAIM, (identity_id, project_id))
        conn.commit()
        if envelope["data"] is None:
            assert envelope["metadata"]["claimed"] is False
            return claimed
        assert envelope["metadata"]["claimed"] is True
        claimed.append(envelope["data"])


def test_many_agents_drain_the_queue_without_double_claims(
    workspace: Workspace, sessions: Callable[[int], list[Conn]]
) -> None:
    rng = random.Random(20261126)
    n_ready, n_blocked, n_agents = 200, 12, 16
    feature_ids = [workspace.feature(f"Queue feature {i}") for i in range(4)]
    ready: dict[uuid.UUID, int] = {}
    for i in range(n_ready):
        priority = rng.randint(1, 10)
        ready[workspace.task(feature_ids[i % 4], f"Ready task {i:03d}", priority=priority)] = (
            priority
        )
    # Blocked by a todo task that will be claimed but never completed: never ready.
    blocked = {
        workspace.task(
            feature_ids[i % 4],
            f"Blocked task {i:02d}",
            priority=1,
            blocked_by=rng.choice(list(ready)),
        )
        for i in range(n_blocked)
    }
    agents = [workspace.identity(f"agent {i:02d}") for i in range(n_agents)]
    conns = sessions(n_agents)

    barrier = threading.Barrier(n_agents)
    with ThreadPoolExecutor(max_workers=n_agents) as pool:
        futures = [
            pool.submit(drain_queue, conns[i], agents[i], workspace.project_id, barrier)
            for i in range(n_agents)
        ]
        per_agent = [future.result(timeout=60) for future in futures]

    claimed_ids = [uuid.UUID(task["task_id"]) for tasks in per_agent for task in tasks]
    assert len(claimed_ids) == len(set(claimed_ids)), "a task was handed out twice"
    assert set(claimed_ids) == set(ready), "a ready task was lost or a blocked one claimed"
    assert not blocked & set(claimed_ids)

    for agent_id, tasks in zip(agents, per_agent, strict=True):
        priorities = [task["priority"] for task in tasks]
        assert priorities == sorted(priorities), (
            f"agent {agent_id} claimed out of priority order: {priorities}"
        )
        for task in tasks:
            assert task["status"] == "in_progress"
            assert task["assigned_to_identity_id"] == str(agent_id)

    rows = workspace.conn.execute(
        "SELECT task_id, status, assigned_to_identity_id, priority FROM claude.build_tasks"
        " WHERE feature_id = ANY(%s)",
        (feature_ids,),
    ).fetchall()
    owner = {
        uuid.UUID(task["task_id"]): agent
        for agent, tasks in zip(agents, per_agent, strict=True)
        for task in tasks
    }
    for task_id, status, assignee, priority in rows:
        if task_id in blocked:
            assert (status, assignee) == ("todo", None)
        else:
            assert (status, assignee, priority) == (
                "in_progress",
                owner[task_id],
                ready[task_id],
            )
    assert len(rows) == n_ready + n_blocked


# ---------------------------------------------------------------- 4. claim vs start


def test_start_and_claim_of_the_same_task_start_it_once(
    workspace: Workspace, sessions: Callable[[int], list[Conn]]
) -> None:
    n_claimers = 7
    conns = sessions(n_claimers + 1)
    starter = workspace.identity("starter")
    claimers = [workspace.identity(f"claimer {i}") for i in range(n_claimers)]
    claim_in_feature = "SELECT claude.claim_next_task(identity_id => %s, feature_id => %s)"
    for round_no in range(8):
        feature_id = workspace.feature(f"Claim or start {round_no}")
        name = f"Wanted task {round_no} {workspace.tag}"
        target = workspace.task(feature_id, name, priority=1)  # first in every claimer's queue
        for i in range(n_claimers):
            workspace.task(feature_id, f"Other task {round_no}.{i}", priority=5)

        outcomes = race(
            [(conns[0], START_TASK, (target, starter))]
            + [
                (conns[i + 1], claim_in_feature, (claimers[i], feature_id))
                for i in range(n_claimers)
            ]
        )

        start, claims = outcomes[0], outcomes[1:]
        for claim in claims:
            assert claim.error is None, claim
        claimed = [c.result["data"]["task_id"] for c in claims if c.result["data"] is not None]
        assert len(claimed) == len(set(claimed)), f"round {round_no}: a task was claimed twice"
        assert len(claimed) == n_claimers, "there was a task for every claimer"
        target_holders = [
            claimers[i]
            for i, c in enumerate(claims)
            if c.result["data"] and c.result["data"]["task_id"] == str(target)
        ]
        if start.error is None:
            assert target_holders == [], f"round {round_no}: started and claimed"
            expected = starter
        else:
            assert isinstance(start.error, errors.ObjectNotInPrerequisiteState), start
            assert name in str(start.error)
            assert len(target_holders) == 1, f"round {round_no}: {outcomes}"
            expected = target_holders[0]
        row = workspace.task_row(target)
        assert row["status"] == "in_progress"
        assert row["assigned_to_identity_id"] == str(expected)


# ------------------------------------------------- rules that read another row
# A rule that reads another row (the component's feature, the feature's
# status) must hold at commit, not only when it was checked: the writer of
# that other row and the writer of the dependent row wait for each other
# (claude.lock_parent_rows), and the second one is checked against the first
# one's committed result.


def add_component(workspace: Workspace, feature_id: uuid.UUID, name: str) -> uuid.UUID:
    data = one(
        workspace.conn,
        "SELECT claude.add_component(feature_id => %s, component_name => %s,"
        " component_type => 'service') -> 'data'",
        (feature_id, f"{name} {workspace.tag}"),
    )
    return uuid.UUID(data["component_id"])


MOVE_COMPONENT = "SELECT claude.update_component(component_id => %s, changes => %s)"
ADD_TASK_TO_COMPONENT = (
    "SELECT claude.add_task(task_name => %s, task_description => 'Attached to a component',"
    " task_type => 'code', component_id => %s, feature_id => %s)"
)


def component_between_features(
    workspace: Workspace, sessions: Callable[[int], list[Conn]], label: str
) -> tuple[Conn, Conn, Conn, uuid.UUID, uuid.UUID, uuid.UUID]:
    """Two racing sessions and a monitor; a component in one feature, and a second feature."""
    first, second, monitor = sessions(3)
    monitor.autocommit = True
    old_feature, new_feature = workspace.feature(), workspace.feature()
    return (
        first,
        second,
        monitor,
        old_feature,
        new_feature,
        add_component(workspace, old_feature, label),
    )


def test_task_attached_while_its_component_moves_is_refused(
    workspace: Workspace, sessions: Callable[[int], list[Conn]]
) -> None:
    first, second, monitor, old_feature, new_feature, component = component_between_features(
        workspace, sessions, "Moving component"
    )

    one(first, MOVE_COMPONENT, (component, Jsonb({"feature_id": str(new_feature)})))
    outcome = run_behind(
        first,
        second,
        monitor,
        ADD_TASK_TO_COMPONENT,
        ("Task for the old feature", component, old_feature),
    )

    assert isinstance(outcome.error, errors.CheckViolation), outcome
    assert "the component belongs to another feature" in str(outcome.error.diag.message_detail)
    assert (
        one(
            workspace.conn,
            "SELECT count(*) FROM claude.build_tasks t JOIN claude.components c USING (component_id)"
            " WHERE c.component_id = %s AND t.feature_id <> c.feature_id",
            (component,),
        )
        == 0
    )


def test_component_moving_while_a_task_attaches_takes_the_task_along(
    workspace: Workspace, sessions: Callable[[int], list[Conn]]
) -> None:
    first, second, monitor, old_feature, new_feature, component = component_between_features(
        workspace, sessions, "Component gaining a task"
    )

    added = one(first, ADD_TASK_TO_COMPONENT, ("Task added first", component, old_feature))
    outcome = run_behind(
        first, second, monitor, MOVE_COMPONENT, (component, Jsonb({"feature_id": str(new_feature)}))
    )

    assert outcome.error is None, outcome
    task = workspace.task_row(uuid.UUID(added["data"]["task_id"]))
    assert task["feature_id"] == str(new_feature), "the task moved with its component"


CHILD_ADDERS = pytest.mark.parametrize(
    ("child", "query"),
    [
        (
            "component",
            "SELECT claude.add_component(feature_id => %s, component_name => 'Late component',"
            " component_type => 'service')",
        ),
        (
            "task",
            "SELECT claude.add_task(feature_id => %s, task_name => 'Late task',"
            " task_description => 'Added while the feature is cancelled', task_type => 'code')",
        ),
        (
            "requirement",
            "SELECT claude.add_requirement(feature_id => %s, requirement_name => 'Late requirement',"
            " requirement_type => 'functional', description => 'Added while the feature is"
            " cancelled', acceptance_criteria => ARRAY['It should be refused'],"
            " created_by_identity_id => %s)",
        ),
        (
            "child feature",
            "WITH parent AS (SELECT %s::uuid AS id)"
            " SELECT claude.add_feature(feature_name => 'Late child feature', feature_type => 'feature',"
            " project_id => (SELECT f.project_id FROM claude.features f JOIN parent ON f.feature_id = parent.id),"
            " parent_feature_id => (SELECT id FROM parent))",
        ),
    ],
)


@CHILD_ADDERS
def test_child_added_while_its_feature_is_cancelled_is_refused(
    workspace: Workspace, sessions: Callable[[int], list[Conn]], child: str, query: str
) -> None:
    first, second, monitor = sessions(3)
    monitor.autocommit = True
    feature = workspace.feature()
    params: tuple[Any, ...] = (feature, workspace.identity("creator"))[: query.count("%s")]

    one(
        first,
        "SELECT claude.update_feature_status(feature_id => %s, new_status => 'cancelled',"
        " reason => 'Dropped from the plan')",
        (feature,),
    )
    outcome = run_behind(first, second, monitor, query, params)

    assert isinstance(outcome.error, errors.ObjectNotInPrerequisiteState), outcome
    assert f"a {child} cannot be added to a cancelled feature" in str(
        outcome.error.diag.message_detail
    )
    table, column = {
        "component": ("components", "feature_id"),
        "task": ("build_tasks", "feature_id"),
        "requirement": ("requirements", "feature_id"),
        "child feature": ("features", "parent_feature_id"),
    }[child]
    assert (
        one(workspace.conn, f"SELECT count(*) FROM claude.{table} WHERE {column} = %s", (feature,))
        == 0
    )


# ---------------------------------------------------------------- 5. leases
# claim_next_task holds a task for a lease; once it has expired the next claim
# may take the task over ("reclaimed", SPEC section 10). Each agent is a
# thread with its own autocommit session and the typed client.


@pytest.fixture
def agent_clients(database_url: str) -> Iterator[Callable[[int], list[Client]]]:
    """n typed clients, each on its own autocommit session (so each call is its own transaction)."""
    opened: list[Conn] = []

    def open_clients(n: int) -> list[Client]:
        new = [connect(database_url, autocommit=True) for _ in range(n)]
        opened.extend(new)
        return [Client(conn, actor=f"pytest agent {i}") for i, conn in enumerate(new)]

    try:
        yield open_clients
    finally:
        for conn in opened:
            conn.close()


Violation = tuple[str, str, uuid.UUID | None]


def invariant_violations(conn: Conn) -> set[Violation]:
    return {
        (str(inv), str(entity), entity_id)
        for inv, entity, entity_id, _detail in conn.execute(
            "SELECT * FROM claude.check_invariants()"
        ).fetchall()
    }


def reclaimed_rows(conn: Conn, task_ids: list[uuid.UUID]) -> Counter[uuid.UUID]:
    """The 'reclaimed' feed rows of each task."""
    return Counter(
        {
            task_id: n
            for task_id, n in conn.execute(
                "SELECT source_id, count(*) FROM claude.activity_feed"
                " WHERE activity_type = 'reclaimed' AND source_id = ANY(%s) GROUP BY 1",
                (task_ids,),
            ).fetchall()
        }
    )


@dataclass(frozen=True)
class Claim:
    """One acknowledged claim: who, which task, from whom it was taken over (if it was)."""

    agent: uuid.UUID
    task_id: uuid.UUID
    reclaimed_from: uuid.UUID | None


def claim_until_empty(
    client: Client,
    agent: uuid.UUID,
    project_id: uuid.UUID,
    lease: timedelta,
    barrier: threading.Barrier,
    work_s: float,
) -> list[Claim]:
    """One agent: claims (each call its own transaction) until nothing is claimable."""
    barrier.wait(timeout=BARRIER_TIMEOUT_S)
    claims: list[Claim] = []
    while True:
        result = client.claim_next_task(agent, project_id=project_id, lease=lease)
        if result.data is None:
            assert result.metadata["claimed"] is False
            return claims
        task = result.data
        assert result.metadata["claimed"] is True
        assert task.status == "in_progress" and task.assigned_to_identity_id == agent
        assert task.lease_expires_at is not None
        raw = result.metadata["reclaimed_from_identity_id"]
        claims.append(Claim(agent, task.task_id, None if raw is None else uuid.UUID(raw)))
        time.sleep(work_s)  # the work the agent does with it


def drain(
    clients: list[Client],
    agents: list[uuid.UUID],
    leases: list[timedelta],
    project_id: uuid.UUID,
    work_s: float,
) -> list[Claim]:
    barrier = threading.Barrier(len(agents))
    with ThreadPoolExecutor(max_workers=len(agents)) as pool:
        futures = [
            pool.submit(claim_until_empty, client, agent, project_id, lease, barrier, work_s)
            for client, agent, lease in zip(clients, agents, leases, strict=True)
        ]
        return [claim for future in futures for claim in future.result(timeout=120)]


def test_sixteen_agents_with_leases_claim_every_task_once(
    workspace: Workspace, agent_clients: Callable[[int], list[Client]]
) -> None:
    """16 agents drain one pool with leases. A quarter of them are flaky: their
    1-second leases run out (they never heartbeat), and the steady agents, whose
    leases last 10 minutes, take those tasks over. Every task is claimed fresh
    exactly once; take-overs hand it on from its holder only; at the end each is
    in_progress, held by the one agent that gained it last."""
    rng = random.Random(20261203)
    n_agents, n_tasks = 16, 160
    violations_before = invariant_violations(workspace.conn)
    feature_ids = [workspace.feature(f"Lease pool {i}") for i in range(4)]
    pool = {
        workspace.task(
            feature_ids[i % 4],
            f"Leased task {i:03d}",
            priority=rng.randint(1, 10),
            labels=rng.sample(["backend", "db", "ui"], rng.randint(0, 2)),
        )
        for i in range(n_tasks)
    }
    agents = [workspace.identity(f"lease agent {i:02d}") for i in range(n_agents)]
    flaky = set(agents[::4])
    steady = [a for a in agents if a not in flaky]
    clients = agent_clients(n_agents)
    short, long = timedelta(seconds=1), timedelta(minutes=10)

    # 1. everyone drains the pool
    claims = drain(
        clients,
        agents,
        [short if a in flaky else long for a in agents],
        workspace.project_id,
        work_s=0.02,
    )
    # 2. the flaky agents' leases run out; the steady agents take their tasks over
    time.sleep(short.total_seconds() + 0.3)
    claims += drain(
        [c for c, a in zip(clients, agents, strict=True) if a not in flaky],
        steady,
        [long] * len(steady),
        workspace.project_id,
        work_s=0.0,
    )

    fresh = Counter(c.task_id for c in claims if c.reclaimed_from is None)
    assert set(fresh) == pool, "a task of the pool was never claimed, or another one was"
    doubles = {t: n for t, n in fresh.items() if n > 1}
    assert not doubles, f"tasks handed out twice without a take-over: {doubles}"
    for claim in claims:
        if claim.reclaimed_from is not None:
            # only a lease that ran out is taken over: the steady ones last 10 minutes
            assert claim.reclaimed_from in flaky, claim
    taken_over = {c.task_id for c in claims if c.reclaimed_from is not None}
    assert taken_over, "no lease ran out and was taken over"

    # per task, each agent gained it (fresh or by a take-over) as often as it lost
    # it, or once more: exactly one agent, the holder
    holders: dict[uuid.UUID, uuid.UUID] = {}
    for task_id in pool:
        net: Counter[uuid.UUID] = Counter()
        for claim in claims:
            if claim.task_id == task_id:
                net[claim.agent] += 1
                if claim.reclaimed_from is not None:
                    net[claim.reclaimed_from] -= 1
        assert all(n in (0, 1) for n in net.values()), (task_id, net)
        gained_last = [agent for agent, n in net.items() if n == 1]
        assert len(gained_last) == 1, (task_id, net)
        holders[task_id] = gained_last[0]

    rows = workspace.conn.execute(
        "SELECT task_id, status, assigned_to_identity_id, lease_expires_at > now() + interval"
        " '5 minutes' FROM claude.build_tasks WHERE feature_id = ANY(%s)",
        (feature_ids,),
    ).fetchall()
    assert len(rows) == n_tasks
    for task_id, status, assignee, long_lease in rows:
        assert (status, assignee) == ("in_progress", holders[task_id]), task_id
        assert assignee not in flaky and long_lease, "a flaky agent still holds a task"

    # one 'reclaimed' feed row per take-over by another agent
    expected = Counter(c.task_id for c in claims if c.reclaimed_from not in (None, c.agent))
    assert reclaimed_rows(workspace.conn, list(pool)) == expected
    assert invariant_violations(workspace.conn) <= violations_before


@dataclass
class RaceOutcome:
    """How A's heartbeat and B's claim of the same expired task ended."""

    heartbeat: Result[BuildTask] | None = None
    heartbeat_error: Exception | None = None
    claim: Result[BuildTask | None] | None = None


def race_heartbeat(
    barrier: threading.Barrier,
    client: Client,
    task_id: uuid.UUID,
    holder: uuid.UUID,
    outcome: RaceOutcome,
) -> None:
    barrier.wait(timeout=BARRIER_TIMEOUT_S)
    try:
        outcome.heartbeat = client.heartbeat_task(task_id, holder, lease=timedelta(minutes=5))
    except Exception as exc:  # judged by the test
        outcome.heartbeat_error = exc


def race_claim(
    barrier: threading.Barrier,
    client: Client,
    feature_id: uuid.UUID,
    claimer: uuid.UUID,
    outcome: RaceOutcome,
) -> None:
    barrier.wait(timeout=BARRIER_TIMEOUT_S)
    outcome.claim = client.claim_next_task(
        claimer, feature_id=feature_id, lease=timedelta(minutes=5)
    )


def test_expired_lease_heartbeat_races_a_claim_exactly_one_holder(
    workspace: Workspace, agent_clients: Callable[[int], list[Client]]
) -> None:
    """A holds a task for 1 s and lets it run out; then A heartbeats while B claims,
    at the same moment (ten rounds, each on a task of its own). Either B took it
    over (A's heartbeat is refused) or A's heartbeat came first and renewed the
    lease (the holder may extend an expired lease; B gets nothing): never both,
    never neither."""
    violations_before = invariant_violations(workspace.conn)
    a, b = workspace.identity("lease holder A"), workspace.identity("claimer B")
    client_a, client_b = agent_clients(2)
    seen: Counter[str] = Counter()
    # every round's task, claimed by A for 1 s; then wait until all have run out
    # (by the database's clock)
    rounds: list[tuple[uuid.UUID, uuid.UUID]] = []
    for round_no in range(10):
        feature_id = workspace.feature(f"Lease race {round_no}")
        task_id = workspace.task(feature_id, f"Raced task {round_no} {workspace.tag}")
        held = client_a.claim_next_task(a, feature_id=feature_id, lease=timedelta(seconds=1))
        assert held.data is not None and held.data.task_id == task_id
        assert held.metadata["reclaimed_from_identity_id"] is None
        rounds.append((feature_id, task_id))
    while one(
        workspace.conn,
        "SELECT bool_or(lease_expires_at >= clock_timestamp()) FROM claude.build_tasks"
        " WHERE task_id = ANY(%s)",
        ([task_id for _, task_id in rounds],),
    ):
        time.sleep(0.05)

    for round_no, (feature_id, task_id) in enumerate(rounds):
        outcome = RaceOutcome()
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(race_heartbeat, barrier, client_a, task_id, a, outcome),
                pool.submit(race_claim, barrier, client_b, feature_id, b, outcome),
            ]
            for future in futures:
                future.result(timeout=60)

        assert outcome.claim is not None, f"round {round_no}: the claim failed"
        taken = outcome.claim.data
        row = workspace.task_row(task_id)
        reclaims = reclaimed_rows(workspace.conn, [task_id])[task_id]
        if taken is not None:
            # B took the task over; A's heartbeat came second and was refused
            seen["reclaimed by B"] += 1
            assert taken.task_id == task_id and taken.assigned_to_identity_id == b
            assert outcome.claim.metadata["reclaimed_from_identity_id"] == str(a)
            assert isinstance(outcome.heartbeat_error, InvalidTransitionError), outcome
            assert outcome.heartbeat_error.sqlstate == "55000"
            assert outcome.heartbeat is None
            holder, feed_rows = b, 1
        else:
            # A's heartbeat won: the lease is renewed and B finds nothing to claim
            seen["renewed by A"] += 1
            assert outcome.claim.metadata["claimed"] is False
            assert outcome.heartbeat_error is None, f"round {round_no}: both lost: {outcome}"
            assert outcome.heartbeat is not None
            assert outcome.heartbeat.data.assigned_to_identity_id == a
            holder, feed_rows = a, 0
        assert row["status"] == "in_progress"
        assert row["assigned_to_identity_id"] == str(holder), f"round {round_no}: {outcome}"
        assert one(
            workspace.conn,
            "SELECT lease_expires_at > now() + interval '4 minutes' FROM claude.build_tasks"
            " WHERE task_id = %s",
            (task_id,),
        ), f"round {round_no}: the winner's lease was not set"
        assert reclaims == feed_rows, f"round {round_no}: {reclaims} 'reclaimed' rows"
        assert invariant_violations(workspace.conn) <= violations_before, f"round {round_no}"
    print(f"lease races: {dict(seen)}")
