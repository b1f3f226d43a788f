"""Shared fixtures: every test talks to the real, deployed database."""

from __future__ import annotations

import os
from collections.abc import Iterator

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
