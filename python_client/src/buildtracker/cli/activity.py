"""``buildtracker activity``: the activity feed, and ``--follow`` over LISTEN/NOTIFY."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer

from buildtracker.cli.args import choices, optional_uuid, parse_since, project_name
from buildtracker.cli.core import CliState, connection_error, state_of
from buildtracker.cli.view import view
from buildtracker.enums import ActivityType, Severity, SourceType

if TYPE_CHECKING:  # imported when a command first needs the database: --help stays fast
    from buildtracker.client import Client
    from buildtracker.models import Activity


NOTIFY_CHANNEL = "buildtracker_activity"


@dataclass(frozen=True)
class ActivityFilter:
    project_name: str | None
    source_type: str | None
    source_id: UUID | None
    actor: str | None
    activity_type: str | None
    severities: list[str] | None

    def admits(self, payload: dict[str, Any]) -> bool:
        """Whether a notification payload passes the filters it carries fields for."""
        return all(
            wanted is None or str(payload.get(key)) == str(wanted)
            for key, wanted in (
                ("project_name", self.project_name),
                ("source_type", self.source_type),
                ("source_id", self.source_id),
                ("activity_type", self.activity_type),
            )
        ) and (not self.severities or payload.get("severity") in self.severities)


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
            help="After the latest rows, stream new warning and error rows (LISTEN) until Ctrl-C.",
        ),
    ] = False,
    follow_timeout: Annotated[
        float | None,
        typer.Option("--follow-timeout", min=0, help="Stop following after this many seconds."),
    ] = None,
) -> None:
    """Show the activity feed; --follow streams new warnings and errors.

    People get a table, oldest row first; --json gives the array newest first,
    as claude.get_activity returns it (with --follow: one JSON object per line,
    oldest first).
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
        _follow(state, client, filters, parse_since(since), limit, follow_timeout)
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


def _notified_row(client: Client, payload: dict[str, Any]) -> Activity | None:
    """Read back the row a notification announces (its id, among the newest of its
    kind); None when the feed has no such row. Any login may NOTIFY on the
    channel, so a payload's fields are untrusted filters: one the database
    refuses (an unknown project, a bad severity) finds no row, it does not end
    the command."""
    from buildtracker.errors import BuildTrackerError

    try:
        wanted = UUID(str(payload["id"]))
        source_id = payload.get("source_id")
        rows = client.get_activity(
            project_name=payload.get("project_name"),
            source_type=payload.get("source_type"),
            source_id=UUID(str(source_id)) if source_id else None,
            activity_type=payload.get("activity_type"),
            severities=[str(payload["severity"])] if payload.get("severity") else None,
            max_rows=1000,
        )
    except (KeyError, ValueError, TypeError, BuildTrackerError):
        return None
    return next((row for row in rows if row.id == wanted), None)


def _follow(
    state: CliState,
    client: Client,
    filters: ActivityFilter,
    since: datetime | None,
    limit: int,
    timeout: float | None,
) -> None:
    import psycopg

    url = state.require_url()
    try:
        listener = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise connection_error(exc) from exc
    try:
        # LISTEN before reading the latest rows: nothing committed in between is lost.
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        seen: set[UUID] = set()
        for row in reversed(_activity_rows(client, filters, since, limit)):
            seen.add(row.id)
            _print_activity(state, row)
        if not state.json_output:
            view.out.print(
                f"following {NOTIFY_CHANNEL} for new warning and error rows"
                + (f" for {timeout:g}s" if timeout is not None else " (Ctrl-C to stop)"),
                style="dim",
                soft_wrap=True,
            )
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            for notification in listener.notifies(timeout=remaining, stop_after=1):
                _on_notification(state, client, filters, notification.payload, seen)
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


def _on_notification(
    state: CliState,
    client: Client,
    filters: ActivityFilter,
    raw: str,
    seen: set[UUID],
) -> None:
    try:
        payload = json.loads(raw)
    except ValueError:
        return
    if not isinstance(payload, dict) or not filters.admits(payload):
        return
    row = _notified_row(client, payload)
    if row is None:
        # Not in the feed: a forged NOTIFY (any login may send one). Only rows
        # read back from the feed are printed, never a payload's own words.
        return
    if row.severity not in (Severity.WARNING, Severity.ERROR):
        return  # a real row the trigger would not announce, named by a forged payload
    if row.id in seen or (filters.actor is not None and row.actor != filters.actor):
        return
    seen.add(row.id)
    _print_activity(state, row)
