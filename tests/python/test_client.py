"""The typed Python client against the deployed database (SPEC sections 6 and 7).

Every client method is called at least once and its typed result checked
(models, enums, UUIDs, datetimes, warnings, metadata); every SQLSTATE of the
error contract is mapped to its exception; connections, pools, the default
actor and the async client are exercised.

Most tests run inside the ``conn`` fixture's transaction, which is rolled back
at the end. A refused call aborts the transaction, so calls that are expected
to fail run inside a savepoint (:func:`refused`). Tests that need committed
rows (pools, paging across transactions, serialization conflicts) use unique
names and delete what they created.

Numeric arguments (hours, coverage) are passed as ints: a client that sends a
Python float as double precision finds no function with a numeric parameter.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

import psycopg
import pytest
from buildtracker import (
    Activity,
    ActivityType,
    AsyncClient,
    BuildTask,
    BuildTrackerError,
    Client,
    Component,
    ComponentStatus,
    ComponentType,
    ErrorItem,
    Feature,
    FeatureCompletion,
    FeatureStatus,
    FeatureType,
    FeatureWithChildren,
    GateResult,
    Identity,
    InvalidTransitionError,
    MissingReferenceError,
    NotFoundError,
    PermissionDeniedError,
    Project,
    ReadyFeature,
    Requirement,
    RequirementStatus,
    RequirementType,
    Result,
    RetryableConflictError,
    Severity,
    SourceType,
    StaleTask,
    TaskStatus,
    TaskType,
    UnblockedTask,
    ValidationError,
    ValidationReport,
)
from buildtracker.calls import Call
from psycopg import sql
from psycopg_pool import AsyncConnectionPool, ConnectionPool

Conn = psycopg.Connection[Any]
E = TypeVar("E", bound=BuildTrackerError)

LONG_DESCRIPTION = "A description that is comfortably longer than fifty characters in total."
CRITERIA = [
    "Given a user, the page should load",
    "When saved, the record must persist",
    "Looks nice",  # no testable keyword: a warning on approval
]


def tag() -> str:
    """A suffix that keeps names unique across runs and tests."""
    return uuid.uuid4().hex[:10]


def refused(conn: Conn, error: type[E], action: Callable[[], object]) -> E:
    """Run ``action`` in a savepoint, expect ``error``, keep the transaction usable."""
    with pytest.raises(error) as caught, conn.transaction():
        action()
    return caught.value


def assert_chained(exc: BuildTrackerError, sqlstate: str) -> None:
    """The exception carries the SQLSTATE and is chained from the psycopg error."""
    assert exc.sqlstate == sqlstate
    assert isinstance(exc.__cause__, psycopg.Error)
    assert exc.__cause__.sqlstate == sqlstate
    assert exc.message == exc.__cause__.diag.message_primary
    assert str(exc) == exc.message
    assert exc.errors, "every exception lists at least one failed check"
    assert all(isinstance(item, ErrorItem) for item in exc.errors)


def assert_aware(value: datetime | None) -> None:
    assert isinstance(value, datetime)
    assert value.tzinfo is not None


def assert_result(result: Result[Any], model: type[Any]) -> None:
    """The envelope's shape: typed data, a tuple of warnings, a metadata dict."""
    assert isinstance(result, Result)
    assert isinstance(result.data, model)
    assert isinstance(result.warnings, tuple)
    assert all(isinstance(w, str) for w in result.warnings)
    assert isinstance(result.metadata, dict)


@dataclass
class World:
    """A project, two identities and a planned-able feature, inside the test transaction."""

    client: Client
    conn: Conn
    tag: str
    project: Project
    alice: Identity
    bob: Identity

    def feature(self, name: str = "Feature", **kwargs: Any) -> Feature:
        kwargs.setdefault("description", LONG_DESCRIPTION)
        kwargs.setdefault("planned_by_identity_id", self.alice.identity_id)
        result = self.client.add_feature(
            f"{name} {uuid.uuid4().hex[:8]}", "feature", self.project.project_id, **kwargs
        )
        return result.data

    def started_feature(self, name: str = "Started feature") -> Feature:
        feature = self.feature(name)
        self.client.update_feature_status(feature.feature_id, "planned")
        return self.client.update_feature_status(
            feature.feature_id, "in_progress", implemented_by_identity_id=self.bob.identity_id
        ).data

    def component(self, feature_id: UUID, name: str = "Component") -> Component:
        return self.client.add_component(
            feature_id, f"{name} {uuid.uuid4().hex[:8]}", "service", planned_functions=["run"]
        ).data

    def task(self, feature_id: UUID, name: str = "Task", **kwargs: Any) -> BuildTask:
        return self.client.add_task(
            f"{name} {uuid.uuid4().hex[:8]}",
            "A task description long enough",
            "code",
            feature_id=feature_id,
            **kwargs,
        ).data

    def done_component(self, feature_id: UUID, coverage: float = 90) -> Component:
        component = self.component(feature_id, "Done component")
        self.client.update_component_status(component.component_id, "in_progress")
        return self.client.complete_component(
            component.component_id,
            actual_functions=["run"],
            has_tests=True,
            test_coverage_percentage=coverage,
        ).data


@pytest.fixture
def client(conn: Conn) -> Client:
    return Client(conn)


@pytest.fixture
def world(client: Client, conn: Conn) -> World:
    suffix = tag()
    project = client.add_project(f"Client test project {suffix}").data
    alice = client.add_identity(f"alice {suffix}").data
    bob = client.add_identity(f"bob {suffix}").data
    return World(client, conn, suffix, project, alice, bob)


@pytest.fixture
def autocommit_client(database_url: str) -> Iterator[Client]:
    client = Client.connect(database_url)
    yield client
    client.close()


def purge_project(database_url: str, project_id: UUID) -> None:
    """Delete committed test data (features cascade to their children)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM claude.features WHERE project_id = %s", [project_id])
        conn.execute("DELETE FROM claude.projects WHERE project_id = %s", [project_id])


# ---------------------------------------------------------------- the seed's integration test


def test_feature_to_completion_workflow(world: World) -> None:
    """Seed section 5: feature -> two components done -> 100% -> feature completed."""
    client = world.client
    feature = client.add_feature(
        f"Checkout flow {world.tag}",
        "feature",
        world.project.project_id,
        description="Let shoppers pay for what is in their basket.",
        planned_by_identity_id=world.alice.identity_id,
    ).data
    assert feature.status is FeatureStatus.NOT_STARTED
    assert feature.completion_percentage == 0

    comp1 = client.add_component(feature.feature_id, "Payment form", "ui_component").data
    comp2 = client.add_component(feature.feature_id, "Payment service", "service").data
    assert comp1.status is ComponentStatus.PLANNED

    client.update_feature_status(feature.feature_id, "planned")
    client.update_feature_status(
        feature.feature_id, "in_progress", implemented_by_identity_id=world.bob.identity_id
    )
    for component in (comp1, comp2):
        moved = client.update_component_status(component.component_id, "in_progress")
        assert moved.data.status is ComponentStatus.IN_PROGRESS

    first = client.complete_component(
        comp1.component_id,
        actual_functions=["render"],
        has_tests=True,
        test_coverage_percentage=95,
    )
    assert first.data.status is ComponentStatus.COMPLETED
    assert first.metadata["feature_completion_percentage"] == 50
    assert first.metadata["feature_ready_to_complete"] is False
    second = client.complete_component(
        comp2.component_id, actual_functions=["charge"], has_tests=True, test_coverage_percentage=85
    )
    assert second.metadata["feature_completion_percentage"] == 100
    assert second.metadata["feature_ready_to_complete"] is True

    reloaded = client.get_feature(feature.feature_id)
    assert reloaded is not None
    assert reloaded.completion_percentage == 100

    result = client.update_feature_status(feature.feature_id, "completed")
    assert_result(result, Feature)
    assert result.data.status is FeatureStatus.COMPLETED
    assert_aware(result.data.completed_date)
    assert result.metadata == {
        "old_status": "in_progress",
        "new_status": "completed",
        "completion_percentage": 100,
    }


# ---------------------------------------------------------------- projects and identities


def assert_missing(conn: Conn, call: Callable[[], object]) -> None:
    """The call is refused with P0002 (NotFoundError); a savepoint keeps the
    test's transaction usable, as a caller that owns its transaction would."""
    with pytest.raises(NotFoundError), conn.transaction():
        call()


def test_projects_and_identities(client: Client, conn: Conn) -> None:
    suffix = tag()
    project = client.add_project(f"  Project {suffix}  ")
    assert_result(project, Project)
    assert project.data.project_name == f"Project {suffix}"  # trimmed by the database
    assert isinstance(project.data.project_id, UUID)
    assert_aware(project.data.created_at)
    assert_aware(project.data.updated_at)
    assert project.warnings == ()
    assert project.metadata == {}

    identity = client.add_identity(f"agent {suffix}", actor="setup-script")
    assert_result(identity, Identity)
    assert isinstance(identity.data.identity_id, UUID)

    assert client.resolve_id("project", f"Project {suffix}") == project.data.project_id
    assert client.get_project(project.data.project_id) == project.data
    assert_missing(conn, lambda: client.resolve_id("project", f"no such project {suffix}"))
    assert client.resolve_id("identity", f"agent {suffix}") == identity.data.identity_id
    assert client.get_identity(identity.data.identity_id) == identity.data
    assert_missing(conn, lambda: client.resolve_id("identity", f"nobody {suffix}"))

    projects = client.list_projects()
    assert all(isinstance(p, Project) for p in projects)
    assert project.data in projects
    names = [p.project_name for p in projects]
    assert names == sorted(names)
    identities = client.list_identities()
    assert all(isinstance(i, Identity) for i in identities)
    assert identity.data in identities


# ---------------------------------------------------------------- features


def test_add_update_and_read_features(world: World) -> None:
    client = world.client
    parent = world.feature("Parent feature")
    added = client.add_feature(
        f"Child feature {world.tag}",
        FeatureType.UI,
        world.project.project_id,
        description=LONG_DESCRIPTION,
        priority=3,
        parent_feature_id=parent.feature_id,
        planned_by_identity_id=world.alice.identity_id,
        design_doc_path="docs/child.md",
    )
    assert_result(added, Feature)
    child = added.data
    assert child.feature_type is FeatureType.UI
    assert child.status is FeatureStatus.NOT_STARTED
    assert child.priority == 3
    assert child.completion_percentage == 0
    assert child.parent_feature_id == parent.feature_id
    assert child.planned_by_identity_id == world.alice.identity_id
    assert child.design_doc_path == "docs/child.md"
    assert child.planned_date is None and child.started_date is None

    updated = client.update_feature(
        child.feature_id, {"priority": 2, "implementation_notes": "Use the shared grid."}
    )
    assert_result(updated, Feature)
    assert updated.data.priority == 2
    assert updated.data.implementation_notes == "Use the shared grid."
    assert updated.data.updated_at >= child.updated_at

    fetched = client.get_feature(child.feature_id)
    assert fetched == updated.data
    assert_missing(world.conn, lambda: client.get_feature(uuid.uuid4()))

    listed = client.list_features(project_id=world.project.project_id)
    assert {f.feature_id for f in listed} == {parent.feature_id, child.feature_id}
    assert all(isinstance(f, Feature) for f in listed)
    assert client.list_features(project_id=world.project.project_id, status="planned") == []
    client.update_feature_status(child.feature_id, FeatureStatus.PLANNED)
    planned = client.list_features(
        project_id=world.project.project_id, status=FeatureStatus.PLANNED
    )
    assert [f.feature_id for f in planned] == [child.feature_id]
    assert client.list_features(project_id=world.project.project_id, max_rows=1) != []
    assert len(client.list_features(project_id=world.project.project_id, max_rows=1)) == 1


def test_feature_status_walk(world: World) -> None:
    """update_feature_status along SPEC 4, with the database setting dates and reasons."""
    client = world.client
    feature = world.feature()

    planned = client.update_feature_status(feature.feature_id, "planned")
    assert_result(planned, Feature)
    assert planned.data.status is FeatureStatus.PLANNED
    assert_aware(planned.data.planned_date)
    assert planned.data.started_date is None
    assert planned.metadata["old_status"] == "not_started"
    assert planned.metadata["new_status"] == "planned"
    assert planned.metadata["completion_percentage"] == 0

    started = client.update_feature_status(
        feature.feature_id, "in_progress", implemented_by_identity_id=world.bob.identity_id
    )
    assert started.data.status is FeatureStatus.IN_PROGRESS
    assert started.data.implemented_by_identity_id == world.bob.identity_id
    assert_aware(started.data.started_date)

    blocked = client.update_feature_status(feature.feature_id, "blocked", reason="Waiting on API")
    assert blocked.data.status is FeatureStatus.BLOCKED
    assert blocked.data.blocked_reason == "Waiting on API"
    resumed = client.update_feature_status(feature.feature_id, "in_progress", reason="API is live")
    assert resumed.data.status is FeatureStatus.IN_PROGRESS
    assert resumed.data.blocked_reason is None

    held = client.update_feature_status(feature.feature_id, "on_hold", reason="Budget review")
    assert held.data.status is FeatureStatus.ON_HOLD
    assert held.data.blocked_reason == "Budget review"
    client.update_feature_status(feature.feature_id, "in_progress")

    cancelled = client.update_feature_status(feature.feature_id, "cancelled", reason="Descoped")
    assert cancelled.data.status is FeatureStatus.CANCELLED
    assert cancelled.data.cancellation_reason == "Descoped"


def test_complete_and_delete_feature(world: World) -> None:
    client = world.client
    feature = world.started_feature()
    completed = client.complete_feature(feature.feature_id)
    assert_result(completed, Feature)
    assert completed.data.status is FeatureStatus.COMPLETED
    assert_aware(completed.data.completed_date)
    assert completed.data.started_date is not None
    assert completed.data.completed_date is not None
    assert completed.data.completed_date >= completed.data.started_date

    doomed = world.feature("Doomed feature")
    component = world.component(doomed.feature_id)
    world.task(doomed.feature_id)
    world.task(doomed.feature_id, component_id=component.component_id)
    child = world.feature("Orphan child", parent_feature_id=doomed.feature_id)

    deleted = client.delete_feature(doomed.feature_id)
    assert_result(deleted, Feature)
    assert deleted.data.feature_id == doomed.feature_id
    assert deleted.metadata == {
        "deleted_components": 1,
        "deleted_tasks": 2,
        "deleted_requirements": 0,
        "detached_child_features": 1,
    }
    assert_missing(world.conn, lambda: client.get_feature(doomed.feature_id))
    assert_missing(world.conn, lambda: client.get_component(component.component_id))
    detached = client.get_feature(child.feature_id)
    assert detached is not None and detached.parent_feature_id is None


def test_feature_gate_and_completion_reads(world: World) -> None:
    client = world.client
    feature = world.started_feature()

    empty_gate = client.can_complete_feature(feature.feature_id)
    assert isinstance(empty_gate, GateResult)
    assert empty_gate == GateResult(can_complete=True, checks=())

    component = world.component(feature.feature_id, "Gate component")
    task = world.task(feature.feature_id, "Gate task")
    requirement = client.add_requirement(
        feature.feature_id,
        f"Gate requirement {world.tag}",
        "functional",
        LONG_DESCRIPTION,
        CRITERIA,
        must_have=True,
        created_by_identity_id=world.alice.identity_id,
    ).data

    gate = client.can_complete_feature(feature.feature_id)
    assert gate.can_complete is False
    assert isinstance(gate.checks, tuple)
    assert len(gate.checks) == 3  # every failing condition, not just the first
    joined = " | ".join(gate.checks)
    assert component.component_name in joined
    assert task.task_name in joined
    assert requirement.requirement_name in joined

    completion = client.get_feature_completion(feature.feature_id)
    assert isinstance(completion, FeatureCompletion)
    assert completion.feature_id == feature.feature_id
    assert completion.status is FeatureStatus.IN_PROGRESS
    assert completion.completion_percentage == 0
    assert completion.components == {"total": 1, "done": 0, "deprecated": 0, "remaining": 1}
    assert completion.tasks == {"total": 1, "completed": 0, "cancelled": 0, "open": 1}
    assert completion.requirements == {
        "total": 1,
        "verified": 0,
        "must_have": 1,
        "must_have_verified": 0,
    }
    assert completion.child_features == {"total": 0, "finished": 0}
    assert completion.can_complete is False
    assert completion.checks == gate.checks

    tree = client.get_feature_with_children(feature.feature_id)
    assert isinstance(tree, FeatureWithChildren)
    assert isinstance(tree.feature, Feature)
    assert tree.feature.feature_id == feature.feature_id
    assert [c.component_id for c in tree.components] == [component.component_id]
    assert [t.task_id for t in tree.tasks] == [task.task_id]
    assert [r.requirement_id for r in tree.requirements] == [requirement.requirement_id]
    assert isinstance(tree.components[0], Component)
    assert isinstance(tree.tasks[0], BuildTask)
    assert isinstance(tree.requirements[0], Requirement)


def test_list_features_pages_with_after(world: World) -> None:
    """Keyset paging; rows written in one transaction share created_at, the id breaks ties."""
    client = world.client
    project_id = world.project.project_id
    created = sorted((world.feature("Paged feature") for _ in range(5)), key=lambda f: f.feature_id)
    assert len({f.created_at for f in created}) == 1  # one transaction, one now()

    seen: list[UUID] = []
    page = client.list_features(project_id=project_id, max_rows=2)
    while page:
        assert len(page) <= 2
        seen.extend(f.feature_id for f in page)
        last = page[-1]
        page = client.list_features(
            project_id=project_id, after=last.created_at, after_id=last.feature_id, max_rows=2
        )
    assert seen == [f.feature_id for f in created]  # every row once, in order


def test_list_tasks_pages_with_after(world: World) -> None:
    client = world.client
    feature = world.feature()
    created = sorted((world.task(feature.feature_id) for _ in range(3)), key=lambda t: t.task_id)
    first = client.list_tasks(feature_id=feature.feature_id, max_rows=2)
    assert [t.task_id for t in first] == [t.task_id for t in created[:2]]
    rest = client.list_tasks(
        feature_id=feature.feature_id, after=first[-1].created_at, after_id=first[-1].task_id
    )
    assert [t.task_id for t in rest] == [created[2].task_id]


# ---------------------------------------------------------------- components


def test_component_methods(world: World) -> None:
    client = world.client
    feature = world.started_feature()
    added = client.add_component(
        feature.feature_id,
        f"Search Index {world.tag}",
        ComponentType.SERVICE,
        planned_functions=["index", "query"],
        planned_dependencies=["postgres"],
    )
    assert_result(added, Component)
    component = added.data
    assert component.component_type is ComponentType.SERVICE
    assert component.status is ComponentStatus.PLANNED
    assert component.planned_functions == ("index", "query")
    assert component.planned_dependencies == ("postgres",)
    assert component.actual_functions == ()
    assert component.file_path == f"src/service/search_index_{world.tag}"
    assert component.has_tests is False
    assert component.implemented_at is None

    assert client.get_component(component.component_id) == component
    assert_missing(world.conn, lambda: client.get_component(uuid.uuid4()))

    updated = client.update_component(component.component_id, {"lines_of_code": 120})
    assert_result(updated, Component)
    assert updated.data.lines_of_code == 120

    moved = client.update_component_status(component.component_id, "in_progress", reason="go")
    assert_result(moved, Component)
    assert moved.data.status is ComponentStatus.IN_PROGRESS
    assert moved.metadata == {"old_status": "planned", "new_status": "in_progress"}

    completed = client.complete_component(
        component.component_id,
        actual_functions=["index", "rebuild"],
        file_path="src/search/index.py",
        lines_of_code=200,
        has_tests=True,
        test_coverage_percentage=62,  # an int: see the module docstring
    )
    assert_result(completed, Component)
    data = completed.data
    assert data.status is ComponentStatus.COMPLETED
    assert data.actual_functions == ("index", "rebuild")
    assert data.file_path == "src/search/index.py"
    assert data.test_coverage_percentage == 62.0
    assert isinstance(data.test_coverage_percentage, float)
    assert_aware(data.implemented_at)
    warnings = " | ".join(completed.warnings)
    assert "query" in warnings  # planned but missing
    assert "rebuild" in warnings  # built but not planned
    assert "coverage 62" in warnings  # below 80%
    assert completed.metadata == {
        "feature_completion_percentage": 100,
        "feature_ready_to_complete": True,
    }

    tested = client.update_component_status(component.component_id, ComponentStatus.TESTED)
    assert tested.data.status is ComponentStatus.TESTED
    client.update_component(
        component.component_id, {"has_documentation": True, "doc_path": "docs/search.md"}
    )
    documented = client.update_component_status(component.component_id, "documented")
    assert documented.data.status is ComponentStatus.DOCUMENTED
    assert documented.data.doc_path == "docs/search.md"


# ---------------------------------------------------------------- tasks


def test_task_lifecycle_methods(world: World) -> None:
    client = world.client
    feature = world.started_feature()
    component = world.component(feature.feature_id, "Task component")
    client.update_component_status(component.component_id, "in_progress")

    added = client.add_task(
        f"Build the parser {world.tag}",
        "Parse the incoming files into rows",
        TaskType.CODE,
        component_id=component.component_id,
        priority=2,
        estimated_hours=2,
    )
    assert_result(added, BuildTask)
    task = added.data
    assert task.feature_id == feature.feature_id  # filled from the component
    assert task.component_id == component.component_id
    assert task.task_type is TaskType.CODE
    assert task.status is TaskStatus.TODO
    assert task.estimated_hours == 2.0
    assert isinstance(task.estimated_hours, float)
    assert added.metadata == {"is_blocked": False}

    waiting = client.add_task(
        f"Load the rows {world.tag}",
        "Load the parsed rows into the table",
        "code",
        feature_id=feature.feature_id,
        blocked_by_task_id=task.task_id,
    )
    assert waiting.metadata == {"is_blocked": True}
    assert waiting.data.blocked_by_task_id == task.task_id

    assert client.get_task(task.task_id) == task
    assert_missing(world.conn, lambda: client.get_task(uuid.uuid4()))

    updated = client.update_task(task.task_id, {"priority": 1, "estimated_hours": 2.5})
    assert_result(updated, BuildTask)
    assert updated.data.priority == 1
    assert updated.data.estimated_hours == 2.5

    started = client.start_task(task.task_id, world.bob.identity_id)
    assert_result(started, BuildTask)
    assert started.data.status is TaskStatus.IN_PROGRESS
    assert started.data.assigned_to_identity_id == world.bob.identity_id
    assert_aware(started.data.started_at)
    assert started.metadata == {"active_tasks_count": 1}

    blocked = client.block_task(task.task_id, "Waiting for sample files")
    assert blocked.data.status is TaskStatus.BLOCKED
    assert blocked.data.blocked_reason == "Waiting for sample files"
    unblocked = client.unblock_task(task.task_id, "Samples arrived")
    assert unblocked.data.status is TaskStatus.IN_PROGRESS
    assert unblocked.data.blocked_reason is None

    review = client.submit_task_for_review(task.task_id)
    assert review.data.status is TaskStatus.REVIEW
    changes = client.request_task_changes(task.task_id, "Handle empty files")
    assert changes.data.status is TaskStatus.IN_PROGRESS
    client.submit_task_for_review(task.task_id)

    completed = client.complete_task(task.task_id, 6, completion_notes="Parser done")
    assert_result(completed, BuildTask)
    assert completed.data.status is TaskStatus.COMPLETED
    assert completed.data.actual_hours == 6.0
    assert completed.data.completion_notes == "Parser done"
    assert_aware(completed.data.completed_at)
    assert len(completed.warnings) == 1 and "twice" in completed.warnings[0]
    assert completed.metadata["estimate_accuracy"] == 2.4
    assert completed.metadata["unblocked_tasks"] == [
        {
            "task_id": str(waiting.data.task_id),
            "task_name": waiting.data.task_name,
            "status": "todo",
        }
    ]

    cancelled = client.cancel_task(waiting.data.task_id, "Not needed after all")
    assert_result(cancelled, BuildTask)
    assert cancelled.data.status is TaskStatus.CANCELLED
    assert cancelled.data.cancellation_reason == "Not needed after all"


def test_list_tasks_filters(world: World) -> None:
    client = world.client
    feature = world.feature()
    first = world.task(feature.feature_id, "First task")
    second = world.task(feature.feature_id, "Second task")
    client.start_task(second.task_id, world.alice.identity_id)

    everything = client.list_tasks(feature_id=feature.feature_id)
    assert {t.task_id for t in everything} == {first.task_id, second.task_id}
    assert all(isinstance(t, BuildTask) for t in everything)
    todo = client.list_tasks(feature_id=feature.feature_id, status=TaskStatus.TODO)
    assert [t.task_id for t in todo] == [first.task_id]
    mine = client.list_tasks(assigned_to_identity_id=world.alice.identity_id)
    assert [t.task_id for t in mine] == [second.task_id]
    assert len(client.list_tasks(feature_id=feature.feature_id, max_rows=1)) == 1
    assert client.list_tasks(feature_id=feature.feature_id, status="review") == []


def test_ready_tasks_and_claiming(world: World) -> None:
    client = world.client
    feature = world.feature()
    low = world.task(feature.feature_id, "Low priority", priority=8)
    high = world.task(feature.feature_id, "High priority", priority=1)
    waiting = world.task(
        feature.feature_id, "Waiting task", priority=1, blocked_by_task_id=low.task_id
    )

    ready = client.get_ready_tasks(feature_id=feature.feature_id)
    assert [t.task_id for t in ready] == [high.task_id, low.task_id]  # by priority; waiting is out
    assert all(isinstance(t, BuildTask) for t in ready)
    assert client.get_ready_tasks(project_id=world.project.project_id, max_rows=1) == [ready[0]]

    claimed = client.claim_next_task(world.bob.identity_id, feature_id=feature.feature_id)
    assert_result(claimed, BuildTask)
    assert claimed.data is not None
    assert claimed.data.task_id == high.task_id
    assert claimed.data.status is TaskStatus.IN_PROGRESS
    assert claimed.data.assigned_to_identity_id == world.bob.identity_id
    assert claimed.metadata == {
        "claimed": True,
        "active_tasks_count": 1,
        "reclaimed": False,
        "reclaimed_from_identity_id": None,
    }

    second = client.claim_next_task(world.bob.identity_id, project_id=world.project.project_id)
    assert second.data is not None and second.data.task_id == low.task_id

    # the only todo task left waits on an unfinished one: nothing is ready
    nothing = client.claim_next_task(world.bob.identity_id, feature_id=feature.feature_id)
    assert isinstance(nothing, Result)
    assert nothing.data is None
    assert nothing.warnings == ()
    assert nothing.metadata == {"claimed": False}
    assert client.get_task(waiting.task_id) == waiting


# ---------------------------------------------------------------- requirements


def test_requirement_methods(world: World) -> None:
    client = world.client
    feature = world.started_feature()
    component = world.done_component(feature.feature_id, coverage=70)

    added = client.add_requirement(
        feature.feature_id,
        f"Export to CSV {world.tag}",
        RequirementType.FUNCTIONAL,
        LONG_DESCRIPTION,
        CRITERIA,
        priority=2,
        must_have=True,
        created_by_identity_id=world.alice.identity_id,
    )
    assert_result(added, Requirement)
    requirement = added.data
    assert requirement.requirement_type is RequirementType.FUNCTIONAL
    assert requirement.status is RequirementStatus.DRAFT
    assert requirement.acceptance_criteria == tuple(CRITERIA)
    assert requirement.must_have is True
    assert requirement.created_by_identity_id == world.alice.identity_id
    assert added.metadata == {"criteria_count": 3}

    assert client.get_requirement(requirement.requirement_id) == requirement
    assert_missing(world.conn, lambda: client.get_requirement(uuid.uuid4()))

    updated = client.update_requirement(requirement.requirement_id, {"priority": 1})
    assert_result(updated, Requirement)
    assert updated.data.priority == 1

    defined = client.update_requirement_status(requirement.requirement_id, "defined")
    assert defined.data.status is RequirementStatus.DEFINED
    assert defined.metadata == {"old_status": "draft", "new_status": "defined"}
    approved = client.update_requirement_status(requirement.requirement_id, "approved")
    assert approved.data.status is RequirementStatus.APPROVED
    assert len(approved.warnings) == 1 and "Looks nice" in approved.warnings[0]
    implemented = client.update_requirement_status(
        requirement.requirement_id, "implemented", component_id=component.component_id
    )
    assert implemented.data.status is RequirementStatus.IMPLEMENTED
    assert implemented.data.implemented_by_component_id == component.component_id

    run_id = uuid.uuid4()
    verified = client.verify_requirement(
        requirement.requirement_id, test_results={"passed": 12, "failed": 0}, test_run_id=run_id
    )
    assert_result(verified, Requirement)
    assert verified.data.status is RequirementStatus.VERIFIED
    assert verified.data.verified_by_test_run_id == run_id
    assert_aware(verified.data.verified_at)
    assert len(verified.warnings) == 1 and "below 80" in verified.warnings[0]
    assert verified.metadata["all_must_haves_verified"] is True
    assert verified.metadata["test_results"] == {"passed": 12, "failed": 0}


def test_validate_is_a_dry_run(world: World) -> None:
    client = world.client
    bad = client.validate(
        "feature",
        {
            "feature_name": "abc",
            "feature_type": "bogus",
            "project_id": str(world.project.project_id),
        },
    )
    assert isinstance(bad, ValidationReport)
    assert not bad.ok
    assert {e.field for e in bad.errors} == {"feature_name", "feature_type"}
    assert all(isinstance(e, ErrorItem) and e.code == "23514" for e in bad.errors)

    name = f"Validated feature {world.tag}"
    good = client.validate(
        "feature",
        {"feature_name": name, "feature_type": "api", "project_id": str(world.project.project_id)},
        "create",
    )
    assert good.ok
    assert good == ValidationReport(errors=(), warnings=())
    assert client.list_features(project_id=world.project.project_id) == []  # nothing written

    feature = world.feature()
    update = client.validate(
        "feature", {"feature_id": str(feature.feature_id), "status": "completed"}, "update"
    )
    assert [e.field for e in update.errors] == ["status"]


# ---------------------------------------------------------------- activity and jobs


def test_log_and_get_activity(world: World) -> None:
    client = world.client
    source_id = uuid.uuid4()
    logged = client.log_activity(
        "system",
        source_id,
        "updated",
        "Nightly import finished",
        summary="12 rows",
        actor="importer",
        project_name=world.project.project_name,
        severity="success",
    )
    assert isinstance(logged, UUID)
    rows = client.get_activity(source_id=source_id)
    assert len(rows) == 1
    row = rows[0]
    assert isinstance(row, Activity)
    assert row.id == logged
    assert row.source_type is SourceType.SYSTEM
    assert row.activity_type is ActivityType.UPDATED
    assert row.severity is Severity.SUCCESS
    assert row.actor == "importer"
    assert row.summary == "12 rows"
    assert_aware(row.created_at)

    unnamed = client.log_activity("system", None, "created", "An event without a source")
    assert isinstance(unnamed, UUID)

    feature = world.feature("Logged feature")
    client.update_feature_status(feature.feature_id, "planned", actor="planner")
    feed = client.get_activity(
        project_name=world.project.project_name, source_type="feature", source_id=feature.feature_id
    )
    assert [a.activity_type for a in feed] == [ActivityType.STATUS_CHANGED, ActivityType.CREATED]
    assert feed[0].actor == "planner"
    assert feed[0].changes is not None
    assert feed[0].changes["status"] == {"old": "not_started", "new": "planned"}
    assert feed[0].project_name == world.project.project_name
    created = client.get_activity(
        source_id=feature.feature_id, activity_type="created", severities=["info"], max_rows=5
    )
    assert [a.activity_type for a in created] == [ActivityType.CREATED]
    assert client.get_activity(source_id=feature.feature_id, severities=["error"]) == []
    assert client.get_activity(source_id=feature.feature_id, actor="planner") == [feed[0]]
    later = feed[0].created_at + timedelta(seconds=1)
    assert client.get_activity(source_id=feature.feature_id, since=later) == []
    assert client.get_activity(source_id=feature.feature_id, before=later) == feed


def test_background_checks_and_run_jobs(world: World) -> None:
    client = world.client
    feature = world.started_feature("Jobs feature")
    worker = world.task(feature.feature_id, "Stale work")
    blocker = world.task(feature.feature_id, "Blocker task")
    client.start_task(worker.task_id, world.bob.identity_id)
    client.block_task(worker.task_id, "Needs the blocker", blocked_by_task_id=blocker.task_id)
    # a blocked task whose blocker is done: auto-unblock resumes it at once now,
    # so the state the check looks for is made with it off (older databases)
    world.conn.execute("ALTER TABLE claude.build_tasks DISABLE TRIGGER bt40_auto_unblock")
    client.cancel_task(blocker.task_id, "Not needed")
    world.conn.execute("ALTER TABLE claude.build_tasks ENABLE TRIGGER bt40_auto_unblock")
    stuck = world.task(feature.feature_id, "In progress work")
    client.start_task(stuck.task_id, world.alice.identity_id)

    ready_feature = world.started_feature("Ready feature")
    world.done_component(ready_feature.feature_id)

    # started in this very transaction: only a negative threshold finds it
    stale = client.check_stale_tasks(timedelta(seconds=-1))
    assert all(isinstance(s, StaleTask) for s in stale)
    mine = [s for s in stale if s.task_id == stuck.task_id]
    assert len(mine) == 1
    assert mine[0].project_name == world.project.project_name
    assert mine[0].assigned_to_identity_id == world.alice.identity_id
    assert_aware(mine[0].started_at)
    assert all(s.task_id != stuck.task_id for s in client.check_stale_tasks())

    unblocked = [u for u in client.check_unblocked_tasks() if u.task_id == worker.task_id]
    assert len(unblocked) == 1
    assert isinstance(unblocked[0], UnblockedTask)
    assert unblocked[0].blocked_by_task_id == blocker.task_id
    assert unblocked[0].blocker_status is TaskStatus.CANCELLED

    ready = [
        r for r in client.check_completion_readiness() if r.feature_id == ready_feature.feature_id
    ]
    assert len(ready) == 1
    assert isinstance(ready[0], ReadyFeature)
    assert ready[0].completion_percentage == 100

    summary = client.run_jobs(timedelta(seconds=-1), actor="job-runner")
    assert isinstance(summary, dict)
    assert set(summary) == {
        "stale_tasks",
        "unblocked_tasks",
        "ready_features",
        "expired_leases",
        "sealed",
        "partitions",
        "ran_at",
    }
    assert summary["partitions"]["partitioned"] is True
    assert summary["partitions"]["maintained_by"] == "buildtracker"
    for key in ("stale_tasks", "unblocked_tasks", "ready_features"):
        assert summary[key]["found"] >= 1
        assert summary[key]["logged"] >= 1
    again = client.run_jobs(timedelta(seconds=-1), actor="job-runner")
    for key in ("stale_tasks", "unblocked_tasks", "ready_features"):
        assert again[key]["logged"] == 0  # each finding is logged once

    alerts = client.get_activity(source_id=ready_feature.feature_id, actor="job-runner")
    assert len(alerts) == 1
    assert alerts[0].severity is Severity.WARNING
    assert alerts[0].activity_type is ActivityType.READY_TO_COMPLETE


# ---------------------------------------------------------------- error mapping


def test_check_violation_lists_every_failed_field(world: World) -> None:
    error = refused(
        world.conn,
        ValidationError,
        lambda: world.client.add_feature("abc", "bogus", world.project.project_id),
    )
    assert_chained(error, "23514")
    assert isinstance(error.__cause__, psycopg.errors.CheckViolation)
    assert {e.field for e in error.errors} == {"feature_name", "feature_type"}
    assert {e.code for e in error.errors} == {"23514"}
    assert "feature_name" in error.message and "feature_type" in error.message
    assert error.hint is not None and error.hint


def test_unconvertible_value_is_a_validation_error(world: World) -> None:
    feature = world.feature()
    error = refused(
        world.conn,
        ValidationError,
        lambda: world.client.update_feature(feature.feature_id, {"priority": "abc"}),
    )
    assert_chained(error, "23514")
    assert [e.field for e in error.errors] == ["priority"]

    unknown = refused(
        world.conn,
        ValidationError,
        lambda: world.client.update_feature(feature.feature_id, {"status": "completed", "nope": 1}),
    )
    assert {e.field for e in unknown.errors} == {"status", "nope"}


def test_class_22_input_error_is_a_validation_error(client: Client, conn: Conn) -> None:
    """A raw malformed uuid reaches PostgreSQL only through a hand-made Call."""
    call: Call[object] = Call(
        sql.SQL("SELECT claude.can_complete_feature(%(id)s::uuid)"),
        {"id": "not-a-uuid"},
        lambda rows: rows[0][0],
    )
    error = refused(conn, ValidationError, lambda: client.run(call))
    assert_chained(error, "22P02")
    assert isinstance(error.__cause__, psycopg.errors.InvalidTextRepresentation)
    assert error.errors == (ErrorItem(field=None, message=error.message, code="22P02"),)


def test_foreign_key_violation(world: World) -> None:
    missing = uuid.uuid4()
    error = refused(
        world.conn,
        MissingReferenceError,
        lambda: world.client.add_feature(f"Lost feature {world.tag}", "feature", missing),
    )
    assert_chained(error, "23503")
    assert isinstance(error.__cause__, psycopg.errors.ForeignKeyViolation)
    assert "project_id" in {e.field for e in error.errors}
    assert error.hint is not None

    claim = refused(
        world.conn, MissingReferenceError, lambda: world.client.claim_next_task(missing)
    )
    assert [e.field for e in claim.errors] == ["identity_id"]


def test_not_found(world: World) -> None:
    missing = uuid.uuid4()
    error = refused(world.conn, NotFoundError, lambda: world.client.get_feature_completion(missing))
    assert_chained(error, "P0002")
    assert isinstance(error.__cause__, psycopg.errors.NoDataFound)
    assert str(missing) in error.message
    assert error.errors[0].field == "feature_id"
    assert error.hint is not None

    for action in (
        lambda: world.client.update_feature_status(missing, "planned"),
        lambda: world.client.start_task(missing, world.bob.identity_id),
        lambda: world.client.update_requirement(missing, {"priority": 1}),
        lambda: world.client.complete_component(missing, actual_functions=["x"]),
    ):
        assert refused(world.conn, NotFoundError, action).sqlstate == "P0002"


def test_invalid_transition_names_the_failures(world: World) -> None:
    client = world.client
    fresh = world.feature()
    error = refused(
        world.conn, InvalidTransitionError, lambda: client.complete_feature(fresh.feature_id)
    )
    assert_chained(error, "55000")
    assert isinstance(error.__cause__, psycopg.errors.ObjectNotInPrerequisiteState)
    assert "not_started" in error.message and "completed" in error.message
    assert error.hint is not None

    feature = world.started_feature()
    first = world.component(feature.feature_id, "Unfinished one")
    second = world.component(feature.feature_id, "Unfinished two")
    gate = refused(
        world.conn, InvalidTransitionError, lambda: client.complete_feature(feature.feature_id)
    )
    assert first.component_name in gate.message
    assert second.component_name in gate.message
    assert [e.field for e in gate.errors] == ["completion_gate", "completion_gate"]
    assert all(e.code == "55000" for e in gate.errors)

    task = world.task(feature.feature_id)
    action = refused(
        world.conn, InvalidTransitionError, lambda: client.complete_task(task.task_id, 1)
    )
    assert "todo" in action.message


def test_permission_denied_for_the_reader_role(client: Client, conn: Conn) -> None:
    def as_reader() -> None:
        conn.execute("SET LOCAL ROLE buildtracker_reader")
        client.add_project(f"Forbidden project {tag()}")

    error = refused(conn, PermissionDeniedError, as_reader)
    assert_chained(error, "42501")
    assert isinstance(error.__cause__, psycopg.errors.InsufficientPrivilege)
    assert "add_project" in error.message
    # the savepoint rolled the role back: this session may write again
    assert client.add_project(f"Allowed project {tag()}").data.project_name.startswith("Allowed")


def test_serialization_failure_is_retryable(database_url: str, autocommit_client: Client) -> None:
    project = autocommit_client.add_project(f"Conflict project {tag()}").data
    feature = autocommit_client.add_feature(
        f"Contested feature {tag()}", "feature", project.project_id
    ).data
    first = psycopg.connect(database_url)
    second = psycopg.connect(database_url)
    try:
        for conn in (first, second):
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        one, two = Client(first), Client(second)
        assert one.get_feature(feature.feature_id) is not None  # takes the snapshot
        assert two.update_feature(feature.feature_id, {"priority": 2}).data.priority == 2
        second.commit()
        with pytest.raises(RetryableConflictError) as caught:
            one.update_feature(feature.feature_id, {"priority": 3})
        assert_chained(caught.value, "40001")
        assert isinstance(caught.value.__cause__, psycopg.errors.SerializationFailure)
        first.rollback()
        # a retry in a new transaction succeeds
        assert one.update_feature(feature.feature_id, {"priority": 3}).data.priority == 3
        first.commit()
    finally:
        first.close()
        second.close()
        purge_project(database_url, project.project_id)


# ---------------------------------------------------------------- transactions and actors


def test_caller_owns_the_transaction(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        client = Client(conn)
        name = f"Rolled back project {tag()}"
        client.add_project(name)
        assert client.resolve_id("project", name) is not None
        conn.rollback()
        with pytest.raises(NotFoundError):
            client.resolve_id("project", name)


def test_pool_commits_each_call(database_url: str) -> None:
    name = f"Pooled project {tag()}"
    with ConnectionPool(database_url, min_size=1, max_size=2, open=True) as pool:
        client = Client(pool)
        project = client.add_project(name).data
        try:
            with psycopg.connect(database_url) as other:
                other_client = Client(other)
                assert (
                    other_client.get_project(other_client.resolve_id("project", name)) == project
                )  # committed
            feature = client.add_feature(f"Pooled feature {tag()}", "api", project.project_id)
            assert client.get_feature(feature.data.feature_id) == feature.data
            with pytest.raises(NotFoundError) as error:
                client.delete_feature(uuid.uuid4())
            assert error.value.sqlstate == "P0002"
            # the failed call did not poison the pool
            assert client.get_project(client.resolve_id("project", name)) == project
        finally:
            purge_project(database_url, project.project_id)


def test_default_actor_and_explicit_actor(conn: Conn) -> None:
    bot = Client(conn, actor="bot")
    project = bot.add_project(f"Actor project {tag()}").data
    feature = bot.add_feature(f"Actor feature {tag()}", "feature", project.project_id).data
    created = bot.get_activity(source_id=feature.feature_id, activity_type="created")
    assert [a.actor for a in created] == ["bot"]

    bot.update_feature(feature.feature_id, {"priority": 1}, actor="alice")
    updated = bot.get_activity(source_id=feature.feature_id, activity_type="updated")
    assert [a.actor for a in updated] == ["alice"]

    logged = bot.log_activity("system", None, "updated", f"Bot event {tag()}")
    assert bot.get_activity(actor="bot", max_rows=1)[0].id == logged

    plain = Client(conn)
    plain.update_feature(feature.feature_id, {"priority": 2})
    session_user = conn.execute("SELECT session_user").fetchone()
    assert session_user is not None
    latest = plain.get_activity(source_id=feature.feature_id, max_rows=1)[0]
    assert latest.actor == session_user[0]


# ---------------------------------------------------------------- async client


def test_async_client_over_a_connection(database_url: str) -> None:
    async def scenario() -> None:
        aconn = await psycopg.AsyncConnection.connect(database_url)
        try:
            client = AsyncClient(aconn, actor="async-bot")
            project = await client.add_project(f"Async project {tag()}")
            assert_result(project, Project)
            identity = (await client.add_identity(f"async agent {tag()}")).data
            feature = await client.add_feature(
                f"Async feature {tag()}",
                "integration",
                project.data.project_id,
                description=LONG_DESCRIPTION,
                planned_by_identity_id=identity.identity_id,
            )
            assert feature.data.feature_type is FeatureType.INTEGRATION
            planned = await client.update_feature_status(feature.data.feature_id, "planned")
            assert planned.data.status is FeatureStatus.PLANNED
            fetched = await client.get_feature(feature.data.feature_id)
            assert fetched == planned.data
            listed = await client.list_features(project_id=project.data.project_id)
            assert [f.feature_id for f in listed] == [feature.data.feature_id]
            gate = await client.can_complete_feature(feature.data.feature_id)
            assert gate == GateResult(can_complete=True, checks=())
            feed = await client.get_activity(source_id=feature.data.feature_id)
            assert {a.actor for a in feed} == {"async-bot"}

            with pytest.raises(InvalidTransitionError) as caught:
                async with aconn.transaction():
                    await client.complete_feature(feature.data.feature_id)
            assert_chained(caught.value, "55000")
            with pytest.raises(ValidationError) as invalid:
                async with aconn.transaction():
                    await client.add_feature("abc", "bogus", project.data.project_id)
            assert {e.field for e in invalid.value.errors} == {"feature_name", "feature_type"}
            with pytest.raises(NotFoundError):
                async with aconn.transaction():
                    await client.get_feature_with_children(uuid.uuid4())
            # the errors stayed inside their savepoints
            found = await client.resolve_id("project", project.data.project_name)
            assert (await client.get_project(found)) == project.data
        finally:
            await aconn.rollback()
            await aconn.close()

    asyncio.run(scenario())


def test_async_client_over_a_pool(database_url: str) -> None:
    name = f"Async pooled project {tag()}"

    async def scenario() -> UUID:
        pool = AsyncConnectionPool(database_url, min_size=1, max_size=2, open=False)
        await pool.open()
        try:
            client = AsyncClient(pool)
            project = (await client.add_project(name)).data
            task_feature = await client.add_feature(
                f"Async pooled feature {tag()}", "data", project.project_id
            )
            with pytest.raises(MissingReferenceError) as caught:
                await client.add_task(
                    f"Orphan task {tag()}",
                    "A task that names no real feature",
                    "code",
                    feature_id=uuid.uuid4(),
                )
            assert_chained(caught.value, "23503")
            ready = await client.get_ready_tasks(feature_id=task_feature.data.feature_id)
            assert ready == []
            return project.project_id
        finally:
            await pool.close()

    project_id = asyncio.run(scenario())
    try:
        with psycopg.connect(database_url) as other:
            assert Client(other).resolve_id("project", name) == project_id  # committed by the pool
    finally:
        purge_project(database_url, project_id)
