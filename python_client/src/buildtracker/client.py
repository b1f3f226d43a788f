"""The sync and async clients: every SQL function as one typed method.

Both run the call definitions of :mod:`buildtracker.calls`; a method is bound
with :class:`SyncMethod` / :class:`AsyncMethod`, which keep the builder's
signature (ParamSpec) and only change how the statement is executed.

Transactions: given a connection, the client runs on it and the caller owns
the transaction (commit, rollback, autocommit). Given a pool, each call runs
in its own transaction on a pooled connection.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Generic, ParamSpec, TypeVar, overload

import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from buildtracker import calls, registry
from buildtracker.calls import Call
from buildtracker.errors import from_psycopg

P = ParamSpec("P")
T = TypeVar("T")
Owner = TypeVar("Owner")


def _with_actor(
    call: Call[T], builder: Callable[..., Call[T]], args: Any, kwargs: Any, actor: str | None
) -> Call[T]:
    """Rebuild a write call with the client's default actor when none was given."""
    if actor is None or not call.writes or "actor" in call.params:
        return call
    return builder(*args, **{**kwargs, "actor": actor})


def _docstring(builder: Callable[..., Any]) -> str | None:
    """The builder's own docstring, else the SQL function's COMMENT (the registry)."""
    return builder.__doc__ or registry.description(builder.__name__)


class SyncMethod(Generic[P, T]):
    """Binds a call builder as a blocking method of :class:`Client`."""

    def __init__(self, builder: Callable[P, Call[T]]) -> None:
        self.builder = builder
        self.__doc__ = _docstring(builder)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> SyncMethod[P, T]: ...
    @overload
    def __get__(self, client: Client, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(self, client: Client | None, owner: type[Any]) -> SyncMethod[P, T] | Callable[P, T]:
        if client is None:
            return self
        builder = self.builder

        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            call = _with_actor(builder(*args, **kwargs), builder, args, kwargs, client.actor)
            return client.run(call)

        method.__doc__ = self.__doc__
        method.__name__ = builder.__name__
        return method


class AsyncMethod(Generic[P, T]):
    """Binds a call builder as a coroutine method of :class:`AsyncClient`."""

    def __init__(self, builder: Callable[P, Call[T]]) -> None:
        self.builder = builder
        self.__doc__ = _docstring(builder)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> AsyncMethod[P, T]: ...
    @overload
    def __get__(self, client: AsyncClient, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(
        self, client: AsyncClient | None, owner: type[Any]
    ) -> AsyncMethod[P, T] | Callable[P, Awaitable[T]]:
        if client is None:
            return self
        builder = self.builder

        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            call = _with_actor(builder(*args, **kwargs), builder, args, kwargs, client.actor)
            return await client.run(call)

        method.__doc__ = self.__doc__
        method.__name__ = builder.__name__
        return method


class Client:
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

    add_project = SyncMethod(calls.add_project)
    add_identity = SyncMethod(calls.add_identity)
    resolve_id = SyncMethod(calls.resolve_id)
    get_project = SyncMethod(calls.get_project)
    get_identity = SyncMethod(calls.get_identity)
    list_projects = SyncMethod(calls.list_projects)
    list_identities = SyncMethod(calls.list_identities)
    add_feature = SyncMethod(calls.add_feature)
    update_feature = SyncMethod(calls.update_feature)
    update_feature_status = SyncMethod(calls.update_feature_status)
    complete_feature = SyncMethod(calls.complete_feature)
    delete_feature = SyncMethod(calls.delete_feature)
    get_feature = SyncMethod(calls.get_feature)
    list_features = SyncMethod(calls.list_features)
    can_complete_feature = SyncMethod(calls.can_complete_feature)
    get_feature_completion = SyncMethod(calls.get_feature_completion)
    get_feature_with_children = SyncMethod(calls.get_feature_with_children)
    add_component = SyncMethod(calls.add_component)
    get_component = SyncMethod(calls.get_component)
    list_components = SyncMethod(calls.list_components)
    update_component = SyncMethod(calls.update_component)
    update_component_status = SyncMethod(calls.update_component_status)
    complete_component = SyncMethod(calls.complete_component)
    add_task = SyncMethod(calls.add_task)
    get_task = SyncMethod(calls.get_task)
    list_tasks = SyncMethod(calls.list_tasks)
    update_task = SyncMethod(calls.update_task)
    start_task = SyncMethod(calls.start_task)
    block_task = SyncMethod(calls.block_task)
    unblock_task = SyncMethod(calls.unblock_task)
    submit_task_for_review = SyncMethod(calls.submit_task_for_review)
    request_task_changes = SyncMethod(calls.request_task_changes)
    complete_task = SyncMethod(calls.complete_task)
    cancel_task = SyncMethod(calls.cancel_task)
    claim_next_task = SyncMethod(calls.claim_next_task)
    get_ready_tasks = SyncMethod(calls.get_ready_tasks)
    add_requirement = SyncMethod(calls.add_requirement)
    get_requirement = SyncMethod(calls.get_requirement)
    list_requirements = SyncMethod(calls.list_requirements)
    update_requirement = SyncMethod(calls.update_requirement)
    update_requirement_status = SyncMethod(calls.update_requirement_status)
    verify_requirement = SyncMethod(calls.verify_requirement)
    validate = SyncMethod(calls.validate)
    log_activity = SyncMethod(calls.log_activity)
    get_activity = SyncMethod(calls.get_activity)
    check_stale_tasks = SyncMethod(calls.check_stale_tasks)
    check_unblocked_tasks = SyncMethod(calls.check_unblocked_tasks)
    check_completion_readiness = SyncMethod(calls.check_completion_readiness)
    run_jobs = SyncMethod(calls.run_jobs)
    create_api_token = SyncMethod(calls.create_api_token)
    revoke_api_token = SyncMethod(calls.revoke_api_token)
    list_api_tokens = SyncMethod(calls.list_api_tokens)
    authenticate_api_token = SyncMethod(calls.authenticate_api_token)
    check_invariants = SyncMethod(calls.check_invariants)


class AsyncClient:
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

    add_project = AsyncMethod(calls.add_project)
    add_identity = AsyncMethod(calls.add_identity)
    resolve_id = AsyncMethod(calls.resolve_id)
    get_project = AsyncMethod(calls.get_project)
    get_identity = AsyncMethod(calls.get_identity)
    list_projects = AsyncMethod(calls.list_projects)
    list_identities = AsyncMethod(calls.list_identities)
    add_feature = AsyncMethod(calls.add_feature)
    update_feature = AsyncMethod(calls.update_feature)
    update_feature_status = AsyncMethod(calls.update_feature_status)
    complete_feature = AsyncMethod(calls.complete_feature)
    delete_feature = AsyncMethod(calls.delete_feature)
    get_feature = AsyncMethod(calls.get_feature)
    list_features = AsyncMethod(calls.list_features)
    can_complete_feature = AsyncMethod(calls.can_complete_feature)
    get_feature_completion = AsyncMethod(calls.get_feature_completion)
    get_feature_with_children = AsyncMethod(calls.get_feature_with_children)
    add_component = AsyncMethod(calls.add_component)
    get_component = AsyncMethod(calls.get_component)
    list_components = AsyncMethod(calls.list_components)
    update_component = AsyncMethod(calls.update_component)
    update_component_status = AsyncMethod(calls.update_component_status)
    complete_component = AsyncMethod(calls.complete_component)
    add_task = AsyncMethod(calls.add_task)
    get_task = AsyncMethod(calls.get_task)
    list_tasks = AsyncMethod(calls.list_tasks)
    update_task = AsyncMethod(calls.update_task)
    start_task = AsyncMethod(calls.start_task)
    block_task = AsyncMethod(calls.block_task)
    unblock_task = AsyncMethod(calls.unblock_task)
    submit_task_for_review = AsyncMethod(calls.submit_task_for_review)
    request_task_changes = AsyncMethod(calls.request_task_changes)
    complete_task = AsyncMethod(calls.complete_task)
    cancel_task = AsyncMethod(calls.cancel_task)
    claim_next_task = AsyncMethod(calls.claim_next_task)
    get_ready_tasks = AsyncMethod(calls.get_ready_tasks)
    add_requirement = AsyncMethod(calls.add_requirement)
    get_requirement = AsyncMethod(calls.get_requirement)
    list_requirements = AsyncMethod(calls.list_requirements)
    update_requirement = AsyncMethod(calls.update_requirement)
    update_requirement_status = AsyncMethod(calls.update_requirement_status)
    verify_requirement = AsyncMethod(calls.verify_requirement)
    validate = AsyncMethod(calls.validate)
    log_activity = AsyncMethod(calls.log_activity)
    get_activity = AsyncMethod(calls.get_activity)
    check_stale_tasks = AsyncMethod(calls.check_stale_tasks)
    check_unblocked_tasks = AsyncMethod(calls.check_unblocked_tasks)
    check_completion_readiness = AsyncMethod(calls.check_completion_readiness)
    run_jobs = AsyncMethod(calls.run_jobs)
    create_api_token = AsyncMethod(calls.create_api_token)
    revoke_api_token = AsyncMethod(calls.revoke_api_token)
    list_api_tokens = AsyncMethod(calls.list_api_tokens)
    authenticate_api_token = AsyncMethod(calls.authenticate_api_token)
    check_invariants = AsyncMethod(calls.check_invariants)


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
