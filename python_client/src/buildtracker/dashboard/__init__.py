"""The read-only web dashboard ``buildtracker serve`` answers at ``/`` (SPEC
section 11): projects and features with progress and their completion gate,
the task board, a feature's dependency graph, requirements and their
verification, and the activity feed, live.

Server-rendered (Jinja2 templates, a little vanilla JavaScript for the live
parts), every asset shipped in this package (``static/``) and the API's
``/docs`` served from vendored files: nothing is fetched from another host.
Pages only read, through the client, as the role of the caller's API token
(a reader token is enough); see ``web`` for signing in, ``views`` for what
each page reads, ``graph`` for the dependency graph's layout and ``live``
for the feed's server-sent events.

``create_app`` (``buildtracker.api``) calls :func:`install`.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

__all__ = ["install", "render_board_ms"]


def install(app: FastAPI) -> None:
    """Add the dashboard, its static files and the offline /docs to ``app``.

    The dashboard's routes are added as they are, without the API's global
    dependencies (the bearer token, the unknown-query-parameter check): the
    dashboard authenticates with its cookie (``web.principal_of``)."""
    from buildtracker.dashboard import docs, web

    docs.add_docs(app)
    app.mount(
        "/static/dashboard",
        StaticFiles(packages=[("buildtracker.dashboard", "static")]),
        name="dashboard-static",
    )
    app.router.routes.extend(web.routes())


def render_board_ms(
    database_url: str,
    project: str,
    *,
    repeat: int = 5,
    role: str | None = "buildtracker_reader",
    **filters: Any,
) -> float:
    """The server time of rendering ``project``'s board (its reads and its
    HTML), in milliseconds: the median of ``repeat`` renders after one
    warm-up, on one connection, as ``role`` (the reader, as with a reader
    token). ``project`` is a name, an id or an id prefix; ``filters`` are
    BoardFilters' (label, assignee, feature: UUIDs). For ``make bench``."""
    import psycopg
    from psycopg import sql

    from buildtracker.api.common import resolve
    from buildtracker.client import Client
    from buildtracker.dashboard import views, web

    with psycopg.connect(database_url) as conn:
        client = Client(conn)
        times: list[float] = []
        for attempt in range(repeat + 1):
            start = time.perf_counter()
            with conn.transaction():
                if role:
                    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
                pid = resolve(client, "project", project, "project")
                board = views.board_view(client, pid, views.BoardFilters(**filters))
                cursor = views.feed_cursor(client)
            body = web.render(
                "board.html", who=None, path="/", nav=board.project, board=board, cursor=cursor
            )
            elapsed = (time.perf_counter() - start) * 1000
            assert "board-columns" in body
            if attempt:
                times.append(elapsed)
        conn.rollback()
    times.sort()
    return times[len(times) // 2]
