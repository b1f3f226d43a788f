"""``buildtracker search``: full text over names, descriptions, acceptance
criteria and comments (claude.search), best first."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import project_id
from buildtracker.cli.core import client_of, show_list
from buildtracker.cli.view import view


def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words, "a phrase", a or b, -word (websearch syntax); 1-1000 characters.',
        ),
    ],
    project: Annotated[
        str | None, typer.Option("--project", help="Only this project: name, id or id prefix.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, max=100, help="At most this many hits.")
    ] = 20,
) -> None:
    """Search features, tasks, components, requirements and comments, best match first."""
    client = client_of(ctx)
    rows = client.search(query, project_id(client, project), limit)
    show_list(ctx, rows, view.search_table, "matches")
