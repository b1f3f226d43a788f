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

Read replica (SPEC section 13, ``docs/REPLICAS.md``): given a :class:`Replica`
(``read_url`` of :meth:`Client.connect`), a call of kind "read" in the registry
that is its own transaction is answered by the replica once it has replayed
the session's last write (read-your-writes), else by the primary; so is every
read while the replica is down. Reads inside a transaction the caller owns, and
every write, stay on the primary.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

import psycopg
from psycopg import pq
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from buildtracker.callkit import Call, Rows
from buildtracker.errors import BuildTrackerError, from_psycopg
from buildtracker.methods import AsyncCalls, SyncCalls

T = TypeVar("T")
log = logging.getLogger("buildtracker.client")

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


# ---------------------------------------------------------------- read replica

ReadSource = Literal["replica", "primary"]

# Seconds a read waits for the replica to replay the session's last write
# before the primary answers it (SPEC: at most 1 s). Short: the primary
# answers at once, and waiting longer only spares it a read.
REPLICA_WAIT = 0.1
REPLICA_POLL = 0.005
# Seconds the primary answers every read after the replica failed (refused,
# terminated, shut down): a down replica costs one attempt per period, not one
# per read.
REPLICA_RETRY_AFTER = 5.0
# libpq's least: a replica that does not answer at all is given up after 2 s
REPLICA_CONNECT_TIMEOUT = 2

# The primary's WAL insert position, read once the session's write has ended
# (committed or not): never before the end of that write's commit record,
# whatever synchronous_commit (pg_current_wal_lsn(), the write position, can
# be before a commit not yet written out with synchronous_commit off). Read
# inside the writing transaction it would be before the commit; the commit's
# own LSN is not exposed (it needs track_commit_timestamp).
PRIMARY_LSN = "SELECT pg_current_wal_insert_lsn()::text"
# NULL on a server that is not a standby
REPLAYED_LSN = "SELECT pg_last_wal_replay_lsn()::text"

# Refusals of one read by the replica over a usable connection, the primary
# answers it: a recovery conflict cancels the query with 40001 (or 40P01), a
# statement timeout (57014) can come from replay holding a lock, and 25006 is
# a "read" that wanted to write.
REPLICA_REFUSALS = frozenset({"40001", "40P01", "57014", "25006"})
# The server, not the read: connection exceptions, insufficient resources,
# operator intervention (57P01 admin shutdown and kin), system errors.
REPLICA_DOWN_CLASSES = ("08", "53", "57P", "58")


def primary_lsn(conn: psycopg.Connection[Any]) -> str:
    """:data:`PRIMARY_LSN` on ``conn`` (a connection to the primary)."""
    row = conn.execute(PRIMARY_LSN).fetchone()
    assert row is not None  # one row, always
    return str(row[0])


def parse_lsn(text: str) -> int:
    """A pg_lsn (``16/B374D848``) as a number, for comparing."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


class NotServed(Exception):
    """The replica does not answer this read: the primary must (it is down or
    was less than ``retry_after`` ago, is behind, or refused the read)."""


class Replica:
    """A streaming read replica (SPEC section 13) and the read-your-writes state
    of the clients that share it: one :class:`Client` (``Client.connect(...,
    read_url=...)``), or every request of a REST API process.

    Connections are made as needed and kept (at most ``size``, in autocommit;
    reads beyond ``size`` at once go to the primary after ``wait``). Read-your-
    writes: after a write the next read first reads the primary's WAL insert
    position (:data:`PRIMARY_LSN`), and the replica answers only once its
    replay has reached it, waiting at most ``wait`` seconds. Thread-safe.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        size: int = 1,
        wait: float = REPLICA_WAIT,
        retry_after: float = REPLICA_RETRY_AFTER,
    ) -> None:
        self.conninfo = conninfo
        self.wait = wait
        self.retry_after = retry_after
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._closed = False
        self._target: int | None = None  # the LSN the replica must have replayed
        # Writes count up; _target covers those up to _target_writes. A read
        # that finds a later write reads the primary's LSN itself, so two
        # readers at once never take a target older than the writes they follow.
        self._writes = 0
        self._target_writes = 0

    def close(self) -> None:
        """Close the kept connections; from now on the primary answers every read."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def wrote(self) -> None:
        """A write of the session ended (or ran inside the caller's transaction,
        which it ends before the next read can come here)."""
        with self._lock:
            self._writes += 1

    def read(
        self,
        primary_lsn: Callable[[], str],
        work: Callable[[psycopg.Connection[Any]], T],
    ) -> T:
        """``work`` on a replica connection that has replayed the session's
        writes (``primary_lsn`` reads :data:`PRIMARY_LSN` on the primary, when a
        write ended since it last did). ``work``'s own failures are raised;
        :class:`NotServed` when the primary must answer instead."""
        if self._closed or time.monotonic() < self._down_until:
            raise NotServed
        target = self._read_target(primary_lsn)
        if not self._slots.acquire(timeout=self.wait):
            raise NotServed
        try:
            conn = self._checkout()
            try:
                if target is not None and not self._caught_up(conn, target):
                    raise NotServed
                result = work(conn)
            except (psycopg.Error, BuildTrackerError) as exc:
                if conn.closed or replica_unusable(exc):
                    self._down(exc)
                    raise NotServed from exc
                self._checkin(conn)
                if exc.sqlstate in REPLICA_REFUSALS:
                    raise NotServed from exc
                raise
            except BaseException:
                self._checkin(conn)
                raise
            self._checkin(conn)
            return result
        finally:
            self._slots.release()

    def _read_target(self, primary_lsn: Callable[[], str]) -> int | None:
        with self._lock:
            writes, covered, target = self._writes, self._target_writes, self._target
        if writes > covered:
            # read after every write counted so far ended: it covers them
            found = parse_lsn(primary_lsn())
            with self._lock:
                self._target = max(self._target or 0, found)
                self._target_writes = max(self._target_writes, writes)
                target = self._target
        return target

    def _caught_up(self, conn: psycopg.Connection[Any], target: int) -> bool:
        deadline = time.monotonic() + self.wait
        while True:
            row = conn.execute(REPLAYED_LSN).fetchone()
            if row is None or row[0] is None:
                return False  # not a standby (a promoted one, or a primary): no way to tell
            if parse_lsn(row[0]) >= target:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(REPLICA_POLL)

    def _checkout(self) -> psycopg.Connection[Any]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is not None and not conn.closed:
            return conn
        try:
            return psycopg.connect(
                self.conninfo, autocommit=True, connect_timeout=REPLICA_CONNECT_TIMEOUT
            )
        except psycopg.Error as exc:
            self._down(exc)
            raise NotServed from exc

    def _checkin(self, conn: psycopg.Connection[Any]) -> None:
        if conn.closed or conn.info.transaction_status != pq.TransactionStatus.IDLE:
            conn.close()
            return
        with self._lock:
            if not self._closed:
                self._idle.append(conn)
                return
        conn.close()

    def _down(self, exc: psycopg.Error | BuildTrackerError) -> None:
        """The replica failed: the primary answers for ``retry_after`` seconds.
        The kept connections went with the server (or soon will)."""
        with self._lock:
            self._down_until = time.monotonic() + self.retry_after
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        # no call fails for it, so this line is how a wrong read_url shows
        reason = str(exc).strip().partition("\n")[0] or type(exc).__name__
        log.warning(
            "read replica unavailable, the primary answers reads for %g s: %s",
            self.retry_after,
            reason,
        )


def replica_unusable(exc: psycopg.Error | BuildTrackerError) -> bool:
    """Whether a failure on the replica says the server is unusable (not the read)."""
    sqlstate = exc.sqlstate or ""
    if sqlstate in REPLICA_REFUSALS:
        return False
    if sqlstate.startswith(REPLICA_DOWN_CLASSES):
        return True
    # psycopg's own connection failures carry no SQLSTATE (refused, a closed socket)
    cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
    return not sqlstate and isinstance(cause, psycopg.OperationalError)


class Client(SyncCalls):
    """Blocking client over a psycopg connection or a ``psycopg_pool.ConnectionPool``,
    sending reads to ``replica`` when given (see the module's documentation)."""

    def __init__(
        self,
        source: psycopg.Connection[Any] | ConnectionPool[Any],
        *,
        actor: str | None = None,
        replica: Replica | None = None,
    ) -> None:
        self.source = source
        self.actor = actor
        self.replica = replica
        # Diagnostic (tests, troubleshooting): which server answered the last read
        # call, "replica" or "primary"; None without a replica or before a read.
        self.last_read_from: ReadSource | None = None

    @classmethod
    def connect(
        cls,
        conninfo: str,
        *,
        actor: str | None = None,
        autocommit: bool = True,
        read_url: str | None = None,
    ) -> Client:
        """A client on a new connection (autocommit by default: each call is its own
        transaction, retried on 40001 and 40P01; with ``autocommit=False`` the caller
        owns the transaction and a failure is raised, never retried). ``read_url``:
        a streaming replica of the same cluster for the read calls (connected on
        first use; the environment is not read here, the CLI and the servers pass
        ``BUILDTRACKER_READ_URL``)."""
        replica = Replica(read_url) if read_url else None
        return cls(psycopg.connect(conninfo, autocommit=autocommit), actor=actor, replica=replica)

    def close(self) -> None:
        """Closes the connection or pool the client was given (and its replica's connections)."""
        self.source.close()
        if self.replica is not None:
            self.replica.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """``with Client.connect(url) as client:`` closes the connection (or pool) on exit."""
        self.close()

    def run(self, call: Call[T]) -> T:
        """Execute one call; database errors become :mod:`buildtracker.errors` exceptions.
        A call that is its own transaction is retried on 40001 and 40P01 (see above);
        a read may be answered by the replica."""
        replica = self.replica
        if replica is None:
            return self._run_on_primary(call)
        if not call.reads:
            try:
                return self._run_on_primary(call)
            finally:
                replica.wrote()
        source = self.source
        # inside the caller's transaction the read must see its writes: the primary
        if isinstance(source, ConnectionPool) or owns_transaction(source):
            try:
                rows = replica.read(self._primary_lsn, self._fetch(call))
            except NotServed:
                pass
            except psycopg.Error as exc:
                raise from_psycopg(exc) from exc
            else:
                self.last_read_from = "replica"
                return call.parse(rows)
        self.last_read_from = "primary"
        return self._run_on_primary(call)

    @staticmethod
    def _fetch(call: Call[Any]) -> Callable[[psycopg.Connection[Any]], Rows]:
        return lambda conn: conn.execute(call.query, call.params).fetchall()

    def _primary_lsn(self) -> str:
        source = self.source
        if isinstance(source, ConnectionPool):
            with source.connection() as conn:
                return primary_lsn(conn)
        return primary_lsn(source)

    def _run_on_primary(self, call: Call[T]) -> T:
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
