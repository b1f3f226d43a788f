"""``buildtracker jobs``: the background jobs."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from buildtracker.cli.args import parse_duration
from buildtracker.cli.core import GROUPS, command_group, state_of
from buildtracker.cli.view import view

jobs_app = command_group(help=GROUPS["jobs"].help, no_args_is_help=True)


@jobs_app.command("run")
def jobs_run(
    ctx: typer.Context,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="A task in progress longer than this is stale (e.g. 7d, 36h); default 7d.",
        ),
    ] = None,
) -> None:
    """Run the background jobs once and print what they found."""
    state = state_of(ctx)
    interval = None if older_than is None else parse_duration(older_than, "older_than")
    summary = state.client().run_jobs(older_than=interval)
    if state.json_output:
        view.emit_success(summary)
    else:
        view.jobs_view(summary)


def _findings(ctx: typer.Context, rows: list[Any], title: str) -> None:
    state = state_of(ctx)
    if state.json_output:
        view.emit_success(rows)
    elif rows:
        view.out.print(view.rows_table(rows, title))
    else:
        view.print_empty(title.lower())


@jobs_app.command("stale")
def jobs_stale(
    ctx: typer.Context,
    older_than: Annotated[
        str | None, typer.Option("--older-than", help="e.g. 7d, 36h; default 7d.")
    ] = None,
) -> None:
    """Tasks in progress longer than --older-than (check_stale_tasks); logs nothing."""
    interval = None if older_than is None else parse_duration(older_than, "older_than")
    _findings(ctx, state_of(ctx).client().check_stale_tasks(interval), "Stale tasks")


@jobs_app.command("unblocked")
def jobs_unblocked(ctx: typer.Context) -> None:
    """Blocked tasks whose blocker is now done (check_unblocked_tasks); logs nothing."""
    _findings(ctx, state_of(ctx).client().check_unblocked_tasks(), "Unblocked tasks")


@jobs_app.command("ready")
def jobs_ready(ctx: typer.Context) -> None:
    """In-progress features at 100% that pass their gate (check_completion_readiness)."""
    _findings(ctx, state_of(ctx).client().check_completion_readiness(), "Ready features")


@jobs_app.command("invariants")
def jobs_invariants(ctx: typer.Context) -> None:
    """Every violation of the SPEC's invariants (check_invariants); none when all hold."""
    _findings(ctx, state_of(ctx).client().check_invariants(), "Invariant violations")


@jobs_app.command("prune")
def jobs_prune(
    ctx: typer.Context,
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than", help="Delete feed rows older than this (e.g. 90d); 1d at least."
        ),
    ],
) -> None:
    """Delete activity rows older than --older-than (prune_activity; admin: the owner's rights).
    The deletion itself is logged in the feed."""
    state = state_of(ctx)
    pruned = state.client().prune_activity(parse_duration(older_than, "older_than"))
    if state.json_output:
        view.emit_success({"pruned_rows": pruned})
    else:
        typer.echo(f"{pruned} activity rows pruned")
