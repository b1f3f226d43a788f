"""Exceptions mapped from the database's SQLSTATEs (SPEC section 6).

Every exception carries the list of failed checks the database put in the
error's DETAIL, and is chained (``raise ... from``) to the psycopg error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # psycopg is imported by whoever has a psycopg error to map
    import psycopg


@dataclass(frozen=True)
class ErrorItem:
    """One failed check: the field it concerns, a readable message, its SQLSTATE,
    and the id of the entity at fault where there is one (a blocker, a candidate)."""

    field: str | None
    message: str
    code: str | None = None
    entity_id: str | None = None


class BuildTrackerError(Exception):
    """Base class: a call the database refused."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        sqlstate: str | None = None,
        errors: tuple[ErrorItem, ...] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate
        self.errors = errors
        self.hint = hint


class ValidationError(BuildTrackerError):
    """A value failed validation (23514, and invalid input of SQLSTATE class 22)."""

    exit_code = 3


class MissingReferenceError(BuildTrackerError):
    """A referenced row does not exist (23503)."""

    exit_code = 4


class NotFoundError(BuildTrackerError):
    """The entity the call addresses does not exist (P0002)."""

    exit_code = 5


class InvalidTransitionError(BuildTrackerError):
    """The transition is not allowed, a gate is not met, or a dependency is not done (55000)."""

    exit_code = 6


class RetryableConflictError(BuildTrackerError):
    """A concurrent writer won (serialization failure, deadlock, lock timeout); retry."""

    exit_code = 7


class PermissionDeniedError(BuildTrackerError):
    """The login's role may not make this call (42501)."""

    exit_code = 8


_BY_SQLSTATE: dict[str, type[BuildTrackerError]] = {
    "23514": ValidationError,
    "23502": ValidationError,
    "23505": ValidationError,
    "23503": MissingReferenceError,
    "P0002": NotFoundError,
    "55000": InvalidTransitionError,
    "40001": RetryableConflictError,
    "40P01": RetryableConflictError,
    "55P03": RetryableConflictError,
    "42501": PermissionDeniedError,
}


def _parse_detail(detail: str | None, message: str, sqlstate: str | None) -> tuple[ErrorItem, ...]:
    if detail:
        try:
            payload = json.loads(detail)
        except ValueError:
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("errors"), list):
            return tuple(
                ErrorItem(
                    field=e.get("field"),
                    message=str(e.get("message")),
                    code=e.get("code"),
                    entity_id=e.get("entity_id"),
                )
                for e in payload["errors"]
                if isinstance(e, dict)
            )
    return (ErrorItem(field=None, message=message, code=sqlstate),)


def from_psycopg(exc: psycopg.Error) -> BuildTrackerError:
    """The buildtracker exception for a psycopg error (not raised: the caller chains it)."""
    diag = exc.diag
    sqlstate = exc.sqlstate
    message = diag.message_primary or str(exc)
    import psycopg

    if sqlstate is None and isinstance(exc, psycopg.DataError):
        # refused by psycopg before reaching the server (a NUL character in text)
        sqlstate = "22021"
    cls = _BY_SQLSTATE.get(sqlstate or "")
    if cls is None:
        cls = ValidationError if sqlstate and sqlstate.startswith("22") else BuildTrackerError
    return cls(
        message,
        sqlstate=sqlstate,
        errors=_parse_detail(diag.message_detail, message, sqlstate),
        hint=diag.message_hint,
    )
