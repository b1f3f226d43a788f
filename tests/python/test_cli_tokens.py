"""`buildtracker token` and `buildtracker serve`, end to end over a real server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CLI = [str(Path(sys.executable).with_name("buildtracker"))]


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--database-url", database_url, *args], capture_output=True, text=True, check=False
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    """`buildtracker serve` on a free port, with authentication on."""
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "--database-url", database_url, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/openapi.json", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_token_create_use_and_revoke(database_url: str, server: str) -> None:
    name = f"cli-token-{uuid.uuid4().hex[:8]}"
    assert run(database_url, "identity", "add", name).returncode == 0
    created = run(
        database_url, "--json", "token", "create", "--identity", name, "--label", "pytest"
    )
    assert created.returncode == 0, created.stderr
    token = json.loads(created.stdout)["data"]
    assert token["token"].startswith("bt_") and token["access"] == "writer"

    headers = {"Authorization": f"Bearer {token['token']}"}
    made = httpx.post(f"{server}/api/projects", json={"project_name": f"p {name}"}, headers=headers)
    assert made.status_code == 201
    feed = httpx.get(f"{server}/api/projects", headers=headers)
    assert feed.status_code == 200

    listed = json.loads(run(database_url, "token", "list", "--json").stdout)["data"]
    assert any(t["token_id"] == token["token_id"] and t["revoked_at"] is None for t in listed)
    assert token["token"] not in json.dumps(listed)  # only hashes are kept

    assert run(database_url, "token", "revoke", token["token_id"]).returncode == 0
    assert httpx.get(f"{server}/api/projects", headers=headers).status_code == 401
    again = run(database_url, "token", "revoke", token["token_id"])
    assert again.returncode == 5  # not found: already revoked


def test_reader_token_cannot_write(database_url: str, server: str) -> None:
    name = f"cli-reader-{uuid.uuid4().hex[:8]}"
    assert run(database_url, "identity", "add", name).returncode == 0
    token = json.loads(
        run(
            database_url, "--json", "token", "create", "--identity", name, "--access", "reader"
        ).stdout
    )["data"]
    headers = {"Authorization": f"Bearer {token['token']}"}
    assert httpx.get(f"{server}/api/projects", headers=headers).status_code == 200
    refused = httpx.post(
        f"{server}/api/projects", json={"project_name": f"r {name}"}, headers=headers
    )
    assert refused.status_code == 403
    assert refused.json()["success"] is False


def test_token_for_an_unknown_identity_is_refused(database_url: str) -> None:
    result = run(database_url, "token", "create", "--identity", f"nobody-{uuid.uuid4().hex}")
    assert result.returncode == 5


def test_serve_without_auth_says_so_loudly(database_url: str) -> None:
    port = free_port()
    env = {**os.environ}
    process = subprocess.Popen(
        [*CLI, "--database-url", database_url, "serve", "--port", str(port), "--insecure-no-auth"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/projects", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer.status_code == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "authentication is OFF" in output
