"""The ``buildtracker`` command: everyday work for people and agents (SPEC section 7).

Every command calls one or a few methods of :class:`buildtracker.Client`; the
database decides what is allowed. Global options go before the command group::

    buildtracker [--database-url URL] [--json] [--actor NAME] GROUP COMMAND ...

Projects and identities are accepted by name or UUID. With ``--json`` a write
command prints ``{"success", "data", "warnings", "metadata"}``, a list command
a JSON array, and a refused call ``{"success": false, "sqlstate", "message",
"errors", "hint"}``. A refused call exits with the exception's ``exit_code``
(validation 3, missing reference 4, not found 5, transition or gate 6,
retryable conflict 7, permission 8, anything else 1).

Adding a command group (``token``, ``serve``, ...): create a ``typer.Typer``,
decorate its commands, read the global options with :func:`state_of` and
register it with ``app.add_typer(group, name=...)``; errors raised as
:class:`~buildtracker.errors.BuildTrackerError` are reported by the root group.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeGuard, TypeVar, cast, overload
from uuid import UUID

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort

from buildtracker import cli_output as view
from buildtracker import contract
from buildtracker.enums import (
    ActivityType,
    ComponentStatus,
    ComponentType,
    FeatureStatus,
    FeatureType,
    RequirementStatus,
    RequirementType,
    Severity,
    SourceType,
    TaskStatus,
    TaskType,
)
from buildtracker.errors import (
    BuildTrackerError,
    ErrorItem,
    NotFoundError,
    ValidationError,
    from_psycopg,
)
from buildtracker.models import Activity, Result

if TYPE_CHECKING:  # imported when a command first needs the database: --help stays fast
    import psycopg

    from buildtracker.client import Client

T = TypeVar("T")

NOTIFY_CHANNEL = "buildtracker_activity"


def _values(enum: Any) -> str:
    return ", ".join(member.value for member in enum)


# ---------------------------------------------------------------- global state


@dataclass
class CliState:
    """The global options, and the client opened on first use."""

    database_url: str | None
    json_output: bool
    actor: str | None
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
                self._client = Client.connect(url, actor=self.actor)
            except psycopg.Error as exc:
                raise _connection_error(exc) from exc
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _is_psycopg_error(exc: BaseException) -> TypeGuard[psycopg.Error]:
    """Whether exc is a psycopg error (psycopg is only loaded once a command used it)."""
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def _connection_error(exc: psycopg.Error) -> BuildTrackerError:
    mapped = from_psycopg(exc)
    mapped.message = f"cannot connect to the database: {mapped.message}".strip()
    return mapped


def state_of(ctx: typer.Context) -> CliState:
    """The global options of this invocation (set by the root callback)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState(os.environ.get("DATABASE_URL"), False, None)
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


app = typer.Typer(
    cls=BuildTrackerGroup,
    help="Track features, components, tasks and requirements in the buildtracker database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
project_app = typer.Typer(help="Projects.", no_args_is_help=True)
identity_app = typer.Typer(
    help="Identities: the people and agents who do the work.", no_args_is_help=True
)
feature_app = typer.Typer(help="Features and their workflow.", no_args_is_help=True)
component_app = typer.Typer(help="Components of a feature.", no_args_is_help=True)
task_app = typer.Typer(
    help="Build tasks: the ready queue, claim, start, block, complete.", no_args_is_help=True
)
requirement_app = typer.Typer(help="Requirements of a feature.", no_args_is_help=True)
jobs_app = typer.Typer(
    help="Background jobs (stale, unblocked, ready to complete).", no_args_is_help=True
)

app.add_typer(project_app, name="project")
app.add_typer(identity_app, name="identity")
app.add_typer(feature_app, name="feature")
app.add_typer(component_app, name="component")
app.add_typer(task_app, name="task")
app.add_typer(requirement_app, name="requirement")
app.add_typer(jobs_app, name="jobs")
token_app = typer.Typer(
    help="REST API bearer tokens (admin: needs the owner's rights).", no_args_is_help=True
)
app.add_typer(token_app, name="token")


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
) -> None:
    """Global options."""
    state = CliState(database_url, json_output, actor)
    ctx.obj = state
    _current_state.set(state)
    ctx.call_on_close(state.close)


# ---------------------------------------------------------------- argument helpers


# Arguments that name an entity, and the entity claude.resolve_id looks them up in.
_ENTITY_OF_FIELD = {
    "task_id": "build_task",
    "blocked_by": "build_task",
    "feature_id": "feature",
    "parent": "feature",
    "component_id": "component",
    "requirement_id": "requirement",
    "project": "project",
    "identity": "identity",
}


def _as_uuid(value: str) -> UUID | None:
    try:
        return UUID(value.strip())
    except ValueError:
        return None


def parse_uuid(value: str, field_name: str) -> UUID:
    """An id argument: a whole UUID, or, for an entity, what claude.resolve_id
    accepts (a unique prefix of at least 8 hex characters; a project or
    identity name). Not found is exit 5, ambiguous or malformed exit 3."""
    as_uuid = _as_uuid(value)
    if as_uuid is not None:
        return as_uuid
    entity = _ENTITY_OF_FIELD.get(field_name)
    if entity is None:
        raise ValidationError(
            f"{field_name} must be a UUID",
            sqlstate="22P02",
            errors=(ErrorItem(field_name, f'"{value}" is not a valid UUID', "22P02"),),
        )
    state = click_state()
    return state.client().resolve_id(entity, value)


def optional_uuid(value: str | None, field_name: str) -> UUID | None:
    return None if value is None else parse_uuid(value, field_name)


# The state of the command being run, for the argument helpers that resolve
# ids through the database (set by the root callback).
_current_state: ContextVar[CliState] = ContextVar("buildtracker_cli_state")


def click_state() -> CliState:
    """The CLI state of the command being run (its client resolves ids)."""
    return _current_state.get()


@overload
def project_id(client: Client, value: str, field_name: str = ...) -> UUID: ...
@overload
def project_id(client: Client, value: str | None, field_name: str = ...) -> UUID | None: ...
def project_id(client: Client, value: str | None, field_name: str = "project") -> UUID | None:
    """A project given by name, id or id prefix (claude.resolve_id; unknown: exit 5)."""
    if value is None:
        return None
    return _as_uuid(value) or client.resolve_id("project", value)


def project_name(client: Client, value: str | None, field_name: str = "project") -> str | None:
    """The name of a project given by name, id or id prefix (the activity feed filters by name)."""
    if value is None:
        return None
    return client.get_project(client.resolve_id("project", value)).project_name


@overload
def identity_id(client: Client, value: str, field_name: str = ...) -> UUID: ...
@overload
def identity_id(client: Client, value: str | None, field_name: str = ...) -> UUID | None: ...
def identity_id(client: Client, value: str | None, field_name: str = "identity") -> UUID | None:
    """An identity given by name, id or id prefix (claude.resolve_id; unknown: exit 5)."""
    if value is None:
        return None
    return _as_uuid(value) or client.resolve_id("identity", value)


def identity_names(client: Client) -> dict[UUID, str]:
    """Identity names for display."""
    return {i.identity_id: i.identity_name for i in client.list_identities()}


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
_DURATION_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(value: str, field_name: str) -> timedelta:
    """``7d``, ``12h``, ``1d12h``, ``90m``, ``2w``, ``30s`` (a bare number means days)."""
    text = value.strip().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return timedelta(days=float(text))
    if text and _DURATION_PART.sub("", text) == "":
        total = timedelta()
        for amount, unit in _DURATION_PART.findall(text):
            total += timedelta(**{_DURATION_UNITS[unit.lower()]: float(amount)})
        return total
    raise ValidationError(
        f"{field_name} must be a duration such as 7d, 12h or 1d12h",
        sqlstate="22007",
        errors=(
            ErrorItem(field_name, f'"{value}" is not a duration (use w, d, h, m, s)', "22007"),
        ),
    )


def parse_since(value: str | None) -> datetime | None:
    """An ISO timestamp (local time when it has no zone) or a duration back from now."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            return datetime.now().astimezone() - parse_duration(value, "since")
        except ValidationError:
            raise ValidationError(
                "since must be an ISO timestamp or a duration such as 2h",
                sqlstate="22007",
                errors=(
                    ErrorItem("since", f'"{value}" is not a timestamp or a duration', "22007"),
                ),
            ) from None
    return moment if moment.tzinfo else moment.astimezone()


def numeric(value: float) -> float:
    """Hours and coverage for the client's ``numeric`` parameters.

    Work-around: the client sends a Python float as double precision, and
    PostgreSQL finds no function whose parameter is ``numeric`` for it. A
    Decimal is sent as numeric, so the value travels as a Decimal (typed as the
    float the client's signature asks for). Drop this once the client converts.
    """
    return cast(float, Decimal(str(value)))


def optional_numeric(value: float | None) -> float | None:
    return None if value is None else numeric(value)


def parse_changes(pairs: Sequence[str]) -> dict[str, Any]:
    """``key=value`` pairs; a value that is valid JSON is used as JSON, otherwise as text."""
    changes: dict[str, Any] = {}
    bad: list[ErrorItem] = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            bad.append(ErrorItem("set", f'"{pair}" is not key=value', "22023"))
            continue
        try:
            changes[key] = json.loads(raw)
        except ValueError:
            changes[key] = raw
    if not pairs:
        bad.append(ErrorItem("set", "give at least one --set key=value", "22023"))
    if bad:
        raise ValidationError("invalid --set arguments", sqlstate="22023", errors=tuple(bad))
    return changes


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


# ---------------------------------------------------------------- project, identity

NameArg = Annotated[str, typer.Argument(help="The name.")]
LimitOpt = Annotated[int, typer.Option("--limit", min=0, help="At most this many rows.")]


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


# ---------------------------------------------------------------- features

FeatureIdArg = Annotated[
    str,
    typer.Argument(
        metavar="FEATURE_ID",
        help="The feature's id, or a unique prefix of at least 8 hex characters.",
    ),
]


@feature_app.command("add")
def feature_add(
    ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", help="Project name or UUID.")],
    name: Annotated[str, typer.Option("--name", help="Feature name (at least 5 characters).")],
    feature_type: Annotated[str, typer.Option("--type", help=f"One of: {_values(FeatureType)}.")],
    description: Annotated[str | None, typer.Option("--description")] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="1 (highest) to 10.")] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="Parent feature UUID.")] = None,
    planned_by: Annotated[
        str | None, typer.Option("--planned-by", help="Identity name or UUID.")
    ] = None,
    design_doc: Annotated[str | None, typer.Option("--design-doc", help="Design doc path.")] = None,
) -> None:
    """Create a feature (it starts not_started, 0%)."""
    client = client_of(ctx)
    result = client.add_feature(
        feature_name=name,
        feature_type=feature_type,
        project_id=project_id(client, project),
        description=description,
        priority=priority,
        parent_feature_id=optional_uuid(parent, "parent"),
        planned_by_identity_id=identity_id(client, planned_by, "planned_by"),
        design_doc_path=design_doc,
    )
    show_result(ctx, "created", result)


@feature_app.command("list")
def feature_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of: {_values(FeatureStatus)}.")
    ] = None,
    limit: LimitOpt = 50,
) -> None:
    """List features, oldest first."""
    client = client_of(ctx)
    rows = client.list_features(
        project_id=project_id(client, project), status=status, max_rows=limit
    )
    show_list(ctx, rows, view.features_table, "features")


@feature_app.command("show")
def feature_show(ctx: typer.Context, feature: FeatureIdArg) -> None:
    """Show a feature with its components, tasks and requirements."""
    client = client_of(ctx)
    detail = client.get_feature_with_children(parse_uuid(feature, "feature_id"))
    if state_of(ctx).json_output:
        view.emit_success(detail)
    else:
        view.feature_detail(detail, identity_names(client))


@feature_app.command("status")
def feature_status(
    ctx: typer.Context,
    feature: FeatureIdArg,
    new_status: Annotated[
        str, typer.Argument(metavar="NEW_STATUS", help=f"One of: {_values(FeatureStatus)}.")
    ],
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Blocked, on-hold or cancellation reason, or resume note."),
    ] = None,
    implemented_by: Annotated[
        str | None, typer.Option("--implemented-by", help="Identity name or UUID.")
    ] = None,
    planned_by: Annotated[
        str | None, typer.Option("--planned-by", help="Identity name or UUID.")
    ] = None,
) -> None:
    """Move a feature to a new status."""
    client = client_of(ctx)
    result = client.update_feature_status(
        feature_id=parse_uuid(feature, "feature_id"),
        new_status=new_status,
        reason=reason,
        implemented_by_identity_id=identity_id(client, implemented_by, "implemented_by"),
        planned_by_identity_id=identity_id(client, planned_by, "planned_by"),
    )
    show_result(ctx, "status changed:", result)


@feature_app.command("update")
def feature_update(
    ctx: typer.Context,
    feature: FeatureIdArg,
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="A field to change; the value is parsed as JSON when it is valid JSON.",
        ),
    ] = None,
) -> None:
    """Edit non-status fields of a feature."""
    changes = parse_changes(pairs or [])
    result = client_of(ctx).update_feature(parse_uuid(feature, "feature_id"), changes)
    show_result(ctx, "updated", result)


@feature_app.command("complete")
def feature_complete(ctx: typer.Context, feature: FeatureIdArg) -> None:
    """Complete a feature (refused, naming every failing check, unless the gate passes)."""
    result = client_of(ctx).complete_feature(parse_uuid(feature, "feature_id"))
    show_result(ctx, "completed", result)


@feature_app.command("completion")
def feature_completion(ctx: typer.Context, feature: FeatureIdArg) -> None:
    """Show a feature's completion figures and the completion gate's verdict."""
    completion = client_of(ctx).get_feature_completion(parse_uuid(feature, "feature_id"))
    if state_of(ctx).json_output:
        view.emit_success(completion)
    else:
        view.completion_view(completion)


@feature_app.command("delete")
def feature_delete(ctx: typer.Context, feature: FeatureIdArg) -> None:
    """Delete a feature with its components, tasks and requirements."""
    result = client_of(ctx).delete_feature(parse_uuid(feature, "feature_id"))
    show_result(ctx, "deleted", result)


# ---------------------------------------------------------------- components

ComponentIdArg = Annotated[
    str,
    typer.Argument(
        metavar="COMPONENT_ID",
        help="The component's id, or a unique prefix of at least 8 hex characters.",
    ),
]


@component_app.command("add")
def component_add(
    ctx: typer.Context,
    feature: FeatureIdArg,
    name: Annotated[str, typer.Option("--name", help="Component name (at least 3 characters).")],
    component_type: Annotated[
        str, typer.Option("--type", help=f"One of: {_values(ComponentType)}.")
    ],
    planned_functions: Annotated[
        list[str] | None,
        typer.Option("--planned-function", help="A planned function (repeatable)."),
    ] = None,
    dependencies: Annotated[
        list[str] | None, typer.Option("--dependency", help="A planned dependency (repeatable).")
    ] = None,
    file_path: Annotated[
        str | None, typer.Option("--file-path", help="Default: generated from type and name.")
    ] = None,
) -> None:
    """Add a component to a feature."""
    result = client_of(ctx).add_component(
        feature_id=parse_uuid(feature, "feature_id"),
        component_name=name,
        component_type=component_type,
        planned_functions=planned_functions or None,
        planned_dependencies=dependencies or None,
        file_path=file_path,
    )
    show_result(ctx, "created", result)


@component_app.command("list")
def component_list(
    ctx: typer.Context,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature id or prefix.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of: {_values(ComponentStatus)}.")
    ] = None,
    limit: LimitOpt = 50,
) -> None:
    """List components, oldest first."""
    rows = client_of(ctx).list_components(
        feature_id=optional_uuid(feature, "feature_id"), status=status, max_rows=limit
    )
    show_list(ctx, rows, view.components_table, "components")


@component_app.command("show")
def component_show(ctx: typer.Context, component: ComponentIdArg) -> None:
    """Show one component."""
    row = client_of(ctx).get_component(parse_uuid(component, "component_id"))
    show_row(ctx, row, view.components_table)


@component_app.command("update")
def component_update(
    ctx: typer.Context,
    component: ComponentIdArg,
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="A field to change; the value is parsed as JSON when it is valid JSON.",
        ),
    ] = None,
) -> None:
    """Edit non-status fields of a component."""
    changes = parse_changes(pairs or [])
    result = client_of(ctx).update_component(parse_uuid(component, "component_id"), changes)
    show_result(ctx, "updated", result)


@component_app.command("status")
def component_status(
    ctx: typer.Context,
    component: ComponentIdArg,
    new_status: Annotated[
        str, typer.Argument(metavar="NEW_STATUS", help=f"One of: {_values(ComponentStatus)}.")
    ],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
) -> None:
    """Move a component to a new status."""
    result = client_of(ctx).update_component_status(
        parse_uuid(component, "component_id"), new_status, reason=reason
    )
    show_result(ctx, "status changed:", result)


@component_app.command("complete")
def component_complete(
    ctx: typer.Context,
    component: ComponentIdArg,
    functions: Annotated[
        list[str] | None,
        typer.Option("--function", help="An implemented function (repeatable, at least one)."),
    ] = None,
    file_path: Annotated[str | None, typer.Option("--file-path")] = None,
    lines: Annotated[int | None, typer.Option("--lines", help="Lines of code.")] = None,
    tests: Annotated[
        bool | None, typer.Option("--tests/--no-tests", help="Whether it has tests.")
    ] = None,
    coverage: Annotated[
        float | None, typer.Option("--coverage", help="Test coverage percentage.")
    ] = None,
) -> None:
    """Complete an in-progress component."""
    result = client_of(ctx).complete_component(
        component_id=parse_uuid(component, "component_id"),
        actual_functions=functions or None,
        file_path=file_path,
        lines_of_code=lines,
        has_tests=tests,
        test_coverage_percentage=optional_numeric(coverage),
    )
    show_result(ctx, "completed", result)


# ---------------------------------------------------------------- tasks

TaskIdArg = Annotated[
    str,
    typer.Argument(
        metavar="TASK_ID", help="The task's id, or a unique prefix of at least 8 hex characters."
    ),
]


@task_app.command("add")
def task_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Task name (at least 5 characters).")],
    description: Annotated[str, typer.Option("--description", help="At least 10 characters.")],
    task_type: Annotated[str, typer.Option("--type", help=f"One of: {_values(TaskType)}.")],
    component: Annotated[str | None, typer.Option("--component", help="Component UUID.")] = None,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="1 (highest) to 10.")] = None,
    estimate: Annotated[float | None, typer.Option("--estimate", help="Estimated hours.")] = None,
    assign: Annotated[str | None, typer.Option("--assign", help="Identity name or UUID.")] = None,
    blocked_by: Annotated[
        str | None, typer.Option("--blocked-by", help="UUID of the task this one waits for.")
    ] = None,
) -> None:
    """Create a task for a component or a feature."""
    client = client_of(ctx)
    result = client.add_task(
        task_name=name,
        task_description=description,
        task_type=task_type,
        component_id=optional_uuid(component, "component_id"),
        feature_id=optional_uuid(feature, "feature_id"),
        priority=priority,
        estimated_hours=optional_numeric(estimate),
        assigned_to_identity_id=identity_id(client, assign, "assign"),
        blocked_by_task_id=optional_uuid(blocked_by, "blocked_by"),
    )
    show_result(ctx, "created", result, names=True)


@task_app.command("list")
def task_list(
    ctx: typer.Context,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of: {_values(TaskStatus)}.")
    ] = None,
    assignee: Annotated[
        str | None, typer.Option("--assignee", help="Identity name or UUID.")
    ] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="Project name, id or id prefix.")
    ] = None,
    limit: LimitOpt = 50,
) -> None:
    """List tasks, oldest first."""
    client = client_of(ctx)
    rows = client.list_tasks(
        feature_id=optional_uuid(feature, "feature_id"),
        status=status,
        assigned_to_identity_id=identity_id(client, assignee, "assignee"),
        project_id=project_id(client, project),
        max_rows=limit,
    )
    names = identity_names(client) if rows and not state_of(ctx).json_output else {}
    show_list(ctx, rows, lambda r: view.tasks_table(r, names), "tasks")


@task_app.command("show")
def task_show(ctx: typer.Context, task: TaskIdArg) -> None:
    """Show one task."""
    client = client_of(ctx)
    row = client.get_task(parse_uuid(task, "task_id"))
    names = identity_names(client) if not state_of(ctx).json_output else {}
    show_row(ctx, row, lambda rows: view.tasks_table(rows, names, title="Task"))


@task_app.command("update")
def task_update(
    ctx: typer.Context,
    task: TaskIdArg,
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="A field to change; the value is parsed as JSON when it is valid JSON.",
        ),
    ] = None,
) -> None:
    """Edit non-status fields of a task (name, description, priority, estimate, assignee, ...)."""
    changes = parse_changes(pairs or [])
    result = client_of(ctx).update_task(parse_uuid(task, "task_id"), changes)
    show_result(ctx, "updated", result, names=True)


@task_app.command("ready")
def task_ready(
    ctx: typer.Context,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    component: Annotated[str | None, typer.Option("--component", help="Component UUID.")] = None,
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0)] = None,
) -> None:
    """The ready queue: todo tasks whose blocker is done, by priority then age."""
    client = client_of(ctx)
    rows = client.get_ready_tasks(
        feature_id=optional_uuid(feature, "feature_id"),
        component_id=optional_uuid(component, "component_id"),
        project_id=project_id(client, project),
        max_rows=limit,
    )
    names = identity_names(client) if rows and not state_of(ctx).json_output else {}
    show_list(ctx, rows, lambda r: view.tasks_table(r, names, "Ready tasks"), "ready tasks")


@task_app.command("claim")
def task_claim(
    ctx: typer.Context,
    identity: Annotated[str, typer.Option("--identity", help="Who claims: name or UUID.")],
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
) -> None:
    """Atomically take the highest-priority ready task and start it."""
    client = client_of(ctx)
    result = client.claim_next_task(
        identity_id=identity_id(client, identity),
        project_id=project_id(client, project),
        feature_id=optional_uuid(feature, "feature_id"),
    )
    if result.data is None and not state_of(ctx).json_output:
        view.out.print("nothing is ready to claim", soft_wrap=True)
        view.print_warnings(result.warnings)
        return
    show_result(ctx, "claimed and started", result, names=True)


@task_app.command("start")
def task_start(
    ctx: typer.Context,
    task: TaskIdArg,
    identity: Annotated[
        str | None, typer.Option("--identity", help="Assignee name or UUID (default: current).")
    ] = None,
) -> None:
    """Start a todo task."""
    client = client_of(ctx)
    result = client.start_task(
        parse_uuid(task, "task_id"), identity_id=identity_id(client, identity)
    )
    show_result(ctx, "started", result, names=True)


@task_app.command("block")
def task_block(
    ctx: typer.Context,
    task: TaskIdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the task is blocked.")],
    blocked_by: Annotated[
        str | None, typer.Option("--blocked-by", help="UUID of the blocking task.")
    ] = None,
) -> None:
    """Block an in-progress task."""
    result = client_of(ctx).block_task(
        parse_uuid(task, "task_id"), reason, optional_uuid(blocked_by, "blocked_by")
    )
    show_result(ctx, "blocked", result, names=True)


@task_app.command("unblock")
def task_unblock(
    ctx: typer.Context,
    task: TaskIdArg,
    note: Annotated[str, typer.Option("--note", help="How the blocker was resolved.")],
) -> None:
    """Resume a blocked task."""
    result = client_of(ctx).unblock_task(parse_uuid(task, "task_id"), note)
    show_result(ctx, "unblocked", result, names=True)


@task_app.command("review")
def task_review(ctx: typer.Context, task: TaskIdArg) -> None:
    """Submit an in-progress task for review."""
    result = client_of(ctx).submit_task_for_review(parse_uuid(task, "task_id"))
    show_result(ctx, "submitted for review", result, names=True)


@task_app.command("changes")
def task_changes(
    ctx: typer.Context,
    task: TaskIdArg,
    note: Annotated[str, typer.Option("--note", help="The changes requested.")],
) -> None:
    """Send a task in review back to in_progress."""
    result = client_of(ctx).request_task_changes(parse_uuid(task, "task_id"), note)
    show_result(ctx, "changes requested", result, names=True)


@task_app.command("complete")
def task_complete(
    ctx: typer.Context,
    task: TaskIdArg,
    hours: Annotated[float, typer.Option("--hours", help="Actual hours spent.")],
    notes: Annotated[str | None, typer.Option("--notes", help="Completion notes.")] = None,
) -> None:
    """Complete a task in progress or in review."""
    result = client_of(ctx).complete_task(parse_uuid(task, "task_id"), numeric(hours), notes)
    show_result(ctx, "completed", result, names=True)


@task_app.command("cancel")
def task_cancel(
    ctx: typer.Context,
    task: TaskIdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the task is cancelled.")],
) -> None:
    """Cancel a task."""
    result = client_of(ctx).cancel_task(parse_uuid(task, "task_id"), reason)
    show_result(ctx, "cancelled", result, names=True)


# ---------------------------------------------------------------- requirements

RequirementIdArg = Annotated[
    str,
    typer.Argument(
        metavar="REQUIREMENT_ID",
        help="The requirement's id, or a unique prefix of at least 8 hex characters.",
    ),
]


@requirement_app.command("add")
def requirement_add(
    ctx: typer.Context,
    feature: FeatureIdArg,
    name: Annotated[str, typer.Option("--name", help="At least 5 characters.")],
    requirement_type: Annotated[
        str, typer.Option("--type", help=f"One of: {_values(RequirementType)}.")
    ],
    description: Annotated[str, typer.Option("--description", help="At least 20 characters.")],
    criteria: Annotated[
        list[str] | None,
        typer.Option("--criterion", help="An acceptance criterion (repeatable, at least one)."),
    ] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="1 (highest) to 10.")] = None,
    must_have: Annotated[
        bool, typer.Option("--must-have", help="The feature cannot complete until it is verified.")
    ] = False,
    created_by: Annotated[
        str | None, typer.Option("--created-by", help="Identity name or UUID.")
    ] = None,
) -> None:
    """Add a draft requirement to a feature."""
    client = client_of(ctx)
    result = client.add_requirement(
        feature_id=parse_uuid(feature, "feature_id"),
        requirement_name=name,
        requirement_type=requirement_type,
        description=description,
        acceptance_criteria=criteria or [],
        priority=priority,
        must_have=True if must_have else None,
        created_by_identity_id=identity_id(client, created_by, "created_by"),
    )
    show_result(ctx, "created", result)


@requirement_app.command("list")
def requirement_list(
    ctx: typer.Context,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature id or prefix.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of: {_values(RequirementStatus)}.")
    ] = None,
    limit: LimitOpt = 50,
) -> None:
    """List requirements, oldest first."""
    rows = client_of(ctx).list_requirements(
        feature_id=optional_uuid(feature, "feature_id"), status=status, max_rows=limit
    )
    show_list(ctx, rows, view.requirements_table, "requirements")


@requirement_app.command("update")
def requirement_update(
    ctx: typer.Context,
    requirement: RequirementIdArg,
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="A field to change; the value is parsed as JSON when it is valid JSON.",
        ),
    ] = None,
) -> None:
    """Edit non-status fields of a requirement."""
    changes = parse_changes(pairs or [])
    result = client_of(ctx).update_requirement(parse_uuid(requirement, "requirement_id"), changes)
    show_result(ctx, "updated", result)


@requirement_app.command("status")
def requirement_status(
    ctx: typer.Context,
    requirement: RequirementIdArg,
    new_status: Annotated[
        str, typer.Argument(metavar="NEW_STATUS", help=f"One of: {_values(RequirementStatus)}.")
    ],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    component: Annotated[
        str | None, typer.Option("--component", help="Implementing component UUID.")
    ] = None,
) -> None:
    """Move a requirement to a new status."""
    result = client_of(ctx).update_requirement_status(
        parse_uuid(requirement, "requirement_id"),
        new_status,
        reason=reason,
        component_id=optional_uuid(component, "component_id"),
    )
    show_result(ctx, "status changed:", result)


@requirement_app.command("verify")
def requirement_verify(
    ctx: typer.Context,
    requirement: RequirementIdArg,
    component: Annotated[
        str | None, typer.Option("--component", help="Implementing component UUID.")
    ] = None,
    test_run: Annotated[
        str | None, typer.Option("--test-run", help="UUID of the test run that verified it.")
    ] = None,
) -> None:
    """Verify an implemented requirement."""
    result = client_of(ctx).verify_requirement(
        parse_uuid(requirement, "requirement_id"),
        component_id=optional_uuid(component, "component_id"),
        test_run_id=optional_uuid(test_run, "test_run"),
    )
    show_result(ctx, "verified", result)


# ---------------------------------------------------------------- activity


@dataclass(frozen=True)
class ActivityFilter:
    project_name: str | None
    source_type: str | None
    source_id: UUID | None
    actor: str | None
    activity_type: str | None
    severities: list[str] | None

    def admits(self, payload: dict[str, Any]) -> bool:
        """Whether a notification payload passes the filters it carries fields for."""
        return all(
            wanted is None or str(payload.get(key)) == str(wanted)
            for key, wanted in (
                ("project_name", self.project_name),
                ("source_type", self.source_type),
                ("source_id", self.source_id),
                ("activity_type", self.activity_type),
            )
        ) and (not self.severities or payload.get("severity") in self.severities)


@app.command("activity")
def activity(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    source_type: Annotated[
        str | None, typer.Option("--source-type", help=f"One of: {_values(SourceType)}.")
    ] = None,
    source_id: Annotated[str | None, typer.Option("--source-id", help="Entity UUID.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor's rows.")] = None,
    activity_type: Annotated[
        str | None, typer.Option("--type", help=f"One of: {_values(ActivityType)}.")
    ] = None,
    severities: Annotated[
        list[str] | None,
        typer.Option("--severity", help=f"Repeatable; of: {_values(Severity)}."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="ISO timestamp, or a duration back from now such as 2h."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, max=1000)] = 50,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow",
            "-f",
            help="After the latest rows, stream new warning and error rows (LISTEN) until Ctrl-C.",
        ),
    ] = False,
    follow_timeout: Annotated[
        float | None,
        typer.Option("--follow-timeout", min=0, help="Stop following after this many seconds."),
    ] = None,
) -> None:
    """Show the activity feed; --follow streams new warnings and errors.

    People get a table, oldest row first; --json gives the array newest first,
    as claude.get_activity returns it (with --follow: one JSON object per line,
    oldest first).
    """
    state = state_of(ctx)
    client = state.client()
    filters = ActivityFilter(
        project_name=project_name(client, project),
        source_type=source_type,
        source_id=optional_uuid(source_id, "source_id"),
        actor=actor,
        activity_type=activity_type,
        severities=severities or None,
    )
    if follow:
        _follow(state, client, filters, parse_since(since), limit, follow_timeout)
        return
    rows = _activity_rows(client, filters, parse_since(since), limit)
    if state.json_output:
        view.emit_success(rows)
    elif rows:
        view.out.print(view.activity_table(list(reversed(rows))))
    else:
        view.print_empty("activity")


def _activity_rows(
    client: Client, filters: ActivityFilter, since: datetime | None, limit: int
) -> list[Activity]:
    return client.get_activity(
        project_name=filters.project_name,
        source_type=filters.source_type,
        source_id=filters.source_id,
        actor=filters.actor,
        activity_type=filters.activity_type,
        severities=filters.severities,
        since=since,
        max_rows=limit,
    )


def _print_activity(state: CliState, row: Activity) -> None:
    if state.json_output:
        view.emit_json(row)
    else:
        view.out.print(view.activity_line(row), soft_wrap=True)


def _notified_row(client: Client, payload: dict[str, Any]) -> Activity | None:
    """Read back the row a notification announces (its id, among the newest of its kind)."""
    try:
        wanted = UUID(str(payload["id"]))
        source_id = payload.get("source_id")
        rows = client.get_activity(
            project_name=payload.get("project_name"),
            source_type=payload.get("source_type"),
            source_id=UUID(str(source_id)) if source_id else None,
            activity_type=payload.get("activity_type"),
            severities=[str(payload["severity"])] if payload.get("severity") else None,
            max_rows=1000,
        )
    except (KeyError, ValueError):
        return None
    return next((row for row in rows if row.id == wanted), None)


def _follow(
    state: CliState,
    client: Client,
    filters: ActivityFilter,
    since: datetime | None,
    limit: int,
    timeout: float | None,
) -> None:
    import psycopg

    url = state.require_url()
    try:
        listener = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise _connection_error(exc) from exc
    try:
        # LISTEN before reading the latest rows: nothing committed in between is lost.
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        seen: set[UUID] = set()
        for row in reversed(_activity_rows(client, filters, since, limit)):
            seen.add(row.id)
            _print_activity(state, row)
        if not state.json_output:
            view.out.print(
                f"following {NOTIFY_CHANNEL} for new warning and error rows"
                + (f" for {timeout:g}s" if timeout is not None else " (Ctrl-C to stop)"),
                style="dim",
                soft_wrap=True,
            )
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            for notification in listener.notifies(timeout=remaining, stop_after=1):
                _on_notification(state, client, filters, notification.payload, seen)
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


def _on_notification(
    state: CliState,
    client: Client,
    filters: ActivityFilter,
    raw: str,
    seen: set[UUID],
) -> None:
    try:
        payload = json.loads(raw)
    except ValueError:
        return
    if not isinstance(payload, dict) or not filters.admits(payload):
        return
    row = _notified_row(client, payload)
    if row is None:
        if filters.actor is None:  # cannot tell the actor without the row
            if state.json_output:
                view.emit_json(payload)
            else:
                view.out.print(view.notification_line(payload), soft_wrap=True)
        return
    if row.id in seen or (filters.actor is not None and row.actor != filters.actor):
        return
    seen.add(row.id)
    _print_activity(state, row)


# ---------------------------------------------------------------- jobs


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


# ---------------------------------------------------------------- tokens and serve


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


@app.command("serve")
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
    """Serve the REST API (OpenAPI document at /openapi.json, docs at /docs)."""
    import uvicorn

    from buildtracker.api import create_app

    database_url = state_of(ctx).require_url()
    if insecure_no_auth:
        typer.secho(
            "WARNING: authentication is OFF (--insecure-no-auth). Anyone who can reach "
            f"{host}:{port} acts with the database login's rights. Development only.",
            fg=typer.colors.RED,
            bold=True,
            err=True,
        )
    uvicorn.run(create_app(database_url, authenticate=not insecure_no_auth), host=host, port=port)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="buildtracker")


if __name__ == "__main__":
    main()
