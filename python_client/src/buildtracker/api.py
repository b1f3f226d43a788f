"""REST API over the client: the seed's endpoints, its envelope, bearer tokens.

Each request runs in one transaction on a pooled connection, as the database
role of its token (``SET LOCAL ROLE buildtracker_reader`` or ``_writer``), so
the database itself refuses a reader's write (403). The token's identity is
the actor of every write. The API login must be a member of both roles.

Every id a request names (path, query or body) may be a unique prefix of at
least 8 hex characters, or a name for projects and identities, resolved by
``claude.resolve_id`` in the request's transaction (SPEC section 11). A query
parameter the route does not declare is refused (422 naming it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar
from uuid import UUID

import psycopg
from fastapi import Depends, FastAPI, Path, Query, Request
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
from buildtracker.enums import (
    ComponentStatus,
    ComponentType,
    FeatureStatus,
    FeatureType,
    RequirementStatus,
    RequirementType,
    Severity,
    SourceType,
    TaskStatus,
    TaskType,
)
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
from buildtracker.models import Activity, Result

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

# The entity claude.resolve_id looks each id field up in.
ENTITY_OF_FIELD: dict[str, str] = {
    "project_id": "project",
    "identity_id": "identity",
    "assigned_to_identity_id": "identity",
    "planned_by_identity_id": "identity",
    "implemented_by_identity_id": "identity",
    "created_by_identity_id": "identity",
    "feature_id": "feature",
    "parent_feature_id": "feature",
    "component_id": "component",
    "task_id": "build_task",
    "blocked_by_task_id": "build_task",
    "requirement_id": "requirement",
}

# The field claude.resolve_id names in its errors, per entity.
KEY_OF_ENTITY: dict[str, str] = {
    "project": "project_id",
    "identity": "identity_id",
    "feature": "feature_id",
    "component": "component_id",
    "build_task": "task_id",
    "requirement": "requirement_id",
}


def whole_uuid(ref: str) -> UUID | None:
    try:
        return UUID(ref.strip())
    except ValueError:
        return None


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


# ---------------------------------------------------------------- request bodies


class ProjectIn(BaseModel):
    project_name: str


class IdentityIn(BaseModel):
    identity_name: str


class FeatureIn(BaseModel):
    feature_name: str
    feature_type: FeatureType
    project_id: IdRef
    description: str | None = None
    priority: int | None = None
    parent_feature_id: OptionalIdRef = None
    planned_by_identity_id: OptionalIdRef = None
    design_doc_path: str | None = None


class FeatureStatusIn(BaseModel):
    new_status: FeatureStatus
    reason: str | None = None
    implemented_by_identity_id: OptionalIdRef = None
    planned_by_identity_id: OptionalIdRef = None


class ComponentIn(BaseModel):
    feature_id: IdRef
    component_name: str
    component_type: ComponentType
    planned_functions: list[str] | None = None
    planned_dependencies: list[str] | None = None
    file_path: str | None = None


class ComponentStatusIn(BaseModel):
    new_status: ComponentStatus
    reason: str | None = None


class ComponentCompleteIn(BaseModel):
    actual_functions: list[str] | None = None
    file_path: str | None = None
    lines_of_code: int | None = None
    has_tests: bool | None = None
    test_coverage_percentage: float | None = None


class TaskIn(BaseModel):
    task_name: str
    task_description: str
    task_type: TaskType
    component_id: OptionalIdRef = None
    feature_id: OptionalIdRef = None
    priority: int | None = None
    estimated_hours: float | None = None
    assigned_to_identity_id: OptionalIdRef = None
    blocked_by_task_id: OptionalIdRef = None


class TaskStartIn(BaseModel):
    identity_id: OptionalIdRef = None


class TaskBlockIn(BaseModel):
    reason: str
    blocked_by_task_id: OptionalIdRef = None


class NoteIn(BaseModel):
    note: str


class ReasonIn(BaseModel):
    reason: str


class TaskCompleteIn(BaseModel):
    actual_hours: float
    completion_notes: str | None = None


class ClaimIn(BaseModel):
    identity_id: OptionalIdRef = None
    project_id: OptionalIdRef = None
    feature_id: OptionalIdRef = None


class RequirementIn(BaseModel):
    feature_id: IdRef
    requirement_name: str
    requirement_type: RequirementType
    description: str
    acceptance_criteria: list[str]
    priority: int | None = None
    must_have: bool | None = None
    created_by_identity_id: OptionalIdRef = None


class RequirementStatusIn(BaseModel):
    new_status: RequirementStatus
    reason: str | None = None
    component_id: OptionalIdRef = None


class VerifyIn(BaseModel):
    component_id: OptionalIdRef = None
    test_results: dict[str, Any] | None = None
    test_run_id: UUID | None = None


class JobsIn(BaseModel):
    older_than_days: int | None = Field(default=None, ge=1, le=3650)


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
            row = conn.execute(
                "SELECT identity_id, identity_name, access FROM claude.authenticate_api_token(%s)",
                [token.strip()],
            ).fetchone()
        if row is None:
            raise Unauthorized("the token is unknown or revoked")
        return Principal(identity_id=row[0], actor=row[1], role=ROLE_BY_ACCESS[row[2]])

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


Who = Annotated[Principal, Depends(current_principal)]
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


# ---------------------------------------------------------------- app


def create_app(database_url: str, *, authenticate: bool = True, pool_size: int = 10) -> FastAPI:
    """The REST API. ``authenticate=False`` is for local development only."""
    gateway = Gateway(database_url=database_url, authenticate=authenticate, pool_size=pool_size)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        pool: ConnectionPool[Any] = ConnectionPool(
            database_url, min_size=1, max_size=pool_size, open=False, kwargs={"autocommit": False}
        )
        pool.open(wait=True)
        gateway.pool_or_none = pool
        if not authenticate:
            log.warning(
                "AUTHENTICATION IS OFF (--insecure-no-auth): every request runs with the API "
                "login's own rights. Use this for local development only."
            )
        yield
        gateway.pool_or_none = None
        pool.close()

    app = FastAPI(
        title="buildtracker",
        version="0.1.0",
        description="Build tracking data gateway: every rule lives in PostgreSQL schema claude.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(no_unknown_query_parameters)],
    )
    app.state.gateway = gateway

    @app.exception_handler(BuildTrackerError)
    async def _db_error(_: Request, exc: BuildTrackerError) -> Response:
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

    @app.exception_handler(Unauthorized)
    async def _unauthorized(_: Request, exc: Unauthorized) -> Response:
        return error_response(401, str(exc), [ErrorModel(field="authorization", message=str(exc))])

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> Response:
        errors = [
            ErrorModel(
                field=".".join(str(p) for p in e.get("loc", ()) if p != "body") or None,
                message=str(e.get("msg")),
            )
            for e in exc.errors()
        ]
        return error_response(422, "the request is invalid", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
        # Starlette's own answers (unknown route, wrong method, unreadable
        # body) in the envelope too; an unreadable body is an invalid request.
        status = 422 if exc.status_code == 400 else exc.status_code
        return error_response(status, str(exc.detail), [ErrorModel(message=str(exc.detail))])

    @app.exception_handler(psycopg.OperationalError)
    async def _unavailable(_: Request, exc: psycopg.OperationalError) -> Response:
        return error_response(503, "the database is unavailable", [ErrorModel(message=str(exc))])

    # projects and identities
    @app.post("/api/projects", response_model=Envelope, status_code=201, tags=["projects"])
    def create_project(body: ProjectIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.add_project(body.project_name)))

    @app.get("/api/projects", response_model=Envelope, tags=["projects"])
    def list_projects(who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.list_projects()))

    @app.post("/api/identities", response_model=Envelope, status_code=201, tags=["identities"])
    def create_identity(body: IdentityIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.add_identity(body.identity_name)))

    @app.get("/api/identities", response_model=Envelope, tags=["identities"])
    def list_identities(who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.list_identities()))

    # features
    @app.post("/api/features", response_model=Envelope, status_code=201, tags=["features"])
    def create_feature(body: FeatureIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.add_feature(**resolve_fields(c, body.model_dump())))
        )

    @app.get("/api/features", response_model=Envelope, tags=["features"])
    def list_features(
        who: Who,
        project_id: IdQuery = None,
        project: IdQuery = None,
        status: FeatureStatus | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.list_features(
                project_filter(c, project_id, project), status, after, after_id, limit
            ),
        )
        return page(rows, limit, lambda row: row.feature_id)

    @app.get("/api/features/{feature_id}", response_model=Envelope, tags=["features"])
    def get_feature(feature_id: IdPath, who: Who) -> Envelope:
        return ok(
            gateway.call(
                who, lambda c: c.get_feature_with_children(resolve(c, "feature_id", feature_id))
            )
        )

    @app.put("/api/features/{feature_id}", response_model=Envelope, tags=["features"])
    def update_feature(feature_id: IdPath, changes: dict[str, Any], who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.update_feature(
                    resolve(c, "feature_id", feature_id), resolve_fields(c, changes)
                ),
            )
        )

    @app.delete("/api/features/{feature_id}", response_model=Envelope, tags=["features"])
    def delete_feature(feature_id: IdPath, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.delete_feature(resolve(c, "feature_id", feature_id)))
        )

    @app.patch("/api/features/{feature_id}/status", response_model=Envelope, tags=["features"])
    def change_feature_status(feature_id: IdPath, body: FeatureStatusIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.update_feature_status(
                    resolve(c, "feature_id", feature_id), **resolve_fields(c, body.model_dump())
                ),
            )
        )

    @app.get("/api/features/{feature_id}/completion", response_model=Envelope, tags=["features"])
    def feature_completion(feature_id: IdPath, who: Who) -> Envelope:
        return ok(
            gateway.call(
                who, lambda c: c.get_feature_completion(resolve(c, "feature_id", feature_id))
            )
        )

    @app.post("/api/features/{feature_id}/complete", response_model=Envelope, tags=["features"])
    def complete_feature(feature_id: IdPath, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.complete_feature(resolve(c, "feature_id", feature_id)))
        )

    # components
    @app.post("/api/components", response_model=Envelope, status_code=201, tags=["components"])
    def create_component(body: ComponentIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.add_component(**resolve_fields(c, body.model_dump())))
        )

    @app.get("/api/components", response_model=Envelope, tags=["components"])
    def list_components(
        who: Who,
        feature_id: IdQuery = None,
        status: ComponentStatus | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.list_components(
                resolve_optional(c, "feature_id", feature_id), status, after, after_id, limit
            ),
        )
        return page(rows, limit, lambda row: row.component_id)

    @app.get("/api/components/{component_id}", response_model=Envelope, tags=["components"])
    def get_component(component_id: IdPath, who: Who) -> Envelope:
        return ok(
            gateway.call(who, lambda c: c.get_component(resolve(c, "component_id", component_id)))
        )

    @app.put("/api/components/{component_id}", response_model=Envelope, tags=["components"])
    def update_component(component_id: IdPath, changes: dict[str, Any], who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.update_component(
                    resolve(c, "component_id", component_id), resolve_fields(c, changes)
                ),
            )
        )

    @app.patch(
        "/api/components/{component_id}/status", response_model=Envelope, tags=["components"]
    )
    def change_component_status(
        component_id: IdPath, body: ComponentStatusIn, who: Who
    ) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.update_component_status(
                    resolve(c, "component_id", component_id), **body.model_dump()
                ),
            )
        )

    @app.patch(
        "/api/components/{component_id}/complete", response_model=Envelope, tags=["components"]
    )
    def complete_component(component_id: IdPath, body: ComponentCompleteIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.complete_component(
                    resolve(c, "component_id", component_id), **body.model_dump()
                ),
            )
        )

    # tasks
    @app.post("/api/tasks", response_model=Envelope, status_code=201, tags=["tasks"])
    def create_task(body: TaskIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.add_task(**resolve_fields(c, body.model_dump())))
        )

    @app.get("/api/tasks", response_model=Envelope, tags=["tasks"])
    def list_tasks(
        who: Who,
        feature_id: IdQuery = None,
        status: TaskStatus | None = None,
        assigned_to_identity_id: IdQuery = None,
        project_id: IdQuery = None,
        project: IdQuery = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.list_tasks(
                resolve_optional(c, "feature_id", feature_id),
                status,
                resolve_optional(c, "assigned_to_identity_id", assigned_to_identity_id),
                after,
                after_id,
                limit,
                project_filter(c, project_id, project),
            ),
        )
        return page(rows, limit, lambda row: row.task_id)

    @app.get("/api/tasks/ready", response_model=Envelope, tags=["tasks"])
    def ready_tasks(
        who: Who,
        feature_id: IdQuery = None,
        component_id: IdQuery = None,
        project_id: IdQuery = None,
        project: IdQuery = None,
        limit: Limit = 50,
    ) -> Envelope:
        return ok(
            gateway.call(
                who,
                lambda c: c.get_ready_tasks(
                    resolve_optional(c, "feature_id", feature_id),
                    resolve_optional(c, "component_id", component_id),
                    project_filter(c, project_id, project),
                    limit,
                ),
            )
        )

    @app.post("/api/tasks/claim", response_model=Envelope, tags=["tasks"])
    def claim_task(body: ClaimIn, who: Who) -> Envelope:
        mine = who.identity_id
        if body.identity_id is None and mine is None:
            message = "identity_id is required when authentication is off"
            raise ValidationError(
                message,
                sqlstate="23514",
                errors=(ErrorItem(field="identity_id", message=message, code="23514"),),
            )

        def claim(c: Client) -> Result[Any]:
            identity_id = resolve_optional(c, "identity_id", body.identity_id) or mine
            assert identity_id is not None  # checked above
            return c.claim_next_task(
                identity_id,
                resolve_optional(c, "project_id", body.project_id),
                resolve_optional(c, "feature_id", body.feature_id),
            )

        return from_result(gateway.call(who, claim))

    @app.get("/api/tasks/{task_id}", response_model=Envelope, tags=["tasks"])
    def get_task(task_id: IdPath, who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.get_task(resolve(c, "task_id", task_id))))

    @app.put("/api/tasks/{task_id}", response_model=Envelope, tags=["tasks"])
    def update_task(task_id: IdPath, changes: dict[str, Any], who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.update_task(resolve(c, "task_id", task_id), resolve_fields(c, changes)),
            )
        )

    @app.patch("/api/tasks/{task_id}/start", response_model=Envelope, tags=["tasks"])
    def start_task(task_id: IdPath, body: TaskStartIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.start_task(
                    resolve(c, "task_id", task_id),
                    resolve_optional(c, "identity_id", body.identity_id) or who.identity_id,
                ),
            )
        )

    @app.patch("/api/tasks/{task_id}/block", response_model=Envelope, tags=["tasks"])
    def block_task(task_id: IdPath, body: TaskBlockIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.block_task(
                    resolve(c, "task_id", task_id),
                    body.reason,
                    resolve_optional(c, "blocked_by_task_id", body.blocked_by_task_id),
                ),
            )
        )

    @app.patch("/api/tasks/{task_id}/unblock", response_model=Envelope, tags=["tasks"])
    def unblock_task(task_id: IdPath, body: NoteIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.unblock_task(resolve(c, "task_id", task_id), body.note))
        )

    @app.patch("/api/tasks/{task_id}/review", response_model=Envelope, tags=["tasks"])
    def review_task(task_id: IdPath, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.submit_task_for_review(resolve(c, "task_id", task_id)))
        )

    @app.patch("/api/tasks/{task_id}/changes", response_model=Envelope, tags=["tasks"])
    def request_changes(task_id: IdPath, body: NoteIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who, lambda c: c.request_task_changes(resolve(c, "task_id", task_id), body.note)
            )
        )

    @app.patch("/api/tasks/{task_id}/complete", response_model=Envelope, tags=["tasks"])
    def complete_task(task_id: IdPath, body: TaskCompleteIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.complete_task(
                    resolve(c, "task_id", task_id), body.actual_hours, body.completion_notes
                ),
            )
        )

    @app.patch("/api/tasks/{task_id}/cancel", response_model=Envelope, tags=["tasks"])
    def cancel_task(task_id: IdPath, body: ReasonIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.cancel_task(resolve(c, "task_id", task_id), body.reason))
        )

    # requirements
    @app.post("/api/requirements", response_model=Envelope, status_code=201, tags=["requirements"])
    def create_requirement(body: RequirementIn, who: Who) -> Envelope:
        def add(c: Client) -> Result[Any]:
            args = resolve_fields(c, body.model_dump())
            args["created_by_identity_id"] = args["created_by_identity_id"] or who.identity_id
            return c.add_requirement(**args)

        return from_result(gateway.call(who, add))

    @app.get("/api/requirements", response_model=Envelope, tags=["requirements"])
    def list_requirements(
        who: Who,
        feature_id: Annotated[str, Query(description=ID_HELP)],
        status: RequirementStatus | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.list_requirements(
                resolve(c, "feature_id", feature_id), status, after, after_id, limit
            ),
        )
        return page(rows, limit, lambda row: row.requirement_id)

    @app.get("/api/requirements/{requirement_id}", response_model=Envelope, tags=["requirements"])
    def get_requirement(requirement_id: IdPath, who: Who) -> Envelope:
        return ok(
            gateway.call(
                who, lambda c: c.get_requirement(resolve(c, "requirement_id", requirement_id))
            )
        )

    @app.patch(
        "/api/requirements/{requirement_id}/status", response_model=Envelope, tags=["requirements"]
    )
    def change_requirement_status(
        requirement_id: IdPath, body: RequirementStatusIn, who: Who
    ) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.update_requirement_status(
                    resolve(c, "requirement_id", requirement_id),
                    **resolve_fields(c, body.model_dump()),
                ),
            )
        )

    @app.patch(
        "/api/requirements/{requirement_id}/verify", response_model=Envelope, tags=["requirements"]
    )
    def verify_requirement(requirement_id: IdPath, body: VerifyIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who,
                lambda c: c.verify_requirement(
                    resolve(c, "requirement_id", requirement_id),
                    **resolve_fields(c, body.model_dump()),
                ),
            )
        )

    # activity and jobs
    @app.get("/api/activity", response_model=Envelope, tags=["activity"])
    def activity(
        who: Who,
        project_name: str | None = None,
        project: IdQuery = None,
        source_type: SourceType | None = None,
        source_id: Annotated[
            str | None,
            Query(
                description=f"{ID_HELP}; a prefix or name needs source_type (not system)",
            ),
        ] = None,
        actor: str | None = None,
        activity_type: str | None = None,
        severity: Annotated[list[Severity] | None, Query()] = None,
        since: datetime | None = None,
        before: datetime | None = None,
        before_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        one_of("project_name", project_name, "project", project)

        def feed(c: Client) -> list[Activity]:
            name = project_name
            if project is not None:
                name = c.get_project(resolve(c, "project", project, "project")).project_name
            return c.get_activity(
                name,
                source_type,
                activity_source(c, source_type, source_id),
                actor,
                activity_type,
                severity,
                since,
                before,
                limit,
                before_id,
            )

        rows = gateway.call(who, feed)
        return ok(rows, metadata=next_before(rows, limit))

    @app.get("/api/activity/feature/{feature_id}", response_model=Envelope, tags=["activity"])
    def feature_activity(
        feature_id: IdPath,
        who: Who,
        before: datetime | None = None,
        before_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.get_activity(
                source_type="feature",
                source_id=resolve(c, "feature_id", feature_id),
                before=before,
                before_id=before_id,
                max_rows=limit,
            ),
        )
        return ok(rows, metadata=next_before(rows, limit))

    @app.post("/api/jobs/run", response_model=Envelope, tags=["jobs"])
    def run_jobs(body: JobsIn, who: Who) -> Envelope:
        older = timedelta(days=body.older_than_days) if body.older_than_days else None
        return ok(gateway.call(who, lambda c: c.run_jobs(older)))

    return app
