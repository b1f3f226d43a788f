"""Rendering for the ``buildtracker`` command: rich text for people, JSON for programs.

Nothing here decides anything: it only turns what the client returned (models,
results, exceptions) into lines, tables and JSON documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from buildtracker import contract
from buildtracker.errors import BuildTrackerError

if TYPE_CHECKING:  # annotations only; describe() imports what it tests at run time
    from buildtracker.models import (
        Activity,
        BuildTask,
        Comment,
        Component,
        Feature,
        FeatureCompletion,
        FeatureWithChildren,
        Identity,
        Project,
        Requirement,
        Result,
        SearchHit,
    )

# Both consoles look up sys.stdout / sys.stderr when they write, so test runners
# that swap the streams capture everything.
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

Names = Mapping[UUID, str]

STATUS_STYLES: dict[str, str] = {
    "not_started": "dim",
    "todo": "dim",
    "draft": "dim",
    "planned": "cyan",
    "defined": "cyan",
    "approved": "cyan",
    "in_progress": "blue",
    "review": "magenta",
    "implemented": "blue",
    "blocked": "yellow",
    "on_hold": "yellow",
    "completed": "green",
    "tested": "green",
    "documented": "green",
    "verified": "green",
    "cancelled": "red",
    "rejected": "red",
    "deprecated": "red",
}

SEVERITY_STYLES: dict[str, str] = {
    "info": "cyan",
    "success": "green",
    "warning": "yellow",
    "error": "bold red",
}


# ---------------------------------------------------------------- JSON


def emit_json(value: Any) -> None:
    """One document of the JSON contract on stdout (buildtracker.contract), on one line."""
    typer.echo(contract.dumps(value))


def emit_success(data: Any, warnings: Any = (), metadata: Any = None) -> None:
    """The success envelope around data (a row, rows, or a call's answer)."""
    emit_json(contract.success(data, warnings, metadata))


def emit_result(result: Result[Any]) -> None:
    """A write call's envelope."""
    emit_success(result.data, result.warnings, result.metadata)


# ---------------------------------------------------------------- errors and warnings


def report_error(exc: BuildTrackerError, *, as_json: bool) -> None:
    """The message and every failed check on stderr; with ``as_json`` the document on stdout."""
    line = Text("error: ", style="bold red")
    line.append(exc.message)
    err.print(line, soft_wrap=True)
    for item in exc.errors:
        entry = Text("  - ")
        if item.field:
            entry.append(f"{item.field}: ", style="bold")
        entry.append(item.message)
        err.print(entry, soft_wrap=True)
    if exc.hint:
        err.print(Text(f"hint: {exc.hint}", style="dim"), soft_wrap=True)
    if as_json:
        emit_json(contract.failure_of(exc))


def print_warnings(warnings: Iterable[str]) -> None:
    for warning in warnings:
        out.print(Text(f"warning: {warning}", style="yellow"), soft_wrap=True)


# ---------------------------------------------------------------- small pieces


def status_text(status: str | Enum | None) -> Text:
    value = "" if status is None else str(getattr(status, "value", status))
    return Text(value, style=STATUS_STYLES.get(value, ""))


def severity_text(severity: str | Enum) -> Text:
    value = str(getattr(severity, "value", severity))
    return Text(value, style=SEVERITY_STYLES.get(value, ""))


def when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def short_id(value: UUID) -> str:
    """The first 8 hex characters: what tables show, and a prefix every id argument accepts."""
    return str(value)[:8]


def name_of(names: Names, identity_id: UUID | None) -> str:
    if identity_id is None:
        return ""
    return names.get(identity_id, str(identity_id))


def number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def labels_text(labels: Sequence[str]) -> str:
    return ", ".join(labels)


def _plain(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(contract.jsonable(value))
    return str(value)


# ---------------------------------------------------------------- one-line descriptions


def describe(entity: Any, names: Names | None = None) -> Text:
    """A concise description of one row: kind, name, id, status and the key figures."""
    names = names or {}
    text = Text()
    from buildtracker.models import (
        BuildTask,
        Comment,
        Component,
        Feature,
        Identity,
        Project,
        Requirement,
    )

    if isinstance(entity, Project):
        text.append("project ")
        text.append(entity.project_name, style="bold")
        text.append(f"  id={entity.project_id}", style="dim")
    elif isinstance(entity, Identity):
        text.append("identity ")
        text.append(entity.identity_name, style="bold")
        text.append(f"  id={entity.identity_id}", style="dim")
    elif isinstance(entity, Feature):
        text.append("feature ")
        text.append(entity.feature_name, style="bold")
        text.append(" [")
        text.append_text(status_text(entity.status))
        text.append(f"] {entity.completion_percentage}%  priority {entity.priority}")
        if entity.labels:
            text.append(f"  labels {labels_text(entity.labels)}")
        text.append(f"  id={entity.feature_id}", style="dim")
    elif isinstance(entity, Component):
        text.append("component ")
        text.append(entity.component_name, style="bold")
        text.append(f" ({entity.component_type.value}) [")
        text.append_text(status_text(entity.status))
        text.append("]")
        if entity.file_path:
            text.append(f"  {entity.file_path}")
        text.append(f"  id={entity.component_id}", style="dim")
    elif isinstance(entity, BuildTask):
        text.append("task ")
        text.append(entity.task_name, style="bold")
        text.append(" [")
        text.append_text(status_text(entity.status))
        text.append(f"]  priority {entity.priority}")
        if entity.assigned_to_identity_id:
            text.append(f"  assignee {name_of(names, entity.assigned_to_identity_id)}")
        if entity.lease_expires_at:
            text.append(f"  lease until {when(entity.lease_expires_at)}")
        if entity.labels:
            text.append(f"  labels {labels_text(entity.labels)}")
        if entity.blocked_reason:
            text.append(f"  blocked: {entity.blocked_reason}", style="yellow")
        text.append(f"  id={entity.task_id}", style="dim")
    elif isinstance(entity, Requirement):
        text.append("requirement ")
        text.append(entity.requirement_name, style="bold")
        text.append(" [")
        text.append_text(status_text(entity.status))
        text.append("]")
        if entity.must_have:
            text.append("  must-have")
        text.append(f"  {len(entity.acceptance_criteria)} criteria")
        text.append(f"  id={entity.requirement_id}", style="dim")
    elif isinstance(entity, Comment):
        about = entity.entity_type.value.replace("build_task", "task")
        text.append(f"comment on {about} {short_id(entity.entity_id)}")
        if entity.actor:
            text.append(f" by {entity.actor}")
        text.append(f": {entity.body}")
        text.append(f"  id={entity.comment_id}", style="dim")
    else:
        text.append(_plain(contract.jsonable(entity)))
    return text


def print_result(verb: str, result: Result[Any], names: Names | None = None) -> None:
    """``<verb> <entity>``, the call's metadata, then its warnings in yellow."""
    line = Text(f"{verb} ", style="green")
    line.append_text(describe(result.data, names))
    out.print(line, soft_wrap=True)
    if result.metadata:
        figures = "  ".join(f"{k}={_plain(v)}" for k, v in result.metadata.items())
        out.print(Text(f"  {figures}", style="dim"), soft_wrap=True)
    print_warnings(result.warnings)


def print_empty(what: str) -> None:
    out.print(Text(f"no {what}", style="dim"), soft_wrap=True)


# ---------------------------------------------------------------- tables


def projects_table(projects: Sequence[Project]) -> Table:
    table = Table(title="Projects", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("created")
    for p in projects:
        table.add_row(short_id(p.project_id), p.project_name, when(p.created_at))
    return table


def identities_table(identities: Sequence[Identity]) -> Table:
    table = Table(title="Identities", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("created")
    for i in identities:
        table.add_row(short_id(i.identity_id), i.identity_name, when(i.created_at))
    return table


def features_table(features: Sequence[Feature]) -> Table:
    table = Table(title="Features", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("type")
    table.add_column("status")
    table.add_column("prio", justify="right")
    table.add_column("done", justify="right")
    table.add_column("labels")
    for f in features:
        table.add_row(
            short_id(f.feature_id),
            f.feature_name,
            f.feature_type.value,
            status_text(f.status),
            str(f.priority),
            f"{f.completion_percentage}%",
            labels_text(f.labels),
        )
    return table


def components_table(components: Sequence[Component]) -> Table:
    table = Table(title="Components", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("type")
    table.add_column("status")
    table.add_column("functions")
    table.add_column("tests")
    table.add_column("coverage", justify="right")
    table.add_column("file")
    for c in components:
        functions = c.actual_functions or c.planned_functions
        table.add_row(
            short_id(c.component_id),
            c.component_name,
            c.component_type.value,
            status_text(c.status),
            ", ".join(functions),
            "yes" if c.has_tests else "no",
            "" if c.test_coverage_percentage is None else f"{number(c.test_coverage_percentage)}%",
            c.file_path or "",
        )
    return table


def tasks_table(tasks: Sequence[BuildTask], names: Names, title: str = "Tasks") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("type")
    table.add_column("status")
    table.add_column("prio", justify="right")
    table.add_column("assignee")
    table.add_column("blocked by", no_wrap=True)
    table.add_column("hours", justify="right")
    table.add_column("labels")
    for t in tasks:
        hours = number(t.estimated_hours)
        if t.actual_hours is not None:
            hours = f"{number(t.actual_hours)}/{hours or '-'}"
        table.add_row(
            short_id(t.task_id),
            t.task_name,
            t.task_type.value,
            status_text(t.status),
            str(t.priority),
            name_of(names, t.assigned_to_identity_id),
            str(t.blocked_by_task_id)[:8] if t.blocked_by_task_id else "",
            hours,
            labels_text(t.labels),
        )
    return table


def requirements_table(requirements: Sequence[Requirement]) -> Table:
    table = Table(title="Requirements", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("type")
    table.add_column("status")
    table.add_column("must")
    table.add_column("criteria", justify="right")
    table.add_column("implemented by", no_wrap=True)
    table.add_column("verified")
    for r in requirements:
        table.add_row(
            short_id(r.requirement_id),
            r.requirement_name,
            r.requirement_type.value,
            status_text(r.status),
            "yes" if r.must_have else "",
            str(len(r.acceptance_criteria)),
            str(r.implemented_by_component_id)[:8] if r.implemented_by_component_id else "",
            when(r.verified_at),
        )
    return table


def activity_table(rows: Sequence[Activity]) -> Table:
    """Activity rows in the order given (callers pass them oldest first)."""
    table = Table(title="Activity", title_justify="left")
    table.add_column("time", no_wrap=True)
    table.add_column("severity")
    table.add_column("type")
    table.add_column("source")
    table.add_column("what")
    table.add_column("actor")
    for a in rows:
        what = Text(a.title, style="bold")
        if a.summary:
            what.append("\n")
            what.append(a.summary, style="dim")
        table.add_row(
            when(a.created_at),
            severity_text(a.severity),
            a.activity_type.value,
            a.source_type.value,
            what,
            a.actor or "",
        )
    return table


def comments_table(comments: Sequence[Comment]) -> Table:
    """Comments in the order given (newest first, as get_comments answers)."""
    table = Table(title="Comments", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("time", no_wrap=True)
    table.add_column("actor")
    table.add_column("comment")
    for c in comments:
        table.add_row(short_id(c.comment_id), when(c.created_at), c.actor or "", c.body)
    return table


def marked(snippet: str) -> Text:
    """A search snippet with its **hits** in bold (the markers dropped)."""
    text = Text()
    for index, part in enumerate(snippet.split("**")):
        text.append(part, style="bold" if index % 2 else "")
    return text


def search_table(hits: Sequence[SearchHit]) -> Table:
    """Search hits, best first (as search answers)."""
    table = Table(title="Search", title_justify="left")
    table.add_column("type")
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("match")
    table.add_column("rank", justify="right")
    for h in hits:
        kind = h.entity_type.value.replace("build_task", "task")
        table.add_row(kind, short_id(h.entity_id), h.title, marked(h.snippet), f"{h.rank:.3f}")
    return table


def activity_line(row: Activity) -> Text:
    """One activity row on one line (the ``--follow`` stream)."""
    line = Text(f"{when(row.created_at)}  ")
    line.append_text(severity_text(row.severity))
    line.append(f"  {row.activity_type.value}  {row.source_type.value}  ")
    line.append(row.title, style="bold")
    if row.summary:
        line.append(f" - {row.summary}", style="dim")
    if row.project_name:
        line.append(f"  [{row.project_name}]")
    if row.actor:
        line.append(f"  by {row.actor}")
    return line


def notification_line(payload: Mapping[str, Any]) -> Text:
    """A notification whose row could not be read back: what the payload says."""
    line = Text("notified  ")
    line.append_text(severity_text(str(payload.get("severity", ""))))
    line.append(f"  {payload.get('activity_type', '')}  {payload.get('source_type', '')}  ")
    line.append(str(payload.get("title", "")), style="bold")
    if payload.get("project_name"):
        line.append(f"  [{payload['project_name']}]")
    return line


# ---------------------------------------------------------------- composite views


def feature_detail(detail: FeatureWithChildren, names: Names) -> None:
    """``feature show``: the feature's fields, then its components, tasks and requirements."""
    f = detail.feature
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    header.add_row("feature", Text(f.feature_name, style="bold"))
    header.add_row("id", str(f.feature_id))
    header.add_row("project id", str(f.project_id))
    header.add_row("type", f.feature_type.value)
    header.add_row("status", status_text(f.status))
    header.add_row("priority", str(f.priority))
    header.add_row("completion", f"{f.completion_percentage}%")
    optional: list[tuple[str, str]] = [
        ("parent", str(f.parent_feature_id) if f.parent_feature_id else ""),
        ("description", f.description or ""),
        ("planned by", name_of(names, f.planned_by_identity_id)),
        ("planned", when(f.planned_date)),
        ("implemented by", name_of(names, f.implemented_by_identity_id)),
        ("started", when(f.started_date)),
        ("completed", when(f.completed_date)),
        ("design doc", f.design_doc_path or ""),
        ("notes", f.implementation_notes or ""),
        ("blocked reason", f.blocked_reason or ""),
        ("cancellation", f.cancellation_reason or ""),
    ]
    for label, value in optional:
        if value:
            header.add_row(label, value)
    out.print(header)
    sections: list[tuple[str, Table | None]] = [
        ("components", components_table(detail.components) if detail.components else None),
        ("tasks", tasks_table(detail.tasks, names) if detail.tasks else None),
        ("requirements", requirements_table(detail.requirements) if detail.requirements else None),
    ]
    for title, table in sections:
        out.print()
        if table is None:
            print_empty(title)
        else:
            out.print(table)


def completion_view(c: FeatureCompletion) -> None:
    """``feature completion``: percentage, counts per child kind, the gate's verdict."""
    line = Text("feature ")
    line.append(c.feature_name, style="bold")
    line.append(" [")
    line.append_text(status_text(c.status))
    line.append(f"] {c.completion_percentage}% complete")
    out.print(line, soft_wrap=True)
    table = Table(title="Completion", title_justify="left")
    table.add_column("children")
    table.add_column("counts")
    for label, counts in (
        ("components", c.components),
        ("tasks", c.tasks),
        ("requirements", c.requirements),
        ("child features", c.child_features),
    ):
        table.add_row(label, "  ".join(f"{k} {v}" for k, v in counts.items()))
    out.print(table)
    if c.can_complete:
        out.print(Text("completion gate: passes", style="green"), soft_wrap=True)
    else:
        out.print(Text("completion gate: refused", style="yellow"), soft_wrap=True)
        for check in c.checks:
            out.print(Text(f"  - {check}", style="yellow"), soft_wrap=True)


def jobs_view(summary: Mapping[str, Any]) -> None:
    """``jobs run``: what each job found and how many new findings it logged."""
    table = Table(title="Background jobs", title_justify="left")
    table.add_column("job")
    table.add_column("found", justify="right")
    table.add_column("newly logged", justify="right")
    for key, value in summary.items():
        if isinstance(value, Mapping):
            table.add_row(
                key.replace("_", " "), _plain(value.get("found")), _plain(value.get("logged"))
            )
    out.print(table)
    if "ran_at" in summary:
        out.print(Text(f"ran at {summary['ran_at']}", style="dim"), soft_wrap=True)


def rows_table(rows: Sequence[Any], title: str) -> Table:
    """Any rows (dataclasses or mappings) as a table, a column per field."""
    plain = [contract.jsonable(r) for r in rows]
    table = Table(title=title, title_justify="left")
    columns = list(plain[0]) if plain else []
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in plain:
        table.add_row(*(_plain(row.get(c)) for c in columns))
    return table


def gate_view(gate: Any) -> None:
    """``feature gate``: whether the feature may complete, and every failing check."""
    verdict = Text("can complete" if gate.can_complete else "cannot complete yet")
    verdict.stylize("green" if gate.can_complete else "yellow")
    out.print(verdict)
    for check in gate.checks:
        out.print(Text(f"  - {check}"), soft_wrap=True)
