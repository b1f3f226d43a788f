"""Importing a beads ``.beads/issues.jsonl`` into a project (SPEC section 10).

beads (https://github.com/steveyegge/beads, the ``bd`` command) keeps one JSON
object per issue and line: ``id``, ``title``, ``description``, ``design``,
``acceptance_criteria``, ``notes``, ``status`` (open, in_progress, blocked,
deferred, closed, tombstone), ``priority`` (0-4, 0 highest), ``issue_type``
(bug, feature, task, epic, chore), ``assignee``, ``estimated_minutes``,
``labels``, ``dependencies`` (``{issue_id, depends_on_id, type}``, type blocks,
related, parent-child or discovered-from, recorded on the dependent issue),
``comments`` (``{author, text, created_at}``), ``created_at``, ``closed_at``,
``close_reason``.

:func:`import_beads` maps them with the public client methods only, so every
rule of the workflow applies, in one transaction (the caller's, as a
savepoint, when one is open): each line is tried in a savepoint of its own,
so every refused line is found; when any line was refused, everything is
rolled back and the refusals are raised together (:class:`BeadsImportError`,
one item per failed check, field "line N"). The mapping is described in
docs/decisions.md ("Importing from beads").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from buildtracker.errors import BuildTrackerError, ErrorItem, ValidationError
from buildtracker.paging import every_row

if TYPE_CHECKING:
    import psycopg

    from buildtracker.client import Client
    from buildtracker.models import Project

T = TypeVar("T")

# beads priority 0 (highest) .. 4 -> buildtracker 1 (highest) .. 10
PRIORITY = {0: 1, 1: 3, 2: 5, 3: 7, 4: 9}
TASK_TYPE = {"bug": "bug_fix", "feature": "code", "task": "code", "chore": "code"}
ISSUE_TYPES = frozenset({*TASK_TYPE, "epic"})
# deferred work is work not started: todo
STATUSES = frozenset({"open", "deferred", "in_progress", "blocked", "closed"})
DELETED = "tombstone"
DEPENDENCY_KIND = {"blocks": "blocks", "related": "related", "discovered-from": "discovered_from"}
PARENT_CHILD = "parent-child"
DEPENDENCY_TYPES = frozenset({*DEPENDENCY_KIND, PARENT_CHILD})

DEFAULT_FEATURE = "Imported from beads"
DEFAULT_FEATURE_DESCRIPTION = "Issues imported from beads that belong to no epic"
# who starts and completes an issue beads has no assignee for
DEFAULT_IDENTITY = "beads"
# beads has no hours; complete_task needs actual_hours > 0 (docs/decisions.md)
UNKNOWN_HOURS = 0.01
MIN_DESCRIPTION = 10  # SPEC section 3: a task description has at least 10 characters
COMMENT_LIMIT = 10000  # claude.add_comment: a body of 1-10000 characters


@dataclass(frozen=True)
class Skipped:
    """A line or dependency left out on purpose (not a refusal)."""

    line: int
    beads_id: str | None
    reason: str


@dataclass
class BeadsReport:
    """What an import did."""

    project_id: UUID
    project_name: str
    project_created: bool
    lines: int = 0
    features: int = 0
    tasks: int = 0
    dependencies: int = 0
    comments: int = 0
    identities_created: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    # beads id -> the task (or, for epics, feature) it became
    tasks_by_beads_id: dict[str, UUID] = field(default_factory=dict)
    features_by_beads_id: dict[str, UUID] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "project_id": str(self.project_id),
            "project_name": self.project_name,
            "project_created": self.project_created,
            "lines": self.lines,
            "features": self.features,
            "tasks": self.tasks,
            "dependencies": self.dependencies,
            "comments": self.comments,
            "identities_created": self.identities_created,
            "statuses": self.statuses,
            "skipped": [
                {"line": s.line, "beads_id": s.beads_id, "reason": s.reason} for s in self.skipped
            ],
            "tasks_by_beads_id": {k: str(v) for k, v in self.tasks_by_beads_id.items()},
            "features_by_beads_id": {k: str(v) for k, v in self.features_by_beads_id.items()},
        }


class BeadsImportError(ValidationError):
    """Lines of the beads file were refused; nothing was imported."""


@dataclass(frozen=True)
class Issue:
    """One beads line, checked for shape."""

    line: int
    id: str
    title: str
    status: str
    issue_type: str
    priority: int
    description: str
    design: str
    acceptance_criteria: str
    notes: str
    assignee: str | None
    estimated_minutes: int | None
    labels: tuple[str, ...]
    # (depends_on_id, type) as beads records them on this issue
    dependencies: tuple[tuple[str, str], ...]
    comments: tuple[dict[str, Any], ...]
    closed_at: str | None
    close_reason: str

    @property
    def parent(self) -> str | None:
        return next((on for on, kind in self.dependencies if kind == PARENT_CHILD), None)

    @property
    def is_epic(self) -> bool:
        return self.issue_type == "epic"


def _text(raw: dict[str, Any], key: str, problems: list[str], *, required: bool = False) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            problems.append(f'"{key}" is required')
        return ""
    if not isinstance(value, str):
        problems.append(f'"{key}" must be a string')
        return ""
    return value


def parse_issue(line: int, raw: Any) -> tuple[Issue | None, list[str]]:
    """The issue of one line, or what is wrong with its shape (the database checks the rest)."""
    if not isinstance(raw, dict):
        return None, ["a beads line is a JSON object"]
    problems: list[str] = []
    issue_id = _text(raw, "id", problems, required=True).strip()
    if not issue_id and not problems:
        problems.append('"id" must not be blank')
    title = _text(raw, "title", problems, required=True)
    status = _text(raw, "status", problems) or "open"  # beads' defaults for omitted fields
    if status not in STATUSES and status != DELETED:
        problems.append(
            f'status "{status}" has no counterpart; supported: {", ".join(sorted(STATUSES))}'
        )
    issue_type = _text(raw, "issue_type", problems) or "task"
    if issue_type not in ISSUE_TYPES:
        problems.append(
            f'issue_type "{issue_type}" has no counterpart;'
            f" supported: {', '.join(sorted(ISSUE_TYPES))}"
        )
    # beads writes priority always; when it is missing, beads itself reads 0 (P0)
    priority = raw.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int) or priority not in PRIORITY:
        problems.append(f"priority must be an integer 0-4, not {json.dumps(priority)}")
        priority = 2
    assignee = _text(raw, "assignee", problems).strip() or None
    minutes = raw.get("estimated_minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)):
        problems.append("estimated_minutes must be an integer")
        minutes = None
    labels = raw.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        problems.append("labels must be a list of strings")
        labels = []
    dependencies: list[tuple[str, str]] = []
    raw_dependencies = raw.get("dependencies") or []
    if not isinstance(raw_dependencies, list):
        problems.append("dependencies must be a list")
        raw_dependencies = []
    for dependency in raw_dependencies:
        if not isinstance(dependency, dict):
            problems.append("each dependency is an object")
            continue
        on, kind = dependency.get("depends_on_id"), dependency.get("type") or "blocks"
        if not isinstance(on, str) or not on.strip():
            problems.append("a dependency needs depends_on_id")
            continue
        if dependency.get("issue_id") not in (None, issue_id):
            problems.append(f"a dependency of {issue_id} names issue_id {dependency['issue_id']}")
            continue
        if kind not in DEPENDENCY_TYPES:
            problems.append(
                f'dependency type "{kind}" has no counterpart;'
                f" supported: {', '.join(sorted(DEPENDENCY_TYPES))}"
            )
            continue
        dependencies.append((on.strip(), str(kind)))
    if sum(kind == PARENT_CHILD for _, kind in dependencies) > 1:
        problems.append("an issue has at most one parent (parent-child)")
    comments = raw.get("comments") or []
    if not isinstance(comments, list) or not all(
        isinstance(c, dict) and isinstance(c.get("text"), str) for c in comments
    ):
        problems.append("comments must be a list of objects with a text")
        comments = []
    closed_at = raw.get("closed_at")
    texts = {
        key: _text(raw, key, problems)
        for key in ("description", "design", "acceptance_criteria", "notes", "close_reason")
    }
    if problems:
        return None, problems
    return (
        Issue(
            line=line,
            id=issue_id,
            title=title,
            status=status,
            issue_type=issue_type,
            priority=priority,
            description=texts["description"],
            design=texts["design"],
            acceptance_criteria=texts["acceptance_criteria"],
            notes=texts["notes"],
            assignee=assignee,
            estimated_minutes=minutes,
            labels=tuple(labels),
            dependencies=tuple(dependencies),
            comments=tuple(comments),
            closed_at=closed_at if isinstance(closed_at, str) else None,
            close_reason=texts["close_reason"],
        ),
        [],
    )


def _chunks(text: str, size: int = COMMENT_LIMIT) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def comment_bodies(issue: Issue) -> list[str]:
    """What add_task has no place for, as comments: design, acceptance criteria and
    notes, one comment each (split when longer than a comment may be)."""
    bodies: list[str] = []
    for heading, text in (
        ("Design", issue.design),
        ("Acceptance criteria", issue.acceptance_criteria),
        ("Notes", issue.notes),
    ):
        if not text.strip():
            continue
        parts = _chunks(text, COMMENT_LIMIT - 100)
        for n, part in enumerate(parts, start=1):
            suffix = f" (part {n} of {len(parts)})" if len(parts) > 1 else ""
            bodies.append(f"{heading} (from beads {issue.id}){suffix}:\n{part}")
    return bodies


def task_description(issue: Issue) -> str:
    """The beads description; one too short for a task (10 characters) says where it came from."""
    description = issue.description.strip()
    if len(description) >= MIN_DESCRIPTION:
        return issue.description
    return f"Imported from beads issue {issue.id}." + (f" {description}" if description else "")


class _Importer:
    def __init__(self, client: Client, conn: psycopg.Connection[Any], actor: str | None) -> None:
        self.client = client
        self.conn = conn
        self.actor = actor
        self.project_id: UUID | None = None
        self.refusals: list[ErrorItem] = []
        self.refused_ids: set[str] = set()

    # ------------------------------------------------------------ refusals

    def refuse(self, line: int, beads_id: str | None, message: str, code: str = "23514") -> None:
        prefix = f"{beads_id}: " if beads_id else ""
        self.refusals.append(ErrorItem(f"line {line}", prefix + message, code))
        if beads_id:
            self.refused_ids.add(beads_id)

    def attempt(self, issue: Issue, action: Callable[[], T]) -> T | None:
        """``action`` in a savepoint; a refusal is recorded for the issue's line."""
        try:
            with self.conn.transaction():
                return action()
        except BuildTrackerError as exc:
            checks = [e for e in exc.errors if e.message] or [
                ErrorItem(None, exc.message, exc.sqlstate)
            ]
            for check in checks:
                # the database's messages name their field
                self.refuse(
                    issue.line, issue.id, check.message, check.code or exc.sqlstate or "23514"
                )
            return None


def _existing_beads_ids(client: Client, project_id: UUID) -> dict[str, str]:
    """beads ids already imported into the project (their beads:<id> labels)."""
    found: dict[str, str] = {}
    labelled: list[tuple[str, tuple[str, ...]]] = [
        (f"feature {f.feature_id}", f.labels)
        for f in every_row(
            lambda after, after_id, rows: client.list_features(
                project_id=project_id, after=after, after_id=after_id, max_rows=rows
            ),
            lambda f: f.feature_id,
        )
    ]
    labelled += [
        (f"task {t.task_id}", t.labels)
        for t in every_row(
            lambda after, after_id, rows: client.list_tasks(
                project_id=project_id, after=after, after_id=after_id, max_rows=rows
            ),
            lambda t: t.task_id,
        )
    ]
    for entity, labels in labelled:
        for label in labels:
            if label.startswith("beads:"):
                found[label.removeprefix("beads:")] = entity
    return found


def import_beads(
    client: Client,
    lines: Iterable[str],
    project_name: str,
    *,
    actor: str | None = None,
) -> BeadsReport:
    """Map the lines of a beads issues.jsonl into the project (created when missing).

    ``client`` must run on one psycopg connection (not a pool): the import is
    one transaction on it (a savepoint of the caller's transaction when one is
    open). Raises :class:`BeadsImportError` naming every refused line, after
    rolling everything back; a line that is not JSON is refused before
    anything is written.
    """
    import psycopg

    conn = client.source
    if not isinstance(conn, psycopg.Connection):
        raise TypeError("import_beads needs a client on one connection, not a pool")
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    bad_json: list[ErrorItem] = []
    raws: list[tuple[int, Any]] = []
    for number, line in numbered:
        try:
            raws.append((number, json.loads(line)))
        except ValueError as exc:
            bad_json.append(ErrorItem(f"line {number}", f"not valid JSON: {exc}", "22P02"))
    if bad_json:
        raise BeadsImportError(
            f"cannot import from beads: {len(bad_json)} line(s) are not valid JSON",
            sqlstate="22P02",
            errors=tuple(bad_json),
            hint="Nothing was imported; fix the lines named and import the file again.",
        )
    importer = _Importer(client, conn, actor)
    # the first call opens the caller's transaction on a connection that is not in
    # autocommit, so the block below is a savepoint of it, not a transaction that commits
    projects = {p.project_name: p for p in client.list_projects()}
    with conn.transaction():
        report = _import(importer, raws, project_name, projects)
        if importer.refusals:
            raise BeadsImportError(
                f"cannot import from beads: {len({e.field for e in importer.refusals})}"
                f" of {len(raws)} lines refused",
                sqlstate="23514",
                errors=tuple(sorted(importer.refusals, key=lambda e: int(str(e.field)[5:]))),
                hint="Nothing was imported; fix the lines named and import the file again.",
            )
    return report


def _import(
    importer: _Importer,
    raws: Sequence[tuple[int, Any]],
    project_name: str,
    existing: dict[str, Project],
) -> BeadsReport:
    client, actor = importer.client, importer.actor
    # ------------------------------------------------ shapes, and what is left out
    issues: dict[str, Issue] = {}
    deleted: set[str] = set()
    skipped: list[Skipped] = []
    for number, raw in raws:
        issue, problems = parse_issue(number, raw)
        beads_id = (
            raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        )
        for shape in problems:
            importer.refuse(number, beads_id, shape, "22023")
        if issue is None:
            continue
        if issue.id in issues or issue.id in deleted:
            importer.refuse(
                number,
                issue.id,
                f"the id is also on line {issues[issue.id].line}"
                if issue.id in issues
                else "the id is also a deleted issue",
            )
            continue
        if issue.status == DELETED:
            deleted.add(issue.id)
            skipped.append(Skipped(number, issue.id, "deleted in beads (tombstone)"))
            continue
        issues[issue.id] = issue

    # ------------------------------------------------ the project
    if project_name in existing:
        project = existing[project_name]
        created = False
        already = _existing_beads_ids(client, project.project_id)
        for issue in list(issues.values()):
            if issue.id in already:
                importer.refuse(
                    issue.line,
                    issue.id,
                    f"already imported into project {project_name} ({already[issue.id]})",
                    "23505",
                )
                del issues[issue.id]
    else:
        project = client.add_project(project_name, actor=actor).data
        created = True
    importer.project_id = project.project_id
    report = BeadsReport(project.project_id, project.project_name, created, lines=len(raws))
    report.skipped = skipped

    # ------------------------------------------------ identities: assignees, and
    # DEFAULT_IDENTITY for the issues beads started or closed without one
    identities = {i.identity_name: i.identity_id for i in client.list_identities()}
    users: dict[str, list[Issue]] = {}
    for issue in issues.values():
        if issue.is_epic:
            continue
        if issue.assignee or issue.status in ("in_progress", "blocked", "closed"):
            users.setdefault(issue.assignee or DEFAULT_IDENTITY, []).append(issue)
    for name, users_of in users.items():
        if name in identities:
            continue
        new_id = importer.attempt(users_of[0], partial(_add_identity, importer, name))
        if new_id is None:
            for other in users_of[1:]:
                importer.refuse(
                    other.line, other.id, f'identity "{name}" was refused (line {users_of[0].line})'
                )
            continue
        identities[name] = new_id
        report.identities_created.append(name)

    def identity_for(issue: Issue) -> UUID:
        return identities[issue.assignee or DEFAULT_IDENTITY]

    # ------------------------------------------------ where each issue goes
    def feature_owner(issue: Issue) -> tuple[str | None, str | None]:
        """(the epic whose feature holds the issue, or None for the default
        feature; a refusal when the parent chain is broken)."""
        seen = {issue.id}
        current = issue
        while True:
            parent = current.parent
            if parent is None or parent in deleted:
                return None, None
            if parent in seen:
                return None, f"the parent-child chain of {issue.id} is a cycle"
            if parent not in issues:
                return None, f"parent {parent} is not in the file"
            seen.add(parent)
            current = issues[parent]
            if current.is_epic:
                return current.id, None

    # ------------------------------------------------ epics -> features (parents first)
    features: dict[str, UUID] = {}
    epics = [i for i in issues.values() if i.is_epic]
    pending = list(epics)
    while pending:
        progressed = False
        for epic in list(pending):
            owner, broken = feature_owner(epic)
            if broken is not None:
                importer.refuse(epic.line, epic.id, broken)
                pending.remove(epic)
                progressed = True
                continue
            if owner is not None and owner not in features:
                if owner in importer.refused_ids:
                    importer.refuse(epic.line, epic.id, f"its parent epic {owner} was refused")
                    pending.remove(epic)
                    progressed = True
                continue  # the parent epic first
            pending.remove(epic)
            progressed = True
            parent_feature = features.get(owner) if owner else None
            feature_id = importer.attempt(epic, partial(_add_epic, importer, epic, parent_feature))
            if feature_id is not None:
                features[epic.id] = feature_id
                report.features += 1
                report.comments += len(comment_bodies(epic)) + len(epic.comments)
        if not progressed:
            for epic in pending:
                importer.refuse(epic.line, epic.id, "its parent epics form a cycle")
            break
    report.features_by_beads_id = dict(features)

    default_feature: list[UUID] = []

    def feature_for(owner: str | None) -> UUID:
        if owner is not None:
            return features[owner]
        if not default_feature:
            default_feature.append(_default_feature(importer, project.project_id))
            report.features += 1
        return default_feature[0]

    # ------------------------------------------------ issues -> tasks
    tasks: dict[str, UUID] = {}
    for issue in issues.values():
        if issue.is_epic:
            continue
        owner, broken = feature_owner(issue)
        if broken is not None:
            importer.refuse(issue.line, issue.id, broken)
            continue
        if owner is not None and owner not in features:
            importer.refuse(issue.line, issue.id, f"its epic {owner} was refused")
            continue
        if issue.id in importer.refused_ids:
            continue  # its identity was refused
        feature_id = feature_for(owner)
        task_id = importer.attempt(
            issue,
            partial(_add_task, importer, issue, feature_id, identity_for),
        )
        if task_id is not None:
            tasks[issue.id] = task_id
            report.tasks += 1
            report.comments += len(comment_bodies(issue)) + len(issue.comments)
    report.tasks_by_beads_id = dict(tasks)

    # ------------------------------------------------ statuses, through the workflow
    # before the dependencies: beads lets an issue close while a blocker is
    # open, and start_task would refuse that
    for issue in issues.values():
        if issue.id not in tasks:
            continue
        task_id = tasks[issue.id]
        if issue.status in ("in_progress", "blocked", "closed"):
            done = importer.attempt(
                issue,
                partial(_drive, importer, issue, task_id, identity_for(issue), issues),
            )
            if done is None:
                continue
        report.statuses[issue.status] = report.statuses.get(issue.status, 0) + 1

    # ------------------------------------------------ dependencies
    for issue in issues.values():
        if issue.id not in tasks:
            continue
        edges: list[tuple[UUID, str]] = []
        for on, kind in issue.dependencies:
            if kind == PARENT_CHILD:
                continue
            if on in deleted:
                skipped.append(Skipped(issue.line, issue.id, f"{kind} {on}: deleted in beads"))
            elif on in features:
                skipped.append(
                    Skipped(issue.line, issue.id, f"{kind} {on}: an epic, imported as a feature")
                )
            elif on in tasks:
                edges.append((tasks[on], DEPENDENCY_KIND[kind]))
            elif on not in issues:
                importer.refuse(issue.line, issue.id, f"depends on {on}, which is not in the file")
            # else: the other issue was refused, and is reported on its own line
        if issue.is_epic or not edges:
            continue
        added = importer.attempt(
            issue,
            partial(_add_dependencies, importer, tasks[issue.id], edges),
        )
        if added is not None:
            report.dependencies += added
    return report


def _add_identity(importer: _Importer, name: str) -> UUID:
    return importer.client.add_identity(name, actor=importer.actor).data.identity_id


def _add_dependencies(importer: _Importer, task_id: UUID, edges: list[tuple[UUID, str]]) -> int:
    for on_id, kind in edges:
        importer.client.add_dependency(task_id, on_id, kind, actor=importer.actor)
    return len(edges)


def _labels(issue: Issue) -> list[str]:
    return [*issue.labels, f"beads:{issue.id}"]


def _comment(importer: _Importer, entity_type: str, entity_id: UUID, issue: Issue) -> None:
    client, actor = importer.client, importer.actor
    for body in comment_bodies(issue):
        client.add_comment(entity_type, entity_id, body, actor=actor)
    for comment in issue.comments:
        author = comment.get("author")
        when = comment.get("created_at")
        body = str(comment["text"])
        if when:
            body = f"{body}\n\n(beads comment of {when})"
        client.add_comment(
            entity_type,
            entity_id,
            body,
            actor=author if isinstance(author, str) and author.strip() else actor,
        )


def _add_epic(importer: _Importer, epic: Issue, parent_feature_id: UUID | None) -> UUID:
    project_id = importer.project_id
    assert project_id is not None
    feature = importer.client.add_feature(
        epic.title,
        "feature",
        project_id,
        description=epic.description or None,
        priority=PRIORITY[epic.priority],
        parent_feature_id=parent_feature_id,
        actor=importer.actor,
        labels=_labels(epic),
    ).data
    _comment(importer, "feature", feature.feature_id, epic)
    return feature.feature_id


def _default_feature(importer: _Importer, project_id: UUID) -> UUID:
    """The project's feature for issues of no epic: one left by an earlier import
    (not completed or cancelled), else a new one."""
    client = importer.client
    for feature in every_row(
        lambda after, after_id, rows: client.list_features(
            project_id=project_id, after=after, after_id=after_id, max_rows=rows
        ),
        lambda f: f.feature_id,
    ):
        if feature.feature_name == DEFAULT_FEATURE and feature.status not in (
            "completed",
            "cancelled",
        ):
            return feature.feature_id
    return client.add_feature(
        DEFAULT_FEATURE,
        "feature",
        project_id,
        description=DEFAULT_FEATURE_DESCRIPTION,
        actor=importer.actor,
    ).data.feature_id


def _add_task(
    importer: _Importer,
    issue: Issue,
    feature_id: UUID,
    identity_for: Callable[[Issue], UUID],
) -> UUID:
    client = importer.client
    hours = (
        issue.estimated_minutes / 60
        if issue.estimated_minutes is not None and issue.estimated_minutes > 0
        else None
    )
    task = client.add_task(
        issue.title,
        task_description(issue),
        TASK_TYPE[issue.issue_type],
        feature_id=feature_id,
        priority=PRIORITY[issue.priority],
        estimated_hours=hours,
        assigned_to_identity_id=identity_for(issue) if issue.assignee else None,
        actor=importer.actor,
        labels=_labels(issue),
    ).data
    _comment(importer, "build_task", task.task_id, issue)
    return task.task_id


def _drive(
    importer: _Importer,
    issue: Issue,
    task_id: UUID,
    identity_id: UUID,
    issues: dict[str, Issue],
) -> str:
    """in_progress: start; blocked: start, then block with a reason; closed: start,
    then complete (hours unknown)."""
    client, actor = importer.client, importer.actor
    client.start_task(task_id, identity_id, actor=actor)
    if issue.status == "blocked":
        waiting = [
            on
            for on, kind in issue.dependencies
            if kind == "blocks" and on in issues and issues[on].status != "closed"
        ]
        reason = "Blocked in beads" + (f", waiting on {', '.join(waiting)}" if waiting else "")
        client.block_task(task_id, reason, actor=actor)
    elif issue.status == "closed":
        notes = [
            f"Closed in beads{f' at {issue.closed_at}' if issue.closed_at else ''};"
            f" hours were unknown in beads, {UNKNOWN_HOURS} recorded."
        ]
        if issue.close_reason.strip():
            notes.append(f"Reason: {issue.close_reason.strip()}")
        client.complete_task(task_id, UNKNOWN_HOURS, " ".join(notes), actor=actor)
    return issue.status
