"""Retries of a call that loses a race, and pooled connections checked before use (SPEC 12).

The race is real: another transaction updates a feature and holds its row
lock; the client's update of the same feature waits for it; the holder
commits; the waiting update, in a SERIALIZABLE transaction, fails with 40001
(could not serialize access due to concurrent update). When the call is its
own transaction (a pool, or an autocommit connection with no transaction
open) the client runs it again, and the second attempt succeeds; when the
caller owns the transaction, the error is raised and nothing is run again.
Attempts are counted by a connection class that counts its statements.

A pooled connection whose backend was terminated is replaced before a REST
request gets it.
"""

# ruff: noqa: F811

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID

import psycopg
import pytest
from buildtracker import AsyncClient, Client, RetryableConflictError
from buildtracker.api import create_app
from fastapi.testclient import TestClient
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool
from test_api import Conn, admin, data, make_token, tag  # noqa: F401

T = TypeVar("T")


class CountingConnection(psycopg.Connection[Any]):
    """Counts the calls run on it (the client's statements are composed SQL)."""

    calls = 0

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query, sql.Composable):
            self.calls += 1
        return super().execute(query, *args, **kwargs)


class AsyncCountingConnection(psycopg.AsyncConnection[Any]):
    calls = 0

    async def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query, sql.Composable):
            self.calls += 1
        return await super().execute(query, *args, **kwargs)


@pytest.fixture
def feature_id(database_url: str) -> Iterator[UUID]:
    """A committed feature of a project of its own, deleted afterwards."""
    with Client.connect(database_url) as client:
        project = client.add_project(f"Retry project {tag()}").data
        feature = client.add_feature(f"Contested {tag()}", "feature", project.project_id).data
    yield feature.feature_id
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM claude.features WHERE project_id = %s", [project.project_id])
        conn.execute("DELETE FROM claude.projects WHERE project_id = %s", [project.project_id])


def priority(database_url: str, feature_id: UUID) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT priority FROM claude.features WHERE feature_id = %s", [feature_id]
        ).fetchone()
    assert row is not None
    return int(row[0])


def race(database_url: str, feature_id: UUID, call: Callable[[], T]) -> T:
    """``call`` (an update of the feature) while another transaction updates the
    same feature, holds its row lock until ``call`` waits for it, and commits:
    ``call``'s first attempt sees a row changed since its snapshot (40001)."""
    with (
        psycopg.connect(database_url) as holder,
        psycopg.connect(database_url, autocommit=True) as watcher,
    ):
        Client(holder).update_feature(feature_id, {"priority": 2})
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(call)
            deadline = time.monotonic() + 10
            while not watcher.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'"
            ).fetchone():
                assert time.monotonic() < deadline, "the call never waited for the row"
                time.sleep(0.01)
            holder.commit()
            return pending.result(timeout=30)


def serializable(database_url: str, **kwargs: Any) -> CountingConnection:
    conn = CountingConnection.connect(database_url, **kwargs)
    if conn.autocommit:
        conn.execute("SET default_transaction_isolation = 'serializable'")
    else:
        conn.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
    return conn


# ---------------------------------------------------------------- the client owns the transaction


def test_an_autocommit_call_is_retried_after_a_serialization_failure(
    database_url: str, feature_id: UUID
) -> None:
    with serializable(database_url, autocommit=True) as conn:
        client = Client(conn)
        result = race(
            database_url, feature_id, lambda: client.update_feature(feature_id, {"priority": 7})
        )
        assert result.data.priority == 7
        assert conn.calls == 2  # the first attempt failed with 40001, the second succeeded
    assert priority(database_url, feature_id) == 7


def test_a_pooled_call_is_retried_after_a_serialization_failure(
    database_url: str, feature_id: UUID
) -> None:
    url = make_conninfo(database_url, options="-c default_transaction_isolation=serializable")
    with ConnectionPool(
        url, connection_class=CountingConnection, min_size=1, max_size=1, open=True
    ) as pool:
        client = Client(pool)
        result = race(
            database_url, feature_id, lambda: client.update_feature(feature_id, {"priority": 8})
        )
        assert result.data.priority == 8
        with pool.connection() as conn:
            assert isinstance(conn, CountingConnection)
            assert conn.calls == 2
    assert priority(database_url, feature_id) == 8


def test_an_async_autocommit_call_is_retried(database_url: str, feature_id: UUID) -> None:
    async def update() -> tuple[int, int]:
        conn = await AsyncCountingConnection.connect(database_url, autocommit=True)
        async with conn:
            await conn.execute("SET default_transaction_isolation = 'serializable'")
            result = await AsyncClient(conn).update_feature(feature_id, {"priority": 9})
            return result.data.priority, conn.calls

    assert race(database_url, feature_id, lambda: asyncio.run(update())) == (9, 2)
    assert priority(database_url, feature_id) == 9


# ---------------------------------------------------------------- the caller owns the transaction


def test_a_call_in_the_callers_transaction_is_not_retried(
    database_url: str, feature_id: UUID
) -> None:
    with serializable(database_url) as conn:  # not autocommit: the caller commits
        client = Client(conn)
        with pytest.raises(RetryableConflictError) as caught:
            race(
                database_url, feature_id, lambda: client.update_feature(feature_id, {"priority": 7})
            )
        assert caught.value.sqlstate == "40001"
        assert isinstance(caught.value.__cause__, psycopg.errors.SerializationFailure)
        assert conn.calls == 1
        conn.rollback()
    assert priority(database_url, feature_id) == 2  # the holder's, not the call's


def test_a_call_in_a_transaction_opened_on_an_autocommit_connection_is_not_retried(
    database_url: str, feature_id: UUID
) -> None:
    with serializable(database_url, autocommit=True) as conn:
        client = Client(conn)

        def in_a_transaction() -> None:
            with conn.transaction():
                client.update_feature(feature_id, {"priority": 7})

        with pytest.raises(RetryableConflictError):
            race(database_url, feature_id, in_a_transaction)
        assert conn.calls == 1
    assert priority(database_url, feature_id) == 2


# ---------------------------------------------------------------- dead pooled connections


def test_a_terminated_pooled_connection_does_not_fail_the_next_request(
    database_url: str, admin: Conn
) -> None:
    token = make_token(admin, "reader")
    with TestClient(create_app(database_url, pool_size=1)) as client:
        assert isinstance(data(client.get("/api/projects", headers=token.headers)), list)
        pool = client.app.state.gateway.pool  # type: ignore[attr-defined]
        with pool.connection() as conn:
            pid = conn.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            time.sleep(0.01)
        # the one pooled connection is dead: the pool replaces it before the request
        assert isinstance(data(client.get("/api/projects", headers=token.headers)), list)
        with pool.connection() as conn:
            assert conn.info.backend_pid != pid
