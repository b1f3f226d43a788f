"""The one JSON contract of every surface (CLI ``--json``, REST, MCP).

Success is the SQL functions' envelope::

    {"success": true, "data": ..., "validation": {"errors": [], "warnings": [...]}, "metadata": {...}}

(lists and reads too: ``data`` holds the rows or the row). Failure is::

    {"success": false, "error": {"sqlstate": ..., "message": ..., "hint": ...,
                                 "errors": [{"field", "message", "code", "entity_id"}, ...]}}

``dumps`` writes both the same way on every surface (compact, UTF-8), so the
same failure is the same bytes from the CLI and from REST. This module imports
nothing heavy: the CLI's usage errors are rendered without psycopg or rich.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol
from uuid import UUID


class ErrorLike(Protocol):
    """What a failure carries (buildtracker.errors.BuildTrackerError has these)."""

    sqlstate: str | None
    message: str
    hint: str | None

    @property
    def errors(self) -> Iterable[Any]: ...


def jsonable(value: Any) -> Any:
    """Plain JSON values for models, results, UUIDs, timestamps, decimals and enums."""
    if hasattr(value, "to_json") and callable(value.to_json):
        return jsonable(value.to_json())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def success(
    data: Any, warnings: Iterable[str] = (), metadata: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The success envelope around data (a row, rows, or a call's answer)."""
    return {
        "success": True,
        "data": jsonable(data),
        "validation": {"errors": [], "warnings": list(warnings)},
        "metadata": jsonable(dict(metadata or {})),
    }


def error_item(
    field: str | None, message: str, code: str | None = None, entity_id: str | None = None
) -> dict[str, Any]:
    """One failed check: its field, message, SQLSTATE and the entity at fault (or null)."""
    return {"field": field, "message": message, "code": code, "entity_id": entity_id}


def failure(
    sqlstate: str | None,
    message: str,
    errors: Iterable[Mapping[str, Any]] = (),
    hint: str | None = None,
) -> dict[str, Any]:
    """The failure document."""
    return {
        "success": False,
        "error": {
            "sqlstate": sqlstate,
            "message": message,
            "errors": [
                error_item(e.get("field"), str(e.get("message")), e.get("code"), e.get("entity_id"))
                for e in errors
            ],
            "hint": hint,
        },
    }


def failure_of(exc: ErrorLike) -> dict[str, Any]:
    """The failure document of a refused call (a BuildTrackerError)."""
    return failure(
        exc.sqlstate,
        exc.message,
        (
            {"field": e.field, "message": e.message, "code": e.code, "entity_id": e.entity_id}
            for e in exc.errors
        ),
        exc.hint,
    )


def dumps(document: Any) -> str:
    """The bytes every surface sends: compact JSON, UTF-8 as is (Starlette's own settings)."""
    return json.dumps(
        jsonable(document), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
