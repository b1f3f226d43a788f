"""A deploy that cannot work stops with one clear sentence: a login without the
needed privileges, or a database holding a 0.x development release."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

PREFLIGHT = Path(__file__).resolve().parents[2] / "scripts" / "preflight.sql"


@pytest.fixture
def unprivileged_url(database_url: str) -> Iterator[str]:
    """A login role with no CREATE on the database and no CREATEROLE."""
    role = f"bt_nopriv_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        superuser = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        if not superuser or not superuser[0]:
            pytest.skip("needs a superuser to create a throwaway login")
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute(
            sql.SQL("REVOKE CREATE ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(urlsplit(database_url).path.lstrip("/"))
            )
        )
    parts = urlsplit(database_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{role}@{host}" + (f":{parts.port}" if parts.port else "")
    try:
        yield urlunsplit(parts._replace(netloc=netloc))
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_preflight_names_every_missing_privilege(unprivileged_url: str) -> None:
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", unprivileged_url, "-f", str(PREFLIGHT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    message = result.stderr
    assert "buildtracker cannot be deployed by role" in message
    assert "CREATE on database" in message
    assert "CREATEROLE" in message or "membership in role buildtracker_owner" in message
    assert message.count("ERROR") == 1, message  # one clear error, not a stack of them


def test_preflight_passes_for_the_deploying_superuser(database_url: str) -> None:
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database_url, "-f", str(PREFLIGHT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("registry_rows", "named"),
    [
        ("INSERT INTO sqitch.tags (project, tag) VALUES ('buildtracker', '@v0.4.4')", "@v0.4.4"),
        # deployed part of the way, before any tag
        (
            "INSERT INTO sqitch.changes (project, change) VALUES ('buildtracker', 'error_contract')",
            "0.x",
        ),
    ],
)
def test_preflight_refuses_a_0x_database(database_url: str, registry_rows: str, named: str) -> None:
    """A database deployed with the 0.x plan is told to be recreated, in one sentence."""
    name = f"bt_preflight_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(database_url)._replace(path="/" + name))
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            # the columns of Sqitch's registry that preflight reads
            conn.execute("CREATE SCHEMA sqitch")
            conn.execute("CREATE TABLE sqitch.tags (project text, tag text)")
            conn.execute("CREATE TABLE sqitch.changes (project text, change text)")
            conn.execute(
                "INSERT INTO sqitch.tags (project, tag) VALUES ('other_project', '@v0.1.0')"
            )
            result = run_preflight(url)
            assert result.returncode == 0, result.stderr  # another project's 0.x is not ours
            conn.execute(registry_rows)
        result = run_preflight(url)
        assert result.returncode != 0
        assert f"holds buildtracker {named}, a 0.x development release" in result.stderr
        assert "recreate the database" in result.stderr
        assert result.stderr.count("ERROR") == 1, result.stderr
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def run_preflight(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(PREFLIGHT)],
        capture_output=True,
        text=True,
        check=False,
    )
