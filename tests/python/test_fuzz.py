"""Property-based fuzz of every SQL function a buildtracker role may execute.

The functions are not listed here: they are read from the catalog (``pg_proc``
in schema ``claude`` that ``buildtracker_writer`` or ``buildtracker_reader``
may EXECUTE), with their argument names and types, and hypothesis builds the
arguments from the types: hostile and random text (quotes, SQL fragments,
``$$``, backslashes, right-to-left and emoji, control characters, up to 1 MB),
ids of a small seeded world, random uuids, non-uuid strings that PostgreSQL
must convert (``'…'::text::uuid``), NULLs, out-of-range numbers, arrays with
NULL or empty elements and JSON of every shape. Only the SPEC section 6 names
are written out, as the minimum the catalog must offer.

Properties, for every call:

* it succeeds, or fails with a SQLSTATE of class 22, 23, P0 or 55 (42501 only
  for a role without EXECUTE on the function); never XX (internal), 42 (an
  undefined object or a syntax error: injection or a bug), 53/54/57, another
  class, nor an error on the Python side;
* it writes nothing when it fails: the row count and newest ``updated_at`` of
  every claude table are unchanged after ``ROLLBACK TO SAVEPOINT``, and a
  sample of the failing calls is replayed in autocommit on a second
  connection, where the row counts, newest timestamps and a hash of every row
  must not move either;
* it leaves the gateway intact: the claude relations, functions, triggers,
  constraints and grants are the same after a successful call (checked before
  it is rolled back) and at the end of the run;
* run as ``buildtracker_writer`` (SET LOCAL ROLE, for a sample) it behaves as
  it does for the superuser: these are SECURITY DEFINER functions.

A call makes up to three of its arguments hostile and the others well-formed
(ids of the right kind, allowed words), so hostile values also get past the
first cast into the triggers and the activity log. Each call runs in a
savepoint on one connection and is always rolled back, so every example meets
the same committed world. The examples are random on a developer's machine
and derandomized under CI (``CI=true``), so CI is repeatable; 25 per function
(``FUZZ_MAX_EXAMPLES=600`` for a longer hunt). The bugs this fuzz found (see
KNOWN_BUGS, all fixed) keep their reproducers, which run on every test run
as regression checks: each must now end in an allowed SQLSTATE.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from psycopg import sql

Conn = psycopg.Connection[tuple[Any, ...]]

# Per function; FUZZ_MAX_EXAMPLES raises it for a longer hunt.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
REPLAYS_PER_FUNCTION = 3  # failing calls replayed in autocommit (plus known bugs')
ALLOWED_CLASSES = frozenset({"22", "23", "P0", "55"})
WRITER = "buildtracker_writer"
READER = "buildtracker_reader"
DERANDOMIZE = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# SPEC section 6: the functions (and their named parameters) the catalog must
# offer at least. Everything else is discovered.
# fmt: off
SPEC_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "add_project": ("project_name",),
    "add_identity": ("identity_name",),
    "add_feature": ("feature_name", "feature_type", "project_id", "description", "priority",
                    "parent_feature_id", "planned_by_identity_id", "design_doc_path"),
    "update_feature": ("feature_id", "changes"),
    "update_feature_status": ("feature_id", "new_status", "reason", "implemented_by_identity_id",
                              "planned_by_identity_id"),
    "complete_feature": ("feature_id",),
    "delete_feature": ("feature_id",),
    "can_complete_feature": ("feature_id",),
    "get_feature_completion": ("feature_id",),
    "get_feature_with_children": ("feature_id",),
    "add_component": ("feature_id", "component_name", "component_type", "planned_functions",
                      "planned_dependencies", "file_path"),
    "update_component": ("component_id", "changes"),
    "update_component_status": ("component_id", "new_status", "reason"),
    "complete_component": ("component_id", "actual_functions", "file_path", "lines_of_code",
                           "has_tests", "test_coverage_percentage"),
    "add_task": ("task_name", "task_description", "task_type", "component_id", "feature_id",
                 "priority", "estimated_hours", "assigned_to_identity_id", "blocked_by_task_id"),
    "update_task": ("task_id", "changes"),
    "start_task": ("task_id", "identity_id"),
    "block_task": ("task_id", "reason", "blocked_by_task_id"),
    "unblock_task": ("task_id", "note"),
    "submit_task_for_review": ("task_id",),
    "request_task_changes": ("task_id", "note"),
    "complete_task": ("task_id", "actual_hours", "completion_notes"),
    "cancel_task": ("task_id", "reason"),
    "claim_next_task": ("identity_id", "project_id", "feature_id"),
    "get_ready_tasks": ("feature_id", "component_id", "project_id", "max_rows"),
    "add_requirement": ("feature_id", "requirement_name", "requirement_type", "description",
                        "acceptance_criteria", "priority", "must_have", "created_by_identity_id"),
    "update_requirement": ("requirement_id", "changes"),
    "update_requirement_status": ("requirement_id", "new_status", "reason", "component_id"),
    "verify_requirement": ("requirement_id", "component_id", "test_results", "test_run_id"),
    "validate": ("entity_type", "data", "operation"),
    "log_activity": ("source_type", "source_id", "activity_type", "title", "summary", "actor",
                     "project_name", "severity"),
    "get_activity": ("project_name", "source_type", "source_id", "actor", "activity_type",
                     "severities", "since", "before", "max_rows"),
    "check_stale_tasks": ("older_than",),
    "check_unblocked_tasks": (),
    "check_completion_readiness": (),
    "run_jobs": (),
}
# fmt: on

# ---------------------------------------------------------------- the catalog


@dataclass(frozen=True)
class Param:
    name: str
    type_name: str  # format_type(), e.g. "uuid", "text[]", "timestamp with time zone"
    has_default: bool


@dataclass(frozen=True)
class Function:
    name: str
    identity: str  # pg_get_function_identity_arguments()
    params: tuple[Param, ...]
    writer_may_execute: bool
    reader_may_execute: bool

    def may_execute(self, role: str | None) -> bool:
        if role is None:
            return True  # the superuser
        return self.writer_may_execute if role == WRITER else self.reader_may_execute


DISCOVER = """
SELECT p.proname,
       pg_get_function_identity_arguments(p.oid),
       p.pronargdefaults,
       COALESCE(p.proargnames, '{}'),
       p.proargmodes::text[],
       ARRAY(SELECT format_type(u.t, NULL)
               FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, n) ORDER BY u.n),
       has_function_privilege('buildtracker_writer', p.oid, 'EXECUTE'),
       has_function_privilege('buildtracker_reader', p.oid, 'EXECUTE')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace
   AND p.prokind = 'f'
   AND (has_function_privilege('buildtracker_writer', p.oid, 'EXECUTE')
        OR has_function_privilege('buildtracker_reader', p.oid, 'EXECUTE'))
 ORDER BY p.proname, p.oid
"""


def discover(conn: Conn) -> list[Function]:
    functions = []
    for name, identity, n_defaults, names, modes, types, writer, reader in conn.execute(
        DISCOVER
    ).fetchall():
        # proargnames covers every argument (also OUT/TABLE columns), proargtypes
        # the input ones only; proargmodes is null when all are IN.
        input_names = [
            n for i, n in enumerate(names) if modes is None or modes[i] in ("i", "b", "v")
        ]
        assert len(input_names) == len(types), f"claude.{name}: every argument needs a name"
        first_default = len(types) - n_defaults
        functions.append(
            Function(
                name=name,
                identity=identity,
                params=tuple(
                    Param(n, t, i >= first_default)
                    for i, (n, t) in enumerate(zip(input_names, types, strict=True))
                ),
                writer_may_execute=writer,
                reader_may_execute=reader,
            )
        )
    return functions


def _collect_functions() -> tuple[list[Function], str | None]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return [], "DATABASE_URL is not set; run the tests through `make test`"
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            return discover(conn), None
    except psycopg.Error as exc:
        return [], f"cannot read the catalog at collection: {exc}"


# ---------------------------------------------------------------- hostile values

LONG_SQL: dict[str, str] = {}  # long value -> SQL expression that builds it (for repro SQL)


def _long(value: str, expression: str) -> str:
    LONG_SQL[value] = expression
    return value


INJECTION = "'); DROP TABLE claude.features; --"
LONG_X = _long("x" * 1_000_000, "repeat('x', 1000000)")
LONG_INJECTION = _long(
    INJECTION * 29_000, f"repeat('{INJECTION.replace(chr(39), chr(39) * 2)}', 29000)"
)
# 3000 distinct-looking CJK characters (9000 bytes): does not compress.
LONG_CJK = _long(
    "".join(chr(19968 + (i * 7919) % 20000) for i in range(1, 3001)),
    "(SELECT string_agg(chr(19968 + (i * 7919) % 20000), '' ORDER BY i)"
    " FROM generate_series(1, 3000) AS i)",
)
LONG_Y = _long("y" * 3000, "repeat('y', 3000)")

# fmt: off
ADVERSARIAL_TEXT: tuple[str, ...] = (
    "", " ", "     ", "\t\n\r\f\v ", "\u00a0\u00a0\u00a0\u00a0\u00a0", "\u3000",
    "'", "''", '"', "\\", "\\'", "\\\\", "$$", "$body$", "$f$ $$ $q$", "%s", "%I %L %%", "%1$s",
    INJECTION, "'; DROP SCHEMA claude CASCADE; --", '"; DROP TABLE claude.projects; --',
    "x' OR '1'='1", "1); SELECT pg_sleep(0); --", "'||(SELECT current_user)||'",
    "$$; DROP TABLE claude.build_tasks; $$", "Robert'); DROP TABLE claude.requirements;--",
    "feature_name", "status", "NULL", "null", "true", "{}", "[]", '{"a": 1}', "{", "]",
    "\u202eevil\u202c", "مرحبا بالعالم", "שלום עולם", "\u200f\u200e", "😀🚀👩‍💻🏳️‍🌈",
    "\U0001f4a9" * 10, "e\u0301", "\ufeff", "\u200b",
    "\x01\x02\x07\x08\x1b[31mred\x1b[0m", "\x7f", "line one\nline two", "\r\n",
    "<script>alert(1)</script>", "../../../etc/passwd",
    "a" * 255, "b" * 256, "c" * 5000, LONG_X, LONG_INJECTION, LONG_CJK, LONG_Y,
)
PLAIN_TEXT = (
    "Fuzzed name", "Fuzzed feature name",
    "A description long enough for every length rule of the gateway, over fifty characters.",
    "Given a user when they log in then they should see the dashboard",
    "src/fuzz/module.py", "fuzzer",
)
# Words that are neither column nor check-constraint values but steer validate().
EXTRA_WORDS = ("create", "update", "delete", "project", "identity", "system")
MALFORMED_UUIDS = (
    "not-a-uuid", "", " ", "0", "00000000-0000-0000-0000-000000000000",
    "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
    "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    "' OR 1=1 --", "NULL",
)
INT_SPECIAL = (
    "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775808",
    "NaN", "Infinity", "1e308", "", " 7 ", "7.5", "0x1F", "1_000", "+3", "-0", "\uff11",
)
NUMERIC_SPECIAL = (
    "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e-308", "1e131072", "99999999.99",
    "999999.995", "0", "-0", "0.001", "1.5", "", "abc", "1,5",
)
BOOLEAN_TEXT = ("true", "false", "t", "f", "yes", "no", "on", "off", "1", "0", "maybe", "", " true ")
INTERVAL_TEXT = (
    "1 day", "7 days", "0", "-1 day", "1 second", "-1 second", "100 years", "-178000000 years",
    "178000000 years", "2147483647 days", "99999999999 days", "1e308 seconds", "infinity",
    "P1D", "1 mon -30 days", "abc", "",
)
TIMESTAMP_TEXT = (
    "now", "epoch", "infinity", "-infinity", "2020-01-01", "294277-01-01", "4714-11-24 BC",
    "4714-11-23 BC", "2024-02-30", "today", "allballs", "abc", "",
)
ARRAY_LITERALS = (
    "{}", "{NULL}", '{""}', '{" "}', "{{a,b},{c,d}}", "{{a},{b,c}}", "{", "a,b", "[1:2]={x,y}",
    '{"\'); DROP TABLE claude.features; --"}', "{a,NULL,b}", '{"\\\\"}',
)
MALFORMED_JSON = (
    "", "{", "}", "[1,2", "{'a': 1}", "NaN", "Infinity", "undefined", '{"a":"\\u0000"}',
    '"\\ud800"', "1e999999", '{"a":1,"a":2}', "null", '"just a string"', "123", "[]", "{}",
    "[" * 50 + "]" * 50,
)
# fmt: on

# ---------------------------------------------------------------- the seeded world


@dataclass
class World:
    tag: str
    project: str
    identities: list[str]
    features: dict[str, str]
    components: dict[str, str]
    tasks: dict[str, str]
    requirements: dict[str, str]
    columns: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    vocab: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def ids(self, kind: str) -> list[str]:
        pools = {
            "project": [self.project],
            "identity": self.identities,
            "feature": list(self.features.values()),
            "component": list(self.components.values()),
            "task": list(self.tasks.values()),
            "requirement": list(self.requirements.values()),
        }
        return pools[kind]

    def all_ids(self) -> list[str]:
        return [
            i
            for kind in ("project", "identity", "feature", "component", "task", "requirement")
            for i in self.ids(kind)
        ]

    def ids_for(self, param: str) -> list[str]:
        """The seeded ids a parameter is most likely to want, by its name."""
        for kind in ("project", "identity", "requirement", "component", "feature", "task"):
            if kind in param:
                return self.ids(kind)
        return self.all_ids()


def _data(conn: Conn, query: str, **params: object) -> dict[str, Any]:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    envelope: dict[str, Any] = row[0]
    data: dict[str, Any] = envelope["data"]
    return data


def seed_world(conn: Conn) -> World:
    """A project, two identities and features, components, tasks and requirements
    in every status, built through the SQL API and committed."""
    tag = uuid.uuid4().hex[:10]
    description = "A seeded feature for the property-based fuzz of every SQL function."
    project = _data(conn, "SELECT claude.add_project(project_name => %(n)s)", n=f"fuzz {tag}")[
        "project_id"
    ]
    alice, bob = (
        _data(conn, "SELECT claude.add_identity(identity_name => %(n)s)", n=f"fuzz {who} {tag}")[
            "identity_id"
        ]
        for who in ("alice", "bob")
    )

    def feature(name: str, *moves: tuple[str, str | None], parent: str | None = None) -> str:
        fid: str = _data(
            conn,
            "SELECT claude.add_feature(feature_name => %(n)s, feature_type => 'feature',"
            " project_id => %(p)s, description => %(d)s, parent_feature_id => %(parent)s,"
            " planned_by_identity_id => %(i)s)",
            n=name,
            p=project,
            d=description,
            parent=parent,
            i=alice,
        )["feature_id"]
        for status, reason in moves:
            _data(
                conn,
                "SELECT claude.update_feature_status(feature_id => %(f)s, new_status => %(s)s,"
                " reason => %(r)s, implemented_by_identity_id => %(i)s)",
                f=fid,
                s=status,
                r=reason,
                i=alice,
            )
        return fid

    started = (("planned", None), ("in_progress", None))
    features = {
        "not_started": feature("Fuzz not started"),
        "planned": feature("Fuzz planned", ("planned", None)),
        "in_progress": feature("Fuzz in progress", *started),
        "blocked": feature("Fuzz blocked", *started, ("blocked", "waiting on a vendor")),
        "on_hold": feature("Fuzz on hold", *started, ("on_hold", "paused by product")),
        "completed": feature("Fuzz completed", *started, ("completed", None)),
        "cancelled": feature("Fuzz cancelled", ("cancelled", "no longer needed")),
        "ready": feature("Fuzz ready to complete", *started),
    }
    features["child"] = feature("Fuzz child feature", parent=features["in_progress"])
    work = features["in_progress"]

    def component(name: str, feature_id: str, *steps: str) -> str:
        cid: str = _data(
            conn,
            "SELECT claude.add_component(feature_id => %(f)s, component_name => %(n)s,"
            " component_type => 'service', planned_functions => ARRAY['fn_a', 'fn_b'])",
            f=feature_id,
            n=name,
        )["component_id"]
        for step in steps:
            if step == "complete":
                _data(
                    conn,
                    "SELECT claude.complete_component(component_id => %(c)s,"
                    " actual_functions => ARRAY['fn_a'], has_tests => true,"
                    " test_coverage_percentage => 90)",
                    c=cid,
                )
            elif step == "document":
                _data(
                    conn,
                    "SELECT claude.update_component(component_id => %(c)s, changes =>"
                    ' \'{"has_documentation": true, "doc_path": "docs/fuzz.md"}\')',
                    c=cid,
                )
            else:
                _data(
                    conn,
                    "SELECT claude.update_component_status(component_id => %(c)s,"
                    " new_status => %(s)s)",
                    c=cid,
                    s=step,
                )
        return cid

    done = ("in_progress", "complete")
    components = {
        "planned": component("fuzz planned", work),
        "in_progress": component("fuzz in progress", work, "in_progress"),
        "completed": component("fuzz completed", work, *done),
        "tested": component("fuzz tested", work, *done, "tested"),
        "documented": component("fuzz documented", work, *done, "tested", "document", "documented"),
        "deprecated": component("fuzz deprecated", work, "deprecated"),
        "other_feature": component("fuzz elsewhere", features["not_started"]),
        "ready": component("fuzz ready", features["ready"], *done),
    }

    def task(name: str, *steps: str, blocked_by: str | None = None, on: str | None = None) -> str:
        tid: str = _data(
            conn,
            "SELECT claude.add_task(task_name => %(n)s, task_description => 'seeded task',"
            " task_type => 'code', feature_id => %(f)s, component_id => %(c)s,"
            " estimated_hours => 3, assigned_to_identity_id => %(i)s,"
            " blocked_by_task_id => %(b)s)",
            n=name,
            f=None if on else work,
            c=on,
            i=alice,
            b=blocked_by,
        )["task_id"]
        calls = {
            "start": "SELECT claude.start_task(task_id => %(t)s, identity_id => %(i)s)",
            "block": "SELECT claude.block_task(task_id => %(t)s, reason => 'waiting',"
            " blocked_by_task_id => %(b)s)",
            "review": "SELECT claude.submit_task_for_review(task_id => %(t)s)",
            "complete": "SELECT claude.complete_task(task_id => %(t)s, actual_hours => 2)",
            "cancel": "SELECT claude.cancel_task(task_id => %(t)s, reason => 'not needed')",
        }
        for step in steps:
            _data(conn, calls[step], t=tid, i=alice, b=blocked_by)
        return tid

    tasks = {"todo": task("fuzz todo"), "completed": task("fuzz completed", "start", "complete")}
    tasks.update(
        waiting=task("fuzz waiting", blocked_by=tasks["todo"]),
        in_progress=task("fuzz in progress", "start"),
        review=task("fuzz review", "start", "review"),
        cancelled=task("fuzz cancelled", "cancel"),
        on_component=task("fuzz on component", on=components["in_progress"]),
    )
    # Blocked by a task that is already completed: check_unblocked_tasks finds it.
    tasks["blocked"] = task("fuzz blocked", "start", "block", blocked_by=tasks["completed"])

    criteria = [
        "Given a user when they log in then they see the dashboard",
        "It must log every attempt",
        "It should retry three times",
    ]
    long_description = (
        "The system should do something measurable that a test can check, in more than"
        " fifty characters."
    )

    def requirement(name: str, *steps: str, must_have: bool = False) -> str:
        rid: str = _data(
            conn,
            "SELECT claude.add_requirement(feature_id => %(f)s, requirement_name => %(n)s,"
            " requirement_type => 'functional', description => %(d)s,"
            " acceptance_criteria => %(a)s, must_have => %(m)s, created_by_identity_id => %(i)s)",
            f=work,
            n=name,
            d=long_description,
            a=criteria,
            m=must_have,
            i=alice,
        )["requirement_id"]
        for step in steps:
            if step == "verify":
                _data(conn, "SELECT claude.verify_requirement(requirement_id => %(r)s)", r=rid)
            else:
                _data(
                    conn,
                    "SELECT claude.update_requirement_status(requirement_id => %(r)s,"
                    " new_status => %(s)s, component_id => %(c)s)",
                    r=rid,
                    s=step,
                    c=components["tested"] if step == "implemented" else None,
                )
        return rid

    built = ("defined", "approved", "implemented")
    requirements = {
        "draft": requirement("fuzz draft"),
        "defined": requirement("fuzz defined", "defined"),
        "approved": requirement("fuzz approved", "defined", "approved"),
        "implemented": requirement("fuzz implemented", *built),
        "verified": requirement("fuzz verified", *built, "verify"),
        "rejected": requirement("fuzz rejected", "rejected"),
        "must_have": requirement("fuzz must have", must_have=True),
    }
    return World(tag, project, [alice, bob], features, components, tasks, requirements)


def remove_world(conn: Conn, world: World) -> None:
    conn.execute("DELETE FROM claude.features WHERE project_id = %s", [world.project])
    conn.execute("DELETE FROM claude.identities WHERE identity_id = ANY(%s)", [world.identities])
    conn.execute("DELETE FROM claude.projects WHERE project_id = %s", [world.project])


# ---------------------------------------------------------------- observing the database

SCHEMA_SNAPSHOT = """
SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
    SELECT 'schema ' || n.nspname || ' ' || n.nspowner::regrole::text
      FROM pg_namespace n WHERE n.nspname = 'claude'
    UNION ALL
    SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || COALESCE(c.relacl::text, '')
      FROM pg_class c WHERE c.relnamespace = 'claude'::regnamespace
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ' ' || p.prosecdef || ' '
           || COALESCE(p.proacl::text, '') || ' ' || md5(p.prosrc)
      FROM pg_proc p WHERE p.pronamespace = 'claude'::regnamespace
    UNION ALL
    SELECT 'trigger ' || t.tgrelid::regclass::text || ' ' || t.tgname || ' ' || t.tgenabled::text
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'claude'::regnamespace
    UNION ALL
    SELECT 'constraint ' || k.conrelid::regclass::text || ' ' || k.conname
      FROM pg_constraint k WHERE k.connamespace = 'claude'::regnamespace
) AS objects(x)
"""


def schema_snapshot(conn: Conn) -> str:
    row = conn.execute(SCHEMA_SNAPSHOT).fetchone()
    assert row is not None
    return str(row[0])


@dataclass(frozen=True)
class Probe:
    """One query giving, per claude table, its row count, newest timestamp and
    (for the full probe) a hash of every row."""

    cheap: sql.Composed
    full: sql.Composed


def build_probe(conn: Conn) -> Probe:
    tables = conn.execute(
        "SELECT c.relname,"
        "       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
        "                  AND a.attname = 'updated_at' AND NOT a.attisdropped),"
        "       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
        "                  AND a.attname = 'created_at' AND NOT a.attisdropped)"
        "  FROM pg_class c WHERE c.relnamespace = 'claude'::regnamespace"
        "   AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    ).fetchall()
    assert tables, "schema claude has no tables"

    def one(full: bool) -> sql.Composed:
        parts = []
        for name, has_updated, has_created in tables:
            newest = (
                sql.SQL("max(t.updated_at)::text")
                if has_updated
                else sql.SQL("max(t.created_at)::text")
                if has_created
                else sql.SQL("NULL::text")
            )
            digest = (
                sql.SQL("COALESCE(sum(hashtextextended(t::text, 0)), 0)::text")
                if full
                else sql.SQL("NULL::text")
            )
            parts.append(
                sql.SQL(
                    "SELECT {name}::text, count(*), {newest}, {digest} FROM claude.{t} AS t"
                ).format(
                    name=sql.Literal(name), newest=newest, digest=digest, t=sql.Identifier(name)
                )
            )
        return sql.SQL(" UNION ALL ").join(parts)

    return Probe(one(False), one(True))


Fingerprint = tuple[tuple[Any, ...], ...]


def fingerprint(conn: Conn, query: sql.Composed) -> Fingerprint:
    return tuple(tuple(r) for r in conn.execute(query).fetchall())


def changed_tables(before: Fingerprint, after: Fingerprint) -> list[str]:
    rows_before = {r[0]: r for r in before}
    return [
        f"{r[0]}: {rows_before.get(r[0])!r} -> {r!r}" for r in after if rows_before.get(r[0]) != r
    ]


# ---------------------------------------------------------------- calls and outcomes


class Arg:
    """One named argument: its value and the cast after its placeholder (e.g.
    "::text::uuid", so that PostgreSQL converts the text). A plain class so that
    hypothesis prints it with __repr__: short SQL, even for a 1 MB value."""

    __slots__ = ("cast", "name", "value")

    def __init__(self, name: str, cast: str, value: object) -> None:
        self.name = name
        self.cast = cast
        self.value = value

    def __repr__(self) -> str:
        return f"{self.name} => {sql_literal(self.value)[:200]}{self.cast}"


def sql_string(value: str) -> str:
    if value in LONG_SQL:
        return LONG_SQL[value]
    if all(c.isprintable() for c in value):
        return "'" + value.replace("'", "''") + "'"
    out = []
    for c in value:
        if c == "\\":
            out.append("\\\\")
        elif c == "'":
            out.append("''")
        elif c.isprintable():
            out.append(c)
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return "E'" + "".join(out) + "'"


def sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return sql_string(value)
    if isinstance(value, list):
        return "ARRAY[" + ", ".join(sql_literal(v) for v in value) + "]"
    raise TypeError(f"no literal for {value!r}")


def call_query(function: Function, args: Sequence[Arg]) -> sql.Composed:
    return sql.SQL("SELECT * FROM claude.{}({})").format(
        sql.Identifier(function.name),
        sql.SQL(", ").join(
            sql.SQL("{} => %s" + a.cast).format(sql.Identifier(a.name)) for a in args
        ),
    )


def repro_sql(function: Function, args: Sequence[Arg], role: str | None) -> str:
    arguments = ", ".join(f'"{a.name}" => {sql_literal(a.value)}{a.cast}' for a in args)
    statement = f"SELECT * FROM claude.{function.name}({arguments});"
    if role is None:
        return statement
    return f"BEGIN; SET LOCAL ROLE {role}; {statement} ROLLBACK;"


@dataclass(frozen=True)
class Outcome:
    sqlstate: str | None  # None: the call succeeded (or failed on the Python side)
    message: str = ""
    python_error: str | None = None
    schema_changed: bool = False
    partial_write: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.sqlstate is not None

    def describe(self) -> str:
        if self.python_error:
            return f"Python-side error {self.python_error}"
        if self.sqlstate is None:
            return "success"
        return f"SQLSTATE {self.sqlstate}: {self.message[:300]}"


# Functions with an argument only the owner role may pass: for any other role
# a 42501 is the documented answer (SPEC section 10: delete_feature's force).
OWNER_ONLY_ARGUMENTS = {"delete_feature"}


def forbidden(function: Function, role: str | None, outcome: Outcome) -> str | None:
    """Why the outcome breaks the properties, or None when it is allowed."""
    if outcome.python_error:
        return "the call failed on the Python side"
    if outcome.schema_changed:
        return "the gateway's schema objects changed (injection?)"
    if outcome.partial_write:
        return "rows changed although the call was rolled back: " + "; ".join(outcome.partial_write)
    allowed_to_run = function.may_execute(role)
    if outcome.sqlstate is None:
        return None if allowed_to_run else f"{role} may not EXECUTE it, yet the call succeeded"
    if outcome.sqlstate == "42501":
        if function.name in OWNER_ONLY_ARGUMENTS and role is not None:
            return None  # an argument only the owner role may pass (delete_feature's force)
        return None if not allowed_to_run else f"42501 although {role or 'the superuser'} may"
    if outcome.sqlstate[:2] not in ALLOWED_CLASSES:
        return f"forbidden SQLSTATE class {outcome.sqlstate[:2]}"
    return None


@dataclass(frozen=True)
class KnownBug:
    reason: str
    sqlstate: str
    message: re.Pattern[str]
    reproducer: Callable[[World], tuple[Arg, ...]]

    def matches(self, outcome: Outcome) -> bool:
        return outcome.sqlstate == self.sqlstate and bool(self.message.search(outcome.message))


class ForbiddenOutcome(AssertionError):
    """A call broke a property and no known bug explains it."""


class KnownBugReproduced(AssertionError):
    """A known bug (see KNOWN_BUGS) still reproduces: the xfail of its function."""


@dataclass
class Env:
    main: Conn
    replay: Conn
    world: World
    probe: Probe
    schema: str
    started: float
    examples: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)


def run_in_savepoint(
    env: Env, function: Function, args: Sequence[Arg], role: str | None, before: Fingerprint
) -> Outcome:
    """One call in a savepoint, always rolled back. before: the tables' row
    counts and newest timestamps before the call (every call of a test starts
    from the same state, since each is rolled back and checked against it)."""
    conn = env.main
    query = call_query(function, args)
    conn.execute("SAVEPOINT fuzz_call")
    try:
        if role is not None:
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        outcome: Outcome
        try:
            conn.execute(query, [a.value for a in args]).fetchall()
            outcome = Outcome(None)
        except psycopg.Error as exc:
            if exc.sqlstate is None:
                outcome = Outcome(None, python_error=f"{type(exc).__name__}: {exc}")
            else:
                outcome = Outcome(exc.sqlstate, exc.diag.message_primary or str(exc))
        except Exception as exc:
            outcome = Outcome(None, python_error=f"{type(exc).__name__}: {exc}")
        if not outcome.failed and outcome.python_error is None:
            conn.execute("RESET ROLE")
            if schema_snapshot(conn) != env.schema:
                outcome = Outcome(None, schema_changed=True)
    finally:
        conn.execute("ROLLBACK TO SAVEPOINT fuzz_call")
        conn.execute("RELEASE SAVEPOINT fuzz_call")
    changed = changed_tables(before, fingerprint(conn, env.probe.cheap))
    if changed:
        outcome = Outcome(outcome.sqlstate, outcome.message, partial_write=tuple(changed))
    return outcome


def replay_in_autocommit(
    env: Env, function: Function, args: Sequence[Arg], role: str | None, expected: Outcome
) -> str | None:
    """Run a call that failed in a savepoint again, committed on its own; the
    database must be exactly as before."""
    conn = env.replay
    before = fingerprint(conn, env.probe.full)
    sqlstate: str | None = None
    try:
        if role is not None:
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        conn.execute(call_query(function, args), [a.value for a in args]).fetchall()
    except psycopg.Error as exc:
        sqlstate = exc.sqlstate
    finally:
        conn.execute("RESET ROLE")
    problems = []
    if sqlstate is None:
        problems.append("it failed in a savepoint but succeeded (and committed) in autocommit")
    elif sqlstate != expected.sqlstate:
        problems.append(f"SQLSTATE {sqlstate} in autocommit, {expected.sqlstate} in a savepoint")
    changed = changed_tables(before, fingerprint(conn, env.probe.full))
    if changed:
        problems.append("the failed call committed changes: " + "; ".join(changed))
    if schema_snapshot(conn) != env.schema:
        problems.append("the gateway's schema objects changed")
    return "; ".join(problems) or None


# ---------------------------------------------------------------- strategies by type
#
# Each argument has a well-formed strategy (ids of the right kind, allowed
# words, plain text, small numbers) and a hostile one (everything else). A call
# makes up to three of its arguments hostile and the rest well-formed, so
# hostile values also reach the triggers and the activity log behind the first
# cast or check, instead of every call stopping at its first bad argument.

ArgStrategy = st.SearchStrategy[Arg]
Values = st.SearchStrategy[str | None]

ENTITY_TYPES = ("project", "identity", "feature", "component", "build_task", "requirement")
VALIDATE_OPERATIONS = ("create", "update")


def vocabulary(env: Env, name: str) -> tuple[str, ...] | None:
    """The values a text parameter allows, from the check constraint of its column."""
    vocab = env.world.vocab
    column = {"new_status": "status", "severities": "severity"}.get(name, name)
    if column in vocab:
        return vocab[column]
    return {"entity_type": ENTITY_TYPES, "operation": VALIDATE_OPERATIONS}.get(name)


def hostile_text(env: Env) -> Values:
    return st.one_of(
        st.sampled_from(ADVERSARIAL_TEXT),
        st.text(
            alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
            max_size=40,
        ),
        st.sampled_from(env.world.words),
        st.none(),
    )


def plain_text(env: Env, name: str) -> st.SearchStrategy[str]:
    words = vocabulary(env, name)
    if words:
        return st.sampled_from(words)
    suffix = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
    return st.one_of(st.sampled_from(PLAIN_TEXT), suffix.map(lambda x: f"Fuzzed {x}"))


def scalar(name: str, type_name: str, values: Values) -> ArgStrategy:
    return values.map(lambda v: Arg(name, f"::text::{type_name}", v))


def _deep(depth: int) -> object:
    value: object = "fn"
    for _ in range(depth):
        value = [value]
    return value


def json_strategy(env: Env, name: str, hostile: bool) -> Values:
    good_leaves = st.one_of(
        st.integers(1, 10),
        st.booleans(),
        st.sampled_from(PLAIN_TEXT),
        st.sampled_from(env.world.words),
        st.sampled_from(env.world.all_ids()),
        st.lists(st.sampled_from(PLAIN_TEXT), min_size=1, max_size=3),
    )
    columns = st.sampled_from(env.world.columns)
    if not hostile:
        return st.dictionaries(columns, good_leaves, max_size=3).map(json.dumps)
    leaves = st.one_of(
        good_leaves,
        st.none(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
        st.sampled_from(ADVERSARIAL_TEXT),
        st.lists(st.one_of(st.text(max_size=10), st.none()), max_size=4),
        st.integers(2, 8).map(_deep),  # arrays nested up to 8 deep
    )
    keys = st.one_of(columns, columns, st.sampled_from(ADVERSARIAL_TEXT[:40]), st.text(max_size=10))
    values = st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)
        ),
        max_leaves=10,
    )
    objects = st.dictionaries(keys, values, max_size=6)
    return st.one_of(
        objects.map(lambda o: json.dumps(o, ensure_ascii=False)),
        objects.map(lambda o: json.dumps(o, ensure_ascii=True)),
        values.map(lambda o: json.dumps(o, ensure_ascii=False)),
        st.sampled_from(MALFORMED_JSON),
        st.none(),
    )


def arg_strategy(env: Env, param: Param, hostile: bool) -> ArgStrategy:
    name, type_name = param.name, param.type_name
    if type_name == "uuid":
        relevant = st.sampled_from(env.world.ids_for(name))
        if not hostile:
            return scalar(name, type_name, relevant)
        return scalar(
            name,
            type_name,
            st.one_of(
                relevant.map(str.upper),
                relevant.map(lambda u: "{" + u.replace("-", "") + "}"),
                st.sampled_from(env.world.all_ids()),  # an id of another kind
                st.uuids().map(str),
                st.none(),
                st.sampled_from(MALFORMED_UUIDS),
                hostile_text(env),
            ),
        )
    if type_name in ("text", "character varying"):
        return scalar(name, type_name, hostile_text(env) if hostile else plain_text(env, name))
    if type_name in ("integer", "bigint", "smallint"):
        good_int = st.integers(1, 10).map(str)
        bad_int = st.one_of(
            st.integers(-3, 12).map(str),
            st.integers(-(2**80), 2**80).map(str),
            st.sampled_from(INT_SPECIAL),
            st.none(),
        )
        return scalar(name, type_name, bad_int if hostile else good_int)
    if type_name in ("numeric", "double precision", "real"):
        good_num = st.decimals(min_value="0.25", max_value="50", places=2).map(str)
        bad_num = st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
            st.floats().map(repr),
            st.integers(-(2**80), 2**80).map(str),
            st.sampled_from(NUMERIC_SPECIAL),
            st.none(),
        )
        return scalar(name, type_name, bad_num if hostile else good_num)
    if type_name == "boolean":
        bad_bool = st.one_of(st.sampled_from(BOOLEAN_TEXT), st.none())
        return scalar(name, type_name, bad_bool if hostile else st.sampled_from(["true", "false"]))
    if type_name in ("jsonb", "json"):
        return scalar(name, type_name, json_strategy(env, name, hostile))
    if type_name in ("text[]", "character varying[]"):
        element = plain_text(env, name)
        if not hostile:
            good_list = st.lists(element, min_size=1, max_size=3)
            return good_list.map(lambda v: Arg(name, f"::{type_name}", v))
        elements = st.one_of(hostile_text(env), element, st.none(), st.just(""))
        return st.one_of(
            st.lists(elements, max_size=5).map(lambda v: Arg(name, f"::{type_name}", v)),
            st.sampled_from(ARRAY_LITERALS).map(lambda v: Arg(name, f"::text::{type_name}", v)),
            st.none().map(lambda v: Arg(name, f"::{type_name}", v)),
        )
    if type_name == "interval":
        good_interval = st.sampled_from(["1 day", "7 days", "-1 second", "0"])
        bad_interval = st.one_of(
            st.sampled_from(INTERVAL_TEXT),
            st.integers(-(10**7), 10**7).map(lambda n: f"{n} days"),
            st.integers(-(10**12), 10**12).map(lambda n: f"{n} seconds"),
            st.none(),
        )
        return scalar(name, type_name, bad_interval if hostile else good_interval)
    if type_name in ("timestamp with time zone", "timestamp without time zone", "date"):
        good_moment = st.sampled_from(["now", "2020-01-01 00:00:00+00", "today"])
        bad_moment = st.one_of(
            st.sampled_from(TIMESTAMP_TEXT),
            st.datetimes().map(lambda d: d.isoformat()),
            st.none(),
        )
        return scalar(name, type_name, bad_moment if hostile else good_moment)
    pytest.fail(f"no strategy for {type_name} (parameter {name}): add one to test_fuzz.py")


def args_strategy(env: Env, function: Function) -> st.SearchStrategy[tuple[Arg, ...]]:
    """Up to three hostile arguments, the others well-formed; a well-formed
    argument with a default is left out half of the time."""
    params = function.params

    def build(hostile: frozenset[int]) -> st.SearchStrategy[tuple[Arg, ...]]:
        parts: list[st.SearchStrategy[Arg | None]] = []
        for i, param in enumerate(params):
            strategy = arg_strategy(env, param, i in hostile)
            optional = param.has_default and i not in hostile
            parts.append(st.one_of(st.none(), strategy) if optional else strategy)
        return st.tuples(*parts).map(lambda xs: tuple(x for x in xs if x is not None))

    if not params:
        return st.just(())
    hostile = st.frozensets(st.integers(0, len(params) - 1), max_size=min(3, len(params)))
    return hostile.flatmap(build)


# ---------------------------------------------------------------- known bugs
#
# Found by this fuzz and since fixed (length limits on names and on the
# indexed activity columns; conversion_errors catching program limits). Each
# reproducer still runs on every test run: reproducing the bug fails the test.

Repro = Callable[[World], tuple[Arg, ...]]


def _t(name: str, value: str) -> Arg:
    return Arg(name, "::text::text", value)


def _u(name: str, value: str) -> Arg:
    return Arg(name, "::text::uuid", value)


def _n(name: str, value: str, type_name: str = "integer") -> Arg:
    return Arg(name, f"::text::{type_name}", value)


def _j(name: str, value: dict[str, object]) -> Arg:
    return Arg(name, "::text::jsonb", json.dumps(value))


def _l(name: str, value: list[str]) -> Arg:
    return Arg(name, "::text[]", value)


BTREE_LIMIT = re.compile(r"index row (size|requires)")


def _long_value_bug(what: str) -> str:
    return (
        f"BUG: {what} is not length-checked: a long value (repeat('x', 1000000), or 3000 CJK"
        " characters) reaches a btree index and fails with 54000 program_limit_exceeded"
        " ('index row requires N bytes, maximum size is 8191') instead of 23514 naming the"
        " field (SPEC section 6)"
    )


def _actor_bug(reproducer: Repro) -> KnownBug:
    """The actor of a write call becomes claude.activity_feed.actor (index
    idx_activity_feed_actor) in the activity row its change logs."""
    return KnownBug(
        _long_value_bug("actor (claude.activity_feed.actor, index idx_activity_feed_actor)"),
        "54000",
        BTREE_LIMIT,
        lambda w: (*reproducer(w), _t("actor", LONG_X)),
    )


def _value_bug(what: str, reproducer: Repro) -> KnownBug:
    return KnownBug(_long_value_bug(what), "54000", BTREE_LIMIT, reproducer)


REQUIREMENT_TEXT = "The system should answer within one second for ninety-nine percent of calls."

LONG_VALUE_BUGS: dict[str, KnownBug] = {
    "add_project": _value_bug(
        "project_name (unique index uq_projects_name)", lambda w: (_t("project_name", LONG_X),)
    ),
    "add_identity": _value_bug(
        "identity_name (unique index uq_identities_name)",
        lambda w: (_t("identity_name", LONG_X),),
    ),
    "log_activity": _value_bug(
        "actor, project_name (indexes idx_activity_feed_actor, idx_activity_feed_project) and"
        " changes->>'job_finding' (index idx_activity_feed_job_finding)",
        lambda w: (
            _t("source_type", "system"),
            _u("source_id", w.project),
            _t("activity_type", "created"),
            _t("title", "fuzz reproducer"),
            _t("actor", LONG_X),
        ),
    ),
    "add_feature": _actor_bug(
        lambda w: (
            _t("feature_name", "Fuzz reproducer"),
            _t("feature_type", "feature"),
            _u("project_id", w.project),
        )
    ),
    "update_feature": _actor_bug(
        lambda w: (_u("feature_id", w.features["not_started"]), _j("changes", {"priority": 3}))
    ),
    "update_feature_status": _actor_bug(
        lambda w: (
            _u("feature_id", w.features["not_started"]),
            _t("new_status", "cancelled"),
            _t("reason", "reproducer"),
        )
    ),
    "complete_feature": _actor_bug(lambda w: (_u("feature_id", w.features["ready"]),)),
    "delete_feature": _actor_bug(lambda w: (_u("feature_id", w.features["not_started"]),)),
    "add_component": _actor_bug(
        lambda w: (
            _u("feature_id", w.features["in_progress"]),
            _t("component_name", "fuzz reproducer"),
            _t("component_type", "service"),
        )
    ),
    "update_component": _actor_bug(
        lambda w: (
            _u("component_id", w.components["planned"]),
            _j("changes", {"lines_of_code": 10}),
        )
    ),
    "update_component_status": _actor_bug(
        lambda w: (_u("component_id", w.components["planned"]), _t("new_status", "in_progress"))
    ),
    "complete_component": _actor_bug(
        lambda w: (
            _u("component_id", w.components["in_progress"]),
            _l("actual_functions", ["fn_a"]),
        )
    ),
    "add_task": _actor_bug(
        lambda w: (
            _t("task_name", "fuzz reproducer"),
            _t("task_description", "reproducer"),
            _t("task_type", "code"),
            _u("feature_id", w.features["in_progress"]),
        )
    ),
    "update_task": _actor_bug(
        lambda w: (_u("task_id", w.tasks["todo"]), _j("changes", {"priority": 3}))
    ),
    "start_task": _actor_bug(lambda w: (_u("task_id", w.tasks["todo"]),)),
    "block_task": _actor_bug(
        lambda w: (_u("task_id", w.tasks["in_progress"]), _t("reason", "reproducer"))
    ),
    "unblock_task": _actor_bug(
        lambda w: (_u("task_id", w.tasks["blocked"]), _t("note", "reproducer"))
    ),
    "submit_task_for_review": _actor_bug(lambda w: (_u("task_id", w.tasks["in_progress"]),)),
    "request_task_changes": _actor_bug(
        lambda w: (_u("task_id", w.tasks["review"]), _t("note", "reproducer"))
    ),
    "complete_task": _actor_bug(
        lambda w: (_u("task_id", w.tasks["in_progress"]), _n("actual_hours", "1", "numeric"))
    ),
    "cancel_task": _actor_bug(
        lambda w: (_u("task_id", w.tasks["todo"]), _t("reason", "reproducer"))
    ),
    "claim_next_task": _actor_bug(
        lambda w: (
            _u("identity_id", w.identities[0]),
            _u("feature_id", w.features["in_progress"]),
        )
    ),
    "add_requirement": _actor_bug(
        lambda w: (
            _u("feature_id", w.features["in_progress"]),
            _t("requirement_name", "fuzz reproducer"),
            _t("requirement_type", "performance"),
            _t("description", REQUIREMENT_TEXT),
            _l("acceptance_criteria", ["It should answer within one second"]),
            _u("created_by_identity_id", w.identities[0]),
        )
    ),
    "update_requirement": _actor_bug(
        lambda w: (_u("requirement_id", w.requirements["draft"]), _j("changes", {"priority": 3}))
    ),
    "update_requirement_status": _actor_bug(
        lambda w: (_u("requirement_id", w.requirements["draft"]), _t("new_status", "defined"))
    ),
    "verify_requirement": _actor_bug(
        lambda w: (_u("requirement_id", w.requirements["implemented"]),)
    ),
    # Its findings (the seeded blocked task whose blocker is completed, the
    # seeded feature ready to complete) are logged with the given actor.
    "run_jobs": _actor_bug(lambda w: ()),
}


NESTED_ARRAY_BUG = (
    "BUG: claude.conversion_errors() catches only data_exception (class 22), so a JSON array"
    " nested 7 deep for a text[] column escapes it as SQLSTATE 54000 program_limit_exceeded"
    " ('number of array dimensions (7) exceeds the maximum allowed (6)') instead of a 23514"
    " error naming the field; in validate() the check runs outside its catch-all block, so"
    " the dry run raises instead of returning the error"
)
ARRAY_DIMENSIONS = re.compile(r"number of array dimensions")

NESTED_ARRAY_BUGS: dict[str, KnownBug] = {
    "update_component": KnownBug(
        NESTED_ARRAY_BUG,
        "54000",
        ARRAY_DIMENSIONS,
        lambda w: (
            _u("component_id", w.components["planned"]),
            _j("changes", {"planned_functions": _deep(7)}),
        ),
    ),
    "update_requirement": KnownBug(
        NESTED_ARRAY_BUG,
        "54000",
        ARRAY_DIMENSIONS,
        lambda w: (
            _u("requirement_id", w.requirements["draft"]),
            _j("changes", {"acceptance_criteria": _deep(7)}),
        ),
    ),
    "validate": KnownBug(
        NESTED_ARRAY_BUG,
        "54000",
        ARRAY_DIMENSIONS,
        lambda w: (
            _t("entity_type", "component"),
            _j("data", {"planned_functions": _deep(7)}),
            _t("operation", "create"),
        ),
    ),
}

KNOWN_BUGS: dict[str, tuple[KnownBug, ...]] = {
    name: tuple(bugs[name] for bugs in (LONG_VALUE_BUGS, NESTED_ARRAY_BUGS) if name in bugs)
    for name in sorted({*LONG_VALUE_BUGS, *NESTED_ARRAY_BUGS})
}


def known_bug_marks(name: str) -> list[pytest.MarkDecorator]:
    """No marks: every known bug is fixed; its reproducer is a regression check."""
    return []


# ---------------------------------------------------------------- fixtures


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "function" not in metafunc.fixturenames:
        return
    functions, problem = _collect_functions()
    if problem:
        metafunc.parametrize("function", [pytest.param(problem, id="discovery")])
        return
    metafunc.parametrize(
        "function",
        [
            pytest.param(
                f,
                id=f.name
                if [g.name for g in functions].count(f.name) == 1
                else f"{f.name}({f.identity})",
                marks=known_bug_marks(f.name),
            )
            for f in functions
        ],
    )


@pytest.fixture(scope="module")
def env(database_url: str) -> Iterator[Env]:
    started = time.monotonic()
    with (
        # never server-side prepared (psycopg prepares a query after 5 runs):
        # a prepared, generic plan checks EXECUTE before converting a bad
        # argument, an unprepared one converts first, so the two connections
        # would name different SQLSTATEs for the same refused call
        psycopg.connect(database_url, autocommit=True, prepare_threshold=None) as replay,
        psycopg.connect(database_url, prepare_threshold=None) as main,
    ):
        for conn in (replay, main):
            conn.execute("SET statement_timeout = '30s'")
            conn.execute("SET lock_timeout = '5s'")
            conn.commit()
        columns = replay.execute(
            "SELECT DISTINCT a.attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r'"
            "   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1"
        ).fetchall()
        checks = replay.execute(
            "SELECT a.attname::text, pg_get_constraintdef(k.oid) FROM pg_constraint k"
            " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
            " WHERE k.connamespace = 'claude'::regnamespace AND k.contype = 'c'"
        ).fetchall()
        vocab: dict[str, set[str]] = {}
        for column, definition in checks:
            vocab.setdefault(column, set()).update(re.findall(r"'([a-z_]+)'::text", definition))
        probe, schema = build_probe(replay), schema_snapshot(replay)
        with replay.transaction():
            world = seed_world(replay)
        world.columns = tuple(c for (c,) in columns)
        world.vocab = {c: tuple(sorted(v)) for c, v in vocab.items() if v}
        world.words = tuple(sorted(set().union(*vocab.values()) | set(EXTRA_WORDS)))
        try:
            yield Env(main, replay, world, probe, schema, started)
        finally:
            main.rollback()
            with replay.transaction():
                remove_world(replay, world)


# ---------------------------------------------------------------- tests


def test_catalog_offers_the_spec_functions(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        functions = discover(conn)
    names = {f.name for f in functions}
    assert set(SPEC_FUNCTIONS) <= names, f"missing: {sorted(set(SPEC_FUNCTIONS) - names)}"
    for name, spec_params in SPEC_FUNCTIONS.items():
        offered = [{p.name for p in f.params} for f in functions if f.name == name]
        assert any(set(spec_params) <= params for params in offered), (
            f"claude.{name} lacks SPEC parameters {spec_params}: has {offered}"
        )
    for f in functions:
        if f.writer_may_execute and not f.reader_may_execute:  # a write function
            actor = [p for p in f.params if p.name == "actor"]
            assert actor, f"write function claude.{f.name} has no actor parameter"
            assert actor[0].type_name == "text" and actor[0].has_default, f.name


def test_fuzz(env: Env, function: Function | str) -> None:
    if isinstance(function, str):
        pytest.fail(function)
    known = KNOWN_BUGS.get(function.name, ())
    failed_calls: list[tuple[tuple[Arg, ...], str | None, Outcome]] = []
    known_hits: list[str] = []
    before = fingerprint(env.main, env.probe.cheap)

    def check(args: tuple[Arg, ...], role: str | None) -> Outcome:
        outcome = run_in_savepoint(env, function, args, role, before)
        env.examples[function.name] = env.examples.get(function.name, 0) + 1
        seen = env.outcomes.setdefault(function.name, {})
        key = outcome.sqlstate or "ok"
        seen[key] = seen.get(key, 0) + 1
        why = forbidden(function, role, outcome)
        if why is not None:
            report = f"{why}; {outcome.describe()}\n  reproduce: {repro_sql(function, args, role)}"
            if any(b.matches(outcome) for b in known):
                report = "a fixed bug is back: " + report
            raise ForbiddenOutcome(f"claude.{function.name}: {report}")
        if outcome.failed:
            failed_calls.append((args, role, outcome))
        return outcome

    roles = st.sampled_from([None, None, None, WRITER, WRITER, READER])

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        # No shrinking: it would replay 1 MB calls for minutes. The report
        # carries the exact SQL of the failing call instead.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(args=args_strategy(env, function), role=roles)
    def fuzz(args: tuple[Arg, ...], role: str | None) -> None:
        as_superuser = check(args, None)
        if role is None:
            return
        as_role = check(args, role)
        owner_only = function.name in OWNER_ONLY_ARGUMENTS and as_role.sqlstate == "42501"
        if role == WRITER and function.writer_may_execute and not owner_only:
            assert as_role.sqlstate == as_superuser.sqlstate, (
                f"claude.{function.name}: {WRITER} got {as_role.describe()}, the superuser"
                f" {as_superuser.describe()}\n  reproduce: {repro_sql(function, args, role)}"
            )

    try:
        fuzz()
        for bug in known:
            check(bug.reproducer(env.world), None)
    finally:
        env.main.rollback()

    # A sample of the failures again, each committed on its own: nothing may
    # stay. One call per SQLSTATE: every known bug's, and up to three others.
    sample: dict[str | None, tuple[tuple[Arg, ...], str | None, Outcome]] = {}
    for args, role, outcome in failed_calls:
        sample.setdefault(outcome.sqlstate, (args, role, outcome))
    bugs = [c for c in sample.values() if any(b.matches(c[2]) for b in known)]
    others = [c for c in sample.values() if c not in bugs][:REPLAYS_PER_FUNCTION]
    for args, role, outcome in bugs + others:
        problem = replay_in_autocommit(env, function, args, role, outcome)
        assert problem is None, (
            f"claude.{function.name}: {problem}\n  reproduce: {repro_sql(function, args, role)}"
        )

    if known_hits:
        raise KnownBugReproduced(
            f"claude.{function.name}: "
            + " | ".join(b.reason for b in known)
            + "\n"
            + "\n".join(known_hits[:5])
        )


def test_gateway_intact_after_the_fuzz(env: Env, database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        assert schema_snapshot(conn) == env.schema
        world = env.world
        ids = world.all_ids()
        broken = conn.execute(
            "SELECT invariant, entity, entity_id FROM claude.check_invariants()"
            " WHERE entity_id::text = ANY(%s)",
            [ids],
        ).fetchall()
        assert broken == []
    runtime = time.monotonic() - env.started
    total = sum(env.examples.values())
    print(f"\nfuzz: {total} calls over {len(env.examples)} functions in {runtime:.1f}s")
    for name, seen in sorted(env.outcomes.items()):
        print(f"  {name}: " + ", ".join(f"{k} x{n}" for k, n in sorted(seen.items())))
