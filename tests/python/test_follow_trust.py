"""``buildtracker activity --follow`` prints rows of the feed, never a payload (SPEC 12).

Any login may NOTIFY on channel buildtracker_activity. The command, run as the
console script in a subprocess, gets forged notifications (an id no row has;
fields the database refuses as filters; the id of a real info row, which the
trigger never announces) and one real warning row logged with
claude.log_activity. Only the real warning is printed, and the command keeps
following until its timeout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from typing import Any

import psycopg
from buildtracker import Client

LISTENING = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND query = 'LISTEN buildtracker_activity'"
)


def notify(conn: psycopg.Connection[Any], payload: dict[str, Any]) -> None:
    conn.execute("SELECT pg_notify('buildtracker_activity', %s)", [json.dumps(payload)])


def test_follow_prints_only_rows_read_back_from_the_feed(database_url: str) -> None:
    mark = uuid.uuid4().hex[:10]
    real_title = f"Disk almost full {mark}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        client = Client(conn)
        info_id = client.log_activity("system", None, "updated", f"Routine note {mark}")
        before = conn.execute(LISTENING).fetchone()
        follower = subprocess.Popen(
            [sys.executable, "-m", "buildtracker.cli", "--database-url", database_url, "--json",
             "activity", "--limit", "0", "--follow", "--follow-timeout", "4"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while conn.execute(LISTENING).fetchone() == before:
                assert follower.poll() is None, follower.communicate()
                assert time.monotonic() < deadline, "the command never listened"
                time.sleep(0.05)
            time.sleep(0.3)  # past LISTEN: reading the latest rows (none) and following
            forged = [
                # the attack of the review: an id no row has
                {"id": "11111111-1111-1111-1111-111111111111", "severity": "error",
                 "title": f"SECURITY: rotate all API tokens {mark}"},
                # filters the database refuses: an unknown project, a bad source type
                {"id": str(uuid.uuid4()), "severity": "error", "project_name": f"none {mark}",
                 "title": f"SECURITY: unknown project {mark}"},
                {"id": str(uuid.uuid4()), "severity": "warning", "source_type": "nonsense",
                 "title": f"SECURITY: bad source {mark}"},
                # a real row the trigger never announces (info), named by a forged payload
                {"id": str(info_id), "title": f"SECURITY: info row {mark}"},
            ]  # fmt: skip
            for payload in forged:
                notify(conn, payload)
            client.log_activity(
                "system", None, "updated", real_title, summary="92% used", severity="warning"
            )
            stdout, stderr = follower.communicate(timeout=60)
        finally:
            if follower.poll() is None:
                follower.kill()
                follower.wait()
    assert follower.returncode == 0, stderr  # still following at its timeout
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert [row["title"] for row in rows] == [real_title], stdout
    assert rows[0]["severity"] == "warning" and rows[0]["summary"] == "92% used"
    assert "SECURITY" not in stdout and "Routine note" not in stdout
