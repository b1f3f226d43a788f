"""``buildtracker component``: components of a feature."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import (
    FeatureIdArg,
    LimitOpt,
    SetOpt,
    choices,
    optional_numeric,
    optional_uuid,
    parse_changes,
    parse_uuid,
)
from buildtracker.cli.core import GROUPS, client_of, command_group, show_list, show_result, show_row
from buildtracker.cli.view import view
from buildtracker.enums import ComponentStatus, ComponentType

component_app = command_group(help=GROUPS["component"].help, no_args_is_help=True)


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
        str, typer.Option("--type", help=f"One of: {choices(ComponentType)}.")
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
        str | None, typer.Option("--status", help=f"One of: {choices(ComponentStatus)}.")
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
    pairs: SetOpt = None,
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
        str, typer.Argument(metavar="NEW_STATUS", help=f"One of: {choices(ComponentStatus)}.")
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
