"""The shared parts of the REST API: the envelope and its failures, the
gateway (pool, one transaction per request as the token's role), the caller
(``Who``), ids people can type, the unknown-query-parameter check, the body
size limit and the exception handlers ``create_app`` installs."""

from __future__ import annotations

import logging
import time
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
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from buildtracker import contract
from buildtracker.client import (
    RETRY_ATTEMPTS,
    RETRYABLE_SQLSTATES,
    Client,
    NotServed,
    ReadSource,
    Replica,
    primary_lsn,
    retry_pause,
)
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
    from_psycopg,
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


RETRY_AFTER = "1"  # seconds: every 503 means "try again shortly"


def error_response(
    status: int,
    message: str,
    errors: list[ErrorModel],
    sqlstate: str | None = None,
    hint: str | None = None,
) -> Response:
    """A failure in the JSON contract (buildtracker.contract), with its status code."""
    body = contract.failure(sqlstate, message, (e.model_dump() for e in errors), hint)
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    # A lone surrogate the request sent (JSON allows "\ud800") may be echoed in a
    # field name: replaced, so that writing the failure cannot fail in turn.
    content = contract.dumps(body).encode("utf-8", "replace")
    return Response(content, status_code=status, headers=headers, media_type="application/json")


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
    413: {"model": Failure, "description": "The request body is larger than 1 MB"},
    503: {
        "model": Failure,
        "description": "Concurrent conflict, timeout or database unavailable; retry (see Retry-After)",
    },
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
    # the request only reads (GET): the read replica may answer it
    reads: bool = False


class Unauthorized(Exception):
    pass


@dataclass
class Gateway:
    """The pool and the authentication mode of one API instance, and its read
    replica (``read_url``): a GET request runs there when it has replayed every
    write this process made (read-your-writes for all its callers), else on the
    primary, as every request does while the replica is down. Tokens are always
    checked on the primary: a revoked token stops working at once."""

    database_url: str
    authenticate: bool = True
    pool_size: int = 10
    read_url: str | None = None
    # opened by the app's lifespan, one pool (and replica) per start
    pool_or_none: ConnectionPool[Any] | None = None
    replica: Replica | None = None
    # diagnostic (tests): which server answered the last GET, "replica" or "primary"
    last_read_from: ReadSource | None = None

    @property
    def pool(self) -> ConnectionPool[Any]:
        if self.pool_or_none is None:
            raise RuntimeError("the API's connection pool is not open (the app has not started)")
        return self.pool_or_none

    def principal(self, request: Request, token: str | None) -> Principal:
        reads = request.method in ("GET", "HEAD")
        if not self.authenticate:
            return Principal(
                identity_id=None, actor=request.headers.get("x-actor"), role=None, reads=reads
            )
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
            reads=reads,
        )

    @contextmanager
    def client(self, principal: Principal) -> Iterator[Client]:
        """A client on one transaction, running as the principal's role."""
        with self.pool.connection() as conn, on_transaction(conn, principal) as client:
            yield client

    def call(self, principal: Principal, action: Callable[[Client], T]) -> T:
        """``action`` in one transaction as the principal: on the read replica when
        the request only reads and the replica can answer, else on the primary."""
        replica = self.replica
        if replica is None:
            return self.call_primary(principal, action)
        if not principal.reads:
            try:
                return self.call_primary(principal, action)
            finally:
                replica.wrote()

        def on_replica(conn: psycopg.Connection[Any]) -> T:
            with on_transaction(conn, principal) as client:
                return action(client)

        try:
            answer = replica.read(self.primary_lsn, on_replica)
        except NotServed:
            self.last_read_from = "primary"
            return self.call_primary(principal, action)
        self.last_read_from = "replica"
        return answer

    def primary_lsn(self) -> str:
        with self.pool.connection() as conn:
            return primary_lsn(conn)

    def call_primary(self, principal: Principal, action: Callable[[Client], T]) -> T:
        """``action`` in one transaction on the primary. A transaction that fails
        with 40001 or 40P01 is run again from the start, bounded and jittered as
        the client's own retries (SPEC section 12): the request owns it, and
        ``action`` does nothing but calls."""
        attempt = 1
        while True:
            try:
                with self.client(principal) as client:
                    return action(client)
            except (BuildTrackerError, psycopg.Error) as exc:
                if exc.sqlstate not in RETRYABLE_SQLSTATES or attempt >= RETRY_ATTEMPTS:
                    raise
            time.sleep(retry_pause(attempt))
            attempt += 1


@contextmanager
def on_transaction(conn: psycopg.Connection[Any], principal: Principal) -> Iterator[Client]:
    """A client on one transaction of ``conn``, running as the principal's role."""
    with conn.transaction():
        if principal.role:
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(principal.role)))
        yield Client(conn, actor=principal.actor)


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


# ---------------------------------------------------------------- body size


MAX_BODY_BYTES = 1_048_576  # SPEC section 12: REST bodies at most 1 MB


def too_large() -> Response:
    message = f"the request body is larger than {MAX_BODY_BYTES} bytes (1 MB)"
    return error_response(413, message, [ErrorModel(field="body", message=message)])


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, None when absent or not one number."""
    values = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
    if len(values) != 1 or not values[0].strip().isdigit():
        return None
    return int(values[0])


class BodyLimit:
    """Pure ASGI middleware: a request body over ``limit`` bytes is a 413 in the
    JSON contract, never read into a route nor echoed. A Content-Length over the
    limit is refused before a byte of the body is read; a body without one
    (chunked) is counted as it comes and refused as soon as it passes the limit.
    A body within the limit is handed on as one message (the routes read it
    whole anyway)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.limit:
            await too_large()(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its whole body
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await too_large()(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body: Message | None = {"type": "http.request", "body": b"".join(chunks)}

        async def replay() -> Message:
            nonlocal body
            if body is not None:
                message, body = body, None
                return message
            return await receive()

        await self.app(scope, replay, send)


# ---------------------------------------------------------------- exception handlers

# What a 5xx answer says: sentences of ours. The database's own text can name
# tables, roles, values or the server's state, and stays in the log.
RETRY_LATER: dict[str, str] = {
    "40001": "a concurrent transaction changed the same data; retry",
    "40P01": "a concurrent transaction changed the same data; retry",
    "55P03": "data this request needs is locked by another transaction; retry",
    "57014": "the database cancelled the request (a time limit); retry",
}
UNAVAILABLE = "the database is unavailable; retry"
INTERNAL = "internal error"
# connection exception, insufficient resources, operator intervention (57P01
# admin shutdown and its kin), system error: the server, not the request
UNAVAILABLE_CLASSES = ("08", "53", "57P", "58")


def status_of(exc: BuildTrackerError) -> int:
    """The HTTP status of a refused or failed call."""
    sqlstate = exc.sqlstate or ""
    if sqlstate.startswith("54"):  # program limit exceeded: the input is too big to handle
        return 422
    if sqlstate in RETRY_LATER:
        return 503
    status = next((code for cls, code in STATUS_BY_ERROR if isinstance(exc, cls)), None)
    if status is not None:
        return status
    if sqlstate.startswith(UNAVAILABLE_CLASSES):
        return 503
    # psycopg's own connection failures carry no SQLSTATE (a closed socket, a pool timeout)
    if not sqlstate and isinstance(exc.__cause__, psycopg.OperationalError):
        return 503
    return 500


def database_failure(exc: BuildTrackerError | psycopg.Error) -> Response:
    """The answer to a call the database refused or could not run. A 4xx says
    what the database said (its checks are the API's); a 5xx says a fixed
    sentence of ours, with the SQLSTATE, and 503 carries Retry-After."""
    if isinstance(exc, psycopg.Error):
        mapped = from_psycopg(exc)
        mapped.__cause__ = exc
        exc = mapped
    status = status_of(exc)
    if status < 500:
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
    if status == 503:
        message = RETRY_LATER.get(exc.sqlstate or "", UNAVAILABLE)
        log.warning("database busy or unavailable (%s): %s", exc.sqlstate, exc.message)
    else:
        message = INTERNAL
        log.error("unexpected database error (%s): %s", exc.sqlstate, exc.message)
    return error_response(
        status, message, [ErrorModel(message=message, code=exc.sqlstate)], sqlstate=exc.sqlstate
    )


async def database_error(_: Request, exc: BuildTrackerError) -> Response:
    return database_failure(exc)


async def psycopg_error(_: Request, exc: psycopg.Error) -> Response:
    # raised outside a client call: the pool (a timeout), SET LOCAL ROLE, the commit
    return database_failure(exc)


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


async def invalid_text(_: Request, exc: UnicodeEncodeError) -> Response:
    # JSON may escape a lone surrogate ("\ud800"), which Python decodes but
    # UTF-8 (and so PostgreSQL) cannot hold: psycopg refuses to send it. The
    # same SQLSTATE as the other text the database cannot store (a NUL).
    message = "text holds a lone surrogate (\\ud800-\\udfff): not valid Unicode, cannot be stored"
    return error_response(422, message, [ErrorModel(message=message, code="22021")], "22021")


async def internal_error(_: Request, exc: Exception) -> Response:
    # A bug, not an input: Starlette logs the exception after this answer.
    return error_response(500, INTERNAL, [ErrorModel(message=INTERNAL)])


# What create_app registers, each exception class with its handler.
EXCEPTION_HANDLERS: tuple[tuple[type[Exception], Callable[..., Awaitable[Response]]], ...] = (
    (BuildTrackerError, database_error),
    (Unauthorized, unauthorized),
    (RequestValidationError, invalid_request),
    (StarletteHTTPException, http_error),
    (psycopg.Error, psycopg_error),
    (UnicodeEncodeError, invalid_text),
    (Exception, internal_error),
)
