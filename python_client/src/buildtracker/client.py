"""The sync and async clients: every SQL function as one typed method.

Both run the call builders of :mod:`buildtracker.calls`, bound as methods by
the tables of :mod:`buildtracker.methods` (both generated from the registry by
:mod:`buildtracker.codegen`); a method keeps its builder's signature and only
changes how the statement is executed.

Transactions: given a connection, the client runs on it and the caller owns
the transaction (commit, rollback, autocommit). Given a pool, each call runs
in its own transaction on a pooled connection.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from buildtracker.callkit import Call
from buildtracker.errors import from_psycopg
from buildtracker.methods import AsyncCalls, SyncCalls

T = TypeVar("T")


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
        """A client on a new connection (autocommit by default: each call is its own transaction)."""
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
        """Execute one call; database errors become :mod:`buildtracker.errors` exceptions."""
        try:
            if isinstance(self.source, ConnectionPool):
                with self.source.connection() as conn:
                    rows = conn.execute(call.query, call.params).fetchall()
            else:
                rows = self.source.execute(call.query, call.params).fetchall()
        except psycopg.Error as exc:
            raise from_psycopg(exc) from exc
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
        """A client on a new async connection (autocommit by default)."""
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
        """Execute one call; database errors become :mod:`buildtracker.errors` exceptions."""
        try:
            if isinstance(self.source, AsyncConnectionPool):
                async with self.source.connection() as conn:
                    cursor = await conn.execute(call.query, call.params)
                    rows = await cursor.fetchall()
            else:
                cursor = await self.source.execute(call.query, call.params)
                rows = await cursor.fetchall()
        except psycopg.Error as exc:
            raise from_psycopg(exc) from exc
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
