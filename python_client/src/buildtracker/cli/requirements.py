"""``buildtracker requirement``: requirements of a feature."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import (
    FeatureIdArg,
    LimitOpt,
    SetOpt,
    choices,
    identity_id,
    optional_uuid,
    parse_changes,
    parse_uuid,
)
from buildtracker.cli.core import GROUPS, client_of, command_group, show_list, show_result, show_row
from buildtracker.cli.view import view
from buildtracker.enums import RequirementStatus, RequirementType

requirement_app = command_group(help=GROUPS["requirement"].help, no_args_is_help=True)


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
        str, typer.Option("--type", help=f"One of: {choices(RequirementType)}.")
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
        str | None, typer.Option("--status", help=f"One of: {choices(RequirementStatus)}.")
    ] = None,
    limit: LimitOpt = 50,
) -> None:
    """List requirements, oldest first."""
    rows = client_of(ctx).list_requirements(
        feature_id=optional_uuid(feature, "feature_id"), status=status, max_rows=limit
    )
    show_list(ctx, rows, view.requirements_table, "requirements")


@requirement_app.command("show")
def requirement_show(ctx: typer.Context, requirement: RequirementIdArg) -> None:
    """Show one requirement."""
    row = client_of(ctx).get_requirement(parse_uuid(requirement, "requirement_id"))
    show_row(ctx, row, view.requirements_table)


@requirement_app.command("update")
def requirement_update(
    ctx: typer.Context,
    requirement: RequirementIdArg,
    pairs: SetOpt = None,
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
        str, typer.Argument(metavar="NEW_STATUS", help=f"One of: {choices(RequirementStatus)}.")
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
