"""``buildtracker project`` and ``buildtracker identity``."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import identity_id, project_id
from buildtracker.cli.core import GROUPS, client_of, command_group, show_list, show_result, show_row
from buildtracker.cli.view import view

project_app = command_group(help=GROUPS["project"].help, no_args_is_help=True)
identity_app = command_group(help=GROUPS["identity"].help, no_args_is_help=True)


NameArg = Annotated[str, typer.Argument(help="The name.")]


@project_app.command("add")
def project_add(ctx: typer.Context, name: NameArg) -> None:
    """Create a project."""
    show_result(ctx, "created", client_of(ctx).add_project(name))


@project_app.command("list")
def project_list(ctx: typer.Context) -> None:
    """List the projects."""
    show_list(ctx, client_of(ctx).list_projects(), view.projects_table, "projects")


@identity_app.command("add")
def identity_add(ctx: typer.Context, name: NameArg) -> None:
    """Create an identity (a person or an agent)."""
    show_result(ctx, "created", client_of(ctx).add_identity(name))


@identity_app.command("list")
def identity_list(ctx: typer.Context) -> None:
    """List the identities."""
    show_list(ctx, client_of(ctx).list_identities(), view.identities_table, "identities")


@project_app.command("show")
def project_show(
    ctx: typer.Context, project: Annotated[str, typer.Argument(help="Name, id or id prefix.")]
) -> None:
    """Show one project."""
    client = client_of(ctx)
    show_row(ctx, client.get_project(project_id(client, project)), view.projects_table)


@identity_app.command("show")
def identity_show(
    ctx: typer.Context, identity: Annotated[str, typer.Argument(help="Name, id or id prefix.")]
) -> None:
    """Show one identity."""
    client = client_of(ctx)
    show_row(ctx, client.get_identity(identity_id(client, identity)), view.identities_table)
