"""The sync and async clients: every SQL function as one typed method.

Both run the call builders of :mod:`buildtracker.calls`, bound as methods by
the tables of :mod:`buildtracker.methods` (both generated from the registry by
:mod:`buildtracker.codegen`); a method keeps its builder's signature and only
changes how the statement is executed.

Transactions: given a connection, the client runs on it and the caller owns
the transaction (commit, rollback, autocommit). Given a pool, each call runs
in its own transaction on a pooled connection.

Retries (SPEC section 12): a call that is its own transaction (on a pool, or on
an autocommit connection with no transaction open) and fails with 40001
(serialization failure) or 40P01 (deadlock) is run again, at most
:data:`RETRY_ATTEMPTS` times in all, after a short jittered pause. A call inside
a transaction the caller owns is never retried: the failure aborted the
caller's whole transaction, which only the caller can run again.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Iterator
from typing import Any, TypeVar

import psycopg
from psycopg import pq
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from buildtracker.callkit import Call
from buildtracker.errors import from_psycopg
from buildtracker.methods import AsyncCalls, SyncCalls

T = TypeVar("T")

# A concurrent writer won: running the same transaction again may succeed.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
# Attempts in all (the first and two retries): enough for a burst of
# contention, bounded so that a hot row cannot hold a caller for long.
RETRY_ATTEMPTS = 3


def retry_pause(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: 5-10 ms after the first
    failure, 10-20 ms after the second. Jittered, so that the transactions that
    collided do not collide again in step."""
    return random.uniform(0.005, 0.010) * 2.0 ** (attempt - 1)


def retryable(exc: psycopg.Error, attempt: int) -> bool:
    return exc.sqlstate in RETRYABLE_SQLSTATES and attempt < RETRY_ATTEMPTS


def owns_transaction(conn: psycopg.Connection[Any] | psycopg.AsyncConnection[Any]) -> bool:
    """Whether a statement on ``conn`` is its own transaction: autocommit, and
    no transaction opened by the caller (``with conn.transaction():``)."""
    return conn.autocommit and conn.info.transaction_status == pq.TransactionStatus.IDLE


class Client(SyncCalls):
    """Blocking client over a psycopg connection or a ``psycopg_pool.ConnectionPool``."""

    def __init__(
        self,
        source: psycopg.Connection[Any] | ConnectionPool[Any],
        *,
        actor: str | None = None,
    ) -> None:
        self.source = source
        self.actor = actor

    @classmethod
    def connect(cls, conninfo: str, *, actor: str | None = None, autocommit: bool = True) -> Client:
        """A client on a new connection (autocommit by default: each call is its own
        transaction, retried on 40001 and 40P01; with ``autocommit=False`` the caller
        owns the transaction and a failure is raised, never retried)."""
        return cls(psycopg.connect(conninfo, autocommit=autocommit), actor=actor)

    def close(self) -> None:
        """Closes the connection or pool the client was given."""
        self.source.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """``with Client.connect(url) as client:`` closes the connection (or pool) on exit."""
        self.close()

    def run(self, call: Call[T]) -> T:
        """Execute one call; database errors become :mod:`buildtracker.errors` exceptions.
        A call that is its own transaction is retried on 40001 and 40P01 (see above)."""
        attempt = 1
        while True:
            source = self.source
            # decided before the call: a failure leaves no transaction either way
            owned = isinstance(source, ConnectionPool) or owns_transaction(source)
            try:
                if isinstance(source, ConnectionPool):
                    with source.connection() as conn:
                        rows = conn.execute(call.query, call.params).fetchall()
                else:
                    rows = source.execute(call.query, call.params).fetchall()
            except psycopg.Error as exc:
                if not (owned and retryable(exc, attempt)):
                    raise from_psycopg(exc) from exc
                time.sleep(retry_pause(attempt))
                attempt += 1
                continue
            return call.parse(rows)


class AsyncClient(AsyncCalls):
    """Async twin of :class:`Client` over an ``AsyncConnection`` or ``AsyncConnectionPool``."""

    def __init__(
        self,
        source: psycopg.AsyncConnection[Any] | AsyncConnectionPool[Any],
        *,
        actor: str | None = None,
    ) -> None:
        self.source = source
        self.actor = actor

    @classmethod
    async def connect(
        cls, conninfo: str, *, actor: str | None = None, autocommit: bool = True
    ) -> AsyncClient:
        """A client on a new async connection (autocommit by default: each call is its
        own transaction, retried on 40001 and 40P01)."""
        return cls(
            await psycopg.AsyncConnection.connect(conninfo, autocommit=autocommit), actor=actor
        )

    async def close(self) -> None:
        """Closes the connection or pool the client was given."""
        await self.source.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """``async with await AsyncClient.connect(url) as client:`` closes it on exit."""
        await self.close()

    async def run(self, call: Call[T]) -> T:
        """Execute one call; database errors become :mod:`buildtracker.errors` exceptions.
        A call that is its own transaction is retried on 40001 and 40P01 (see above)."""
        attempt = 1
        while True:
            source = self.source
            owned = isinstance(source, AsyncConnectionPool) or owns_transaction(source)
            try:
                if isinstance(source, AsyncConnectionPool):
                    async with source.connection() as conn:
                        cursor = await conn.execute(call.query, call.params)
                        rows = await cursor.fetchall()
                else:
                    cursor = await source.execute(call.query, call.params)
                    rows = await cursor.fetchall()
            except psycopg.Error as exc:
                if not (owned and retryable(exc, attempt)):
                    raise from_psycopg(exc) from exc
                await asyncio.sleep(retry_pause(attempt))
                attempt += 1
                continue
            return call.parse(rows)


# ---------------------------------------------------------------- notifications

ACTIVITY_CHANNEL = "buildtracker_activity"


def listen(conninfo: str, *, timeout: float | None = None) -> Iterator[dict[str, Any]]:
    """The notifications of the activity channel (SPEC section 5: warning and
    error rows), as dicts (id, type, title, severity, project), as they come.

    A connection of its own, in autocommit, LISTENs; the iterator ends after
    ``timeout`` seconds without a notification (never when None). A payload is
    a hint, not proof: read the row back (``get_activity(source_id=...)``)
    before acting on it, since any login may NOTIFY on the channel.
    """
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"LISTEN {ACTIVITY_CHANNEL}")
        while True:
            received = False
            for notify in conn.notifies(timeout=timeout, stop_after=1):
                received = True
                try:
                    payload = json.loads(notify.payload)
                except ValueError:
                    continue  # not one of ours
                if isinstance(payload, dict):
                    yield payload
            if not received:
                return
