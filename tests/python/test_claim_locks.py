"""A claim that takes over an expired lease holds no other task (SPEC section 10).

claim_next_task compares the best expired task with the best ready one; it
must lock only the task it hands out, or a second claimer running at the same
time would find the ready task locked and get nothing while work is free.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

Conn = psycopg.Connection[tuple[Any, ...]]


def value(conn: Conn, query: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def test_a_reclaiming_claim_leaves_the_ready_task_to_others(database_url: str) -> None:
    tag = uuid.uuid4().hex[:8]
    with psycopg.connect(database_url, autocommit=True) as setup:
        project = value(
            setup, "SELECT claude.add_project(%s) #>> '{data,project_id}'", (f"locks-{tag}",)
        )
        feature = value(
            setup,
            "SELECT claude.add_feature(%s, 'feature', %s) #>> '{data,feature_id}'",
            (f"Claim locks {tag}", project),
        )
        holder, first, second = (
            value(
                setup, "SELECT claude.add_identity(%s) #>> '{data,identity_id}'", (f"{who}-{tag}",)
            )
            for who in ("holder", "first", "second")
        )
        abandoned = value(
            setup,
            "SELECT claude.add_task('Abandoned task', 'Its holder went away', 'code',"
            " feature_id => %s, priority => 1) #>> '{data,task_id}'",
            (feature,),
        )
        ready = value(
            setup,
            "SELECT claude.add_task('Ready task here', 'Free for anyone to take', 'code',"
            " feature_id => %s, priority => 2) #>> '{data,task_id}'",
            (feature,),
        )
        claimed = value(
            setup,
            "SELECT claude.claim_next_task(%s, feature_id => %s, lease => '1 second') #>> '{data,task_id}'",
            (holder, feature),
        )
        assert claimed == abandoned
        # the holder goes quiet: its lease runs out
        setup.execute("SELECT pg_sleep(1.2)")

    with psycopg.connect(database_url) as one_claimer, psycopg.connect(database_url) as other:
        took = value(
            one_claimer,
            "SELECT claude.claim_next_task(%s, feature_id => %s) -> 'data' ->> 'task_id'",
            (first, feature),
        )
        assert took == abandoned, "the expired task comes first by priority"
        # the first claimer's transaction is still open: the ready task must be free
        other.execute("SET lock_timeout = '5s'")
        got = value(
            other,
            "SELECT claude.claim_next_task(%s, feature_id => %s) -> 'data' ->> 'task_id'",
            (second, feature),
        )
        assert got == ready, "the ready task was held by a claim that did not take it"
        one_claimer.commit()
        other.commit()
