"""``buildtracker feature``: features and their workflow."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import (
    FeatureIdArg,
    LabelsOpt,
    LimitOpt,
    NewLabelsOpt,
    SetOpt,
    choices,
    identity_id,
    optional_labels,
    optional_uuid,
    parse_update,
    parse_uuid,
    project_id,
)
from buildtracker.cli.core import (
    GROUPS,
    client_of,
    command_group,
    identity_names,
    show_list,
    show_result,
    show_row,
    state_of,
)
from buildtracker.cli.view import view
from buildtracker.enums import FeatureStatus, FeatureType

feature_app = command_group(help=GROUPS["feature"].help, no_args_is_help=True)


@feature_app.command("add")
def feature_add(
    ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", help="Project name or UUID.")],
    name: Annotated[str, typer.Option("--name", help="Feature name (at least 5 characters).")],
    feature_type: Annotated[str, typer.Option("--type", help=f"One of: {choices(FeatureType)}.")],
    description: Annotated[str | None, typer.Option("--description")] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="1 (highest) to 10.")] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="Parent feature UUID.")] = None,
    planned_by: Annotated[
        str | None, typer.Option("--planned-by", help="Identity name or UUID.")
    ] = None,
    design_doc: Annotated[str | None, typer.Option("--design-doc", help="Design doc path.")] = None,
    labels: LabelsOpt = None,
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
        labels=optional_labels(labels),
    )
    show_result(ctx, "created", result)


@feature_app.command("list")
def feature_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of: {choices(FeatureStatus)}.")
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
def feature_show(
    ctx: typer.Context,
    feature: FeatureIdArg,
    row: Annotated[
        bool, typer.Option("--row", help="Only the feature's own row (get_feature), no children.")
    ] = False,
) -> None:
    """Show a feature with its components, tasks and requirements."""
    client = client_of(ctx)
    feature_id = parse_uuid(feature, "feature_id")
    if row:
        show_row(ctx, client.get_feature(feature_id), view.features_table)
        return
    detail = client.get_feature_with_children(feature_id)
    if state_of(ctx).json_output:
        view.emit_success(detail)
    else:
        view.feature_detail(detail, identity_names(client))


@feature_app.command("gate")
def feature_gate(ctx: typer.Context, feature: FeatureIdArg) -> None:
    """Whether the feature may complete, with every failing check (can_complete_feature)."""
    gate = client_of(ctx).can_complete_feature(parse_uuid(feature, "feature_id"))
    if state_of(ctx).json_output:
        view.emit_success(gate)
    else:
        view.gate_view(gate)


@feature_app.command("status")
def feature_status(
    ctx: typer.Context,
    feature: FeatureIdArg,
    new_status: Annotated[
        str, typer.Argument(metavar="NEW_STATUS", help=f"One of: {choices(FeatureStatus)}.")
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
    pairs: SetOpt = None,
    labels: NewLabelsOpt = None,
) -> None:
    """Edit non-status fields of a feature (name, description, priority, labels, ...)."""
    changes = parse_update(pairs, labels)
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
def feature_delete(
    ctx: typer.Context,
    feature: FeatureIdArg,
    force: Annotated[
        bool,
        typer.Option("--force", help="Delete a completed feature too (the owner role only)."),
    ] = False,
) -> None:
    """Delete a feature with its components, tasks and requirements (a completed one
    only with --force, as the owner)."""
    result = client_of(ctx).delete_feature(parse_uuid(feature, "feature_id"), force=force or None)
    show_result(ctx, "deleted", result)
