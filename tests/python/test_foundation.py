"""The deployed database answers, with the shape and grants of SPEC 2 and 8."""

from __future__ import annotations

import psycopg
import pytest

TABLES = [
    "activity_feed",
    "api_tokens",
    "build_tasks",
    "comments",
    "components",
    "features",
    "feed_checkpoints",
    "feed_followers",
    "identities",
    "legacy_quarantine",
    "projects",
    "requirements",
    "status_transitions",
    "task_dependencies",
]


def test_all_tables_exist(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    rows = conn.execute(
        "SELECT relname FROM pg_class"
        # the feed is partitioned (relkind p); its monthly partitions are not tables of their own
        " WHERE relnamespace = 'claude'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition"
        " ORDER BY relname"
    ).fetchall()
    assert [r[0] for r in rows] == TABLES


def test_insert_and_read_back_a_project(
    conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    row = conn.execute(
        "INSERT INTO claude.projects (project_name) VALUES (%s) RETURNING project_id, created_at",
        ["pytest project"],
    ).fetchone()
    assert row is not None
    name = conn.execute(
        "SELECT project_name FROM claude.projects WHERE project_id = %s", [row[0]]
    ).fetchone()
    assert name == ("pytest project",)


def test_reader_cannot_write(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    conn.execute("SET ROLE buildtracker_reader")
    assert conn.execute("SELECT count(*) FROM claude.projects").fetchone() is not None
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO claude.projects (project_name) VALUES ('nope')")


def test_check_constraint_reports_sqlstate_23514(
    conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as caught:
        conn.execute("INSERT INTO claude.projects (project_name) VALUES ('   ')")
    assert caught.value.sqlstate == "23514"
