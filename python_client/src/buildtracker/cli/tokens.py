"""``buildtracker token``: REST API bearer tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import identity_id, parse_uuid
from buildtracker.cli.core import GROUPS, command_group, state_of
from buildtracker.cli.view import view
from buildtracker.errors import ErrorItem, NotFoundError

token_app = command_group(help=GROUPS["token"].help, no_args_is_help=True)


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    identity: Annotated[
        str, typer.Option("--identity", help="Identity (name or UUID) the token acts as.")
    ],
    access: Annotated[
        str, typer.Option("--access", help="reader or writer: the database role of its requests.")
    ] = "writer",
    label: Annotated[str | None, typer.Option("--label", help="What the token is for.")] = None,
) -> None:
    """Create a bearer token; it is printed once and only its hash is kept."""
    state = state_of(ctx)
    client = state.client()
    created = client.create_api_token(identity_id(client, identity, "identity"), access, label)
    if state.json_output:
        view.emit_success(created)
    else:
        typer.echo(f"token {created['token_id']} ({created['access']}) for {identity}:")
        typer.echo(created["token"])
        typer.echo("Keep it now: it cannot be shown again.", err=True)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(help="The token's id (not the token).")],
) -> None:
    """Revoke a token: it authenticates nothing from now on."""
    state = state_of(ctx)
    revoked = state.client().revoke_api_token(parse_uuid(token_id, "token_id"))
    if not revoked:
        raise NotFoundError(
            f"token {token_id} does not exist or is already revoked",
            sqlstate="P0002",
            errors=(ErrorItem("token_id", "no active token with this id", "P0002"),),
        )
    if state.json_output:
        view.emit_success({"token_id": token_id, "revoked": True})
    else:
        typer.echo(f"token {token_id} revoked")


@token_app.command("list")
def token_list(ctx: typer.Context) -> None:
    """List tokens (never the tokens themselves)."""
    state = state_of(ctx)
    tokens = state.client().list_api_tokens()
    if state.json_output:
        view.emit_success(tokens)
    else:
        for t in tokens:
            status = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
            typer.echo(
                f"{t['token_id']}  {t['identity_name']:<20} {t['access']:<7} {status}  {t['label'] or ''}"
            )
