"""``buildtracker activity``: the activity feed, and ``--follow`` of every new row."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from buildtracker.cli.args import choices, optional_uuid, parse_since, project_name
from buildtracker.cli.core import CliState, connection_error, state_of
from buildtracker.cli.view import view
from buildtracker.enums import ActivityType, Severity, SourceType
from buildtracker.paging import FEED_START

if TYPE_CHECKING:  # imported when a command first needs the database: --help stays fast
    import psycopg

    from buildtracker.client import Client
    from buildtracker.models import Activity


# The wake-up channel (FEED_CHANNEL): one empty notification per transaction
# that writes feed rows (claude.notify_feed), while a follower is registered
# (claude.follow_feed LISTENs and registers this session). The rows themselves are read with
# claude.get_activity_after, so a lost or forged notification costs a read, never
# a row. (buildtracker_activity, with JSON payloads of warnings and errors, is
# still sent for other listeners.)
# Rows asked for per read; a full page means more may be waiting.
PAGE = 500
# Seconds between reads without a notification: a row becomes readable when the
# oldest running transaction ends, which sends no notification of its own.
POLL = 1.5
# Seconds between attempts to reconnect, doubling up to the last.
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)


@dataclass(frozen=True)
class ActivityFilter:
    project_name: str | None
    source_type: str | None
    source_id: UUID | None
    actor: str | None
    activity_type: str | None
    severities: list[str] | None

    def admits(self, row: Activity) -> bool:
        """Whether a row passes the filters (--follow filters what it reads)."""
        return (
            (self.project_name is None or row.project_name == self.project_name)
            and (self.source_type is None or row.source_type.value == self.source_type)
            and (self.source_id is None or row.source_id == self.source_id)
            and (self.actor is None or row.actor == self.actor)
            and (self.activity_type is None or row.activity_type.value == self.activity_type)
            and (not self.severities or row.severity.value in self.severities)
        )


def activity(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    source_type: Annotated[
        str | None, typer.Option("--source-type", help=f"One of: {choices(SourceType)}.")
    ] = None,
    source_id: Annotated[str | None, typer.Option("--source-id", help="Entity UUID.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor's rows.")] = None,
    activity_type: Annotated[
        str | None, typer.Option("--type", help=f"One of: {choices(ActivityType)}.")
    ] = None,
    severities: Annotated[
        list[str] | None,
        typer.Option("--severity", help=f"Repeatable; of: {choices(Severity)}."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="ISO timestamp, or a duration back from now such as 2h."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, max=1000)] = 50,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow",
            "-f",
            help="After the latest rows, print every new row (in order) until Ctrl-C.",
        ),
    ] = False,
    follow_timeout: Annotated[
        float | None,
        typer.Option("--follow-timeout", min=0, help="Stop following after this many seconds."),
    ] = None,
) -> None:
    """Show the activity feed; --follow prints every new row as it is committed.

    People get a table, oldest row first; --json gives the array newest first,
    as claude.get_activity returns it (with --follow: one JSON object per line,
    oldest first). The filters apply to the followed rows too.
    """
    state = state_of(ctx)
    client = state.client()
    filters = ActivityFilter(
        project_name=project_name(client, project),
        source_type=source_type,
        source_id=optional_uuid(source_id, "source_id"),
        actor=actor,
        activity_type=activity_type,
        severities=severities or None,
    )
    if follow:
        _Follower(state, filters, follow_timeout).run(client, parse_since(since), limit)
        return
    rows = _activity_rows(client, filters, parse_since(since), limit)
    if state.json_output:
        view.emit_success(rows)
    elif rows:
        view.out.print(view.activity_table(list(reversed(rows))))
    else:
        view.print_empty("activity")


def _activity_rows(
    client: Client, filters: ActivityFilter, since: datetime | None, limit: int
) -> list[Activity]:
    return client.get_activity(
        project_name=filters.project_name,
        source_type=filters.source_type,
        source_id=filters.source_id,
        actor=filters.actor,
        activity_type=filters.activity_type,
        severities=filters.severities,
        since=since,
        max_rows=limit,
    )


def _print_activity(state: CliState, row: Activity) -> None:
    if state.json_output:
        view.emit_json(row)
    else:
        view.out.print(view.activity_line(row), soft_wrap=True)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class _Deadline(Exception):
    """--follow-timeout ran out while reconnecting."""


class _Follower:
    """``activity --follow``: every row of the feed after the starting point, in the
    feed's chain order, read with ``claude.get_activity_after(last_id)``.

    One connection of its own LISTENs on the wake-up channel and reads. After
    each read it waits for a notification or POLL seconds, whichever comes
    first, and reads again until a read returns less than a page. A dropped
    connection is reopened (with LISTEN first) and the reading goes on from
    the last row read: nothing committed meanwhile is lost.
    """

    def __init__(self, state: CliState, filters: ActivityFilter, timeout: float | None) -> None:
        self.state = state
        self.filters = filters
        self.url = state.require_url()
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout
        self.conn: psycopg.Connection[tuple[object, ...]] | None = None
        self.reader: Client | None = None
        self.last_id: UUID | None = None
        # the latest ids read: a row read again after starting over from the
        # newest rows (the last row read was pruned) is not printed twice
        self.recent: deque[UUID] = deque(maxlen=1000)
        self.recent_set: set[UUID] = set()

    # ------------------------------------------------------------ connection

    def _open(self) -> None:
        import psycopg

        from buildtracker.client import Client

        conn = psycopg.connect(self.url, autocommit=True)
        try:
            reader = Client(conn, actor=self.state.actor)
            # LISTEN (on FEED_CHANNEL) and register as a follower before reading:
            # a row committed after the read wakes us up (writers notify only
            # while a follower is registered)
            reader.follow_feed()
        except BaseException:
            conn.close()
            raise
        self.conn = conn
        self.reader = reader

    def _close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None
        self.reader = None

    def _lost(self, exc: BaseException) -> bool:
        """Whether exc is the follower's connection going away (reconnect), not a refusal."""
        import psycopg

        from buildtracker.errors import BuildTrackerError

        if not isinstance(exc, psycopg.Error | BuildTrackerError):
            return False
        return self.conn is None or self.conn.closed or self.conn.broken

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _reconnect(self, exc: BaseException) -> None:
        import psycopg

        self._close()
        self._note(f"connection lost ({_one_line(exc)}); reconnecting")
        attempt = 0
        while True:
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                raise _Deadline
            try:
                self._open()
            except psycopg.OperationalError as failure:
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                attempt += 1
                if attempt == 1 or delay == RECONNECT_DELAYS[-1]:
                    self._note(f"cannot reconnect yet: {_one_line(failure)}")
                time.sleep(delay if remaining is None else max(0.0, min(delay, remaining)))
                continue
            self._note("reconnected; catching up")
            return

    def _note(self, message: str) -> None:
        """A line about the follower itself: on stderr, so stdout holds only rows."""
        view.err.print(message, style="dim", soft_wrap=True, markup=False)

    # ------------------------------------------------------------ reading

    def _take(self, row: Activity, printed: set[UUID]) -> None:
        self.last_id = row.id
        if row.id in self.recent_set:
            return
        if len(self.recent) == self.recent.maxlen:
            self.recent_set.discard(self.recent[0])
        self.recent.append(row.id)
        self.recent_set.add(row.id)
        if row.id in printed or not self.filters.admits(row):
            return
        _print_activity(self.state, row)

    def _drain(self, printed: set[UUID]) -> None:
        """Read and print every row after last_id that no running transaction can
        precede any more, a page at a time."""
        from buildtracker.errors import NotFoundError

        assert self.reader is not None
        while True:
            try:
                rows = self.reader.get_activity_after(self.last_id, PAGE)
            except NotFoundError:
                # the last row read was pruned: start again from the newest rows,
                # skipping those already read (recent); older ones cannot be told apart
                self._note("the last row read is no longer in the feed (pruned); continuing")
                self.last_id = None
                rows = self.reader.get_activity_after(None, 1000)
            for row in rows:
                self._take(row, printed)
            if len(rows) < PAGE or self.last_id is None:
                return

    def _wait(self) -> None:
        """Until a notification arrives, POLL seconds pass, or the deadline."""
        assert self.conn is not None
        remaining = self._remaining()
        wait = POLL if remaining is None else max(0.0, min(POLL, remaining))
        for _ in self.conn.notifies(timeout=wait, stop_after=1):
            pass

    def run(self, client: Client, since: datetime | None, limit: int) -> None:
        import psycopg

        try:
            self._open()
        except psycopg.Error as exc:
            raise connection_error(exc) from exc
        try:
            assert self.reader is not None
            # the starting point first, then the latest rows as `activity` shows
            # them: a row committed in between comes after the starting point
            start = self.reader.get_activity_after(None, 1)
            # an empty feed: follow it from its very first row (the nil uuid)
            self.last_id = start[-1].id if start else FEED_START
            printed: set[UUID] = set()
            for row in reversed(_activity_rows(client, self.filters, since, limit)):
                printed.add(row.id)
                _print_activity(self.state, row)
            if not self.state.json_output:
                view.out.print(
                    "following the activity feed for new rows"
                    + (
                        f" for {self.timeout:g}s"
                        if self.timeout is not None
                        else " (Ctrl-C to stop)"
                    ),
                    style="dim",
                    soft_wrap=True,
                )
            self._follow(printed)
        except (KeyboardInterrupt, _Deadline):
            pass
        finally:
            self._close()

    def _follow(self, printed: set[UUID]) -> None:
        while True:
            try:
                self._drain(printed)
                remaining = self._remaining()
                if remaining is not None and remaining <= 0:
                    return
                self._wait()
            except Exception as exc:
                if not self._lost(exc):
                    raise
                self._reconnect(exc)
