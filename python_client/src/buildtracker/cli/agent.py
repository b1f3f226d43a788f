"""``buildtracker mcp`` (the MCP server over stdio) and ``buildtracker agent
setup`` (the server's entry for agent hosts, and the AGENTS.md section).

The ``mcp`` SDK is imported by the command only (``buildtracker --help``
stays fast, and the SDK is an extra: ``pip install 'buildtracker[mcp]'``)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from buildtracker.cli.core import GROUPS, command_group, state_of
from buildtracker.cli.view import view
from buildtracker.errors import BuildTrackerError, ErrorItem


def mcp(
    ctx: typer.Context,
    identity: Annotated[
        str | None,
        typer.Option(
            "--identity",
            envvar="BUILDTRACKER_IDENTITY",
            show_envvar=True,
            help="Who the agent is (name or id): the default of claim, start and heartbeat,"
            " and the actor recorded in the feed (unless --actor).",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", help="PostgreSQL connection URL (default: the global option)."
        ),
    ] = None,
) -> None:
    """Serve the MCP tools over stdio, for agent hosts (see `buildtracker agent setup`)."""
    try:
        from buildtracker.mcp_server import Settings, serve
    except ImportError as exc:  # the extra is not installed
        raise BuildTrackerError(
            f"the MCP server needs the mcp package: pip install 'buildtracker[mcp]' ({exc})",
            errors=(ErrorItem("mcp", "not installed"),),
        ) from exc
    state = state_of(ctx)
    url = database_url or state.require_url()
    serve(Settings(url, identity=identity or None, actor=state.actor, read_url=state.read_url))


agent_app = command_group(help=GROUPS["agent"].help, no_args_is_help=True)


class Host(StrEnum):
    CLAUDE_CODE = "claude-code"
    CURSOR = "cursor"
    CODEX = "codex"
    ALL = "all"


@agent_app.command("setup")
def setup(
    ctx: typer.Context,
    host: Annotated[Host, typer.Option("--host", help="The agent host to set up.")] = Host.ALL,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Write the files into the current directory (.mcp.json, .cursor/mcp.json,"
            " AGENTS.md) instead of printing them; again changes nothing.",
        ),
    ] = False,
    identity: Annotated[
        str | None,
        typer.Option(
            "--identity",
            envvar="BUILDTRACKER_IDENTITY",
            help="The agent's identity (name or id) for BUILDTRACKER_IDENTITY.",
        ),
    ] = None,
) -> None:
    """The MCP server entry for Claude Code, Cursor or Codex, and the AGENTS.md section
    telling an agent how to work with the tracker: printed, or written with --write."""
    from buildtracker import agent_setup

    state = state_of(ctx)
    hosts = agent_setup.HOSTS if host is Host.ALL else (host.value,)
    server = agent_setup.entry(state.database_url, identity)
    directory = Path(os.getcwd())
    plan = agent_setup.plan(directory, hosts, server)
    written = agent_setup.write(directory, plan.files) if write else []
    if agent_setup.has_password(state.database_url):
        view.err.print(
            "warning: DATABASE_URL carries a password; these files are often committed"
            " (a ~/.pgpass file keeps it out of them)",
            style="yellow",
            soft_wrap=True,
        )
    if state.json_output:
        view.emit_success(
            {
                "server": server.as_json(),
                "files": plan.files,
                "notes": plan.notes,
                "written": written,
            }
        )
        return
    if write:
        for relative in plan.files:
            state_word = "written" if relative in written else "unchanged"
            typer.echo(f"{state_word}: {directory / relative}")
    else:
        for relative, text in plan.files.items():
            typer.echo(
                f"# {relative}" + (" (the section to add)" if relative == "AGENTS.md" else "")
            )
            typer.echo(agent_setup.section_block() if relative == "AGENTS.md" else text)
    for name, text in plan.notes.items():
        typer.echo(f"# {name}: add to ~/.codex/config.toml")
        typer.echo(text)
