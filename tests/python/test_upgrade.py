"""SPEC section 9: deploying over an older claude schema full of messy data.

A scratch database gets the legacy fixture (tests/legacy/legacy_fixture.sql),
then a real ``sqitch deploy``. Every legacy row must be imported or
quarantined, the schema must end identical to the fresh install that
``make test`` deployed, and ``sqitch revert`` must give the old schema back.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "legacy" / "legacy_fixture.sql"
LEGACY_TABLES = [
    ("projects", "project_id"),
    ("identities", "identity_id"),
    ("features", "feature_id"),
    ("components", "component_id"),
    ("build_tasks", "task_id"),
    ("requirements", "requirement_id"),
    ("activity_feed", "id"),
]

# Everything that makes up the package's schema, as comparable rows. The
# pre-existing table claude.sessions is not the package's and is left out.
CATALOG_QUERIES = {
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid)
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind = 'r' AND c.relname NOT LIKE 'sessions%%'
           AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated
          FROM pg_constraint
         WHERE connamespace = 'claude'::regnamespace
           AND conrelid::regclass::text <> 'claude.sessions'""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes
         WHERE schemaname = 'claude' AND tablename NOT LIKE 'sessions%%'""",
    "triggers": """
        SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid), tgenabled
          FROM pg_trigger
         WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'claude'::regnamespace)""",
    "functions": """
        SELECT p.oid::regprocedure::text, md5(pg_get_functiondef(p.oid)), p.prosecdef, p.proconfig::text, p.provolatile,
               pg_get_function_result(p.oid), p.proacl::text
          FROM pg_proc p WHERE p.pronamespace = 'claude'::regnamespace AND p.prokind <> 'a'""",
    "aggregates": """
        SELECT a.aggfnoid::regprocedure::text, a.aggtransfn::regprocedure::text,
               format_type(a.aggtranstype, NULL), a.agginitval, p.proacl::text
          FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
         WHERE p.pronamespace = 'claude'::regnamespace""",
    "comments": """
        SELECT c.relname, d.objsubid, d.description
          FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
         WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = 'claude'::regnamespace
           AND c.relname NOT LIKE 'sessions%%'""",
    "function_comments": """
        SELECT p.oid::regprocedure::text, d.description
          FROM pg_description d JOIN pg_proc p ON p.oid = d.objoid
         WHERE d.classoid = 'pg_proc'::regclass AND p.pronamespace = 'claude'::regnamespace""",
    "table_grants": """
        SELECT c.relname, c.relowner::regrole::text, c.relacl::text FROM pg_class c
         WHERE c.relnamespace = 'claude'::regnamespace AND c.relname NOT LIKE 'sessions%%'""",
}


# The activity feed's monthly partitions (and their indexes, constraints and
# triggers) depend on the months a database holds rows of, not on the schema.
MONTH_PARTITION = re.compile(r"activity_feed_p\d{4}_\d{2}")


def catalog(url: str) -> dict[str, set[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        return {
            name: {
                tuple(row)
                for row in conn.execute(query).fetchall()
                if not any(isinstance(v, str) and MONTH_PARTITION.search(v) for v in row)
            }
            for name, query in CATALOG_QUERIES.items()
        }


def assert_same_schema(fresh_url: str, other_url: str) -> dict[str, set[tuple[Any, ...]]]:
    """The package's schema in other_url is the one in fresh_url; returns other_url's catalog."""
    fresh, other = catalog(fresh_url), catalog(other_url)
    for part in CATALOG_QUERIES:
        assert fresh[part] == other[part], (
            part,
            sorted(fresh[part] - other[part], key=str)[:5],
            sorted(other[part] - fresh[part], key=str)[:5],
        )
    return other


def legacy_rows(conn: psycopg.Connection[Any], schema: str) -> dict[str, list[Any]]:
    return {
        table: [
            r[0]
            for r in conn.execute(
                sql.SQL("SELECT to_jsonb(t) FROM {}.{} t ORDER BY 1").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            ).fetchall()
        ]
        for table, _ in LEGACY_TABLES
    }


def with_dbname(url: str, dbname: str) -> str:
    """The same server URL, another database (sqitch needs a URL, not key=value)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def sqitch(command: list[str], url: str) -> subprocess.CompletedProcess[str]:
    target = "db:pg:" + re.sub(r"^postgres(ql)?:", "", url)
    env = {**os.environ, "SQITCH_FULLNAME": "pytest", "SQITCH_EMAIL": "pytest@localhost"}
    return subprocess.run(
        ["sqitch", *command, target], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@contextmanager
def scratch_database(database_url: str, suffix: str) -> Iterator[str]:
    """A fresh database beside database_url (dropped first if left over, and
    afterwards); the test is skipped when the server will not create one."""
    name = f"{urlsplit(database_url).path.lstrip('/') or 'buildtracker'}_{suffix}"
    admin = with_dbname(database_url, "postgres")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(drop)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        pytest.skip(f"cannot create a scratch database on this server: {exc}")
    try:
        yield with_dbname(database_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(drop)


@pytest.fixture(scope="module")
def legacy_url(database_url: str) -> Iterator[str]:
    """A scratch database holding the legacy fixture, dropped afterwards."""
    with scratch_database(database_url, "legacy") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(FIXTURE.read_text())  # type: ignore[call-overload]
        yield url


@pytest.fixture(scope="module")
def upgraded(legacy_url: str) -> Iterator[dict[str, Any]]:
    """Deploys over the legacy database; yields what was there before and what sqitch said."""
    with psycopg.connect(legacy_url) as conn:
        before = legacy_rows(conn, "claude")
        schema_owner = conn.execute(
            "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'claude'"
        ).fetchone()
    result = sqitch(["deploy", "--verify"], legacy_url)
    assert result.returncode == 0, result.stdout + result.stderr
    yield {"before": before, "output": result.stdout + result.stderr, "owner": schema_owner}


def test_every_legacy_row_is_imported_or_quarantined(
    legacy_url: str, upgraded: dict[str, Any]
) -> None:
    with psycopg.connect(legacy_url) as conn:
        for table, key in LEGACY_TABLES:
            legacy_ids = {row[key] for row in upgraded["before"][table]}
            imported = {
                str(r[0])
                for r in conn.execute(
                    sql.SQL("SELECT {} FROM claude.{}").format(
                        sql.Identifier(key), sql.Identifier(table)
                    )
                ).fetchall()
            }
            quarantined = {
                r[0]
                for r in conn.execute(
                    "SELECT source_id FROM claude.legacy_quarantine WHERE source_table = %s",
                    [table],
                ).fetchall()
            }
            assert legacy_ids <= imported | quarantined, table
            assert not (legacy_ids & imported & quarantined), (
                f"{table}: a row both imported and quarantined"
            )
        # nothing else appeared in the entity tables
        assert conn.execute("SELECT count(*) FROM claude.features").fetchone() == (4,)


def test_quarantine_keeps_the_whole_row_and_the_reason(
    legacy_url: str, upgraded: dict[str, Any]
) -> None:
    with psycopg.connect(legacy_url) as conn:
        reasons = dict(
            conn.execute(
                "SELECT source_table || ':' || source_id, reason FROM claude.legacy_quarantine"
            ).fetchall()
        )
        row = conn.execute(
            "SELECT row_data FROM claude.legacy_quarantine WHERE source_id = %s",
            ["30000000-0000-4000-8000-000000000005"],
        ).fetchone()
    assert (
        reasons["features:30000000-0000-4000-8000-000000000004"]
        == "project does not exist (orphan)"
    )
    assert (
        "unknown feature_type moonshot" in reasons["features:30000000-0000-4000-8000-000000000005"]
    )
    assert "orphan" in reasons["components:40000000-0000-4000-8000-000000000008"]
    assert "duplicate component_name" in reasons["components:40000000-0000-4000-8000-000000000006"]
    assert "orphan" in reasons["build_tasks:50000000-0000-4000-8000-000000000003"]
    assert "missing task_description" in reasons["build_tasks:50000000-0000-4000-8000-000000000008"]
    assert "must-have" in reasons["requirements:60000000-0000-4000-8000-000000000003"]
    assert "duplicate project_name" in reasons["projects:10000000-0000-4000-8000-000000000002"]
    assert row is not None and row[0]["feature_type"] == "moonshot"
    assert row[0]["feature_name"] == "Weird feature"


def test_known_values_are_normalised(legacy_url: str, upgraded: dict[str, Any]) -> None:
    with psycopg.connect(legacy_url) as conn:
        components = dict(
            conn.execute(
                "SELECT component_name, component_type || '/' || status FROM claude.components"
            ).fetchall()
        )
        platform = conn.execute(
            "SELECT feature_type, started_date = completed_date FROM claude.features"
            " WHERE feature_name = 'Legacy platform'"
        ).fetchone()
        task = conn.execute(
            "SELECT feature_id::text, status, started_at IS NOT NULL, completed_at IS NOT NULL"
            " FROM claude.build_tasks WHERE task_id = %s",
            ["50000000-0000-4000-8000-000000000001"],
        ).fetchone()
        from_component = conn.execute(
            "SELECT feature_id::text FROM claude.build_tasks WHERE task_id = %s",
            ["50000000-0000-4000-8000-000000000002"],
        ).fetchone()
        cleared = conn.execute(
            "SELECT component_id, blocked_by_task_id FROM claude.build_tasks WHERE task_id = %s",
            ["50000000-0000-4000-8000-000000000004"],
        ).fetchone()
        title = conn.execute(
            "SELECT char_length(title), summary LIKE 'Full title:%%' FROM claude.activity_feed WHERE id = %s",
            ["70000000-0000-4000-8000-000000000002"],
        ).fetchone()
    assert components == {
        "Gateway": "api_endpoint/completed",
        "Dashboard": "ui_component/completed",
        "LoginForm": "ui_component/in_progress",
        "UserStore": "repository/planned",
    }
    assert platform == ("infrastructure", True)
    assert task == ("30000000-0000-4000-8000-000000000001", "completed", True, True)
    assert from_component == ("30000000-0000-4000-8000-000000000002",)
    assert cleared is not None and cleared[0] is None
    assert title == (255, True)


def test_deploy_prints_a_summary(upgraded: dict[str, Any]) -> None:
    output = upgraded["output"]
    assert "legacy upgrade summary" in output
    assert "features: 7 rows, 4 imported" in output
    assert "3 quarantined" in output
    assert "status complete -> completed" in output


def test_other_objects_in_claude_survive(legacy_url: str, upgraded: dict[str, Any]) -> None:
    with psycopg.connect(legacy_url) as conn:
        assert conn.execute("SELECT note FROM claude.sessions").fetchall() == [("not ours",)]


def test_schema_is_identical_to_a_fresh_install(
    database_url: str, legacy_url: str, upgraded: dict[str, Any]
) -> None:
    upgraded_catalog = assert_same_schema(database_url, legacy_url)
    assert all(row[3] for row in upgraded_catalog["constraints"]), "every constraint is validated"


def test_old_rows_stay_until_edited(legacy_url: str, upgraded: dict[str, Any]) -> None:
    auth = "30000000-0000-4000-8000-000000000002"
    with psycopg.connect(legacy_url) as conn:
        # "Auth" is shorter than today's minimum of 5 characters: kept as it was
        assert conn.execute(
            "SELECT feature_name FROM claude.features WHERE feature_id = %s", [auth]
        ).fetchone() == ("Auth",)
        conn.execute("SELECT claude.update_feature(%s, %s)", [auth, '{"priority": 2}'])
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("SELECT claude.update_feature(%s, %s)", [auth, '{"feature_name": "abc"}'])
        conn.rollback()


def test_imported_entities_have_their_creation_row(
    legacy_url: str, upgraded: dict[str, Any]
) -> None:
    with psycopg.connect(legacy_url) as conn:
        missing = conn.execute(
            """SELECT f.feature_id FROM claude.features f
                WHERE NOT EXISTS (SELECT 1 FROM claude.activity_feed a
                                   WHERE a.source_id = f.feature_id AND a.activity_type = 'created')"""
        ).fetchall()
    assert missing == []


def test_invariants_hold_after_the_upgrade(legacy_url: str, upgraded: dict[str, Any]) -> None:
    with psycopg.connect(legacy_url) as conn:
        assert conn.execute("SELECT * FROM claude.check_invariants()").fetchall() == []


def test_revert_gives_the_old_schema_back(legacy_url: str, upgraded: dict[str, Any]) -> None:
    result = sqitch(["revert", "-y"], legacy_url)
    assert result.returncode == 0, result.stdout + result.stderr
    with psycopg.connect(legacy_url) as conn:
        assert legacy_rows(conn, "claude") == upgraded["before"]
        assert conn.execute("SELECT to_regnamespace('claude_legacy')").fetchone() == (None,)
        assert (
            conn.execute(
                "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'claude'"
            ).fetchone()
            == upgraded["owner"]
        )
        assert conn.execute("SELECT to_regclass('claude.status_transitions')").fetchone() == (None,)
    # and it can be deployed again
    again = sqitch(["deploy"], legacy_url)
    assert again.returncode == 0, again.stdout + again.stderr


# Every release tag of the plan (from @v1.0.0, the baseline, on): a database
# at any of them, holding data, upgrades to the head. 0.x databases are not
# upgradable (scripts/preflight.sql says so); see docs/UPGRADING.md.
RELEASES = [
    line.split()[0]
    for line in (ROOT / "sqitch.plan").read_text().splitlines()
    if line.startswith("@")
]


@pytest.mark.parametrize("release", RELEASES)
def test_upgrading_a_release_gives_the_fresh_schema(database_url: str, release: str) -> None:
    """A database at an earlier release, holding data, upgraded with a plain
    ``sqitch deploy``: the schema ends identical to a fresh install, the old
    rows keep working and every invariant holds."""
    with scratch_database(database_url, "from_" + release[2:].replace(".", "_")) as url:
        old = sqitch(["deploy", "--verify", "--to", release], url)
        assert old.returncode == 0, old.stdout + old.stderr
        with psycopg.connect(url, autocommit=True) as conn:

            def new_id(query: str, params: list[Any]) -> str:
                row = conn.execute(query, params).fetchone()
                assert row is not None
                return str(row[0])

            project = new_id(
                "SELECT claude.add_project(%s)->'data'->>'project_id'", ["Old release"]
            )
            dev = new_id(
                "SELECT claude.add_identity(%s)->'data'->>'identity_id'", ["old-release-dev"]
            )
            feature = new_id(
                "SELECT claude.add_feature(%s, 'feature', %s)->'data'->>'feature_id'",
                ["Feature from the old release", project],
            )
            task = new_id(
                "SELECT claude.add_task(%s, %s, 'code', feature_id => %s)->'data'->>'task_id'",
                ["Task from the old release", "Written before the upgrade", feature],
            )
            conn.execute("SELECT claude.start_task(%s, %s)", [task, dev])
            conn.execute("SELECT claude.block_task(%s, 'waiting for the upgrade')", [task])
            # 1.0 accepted NaN hours (CHECK (x > 0) holds for NaN); 1.1 clears them
            nan_task = new_id(
                "SELECT claude.add_task(%s, %s, 'code', feature_id => %s,"
                " estimated_hours => 'NaN')->'data'->>'task_id'",
                ["NaN task from the old release", "Estimated as not a number", feature],
            )

        new = sqitch(["deploy", "--verify"], url)
        assert new.returncode == 0, new.stdout + new.stderr
        assert_same_schema(database_url, url)
        with psycopg.connect(url, autocommit=True) as conn:
            envelope = conn.execute(
                "SELECT claude.unblock_task(%s, 'unblocked after the upgrade')", [task]
            ).fetchone()
            assert envelope is not None and envelope[0]["data"]["status"] == "in_progress"
            changes = conn.execute(
                "SELECT changes FROM claude.activity_feed WHERE source_id = %s AND activity_type = 'unblocked'",
                [task],
            ).fetchone()
            assert changes is not None and changes[0]["status"] == {
                "old": "blocked",
                "new": "in_progress",
            }
            assert conn.execute("SELECT * FROM claude.check_invariants()").fetchall() == []
            nan_after = conn.execute(
                "SELECT estimated_hours FROM claude.build_tasks WHERE task_id = %s", [nan_task]
            ).fetchone()
            assert nan_after == (None,)
            cleared = conn.execute(
                "SELECT origin, changes FROM claude.activity_feed"
                " WHERE source_id = %s AND title LIKE 'NaN hours cleared%%'",
                [nan_task],
            ).fetchall()
            assert cleared == [("system", {"estimated_hours": {"old": "NaN", "new": None}})]
            # rows written before the upgrade are sealed like any other
            assert conn.execute(
                "SELECT count(*) > 0 FROM claude.activity_feed WHERE origin = 'unrecorded'"
            ).fetchone() == (True,)
            conn.execute("SELECT claude.seal_feed()")
            assert conn.execute("SELECT * FROM claude.verify_feed()").fetchall() == []


def test_legacy_cycles_are_broken_and_quarantined(database_url: str) -> None:
    """A parent-feature cycle and a blocking-task cycle in the old data: one
    link of each is cleared and quarantined with its reason; no row is lost."""
    with scratch_database(database_url, "legacy_cycles") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(FIXTURE.read_text())  # type: ignore[call-overload]
            conn.execute(
                """
                INSERT INTO claude.features (feature_id, project_id, parent_feature_id, feature_name,
                                             feature_type, priority, status, completion_percentage,
                                             created_at, updated_at) VALUES
                  ('3c000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
                   '3c000000-0000-4000-8000-000000000002', 'Cycle one', 'feature', 5, 'not_started', 0,
                   '2025-04-01', '2025-04-01'),
                  ('3c000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001',
                   '3c000000-0000-4000-8000-000000000001', 'Cycle two', 'feature', 5, 'not_started', 0,
                   '2025-04-01', '2025-04-01');
                INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type,
                                                status, priority, blocked_by_task_id, created_at, updated_at) VALUES
                  ('5c000000-0000-4000-8000-000000000001', '3c000000-0000-4000-8000-000000000001',
                   'Waits on two', 'A task in a dependency cycle', 'code', 'blocked', 5,
                   '5c000000-0000-4000-8000-000000000002', '2025-04-01', '2025-04-01'),
                  ('5c000000-0000-4000-8000-000000000002', '3c000000-0000-4000-8000-000000000001',
                   'Waits on one', 'A task in a dependency cycle', 'code', 'blocked', 5,
                   '5c000000-0000-4000-8000-000000000001', '2025-04-01', '2025-04-01');
                """
            )
        result = sqitch(["deploy", "--verify"], url)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "2 cycle(s)" in result.stdout + result.stderr
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("SELECT * FROM claude.check_invariants()").fetchall() == []
            kept = conn.execute(
                "SELECT count(*) FROM claude.features WHERE feature_name IN ('Cycle one', 'Cycle two')"
            ).fetchone()
            assert kept == (2,)
            quarantined = conn.execute(
                "SELECT source_table, source_id, reason FROM claude.legacy_quarantine"
                " WHERE source_table LIKE '%.%' ORDER BY source_table"
            ).fetchall()
            assert [(t, i) for t, i, _ in quarantined] == [
                ("build_tasks.blocked_by_task_id", "5c000000-0000-4000-8000-000000000001"),
                ("features.parent_feature_id", "3c000000-0000-4000-8000-000000000001"),
            ]
            assert all("formed a cycle" in reason for _, _, reason in quarantined)
            logged = conn.execute(
                "SELECT count(*) FROM claude.activity_feed"
                " WHERE origin = 'system' AND title LIKE 'Legacy cycle broken%'"
            ).fetchone()
            assert logged == (2,)


def test_objects_depending_on_the_old_tables_stop_the_upgrade(database_url: str) -> None:
    """A view and a foreign key outside the old tables would follow them into
    claude_legacy: the deploy stops with one sentence naming them, and goes
    through once they are dropped."""
    with scratch_database(database_url, "legacy_dependents") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(FIXTURE.read_text())  # type: ignore[call-overload]
            conn.execute(
                "CREATE VIEW public.feature_report AS SELECT feature_name FROM claude.features"
            )
            conn.execute(
                "CREATE TABLE public.invoices (id int PRIMARY KEY,"
                " project_id uuid CONSTRAINT invoices_project_fk REFERENCES claude.projects)"
            )
        stopped = sqitch(["deploy", "--verify"], url)
        output = stopped.stdout + stopped.stderr
        assert stopped.returncode != 0
        assert "view feature_report reads claude.features" in output
        assert "foreign key invoices_project_fk of invoices references claude.projects" in output
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("SELECT to_regnamespace('claude_legacy')").fetchone() == (None,)
            conn.execute("DROP VIEW public.feature_report")
            conn.execute("DROP TABLE public.invoices")
        done = sqitch(["deploy", "--verify"], url)
        assert done.returncode == 0, done.stdout + done.stderr


FEED_ROWS = "SELECT a::text FROM claude.activity_feed a ORDER BY a.id, a.created_at"


def test_the_feed_is_partitioned_in_place_and_back(database_url: str) -> None:
    """SPEC section 13: a database holding feed rows, this month's and old
    months', gets the partitioned feed from a plain ``sqitch deploy``: every
    row stays verbatim in its month's partition and the checkpoints still
    verify; ``sqitch revert`` makes it one plain table again, rows intact."""
    with scratch_database(database_url, "partitions") as url:
        old = sqitch(["deploy", "--verify", "--to", "activity_feed_partitions^"], url)
        assert old.returncode == 0, old.stdout + old.stderr
        with psycopg.connect(url, autocommit=True) as conn:
            project = conn.execute(
                "SELECT claude.add_project('Partitioned')->'data'->>'project_id'"
            )
            project_id = project.fetchone()[0]  # type: ignore[index]
            conn.execute("SELECT claude.add_identity('partition-dev')")
            feature = conn.execute(
                "SELECT claude.add_feature('Feed months', 'feature', %s)->'data'->>'feature_id'",
                [project_id],
            ).fetchone()[0]  # type: ignore[index]
            for n in range(3):
                conn.execute(
                    "SELECT claude.add_task(%s, 'Written before the feed was partitioned', 'code',"
                    " feature_id => %s)",
                    [f"Task {n}", feature],
                )
            # rows of months long gone, as an older database holds them
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute(
                    "INSERT INTO claude.activity_feed (source_type, activity_type, title, created_at)"
                    " SELECT 'system', 'updated', 'Old row ' || n, now() - n * interval '40 days'"
                    "   FROM generate_series(3, 12) n"
                )
                # sealed as they were written (replica mode skips the sealing trigger)
                conn.execute(
                    "UPDATE claude.activity_feed a SET checksum = claude.activity_checksum(a)"
                    " WHERE a.title LIKE 'Old row %'"
                )
            conn.execute("SELECT claude.seal_feed()")
            assert conn.execute("SELECT * FROM claude.verify_feed()").fetchall() == []
            rows_before = conn.execute(FEED_ROWS).fetchall()
            months = conn.execute(
                "SELECT count(DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC'))"
                " FROM claude.activity_feed"
            ).fetchone()[0]  # type: ignore[index]
            assert months > 5

        new = sqitch(["deploy", "--verify"], url)
        assert new.returncode == 0, new.stdout + new.stderr
        assert_same_schema(database_url, url)
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute(
                "SELECT relkind FROM pg_class WHERE oid = 'claude.activity_feed'::regclass"
            ).fetchone() == ("p",)
            assert conn.execute(FEED_ROWS).fetchall() == rows_before
            misplaced = conn.execute(
                "SELECT count(*) FROM claude.activity_feed a"
                " WHERE a.tableoid::regclass::text"
                "       <> 'claude.' || claude.feed_partition_name((a.created_at AT TIME ZONE 'UTC')::date)"
            ).fetchone()
            assert misplaced == (0,), "every row in its month's partition, none left in the default"
            assert conn.execute("SELECT * FROM claude.verify_feed()").fetchall() == []
            # and it keeps working: a write lands in this month, the seal goes on
            conn.execute(
                "SELECT claude.log_activity('system', NULL, 'updated', 'After the upgrade')"
            )
            conn.execute("SELECT claude.seal_feed()")
            assert conn.execute("SELECT * FROM claude.verify_feed()").fetchall() == []
            rows_after = conn.execute(FEED_ROWS).fetchall()

        back = sqitch(["revert", "-y", "--to", "activity_feed_partitions^"], url)
        assert back.returncode == 0, back.stdout + back.stderr
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute(
                "SELECT relkind FROM pg_class WHERE oid = 'claude.activity_feed'::regclass"
            ).fetchone() == ("r",)
            assert conn.execute(FEED_ROWS).fetchall() == rows_after
            assert conn.execute("SELECT * FROM claude.verify_feed()").fetchall() == []
            assert conn.execute("SELECT * FROM claude.check_invariants()").fetchall() == []

        again = sqitch(["deploy", "--verify"], url)
        assert again.returncode == 0, again.stdout + again.stderr
