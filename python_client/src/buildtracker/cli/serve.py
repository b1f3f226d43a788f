"""``buildtracker serve``: the REST API over HTTP, and the web dashboard at ``/``."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.core import state_of


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    insecure_no_auth: Annotated[
        bool,
        typer.Option(
            "--insecure-no-auth",
            help="DEVELOPMENT ONLY: no bearer tokens; every request runs with the login's rights.",
        ),
    ] = False,
) -> None:
    """Serve the REST API (OpenAPI document at /openapi.json, docs at /docs).

    The read-only web dashboard is at / (sign in with an API token).
    """
    import uvicorn

    from buildtracker.api import create_app

    state = state_of(ctx)
    database_url = state.require_url()
    if insecure_no_auth:
        typer.secho(
            "WARNING: authentication is OFF (--insecure-no-auth). Anyone who can reach "
            f"{host}:{port} acts with the database login's rights. Development only.",
            fg=typer.colors.RED,
            bold=True,
            err=True,
        )
    uvicorn.run(
        create_app(database_url, authenticate=not insecure_no_auth, read_url=state.read_url),
        host=host,
        port=port,
        # the dashboard's live streams never end by themselves: cut them on stop
        timeout_graceful_shutdown=3,
    )
