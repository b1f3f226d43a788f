"""Client polish: context managers, enums for every value set, docstrings from
the SQL comments, the activity-channel listener, and a cheap import."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import psycopg
import pytest
from buildtracker import (
    Access,
    AsyncClient,
    Client,
    FeatureStatus,
    FeatureType,
    Operation,
    Severity,
    SourceType,
    listen,
    registry,
)


def test_with_closes_the_connection(database_url: str) -> None:
    with Client.connect(database_url) as client:
        assert client.list_projects() is not None
        source = client.source
    assert isinstance(source, psycopg.Connection) and source.closed


def test_async_with_closes_the_connection(database_url: str) -> None:
    async def scenario() -> bool:
        async with await AsyncClient.connect(database_url) as client:
            await client.list_identities()
            source = client.source
        assert isinstance(source, psycopg.AsyncConnection)
        return bool(source.closed)

    assert asyncio.run(scenario()) is True


def test_enums_name_every_value_set_and_are_accepted(database_url: str) -> None:
    assert {a.value for a in Access} == {"reader", "writer"}
    assert {o.value for o in Operation} == {"create", "update"}
    with Client.connect(database_url) as client:
        project = client.add_project(f"Enum project {uuid.uuid4().hex[:8]}").data
        try:
            feature = client.add_feature("Enum feature", FeatureType.API, project.project_id).data
            listed = client.list_features(
                project_id=project.project_id, status=FeatureStatus.NOT_STARTED
            )
            assert [f.feature_id for f in listed] == [feature.feature_id]
            report = client.validate(SourceType.FEATURE, {"feature_name": "ab"}, Operation.CREATE)
            assert report.errors
            client.delete_feature(feature.feature_id)
        finally:
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(
                    "DELETE FROM claude.projects WHERE project_id = %s", [project.project_id]
                )


def test_docstrings_come_from_the_sql_comments() -> None:
    for name in ("start_task", "get_task", "complete_task", "get_requirement"):
        assert getattr(Client, name).__doc__ == registry.description(name)
        assert getattr(AsyncClient, name).__doc__ == registry.description(name)


def test_listen_yields_warning_rows_as_they_are_logged(database_url: str) -> None:
    title = f"Listen test {uuid.uuid4().hex[:8]}"
    received: list[dict[str, Any]] = []

    def consume() -> None:
        for payload in listen(database_url, timeout=5):
            received.append(payload)
            if payload.get("title") == title:
                return

    listener = threading.Thread(target=consume)
    listener.start()
    time.sleep(0.5)  # the listener is LISTENing
    with Client.connect(database_url) as client:
        row_id = client.log_activity(
            SourceType.SYSTEM, None, "updated", title, severity=Severity.WARNING
        )
    listener.join(timeout=10)
    assert not listener.is_alive()
    mine = [p for p in received if p.get("title") == title]
    assert len(mine) == 1 and mine[0]["id"] == str(row_id) and mine[0]["severity"] == "warning"


def test_listen_ends_after_its_timeout(database_url: str) -> None:
    started = time.monotonic()
    payloads = list(listen(database_url, timeout=0.3))  # ends once 0.3 s pass in silence
    assert time.monotonic() - started < 5
    assert all(isinstance(p, dict) for p in payloads)


def test_importing_the_package_does_not_load_psycopg() -> None:
    code = "import sys, buildtracker, buildtracker.contract; print('psycopg' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("args", [["--help"], ["task", "--bogus", "--json"]])
def test_the_cli_does_not_load_psycopg_for_help_or_a_usage_error(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from buildtracker.cli import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='buildtracker')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('loaded:', sorted(m for m in ('psycopg', 'fastapi', 'uvicorn') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "loaded: []"


def test_the_library_depends_on_psycopg_and_its_pool_only() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads(
        (Path(__file__).resolve().parents[2] / "python_client" / "pyproject.toml").read_text()
    )["project"]
    assert sorted(d.split(">")[0] for d in project["dependencies"]) == ["psycopg", "psycopg-pool"]
    extras = project["optional-dependencies"]
    assert {"binary", "cli", "api", "dev"} <= set(extras)
    assert any(d.startswith("typer") for d in extras["cli"])
    assert any(d.startswith("fastapi") for d in extras["api"])
    assert any(d.startswith("schemathesis>=4,<5") for d in extras["dev"])
