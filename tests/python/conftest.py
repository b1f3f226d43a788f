"""Shared fixtures: every test talks to the real, deployed database."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail("DATABASE_URL is not set; run the tests through `make test`")
    return url


@pytest.fixture
def conn(database_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection whose work is rolled back after the test."""
    with psycopg.connect(database_url) as connection:
        yield connection
        connection.rollback()


# ---------------------------------------------------------------- registry coverage
# Every SQL function the client calls during the session, through the sync and
# the async client (the CLI and the REST API run on the sync one), so that
# tests/python/test_zz_registry_coverage.py can check every registry entry was
# exercised. Recorded from the statement itself: SELECT ... claude."name"(...).

CALLED: dict[str, set[str]] = {"sync": set(), "async": set(), "cli": set(), "rest": set()}


def _surface() -> str | None:
    """ "cli" or "rest" when the call was made by a CLI command or a REST route
    (in-process: CliRunner, TestClient), found on the call stack."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("buildtracker.cli."):
            return "cli"
        if module.startswith("buildtracker.api."):
            return "rest"
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _function_of(call: Any) -> str:
    match = re.search(r'claude\."?(\w+)"?\(', call.query.as_string(None))
    return match.group(1) if match else ""


@pytest.fixture(scope="session", autouse=True)
def record_client_calls() -> Iterator[None]:
    from buildtracker.client import AsyncClient, Client

    sync_run, async_run = Client.run, AsyncClient.run

    def run(self: Client, call: Any) -> Any:
        CALLED["sync"].add(_function_of(call))
        surface = _surface()
        if surface:
            CALLED[surface].add(_function_of(call))
        return sync_run(self, call)

    async def arun(self: AsyncClient, call: Any) -> Any:
        CALLED["async"].add(_function_of(call))
        return await async_run(self, call)

    Client.run = run  # type: ignore[method-assign]
    AsyncClient.run = arun  # type: ignore[method-assign]
    yield
    Client.run = sync_run  # type: ignore[method-assign]
    AsyncClient.run = async_run  # type: ignore[method-assign]
