"""The dashboard's routes: server-rendered pages, the board fragment the page
refreshes, the live feed stream, and signing in with an API token.

Authentication is the API's (``Gateway.principal``: ``authenticate_api_token``
for every request, the token's role for every read), with the token carried
in a cookie, since a browser cannot send a bearer header when it navigates:
``/?token=...`` (on any page) or the sign-in form sets it, HttpOnly and
SameSite=Strict, and the page is answered again without the token in its
address. No cookie, or a token that is unknown or revoked: a 401 page with
the sign-in form. ``--insecure-no-auth`` needs no token, as for the API.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode
from uuid import UUID

import jinja2
import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from markupsafe import escape
from starlette.concurrency import run_in_threadpool

from buildtracker.api.common import Gateway, Principal, Unauthorized, resolve, status_of
from buildtracker.client import Client
from buildtracker.dashboard import live, views
from buildtracker.errors import BuildTrackerError, from_psycopg
from buildtracker.ids import whole_uuid
from buildtracker.models import Activity

COOKIE = "buildtracker_token"
# Every asset is the package's own: nothing is loaded from anywhere else.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- templates


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """``moment`` relative to now: "just now", "5 min ago", "3 h ago", "2 d ago"."""
    if moment is None:
        return ""
    seconds = int(((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(seconds // 60, 1)} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


templates = jinja2.Environment(
    loader=jinja2.PackageLoader("buildtracker.dashboard", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(
    ago=ago,
    stamp=stamp,
    short=views.short,
    status_title=views.status_title,
    changes=views.changes_of,
)
templates.globals.update(source_href=views.source_href)


def render(name: str, **context: Any) -> str:
    return templates.get_template(name).render(**context)


def render_row(row: Activity) -> str:
    """One feed row as the feed page's list item (the live stream sends it too)."""
    return templates.get_template("_row.html").module.row(row)  # type: ignore[attr-defined, no-any-return]


def html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**PAGE_HEADERS, **(headers or {})})


# ---------------------------------------------------------------- who is asking


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def principal_of(request: Request) -> Principal:
    """The caller, authenticated as the API does it, with the cookie's token."""
    return gateway_of(request).principal(request, request.cookies.get(COOKIE))


def signed_in(request: Request, token: str, target: str) -> Response:
    """Remember ``token`` (when it is valid) and go to ``target``."""
    try:
        gateway_of(request).principal(request, token)
    except Unauthorized as exc:
        return login_page(request, str(exc), target)
    response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE,
        token.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def login_page(request: Request, reason: str, target: str) -> Response:
    """401: the page says why and asks for a token."""
    return html(
        render("login.html", reason=reason, target=safe_target(target), who=None, nav=None),
        status=401,
    )


def safe_target(target: str) -> str:
    """A path of this site to go back to after signing in (never another host)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def without_token(request: Request) -> str:
    """The request's path and query, less the token."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


# ---------------------------------------------------------------- one page


def error_page(
    request: Request, exc: BuildTrackerError | psycopg.Error, who: Principal | None
) -> Response:
    if isinstance(exc, psycopg.Error):
        exc = from_psycopg(exc)
    status = status_of(exc)
    message = exc.message if status < 500 else "the database could not answer; retry"
    return html(render("error.html", status=status, message=message, who=who, nav=None), status)


def page(
    request: Request,
    template: str,
    build: Callable[[Client], dict[str, Any]],
) -> Response:
    """A page: sign in with ``?token=`` if given, authenticate, read with
    ``build`` in one transaction as the token's role, render ``template``."""
    token = request.query_params.get("token")
    if token is not None:
        return signed_in(request, token, without_token(request))
    try:
        who = principal_of(request)
    except Unauthorized as exc:
        return login_page(request, str(exc), without_token(request))
    except (BuildTrackerError, psycopg.Error) as exc:  # the database, not the token
        return error_page(request, exc, None)
    try:
        context = gateway_of(request).call(who, build)
    except (BuildTrackerError, psycopg.Error) as exc:
        return error_page(request, exc, who)
    return html(render(template, who=who, path=request.url.path, **context))


def uuid_or_404(c: Client, field: str, ref: str) -> UUID:
    """The id ``ref`` names: a whole id, a prefix of 8 or more hex characters,
    or a name for a project or identity (resolved as the API does)."""
    return resolve(c, field, ref)


# ---------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse)
def projects_page(request: Request) -> Response:
    return page(request, "projects.html", lambda c: {"nav": None, **views.projects_view(c)})


def entity_page(
    request: Request,
    template: str,
    view: Callable[[Client, UUID], dict[str, Any]],
    field: str,
    ref: str,
) -> Response:
    """The page of one entity (``ref``: an id or prefix, 404 when it names
    nothing), with its project in the navigation."""

    def build(c: Client) -> dict[str, Any]:
        context = view(c, uuid_or_404(c, field, ref))
        return {"nav": context["project"], **context}

    return page(request, template, build)


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: str) -> Response:
    return entity_page(request, "project.html", views.project_view, "project_id", project_id)


@router.get("/features/{feature_id}", response_class=HTMLResponse)
def feature_page(request: Request, feature_id: str) -> Response:
    return entity_page(request, "feature.html", views.feature_view, "feature_id", feature_id)


@router.get("/features/{feature_id}/graph", response_class=HTMLResponse)
def graph_page(request: Request, feature_id: str) -> Response:
    return entity_page(request, "graph.html", views.graph_view, "feature_id", feature_id)


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(request: Request, task_id: str) -> Response:
    return entity_page(request, "task.html", views.task_view, "task_id", task_id)


def board_filters(c: Client, request: Request) -> views.BoardFilters:
    params = request.query_params
    assignee = params.get("assignee") or None
    feature = params.get("feature") or None
    return views.BoardFilters(
        label=params.get("label") or None,
        assignee=uuid_or_404(c, "assigned_to_identity_id", assignee) if assignee else None,
        feature=uuid_or_404(c, "feature_id", feature) if feature else None,
    )


@router.get("/projects/{project_id}/board", response_class=HTMLResponse)
def board_page(request: Request, project_id: str) -> Response:
    def build(c: Client) -> dict[str, Any]:
        pid = uuid_or_404(c, "project_id", project_id)
        board = views.board_view(c, pid, board_filters(c, request))
        return {"nav": board.project, "board": board, "cursor": views.feed_cursor(c)}

    return page(request, "board.html", build)


@router.get("/projects/{project_id}/board/columns", response_class=HTMLResponse)
def board_columns(request: Request, project_id: str) -> Response:
    """The board's columns alone: what the board page fetches when a task moves."""
    try:
        who = principal_of(request)
    except Unauthorized as exc:
        return html(f"<p>{escape(str(exc))}</p>", status=401)

    def build(c: Client) -> views.Board:
        return views.board_view(
            c, uuid_or_404(c, "project_id", project_id), board_filters(c, request)
        )

    try:
        board = gateway_of(request).call(who, build)
    except (BuildTrackerError, psycopg.Error) as exc:
        return error_page(request, exc, who)
    return html(render("_columns.html", board=board))


@router.get("/projects/{project_id}/requirements", response_class=HTMLResponse)
def requirements_page(request: Request, project_id: str) -> Response:
    def build(c: Client) -> dict[str, Any]:
        context = views.requirements_view(c, uuid_or_404(c, "project_id", project_id))
        return {"nav": context["project"], **context}

    return page(request, "requirements.html", build)


@router.get("/feed", response_class=HTMLResponse)
def feed_page(request: Request) -> Response:
    project = request.query_params.get("project") or None
    return page(request, "feed.html", lambda c: {"nav": None, **views.feed_view(c, project)})


@router.get("/feed/stream")
async def feed_stream(request: Request) -> Response:
    """Server-sent events: every new row of the feed, in chain order, from the
    ``Last-Event-ID`` a reconnecting browser sends (or ``after``)."""
    try:
        who = await run_in_threadpool(principal_of, request)
    except Unauthorized as exc:
        return Response(str(exc), status_code=401, media_type="text/plain")
    gateway = gateway_of(request)
    start = request.headers.get("last-event-id") or request.query_params.get("after") or ""
    follower = live.Follower(
        database_url=gateway.database_url,
        role=who.role,
        token=request.cookies.get(COOKIE) if gateway.authenticate else None,
        cursor=whole_uuid(start),
        project_name=request.query_params.get("project") or None,
    )
    return StreamingResponse(
        live.follow(follower, render_row, request.is_disconnected),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# ---------------------------------------------------------------- signing in and out


@router.post("/login")
async def login(request: Request) -> Response:
    """The sign-in form: ``token`` (and ``next``, the page to go back to)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0]
    target = safe_target((form.get("next") or ["/"])[0])
    return await run_in_threadpool(signed_in, request, token, target)


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def routes() -> list[APIRoute]:
    """The dashboard's routes (each an APIRoute without the API's dependencies)."""
    return [r for r in router.routes if isinstance(r, APIRoute)]
