"""``buildtracker feed``: the activity feed's tamper evidence (SPEC section 12)."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.core import GROUPS, command_group, state_of
from buildtracker.cli.view import view

feed_app = command_group(help=GROUPS["feed"].help, no_args_is_help=True)

# verify found problems: distinct from every refused call's exit code
TAMPERED_EXIT = 9


@feed_app.command("anchor")
def feed_anchor(ctx: typer.Context) -> None:
    """Print the head of the checkpoint chain ("<checkpoint>:<digest>"). Save it
    where the database's owner cannot write; `feed verify --anchor` checks it later."""
    state = state_of(ctx)
    anchor = state.client().feed_anchor()
    if state.json_output:
        view.emit_success({"anchor": anchor})
    else:
        typer.echo(anchor)


@feed_app.command("seal")
def feed_seal(ctx: typer.Context) -> None:
    """Append a checkpoint over the rows of finished transactions (run_jobs does it too)."""
    state = state_of(ctx)
    sealed = state.client().seal_feed()
    if state.json_output:
        view.emit_success(sealed)
    elif sealed["checkpoint_id"] is None:
        typer.echo("nothing new to seal")
    else:
        typer.echo(f"checkpoint {sealed['checkpoint_id']}: {sealed['row_count']} rows")


@feed_app.command("verify")
def feed_verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="An anchor printed by `feed anchor` before."),
    ] = None,
) -> None:
    """Check every checkpoint and row seal (and the anchor); exit 9 when anything was
    changed, deleted, inserted or reordered."""
    from buildtracker import contract

    state = state_of(ctx)
    problems = state.client().verify_feed(anchor)
    if not problems:
        if state.json_output:
            view.emit_success([])
        else:
            typer.echo("the activity feed verifies" + (" against the anchor" if anchor else ""))
        return
    if state.json_output:
        view.emit_json(
            contract.failure(
                None,
                f"the activity feed failed verification: {len(problems)} problem(s)",
                (
                    {
                        "field": p["problem"],
                        "message": p["detail"],
                        "code": None,
                        "entity_id": p["entity_id"],
                    }
                    for p in problems
                ),
                "Compare with a backup or an export; see docs/TRUST.md.",
            )
        )
    else:
        for p in problems:
            row = f" (row {p['entity_id']})" if p["entity_id"] else ""
            typer.echo(f"{p['problem']}: {p['detail']}{row}", err=True)
    raise typer.Exit(TAMPERED_EXIT)
