"""Argument helpers shared by the command groups: ids and names, durations, ``--set``."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, cast, overload
from uuid import UUID

import typer

from buildtracker.cli.core import click_state
from buildtracker.errors import ErrorItem, ValidationError
from buildtracker.ids import ENTITY_OF_FIELD, whole_uuid

if TYPE_CHECKING:  # imported when a command first needs the database: --help stays fast
    from buildtracker.client import Client


# ---------------------------------------------------------------- argument helpers


def choices(enum: Any) -> str:
    """An enum's values, for help texts ("One of: ...")."""
    return ", ".join(member.value for member in enum)


# Arguments that name an entity, and the entity claude.resolve_id looks them up
# in: the id fields, and the options named without their _id.
_ENTITY_OF_ARGUMENT = {
    **ENTITY_OF_FIELD,
    "blocked_by": "build_task",
    "parent": "feature",
    "project": "project",
    "identity": "identity",
}


def parse_uuid(value: str, field_name: str) -> UUID:
    """An id argument: a whole UUID, or, for an entity, what claude.resolve_id
    accepts (a unique prefix of at least 8 hex characters; a project or
    identity name). Not found is exit 5, ambiguous or malformed exit 3."""
    as_uuid = whole_uuid(value)
    if as_uuid is not None:
        return as_uuid
    entity = _ENTITY_OF_ARGUMENT.get(field_name)
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


@overload
def project_id(client: Client, value: str, field_name: str = ...) -> UUID: ...
@overload
def project_id(client: Client, value: str | None, field_name: str = ...) -> UUID | None: ...
def project_id(client: Client, value: str | None, field_name: str = "project") -> UUID | None:
    """A project given by name, id or id prefix (claude.resolve_id; unknown: exit 5)."""
    if value is None:
        return None
    return whole_uuid(value) or client.resolve_id("project", value)


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
    return whole_uuid(value) or client.resolve_id("identity", value)


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


def optional_lease(value: str | None) -> timedelta | None:
    """``--lease``: a duration such as 30m, 2h or 1h30m (None: the database's default)."""
    return None if value is None else parse_duration(value, "lease")


def optional_labels(values: Sequence[str] | None) -> list[str] | None:
    """``--label`` given any number of times: the list, or None when not given."""
    return list(values) if values else None


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


# The --set KEY=VALUE pairs of every update command (parse_changes reads them).
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="KEY=VALUE",
        help="A field to change; the value is parsed as JSON when it is valid JSON.",
    ),
]


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


def parse_update(pairs: Sequence[str] | None, labels: Sequence[str] | None) -> dict[str, Any]:
    """The ``changes`` of an update command: its ``--set`` pairs, and ``--label``
    (the new labels) as ``labels``; at least one of the two."""
    changes = parse_changes(pairs or []) if pairs or not labels else {}
    if labels:
        changes["labels"] = list(labels)
    return changes


# ---------------------------------------------------------------- shared arguments and options

LimitOpt = Annotated[int, typer.Option("--limit", min=0, help="At most this many rows.")]

FeatureIdArg = Annotated[
    str,
    typer.Argument(
        metavar="FEATURE_ID",
        help="The feature's id, or a unique prefix of at least 8 hex characters.",
    ),
]

# --label, repeatable: what a task or feature carries, or the labels a task must all carry
LabelsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--label",
        metavar="LABEL",
        help="A label (repeatable): lower-case a-z 0-9 : _ . -, at most 50 characters.",
    ),
]

# --label on the ready queue and the claim: the labels a task must all carry
LabelFilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--label", metavar="LABEL", help="Only tasks carrying it (repeatable: all of them)."
    ),
]

# --label on the update commands: the new labels, all of them
NewLabelsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--label",
        metavar="LABEL",
        help="The labels become exactly these (repeatable); --set labels=[] clears them.",
    ),
]

LeaseOpt = Annotated[
    str | None,
    typer.Option(
        "--lease",
        metavar="DURATION",
        help="How long the task is held without a heartbeat: 30m, 2h, 1h30m (default 30m).",
    ),
]
