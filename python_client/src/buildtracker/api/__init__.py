"""REST API over the client: the seed's endpoints, its envelope, bearer tokens.

Each request runs in one transaction on a pooled connection, as the database
role of its token (``SET LOCAL ROLE buildtracker_reader`` or ``_writer``), so
the database itself refuses a reader's write (403). The token's identity is
the actor of every write. The API login must be a member of both roles.

Every id a request names (path, query or body) may be a unique prefix of at
least 8 hex characters, or a name for projects and identities, resolved by
``claude.resolve_id`` in the request's transaction (SPEC section 11). A query
parameter the route does not declare is refused (422 naming it).

The rooms: ``common`` (envelope, gateway, caller, ids, query check, exception
handlers), ``bodies`` (request bodies), and one router per resource
(``projects``, ``features``, ``components``, ``tasks``, ``requirements``,
``validation``, ``activity``, ``comments``, ``search``, ``jobs``, ``feed``),
included here in that order.

Every function of the registry (``buildtracker/registry.json``) is reached by
a route, except the admin's (``create_api_token``, ``revoke_api_token``,
``list_api_tokens``, ``prune_activity``: the CLI or SQL, as the owner), the
whole-database transfer (``export_records``, ``import_records``: the CLI's
``export`` and ``import``),
``authenticate_api_token``, which authenticates each request, and
``resolve_id``, which every id a request names goes through.

No input is answered with 500 (SPEC section 12): a body over 1 MB is a 413
(``BodyLimit``), text the database cannot store a 422, a program limit of the
database (SQLSTATE class 54) a 422, a timeout, lock timeout or lost race a 503
with Retry-After (after the request's transaction was retried, for 40001 and
40P01), and a 5xx never carries the database's own text. A 500 in the JSON
contract remains for bugs.

``create_app`` also installs the read-only web dashboard (``buildtracker.dashboard``:
pages at ``/``, signed in with the same tokens, held in a cookie) and serves
``/docs`` and ``/redoc`` from vendored files, never from a CDN.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from psycopg_pool import ConnectionPool

from buildtracker import dashboard
from buildtracker.api import (
    activity,
    comments,
    components,
    features,
    feed,
    jobs,
    projects,
    requirements,
    search,
    tasks,
    validation,
)
from buildtracker.api.common import (
    ERROR_RESPONSES,
    EXCEPTION_HANDLERS,
    ID_HELP,
    MAX_BODY_BYTES,
    BodyLimit,
    Envelope,
    ErrorModel,
    Failure,
    Gateway,
    Principal,
    Unauthorized,
    database_failure,
    error_response,
    log,
    no_unknown_query_parameters,
)
from buildtracker.client import Replica

__all__ = [
    "ERROR_RESPONSES",
    "ID_HELP",
    "MAX_BODY_BYTES",
    "ROUTERS",
    "BodyLimit",
    "Envelope",
    "ErrorModel",
    "Failure",
    "Gateway",
    "Principal",
    "Unauthorized",
    "add_routes",
    "create_app",
    "database_failure",
    "error_response",
]

# Added in this order: the order of the OpenAPI document's paths, and of matching.
ROUTERS: tuple[APIRouter, ...] = (
    projects.router,
    features.router,
    components.router,
    tasks.router,
    requirements.router,
    validation.router,
    activity.router,
    comments.router,
    search.router,
    jobs.router,
    feed.router,
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the gateway's pool (and replica) for the app's run (one per start)."""
    gateway: Gateway = app.state.gateway
    pool: ConnectionPool[Any] = ConnectionPool(
        gateway.database_url,
        min_size=1,
        max_size=gateway.pool_size,
        open=False,
        kwargs={"autocommit": False},
        # a connection the server closed while pooled (a restart, an idle
        # timeout, pg_terminate_backend) is replaced, not handed to a request
        check=ConnectionPool.check_connection,
    )
    pool.open(wait=True)
    gateway.pool_or_none = pool
    if gateway.read_url:
        # connected on first use: a replica that is down does not stop the start
        gateway.replica = Replica(gateway.read_url, size=gateway.pool_size)
    if not gateway.authenticate:
        log.warning(
            "AUTHENTICATION IS OFF (--insecure-no-auth): every request runs with the API "
            "login's own rights. Use this for local development only."
        )
    yield
    gateway.pool_or_none = None
    pool.close()
    if gateway.replica is not None:
        gateway.replica.close()
        gateway.replica = None


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Add ``router``'s routes to ``app`` as its own, as if declared on it: each
    gets the app's dependencies (the query-parameter check) and error responses,
    and ``app.routes`` lists every operation as an APIRoute with its whole path.
    (Recent FastAPI's ``include_router`` adds one lazy entry per router instead.)"""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r}: an API router holds API routes only")
        app.router.add_api_route(
            route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses=route.responses,
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
        )


def create_app(
    database_url: str,
    *,
    authenticate: bool = True,
    pool_size: int = 10,
    read_url: str | None = None,
) -> FastAPI:
    """The REST API. ``authenticate=False`` is for local development only.
    ``read_url``: a streaming replica for the GET requests (docs/REPLICAS.md)."""
    app = FastAPI(
        title="buildtracker",
        version="0.1.0",
        description="Build tracking data gateway: every rule lives in PostgreSQL schema claude.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(no_unknown_query_parameters)],
        # served by the dashboard from vendored files, not from a CDN
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = Gateway(
        database_url=database_url,
        authenticate=authenticate,
        pool_size=pool_size,
        read_url=read_url,
    )
    for exc_class, handler in EXCEPTION_HANDLERS:
        app.exception_handler(exc_class)(handler)
    app.add_middleware(BodyLimit)
    for router in ROUTERS:
        add_routes(app, router)
    # the read-only web dashboard at / and the offline /docs (SPEC section 11)
    dashboard.install(app)
    return app
