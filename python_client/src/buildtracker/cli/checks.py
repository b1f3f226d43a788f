"""``buildtracker log`` and ``buildtracker validate``: an application's own
event in the feed (claude.log_activity) and the dry run of an add_* or
update_* call (claude.validate)."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import choices, parse_changes
from buildtracker.cli.core import client_of, state_of
from buildtracker.cli.view import view
from buildtracker.enums import ActivityType, Operation, Severity, SourceType


def log(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="At most 255 characters.")],
    activity_type: Annotated[
        str, typer.Option("--type", help=f"One of: {choices(ActivityType)}.")
    ] = "updated",
    source_type: Annotated[
        str, typer.Option("--source-type", help=f"One of: {choices(SourceType)}.")
    ] = "system",
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="The entity's whole id, if any.")
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary")] = None,
    project: Annotated[str | None, typer.Option("--project", help="Project name.")] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help=f"One of: {choices(Severity)}.")
    ] = None,
) -> None:
    """Log an application's own event in the activity feed (log_activity)."""
    from uuid import UUID

    from buildtracker.cli.args import parse_uuid

    entity_id: UUID | None = None
    if source_id is not None:
        entity_id = parse_uuid(source_id, "source_id")
    row_id = client_of(ctx).log_activity(
        source_type,
        entity_id,
        activity_type,
        title,
        summary=summary,
        project_name=project,
        severity=severity,
    )
    if state_of(ctx).json_output:
        view.emit_success({"id": row_id})
    else:
        view.out.print(f"logged activity id={row_id}")


def validate(
    ctx: typer.Context,
    entity_type: Annotated[
        str,
        typer.Argument(
            metavar="ENTITY_TYPE", help="feature, component, build_task or requirement."
        ),
    ],
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="A field of the call (as for add_* or update_*); JSON values are parsed.",
        ),
    ] = None,
    operation: Annotated[
        str, typer.Option("--operation", help=f"One of: {choices(Operation)}.")
    ] = "create",
) -> None:
    """Dry run of an add_* (create) or update_* (update, with the id among the fields):
    every error and warning the call would report; nothing is written (validate)."""
    report = client_of(ctx).validate(entity_type, parse_changes(pairs or []), operation)
    if state_of(ctx).json_output:
        view.emit_success(report)
        return
    if report.ok:
        view.out.print("valid")
    for error in report.errors:
        view.out.print(f"error: {error.field or ''}: {error.message}", soft_wrap=True)
    view.print_warnings(report.warnings)
    if not report.ok:
        raise typer.Exit(3)


def transition(
    ctx: typer.Context,
    entity_type: Annotated[
        str,
        typer.Argument(
            metavar="ENTITY_TYPE", help="feature, component, build_task or requirement."
        ),
    ],
    from_status: Annotated[str, typer.Argument(metavar="FROM")],
    to_status: Annotated[str, typer.Argument(metavar="TO")],
) -> None:
    """Whether a status change is allowed, and what it needs (validate_status_transition);
    exit 6 when the move is not allowed, 3 for an unknown status."""
    report = client_of(ctx).validate_status_transition(entity_type, from_status, to_status)
    if state_of(ctx).json_output:
        view.emit_success(report)
    elif not report["errors"]:
        view.out.print(f"allowed: {report['action']} (needs: {report['needs']})", soft_wrap=True)
    for error in report["errors"] if not state_of(ctx).json_output else []:
        view.out.print(f"error: {error['field']}: {error['message']}", soft_wrap=True)
    if report["errors"]:
        codes = {error["code"] for error in report["errors"]}
        raise typer.Exit(3 if "23514" in codes else 6)
