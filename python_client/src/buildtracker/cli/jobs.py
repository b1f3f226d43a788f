"""``buildtracker jobs``: the background jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli import output as view
from buildtracker.cli.args import parse_duration
from buildtracker.cli.core import state_of

jobs_app = typer.Typer(
    help="Background jobs (stale, unblocked, ready to complete).", no_args_is_help=True
)


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
