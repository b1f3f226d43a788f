"""``buildtracker comment``: comments on tasks, features, components,
requirements and projects (append-only; each is also a ``commented`` row of
the feed)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from buildtracker.cli.args import LimitOpt
from buildtracker.cli.core import GROUPS, client_of, command_group, show_list, show_result
from buildtracker.cli.view import view
from buildtracker.ids import whole_uuid

if TYPE_CHECKING:  # imported when a command first needs the database: --help stays fast
    from buildtracker.client import Client

comment_app = command_group(help=GROUPS["comment"].help, no_args_is_help=True)


class CommentOn(StrEnum):
    """What ``--on`` names: the entity a comment is about."""

    TASK = "task"
    FEATURE = "feature"
    COMPONENT = "component"
    REQUIREMENT = "requirement"
    PROJECT = "project"


# --on task is the SQL's (and the feed's) entity build_task
ENTITY_OF = {CommentOn.TASK: "build_task"}

EntityIdArg = Annotated[
    str,
    typer.Argument(
        metavar="ENTITY_ID",
        help="The entity's id, a unique prefix of at least 8 hex characters, or a project's name.",
    ),
]
OnOpt = Annotated[CommentOn, typer.Option("--on", help="What ENTITY_ID names.")]


def entity_of(on: CommentOn) -> str:
    return ENTITY_OF.get(on, on.value)


def target(client: Client, on: CommentOn, ref: str) -> UUID:
    """The id of the entity ``ref`` names (claude.resolve_id: a prefix, or a project's name)."""
    return whole_uuid(ref) or client.resolve_id(entity_of(on), ref)


@comment_app.command("add")
def comment_add(
    ctx: typer.Context,
    entity: EntityIdArg,
    body: Annotated[str, typer.Argument(metavar="BODY", help="The text, 1-10000 characters.")],
    on: OnOpt = CommentOn.TASK,
) -> None:
    """Comment on a task (or, with --on, a feature, component, requirement or project)."""
    client = client_of(ctx)
    result = client.add_comment(entity_of(on), target(client, on, entity), body)
    show_result(ctx, "commented", result)


@comment_app.command("list")
def comment_list(
    ctx: typer.Context,
    entity: EntityIdArg,
    on: OnOpt = CommentOn.TASK,
    limit: LimitOpt = 50,
) -> None:
    """The comments on a task (or, with --on, another entity), newest first."""
    client = client_of(ctx)
    rows = client.get_comments(entity_of(on), target(client, on, entity), max_rows=limit)
    show_list(ctx, rows, view.comments_table, "comments")
