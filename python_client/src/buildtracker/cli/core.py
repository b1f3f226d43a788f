"""The root of the ``buildtracker`` command: global options, the root group, shared output.

:data:`app` is the root ``typer.Typer``; its callback reads the global options
into a :class:`CliState`, and :class:`BuildTrackerGroup` reports a refused call
(:class:`~buildtracker.errors.BuildTrackerError`) or a usage error with its exit
code. The command groups (the other modules of this package) read the options
with :func:`state_of` and print with :func:`show_result`, :func:`show_list` and
:func:`show_row`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, TypeGuard, TypeVar
from uuid import UUID

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort

from buildtracker import contract
from buildtracker.cli.view import view
from buildtracker.errors import BuildTrackerError, ErrorItem, from_psycopg

if TYPE_CHECKING:  # imported when a command first needs the database: --help stays fast
    import psycopg

    from buildtracker.client import Client
    from buildtracker.models import Result


T = TypeVar("T")


# ---------------------------------------------------------------- global state


@dataclass
class CliState:
    """The global options, and the client opened on first use."""

    database_url: str | None
    json_output: bool
    actor: str | None
    read_url: str | None = None
    _client: Client | None = field(default=None, repr=False)

    def require_url(self) -> str:
        if not self.database_url:
            raise BuildTrackerError(
                "no database given: pass --database-url or set DATABASE_URL",
                errors=(ErrorItem("database_url", "--database-url or DATABASE_URL is required"),),
            )
        return self.database_url

    def client(self) -> Client:
        if self._client is None:
            import psycopg

            from buildtracker.client import Client

            url = self.require_url()
            try:
                self._client = Client.connect(url, actor=self.actor, read_url=self.read_url)
            except psycopg.Error as exc:
                raise connection_error(exc) from exc
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _is_psycopg_error(exc: BaseException) -> TypeGuard[psycopg.Error]:
    """Whether exc is a psycopg error (psycopg is only loaded once a command used it)."""
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def connection_error(exc: psycopg.Error) -> BuildTrackerError:
    mapped = from_psycopg(exc)
    mapped.message = f"cannot connect to the database: {mapped.message}".strip()
    return mapped


def state_of(ctx: typer.Context) -> CliState:
    """The global options of this invocation (set by the root callback)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState(
            os.environ.get("DATABASE_URL"), False, None, os.environ.get("BUILDTRACKER_READ_URL")
        )
    return root.obj


def client_of(ctx: typer.Context) -> Client:
    return state_of(ctx).client()


def hoist_json(args: list[str]) -> bool:
    """``--json`` is accepted anywhere on the command line (before a ``--``):
    moved in front, where the root group reads it. True when it was given."""
    end = args.index("--") if "--" in args else len(args)
    found = "--json" in args[:end]
    if found:
        args[:end] = ["--json", *(a for a in args[:end] if a != "--json")]
    return found


def usage_failure(exc: Any) -> dict[str, Any]:
    """A usage error (unknown option, missing argument, bad value) as the JSON contract's failure."""
    # the field is what was typed: an option's flag, an argument's metavar
    param = getattr(exc, "param", None)
    if getattr(param, "param_type_name", None) == "option":
        field_name = max(param.opts, key=len)  # type: ignore[union-attr]
    elif param is not None:
        field_name = str(getattr(param, "metavar", None) or param.name).lower()
    else:
        field_name = getattr(exc, "option_name", None)
    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "buildtracker"
    return contract.failure(
        None,
        exc.format_message(),
        [{"field": field_name, "message": exc.format_message(), "code": None}],
        f"Try '{command} --help'.",
    )


@dataclass(frozen=True)
class LazyGroup:
    """A command group loaded when it is invoked (or its help is shown): its
    module, the module's typer.Typer, and the one-line help the root lists."""

    module: str
    attribute: str
    help: str


# The command groups, in the order the root lists them. Their modules are
# imported (and their commands built) only for the group being run: a start
# of the CLI pays for one group, not for all (the --help start-up target).
GROUPS: dict[str, LazyGroup] = {
    "project": LazyGroup("buildtracker.cli.projects", "project_app", "Projects."),
    "identity": LazyGroup(
        "buildtracker.cli.projects",
        "identity_app",
        "Identities: the people and agents who do the work.",
    ),
    "feature": LazyGroup(
        "buildtracker.cli.features", "feature_app", "Features and their workflow."
    ),
    "component": LazyGroup(
        "buildtracker.cli.components", "component_app", "Components of a feature."
    ),
    "task": LazyGroup(
        "buildtracker.cli.tasks",
        "task_app",
        "Build tasks: the ready queue, claim, start, block, complete.",
    ),
    "requirement": LazyGroup(
        "buildtracker.cli.requirements", "requirement_app", "Requirements of a feature."
    ),
    "comment": LazyGroup(
        "buildtracker.cli.comments",
        "comment_app",
        "Comments on tasks, features, components, requirements and projects.",
    ),
    "jobs": LazyGroup(
        "buildtracker.cli.jobs",
        "jobs_app",
        "Background jobs (stale, unblocked, ready to complete).",
    ),
    "feed": LazyGroup(
        "buildtracker.cli.feed",
        "feed_app",
        "The feed's tamper evidence: anchor, verify, seal.",
    ),
    "agent": LazyGroup(
        "buildtracker.cli.agent",
        "agent_app",
        "Agent hosts: the MCP server's entry and the AGENTS.md section.",
    ),
    "token": LazyGroup(
        "buildtracker.cli.tokens",
        "token_app",
        "REST API bearer tokens (admin: needs the owner's rights).",
    ),
}


class BuildTrackerGroup(TyperGroup):
    """The root group: turns a refused call into its report and exit code, and a
    usage error into the JSON contract's failure under ``--json`` (exit 2)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        as_json = hoist_json(argv)
        try:
            # errors are reported here, whatever standalone_mode asked for
            code = super().main(
                argv, prog_name or "buildtracker", complete_var, False, windows_expand_args, **extra
            )
        except UsageError as exc:
            if as_json and not isinstance(exc, NoArgsIsHelpError):
                typer.echo(contract.dumps(usage_failure(exc)))
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in GROUPS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        lazy = GROUPS.get(cmd_name)
        if cmd_name not in self.commands and lazy is not None:
            from importlib import import_module

            import typer.main

            sub_app = getattr(import_module(lazy.module), lazy.attribute)
            group = typer.main.get_group(sub_app)
            group.name = cmd_name
            self.add_command(group, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The root's command list, without loading the groups: their one-line
        help comes from GROUPS."""
        from typer._click.utils import make_default_short_help

        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is None:
                rows.append((name, make_default_short_help(GROUPS[name].help, limit)))
            elif not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:  # typer's (vendored) click Context
        try:
            return super().invoke(ctx)
        except BuildTrackerError as exc:
            state = ctx.obj if isinstance(ctx.obj, CliState) else None
            view.report_error(exc, as_json=bool(state and state.json_output))
            raise typer.Exit(exc.exit_code) from exc
        except Exception as exc:  # a psycopg error outside the client, e.g. the LISTEN connection
            if not _is_psycopg_error(exc):
                raise
            mapped = from_psycopg(exc)
            state = ctx.obj if isinstance(ctx.obj, CliState) else None
            view.report_error(mapped, as_json=bool(state and state.json_output))
            raise typer.Exit(mapped.exit_code) from exc


def command_group(**options: Any) -> typer.Typer:
    """A command group. Help is plain text (no rich markup): typer's rich help
    formatter and its markdown parser cost more start-up time than the
    ``--help`` target (150 ms) allows."""
    return typer.Typer(rich_markup_mode=None, **options)


app = command_group(
    cls=BuildTrackerGroup,
    help="Track features, components, tasks and requirements in the buildtracker database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def show_version(value: bool) -> None:
    """``--version``: the installed package's version."""
    if value:
        from importlib.metadata import version

        typer.echo(f"buildtracker {version('buildtracker')}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="DATABASE_URL",
            show_envvar=True,
            help="PostgreSQL connection URL.",
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Machine output: JSON documents instead of tables.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=show_version,
            help="Print the version of buildtracker and exit.",
        ),
    ] = False,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            envvar="BUILDTRACKER_ACTOR",
            show_envvar=True,
            help="Who is acting (recorded in the activity feed); default: the database login.",
        ),
    ] = None,
    read_url: Annotated[
        str | None,
        typer.Option(
            "--read-url",
            envvar="BUILDTRACKER_READ_URL",
            show_envvar=True,
            help="A streaming replica's URL: reads go there (docs/REPLICAS.md).",
        ),
    ] = None,
) -> None:
    """Global options."""
    state = CliState(database_url, json_output, actor, read_url)
    ctx.obj = state
    _current_state.set(state)
    ctx.call_on_close(state.close)


# The state of the command being run, for the argument helpers that resolve
# ids through the database (set by the root callback).
_current_state: ContextVar[CliState] = ContextVar("buildtracker_cli_state")


def click_state() -> CliState:
    """The CLI state of the command being run (its client resolves ids)."""
    return _current_state.get()


def identity_names(client: Client) -> dict[UUID, str]:
    """Identity names for display."""
    return {i.identity_id: i.identity_name for i in client.list_identities()}


# ---------------------------------------------------------------- output helpers


def show_result(ctx: typer.Context, verb: str, result: Result[Any], *, names: bool = False) -> None:
    """A write call's result: the envelope with --json, else one line, metadata, warnings."""
    state = state_of(ctx)
    if state.json_output:
        view.emit_result(result)
    else:
        view.print_result(verb, result, identity_names(state.client()) if names else None)


def show_row(ctx: typer.Context, row: T, render: Callable[[Sequence[T]], Any]) -> None:
    """One row: the envelope around it with --json, else a one-row table."""
    if state_of(ctx).json_output:
        view.emit_success(row)
    else:
        view.out.print(render([row]))


def show_list(
    ctx: typer.Context,
    rows: Sequence[T],
    render: Callable[[Sequence[T]], Any],
    empty: str,
) -> None:
    """A list: a JSON array with --json, else a table (or a dim line when empty)."""
    if state_of(ctx).json_output:
        view.emit_success(list(rows))
    elif rows:
        view.out.print(render(rows))
    else:
        view.print_empty(empty)
