"""REST API over the client: the seed's endpoints, its envelope, bearer tokens.

Each request runs in one transaction on a pooled connection, as the database
role of its token (``SET LOCAL ROLE buildtracker_reader`` or ``_writer``), so
the database itself refuses a reader's write (403). The token's identity is
the actor of every write. The API login must be a member of both roles.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar
from uuid import UUID

import psycopg
from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
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


# ---------------------------------------------------------------- request bodies


class ProjectIn(BaseModel):
    project_name: str


class IdentityIn(BaseModel):
    identity_name: str


class FeatureIn(BaseModel):
    feature_name: str
    feature_type: FeatureType
    project_id: UUID
    description: str | None = None
    priority: int | None = None
    parent_feature_id: UUID | None = None
    planned_by_identity_id: UUID | None = None
    design_doc_path: str | None = None


class FeatureStatusIn(BaseModel):
    new_status: FeatureStatus
    reason: str | None = None
    implemented_by_identity_id: UUID | None = None
    planned_by_identity_id: UUID | None = None


class ComponentIn(BaseModel):
    feature_id: UUID
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
    component_id: UUID | None = None
    feature_id: UUID | None = None
    priority: int | None = None
    estimated_hours: float | None = None
    assigned_to_identity_id: UUID | None = None
    blocked_by_task_id: UUID | None = None


class TaskStartIn(BaseModel):
    identity_id: UUID | None = None


class TaskBlockIn(BaseModel):
    reason: str
    blocked_by_task_id: UUID | None = None


class NoteIn(BaseModel):
    note: str


class ReasonIn(BaseModel):
    reason: str


class TaskCompleteIn(BaseModel):
    actual_hours: float
    completion_notes: str | None = None


class ClaimIn(BaseModel):
    identity_id: UUID | None = None
    project_id: UUID | None = None
    feature_id: UUID | None = None


class RequirementIn(BaseModel):
    feature_id: UUID
    requirement_name: str
    requirement_type: RequirementType
    description: str
    acceptance_criteria: list[str]
    priority: int | None = None
    must_have: bool | None = None
    created_by_identity_id: UUID | None = None


class RequirementStatusIn(BaseModel):
    new_status: RequirementStatus
    reason: str | None = None
    component_id: UUID | None = None


class VerifyIn(BaseModel):
    component_id: UUID | None = None
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
        return from_result(gateway.call(who, lambda c: c.add_feature(**body.model_dump())))

    @app.get("/api/features", response_model=Envelope, tags=["features"])
    def list_features(
        who: Who,
        project_id: UUID | None = None,
        status: FeatureStatus | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who, lambda c: c.list_features(project_id, status, after, after_id, limit)
        )
        return page(rows, limit, lambda row: row.feature_id)

    @app.get("/api/features/{feature_id}", response_model=Envelope, tags=["features"])
    def get_feature(feature_id: UUID, who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.get_feature_with_children(feature_id)))

    @app.put("/api/features/{feature_id}", response_model=Envelope, tags=["features"])
    def update_feature(feature_id: UUID, changes: dict[str, Any], who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.update_feature(feature_id, changes)))

    @app.delete("/api/features/{feature_id}", response_model=Envelope, tags=["features"])
    def delete_feature(feature_id: UUID, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.delete_feature(feature_id)))

    @app.patch("/api/features/{feature_id}/status", response_model=Envelope, tags=["features"])
    def change_feature_status(feature_id: UUID, body: FeatureStatusIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.update_feature_status(feature_id, **body.model_dump()))
        )

    @app.get("/api/features/{feature_id}/completion", response_model=Envelope, tags=["features"])
    def feature_completion(feature_id: UUID, who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.get_feature_completion(feature_id)))

    @app.post("/api/features/{feature_id}/complete", response_model=Envelope, tags=["features"])
    def complete_feature(feature_id: UUID, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.complete_feature(feature_id)))

    # components
    @app.post("/api/components", response_model=Envelope, status_code=201, tags=["components"])
    def create_component(body: ComponentIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.add_component(**body.model_dump())))

    @app.get("/api/components", response_model=Envelope, tags=["components"])
    def list_components(
        who: Who,
        feature_id: UUID | None = None,
        status: ComponentStatus | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who, lambda c: c.list_components(feature_id, status, after, after_id, limit)
        )
        return page(rows, limit, lambda row: row.component_id)

    @app.get("/api/components/{component_id}", response_model=Envelope, tags=["components"])
    def get_component(component_id: UUID, who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.get_component(component_id)))

    @app.put("/api/components/{component_id}", response_model=Envelope, tags=["components"])
    def update_component(component_id: UUID, changes: dict[str, Any], who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.update_component(component_id, changes)))

    @app.patch(
        "/api/components/{component_id}/status", response_model=Envelope, tags=["components"]
    )
    def change_component_status(component_id: UUID, body: ComponentStatusIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who, lambda c: c.update_component_status(component_id, **body.model_dump())
            )
        )

    @app.patch(
        "/api/components/{component_id}/complete", response_model=Envelope, tags=["components"]
    )
    def complete_component(component_id: UUID, body: ComponentCompleteIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.complete_component(component_id, **body.model_dump()))
        )

    # tasks
    @app.post("/api/tasks", response_model=Envelope, status_code=201, tags=["tasks"])
    def create_task(body: TaskIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.add_task(**body.model_dump())))

    @app.get("/api/tasks", response_model=Envelope, tags=["tasks"])
    def list_tasks(
        who: Who,
        feature_id: UUID | None = None,
        status: TaskStatus | None = None,
        assigned_to_identity_id: UUID | None = None,
        project_id: UUID | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.list_tasks(
                feature_id, status, assigned_to_identity_id, after, after_id, limit, project_id
            ),
        )
        return page(rows, limit, lambda row: row.task_id)

    @app.get("/api/tasks/ready", response_model=Envelope, tags=["tasks"])
    def ready_tasks(
        who: Who,
        feature_id: UUID | None = None,
        component_id: UUID | None = None,
        project_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        return ok(
            gateway.call(
                who, lambda c: c.get_ready_tasks(feature_id, component_id, project_id, limit)
            )
        )

    @app.post("/api/tasks/claim", response_model=Envelope, tags=["tasks"])
    def claim_task(body: ClaimIn, who: Who) -> Envelope:
        identity_id = body.identity_id or who.identity_id
        if identity_id is None:
            message = "identity_id is required when authentication is off"
            raise ValidationError(
                message,
                sqlstate="23514",
                errors=(ErrorItem(field="identity_id", message=message, code="23514"),),
            )
        return from_result(
            gateway.call(
                who, lambda c: c.claim_next_task(identity_id, body.project_id, body.feature_id)
            )
        )

    @app.get("/api/tasks/{task_id}", response_model=Envelope, tags=["tasks"])
    def get_task(task_id: UUID, who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.get_task(task_id)))

    @app.put("/api/tasks/{task_id}", response_model=Envelope, tags=["tasks"])
    def update_task(task_id: UUID, changes: dict[str, Any], who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.update_task(task_id, changes)))

    @app.patch("/api/tasks/{task_id}/start", response_model=Envelope, tags=["tasks"])
    def start_task(task_id: UUID, body: TaskStartIn, who: Who) -> Envelope:
        identity_id = body.identity_id or who.identity_id
        return from_result(gateway.call(who, lambda c: c.start_task(task_id, identity_id)))

    @app.patch("/api/tasks/{task_id}/block", response_model=Envelope, tags=["tasks"])
    def block_task(task_id: UUID, body: TaskBlockIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.block_task(task_id, body.reason, body.blocked_by_task_id))
        )

    @app.patch("/api/tasks/{task_id}/unblock", response_model=Envelope, tags=["tasks"])
    def unblock_task(task_id: UUID, body: NoteIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.unblock_task(task_id, body.note)))

    @app.patch("/api/tasks/{task_id}/review", response_model=Envelope, tags=["tasks"])
    def review_task(task_id: UUID, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.submit_task_for_review(task_id)))

    @app.patch("/api/tasks/{task_id}/changes", response_model=Envelope, tags=["tasks"])
    def request_changes(task_id: UUID, body: NoteIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.request_task_changes(task_id, body.note)))

    @app.patch("/api/tasks/{task_id}/complete", response_model=Envelope, tags=["tasks"])
    def complete_task(task_id: UUID, body: TaskCompleteIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(
                who, lambda c: c.complete_task(task_id, body.actual_hours, body.completion_notes)
            )
        )

    @app.patch("/api/tasks/{task_id}/cancel", response_model=Envelope, tags=["tasks"])
    def cancel_task(task_id: UUID, body: ReasonIn, who: Who) -> Envelope:
        return from_result(gateway.call(who, lambda c: c.cancel_task(task_id, body.reason)))

    # requirements
    @app.post("/api/requirements", response_model=Envelope, status_code=201, tags=["requirements"])
    def create_requirement(body: RequirementIn, who: Who) -> Envelope:
        args = body.model_dump()
        args["created_by_identity_id"] = body.created_by_identity_id or who.identity_id
        return from_result(gateway.call(who, lambda c: c.add_requirement(**args)))

    @app.get("/api/requirements", response_model=Envelope, tags=["requirements"])
    def list_requirements(
        who: Who,
        feature_id: UUID,
        status: RequirementStatus | None = None,
        after: datetime | None = None,
        after_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who, lambda c: c.list_requirements(feature_id, status, after, after_id, limit)
        )
        return page(rows, limit, lambda row: row.requirement_id)

    @app.get("/api/requirements/{requirement_id}", response_model=Envelope, tags=["requirements"])
    def get_requirement(requirement_id: UUID, who: Who) -> Envelope:
        return ok(gateway.call(who, lambda c: c.get_requirement(requirement_id)))

    @app.patch(
        "/api/requirements/{requirement_id}/status", response_model=Envelope, tags=["requirements"]
    )
    def change_requirement_status(
        requirement_id: UUID, body: RequirementStatusIn, who: Who
    ) -> Envelope:
        return from_result(
            gateway.call(
                who, lambda c: c.update_requirement_status(requirement_id, **body.model_dump())
            )
        )

    @app.patch(
        "/api/requirements/{requirement_id}/verify", response_model=Envelope, tags=["requirements"]
    )
    def verify_requirement(requirement_id: UUID, body: VerifyIn, who: Who) -> Envelope:
        return from_result(
            gateway.call(who, lambda c: c.verify_requirement(requirement_id, **body.model_dump()))
        )

    # activity and jobs
    @app.get("/api/activity", response_model=Envelope, tags=["activity"])
    def activity(
        who: Who,
        project_name: str | None = None,
        source_type: SourceType | None = None,
        source_id: UUID | None = None,
        actor: str | None = None,
        activity_type: str | None = None,
        severity: Annotated[list[Severity] | None, Query()] = None,
        since: datetime | None = None,
        before: datetime | None = None,
        before_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.get_activity(
                project_name,
                source_type,
                source_id,
                actor,
                activity_type,
                severity,
                since,
                before,
                limit,
                before_id,
            ),
        )
        return ok(rows, metadata=next_before(rows, limit))

    @app.get("/api/activity/feature/{feature_id}", response_model=Envelope, tags=["activity"])
    def feature_activity(
        feature_id: UUID,
        who: Who,
        before: datetime | None = None,
        before_id: UUID | None = None,
        limit: Limit = 50,
    ) -> Envelope:
        rows = gateway.call(
            who,
            lambda c: c.get_activity(
                source_type="feature",
                source_id=feature_id,
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
