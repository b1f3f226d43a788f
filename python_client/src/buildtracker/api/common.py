"""The shared parts of the REST API: the envelope and its failures, the
gateway (pool, one transaction per request as the token's role), the caller
(``Who``), ids people can type, the unknown-query-parameter check and the
exception handlers ``create_app`` installs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Annotated, Any, TypeVar
from uuid import UUID

import psycopg
from fastapi import Depends, Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from psycopg import sql
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from buildtracker import contract
from buildtracker.client import Client
from buildtracker.enums import SourceType
from buildtracker.errors import (
    BuildTrackerError,
    ErrorItem,
    InvalidTransitionError,
    MissingReferenceError,
    NotFoundError,
    PermissionDeniedError,
    RetryableConflictError,
    ValidationError,
)
from buildtracker.ids import ENTITY_OF_FIELD, KEY_OF_ENTITY, whole_uuid
from buildtracker.models import Activity, Result

# The API's one logger, named for the package (not this module).
log = logging.getLogger("buildtracker.api")
T = TypeVar("T")

ROLE_BY_ACCESS = {"reader": "buildtracker_reader", "writer": "buildtracker_writer"}


# ---------------------------------------------------------------- envelope


class ErrorModel(BaseModel):
    """One failed check (buildtracker.contract.error_item)."""

    field: str | None = None
    message: str
    code: str | None = None
    entity_id: str | None = None


class ErrorBody(BaseModel):
    sqlstate: str | None = None
    message: str
    errors: list[ErrorModel] = Field(default_factory=list)
    hint: str | None = None


class Failure(BaseModel):
    """The JSON contract's failure, the same bytes as the CLI's --json (buildtracker.contract)."""

    success: bool = False
    error: ErrorBody


class ValidationModel(BaseModel):
    errors: list[ErrorModel] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Envelope(BaseModel):
    """The seed's response format, for successes and failures alike."""

    success: bool
    data: Any = None
    validation: ValidationModel = Field(default_factory=ValidationModel)
    metadata: dict[str, Any] = Field(default_factory=dict)


def ok(
    data: Any, warnings: tuple[str, ...] = (), metadata: dict[str, Any] | None = None
) -> Envelope:
    return Envelope(
        success=True,
        data=jsonable_encoder(data),
        validation=ValidationModel(warnings=list(warnings)),
        metadata=jsonable_encoder(metadata or {}),
    )


def page(rows: Sequence[Any], limit: int, key: Callable[[Any], UUID]) -> Envelope:
    """A page of a list_* call (oldest first) with the key of the next page when it was full."""
    full = len(rows) == limit
    return ok(
        rows,
        metadata={
            "next_after": rows[-1].created_at if full else None,
            "next_after_id": key(rows[-1]) if full else None,
        },
    )


def next_before(rows: list[Activity], limit: int) -> dict[str, Any]:
    """The key of the next (older) page of the feed, when this page was full."""
    full = len(rows) == limit
    return {
        "next_before": rows[-1].created_at if full else None,
        "next_before_id": rows[-1].id if full else None,
    }


def from_result(result: Result[Any]) -> Envelope:
    return ok(result.data, result.warnings, result.metadata)


STATUS_BY_ERROR: list[tuple[type[BuildTrackerError], int]] = [
    (ValidationError, 422),
    (MissingReferenceError, 422),
    (NotFoundError, 404),
    (InvalidTransitionError, 409),
    (RetryableConflictError, 503),
    (PermissionDeniedError, 403),
]


def error_response(
    status: int,
    message: str,
    errors: list[ErrorModel],
    sqlstate: str | None = None,
    hint: str | None = None,
) -> Response:
    """A failure in the JSON contract (buildtracker.contract), with its status code."""
    body = contract.failure(sqlstate, message, (e.model_dump() for e in errors), hint)
    headers = {"Retry-After": "1"} if status == 503 else None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return Response(
        contract.dumps(body), status_code=status, headers=headers, media_type="application/json"
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Failure, "description": "No token, or an unknown or revoked one"},
    403: {"model": Failure, "description": "The token's access does not allow this call"},
    404: {"model": Failure, "description": "The addressed entity does not exist"},
    409: {
        "model": Failure,
        "description": "Transition not allowed, gate not met, dependency not done",
    },
    422: {
        "model": Failure,
        "description": "Invalid value or missing reference; every error listed",
    },
    503: {"model": Failure, "description": "Concurrent conflict; retry (see Retry-After)"},
}


# ---------------------------------------------------------------- ids people can type

# SPEC section 11: wherever an id is taken (path, query, body), a unique prefix
# of at least 8 hex characters works, and projects and identities are also
# found by name. The database decides (claude.resolve_id); a whole UUID needs
# no call.
ID_HELP = "id, unique id prefix of at least 8 hex characters (or name, for projects and identities)"

IdPath = Annotated[str, Path(description=ID_HELP)]
IdQuery = Annotated[str | None, Query(description=ID_HELP)]
IdRef = Annotated[str, Field(description=ID_HELP)]
OptionalIdRef = Annotated[str | None, Field(description=ID_HELP)]


def resolve(client: Client, field: str, ref: str, entity: str | None = None) -> UUID:
    """The id ``ref`` names (claude.resolve_id), its errors naming ``field``:
    404 when nothing matches, 422 when ambiguous (each candidate with its
    entity_id) or malformed."""
    as_uuid = whole_uuid(ref)
    if as_uuid is not None:
        return as_uuid
    entity = entity or ENTITY_OF_FIELD[field]
    try:
        return client.resolve_id(entity, ref)
    except BuildTrackerError as exc:
        key = KEY_OF_ENTITY[entity]
        errors = tuple(replace(e, field=field) if e.field == key else e for e in exc.errors)
        raise type(exc)(exc.message, sqlstate=exc.sqlstate, errors=errors, hint=exc.hint) from exc


def resolve_optional(client: Client, field: str, ref: str | None) -> UUID | None:
    return None if ref is None else resolve(client, field, ref)


def resolve_fields(client: Client, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (a request body) with every id field given as text resolved."""
    return {
        key: resolve(client, key, value)
        if key in ENTITY_OF_FIELD and isinstance(value, str)
        else value
        for key, value in values.items()
    }


def one_of(field: str, value: str | None, alias: str, alias_value: str | None) -> None:
    """Refuse a filter given twice, under its name and under its alias."""
    if value is not None and alias_value is not None:
        message = f"give {alias} or {field}, not both"
        raise ValidationError(
            message,
            sqlstate="23514",
            errors=tuple(ErrorItem(f, message, "23514") for f in (alias, field)),
        )


def project_filter(client: Client, project_id: str | None, project: str | None) -> UUID | None:
    """The project a list is filtered by: ``project_id`` or its alias ``project``."""
    one_of("project_id", project_id, "project", project)
    if project is not None:
        return resolve(client, "project", project, "project")
    return resolve_optional(client, "project_id", project_id)


def activity_source(
    client: Client, source_type: SourceType | None, source_id: str | None
) -> UUID | None:
    """The activity feed's source_id: a whole id, or (given the entity in
    source_type) a prefix or name."""
    if source_id is None:
        return None
    if source_type is None or source_type == SourceType.SYSTEM:
        as_uuid = whole_uuid(source_id)
        if as_uuid is None:
            message = "source_id must be a whole id unless source_type names its entity"
            raise ValidationError(
                message, sqlstate="23514", errors=(ErrorItem("source_id", message, "23514"),)
            )
        return as_uuid
    return resolve(client, "source_id", source_id, source_type.value)


# ---------------------------------------------------------------- principal


@dataclass(frozen=True)
class Principal:
    """Who calls: the token's identity (the actor) and the role its requests run as."""

    identity_id: UUID | None
    actor: str | None
    role: str | None


class Unauthorized(Exception):
    pass


@dataclass
class Gateway:
    """The pool and the authentication mode of one API instance."""

    database_url: str
    authenticate: bool = True
    pool_size: int = 10
    # opened by the app's lifespan, one pool per start
    pool_or_none: ConnectionPool[Any] | None = None

    @property
    def pool(self) -> ConnectionPool[Any]:
        if self.pool_or_none is None:
            raise RuntimeError("the API's connection pool is not open (the app has not started)")
        return self.pool_or_none

    def principal(self, request: Request, token: str | None) -> Principal:
        if not self.authenticate:
            return Principal(identity_id=None, actor=request.headers.get("x-actor"), role=None)
        if not token or not token.strip():
            raise Unauthorized("a bearer token is required")
        with self.pool.connection() as conn:
            found = Client(conn).authenticate_api_token(token.strip())
        if found is None:
            raise Unauthorized("the token is unknown or revoked")
        return Principal(
            identity_id=UUID(found["identity_id"]),
            actor=found["identity_name"],
            role=ROLE_BY_ACCESS[found["access"]],
        )

    @contextmanager
    def client(self, principal: Principal) -> Iterator[Client]:
        """A client on one transaction, running as the principal's role."""
        with self.pool.connection() as conn, conn.transaction():
            if principal.role:
                conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(principal.role)))
            yield Client(conn, actor=principal.actor)

    def call(self, principal: Principal, action: Callable[[Client], T]) -> T:
        with self.client(principal) as client:
            return action(client)


bearer = HTTPBearer(auto_error=False, description="A token made with `buildtracker token create`.")


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """FastAPI dependency: the caller, authenticated by the app's gateway."""
    gateway: Gateway = request.app.state.gateway
    return gateway.principal(request, credentials.credentials if credentials else None)


def current_gateway(request: Request) -> Gateway:
    """FastAPI dependency: the app's gateway (``app.state.gateway``, set by create_app)."""
    gateway: Gateway = request.app.state.gateway
    return gateway


Who = Annotated[Principal, Depends(current_principal)]
Gate = Annotated[Gateway, Depends(current_gateway)]
Limit = Annotated[int, Query(ge=1, le=1000)]


# ---------------------------------------------------------------- unknown query parameters


def declared_query_parameters(dependant: Dependant) -> set[str]:
    """The query parameters a route (and its dependencies) declares."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= declared_query_parameters(dependency)
    return names


def no_unknown_query_parameters(request: Request, _: Who) -> None:
    """FastAPI dependency of every route: a query parameter the route does not
    declare is a 422 naming it, not silently ignored. After authentication (a
    request without a valid token is a 401 first, as with any invalid value)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = declared_query_parameters(route.dependant)
    unknown = sorted(set(request.query_params.keys()) - declared)
    if not unknown:
        return
    where = f"{request.method} {route.path}"
    raise ValidationError(
        f"unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
        errors=tuple(
            ErrorItem(name, f"{name} is not a query parameter of {where}") for name in unknown
        ),
        hint=(
            f"{where} takes: {', '.join(sorted(declared))}."
            if declared
            else f"{where} takes no query parameters."
        ),
    )


# ---------------------------------------------------------------- exception handlers


async def database_error(_: Request, exc: BuildTrackerError) -> Response:
    status = next((code for cls, code in STATUS_BY_ERROR if isinstance(exc, cls)), 500)
    if status == 500:
        log.error("unexpected database error: %s", exc.message)
        return error_response(500, "internal error", [ErrorModel(message="internal error")])
    return error_response(
        status,
        exc.message,
        [
            ErrorModel(field=e.field, message=e.message, code=e.code, entity_id=e.entity_id)
            for e in exc.errors
        ],
        sqlstate=exc.sqlstate,
        hint=exc.hint,
    )


async def unauthorized(_: Request, exc: Unauthorized) -> Response:
    return error_response(401, str(exc), [ErrorModel(field="authorization", message=str(exc))])


async def invalid_request(_: Request, exc: RequestValidationError) -> Response:
    errors = [
        ErrorModel(
            field=".".join(str(p) for p in e.get("loc", ()) if p != "body") or None,
            message=str(e.get("msg")),
        )
        for e in exc.errors()
    ]
    return error_response(422, "the request is invalid", errors)


async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
    # Starlette's own answers (unknown route, wrong method, unreadable
    # body) in the envelope too; an unreadable body is an invalid request.
    status = 422 if exc.status_code == 400 else exc.status_code
    return error_response(status, str(exc.detail), [ErrorModel(message=str(exc.detail))])


async def unavailable(_: Request, exc: psycopg.OperationalError) -> Response:
    return error_response(503, "the database is unavailable", [ErrorModel(message=str(exc))])


# What create_app registers, each exception class with its handler.
EXCEPTION_HANDLERS: tuple[tuple[type[Exception], Callable[..., Awaitable[Response]]], ...] = (
    (BuildTrackerError, database_error),
    (Unauthorized, unauthorized),
    (RequestValidationError, invalid_request),
    (StarletteHTTPException, http_error),
    (psycopg.OperationalError, unavailable),
)
