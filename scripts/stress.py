#!/usr/bin/env python3
"""Reliability harness: many concurrent clients, deliberate bad calls, killed sessions, a restart.

    python scripts/stress.py --database-url URL --seconds N --workers W [--faults]
                             [--pg-ctl-restart CMD] [--seed S] [--mixed-timezones]

W worker threads, each on its own autocommit psycopg connection (application_name
``bt-stress``) and the buildtracker :class:`~buildtracker.Client`, spend N seconds
calling the SQL interface over a small shared world they grow as they go: projects,
identities, features, components, tasks (with labels) and requirements. They mix
valid calls, every kind of status transition (allowed and not), claims, dependency and
parent links (including ones that would close a cycle), updates with bad values,
component moves and feature deletes. Agents work as SPEC section 10 describes: claims
with labels and leases (mostly 1-3 s, so leases run out and other claims take the
tasks over, "reclaimed"), heartbeats by the holder (and by an identity that holds
nothing: always refused), releases, typed dependency edges (blocks, related,
discovered_from; blocks edges back along a chain, which close a cycle) added and
removed, and comments (valid and invalid). See docs/RELIABILITY.md.

Every call ends in one of four ways:

* acknowledged: the call returned; what it wrote must survive;
* refused: a :class:`~buildtracker.BuildTrackerError` subclass (the database said no);
* unknown: the connection died under the call, so it may or may not have committed;
  the call is left out of the lost-write check and the worker reconnects with backoff;
* failed: anything else (an unmapped database error, a Python error, a call that
  must be refused but was acknowledged, or a refusal of the wrong kind).

With ``--faults`` a chaos thread terminates a random worker backend every 1-2 s
and, given ``--pg-ctl-restart``, runs that command once half-way through (a server
restart).

Afterwards the harness reconnects and checks:

* ``claude.check_invariants()`` reports nothing new (violations already present
  before the run are listed apart, as left by earlier writers);
* every acknowledged entity still exists, unless a feature it may belong to was
  deleted; an entity all of whose features were deleted with an acknowledgement
  is gone (cascade); no acknowledged-deleted feature exists;
* every acknowledged terminal status is still stored, and no entity was
  acknowledged in two different terminal statuses;
* the activity feed holds the creation of every acknowledged entity, a row for
  every acknowledged terminal status and for every acknowledged feature delete;
* no task was acknowledged as started (or freshly claimed) more often than once plus
  its releases (a claim taking over an expired lease is no start); the feed holds a
  row for every acknowledged start, release and take-over from another identity;
* every dependency edge whose acknowledged add_dependency no call that may have
  dropped it (remove_dependency, a blocked_by_task_id change of its task) overlapped
  or followed still exists, with the added kind when nothing may have retyped it; no
  acknowledged blocks edge closed a cycle of edges that stood throughout the call;
  every acknowledged add and remove has its feed row;
* every acknowledged comment is stored as written, with its 'commented' feed row;
  no refused comment exists;
* no create or rename the database refused left a row with its name.

It prints what it tried and what held, and exits 0 only when there was no
failure, violation or lost write.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, TypeVar
from uuid import UUID

import psycopg
from buildtracker import (
    BuildTask,
    BuildTrackerError,
    Client,
    Comment,
    Component,
    ComponentType,
    Feature,
    FeatureType,
    Identity,
    InvalidTransitionError,
    MissingReferenceError,
    NotFoundError,
    Project,
    Requirement,
    RequirementType,
    Result,
    RetryableConflictError,
    TaskDependency,
    TaskType,
    ValidationError,
)

T = TypeVar("T")
Conn = psycopg.Connection[tuple[Any, ...]]
Kind = Literal["feature", "component", "build_task", "requirement"]
Mode = Literal["valid", "random", "invalid"]
Refusal = type[BuildTrackerError]

APPLICATION_NAME = "bt-stress"
CHAOS_APPLICATION_NAME = "bt-stress-chaos"
STATEMENT_TIMEOUT_MS = 30_000
RECENT = 40  # workers pick among the most recent entities of each kind: a small, contended world
MAX_PROJECTS = 3
MAX_IDENTITIES = 6
# session time zones for --mixed-timezones (clients all over the world)
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham")

TERMINAL: dict[Kind, frozenset[str]] = {
    "feature": frozenset({"completed", "cancelled"}),
    "component": frozenset({"deprecated"}),
    "build_task": frozenset({"completed", "cancelled"}),
    "requirement": frozenset({"verified", "rejected"}),
}
TABLES: dict[Kind, tuple[str, str]] = {
    "feature": ("claude.features", "feature_id"),
    "component": ("claude.components", "component_id"),
    "build_task": ("claude.build_tasks", "task_id"),
    "requirement": ("claude.requirements", "requirement_id"),
}
NAME_COLUMNS: dict[str, tuple[str, str]] = {
    "project": ("claude.projects", "project_name"),
    "identity": ("claude.identities", "identity_name"),
    "feature": ("claude.features", "feature_name"),
    "component": ("claude.components", "component_name"),
    "build_task": ("claude.build_tasks", "task_name"),
    "requirement": ("claude.requirements", "requirement_name"),
}
FEATURE_STATUSES = (
    "not_started",
    "planned",
    "in_progress",
    "blocked",
    "on_hold",
    "completed",
    "cancelled",
)
COMPONENT_STATUSES = ("planned", "in_progress", "completed", "tested", "documented", "deprecated")
REQUIREMENT_STATUSES = ("draft", "defined", "approved", "implemented", "verified", "rejected")
FEATURE_TYPES = [t.value for t in FeatureType]
COMPONENT_TYPES = [t.value for t in ComponentType]
TASK_TYPES = [t.value for t in TaskType]
REQUIREMENT_TYPES = [t.value for t in RequirementType]
# task labels (SPEC section 10): tasks carry a few, claims ask for one or two of them
LABELS = ("backend", "frontend", "db", "area:api", "p1", "good-first.issue")
DEPENDENCY_KINDS = ("blocks", "related", "discovered_from")
COMMENT_TYPES = ("project", "feature", "component", "build_task", "requirement")

# refusals an invalid call may legitimately end in besides its own kind: the entity it
# addresses was deleted meanwhile, or two writers collided
ANY_TARGET: tuple[Refusal, ...] = (NotFoundError, MissingReferenceError, RetryableConflictError)


# ---------------------------------------------------------------- the ledger


@dataclass
class Entity:
    """What the workers were told about one entity they created."""

    kind: Kind
    id: UUID
    name: str
    # every feature the entity may belong to (creation, attempted moves; for tasks
    # also the features of every component it may hang off): if any of them was
    # deleted, the entity may legitimately be gone
    feature_ids: set[UUID]
    component_ids: set[UUID] = field(default_factory=set)
    status: str = ""
    terminal: str | None = None
    # components never moved to another feature: a duplicate of their name in their
    # feature must always be refused
    pinned: bool = False


@dataclass
class EdgeOp:
    """One call that may change task dependency edges, with when it ran (monotonic seconds).

    ``add`` and ``remove`` address one edge (add_dependency, remove_dependency); a
    ``touch`` may move any edge of ``task_id`` (update_task or block_task setting
    ``blocked_by_task_id``, which adds, retypes or drops blocks edges). A call whose
    outcome is not known (``pending``: the session died, or the call failed oddly)
    may have committed at any time after it started, so its end is infinite.
    """

    action: Literal["add", "remove", "touch"]
    task_id: UUID
    depends_on: UUID | None
    kind: str | None
    start: float
    end: float = math.inf
    outcome: Literal["pending", "acknowledged", "refused"] = "pending"


@dataclass
class AckedComment:
    comment_id: UUID
    entity_type: str
    entity_id: UUID
    body: str


@dataclass
class OpStats:
    attempts: int = 0
    acknowledged: int = 0
    refused: int = 0
    unknown: int = 0
    failed: int = 0


class Ledger:
    """Shared record of acknowledged writes and of every outcome, guarded by one lock."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.lock = threading.Lock()
        self._names = itertools.count(1)
        self.projects: list[tuple[UUID, str]] = []
        self.identities: list[tuple[UUID, str]] = []
        self.entities: dict[UUID, Entity] = {}
        self.live: dict[Kind, list[UUID]] = {
            "feature": [],
            "component": [],
            "build_task": [],
            "requirement": [],
        }
        self.deleted_features: set[UUID] = set()  # acknowledged deletes
        self.maybe_deleted_features: set[UUID] = set()  # deletes of unknown outcome
        self.ops: dict[str, OpStats] = {}
        self.refusals: Counter[str] = Counter()
        self.retryable: Counter[str] = Counter()  # deadlocks and the like, by operation
        # failures grouped by what went wrong: (count, first detail)
        self.failures: dict[str, tuple[int, str]] = {}
        self.conflicts: list[str] = []  # two different terminal statuses acknowledged
        self.starts: Counter[UUID] = Counter()  # acknowledged todo -> in_progress, by task
        # releases (in_progress -> todo) acknowledged, and of unknown outcome: each one
        # lets the task be started (or claimed) once more
        self.releases: Counter[UUID] = Counter()
        self.maybe_releases: Counter[UUID] = Counter()
        # claims that took over an expired lease: all, and those from another identity
        # (which log a 'reclaimed' feed row; a claimer taking back its own expired
        # task changes no column the feed records)
        self.reclaims: Counter[UUID] = Counter()
        self.reclaims_from_other: Counter[UUID] = Counter()
        # task -> the identity last acknowledged as holding it (claim or heartbeat):
        # what heartbeats and releases aim at; concurrent claims make it stale
        self.holders: dict[UUID, UUID] = {}
        # an identity that never claims, starts or is assigned anything: its
        # heartbeats must always be refused
        self.bystander: UUID | None = None
        self.bystander_creating = False
        # dependency edges: every call that may change one, by edge and by task
        self.edge_ops: dict[tuple[UUID, UUID], list[EdgeOp]] = {}
        self.touches: dict[UUID, list[EdgeOp]] = {}
        self.live_edges: dict[tuple[UUID, UUID], str] = {}  # in acknowledgement order
        self.comments: list[AckedComment] = []
        self.refused_comment_bodies: set[str] = set()
        # names of creates (and renames) the database refused: nothing may carry them
        self.refused_names: dict[str, set[str]] = {}
        self.reconnects = 0
        self.kills = 0
        self.kill_attempts = 0
        self.restarts: list[str] = []

    # names
    def name(self, what: str) -> str:
        with self.lock:
            return f"Stress {what} {self.tag}-{next(self._names)}"

    # picking
    def pick(self, kind: Kind, rng: random.Random) -> Entity | None:
        with self.lock:
            ids = self.live[kind][-RECENT:]
            return self.entities[rng.choice(ids)] if ids else None

    def pick_done_component(self, feature_ids: set[UUID], rng: random.Random) -> Entity | None:
        """A component last seen completed, tested or documented, of the feature if possible."""
        with self.lock:
            done = [
                self.entities[i]
                for i in self.live["component"]
                if self.entities[i].status in ("completed", "tested", "documented")
            ]
            same = [c for c in done if c.feature_ids & feature_ids]
            pool = same or done
            return rng.choice(pool) if pool else None

    def pick_near(self, entity: Entity, rng: random.Random) -> Entity | None:
        """Mostly a task of the same feature as ``entity`` (so of its project), else any."""
        with self.lock:
            ids = self.live["build_task"][-4 * RECENT :]
            near = [
                i
                for i in ids
                if i != entity.id and self.entities[i].feature_ids & entity.feature_ids
            ]
        if near and rng.random() < 0.8:
            with self.lock:
                return self.entities[rng.choice(near)]
        return self.pick("build_task", rng)

    def pick_project(self, rng: random.Random) -> UUID | None:
        with self.lock:
            return rng.choice(self.projects)[0] if self.projects else None

    def pick_identity(self, rng: random.Random) -> UUID | None:
        with self.lock:
            return rng.choice(self.identities)[0] if self.identities else None

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return len(self.projects), len(self.identities)

    # acknowledged writes
    def add_project(self, project: Project) -> None:
        with self.lock:
            self.projects.append((project.project_id, project.project_name))

    def add_identity(self, identity: Identity) -> None:
        with self.lock:
            self.identities.append((identity.identity_id, identity.identity_name))

    def created(self, entity: Entity) -> None:
        with self.lock:
            self.entities[entity.id] = entity
            self.live[entity.kind].append(entity.id)
            self._observe(entity.kind, entity.id, entity.status)

    def observe(self, kind: Kind, entity_id: UUID, status: str) -> None:
        with self.lock:
            self._observe(kind, entity_id, status)

    def _observe(self, kind: Kind, entity_id: UUID, status: str) -> None:
        if kind == "build_task" and status != "in_progress":
            self.holders.pop(entity_id, None)  # nothing left to heartbeat or release
        entity = self.entities.get(entity_id)
        if entity is None:  # created by a call whose answer was lost
            return
        entity.status = status
        if status in TERMINAL[kind]:
            if entity.terminal is not None and entity.terminal != status:
                self.conflicts.append(
                    f"{kind} {entity_id}: acknowledged {entity.terminal} and later {status}"
                )
            entity.terminal = entity.terminal or status

    def may_move(
        self, entity: Entity, feature_id: UUID | None = None, component: UUID | None = None
    ) -> None:
        """Before a call that may move an entity: remember where it may end up."""
        with self.lock:
            if feature_id is not None:
                entity.feature_ids.add(feature_id)
            if component is not None:
                entity.component_ids.add(component)

    def feature_ids(self, entity: Entity) -> set[UUID]:
        with self.lock:
            return set(entity.feature_ids)

    def feature_deleted(self, feature_id: UUID, *, acknowledged: bool) -> None:
        with self.lock:
            (self.deleted_features if acknowledged else self.maybe_deleted_features).add(feature_id)
            if acknowledged:
                for kind, ids in self.live.items():
                    self.live[kind] = [
                        i
                        for i in ids
                        if i != feature_id and feature_id not in self.entities[i].feature_ids
                    ]

    # outcomes
    def outcome(
        self, op: str, how: Literal["acknowledged", "refused", "unknown", "failed"]
    ) -> None:
        with self.lock:
            stats = self.ops.setdefault(op, OpStats())
            stats.attempts += 1
            setattr(stats, how, getattr(stats, how) + 1)

    def refused(self, op: str, exc: BuildTrackerError) -> None:
        with self.lock:
            self.refusals[f"{type(exc).__name__} ({exc.sqlstate})"] += 1
            if isinstance(exc, RetryableConflictError):
                self.retryable[op] += 1

    def started(self, task_id: UUID) -> None:
        with self.lock:
            self.starts[task_id] += 1

    def released(self, task_id: UUID, *, acknowledged: bool) -> None:
        with self.lock:
            (self.releases if acknowledged else self.maybe_releases)[task_id] += 1
            if acknowledged:
                self.holders.pop(task_id, None)

    def claimed(
        self, task: BuildTask, identity_id: UUID, *, reclaimed: bool, reclaimed_from: UUID | None
    ) -> None:
        """An acknowledged claim: a fresh start, or a take-over of an expired lease
        (the status stays in_progress; the assignee changes unless the claimer
        takes back its own)."""
        with self.lock:
            if not reclaimed:
                self.starts[task.task_id] += 1
            else:
                self.reclaims[task.task_id] += 1
                if reclaimed_from is not None and reclaimed_from != identity_id:
                    self.reclaims_from_other[task.task_id] += 1
            self.holders[task.task_id] = identity_id
            self._observe("build_task", task.task_id, str(task.status))

    def pick_held(self, rng: random.Random) -> tuple[UUID, UUID] | None:
        with self.lock:
            held = list(self.holders.items())[-RECENT:]
            return rng.choice(held) if held else None

    def edge_begin(
        self,
        action: Literal["add", "remove", "touch"],
        task_id: UUID,
        depends_on: UUID | None,
        kind: str | None = None,
    ) -> EdgeOp:
        """Files a call that may change edges before it runs (so it counts while in flight)."""
        op = EdgeOp(action, task_id, depends_on, kind, time.monotonic())
        with self.lock:
            if depends_on is None:
                self.touches.setdefault(task_id, []).append(op)
            else:
                self.edge_ops.setdefault((task_id, depends_on), []).append(op)
        return op

    def edge_settle(self, op: EdgeOp, outcome: Literal["acknowledged", "refused"]) -> None:
        with self.lock:
            op.outcome = outcome
            op.end = time.monotonic()
            if outcome != "acknowledged":
                return
            # what the workers aim their next removes and cycles at (only a guess: the
            # verification works from the timings of every call instead)
            if op.action == "add" and op.depends_on is not None and op.kind is not None:
                self.live_edges.pop((op.task_id, op.depends_on), None)
                self.live_edges[(op.task_id, op.depends_on)] = op.kind
            elif op.action == "remove" and op.depends_on is not None:
                self.live_edges.pop((op.task_id, op.depends_on), None)
            elif op.action == "touch":
                for pair in [p for p in self.live_edges if p[0] == op.task_id]:
                    del self.live_edges[pair]

    def pick_edge(self, rng: random.Random) -> tuple[UUID, UUID] | None:
        """An edge that, as far as the acknowledgements tell, exists now."""
        with self.lock:
            edges = list(self.live_edges)[-4 * RECENT :]
            return rng.choice(edges) if edges else None

    def blocks_path(self, rng: random.Random, length: int) -> list[UUID] | None:
        """Tasks a -> b (-> c) joined by blocks edges that, as far as the acknowledgements
        tell, exist now: adding c -> a as blocks would close a cycle."""
        with self.lock:
            succ: dict[UUID, list[UUID]] = {}
            for (t, d), kind in list(self.live_edges.items())[-8 * RECENT :]:
                if kind == "blocks":
                    succ.setdefault(t, []).append(d)
        if not succ:
            return None
        path = [rng.choice(list(succ))]
        while len(path) <= length:
            nxt = [d for d in succ.get(path[-1], []) if d not in path]
            if not nxt:
                break
            path.append(rng.choice(nxt))
        return path if len(path) >= 2 else None

    def commented(self, comment: Comment) -> None:
        with self.lock:
            self.comments.append(
                AckedComment(
                    comment.comment_id, str(comment.entity_type), comment.entity_id, comment.body
                )
            )

    def comment_refused(self, body: str) -> None:
        with self.lock:
            self.refused_comment_bodies.add(body)

    def refused_name(self, kind: str, name: str) -> None:
        with self.lock:
            self.refused_names.setdefault(kind, set()).add(name)

    def fail(self, key: str, detail: str = "") -> None:
        with self.lock:
            count, first = self.failures.get(key, (0, detail))
            self.failures[key] = (count + 1, first)


# ---------------------------------------------------------------- connections


def connect(url: str, application_name: str, timezone: str | None = None) -> Conn:
    options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    if timezone is not None:
        options += f" -c TimeZone={timezone}"
    return psycopg.connect(
        url,
        autocommit=True,
        application_name=application_name,
        connect_timeout=5,
        options=options,
    )


def connection_lost(conn: Conn | None, exc: BaseException) -> bool:
    """Whether the call failed because its session died (its outcome is then unknown)."""
    if conn is None or conn.closed or conn.broken:
        return True
    cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
    if not isinstance(cause, psycopg.OperationalError):
        return False
    sqlstate = cause.sqlstate or ""
    # 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 08: connection
    # exceptions; no SQLSTATE at all: libpq lost the socket
    return sqlstate == "" or sqlstate.startswith(("57P", "08"))


def connect_with_backoff(
    url: str, application_name: str, until: float, timezone: str | None = None
) -> Conn | None:
    """A new session, retried with growing pauses (the server may be restarting)."""
    pause = 0.05
    while True:
        try:
            return connect(url, application_name, timezone)
        except psycopg.OperationalError:
            if time.monotonic() + pause > until:
                return None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


# ---------------------------------------------------------------- the workers


class Worker(threading.Thread):
    """One client session calling random operations until the deadline."""

    def __init__(
        self,
        number: int,
        url: str,
        ledger: Ledger,
        deadline: float,
        seed: int,
        timezone: str | None = None,
    ) -> None:
        super().__init__(name=f"stress-worker-{number}", daemon=True)
        self.number = number
        self.timezone = timezone
        self.url = url
        self.ledger = ledger
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.conn: Conn | None = None
        self.client: Client | None = None
        self.operations: list[tuple[Callable[[], None], float]] = [
            (self.op_add_project, 0.5),
            (self.op_add_identity, 0.5),
            (self.op_add_feature, 4),
            (self.op_add_feature_invalid, 1.5),
            (self.op_update_feature, 2),
            (self.op_update_feature_invalid, 1.5),
            (self.op_feature_parent, 2),
            (self.op_feature_transition, 6),
            (self.op_feature_transition_random, 2),
            (self.op_feature_transition_invalid, 1),
            (self.op_complete_feature, 2),
            (self.op_delete_feature, 0.6),
            (self.op_delete_missing_feature, 0.3),
            (self.op_add_component, 4),
            (self.op_add_component_invalid, 1.5),
            (self.op_prepare_component, 2),
            (self.op_update_component_invalid, 1),
            (self.op_move_component, 0.7),
            (self.op_component_transition, 6),
            (self.op_component_transition_random, 1.5),
            (self.op_add_task, 5),
            (self.op_add_task_invalid, 1.5),
            (self.op_task_transition, 9),
            (self.op_task_transition_invalid, 2),
            (self.op_claim_task, 4),
            (self.op_claim_task_invalid, 0.4),
            (self.op_heartbeat, 2),
            (self.op_heartbeat_stranger, 0.7),
            (self.op_heartbeat_invalid, 0.3),
            (self.op_release_task, 1.5),
            (self.op_release_task_invalid, 0.4),
            (self.op_task_dependency, 3),
            (self.op_add_dependency, 2.5),
            (self.op_add_dependency_cycle, 1.5),
            (self.op_add_dependency_invalid, 0.5),
            (self.op_remove_dependency, 0.7),
            (self.op_remove_missing_dependency, 0.3),
            (self.op_add_comment, 2),
            (self.op_add_comment_invalid, 0.8),
            (self.op_update_task, 1.5),
            (self.op_update_task_invalid, 1.5),
            (self.op_add_requirement, 3),
            (self.op_add_requirement_invalid, 1),
            (self.op_requirement_transition, 5),
            (self.op_requirement_transition_random, 1),
            (self.op_update_requirement, 1),
            (self.op_update_requirement_invalid, 1),
            (self.op_reads, 3),
            (self.op_run_jobs, 0.2),
        ]
        self._ops = [op for op, _ in self.operations]
        self._weights = [w for _, w in self.operations]

    # -- plumbing
    def run(self) -> None:
        while time.monotonic() < self.deadline:
            if self.client is None and not self.reconnect():
                break
            op = self.rng.choices(self._ops, self._weights)[0]
            try:
                op()
            except Exception:  # a bug in the harness itself
                self.ledger.fail("harness error", traceback.format_exc())
        if self.conn is not None:
            self.conn.close()

    def reconnect(self) -> bool:
        if self.conn is not None:
            self.conn.close()
        self.conn = connect_with_backoff(self.url, APPLICATION_NAME, self.deadline, self.timezone)
        self.client = (
            None if self.conn is None else Client(self.conn, actor=f"stress-{self.number}")
        )
        return self.client is not None

    def attempt(
        self,
        op: str,
        call: Callable[[Client], T],
        *,
        mode: Mode = "valid",
        expect: Sequence[Refusal] = (),
        on_ack: Callable[[T], None] | None = None,
        on_unknown: Callable[[], None] | None = None,
        on_refused: Callable[[], None] | None = None,
    ) -> T | None:
        """Run one call and file its outcome. ``invalid`` calls must be refused, with
        one of ``expect`` (or a refusal of :data:`ANY_TARGET`)."""
        client = self.client
        if client is None:
            return None
        try:
            value = call(client)
        except Exception as exc:
            if connection_lost(self.conn, exc):
                self.ledger.outcome(op, "unknown")
                if on_unknown is not None:
                    on_unknown()
                with self.ledger.lock:
                    self.ledger.reconnects += 1
                self.client = None
                if self.conn is not None:
                    self.conn.close()
                self.reconnect()
                return None
            if isinstance(exc, BuildTrackerError) and type(exc) is not BuildTrackerError:
                self.ledger.refused(op, exc)
                if mode == "invalid" and expect and not isinstance(exc, (*expect, *ANY_TARGET)):
                    self.ledger.outcome(op, "failed")
                    self.ledger.fail(
                        f"{op}: refused with {type(exc).__name__} ({exc.sqlstate}),"
                        f" expected {' or '.join(e.__name__ for e in expect)}",
                        exc.message,
                    )
                else:
                    self.ledger.outcome(op, "refused")
                if on_refused is not None:
                    on_refused()
                return None
            self.ledger.outcome(op, "failed")
            detail = "".join(traceback.format_exception(exc)).rstrip()
            sqlstate = getattr(exc, "sqlstate", None)
            self.ledger.fail(f"{op}: {type(exc).__name__} ({sqlstate}), not a refusal", detail)
            return None
        if mode == "invalid":
            self.ledger.outcome(op, "failed")
            self.ledger.fail(f"{op}: an invalid call was acknowledged", repr(value))
            return value
        self.ledger.outcome(op, "acknowledged")
        if on_ack is not None:
            on_ack(value)
        return value

    def observe(self, result: Result[Any]) -> None:
        """File the status an acknowledged write returned."""
        data = result.data
        if isinstance(data, Feature):
            self.ledger.observe("feature", data.feature_id, str(data.status))
        elif isinstance(data, Component):
            self.ledger.observe("component", data.component_id, str(data.status))
        elif isinstance(data, BuildTask):
            self.ledger.observe("build_task", data.task_id, str(data.status))
        elif isinstance(data, Requirement):
            self.ledger.observe("requirement", data.requirement_id, str(data.status))

    def observe_start(self, result: Result[BuildTask]) -> None:
        """An acknowledged start: a task leaves todo once, and again only after a release."""
        self.ledger.started(result.data.task_id)
        if result.data.assigned_to_identity_id is not None:
            with self.ledger.lock:
                self.ledger.holders[result.data.task_id] = result.data.assigned_to_identity_id
        self.observe(result)

    def lease(self) -> timedelta:
        """Mostly leases of 1-3 s, which expire during the run (and get reclaimed), else longer."""
        if self.rng.random() < 0.6:
            return timedelta(seconds=self.rng.choice((1, 2, 3)))
        return timedelta(minutes=self.rng.choice((1, 10, 30)))

    def labels(self, most: int) -> list[str]:
        return self.rng.sample(LABELS, self.rng.randint(0, most))

    def edge_attempt(
        self,
        op: str,
        edge: EdgeOp,
        call: Callable[[Client], T],
        *,
        mode: Mode = "random",
        expect: Sequence[Refusal] = (),
        on_ack: Callable[[T], None] | None = None,
    ) -> None:
        """:meth:`attempt` for a call that may change dependency edges: files when it
        ended and how (an invalid call acknowledged, or a call of unknown outcome,
        stays ``pending``: it may have changed the edge at any time since it began)."""

        def ack(value: T) -> None:
            self.ledger.edge_settle(edge, "acknowledged")
            if on_ack is not None:
                on_ack(value)

        self.attempt(
            op,
            call,
            mode=mode,
            expect=expect,
            on_ack=ack,
            on_refused=lambda: self.ledger.edge_settle(edge, "refused"),
        )

    def text(self, words: int) -> str:
        vocabulary = ("the", "service", "must", "handle", "records", "quickly", "when", "given")
        return " ".join(self.rng.choice(vocabulary) for _ in range(words)) + " end."

    def project(self) -> UUID | None:
        project_id = self.ledger.pick_project(self.rng)
        if project_id is None:
            self.op_add_project()
        return project_id

    def identity(self) -> UUID | None:
        identity_id = self.ledger.pick_identity(self.rng)
        if identity_id is None:
            self.op_add_identity()
        return identity_id

    def feature(self) -> Entity | None:
        feature = self.ledger.pick("feature", self.rng)
        if feature is None:
            self.op_add_feature()
        return feature

    def component(self) -> Entity | None:
        component = self.ledger.pick("component", self.rng)
        if component is None:
            self.op_add_component()
        return component

    def task(self) -> Entity | None:
        task = self.ledger.pick("build_task", self.rng)
        if task is None:
            self.op_add_task()
        return task

    def requirement(self) -> Entity | None:
        requirement = self.ledger.pick("requirement", self.rng)
        if requirement is None:
            self.op_add_requirement()
        return requirement

    # -- projects and identities
    def op_add_project(self) -> None:
        projects, _ = self.ledger.counts()
        if projects >= MAX_PROJECTS or self.rng.random() < 0.3:
            # a duplicate name or a blank one
            with self.ledger.lock:
                existing = (
                    self.rng.choice(self.ledger.projects)[1] if self.ledger.projects else "  "
                )
            self.attempt(
                "add_project!duplicate",
                lambda c: c.add_project(existing),
                mode="invalid",
                expect=(ValidationError,),
            )
            return
        name = self.ledger.name("project")
        self.attempt(
            "add_project",
            lambda c: c.add_project(name),
            on_ack=lambda r: self.ledger.add_project(r.data),
            on_refused=lambda: self.ledger.refused_name("project", name),
        )

    def op_add_identity(self) -> None:
        _, identities = self.ledger.counts()
        if identities >= MAX_IDENTITIES or self.rng.random() < 0.3:
            with self.ledger.lock:
                existing = (
                    self.rng.choice(self.ledger.identities)[1] if self.ledger.identities else ""
                )
            self.attempt(
                "add_identity!duplicate",
                lambda c: c.add_identity(existing),
                mode="invalid",
                expect=(ValidationError,),
            )
            return
        name = self.ledger.name("agent")
        self.attempt(
            "add_identity",
            lambda c: c.add_identity(name),
            on_ack=lambda r: self.ledger.add_identity(r.data),
            on_refused=lambda: self.ledger.refused_name("identity", name),
        )

    # -- features
    def op_add_feature(self) -> None:
        project_id = self.project()
        if project_id is None:
            return
        parent = self.ledger.pick("feature", self.rng) if self.rng.random() < 0.3 else None
        name = self.ledger.name("feature")
        description = self.text(8) if self.rng.random() < 0.8 else None
        planner = self.ledger.pick_identity(self.rng) if self.rng.random() < 0.5 else None

        def ack(result: Result[Feature]) -> None:
            f = result.data
            self.ledger.created(
                Entity("feature", f.feature_id, name, {f.feature_id}, status=f.status)
            )

        self.attempt(
            "add_feature",
            lambda c: c.add_feature(
                feature_name=name,
                feature_type=self.rng.choice(FEATURE_TYPES),
                project_id=project_id,
                description=description,
                priority=self.rng.randint(1, 10),
                parent_feature_id=None if parent is None else parent.id,
                planned_by_identity_id=planner,
            ),
            on_ack=ack,
            on_refused=lambda: self.ledger.refused_name("feature", name),
        )

    def op_add_feature_invalid(self) -> None:
        project_id = self.project()
        if project_id is None:
            return
        name = self.ledger.name("feature")
        variants: list[tuple[str, dict[str, Any], Refusal]] = [
            ("short_name", {"feature_name": "abc"}, ValidationError),
            ("bad_type", {"feature_type": "spaceship"}, ValidationError),
            ("bad_priority", {"priority": self.rng.choice((0, 11, -3))}, ValidationError),
            ("no_project", {"project_id": uuid.uuid4()}, MissingReferenceError),
            ("no_parent", {"parent_feature_id": uuid.uuid4()}, MissingReferenceError),
            ("no_planner", {"planned_by_identity_id": uuid.uuid4()}, MissingReferenceError),
        ]
        label, changes, expected = self.rng.choice(variants)
        args: dict[str, Any] = {
            "feature_name": name,
            "feature_type": "feature",
            "project_id": project_id,
            **changes,
        }
        self.attempt(
            f"add_feature!{label}",
            lambda c: c.add_feature(**args),
            mode="invalid",
            expect=(expected,),
            on_refused=lambda: self.ledger.refused_name("feature", args["feature_name"]),
        )

    def op_update_feature(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        choices: list[dict[str, Any]] = [
            {"priority": self.rng.randint(1, 10)},
            {"description": self.text(10)},
            {"implementation_notes": self.text(4)},
            {"design_doc_path": f"docs/{feature.id.hex[:8]}.md"},
        ]
        identity = self.ledger.pick_identity(self.rng)
        if identity is not None:
            choices.append({"planned_by_identity_id": str(identity)})
            choices.append({"implemented_by_identity_id": str(identity)})
        changes = self.rng.choice(choices)
        self.attempt(
            "update_feature",
            lambda c: c.update_feature(feature.id, changes),
            mode="random",
            on_ack=self.observe,
        )

    def op_update_feature_invalid(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        variants: list[tuple[str, dict[str, Any], Refusal]] = [
            ("bad_priority", {"priority": 42}, ValidationError),
            ("priority_text", {"priority": "high"}, ValidationError),
            ("status_key", {"status": "completed"}, ValidationError),
            ("unknown_key", {"colour": "red"}, ValidationError),
            ("short_name", {"feature_name": "x"}, ValidationError),
            ("forged_date", {"started_date": "2020-01-01T00:00:00Z"}, ValidationError),
            ("bad_percentage", {"completion_percentage": 250}, ValidationError),
            ("own_parent", {"parent_feature_id": str(feature.id)}, ValidationError),
            ("missing_parent", {"parent_feature_id": str(uuid.uuid4())}, MissingReferenceError),
        ]
        label, changes, expected = self.rng.choice(variants)
        self.attempt(
            f"update_feature!{label}",
            lambda c: c.update_feature(feature.id, changes),
            mode="invalid",
            expect=(expected,),
        )

    def op_feature_parent(self) -> None:
        """Link two features, often the wrong way round (closing a cycle), or unlink."""
        child = self.feature()
        parent = self.ledger.pick("feature", self.rng)
        if child is None or parent is None:
            return
        target: str | None = str(parent.id) if self.rng.random() < 0.85 else None
        self.attempt(
            "feature_parent_link",
            lambda c: c.update_feature(child.id, {"parent_feature_id": target}),
            mode="random",
            on_ack=self.observe,
        )

    def op_feature_transition(self) -> None:
        """The transition the feature's last known status allows, with what it needs."""
        feature = self.feature()
        if feature is None:
            return
        identity = self.ledger.pick_identity(self.rng)
        step: dict[str, tuple[str, str | None]] = {
            "not_started": ("planned", None),
            "planned": ("in_progress", None),
            "in_progress": self.rng.choice(
                [
                    ("blocked", "waiting on the platform team"),
                    ("on_hold", "priorities changed"),
                    ("completed", None),
                    ("cancelled", "no longer needed"),
                ]
            ),
            "blocked": ("in_progress", "the platform team delivered"),
            "on_hold": ("in_progress", "back on the roadmap"),
        }
        new_status, reason = step.get(feature.status, ("cancelled", "cleanup"))
        if new_status == "completed":
            self.attempt(
                "complete_feature",
                lambda c: c.complete_feature(feature.id),
                mode="random",
                on_ack=self.observe,
            )
            return
        self.attempt(
            f"feature->{new_status}",
            lambda c: c.update_feature_status(
                feature.id,
                new_status,
                reason=reason,
                planned_by_identity_id=identity if new_status == "planned" else None,
                implemented_by_identity_id=identity if new_status == "in_progress" else None,
            ),
            mode="random",
            on_ack=self.observe,
        )

    def op_feature_transition_random(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        new_status = self.rng.choice(FEATURE_STATUSES)
        reason = self.text(3) if self.rng.random() < 0.6 else None
        identity = self.ledger.pick_identity(self.rng)
        self.attempt(
            f"feature->{new_status}?",
            lambda c: c.update_feature_status(
                feature.id,
                new_status,
                reason=reason,
                implemented_by_identity_id=identity,
                planned_by_identity_id=identity,
            ),
            mode="random",
            on_ack=self.observe,
        )

    def op_feature_transition_invalid(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        variants: list[tuple[str, str, str | None, tuple[Refusal, ...]]] = [
            ("unknown_status", "archived", "why not", (ValidationError, InvalidTransitionError)),
            ("cancel_without_reason", "cancelled", None, (ValidationError, InvalidTransitionError)),
            ("block_without_reason", "blocked", None, (ValidationError, InvalidTransitionError)),
            ("back_to_not_started", "not_started", "undo", (InvalidTransitionError,)),
        ]
        label, new_status, reason, expected = self.rng.choice(variants)
        self.attempt(
            f"feature_status!{label}",
            lambda c: c.update_feature_status(feature.id, new_status, reason=reason),
            mode="invalid",
            expect=expected,
        )

    def op_complete_feature(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        self.attempt(
            "complete_feature",
            lambda c: c.complete_feature(feature.id),
            mode="random",
            on_ack=self.observe,
        )

    def op_delete_feature(self) -> None:
        feature = self.ledger.pick("feature", self.rng)
        if feature is None:
            return
        self.attempt(
            "delete_feature",
            lambda c: c.delete_feature(feature.id),
            mode="random",
            on_ack=lambda _r: self.ledger.feature_deleted(feature.id, acknowledged=True),
            on_unknown=lambda: self.ledger.feature_deleted(feature.id, acknowledged=False),
        )

    def op_delete_missing_feature(self) -> None:
        self.attempt(
            "delete_feature!missing",
            lambda c: c.delete_feature(uuid.uuid4()),
            mode="invalid",
            expect=(NotFoundError,),
        )

    # -- components
    def op_add_component(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        name = self.ledger.name("component")
        functions = [f"fn_{i}" for i in range(self.rng.randint(0, 3))]
        pinned = self.rng.random() < 0.5

        def ack(result: Result[Component]) -> None:
            comp = result.data
            self.ledger.created(
                Entity(
                    "component",
                    comp.component_id,
                    name,
                    {comp.feature_id},
                    status=comp.status,
                    pinned=pinned,
                )
            )

        self.attempt(
            "add_component",
            lambda c: c.add_component(
                feature.id, name, self.rng.choice(COMPONENT_TYPES), planned_functions=functions
            ),
            mode="random",  # refused when the feature is completed or cancelled meanwhile
            on_ack=ack,
            on_refused=lambda: self.ledger.refused_name("component", name),
        )

    def op_add_component_invalid(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        sibling = self.ledger.pick("component", self.rng)
        variants: list[tuple[str, UUID, str, str, tuple[Refusal, ...]]] = [
            ("short_name", feature.id, "ab", "service", (ValidationError,)),
            ("bad_type", feature.id, self.ledger.name("component"), "gadget", (ValidationError,)),
            ("no_feature", uuid.uuid4(), self.ledger.name("component"), "service", ()),
        ]
        if sibling is not None and sibling.pinned:
            (feature_id,) = sibling.feature_ids
            variants.append(
                ("duplicate_name", feature_id, sibling.name, "service", (ValidationError,))
            )
        label, feature_id, name, ctype, expected = self.rng.choice(variants)
        self.attempt(
            f"add_component!{label}",
            lambda c: c.add_component(feature_id, name, ctype),
            mode="invalid",
            # adding to a completed or cancelled feature is refused first
            expect=(*expected, MissingReferenceError, InvalidTransitionError),
            on_refused=None
            if label == "duplicate_name"
            else lambda: self.ledger.refused_name("component", name),
        )

    def op_prepare_component(self) -> None:
        """Record tests and documentation, which the later transitions need."""
        comp = self.component()
        if comp is None:
            return
        changes: dict[str, Any] = self.rng.choice(
            [
                {"has_tests": True, "test_coverage_percentage": self.rng.randint(40, 100)},
                {"has_documentation": True, "doc_path": f"docs/{comp.id.hex[:8]}.md"},
                {"actual_functions": ["fn_0", "fn_1"], "file_path": f"src/{comp.id.hex[:8]}.py"},
                {"lines_of_code": self.rng.randint(1, 900)},
            ]
        )
        self.attempt(
            "update_component",
            lambda c: c.update_component(comp.id, changes),
            mode="random",
            on_ack=self.observe,
        )

    def op_update_component_invalid(self) -> None:
        comp = self.component()
        if comp is None:
            return
        variants: list[tuple[str, dict[str, Any], Refusal]] = [
            ("coverage_150", {"test_coverage_percentage": 150}, ValidationError),
            ("status_key", {"status": "tested"}, ValidationError),
            ("unknown_key", {"owner": "bob"}, ValidationError),
            ("bad_type", {"component_type": "gizmo"}, ValidationError),
            ("loc_text", {"lines_of_code": "many"}, ValidationError),
            ("forged_date", {"implemented_at": "2020-01-01T00:00:00Z"}, ValidationError),
            ("missing_feature", {"feature_id": str(uuid.uuid4())}, MissingReferenceError),
        ]
        label, changes, expected = self.rng.choice(variants)
        self.attempt(
            f"update_component!{label}",
            lambda c: c.update_component(comp.id, changes),
            mode="invalid",
            expect=(expected,),
        )

    def op_move_component(self) -> None:
        comp = self.component()
        target = self.ledger.pick("feature", self.rng)
        if comp is None or target is None or comp.pinned:
            return
        self.ledger.may_move(comp, feature_id=target.id)
        self.attempt(
            "move_component",
            lambda c: c.update_component(comp.id, {"feature_id": str(target.id)}),
            mode="random",
            on_ack=self.observe,
        )

    def op_component_transition(self) -> None:
        comp = self.component()
        if comp is None:
            return
        if self.rng.random() < 0.05:
            new_status = "deprecated"
        else:
            new_status = {
                "planned": "in_progress",
                "in_progress": "completed",
                "completed": "tested",
                "tested": "documented",
            }.get(comp.status, "deprecated")
        if new_status == "completed":
            self.attempt(
                "complete_component",
                lambda c: c.complete_component(
                    comp.id,
                    actual_functions=["fn_0", "fn_1"],
                    file_path=f"src/{comp.id.hex[:8]}.py",
                    lines_of_code=self.rng.randint(10, 500),
                    has_tests=self.rng.random() < 0.7,
                    test_coverage_percentage=round(self.rng.uniform(50, 100), 1),
                ),
                mode="random",
                on_ack=self.observe,
            )
            return
        self.attempt(
            f"component->{new_status}",
            lambda c: c.update_component_status(comp.id, new_status, reason="stress"),
            mode="random",
            on_ack=self.observe,
        )

    def op_component_transition_random(self) -> None:
        comp = self.component()
        if comp is None:
            return
        if self.rng.random() < 0.2:
            self.attempt(
                "component_status!unknown_status",
                lambda c: c.update_component_status(comp.id, "shipped"),
                mode="invalid",
                expect=(ValidationError, InvalidTransitionError),
            )
            return
        new_status = self.rng.choice(COMPONENT_STATUSES)
        self.attempt(
            f"component->{new_status}?",
            lambda c: c.update_component_status(comp.id, new_status),
            mode="random",
            on_ack=self.observe,
        )

    # -- tasks
    def op_add_task(self) -> None:
        comp = self.ledger.pick("component", self.rng) if self.rng.random() < 0.6 else None
        feature = None if comp is not None else self.feature()
        if comp is None and feature is None:
            return
        blocker = self.ledger.pick("build_task", self.rng) if self.rng.random() < 0.3 else None
        assignee = self.ledger.pick_identity(self.rng) if self.rng.random() < 0.5 else None
        name = self.ledger.name("task")
        labels = self.labels(3)
        features = self.ledger.feature_ids(comp) if comp is not None else set()
        if feature is not None:
            features.add(feature.id)

        def ack(result: Result[BuildTask]) -> None:
            t = result.data
            self.ledger.created(
                Entity(
                    "build_task",
                    t.task_id,
                    name,
                    features | {t.feature_id},
                    {comp.id} if comp is not None else set(),
                    status=t.status,
                )
            )

        self.attempt(
            "add_task",
            lambda c: c.add_task(
                task_name=name,
                task_description=self.text(5),
                task_type=self.rng.choice(TASK_TYPES),
                component_id=None if comp is None else comp.id,
                feature_id=None if feature is None else feature.id,
                priority=self.rng.randint(1, 10),
                estimated_hours=self.rng.choice((None, 1.5, 4, 8)),
                assigned_to_identity_id=assignee,
                blocked_by_task_id=None if blocker is None else blocker.id,
                labels=labels,
            ),
            mode="random",
            on_ack=ack,
            on_refused=lambda: self.ledger.refused_name("build_task", name),
        )

    def op_add_task_invalid(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        base: dict[str, Any] = {
            "task_name": self.ledger.name("task"),
            "task_description": self.text(5),
            "task_type": "code",
            "feature_id": feature.id,
        }
        variants: list[tuple[str, dict[str, Any], tuple[Refusal, ...]]] = [
            ("short_name", {"task_name": "abc"}, (ValidationError,)),
            ("short_description", {"task_description": "too short"}, (ValidationError,)),
            ("bad_type", {"task_type": "nap"}, (ValidationError,)),
            ("negative_hours", {"estimated_hours": -2}, (ValidationError,)),
            ("bad_priority", {"priority": 99}, (ValidationError,)),
            ("missing_blocker", {"blocked_by_task_id": uuid.uuid4()}, (MissingReferenceError,)),
            (
                "missing_assignee",
                {"assigned_to_identity_id": uuid.uuid4()},
                (MissingReferenceError,),
            ),
            ("no_feature", {"feature_id": None}, (ValidationError,)),
            ("bad_label", {"labels": ["Not A Label"]}, (ValidationError,)),
            ("duplicate_label", {"labels": ["db", "p1", "db"]}, (ValidationError,)),
            ("long_label", {"labels": ["x" * 51]}, (ValidationError,)),
        ]
        label, changes, expected = self.rng.choice(variants)
        args = {**base, **changes}
        self.attempt(
            f"add_task!{label}",
            lambda c: c.add_task(**args),
            mode="invalid",
            expect=(*expected, InvalidTransitionError),  # feature completed/cancelled meanwhile
            on_refused=lambda: self.ledger.refused_name("build_task", args["task_name"]),
        )

    def op_task_transition(self) -> None:
        task = self.task()
        if task is None:
            return
        identity = self.ledger.pick_identity(self.rng)
        rng = self.rng
        calls: dict[str, list[tuple[str, Callable[[Client], Result[BuildTask]]]]] = {
            "todo": [
                ("start_task", lambda c: c.start_task(task.id, identity)),
                ("cancel_task", lambda c: c.cancel_task(task.id, "superseded")),
            ],
            "in_progress": [
                ("block_task", lambda c: c.block_task(task.id, "waiting for review capacity")),
                ("submit_task_for_review", lambda c: c.submit_task_for_review(task.id)),
                (
                    "complete_task",
                    lambda c: c.complete_task(task.id, rng.choice((0.5, 3, 20)), "done"),
                ),
                ("cancel_task", lambda c: c.cancel_task(task.id, "descoped")),
            ],
            "blocked": [
                ("unblock_task", lambda c: c.unblock_task(task.id, "dependency resolved")),
                ("cancel_task", lambda c: c.cancel_task(task.id, "abandoned")),
            ],
            "review": [
                ("request_task_changes", lambda c: c.request_task_changes(task.id, "needs tests")),
                (
                    "complete_task",
                    lambda c: c.complete_task(task.id, rng.choice((1, 2.5)), "merged"),
                ),
                ("cancel_task", lambda c: c.cancel_task(task.id, "rejected in review")),
            ],
        }
        options = calls.get(task.status) or [
            ("start_task", lambda c: c.start_task(task.id, identity))
        ]
        # the state machine's main path is more likely than cancelling
        weights = [0.3 if name == "cancel_task" else 1.0 for name, _ in options]
        name, call = rng.choices(options, weights)[0]
        self.attempt(
            name,
            call,
            mode="random",
            on_ack=self.observe_start if name == "start_task" else self.observe,
        )

    def op_task_transition_invalid(self) -> None:
        task = self.task()
        if task is None:
            return
        variants: list[tuple[str, Callable[[Client], Result[BuildTask]], tuple[Refusal, ...]]] = [
            (
                "complete_zero_hours",
                lambda c: c.complete_task(task.id, 0),
                (ValidationError, InvalidTransitionError),
            ),
            (
                "complete_negative_hours",
                lambda c: c.complete_task(task.id, -4),
                (ValidationError, InvalidTransitionError),
            ),
            (
                "cancel_blank_reason",
                lambda c: c.cancel_task(task.id, "   "),
                (ValidationError, InvalidTransitionError),
            ),
            (
                "block_on_itself",
                lambda c: c.block_task(task.id, "circular", blocked_by_task_id=task.id),
                (ValidationError, InvalidTransitionError),
            ),
            (
                "start_missing_identity",
                lambda c: c.start_task(task.id, uuid.uuid4()),
                (MissingReferenceError, InvalidTransitionError),
            ),
            (
                "start_missing_task",
                lambda c: c.start_task(uuid.uuid4()),
                (NotFoundError,),
            ),
        ]
        if task.terminal is not None:
            variants.append(
                ("reopen_terminal", lambda c: c.start_task(task.id), (InvalidTransitionError,))
            )
        label, call, expected = self.rng.choice(variants)
        self.attempt(f"task!{label}", call, mode="invalid", expect=expected)

    def op_claim_task(self) -> None:
        """An agent asks for work: maybe of one project or feature, carrying some labels,
        held for a lease that is often short enough to expire (and be reclaimed)."""
        identity = self.identity()
        if identity is None:
            return
        project = self.ledger.pick_project(self.rng) if self.rng.random() < 0.4 else None
        feature = self.ledger.pick("feature", self.rng) if self.rng.random() < 0.15 else None
        labels = self.labels(2)
        lease = self.lease()

        def ack(result: Result[BuildTask | None]) -> None:
            task = result.data
            if task is None:
                if result.metadata.get("claimed") is not False:
                    self.ledger.fail(
                        "claim_next_task: no task, but not claimed=false", repr(result)
                    )
                return
            raw = result.metadata.get("reclaimed_from_identity_id")
            reclaimed_from = None if raw is None else UUID(str(raw))
            problems = []
            reclaimed = result.metadata.get("reclaimed")
            if result.metadata.get("claimed") is not True:
                problems.append("claimed is not true")
            if not isinstance(reclaimed, bool):
                problems.append(f"reclaimed is {reclaimed!r}, not a boolean")
            if reclaimed_from is not None and reclaimed is not True:
                problems.append("taken from another identity, but reclaimed is not true")
            if task.status != "in_progress" or task.assigned_to_identity_id != identity:
                problems.append(f"{task.status}, held by {task.assigned_to_identity_id}")
            if task.lease_expires_at is None:
                problems.append("no lease")
            if not set(labels) <= set(task.labels):
                problems.append(f"labels {task.labels} lack some of {labels}")
            if feature is not None and task.feature_id != feature.id:
                problems.append("a task of another feature")
            if problems:
                self.ledger.fail(
                    "claim_next_task: acknowledged a claim that is not one: " + "; ".join(problems),
                    repr(result),
                )
            self.ledger.claimed(
                task, identity, reclaimed=reclaimed is True, reclaimed_from=reclaimed_from
            )

        self.attempt(
            "claim_next_task" + (":labels" if labels else ""),
            lambda c: c.claim_next_task(
                identity,
                project_id=project,
                feature_id=None if feature is None else feature.id,
                labels=labels or None,
                lease=lease,
            ),
            mode="random",
            on_ack=ack,
        )

    def op_claim_task_invalid(self) -> None:
        identity = self.identity()
        if identity is None:
            return
        variants: list[tuple[str, UUID, timedelta, Refusal]] = [
            ("short_lease", identity, timedelta(milliseconds=500), ValidationError),
            ("long_lease", identity, timedelta(days=2), ValidationError),
            ("zero_lease", identity, timedelta(0), ValidationError),
            ("missing_identity", uuid.uuid4(), timedelta(seconds=5), MissingReferenceError),
        ]
        label, who, lease, expected = self.rng.choice(variants)
        self.attempt(
            f"claim_next_task!{label}",
            lambda c: c.claim_next_task(who, lease=lease),
            mode="invalid",
            expect=(expected,),
        )

    def op_heartbeat(self) -> None:
        """The holder extends its lease (refused when it was reclaimed or moved on meanwhile)."""
        held = self.ledger.pick_held(self.rng)
        if held is None:
            return
        task_id, identity = held
        lease = self.lease()

        def ack(result: Result[BuildTask]) -> None:
            task = result.data
            if (
                task.status != "in_progress"
                or task.assigned_to_identity_id != identity
                or task.lease_expires_at is None
            ):
                self.ledger.fail(
                    "heartbeat_task: acknowledged for a task the caller does not hold",
                    repr(result),
                )
            with self.ledger.lock:
                self.ledger.holders[task_id] = identity

        self.attempt(
            "heartbeat_task",
            lambda c: c.heartbeat_task(task_id, identity, lease=lease),
            mode="random",
            on_ack=ack,
        )

    def bystander(self) -> UUID | None:
        """The identity that never holds a task (created once, kept out of the pool)."""
        with self.ledger.lock:
            if self.ledger.bystander is not None or self.ledger.bystander_creating:
                return self.ledger.bystander
            self.ledger.bystander_creating = True
        name = self.ledger.name("bystander")

        def ack(result: Result[Identity]) -> None:
            with self.ledger.lock:
                self.ledger.bystander = result.data.identity_id

        self.attempt("add_identity:bystander", lambda c: c.add_identity(name), on_ack=ack)
        with self.ledger.lock:
            self.ledger.bystander_creating = False
            return self.ledger.bystander

    def op_heartbeat_stranger(self) -> None:
        """A heartbeat by an identity that holds nothing: always refused."""
        stranger = self.bystander()
        held = self.ledger.pick_held(self.rng)
        task = self.ledger.pick("build_task", self.rng)
        if stranger is None:
            return
        # mostly a task someone holds; else any task (in any status)
        if held is not None and (task is None or self.rng.random() < 0.7):
            task_id = held[0]
        elif task is not None:
            task_id = task.id
        else:
            return
        self.attempt(
            "heartbeat_task!not_holder",
            lambda c: c.heartbeat_task(task_id, stranger, lease=self.lease()),
            mode="invalid",
            expect=(InvalidTransitionError,),
        )

    def op_heartbeat_invalid(self) -> None:
        held = self.ledger.pick_held(self.rng)
        identity = self.ledger.pick_identity(self.rng)
        if held is None or identity is None:
            return
        task_id, holder = held
        variants: list[tuple[str, UUID, UUID, timedelta, tuple[Refusal, ...]]] = [
            ("short_lease", task_id, holder, timedelta(milliseconds=200), (ValidationError,)),
            ("long_lease", task_id, holder, timedelta(days=1, seconds=1), (ValidationError,)),
            ("missing_task", uuid.uuid4(), identity, timedelta(seconds=5), (NotFoundError,)),
        ]
        label, tid, who, lease, expected = self.rng.choice(variants)
        self.attempt(
            f"heartbeat_task!{label}",
            lambda c: c.heartbeat_task(tid, who, lease=lease),
            mode="invalid",
            expect=expected,
        )

    def op_release_task(self) -> None:
        """The holder gives its task back: in_progress -> todo, no assignee, no lease."""
        held = self.ledger.pick_held(self.rng)
        if held is None:
            return
        task_id, _identity = held
        reason = self.rng.choice(("needs a design decision", "handing over", "end of shift"))

        def ack(result: Result[BuildTask]) -> None:
            task = result.data
            if (
                task.status != "todo"
                or task.assigned_to_identity_id is not None
                or task.lease_expires_at is not None
                or task.started_at is not None
            ):
                self.ledger.fail(
                    "release_task: acknowledged, but the task is not back in todo unassigned",
                    repr(result),
                )
            self.ledger.released(task_id, acknowledged=True)
            self.observe(result)

        self.attempt(
            "release_task",
            lambda c: c.release_task(task_id, reason),
            mode="random",
            on_ack=ack,
            on_unknown=lambda: self.ledger.released(task_id, acknowledged=False),
        )

    def op_release_task_invalid(self) -> None:
        held = self.ledger.pick_held(self.rng)
        variants: list[tuple[str, UUID, str, tuple[Refusal, ...]]] = [
            ("missing_task", uuid.uuid4(), "no such task", (NotFoundError,)),
        ]
        if held is not None:
            # refused either way: no reason, or (released meanwhile) not in progress
            variants.append(
                ("blank_reason", held[0], "   ", (ValidationError, InvalidTransitionError))
            )
        label, task_id, reason, expected = self.rng.choice(variants)
        self.attempt(
            f"release_task!{label}",
            lambda c: c.release_task(task_id, reason),
            mode="invalid",
            expect=expected,
        )

    def op_task_dependency(self) -> None:
        """Point a task at another through blocked_by_task_id, often closing a cycle."""
        task = self.task()
        other = self.ledger.pick("build_task", self.rng)
        if task is None or other is None:
            return
        # blocked_by_task_id is a blocks edge: setting it adds, retypes or drops edges of task
        edge = self.ledger.edge_begin("touch", task.id, None)
        if self.rng.random() < 0.5:
            self.edge_attempt(
                "task_dependency_link",
                edge,
                lambda c: c.update_task(task.id, {"blocked_by_task_id": str(other.id)}),
                on_ack=self.observe,
            )
        else:
            self.edge_attempt(
                "block_task_on",
                edge,
                lambda c: c.block_task(
                    task.id, "waits on another task", blocked_by_task_id=other.id
                ),
                on_ack=self.observe,
            )

    def check_edge(
        self, op: str, task_id: UUID, depends_on: UUID, kind: str
    ) -> Callable[[Result[TaskDependency]], None]:
        def ack(result: Result[TaskDependency]) -> None:
            edge = result.data
            if (edge.task_id, edge.depends_on_task_id, str(edge.kind)) != (
                task_id,
                depends_on,
                kind,
            ):
                self.ledger.fail(f"{op}: acknowledged another edge than asked for", repr(result))

        return ack

    def op_add_dependency(self) -> None:
        """An edge of any kind between two tasks (refused across projects or when a
        blocks edge would close a cycle)."""
        task = self.task()
        other = None if task is None else self.ledger.pick_near(task, self.rng)
        if task is None or other is None or task.id == other.id:
            return
        kind = self.rng.choices(DEPENDENCY_KINDS, (3, 1, 1))[0]
        edge = self.ledger.edge_begin("add", task.id, other.id, kind)
        self.edge_attempt(
            f"add_dependency:{kind}",
            edge,
            lambda c: c.add_dependency(task.id, other.id, kind=kind),
            on_ack=self.check_edge("add_dependency", task.id, other.id, kind),
        )

    def op_add_dependency_cycle(self) -> None:
        """The edge back along acknowledged blocks edges a -> b (-> c): as blocks it closes
        a cycle and must be refused unless an edge of the path went meanwhile (the
        verification decides with the timings); as related or discovered_from it is fine."""
        path = self.ledger.blocks_path(self.rng, self.rng.choice((1, 1, 2)))
        if path is None:
            return
        first, last = path[0], path[-1]
        kind = "blocks" if self.rng.random() < 0.8 else self.rng.choice(DEPENDENCY_KINDS[1:])
        edge = self.ledger.edge_begin("add", last, first, kind)
        self.edge_attempt(
            f"add_dependency:close_cycle_{len(path)}{'' if kind == 'blocks' else ':' + kind}",
            edge,
            lambda c: c.add_dependency(last, first, kind=kind),
            on_ack=self.check_edge("add_dependency", last, first, kind),
        )

    def op_add_dependency_invalid(self) -> None:
        task = self.task()
        other = self.ledger.pick("build_task", self.rng)
        if task is None or other is None:
            return
        variants: list[tuple[str, UUID, UUID, str, tuple[Refusal, ...]]] = [
            ("self", task.id, task.id, self.rng.choice(DEPENDENCY_KINDS), (ValidationError,)),
            ("bad_kind", task.id, other.id, "duplicates", (ValidationError,)),
            ("missing_task", task.id, uuid.uuid4(), "blocks", (MissingReferenceError,)),
        ]
        label, task_id, depends_on, kind, expected = self.rng.choice(variants)
        edge = self.ledger.edge_begin("add", task_id, depends_on, kind)
        self.edge_attempt(
            f"add_dependency!{label}",
            edge,
            lambda c: c.add_dependency(task_id, depends_on, kind=kind),
            mode="invalid",
            expect=expected,
        )

    def op_remove_dependency(self) -> None:
        pair = self.ledger.pick_edge(self.rng)
        if pair is None:
            return
        task_id, depends_on = pair
        edge = self.ledger.edge_begin("remove", task_id, depends_on)
        self.edge_attempt(
            "remove_dependency",
            edge,
            lambda c: c.remove_dependency(task_id, depends_on),
        )

    def op_remove_missing_dependency(self) -> None:
        task = self.task()
        if task is None:
            return
        self.attempt(
            "remove_dependency!missing",
            lambda c: c.remove_dependency(task.id, uuid.uuid4()),
            mode="invalid",
            expect=(NotFoundError,),
        )

    def comment_target(self) -> tuple[str, UUID] | None:
        kinds: tuple[Kind, ...] = ("feature", "component", "build_task", "requirement")
        if self.rng.random() < 1 / len(COMMENT_TYPES):
            project_id = self.ledger.pick_project(self.rng)
            return None if project_id is None else ("project", project_id)
        entity = self.ledger.pick(self.rng.choice(kinds), self.rng)
        return None if entity is None else (entity.kind, entity.id)

    def comment_body(self) -> str:
        """A body naming its own unique tag, so the verification finds it again."""
        tag = self.ledger.name("comment")
        shape = self.rng.random()
        if shape < 0.1:
            return f"[{tag}] " + "long note " * self.rng.randint(300, 990)
        if shape < 0.25:
            return f"  [{tag}] naïve façade — 完成 ✓\nsecond line\ttab  "
        return f"[{tag}] {self.text(self.rng.randint(3, 12))}"

    def op_add_comment(self) -> None:
        target = self.comment_target()
        if target is None:
            return
        entity_type, entity_id = target
        body = self.comment_body()

        def ack(result: Result[Comment]) -> None:
            comment = result.data
            if (str(comment.entity_type), comment.entity_id, comment.body) != (
                entity_type,
                entity_id,
                body,
            ):
                self.ledger.fail("add_comment: acknowledged another comment", repr(result))
            self.ledger.commented(comment)

        self.attempt(
            f"add_comment:{entity_type}",
            lambda c: c.add_comment(entity_type, entity_id, body),
            mode="random",  # refused when the entity was deleted meanwhile
            on_ack=ack,
            on_refused=lambda: self.ledger.comment_refused(body),
        )

    def op_add_comment_invalid(self) -> None:
        target = self.comment_target()
        if target is None:
            return
        entity_type, entity_id = target
        tag = self.ledger.name("comment")
        variants: list[tuple[str, str, UUID, str, Refusal]] = [
            # spaces only: a body of tabs and line breaks is accepted (btrim trims spaces)
            ("blank_body", entity_type, entity_id, "    ", ValidationError),
            ("long_body", entity_type, entity_id, f"[{tag}] " + "x" * 10_000, ValidationError),
            ("bad_type", "sprint", entity_id, f"[{tag}] about a sprint", ValidationError),
            (
                "missing_entity",
                entity_type,
                uuid.uuid4(),
                f"[{tag}] about nothing",
                MissingReferenceError,
            ),
        ]
        label, etype, eid, body, expected = self.rng.choice(variants)
        self.attempt(
            f"add_comment!{label}",
            lambda c: c.add_comment(etype, eid, body),
            mode="invalid",
            expect=(expected,),
            on_refused=lambda: self.ledger.comment_refused(body),
        )

    def op_update_task(self) -> None:
        task = self.task()
        if task is None:
            return
        identity = self.ledger.pick_identity(self.rng)
        comp = self.ledger.pick("component", self.rng)
        choices: list[tuple[str, dict[str, Any]]] = [
            ("priority", {"priority": self.rng.randint(1, 10)}),
            ("estimate", {"estimated_hours": self.rng.choice((2, 5.5, 13))}),
            ("rename", {"task_name": self.ledger.name("task")}),
        ]
        if identity is not None:
            choices.append(("reassign", {"assigned_to_identity_id": str(identity)}))
        if comp is not None:
            choices.append(("move_component", {"component_id": str(comp.id)}))
        label, changes = self.rng.choice(choices)
        if comp is not None and label == "move_component":
            self.ledger.may_move(task, component=comp.id)
        self.attempt(
            f"update_task:{label}",
            lambda c: c.update_task(task.id, changes),
            mode="random",
            on_ack=self.observe,
            on_refused=None
            if label != "rename"
            else lambda: self.ledger.refused_name("build_task", changes["task_name"]),
        )

    def op_update_task_invalid(self) -> None:
        task = self.task()
        if task is None:
            return
        variants: list[tuple[str, dict[str, Any], Refusal]] = [
            ("bad_priority", {"priority": 99}, ValidationError),
            ("negative_estimate", {"estimated_hours": -3}, ValidationError),
            ("status_key", {"status": "completed"}, ValidationError),
            ("unknown_key", {"owner": "bob"}, ValidationError),
            ("own_blocker", {"blocked_by_task_id": str(task.id)}, ValidationError),
            ("forged_date", {"started_at": "2020-01-01T00:00:00Z"}, ValidationError),
            ("hours_text", {"estimated_hours": "lots"}, ValidationError),
            ("missing_blocker", {"blocked_by_task_id": str(uuid.uuid4())}, MissingReferenceError),
        ]
        label, changes, expected = self.rng.choice(variants)
        self.attempt(
            f"update_task!{label}",
            lambda c: c.update_task(task.id, changes),
            mode="invalid",
            expect=(expected,),
        )

    # -- requirements
    def op_add_requirement(self) -> None:
        feature = self.feature()
        creator = self.identity()
        if feature is None or creator is None:
            return
        name = self.ledger.name("requirement")
        criteria = [
            "the page must load in two seconds",
            "given a user when they log in then they see the dashboard",
            "errors should be shown inline",
        ][: self.rng.randint(1, 3)]

        def ack(result: Result[Requirement]) -> None:
            r = result.data
            self.ledger.created(
                Entity("requirement", r.requirement_id, name, {r.feature_id}, status=r.status)
            )

        self.attempt(
            "add_requirement",
            lambda c: c.add_requirement(
                feature_id=feature.id,
                requirement_name=name,
                requirement_type=self.rng.choice(REQUIREMENT_TYPES),
                description=self.text(self.rng.choice((4, 12))),
                acceptance_criteria=criteria,
                priority=self.rng.randint(1, 10),
                must_have=self.rng.random() < 0.3,
                created_by_identity_id=creator,
            ),
            mode="random",
            on_ack=ack,
            on_refused=lambda: self.ledger.refused_name("requirement", name),
        )

    def op_add_requirement_invalid(self) -> None:
        feature = self.feature()
        creator = self.identity()
        if feature is None or creator is None:
            return
        base: dict[str, Any] = {
            "feature_id": feature.id,
            "requirement_name": self.ledger.name("requirement"),
            "requirement_type": "functional",
            "description": self.text(8),
            "acceptance_criteria": ["it must work"],
            "created_by_identity_id": creator,
        }
        variants: list[tuple[str, dict[str, Any], Refusal]] = [
            ("no_criteria", {"acceptance_criteria": []}, ValidationError),
            ("blank_criterion", {"acceptance_criteria": ["  "]}, ValidationError),
            ("short_description", {"description": "too short"}, ValidationError),
            ("bad_type", {"requirement_type": "vibes"}, ValidationError),
            ("no_creator", {"created_by_identity_id": None}, ValidationError),
            ("missing_creator", {"created_by_identity_id": uuid.uuid4()}, MissingReferenceError),
            ("bad_priority", {"priority": 0}, ValidationError),
        ]
        label, changes, expected = self.rng.choice(variants)
        args = {**base, **changes}
        self.attempt(
            f"add_requirement!{label}",
            lambda c: c.add_requirement(**args),
            mode="invalid",
            expect=(expected, InvalidTransitionError),
            on_refused=lambda: self.ledger.refused_name("requirement", args["requirement_name"]),
        )

    def op_requirement_transition(self) -> None:
        req = self.requirement()
        if req is None:
            return
        comp = self.ledger.pick_done_component(self.ledger.feature_ids(req), self.rng)
        if comp is None or self.rng.random() < 0.1:
            comp = self.ledger.pick("component", self.rng)
        component_id = None if comp is None else comp.id
        if req.status == "implemented":
            self.attempt(
                "verify_requirement",
                lambda c: c.verify_requirement(
                    req.id, test_results={"passed": 12}, test_run_id=uuid.uuid4()
                ),
                mode="random",
                on_ack=self.observe,
            )
            return
        if req.status in ("draft", "defined") and self.rng.random() < 0.15:
            new_status = "rejected"
        else:
            new_status = {"draft": "defined", "defined": "approved", "approved": "implemented"}.get(
                req.status, "defined"
            )
        if new_status == "approved" and self.rng.random() < 0.5:
            # approval needs a longer description and three criteria
            self.attempt(
                "update_requirement",
                lambda c: c.update_requirement(
                    req.id,
                    {
                        "description": self.text(14),
                        "acceptance_criteria": [
                            "the export must finish within a minute",
                            "given a failure when retried then it should resume",
                            "a report must list every skipped row",
                        ],
                    },
                ),
                mode="random",
                on_ack=self.observe,
            )
        self.attempt(
            f"requirement->{new_status}",
            lambda c: c.update_requirement_status(
                req.id,
                new_status,
                reason="stress",
                component_id=component_id if new_status == "implemented" else None,
            ),
            mode="random",
            on_ack=self.observe,
        )

    def op_requirement_transition_random(self) -> None:
        req = self.requirement()
        if req is None:
            return
        new_status = self.rng.choice(REQUIREMENT_STATUSES)
        self.attempt(
            f"requirement->{new_status}?",
            lambda c: c.update_requirement_status(req.id, new_status),
            mode="random",
            on_ack=self.observe,
        )

    def op_update_requirement(self) -> None:
        req = self.requirement()
        if req is None:
            return
        options: list[dict[str, Any]] = [
            {"priority": self.rng.randint(1, 10)},
            {"must_have": self.rng.random() < 0.5},
        ]
        changes = self.rng.choice(options)
        self.attempt(
            "update_requirement",
            lambda c: c.update_requirement(req.id, changes),
            mode="random",
            on_ack=self.observe,
        )

    def op_update_requirement_invalid(self) -> None:
        req = self.requirement()
        if req is None:
            return
        variants: list[tuple[str, dict[str, Any], Refusal]] = [
            ("bad_priority", {"priority": 0}, ValidationError),
            ("blank_criterion", {"acceptance_criteria": [""]}, ValidationError),
            ("status_key", {"status": "verified"}, ValidationError),
            ("unknown_key", {"severity": "high"}, ValidationError),
            ("forged_date", {"verified_at": "2020-01-01T00:00:00Z"}, ValidationError),
        ]
        label, changes, expected = self.rng.choice(variants)
        self.attempt(
            f"update_requirement!{label}",
            lambda c: c.update_requirement(req.id, changes),
            mode="invalid",
            expect=(expected,),
        )

    # -- reads and jobs
    def op_reads(self) -> None:
        feature = self.feature()
        if feature is None:
            return
        read: list[tuple[str, Callable[[Client], object]]] = [
            ("get_feature_with_children", lambda c: c.get_feature_with_children(feature.id)),
            ("can_complete_feature", lambda c: c.can_complete_feature(feature.id)),
            ("get_feature_completion", lambda c: c.get_feature_completion(feature.id)),
            ("get_ready_tasks", lambda c: c.get_ready_tasks(feature_id=feature.id, max_rows=10)),
            ("get_activity", lambda c: c.get_activity(source_id=feature.id, max_rows=20)),
            ("get_comments", lambda c: c.get_comments("feature", feature.id, max_rows=20)),
            (
                "get_ready_tasks:labels",
                lambda c: c.get_ready_tasks(labels=self.labels(2) or ["db"], max_rows=10),
            ),
            (
                "validate",
                lambda c: c.validate("feature", {"feature_name": "ab", "priority": 12}),
            ),
        ]
        task = self.ledger.pick("build_task", self.rng)
        if task is not None:
            read.append(
                ("get_task_dependencies", lambda c: c.get_task_dependencies(task.id)),
            )
        label, call = self.rng.choice(read)
        self.attempt(f"read:{label}", call, mode="random")

    def op_run_jobs(self) -> None:
        self.attempt("run_jobs", lambda c: c.run_jobs(), mode="random")


# ---------------------------------------------------------------- faults


class Chaos(threading.Thread):
    """Terminates a random worker session every 1-2 s; restarts the server once."""

    def __init__(
        self,
        url: str,
        ledger: Ledger,
        deadline: float,
        restart_at: float | None,
        restart_command: str | None,
        seed: int,
    ) -> None:
        super().__init__(name="stress-chaos", daemon=True)
        self.url = url
        self.ledger = ledger
        self.deadline = deadline
        self.restart_at = restart_at
        self.restart_command = restart_command
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.conn: Conn | None = None

    def run(self) -> None:
        try:
            while not self.stop.wait(self.rng.uniform(1.0, 2.0)):
                if time.monotonic() >= self.deadline:
                    break
                if self.restart_at is not None and time.monotonic() >= self.restart_at:
                    self.restart_at = None
                    self.restart()
                else:
                    self.kill()
        except Exception:
            self.ledger.fail("fault injection failed", traceback.format_exc())
        finally:
            if self.conn is not None:
                self.conn.close()

    def kill(self) -> None:
        try:
            if self.conn is None or self.conn.closed or self.conn.broken:
                self.conn = connect_with_backoff(self.url, CHAOS_APPLICATION_NAME, self.deadline)
                if self.conn is None:
                    return
            row = self.conn.execute(
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s AND pid <> pg_backend_pid()"
                "   AND datname = current_database()"
                " ORDER BY random() LIMIT 1",
                (APPLICATION_NAME,),
            ).fetchone()
        except psycopg.OperationalError:
            self.conn = None
            return  # the server is restarting; try again next time
        with self.ledger.lock:
            self.ledger.kill_attempts += 1
            if row is not None and row[1]:
                self.ledger.kills += 1

    def restart(self) -> None:
        assert self.restart_command is not None
        started = time.monotonic()
        done = subprocess.run(
            self.restart_command, shell=True, capture_output=True, text=True, timeout=180
        )
        took = time.monotonic() - started
        if done.returncode != 0:
            self.ledger.fail(
                f"restart command {self.restart_command!r} exited {done.returncode}",
                done.stdout + done.stderr,
            )
            return
        with self.ledger.lock:
            self.ledger.restarts.append(f"{self.restart_command} ({took:.1f} s)")


# ---------------------------------------------------------------- checks


Violation = tuple[str, str, UUID | None, str]


def check_invariants(conn: Conn) -> list[Violation]:
    return [
        (str(r[0]), str(r[1]), r[2], str(r[3]))
        for r in conn.execute(
            "SELECT invariant, entity, entity_id, detail FROM claude.check_invariants()"
            " ORDER BY 1, 2, 3"
        ).fetchall()
    ]


def baseline(url: str) -> set[tuple[str, str, UUID | None]]:
    """The violations present before the run (left by earlier writers, not by this run)."""
    with connect(url, "bt-stress-verify") as conn:
        return {(inv, entity, entity_id) for inv, entity, entity_id, _ in check_invariants(conn)}


def verify(
    url: str, ledger: Ledger, before: set[tuple[str, str, UUID | None]]
) -> tuple[list[str], list[str], list[str]]:
    """(invariant violations, lost acknowledged writes, observations) after the run."""
    conn = connect_with_backoff(url, "bt-stress-verify", time.monotonic() + 120)
    if conn is None:
        return ([], ["cannot reconnect to the database after the run"], [])
    with conn:
        found = check_invariants(conn)
        violations = [
            f"{inv} {entity} {entity_id}: {detail}"
            for inv, entity, entity_id, detail in found
            if (inv, entity, entity_id) not in before
        ]
        old = Counter(
            inv for inv, entity, entity_id, _ in found if (inv, entity, entity_id) in before
        )
        lost: list[str] = [f"conflicting terminal statuses: {c}" for c in ledger.conflicts]
        gone = ledger.deleted_features | ledger.maybe_deleted_features
        entities = list(ledger.entities.values())

        def features_of(entity: Entity) -> set[UUID]:
            ids = set(entity.feature_ids)
            for comp_id in entity.component_ids:
                comp = ledger.entities.get(comp_id)
                ids |= comp.feature_ids if comp is not None else set()
            return ids

        stored: dict[UUID, str] = {}
        for kind, (table, key) in TABLES.items():
            ids = [e.id for e in entities if e.kind == kind]
            for row in conn.execute(
                f"SELECT {key}, status FROM {table} WHERE {key} = ANY(%s)", (ids,)
            ).fetchall():
                stored[row[0]] = row[1]
        for entity in entities:
            features = features_of(entity)
            if features & gone:
                # a feature it may belong to was deleted: it may be gone; if every one of
                # them was deleted with an acknowledgement, it must be gone (cascade)
                if features <= ledger.deleted_features and entity.id in stored:
                    lost.append(
                        f"{entity.kind} {entity.id} ({entity.name}) survived the acknowledged"
                        " delete of its feature"
                    )
                continue
            if entity.id not in stored:
                lost.append(
                    f"{entity.kind} {entity.id} ({entity.name}) was acknowledged but is gone"
                )
            elif entity.terminal is not None and stored[entity.id] != entity.terminal:
                lost.append(
                    f"{entity.kind} {entity.id} ({entity.name}): acknowledged {entity.terminal},"
                    f" stored {stored[entity.id]}"
                )
        for label, table, key, known in (
            ("project", "claude.projects", "project_id", [p for p, _ in ledger.projects]),
            ("identity", "claude.identities", "identity_id", [i for i, _ in ledger.identities]),
        ):
            present = {
                r[0]
                for r in conn.execute(
                    f"SELECT {key} FROM {table} WHERE {key} = ANY(%s)", (known,)
                ).fetchall()
            }
            lost.extend(
                f"{label} {i} was acknowledged but is gone" for i in known if i not in present
            )

        # the history of acknowledged writes survives too (the feed outlives deletes):
        # every creation, every acknowledged terminal status, every acknowledged delete
        logged: set[tuple[UUID, str]] = set()
        statuses: set[tuple[UUID, str]] = set()
        for source_id, activity_type, new_status in conn.execute(
            "SELECT source_id, activity_type, changes -> 'status' ->> 'new'"
            "  FROM claude.activity_feed WHERE source_id = ANY(%s)"
            "   AND (activity_type IN ('created', 'deleted') OR changes ? 'status')",
            ([e.id for e in entities],),
        ).fetchall():
            logged.add((source_id, activity_type))
            if new_status is not None:
                statuses.add((source_id, new_status))
        for entity in entities:
            if (entity.id, "created") not in logged:
                lost.append(f"{entity.kind} {entity.id}: no 'created' row in the activity feed")
            if entity.terminal is not None and (entity.id, entity.terminal) not in statuses:
                lost.append(
                    f"{entity.kind} {entity.id}: acknowledged {entity.terminal}, no activity row"
                    " records it"
                )
        lost.extend(
            f"feature {f}: acknowledged delete, no 'deleted' row in the activity feed"
            for f in ledger.deleted_features
            if (f, "deleted") not in logged
        )

        # a task leaves todo once, and again only after a release (in_progress -> todo):
        # more acknowledged starts than that mean two callers were handed the same task
        # (a claim taking over an expired lease is no start: the task stays in_progress)
        violations.extend(
            f"task {task_id} was started (or claimed) {n} times with an acknowledgement,"
            f" released at most {ledger.releases[task_id] + ledger.maybe_releases[task_id]}"
            " times"
            for task_id, n in ledger.starts.items()
            if n > 1 + ledger.releases[task_id] + ledger.maybe_releases[task_id]
        )
        # ... and the feed holds a row for each of them: starts, releases, take-overs
        moves: Counter[tuple[UUID, str]] = Counter()
        for source_id, move, n in conn.execute(
            "SELECT source_id, CASE WHEN activity_type = 'reclaimed' THEN 'reclaimed'"
            "                       ELSE (changes -> 'status' ->> 'old') || '->'"
            "                            || (changes -> 'status' ->> 'new') END, count(*)"
            "  FROM claude.activity_feed WHERE source_id = ANY(%s)"
            "   AND (activity_type = 'reclaimed' OR changes ? 'status') GROUP BY 1, 2",
            # claims without a project may take tasks this run did not create
            (list(set(ledger.starts) | set(ledger.releases) | set(ledger.reclaims_from_other)),),
        ).fetchall():
            moves[(source_id, move)] = n
        for label, move, counts in (
            ("starts (or claims)", "todo->in_progress", ledger.starts),
            ("releases", "in_progress->todo", ledger.releases),
            ("take-overs of an expired lease", "reclaimed", ledger.reclaims_from_other),
        ):
            lost.extend(
                f"task {task_id}: {n} acknowledged {label}, {moves[(task_id, move)]} in the feed"
                for task_id, n in counts.items()
                if moves[(task_id, move)] < n
            )

        def task_may_be_gone(task_id: UUID) -> bool:
            entity = ledger.entities.get(task_id)
            return entity is None or bool(features_of(entity) & gone)

        edge_violations, edge_lost, edge_note = verify_edges(conn, ledger, task_may_be_gone)
        violations.extend(edge_violations)
        lost.extend(edge_lost)
        lost.extend(verify_comments(conn, ledger, violations))
        # a refused create or rename writes nothing
        for name_kind, (table, column) in NAME_COLUMNS.items():
            names = sorted(ledger.refused_names.get(name_kind, ()))
            violations.extend(
                f"{name_kind} {row[0]!r} exists although the call creating it was refused"
                for row in conn.execute(
                    f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)", (names,)
                ).fetchall()
            )
        # a completed feature stays completable: nothing joins it afterwards (no
        # component, task, requirement or child feature; no requirement becomes
        # must-have), and what it holds only moves to final statuses
        violations.extend(
            f"completed feature {feature_id}: its completion gate no longer passes: {failures}"
            for feature_id, failures in conn.execute(
                "SELECT f.feature_id, g.failures FROM claude.features f,"
                "       LATERAL claude.feature_completion_failures(f.feature_id) AS g(failures)"
                " WHERE f.feature_id = ANY(%s) AND f.status = 'completed'"
                "   AND cardinality(g.failures) > 0",
                ([e.id for e in entities if e.kind == "feature"],),
            ).fetchall()
        )
        notes: list[str] = [edge_note]
        if old:
            notes.append(
                "violations already present before the run (not counted; left by earlier"
                " writers): " + ", ".join(f"{k} {v}" for k, v in old.most_common())
            )
        return violations, lost, notes


def verify_edges(
    conn: Conn, ledger: Ledger, task_may_be_gone: Callable[[UUID], bool]
) -> tuple[list[str], list[str], str]:
    """(violations, lost writes, a note on what was checked) of the dependency edges.

    An edge some add_dependency acknowledged must still exist when every call that
    may have dropped it (a remove, a blocked_by_task_id change of its task, acknowledged
    or of unknown outcome) had ended before that add began - and with the add's kind
    when no call that may have retyped it overlapped or followed. An acknowledged
    blocks edge x -> y must not have closed a cycle: no path y -> ... -> x of blocks
    edges that certainly existed throughout the call. Every acknowledged add and
    remove has its feed row.
    """
    violations: list[str] = []
    lost: list[str] = []
    edge_ops = ledger.edge_ops
    touches = ledger.touches

    def droppers(pair: tuple[UUID, UUID]) -> list[EdgeOp]:
        return [
            o
            for o in edge_ops.get(pair, []) + touches.get(pair[0], [])
            if o.outcome != "refused" and (o.action != "add")
        ]

    def acked_adds(pair: tuple[UUID, UUID]) -> list[EdgeOp]:
        return [
            o for o in edge_ops.get(pair, []) if o.action == "add" and o.outcome == "acknowledged"
        ]

    stored = {
        (t, d): k
        for t, d, k in conn.execute(
            "SELECT task_id, depends_on_task_id, kind FROM claude.task_dependencies"
            " WHERE task_id = ANY(%s)",
            (list({t for t, _ in edge_ops}),),
        ).fetchall()
    }
    present = typed = cycle_checks = 0
    for pair, ops in edge_ops.items():
        if task_may_be_gone(pair[0]) or task_may_be_gone(pair[1]):
            continue
        drops = droppers(pair)
        after_drops = [a for a in acked_adds(pair) if all(r.end < a.start for r in drops)]
        if not after_drops:
            continue
        last = max(after_drops, key=lambda a: a.start)
        name = f"dependency {pair[0]} -> {pair[1]}"
        present += 1
        if pair not in stored:
            lost.append(f"{name} ({last.kind}) was acknowledged but is gone")
            continue
        retypes = [
            o for o in ops if o.action == "add" and o.outcome != "refused" and o.kind != last.kind
        ]
        if not all(o.end < last.start for o in retypes):
            continue
        typed += 1
        if stored[pair] != last.kind:
            lost.append(f"{name}: acknowledged as {last.kind}, stored as {stored[pair]}")

    def certain_blocks(pair: tuple[UUID, UUID], start: float, end: float) -> bool:
        """Whether the blocks edge existed throughout [start, end]."""
        if task_may_be_gone(pair[0]) or task_may_be_gone(pair[1]):
            return False
        changes = droppers(pair) + [
            o
            for o in edge_ops.get(pair, [])
            if o.action == "add" and o.outcome != "refused" and o.kind != "blocks"
        ]
        return any(
            a.kind == "blocks"
            and a.end < start
            and all(o.end < a.start or o.start > end for o in changes)
            for a in acked_adds(pair)
        )

    successors: dict[UUID, list[UUID]] = {}
    for t, d in edge_ops:
        successors.setdefault(t, []).append(d)
    for (x, y), ops in edge_ops.items():
        for closing in ops:
            if closing.action != "add" or closing.outcome != "acknowledged":
                continue
            if closing.kind != "blocks":
                continue
            # a path y -> ... -> x that stood throughout the call
            seen = {y}
            frontier = [y]
            while frontier and x not in seen:
                node = frontier.pop()
                for nxt in successors.get(node, []):
                    if nxt not in seen and certain_blocks((node, nxt), closing.start, closing.end):
                        seen.add(nxt)
                        frontier.append(nxt)
            cycle_checks += 1
            if x in seen:
                violations.append(
                    f"dependency_cycle_accepted: blocks edge {x} -> {y} acknowledged although"
                    f" blocks edges led from {y} back to {x} throughout the call"
                )

    # the feed: a row for every acknowledged add and remove
    logged: Counter[tuple[UUID, UUID, str]] = Counter()
    for source_id, new, old, n in conn.execute(
        "SELECT source_id, changes -> 'dependency' -> 'new' ->> 'depends_on_task_id',"
        "       changes -> 'dependency' -> 'old' ->> 'depends_on_task_id', count(*)"
        "  FROM claude.activity_feed WHERE source_id = ANY(%s) AND changes ? 'dependency'"
        " GROUP BY 1, 2, 3",
        (list({t for t, _ in edge_ops}),),
    ).fetchall():
        if new is not None:
            logged[(source_id, UUID(new), "add")] += n
        elif old is not None:
            logged[(source_id, UUID(old), "remove")] += n
    wanted: Counter[tuple[UUID, UUID, str]] = Counter(
        (o.task_id, pair[1], o.action)
        for pair, ops in edge_ops.items()
        for o in ops
        if o.outcome == "acknowledged" and o.action in ("add", "remove")
    )
    lost.extend(
        f"dependency {t} -> {d}: {n} acknowledged {action}s, {logged[(t, d, action)]} feed rows"
        for (t, d, action), n in wanted.items()
        if logged[(t, d, action)] < n
    )
    note = (
        f"dependency edges that must exist: {present} ({typed} with a known kind);"
        f" acknowledged blocks edges checked for closing a cycle: {cycle_checks}"
    )
    return violations, lost, note


def verify_comments(conn: Conn, ledger: Ledger, violations: list[str]) -> list[str]:
    """Lost comments: every acknowledged one is stored as written, with its feed row.
    A comment the database refused must not exist (appended to ``violations``)."""
    lost: list[str] = []
    ids = [c.comment_id for c in ledger.comments]
    stored = {
        r[0]: (r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT comment_id, entity_type, entity_id, body FROM claude.comments"
            " WHERE comment_id = ANY(%s)",
            (ids,),
        ).fetchall()
    }
    logged = {
        UUID(r[0])
        for r in conn.execute(
            "SELECT changes ->> 'comment_id' FROM claude.activity_feed"
            " WHERE activity_type = 'commented' AND changes ->> 'comment_id' = ANY(%s)",
            ([str(i) for i in ids],),
        ).fetchall()
    }
    for c in ledger.comments:
        row = stored.get(c.comment_id)
        if row is None:
            lost.append(f"comment {c.comment_id} on {c.entity_type} {c.entity_id} is gone")
        elif row != (c.entity_type, c.entity_id, c.body):
            lost.append(f"comment {c.comment_id} changed: stored {row[0]} {row[1]} {row[2][:60]!r}")
        if c.comment_id not in logged:
            lost.append(f"comment {c.comment_id}: no 'commented' row in the activity feed")
    violations.extend(
        f"comment {r[0]} exists although the call adding it was refused"
        for r in conn.execute(
            "SELECT comment_id FROM claude.comments WHERE body = ANY(%s)",
            (sorted(ledger.refused_comment_bodies),),
        ).fetchall()
    )
    return lost


# ---------------------------------------------------------------- report


def report(
    ledger: Ledger,
    args: argparse.Namespace,
    elapsed: float,
    violations: list[str],
    lost: list[str],
    hung: list[str],
    notes: list[str],
) -> int:
    totals = OpStats()
    print(
        f"stress run {ledger.tag}: {args.workers} workers, {elapsed:.1f} s, faults {'on' if args.faults else 'off'}"
    )
    print()
    print(f"{'operation':44} {'tried':>7} {'acked':>7} {'refused':>7} {'unknown':>7} {'failed':>6}")
    for op in sorted(ledger.ops):
        s = ledger.ops[op]
        print(f"{op:44} {s.attempts:7} {s.acknowledged:7} {s.refused:7} {s.unknown:7} {s.failed:6}")
        for name in ("attempts", "acknowledged", "refused", "unknown", "failed"):
            setattr(totals, name, getattr(totals, name) + getattr(s, name))
    print(
        f"{'TOTAL':44} {totals.attempts:7} {totals.acknowledged:7} {totals.refused:7}"
        f" {totals.unknown:7} {totals.failed:6}"
    )
    print()
    print("refusals by kind: " + ", ".join(f"{k} {v}" for k, v in ledger.refusals.most_common()))
    if ledger.retryable:
        print(
            "retryable conflicts by operation: "
            + ", ".join(f"{k} {v}" for k, v in ledger.retryable.most_common())
        )
    kinds = Counter(e.kind for e in ledger.entities.values())
    print(
        f"acknowledged entities: {len(ledger.projects)} projects, {len(ledger.identities)} identities, "
        + ", ".join(f"{v} {k}s" for k, v in sorted(kinds.items()))
        + f"; features deleted: {len(ledger.deleted_features)} acknowledged,"
        f" {len(ledger.maybe_deleted_features)} unknown"
    )
    terminal = sum(1 for e in ledger.entities.values() if e.terminal is not None)
    print(f"entities with an acknowledged terminal status: {terminal}")
    edge_ops = [o for ops in ledger.edge_ops.values() for o in ops]
    print(
        f"work: {sum(ledger.starts.values())} starts and claims,"
        f" {sum(ledger.reclaims.values())} take-overs of an expired lease"
        f" ({sum(ledger.reclaims_from_other.values())} from another identity),"
        f" {sum(ledger.releases.values())} releases acknowledged;"
        f" dependencies: {sum(o.action == 'add' and o.outcome == 'acknowledged' for o in edge_ops)}"
        f" adds and {sum(o.action == 'remove' and o.outcome == 'acknowledged' for o in edge_ops)}"
        f" removes acknowledged; comments: {len(ledger.comments)} acknowledged"
    )
    print(
        f"faults: {ledger.kills} sessions terminated ({ledger.kill_attempts} attempts),"
        f" {len(ledger.restarts)} server restarts{': ' if ledger.restarts else ''}"
        + "; ".join(ledger.restarts)
        + f"; worker reconnects: {ledger.reconnects}"
    )
    for note in notes:
        print(note)
    kinds_violated = Counter(v.split(" ", 1)[0] for v in violations)
    print(
        f"invariant violations: {len(violations)}"
        + (
            " (" + ", ".join(f"{k} {n}" for k, n in kinds_violated.most_common()) + ")"
            if violations
            else ""
        )
    )
    for v in violations[:20]:
        print(f"  {v}")
    print(f"lost acknowledged writes: {len(lost)}")
    for item in lost[:20]:
        print(f"  {item}")
    problems = dict(ledger.failures)
    problems.update((h, (1, "")) for h in hung)
    if args.faults and ledger.kills == 0:
        problems["--faults was given but no session was terminated"] = (1, "")
    if args.faults and args.pg_ctl_restart and not ledger.restarts:
        problems["--pg-ctl-restart was given but the server was not restarted"] = (1, "")
    if totals.acknowledged == 0:
        problems["no call was acknowledged at all"] = (1, "")
    print(f"failures: {sum(count for count, _ in problems.values())}")
    for key, (count, detail) in sorted(problems.items()):
        print(f"  {count} x {key}")
        lines = detail.strip().splitlines()
        for line in lines[-12:]:  # the end of a traceback says the most
            print(f"      {line}")
    ok = not problems and not violations and not lost
    print("RESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--faults", action="store_true", help="terminate worker sessions during the run"
    )
    parser.add_argument(
        "--pg-ctl-restart",
        metavar="CMD",
        help="shell command restarting the server; with --faults it runs once half-way through",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument(
        "--mixed-timezones",
        action="store_true",
        help="give the workers' sessions different TimeZone settings (clients in several zones)",
    )
    args = parser.parse_args(argv)

    if args.faults and args.pg_ctl_restart:
        with connect(args.database_url, "bt-stress-check") as conn:
            row = conn.execute("SHOW synchronous_commit").fetchone()
        if row is None or row[0] == "off":
            # the server acknowledges a commit before its WAL is written; a crash
            # then loses acknowledged writes by design, which this run would report
            print(
                "stress: the server runs with synchronous_commit = off, so an immediate"
                " restart loses acknowledged commits by design; turn it on for a fault run"
                " (scripts/pg_embedded.sh starts the embedded server with it on)",
                file=sys.stderr,
            )
            return 2

    seed = args.seed if args.seed is not None else random.randrange(2**32)
    tag = uuid.uuid4().hex[:8]
    ledger = Ledger(tag)
    print(f"seed {seed}, run tag {tag}", flush=True)
    before = baseline(args.database_url)
    started = time.monotonic()
    deadline = started + args.seconds
    workers = [
        Worker(
            n,
            args.database_url,
            ledger,
            deadline,
            seed + n,
            TIMEZONES[n % len(TIMEZONES)] if args.mixed_timezones else None,
        )
        for n in range(args.workers)
    ]
    chaos: Chaos | None = None
    if args.faults:
        restart_at = started + args.seconds / 2 if args.pg_ctl_restart else None
        chaos = Chaos(
            args.database_url, ledger, deadline, restart_at, args.pg_ctl_restart, seed - 1
        )
    for w in workers:
        w.start()
    if chaos is not None:
        chaos.start()
    hung: list[str] = []
    grace = STATEMENT_TIMEOUT_MS / 1000 + 30
    for w in workers:
        w.join(max(0.0, deadline + grace - time.monotonic()))
        if w.is_alive():
            hung.append(f"{w.name} still running {grace:.0f} s after the deadline")
    if chaos is not None:
        chaos.stop.set()
        chaos.join(200)
        if chaos.is_alive():
            hung.append("the chaos thread did not finish")
    elapsed = time.monotonic() - started
    violations, lost, notes = verify(args.database_url, ledger, before)
    return report(ledger, args, elapsed, violations, lost, hung, notes)


if __name__ == "__main__":
    sys.exit(main())
