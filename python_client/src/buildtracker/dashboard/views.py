"""What each dashboard page shows, read through the client: a few read calls
per page, in the request's one transaction, as the token's role.

Nothing here decides a rule of the tracker: whether a feature may complete is
the database's gate (``get_feature_completion``: every failing check as a
sentence naming the entity at fault); the checklist only matches those
sentences to the feature's components, must-have requirements, tasks and
child features, so that each line can say what passes, what blocks, and link
to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from buildtracker.client import Client
from buildtracker.dashboard.graph import Edge, Layout, Node, layout
from buildtracker.models import (
    Activity,
    BuildTask,
    Component,
    Feature,
    FeatureCompletion,
    Identity,
    Project,
    Requirement,
)

# The board's columns (cancelled tasks are left off the board).
BOARD_STATUSES = ("todo", "in_progress", "blocked", "review", "completed")
STATUS_TITLES = {
    "todo": "To do",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "review": "Review",
    "completed": "Completed",
    "cancelled": "Cancelled",
}


def status_title(status: str) -> str:
    """A status as people read it: "in_progress" is "In progress"."""
    return STATUS_TITLES.get(status) or status.replace("_", " ").capitalize()


# Rows read per column (list_tasks' maximum) and cards shown per column.
COLUMN_READ = 1000
COLUMN_SHOWN = 100
# Features read per project, and the graph's largest feature (one
# get_task_dependencies call per task).
FEATURES_READ = 1000
GRAPH_TASKS = 300
FEED_ROWS = 100


def short(value: UUID | str | None) -> str:
    """The first 8 hex characters of an id: what the CLI and the API accept as a prefix."""
    return "" if value is None else str(value).replace("-", "")[:8]


# ---------------------------------------------------------------- the completion gate


@dataclass(frozen=True)
class GateLine:
    """One line of a gate checklist: passing or blocking, with where to look."""

    ok: bool
    text: str
    href: str | None = None
    detail: str | None = None


# The gate's sentences (claude.feature_gate_failures) begin with the kind of
# entity at fault and its quoted name.
CHECK_KINDS = (
    ("component", 'component "'),
    ("requirement", 'must-have requirement "'),
    ("task", 'task "'),
    ("child", 'child feature "'),
)


def kind_of_check(check: str) -> str:
    return next((kind for kind, prefix in CHECK_KINDS if check.startswith(prefix)), "other")


def gate_summary(completion: FeatureCompletion, project_id: UUID) -> list[GateLine]:
    """The gate of one feature by kind of child, from get_feature_completion."""
    failing: dict[str, list[str]] = {}
    for check in completion.checks:
        failing.setdefault(kind_of_check(check), []).append(check)
    fid = completion.feature_id
    lines: list[GateLine] = []

    def add(kind: str, total: int, text: str, href: str) -> None:
        if total or kind in failing:
            checks = failing.get(kind, [])
            lines.append(GateLine(not checks, text, href, "; ".join(checks) or None))

    comps, tasks = completion.components, completion.tasks
    reqs, kids = completion.requirements, completion.child_features
    add(
        "component",
        comps.get("total", 0),
        f"components done: {comps.get('done', 0) + comps.get('deprecated', 0)} of {comps.get('total', 0)}",
        f"/features/{fid}#gate",
    )
    add(
        "requirement",
        reqs.get("must_have", 0),
        f"must-have requirements verified: {reqs.get('must_have_verified', 0)} of {reqs.get('must_have', 0)}",
        f"/projects/{project_id}/requirements#feature-{fid}",
    )
    add(
        "task",
        tasks.get("total", 0),
        f"tasks finished: {tasks.get('completed', 0) + tasks.get('cancelled', 0)} of {tasks.get('total', 0)}",
        f"/projects/{project_id}/board?feature={fid}",
    )
    add(
        "child",
        kids.get("total", 0),
        f"child features finished: {kids.get('finished', 0)} of {kids.get('total', 0)}",
        f"/features/{fid}#gate",
    )
    for check in failing.get("other", []):
        lines.append(GateLine(False, check))
    if not lines:
        lines.append(GateLine(completion.can_complete, "nothing to finish first"))
    return lines


@dataclass(frozen=True)
class GateItem:
    """One entity the gate looks at: passing, or blocking with the gate's sentence."""

    ok: bool
    kind: str
    name: str
    status: str
    href: str
    message: str | None = None


def gate_items(
    checks: Sequence[str],
    feature: Feature,
    components: Iterable[Component],
    requirements: Iterable[Requirement],
    tasks: Iterable[BuildTask],
    children: Iterable[Feature],
) -> tuple[list[GateItem], list[str]]:
    """Every entity the gate covers, each passing unless one of the gate's
    ``checks`` names it; and the checks that named none of them."""
    unmatched = list(checks)

    def item(kind: str, prefix: str, name: str, status: str, href: str) -> GateItem:
        lead = f'{prefix}"{name}" is {status},'
        found = next((c for c in unmatched if c.startswith(lead)), None)
        if found is not None:
            unmatched.remove(found)
        return GateItem(found is None, kind, name, status, href, found)

    project = feature.project_id
    items = [
        item("component", "component ", c.component_name, c.status, f"#component-{c.component_id}")
        for c in components
    ]
    items += [
        item(
            "requirement",
            "must-have requirement ",
            r.requirement_name,
            r.status,
            f"/projects/{project}/requirements#req-{r.requirement_id}",
        )
        for r in requirements
        if r.must_have
    ]
    items += [item("task", "task ", t.task_name, t.status, f"/tasks/{t.task_id}") for t in tasks]
    items += [
        item(
            "child feature", "child feature ", f.feature_name, f.status, f"/features/{f.feature_id}"
        )
        for f in children
    ]
    return items, unmatched


# ---------------------------------------------------------------- projects


@dataclass(frozen=True)
class FeatureRow:
    feature: Feature
    completion: FeatureCompletion
    gate: list[GateLine]
    parent_name: str | None = None


def projects_view(c: Client) -> dict[str, Any]:
    """Every project (one call): the index, each linking to its features."""
    return {"projects": c.list_projects()}


def project_view(c: Client, project_id: UUID) -> dict[str, Any]:
    """A project's features: progress, status, labels and the gate of each."""
    project = c.get_project(project_id)
    features = c.list_features(project_id=project_id, max_rows=FEATURES_READ)
    names = {f.feature_id: f.feature_name for f in features}
    rows = []
    for feature in features:
        completion = c.get_feature_completion(feature.feature_id)
        parent = names.get(feature.parent_feature_id) if feature.parent_feature_id else None
        rows.append(FeatureRow(feature, completion, gate_summary(completion, project_id), parent))
    return {"project": project, "features": rows, "more": len(features) == FEATURES_READ}


def feature_view(c: Client, feature_id: UUID) -> dict[str, Any]:
    """One feature: its progress, children, and its gate as a checklist of entities."""
    completion = c.get_feature_completion(feature_id)
    whole = c.get_feature_with_children(feature_id)
    feature = whole.feature
    project = c.get_project(feature.project_id)
    siblings = c.list_features(project_id=feature.project_id, max_rows=FEATURES_READ)
    children = [f for f in siblings if f.parent_feature_id == feature.feature_id]
    parent = next((f for f in siblings if f.feature_id == feature.parent_feature_id), None)
    items, other = gate_items(
        completion.checks,
        feature,
        whole.components,
        whole.requirements,
        whole.tasks,
        children,
    )
    return {
        "project": project,
        "feature": feature,
        "parent": parent,
        "completion": completion,
        "components": whole.components,
        "requirements": whole.requirements,
        "tasks": whole.tasks,
        "children": children,
        "gate": items,
        "other_checks": other,
    }


# ---------------------------------------------------------------- tasks


def lease_left(task: BuildTask, now: datetime) -> str | None:
    """What is left of an in-progress task's lease: "12 min left", "expired"."""
    if task.status != "in_progress" or task.lease_expires_at is None:
        return None
    seconds = int((task.lease_expires_at - now).total_seconds())
    if seconds <= 0:
        return "lease expired"
    if seconds < 60:
        return f"{seconds} s left"
    if seconds < 3600:
        return f"{seconds // 60} min left"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min left"


def task_view(c: Client, task_id: UUID) -> dict[str, Any]:
    task = c.get_task(task_id)
    dependencies = c.get_task_dependencies(task_id)
    feature = c.get_feature(task.feature_id)
    project = c.get_project(feature.project_id)
    assignee = (
        c.get_identity(task.assigned_to_identity_id) if task.assigned_to_identity_id else None
    )
    return {
        "task": task,
        "dependencies": dependencies,
        "feature": feature,
        "project": project,
        "assignee": assignee,
        "lease": lease_left(task, datetime.now(UTC)),
    }


@dataclass(frozen=True)
class Card:
    task: BuildTask
    assignee: str | None
    feature: str | None
    lease: str | None


@dataclass(frozen=True)
class Column:
    status: str
    title: str
    cards: list[Card]
    total: int
    more: bool = False  # the column had more tasks than could be read

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


@dataclass(frozen=True)
class BoardFilters:
    label: str | None = None
    assignee: UUID | None = None
    feature: UUID | None = None

    def query(self) -> str:
        """The filters as a query string (the board fragment's URL)."""
        given = (("label", self.label), ("assignee", self.assignee), ("feature", self.feature))
        return urlencode([(key, str(value)) for key, value in given if value])


@dataclass
class Board:
    project: Project
    columns: list[Column]
    identities: list[Identity]
    features: list[Feature]
    labels: list[str]
    filters: BoardFilters


def board_order(status: str, tasks: list[BuildTask]) -> list[BuildTask]:
    """Open columns by priority (1 first) then age; completed ones newest first."""
    if status == "completed":
        return sorted(
            tasks, key=lambda t: (t.completed_at or t.updated_at, t.task_id), reverse=True
        )
    return sorted(tasks, key=lambda t: (t.priority, t.created_at, t.task_id))


def board_view(c: Client, project_id: UUID, filters: BoardFilters) -> Board:
    """The task board of a project: one list_tasks call per column."""
    project = c.get_project(project_id)
    identities = c.list_identities()
    features = c.list_features(project_id=project_id, max_rows=FEATURES_READ)
    names = {i.identity_id: i.identity_name for i in identities}
    feature_names = {f.feature_id: f.feature_name for f in features}
    now = datetime.now(UTC)
    labels: set[str] = set()
    columns: list[Column] = []
    for status in BOARD_STATUSES:
        tasks = c.list_tasks(
            feature_id=filters.feature,
            status=status,
            assigned_to_identity_id=filters.assignee,
            project_id=None if filters.feature else project_id,
            max_rows=COLUMN_READ,
        )
        for task in tasks:
            labels.update(task.labels)
        if filters.label:
            tasks = [t for t in tasks if filters.label in t.labels]
        ordered = board_order(status, tasks)
        cards = [
            Card(
                t,
                names.get(t.assigned_to_identity_id) if t.assigned_to_identity_id else None,
                feature_names.get(t.feature_id),
                lease_left(t, now),
            )
            for t in ordered[:COLUMN_SHOWN]
        ]
        columns.append(
            Column(status, STATUS_TITLES[status], cards, len(ordered), len(tasks) == COLUMN_READ)
        )
    return Board(project, columns, identities, features, sorted(labels), filters)


def graph_view(c: Client, feature_id: UUID) -> dict[str, Any]:
    """A feature's tasks and their dependencies, laid out for SVG. Tasks of
    other features that a task depends on (or that depend on one) are drawn too."""
    feature = c.get_feature(feature_id)
    project = c.get_project(feature.project_id)
    tasks = c.list_tasks(feature_id=feature_id, max_rows=COLUMN_READ)
    nodes = [
        Node(str(t.task_id), t.task_name, t.status, f"/tasks/{t.task_id}", short(t.task_id))
        for t in tasks
    ]
    known = {n.key for n in nodes}
    outside: dict[str, Node] = {}
    edges: list[Edge] = []
    for task in tasks[:GRAPH_TASKS]:
        links = c.get_task_dependencies(task.task_id)
        for link in links.depends_on:
            edges.append(Edge(str(link.task_id), str(task.task_id), link.kind))
            if str(link.task_id) not in known:
                outside[str(link.task_id)] = Node(
                    str(link.task_id),
                    link.task_name,
                    link.status,
                    f"/tasks/{link.task_id}",
                    short(link.task_id),
                )
        for link in links.dependents:
            if str(link.task_id) not in known:
                edges.append(Edge(str(task.task_id), str(link.task_id), link.kind))
                outside[str(link.task_id)] = Node(
                    str(link.task_id),
                    link.task_name,
                    link.status,
                    f"/tasks/{link.task_id}",
                    short(link.task_id),
                )
    drawn: Layout = layout(nodes + list(outside.values()), edges)
    return {
        "project": project,
        "feature": feature,
        "graph": drawn,
        "outside": set(outside),
        "truncated": len(tasks) > GRAPH_TASKS,
        "task_count": len(tasks),
        "edge_count": len(drawn.edges),
    }


# ---------------------------------------------------------------- requirements


@dataclass(frozen=True)
class FeatureRequirements:
    feature: Feature
    requirements: list[Requirement]

    @property
    def must_haves(self) -> list[Requirement]:
        return [r for r in self.requirements if r.must_have]

    @property
    def verified_must_haves(self) -> int:
        return sum(1 for r in self.must_haves if r.status == "verified")


def requirements_view(c: Client, project_id: UUID) -> dict[str, Any]:
    """A project's requirements by feature (must-haves first), with verification."""
    project = c.get_project(project_id)
    groups = []
    for feature in c.list_features(project_id=project_id, max_rows=FEATURES_READ):
        found = c.list_requirements(feature_id=feature.feature_id, max_rows=1000)
        if found:
            found.sort(key=lambda r: (not r.must_have, r.priority, r.created_at))
            groups.append(FeatureRequirements(feature, found))
    must = sum(len(g.must_haves) for g in groups)
    verified = sum(g.verified_must_haves for g in groups)
    return {"project": project, "groups": groups, "must_total": must, "must_verified": verified}


# ---------------------------------------------------------------- activity


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None
    new: str | None


def changes_of(row: Activity) -> list[Change]:
    """The changed fields of a feed row: ``{"field": {"old", "new"}}`` pairs,
    other values shown as they are."""
    found: list[Change] = []
    for key, value in (row.changes or {}).items():
        if isinstance(value, dict) and ("old" in value or "new" in value):
            found.append(Change(key, display(value.get("old")), display(value.get("new"))))
        else:
            found.append(Change(key, None, display(value)))
    return found


UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_TEXT = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d:\d\d|Z)?$")


def display(value: Any) -> str | None:
    """A changed value as shown: ids as their 8-character prefix, times to the second."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(display(v) or "" for v in value)
    text = str(value)
    if UUID_TEXT.match(text):
        return short(text)
    found = TIME_TEXT.match(text)
    if found:
        return f"{found.group(1)} {found.group(2)}"
    return text


def source_href(row: Activity) -> str | None:
    """The dashboard page of a feed row's entity, when it has one."""
    if row.source_id is None:
        return None
    match row.source_type:
        case "build_task":
            return f"/tasks/{row.source_id}"
        case "feature":
            return f"/features/{row.source_id}"
        case "project":
            return f"/projects/{row.source_id}"
        case _:
            return None


def feed_view(c: Client, project: str | None) -> dict[str, Any]:
    """The newest final rows of the feed, newest first, and the cursor the
    live stream goes on from (the last row in the feed's chain order)."""
    rows = c.get_activity_after(None, FEED_ROWS)
    cursor = rows[-1].id if rows else None
    shown = [r for r in reversed(rows) if project is None or r.project_name == project]
    return {"rows": shown, "cursor": cursor, "project_name": project}


def feed_cursor(c: Client) -> UUID | None:
    """Where a live stream starts: the last final row of the feed."""
    rows = c.get_activity_after(None, 1)
    return rows[-1].id if rows else None
