"""``buildtracker export`` and ``buildtracker import``: JSON Lines in and out (SPEC section 10).

``export`` writes the lines of ``claude.export_records`` exactly as returned,
one a line. ``import`` reads such a file and loads it with one
``claude.import_records`` call (one transaction: all or nothing); a line that
is not JSON is reported, with its number, before anything is sent. ``import
--from beads`` maps a beads ``issues.jsonl`` instead (:mod:`buildtracker.beads`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from buildtracker.cli.core import state_of
from buildtracker.cli.view import view
from buildtracker.errors import BuildTrackerError, ErrorItem, ValidationError

FORMATS = ("buildtracker", "beads")


def export(
    ctx: typer.Context,
    project: Annotated[
        str | None,
        typer.Option("--project", help="Only this project (name or UUID), with every identity."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the lines to this file instead of stdout."),
    ] = None,
) -> None:
    """Write the database (or one project) as JSON Lines: one entity a line, ids kept,
    the feed and comments included. `buildtracker import` loads it again."""
    state = state_of(ctx)
    client = state.client()
    project_id = client.resolve_id("project", project) if project is not None else None
    lines = client.export_records(project_id)
    text = "".join(f"{line}\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    output.write_text(text, encoding="utf-8", newline="\n")
    if state.json_output:
        view.emit_success({"lines": len(lines), "output": str(output)})
    else:
        typer.echo(f"exported {len(lines)} lines to {output}")


def import_file(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="A file of JSON Lines (`buildtracker export`), or - for stdin."),
    ],
    source: Annotated[
        str,
        typer.Option("--from", help="The file's format: buildtracker (an export) or beads."),
    ] = "buildtracker",
    project: Annotated[
        str | None,
        typer.Option(
            "--project", help="--from beads: the project to import into (created if missing)."
        ),
    ] = None,
) -> None:
    """Load JSON Lines in one transaction: all or nothing, every refused line reported.

    An export needs the owner role (ids, times and statuses are kept as they
    were). --from beads maps a beads .beads/issues.jsonl into a project
    through the workflow functions (docs/decisions.md, "Importing from beads").
    """
    state = state_of(ctx)
    if source not in FORMATS:
        raise ValidationError(
            f"--from must be one of {', '.join(FORMATS)}",
            errors=(ErrorItem("--from", f'"{source}" is not a known format', "22023"),),
        )
    lines = _read_lines(file)
    if source == "beads":
        _import_beads(ctx, lines, project)
        return
    if project is not None:
        raise ValidationError(
            "--project is for --from beads: an export names its own projects",
            errors=(ErrorItem("--project", "only with --from beads", "22023"),),
        )
    numbers, records = parse_json_lines(lines)
    client = state.client()
    try:
        summary = client.import_records(records, actor=state.actor)
    except BuildTrackerError as exc:
        raise renumbered(exc, numbers) from exc
    if state.json_output:
        view.emit_success(summary)
        return
    imported = summary.get("imported") or {}
    counts = ", ".join(f"{table} {count}" for table, count in imported.items())
    typer.echo(
        f"imported {summary.get('lines', len(records))} lines" + (f": {counts}" if counts else "")
    )


def _read_lines(file: Path) -> list[str]:
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"cannot read {file}: {exc}",
            errors=(ErrorItem("file", str(exc), "58030"),),
        ) from exc
    return text.splitlines()


def parse_json_lines(lines: Sequence[str]) -> tuple[list[int], list[Any]]:
    """The JSON value of every non-blank line, and each one's line number in the file.
    Every line that is not JSON is reported at once (ValidationError, field "line N"),
    before anything reaches the database."""
    numbers: list[int] = []
    values: list[Any] = []
    bad: list[ErrorItem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except ValueError as exc:
            bad.append(ErrorItem(f"line {number}", f"not valid JSON: {exc}", "22P02"))
            continue
        numbers.append(number)
    if bad:
        raise ValidationError(
            f"cannot import: {len(bad)} line(s) are not valid JSON",
            sqlstate="22P02",
            errors=tuple(bad),
            hint="Nothing was imported; fix the lines named and import the file again.",
        )
    return numbers, values


_LINE_FIELD = re.compile(r"line (\d+)")


def renumbered(exc: BuildTrackerError, numbers: Sequence[int]) -> BuildTrackerError:
    """The import's refusal with each "line N" (the Nth record sent) as the file's line
    number (blank lines are not sent)."""

    def file_line(item: ErrorItem) -> ErrorItem:
        match = _LINE_FIELD.fullmatch(item.field or "")
        if match is None or not 1 <= int(match.group(1)) <= len(numbers):
            return item
        return replace(item, field=f"line {numbers[int(match.group(1)) - 1]}")

    exc.errors = tuple(file_line(item) for item in exc.errors)
    return exc


def _import_beads(ctx: typer.Context, lines: list[str], project: str | None) -> None:
    from buildtracker import beads

    state = state_of(ctx)
    if project is None:
        raise ValidationError(
            "--from beads needs --project NAME: the project to import into",
            errors=(ErrorItem("--project", "required with --from beads", "23502"),),
        )
    client = state.client()
    report = beads.import_beads(client, lines, project, actor=state.actor)
    if state.json_output:
        view.emit_success(report.to_json())
        return
    typer.echo(
        f"imported {report.tasks} tasks and {report.features} features from beads into project"
        f" {report.project_name}"
        + (" (created)" if report.project_created else "")
        + f": {report.dependencies} dependencies, {report.comments} comments"
    )
    for status, count in sorted(report.statuses.items()):
        typer.echo(f"  {status}: {count}")
    for skipped in report.skipped:
        typer.echo(f"  skipped line {skipped.line} ({skipped.beads_id}): {skipped.reason}")
