"""Finding 1 of the attack review (SPEC section 12, bounded work): a huge
``changes`` is refused before the row's lock and the link lock, so it can
neither take quadratic time under a lock nor wait behind one."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb


def one(conn: psycopg.Connection[Any], query: str, params: list[Any]) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def task_id(database_url: str) -> str:
    tag = uuid.uuid4().hex[:8]
    with psycopg.connect(database_url, autocommit=True) as conn:
        project = one(
            conn, "SELECT claude.add_project(%s)->'data'->>'project_id'", [f"Bounded {tag}"]
        )
        feature = one(
            conn,
            "SELECT claude.add_feature(%s, 'api', %s)->'data'->>'feature_id'",
            [f"Bounded feature {tag}", project],
        )
        task: str = one(
            conn,
            "SELECT claude.add_task(%s, 'A task for the bounded-work tests.', 'code',"
            " feature_id => %s)->'data'->>'task_id'",
            [f"Bounded task {tag}", feature],
        )
        return task


def huge(task: str, keys: int) -> dict[str, Any]:
    return {"blocked_by_task_id": None, **{f"k{i}": i for i in range(keys)}}


def test_huge_changes_are_refused_without_waiting_for_the_link_lock(
    database_url: str, task_id: str
) -> None:
    with psycopg.connect(database_url) as holder:
        # an open transaction holding the database-wide task-dependency lock
        holder.execute("SELECT claude.lock_links('task_dependencies')")
        with psycopg.connect(database_url, autocommit=True) as caller:
            # waiting for the lock would end in 55P03 (LockNotAvailable), not 23514
            caller.execute("SET lock_timeout = '2s'")
            with pytest.raises(psycopg.errors.CheckViolation) as refused:
                caller.execute(
                    "SELECT claude.update_task(%s, %s)", [task_id, Jsonb(huge(task_id, 8000))]
                )
        holder.rollback()
    assert "at most 100" in str(refused.value)


def test_a_reader_cannot_make_validate_work_hard(database_url: str, task_id: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET ROLE buildtracker_reader")
        data = {"task_id": task_id, **huge(task_id, 100_000)}
        report = one(conn, "SELECT claude.validate('build_task', %s, 'update')", [Jsonb(data)])
    # the bound's own error: no key was examined one by one
    assert report["errors"] == [
        {
            "field": "data",
            "message": "data holds 100002 keys; at most 100 are accepted",
            "code": "23514",
        }
    ]
