"""The live activity feed: server-sent events fed by LISTEN and keyset reads.

Each stream has a connection of its own that LISTENs on ``buildtracker_feed``
(one empty NOTIFY per writing transaction), registered as a follower with
``claude.follow_feed()`` (writers notify only while a follower is registered), and reads the feed forwards with
``get_activity_after(cursor)``, page after page until a short page, as the
token's role. The notification only wakes the reader: what it sends is what
the reads return, in the feed's chain order, so no row is missed nor sent
twice. A row becomes readable when it is *final* (every older transaction has
ended), which can be a moment after its notification, so the stream also
reads after a short wait when a wake-up found nothing, and every few seconds
in any case.

Each event's id is the row's id: a browser that reconnects sends it back as
``Last-Event-ID`` and the stream goes on after it. A cursor the feed no
longer has (pruned) restarts the stream at the newest rows, after a
``reset`` event.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import psycopg
from fastapi.encoders import jsonable_encoder
from psycopg import sql

from buildtracker.client import AsyncClient
from buildtracker.errors import BuildTrackerError, NotFoundError
from buildtracker.models import Activity
from buildtracker.paging import FEED_START

# how the streams' connections show in pg_stat_activity
APPLICATION_NAME = "buildtracker dashboard feed"
PAGE = 100
# seconds: the wait for a notification, the wait after a wake-up that found
# no final row yet, a comment line that keeps proxies from closing an idle
# stream, and how often the token is checked again (a revoked token ends it)
IDLE_WAIT = 5.0
RETRY_WAIT = 0.25
RETRIES = 40
KEEPALIVE = 15.0
REAUTHENTICATE = 30.0


@dataclass(frozen=True)
class Follower:
    """Who follows the feed, and from where."""

    database_url: str
    role: str | None
    token: str | None  # checked again every REAUTHENTICATE seconds; None: no authentication
    cursor: UUID | None
    project_name: str | None = None


def event(row: Activity, html: str) -> bytes:
    """One SSE event: the row's id, and the row as JSON with its rendering."""
    data = jsonable_encoder(
        {
            "id": row.id,
            "source_type": row.source_type,
            "source_id": row.source_id,
            "activity_type": row.activity_type,
            "severity": row.severity,
            "title": row.title,
            "project_name": row.project_name,
            "html": html,
        }
    )
    return f"id: {row.id}\nevent: activity\ndata: {json.dumps(data)}\n\n".encode()


async def read_after(
    conn: psycopg.AsyncConnection[object], role: str | None, cursor: UUID | None, rows: int
) -> list[Activity]:
    """One page of final rows after ``cursor``, in a transaction as ``role``."""
    async with conn.transaction():
        if role:
            await conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        return await AsyncClient(conn).get_activity_after(cursor, rows)


async def follow(
    follower: Follower,
    render: Callable[[Activity], str],
    disconnected: Callable[[], Awaitable[bool]],
) -> AsyncIterator[bytes]:
    """The SSE stream of ``follower``: ends when the client goes away, the
    token is revoked, or the database connection is lost (the browser then
    reconnects with the last id it got)."""
    try:
        async with await psycopg.AsyncConnection.connect(
            follower.database_url, autocommit=True, application_name=APPLICATION_NAME
        ) as conn:
            # LISTEN on FEED_CHANNEL and register as a follower (writers notify
            # only while one is registered), before the first read
            await AsyncClient(conn).follow_feed()
            yield b"retry: 2000\n: following the activity feed\n\n"
            cursor = follower.cursor
            if cursor is None:
                newest = await read_after(conn, follower.role, None, 1)
                cursor = newest[-1].id if newest else FEED_START
            checked = quiet = time.monotonic()
            woke = False
            retries = 0
            while True:
                read = 0
                while True:
                    try:
                        rows = await read_after(conn, follower.role, cursor, PAGE)
                    except NotFoundError:
                        yield b"event: reset\ndata: {}\n\n"
                        newest = await read_after(conn, follower.role, None, 1)
                        cursor = newest[-1].id if newest else FEED_START
                        break
                    read += len(rows)
                    for row in rows:
                        cursor = row.id
                        if follower.project_name in (None, row.project_name):
                            quiet = time.monotonic()
                            yield event(row, render(row))
                    if len(rows) < PAGE:
                        break
                if read:
                    retries = 0
                elif woke:
                    # woken, but the transaction's rows are not final yet: read again soon
                    retries = RETRIES
                else:
                    retries = max(retries - 1, 0)
                woke = False
                async for _ in conn.notifies(
                    timeout=RETRY_WAIT if retries else IDLE_WAIT, stop_after=1
                ):
                    woke = True
                if await disconnected():
                    return
                now = time.monotonic()
                if now - quiet >= KEEPALIVE:
                    quiet = now
                    yield b": keep-alive\n\n"
                if follower.token is not None and now - checked >= REAUTHENTICATE:
                    checked = now
                    if await AsyncClient(conn).authenticate_api_token(follower.token) is None:
                        yield b"event: unauthorized\ndata: {}\n\n"
                        return
    except (psycopg.OperationalError, BuildTrackerError):
        # the database went away (a restart, a killed session): end the stream;
        # the browser reconnects after the retry delay, from its last id
        return
