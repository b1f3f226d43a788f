"""Read replicas (SPEC section 13, docs/REPLICAS.md) against a real streaming
replica: ``scripts/pg_embedded.sh replica-start`` makes a hot standby of the
embedded cluster with ``pg_basebackup -R`` on a free port for this module, and
removes it at the end.

The client sends reads there (``last_read_from``) with the same answers as the
primary; a read after the session's own write always sees it (the replica
answers once it has replayed the write, else the primary: with replay paused,
the primary); reads in the caller's transaction and every write stay on the
primary; a killed or stopped replica costs no failed call, and reads go back to
it once it is up again; the CLI (``--read-url``, ``BUILDTRACKER_READ_URL``),
the REST API's GET routes and the dashboard read through it too.

Skipped when DATABASE_URL names another server than the embedded one: the
replica is copied from the embedded cluster's data directory.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from buildtracker import Client
from buildtracker.api import create_app
from buildtracker.cli import app
from buildtracker.client import Replica
from buildtracker.dashboard.web import COOKIE
from buildtracker.errors import BuildTrackerError
from dashboard_support import make_token
from fastapi.testclient import TestClient
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typer.testing import CliRunner

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg_embedded.sh"
EMBEDDED_PORT = int(os.environ.get("PG_PORT", "54329"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def embedded(command: str, replica_port: int) -> None:
    env = {**os.environ, "PG_PORT": str(EMBEDDED_PORT), "REPLICA_PORT": str(replica_port)}
    done = subprocess.run(
        [str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, f"pg_embedded.sh {command}: {done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def replica_port(database_url: str) -> Iterator[int]:
    info = conninfo_to_dict(database_url)
    host, port = info.get("host"), int(info.get("port") or 5432)
    if host not in ("127.0.0.1", "localhost") or port != EMBEDDED_PORT:
        pytest.skip(
            f"DATABASE_URL names {host}:{port}, not the embedded server 127.0.0.1:{EMBEDDED_PORT}:"
            " the replica is made with pg_basebackup from the embedded cluster"
        )
    replica = free_port()
    embedded("replica-start", replica)
    try:
        yield replica
    finally:
        embedded("replica-destroy", replica)


@pytest.fixture(scope="module")
def replica_url(database_url: str, replica_port: int) -> str:
    return make_conninfo(database_url, port=str(replica_port))


@pytest.fixture
def client(database_url: str, replica_url: str) -> Iterator[Client]:
    with Client.connect(database_url, read_url=replica_url, actor="replica-test") as routed:
        yield routed


def tag() -> str:
    return uuid.uuid4().hex[:10]


def caught_up(database_url: str, replica_url: str) -> None:
    """Wait until the replica has replayed everything the primary has now."""
    with psycopg.connect(database_url, autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
    assert target is not None
    with psycopg.connect(replica_url, autocommit=True) as standby:
        for _ in range(200):
            row = standby.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target[0],)
            ).fetchone()
            if row is not None and row[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the replica did not catch up within 10 s")


@contextmanager
def replay_paused(replica_url: str) -> Iterator[None]:
    """The replica stops replaying the primary's WAL: it holds the data of now."""
    with psycopg.connect(replica_url, autocommit=True) as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
        for _ in range(200):
            state = standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()
            if state is not None and state[0] == "paused":
                break
            time.sleep(0.05)
        try:
            yield
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")


# ---------------------------------------------------------------- a real standby


def test_the_replica_is_a_streaming_standby_that_refuses_writes(replica_url: str) -> None:
    with psycopg.connect(replica_url, autocommit=True) as standby:
        row = standby.execute(
            "SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver)"
        ).fetchone()
        assert row == (True, "streaming")
        with pytest.raises(BuildTrackerError) as refused:
            Client(standby).add_project(f"never-{tag()}")
        assert refused.value.sqlstate == "25006"  # read_only_sql_transaction


# ---------------------------------------------------------------- the client


def test_a_read_goes_to_the_replica_with_the_primarys_answer(
    client: Client, database_url: str, replica_url: str
) -> None:
    assert client.last_read_from is None
    with Client.connect(database_url) as writer:
        project = writer.add_project(f"replica-read-{tag()}").data
        feature = writer.add_feature("Routed reads", "feature", project.project_id).data
    caught_up(database_url, replica_url)

    from_replica = client.get_project(project.project_id)
    assert client.last_read_from == "replica"
    with Client.connect(database_url) as primary:
        assert from_replica == primary.get_project(project.project_id)
        assert client.get_feature_with_children(
            feature.feature_id
        ) == primary.get_feature_with_children(feature.feature_id)
        assert client.last_read_from == "replica"
        assert client.list_features(project_id=project.project_id) == primary.list_features(
            project_id=project.project_id
        )
    # a missing row is the same error from either server
    with pytest.raises(BuildTrackerError) as missing:
        client.get_project(uuid.uuid4())
    assert missing.value.sqlstate == "P0002" and client.last_read_from == "replica"


def test_a_read_after_the_sessions_write_sees_it(client: Client) -> None:
    assert client.replica is not None
    client.replica.wait = 2.0  # generous, so that the replica answers every read here
    project = client.add_project(f"ryw-{tag()}").data
    served = []
    for n in range(50):
        feature = client.add_feature(f"feature {n}", "feature", project.project_id).data
        read = client.get_feature(feature.feature_id)
        assert read == feature
        served.append(client.last_read_from)
    assert served == ["replica"] * 50


def test_the_primary_answers_while_the_replica_lags(
    client: Client, database_url: str, replica_url: str
) -> None:
    with Client.connect(database_url) as writer:
        before = writer.add_project(f"before-pause-{tag()}").data
    caught_up(database_url, replica_url)
    with replay_paused(replica_url):
        with Client.connect(database_url) as writer:
            unseen = writer.add_project(f"during-pause-{tag()}").data
        # no write of this session: the replica's (older) data is the answer
        names = [p.project_name for p in client.list_projects()]
        assert client.last_read_from == "replica"
        assert before.project_name in names and unseen.project_name not in names

        # after its own write the session reads it: from the primary, after a short wait
        project = client.add_project(f"during-pause-mine-{tag()}").data
        started = time.monotonic()
        assert client.get_project(project.project_id).project_name == project.project_name
        assert client.last_read_from == "primary"
        assert client.replica is not None
        assert client.replica.wait <= time.monotonic() - started < client.replica.wait + 1.0
    caught_up(database_url, replica_url)
    assert client.get_project(project.project_id) == project
    assert client.last_read_from == "replica"


def test_reads_in_the_callers_transaction_stay_on_the_primary(
    database_url: str, replica_url: str
) -> None:
    with Client.connect(database_url, read_url=replica_url) as client:
        assert isinstance(client.source, psycopg.Connection)
        with client.source.transaction():
            project = client.add_project(f"in-tx-{tag()}").data
            assert client.get_project(project.project_id) == project
            assert client.last_read_from == "primary"
            client.list_projects()
            assert client.last_read_from == "primary"
    # a connection without autocommit: every statement is in the caller's transaction
    with Client.connect(database_url, read_url=replica_url, autocommit=False) as client:
        project = client.add_project(f"no-autocommit-{tag()}").data
        assert client.get_project(project.project_id) == project
        assert client.last_read_from == "primary"
        assert isinstance(client.source, psycopg.Connection)
        client.source.rollback()


def test_a_killed_replica_costs_no_failed_read(
    client: Client, database_url: str, replica_url: str, replica_port: int
) -> None:
    assert client.replica is not None
    client.replica.retry_after = 1.0
    client.replica.wait = 2.0  # generous: under load the replay of the write may take a while
    project = client.add_project(f"failover-{tag()}").data
    assert client.get_project(project.project_id) == project
    assert client.last_read_from == "replica"

    embedded("replica-kill", replica_port)
    try:
        for _ in range(5):
            assert client.get_project(project.project_id) == project
            assert client.last_read_from == "primary"
        assert project.project_name in [p.project_name for p in client.list_projects()]
        assert client.last_read_from == "primary"
    finally:
        embedded("replica-start", replica_port)
    # back to the replica once retry_after has passed
    deadline = time.monotonic() + 15
    while True:
        assert client.get_project(project.project_id) == project
        if client.last_read_from == "replica":
            break
        assert time.monotonic() < deadline, "reads did not go back to the replica"
        time.sleep(0.2)

    # a clean shutdown (57P01 admin_shutdown to its sessions) is the same
    embedded("replica-stop", replica_port)
    try:
        assert client.get_project(project.project_id) == project
        assert client.last_read_from == "primary"
    finally:
        embedded("replica-start", replica_port)


def test_a_replica_that_was_never_up_is_no_failure(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = make_conninfo(database_url, host="127.0.0.1", port=str(free_port()))
    with Client.connect(database_url, read_url=nowhere) as client:
        project = client.add_project(f"no-replica-{tag()}").data
        assert client.get_project(project.project_id) == project
        assert client.last_read_from == "primary"
        assert client.list_projects() and client.last_read_from == "primary"
    # once per failure found (the second read did not try again): how a wrong URL shows
    warned = [r for r in caplog.records if r.name == "buildtracker.client"]
    assert len(warned) == 1 and "read replica unavailable" in warned[0].getMessage()


# ---------------------------------------------------------------- the CLI, the API, the dashboard


def test_the_cli_reads_through_the_replica(database_url: str, replica_url: str) -> None:
    runner = CliRunner()

    def names(*options: str, env: dict[str, str] | None = None) -> list[str]:
        result = runner.invoke(
            app,
            ["--json", "--database-url", database_url, *options, "project", "list"],
            env={"BUILDTRACKER_READ_URL": "", **(env or {})},
        )
        assert result.exit_code == 0, result.output
        return [p["project_name"] for p in json.loads(result.stdout)["data"]]

    with replay_paused(replica_url):
        with Client.connect(database_url) as writer:
            unseen = writer.add_project(f"cli-unseen-{tag()}").data.project_name
        # the replica does not have it yet: the list came from there
        assert unseen not in names("--read-url", replica_url)
        assert unseen not in names(env={"BUILDTRACKER_READ_URL": replica_url})
        assert unseen in names()
        # the CLI's own write is read back within the same command: from the primary
        mine = f"cli-mine-{tag()}"
        routed = ["--json", "--database-url", database_url, "--read-url", replica_url]
        result = runner.invoke(app, [*routed, "project", "add", mine])
        assert result.exit_code == 0, result.output
    caught_up(database_url, replica_url)
    assert {unseen, mine} <= set(names("--read-url", replica_url))


def test_the_api_and_the_dashboard_read_through_the_replica(
    database_url: str, replica_url: str, replica_port: int
) -> None:
    writer_token = make_token(database_url, tag(), "writer")
    reader_token = make_token(database_url, tag(), "reader")
    caught_up(database_url, replica_url)
    app_ = create_app(database_url, read_url=replica_url, pool_size=2)
    with TestClient(app_) as http:
        gateway = app_.state.gateway
        assert gateway.replica is not None
        reader = {"Authorization": f"Bearer {reader_token}"}
        writer = {"Authorization": f"Bearer {writer_token}"}
        with replay_paused(replica_url):
            with Client.connect(database_url) as outside:
                unseen = outside.add_project(f"api-unseen-{tag()}").data.project_name
            listed = http.get("/api/projects", headers=reader).json()["data"]
            assert gateway.last_read_from == "replica"
            assert unseen not in [p["project_name"] for p in listed]
            http.cookies.set(COOKIE, reader_token)
            page = http.get("/")
            assert page.status_code == 200 and gateway.last_read_from == "replica"
            assert unseen not in page.text

            # this process wrote: its next GET waits for the replica, then asks the primary
            mine = f"api-mine-{tag()}"
            created = http.post("/api/projects", json={"project_name": mine}, headers=writer)
            assert created.status_code == 201, created.text
            found = http.get(f"/api/projects/{mine}", headers=reader)
            assert found.status_code == 200 and gateway.last_read_from == "primary"
            assert mine in http.get("/").text
        caught_up(database_url, replica_url)
        page = http.get("/")
        assert gateway.last_read_from == "replica" and unseen in page.text and mine in page.text

        # the replica down: pages and GETs are answered by the primary
        embedded("replica-kill", replica_port)
        try:
            assert http.get("/").status_code == 200 and gateway.last_read_from == "primary"
            assert http.get("/api/projects", headers=reader).status_code == 200
            assert gateway.last_read_from == "primary"
        finally:
            embedded("replica-start", replica_port)


def test_the_mcp_server_reads_through_the_replica(database_url: str, replica_url: str) -> None:
    """BUILDTRACKER_READ_URL for ``buildtracker mcp``: one replica for the
    server, so a tool's read after the server's own write sees it."""
    from buildtracker.mcp_server import Gateway, Settings, open_pool

    pool = open_pool(database_url)
    gateway = Gateway(Settings(database_url, read_url=replica_url), pool)
    try:
        assert gateway.replica is not None
        with Client.connect(database_url) as writer:
            project = writer.add_project(f"mcp-replica-{tag()}").data
        caught_up(database_url, replica_url)
        reader = gateway.client()
        assert reader.get_project(project.project_id) == project
        assert reader.last_read_from == "replica"
        # the server's own write, then a read by another tool call, while the
        # replica cannot replay it: the read waits, then the primary answers
        with replay_paused(replica_url):
            mine = gateway.client().add_project(f"mcp-mine-{tag()}").data
            again = gateway.client()
            assert again.get_project(mine.project_id) == mine
            assert again.last_read_from == "primary"
        # replayed: the replica answers again, and has it
        caught_up(database_url, replica_url)
        later = gateway.client()
        assert later.get_project(mine.project_id) == mine
        assert later.last_read_from == "replica"
    finally:
        if gateway.replica is not None:
            gateway.replica.close()
        pool.close()


def test_read_your_writes_holds_for_readers_at_once(database_url: str, replica_url: str) -> None:
    """One replica shared by threads (the REST API, the MCP server): a write,
    then several reads at once, each after the write; with replay paused none
    of them may be answered by the replica (which does not have the write)."""
    from concurrent.futures import ThreadPoolExecutor

    from psycopg_pool import ConnectionPool

    replica = Replica(replica_url, size=4)
    pool: ConnectionPool[Any] = ConnectionPool(
        database_url, min_size=1, max_size=4, kwargs={"autocommit": True}, open=True
    )
    try:
        with replay_paused(replica_url):
            project = Client(pool, replica=replica).add_project(f"threads-{tag()}").data

            def read(_: int) -> str | None:
                reader = Client(pool, replica=replica)
                assert reader.get_project(project.project_id) == project
                return reader.last_read_from

            with ThreadPoolExecutor(max_workers=4) as threads:
                sources = list(threads.map(read, range(12)))
        assert sources == ["primary"] * 12
    finally:
        replica.close()
        pool.close()
