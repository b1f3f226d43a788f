"""``buildtracker task``: build tasks and the ready queue."""

from __future__ import annotations

from typing import Annotated

import typer

from buildtracker.cli.args import (
    LabelFilterOpt,
    LabelsOpt,
    LeaseOpt,
    LimitOpt,
    NewLabelsOpt,
    SetOpt,
    choices,
    identity_id,
    numeric,
    optional_labels,
    optional_lease,
    optional_numeric,
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
from buildtracker.enums import TaskStatus, TaskType

task_app = command_group(help=GROUPS["task"].help, no_args_is_help=True)


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
    task_type: Annotated[str, typer.Option("--type", help=f"One of: {choices(TaskType)}.")],
    component: Annotated[str | None, typer.Option("--component", help="Component UUID.")] = None,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    priority: Annotated[int | None, typer.Option("--priority", help="1 (highest) to 10.")] = None,
    estimate: Annotated[float | None, typer.Option("--estimate", help="Estimated hours.")] = None,
    assign: Annotated[str | None, typer.Option("--assign", help="Identity name or UUID.")] = None,
    blocked_by: Annotated[
        str | None, typer.Option("--blocked-by", help="UUID of the task this one waits for.")
    ] = None,
    labels: LabelsOpt = None,
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
        labels=optional_labels(labels),
    )
    show_result(ctx, "created", result, names=True)


@task_app.command("list")
def task_list(
    ctx: typer.Context,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of: {choices(TaskStatus)}.")
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


@task_app.command("context")
def task_context(
    ctx: typer.Context,
    task: TaskIdArg,
    comments: Annotated[
        int | None,
        typer.Option("--comments", min=0, max=100, help="At most this many latest comments."),
    ] = None,
) -> None:
    """One task with what an agent needs to work it: its feature and project, what it
    depends on, what depends on it, and the latest comments."""
    client = client_of(ctx)
    found = client.get_task_context(parse_uuid(task, "task_id"), comments)
    if state_of(ctx).json_output:
        view.emit_success(found)
        return
    names = identity_names(client)
    view.out.print(view.tasks_table([found.task], names, title="Task"))
    typer.echo(f"feature: {found.feature_name or ''}   project: {found.project_name or ''}")
    for title, links in (("depends on", found.depends_on), ("dependents", found.dependents)):
        typer.echo(f"{title}:" if links else f"{title}: none")
        for link in links:
            typer.echo(
                f"  {view.short_id(link.task_id)}  {link.kind:<15} {link.status:<11} {link.task_name}"
            )
    if found.comments:
        view.out.print(view.comments_table(found.comments))
    else:
        view.print_empty("comments")


@task_app.command("update")
def task_update(
    ctx: typer.Context,
    task: TaskIdArg,
    pairs: SetOpt = None,
    labels: NewLabelsOpt = None,
) -> None:
    """Edit non-status fields of a task (name, description, priority, assignee, labels, ...)."""
    changes = parse_update(pairs, labels)
    result = client_of(ctx).update_task(parse_uuid(task, "task_id"), changes)
    show_result(ctx, "updated", result, names=True)


@task_app.command("ready")
def task_ready(
    ctx: typer.Context,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    component: Annotated[str | None, typer.Option("--component", help="Component UUID.")] = None,
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0)] = None,
    labels: LabelFilterOpt = None,
) -> None:
    """The ready queue: todo tasks whose blockers are done, by priority then age."""
    client = client_of(ctx)
    rows = client.get_ready_tasks(
        feature_id=optional_uuid(feature, "feature_id"),
        component_id=optional_uuid(component, "component_id"),
        project_id=project_id(client, project),
        max_rows=limit,
        labels=optional_labels(labels),
    )
    names = identity_names(client) if rows and not state_of(ctx).json_output else {}
    show_list(ctx, rows, lambda r: view.tasks_table(r, names, "Ready tasks"), "ready tasks")


@task_app.command("claim")
def task_claim(
    ctx: typer.Context,
    identity: Annotated[str, typer.Option("--identity", help="Who claims: name or UUID.")],
    project: Annotated[str | None, typer.Option("--project", help="Project name or UUID.")] = None,
    feature: Annotated[str | None, typer.Option("--feature", help="Feature UUID.")] = None,
    labels: LabelFilterOpt = None,
    lease: LeaseOpt = None,
) -> None:
    """Atomically take the highest-priority ready task (or one whose lease expired) and start it,
    held for the lease: keep it with `task heartbeat`."""
    client = client_of(ctx)
    result = client.claim_next_task(
        identity_id=identity_id(client, identity),
        project_id=project_id(client, project),
        feature_id=optional_uuid(feature, "feature_id"),
        labels=optional_labels(labels),
        lease=optional_lease(lease),
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
    reassign: Annotated[
        bool,
        typer.Option("--reassign", help="Take over a task assigned to another identity."),
    ] = False,
) -> None:
    """Start a todo task (another identity's task only with --reassign)."""
    client = client_of(ctx)
    result = client.start_task(
        parse_uuid(task, "task_id"),
        identity_id=identity_id(client, identity),
        reassign=reassign or None,
    )
    show_result(ctx, "started", result, names=True)


@task_app.command("heartbeat")
def task_heartbeat(
    ctx: typer.Context,
    task: TaskIdArg,
    identity: Annotated[str, typer.Option("--identity", help="The holder: name or UUID.")],
    lease: LeaseOpt = None,
) -> None:
    """Extend the holder's lease on an in_progress task to now + the lease (default 30m)."""
    client = client_of(ctx)
    result = client.heartbeat_task(
        parse_uuid(task, "task_id"), identity_id(client, identity), optional_lease(lease)
    )
    show_result(ctx, "lease extended", result, names=True)


@task_app.command("release")
def task_release(
    ctx: typer.Context,
    task: TaskIdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the work is given back.")],
) -> None:
    """Give an in_progress task back: todo again, unassigned, ready for someone else."""
    result = client_of(ctx).release_task(parse_uuid(task, "task_id"), reason)
    show_result(ctx, "released", result, names=True)


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


# ---------------------------------------------------------------- dependencies

dep_app = typer.Typer(
    help="Typed dependencies between tasks: blocks, related, discovered_from.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
task_app.add_typer(dep_app, name="dep")

DependsOnArg = Annotated[
    str,
    typer.Argument(metavar="DEPENDS_ON", help="The task it depends on (id or 8+ hex prefix)."),
]


@dep_app.command("add")
def dep_add(
    ctx: typer.Context,
    task: TaskIdArg,
    depends_on: DependsOnArg,
    kind: Annotated[
        str, typer.Option("--kind", help="blocks (default), related or discovered_from.")
    ] = "blocks",
) -> None:
    """TASK depends on DEPENDS_ON; a blocks edge keeps TASK from starting until it is done."""
    result = client_of(ctx).add_dependency(
        parse_uuid(task, "task_id"), parse_uuid(depends_on, "depends_on_task_id"), kind
    )
    if state_of(ctx).json_output:
        view.emit_result(result)
    else:
        edge = result.data
        typer.echo(
            f"{view.short_id(edge.task_id)} {edge.kind} on {view.short_id(edge.depends_on_task_id)}"
        )


@dep_app.command("rm")
def dep_rm(ctx: typer.Context, task: TaskIdArg, depends_on: DependsOnArg) -> None:
    """Remove TASK's dependency on DEPENDS_ON."""
    result = client_of(ctx).remove_dependency(
        parse_uuid(task, "task_id"), parse_uuid(depends_on, "depends_on_task_id")
    )
    if state_of(ctx).json_output:
        view.emit_result(result)
    else:
        edge = result.data
        typer.echo(
            f"removed: {view.short_id(edge.task_id)} {edge.kind} on {view.short_id(edge.depends_on_task_id)}"
        )


@dep_app.command("list")
def dep_list(ctx: typer.Context, task: TaskIdArg) -> None:
    """What TASK depends on, and what depends on it."""
    deps = client_of(ctx).get_task_dependencies(parse_uuid(task, "task_id"))
    if state_of(ctx).json_output:
        view.emit_success(deps)
        return
    for title, links in (("depends on", deps.depends_on), ("dependents", deps.dependents)):
        typer.echo(f"{title}:" if links else f"{title}: none")
        for link in links:
            typer.echo(
                f"  {view.short_id(link.task_id)}  {link.kind:<15} {link.status:<11} {link.task_name}"
            )
