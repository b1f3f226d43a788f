"""``/docs`` without a CDN: Swagger UI served from the files the
``fastapi-offline`` wheel ships (Swagger UI 5), so that the API's
documentation works on a machine without internet access. ``/redoc`` leads
there too: ReDoc's bundle always loads its logo from its vendor's CDN."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

DOCS_STATIC = "/static/docs"


def docs_files() -> str:
    """The directory of the vendored Swagger UI and ReDoc files."""
    return str(files("fastapi_offline") / "static")


def add_docs(app: FastAPI) -> None:
    """Swagger UI at /docs (and /redoc, redirected), every asset local. ``app`` is
    made with ``docs_url=None, redoc_url=None`` (FastAPI's own pages load
    their scripts from a CDN)."""
    app.mount(DOCS_STATIC, StaticFiles(directory=docs_files()), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{redirect_url}",
            swagger_js_url=f"{root}{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{root}/static/dashboard/favicon.svg",
            # no validator badge: it would send the document to an outside service
            swagger_ui_parameters={"validatorUrl": None},
        )

    async def swagger_redirect(request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> RedirectResponse:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/docs")

    app.add_route("/docs", swagger, include_in_schema=False)
    app.add_route(redirect_url, swagger_redirect, include_in_schema=False)
    app.add_route("/redoc", redoc, include_in_schema=False)
