"""``buildtracker activity --follow`` prints every new row of the feed, in order,
never missing one, and never a notification's payload (SPEC sections 10, 12).

The command runs as the console script in a subprocess with --json (one row a
line) and its own application_name, so a test can find its connection in
pg_stat_activity. It LISTENs on buildtracker_feed only to wake up and reads
the rows with claude.get_activity_after(last_id): rows of every severity, in
the feed's chain order; a row committed by a transaction that started before
others shows up once it commits, in its place; after pg_terminate_backend it
reconnects and catches up from the last row it read.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Collection
from typing import Any

import psycopg
import pytest
from buildtracker import Client

READING = (
    "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    " AND query LIKE '%%get_activity_after%%'"
)


class Follower:
    """``buildtracker --json activity --project P --limit 0 --follow`` in a subprocess,
    its stdout read on a thread (one row a line)."""

    def __init__(self, database_url: str, project: str, *options: str, timeout: float = 60) -> None:
        self.app = f"follow-test-{uuid.uuid4().hex[:10]}"
        url = f"{database_url}{'&' if '?' in database_url else '?'}application_name={self.app}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "buildtracker.cli", "--database-url", url, "--json",
             "activity", "--project", project, "--limit", "0", *options,
             "--follow", "--follow-timeout", str(timeout)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.rows: list[dict[str, Any]] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.rows.append(json.loads(line))
                self.changed.notify_all()

    def titles(self) -> list[str]:
        with self.changed:
            return [row["title"] for row in self.rows]

    def wait_reading(self, conn: psycopg.Connection[Any], old: Collection[int] = ()) -> set[int]:
        """Until a connection of the command (not one of ``old``) has read the feed."""
        deadline = time.monotonic() + 30
        while True:
            pids = {row[0] for row in conn.execute(READING, [self.app]).fetchall()}
            if pids - set(old):
                return pids
            assert self.process.poll() is None, self.process.communicate()
            assert time.monotonic() < deadline, "the command never read the feed"
            time.sleep(0.05)

    def wait_for(self, count: int, within: float = 30) -> list[str]:
        deadline = time.monotonic() + within
        with self.changed:
            while len(self.rows) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self.rows)} of {count} rows: {self.titles()}"
                self.changed.wait(left)
        return self.titles()

    def stop(self) -> str:
        """Ctrl-C; the command exits 0. Its stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _, stderr = self.process.communicate(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        assert self.process.returncode == 0, stderr
        return stderr


@pytest.fixture
def feed(database_url: str) -> Any:
    """An autocommit client and a project of its own (the follower filters on it)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        client = Client(conn)
        project = client.add_project(f"Follow {uuid.uuid4().hex[:10]}").data.project_name
        yield conn, client, project


def log(client: Client, project: str, title: str, severity: str = "info") -> uuid.UUID:
    return client.log_activity(
        "system", None, "updated", title, project_name=project, severity=severity
    )


def test_follow_prints_rows_of_every_severity_never_a_payload(database_url: str, feed: Any) -> None:
    conn, client, project = feed
    mark = uuid.uuid4().hex[:10]
    log(client, project, f"Logged before following {mark}")  # --limit 0: not shown
    follower = Follower(database_url, project)
    # the filters apply to the followed rows
    alarms = Follower(database_url, project, "--severity", "warning", "--severity", "error")
    try:
        follower.wait_reading(conn)
        alarms.wait_reading(conn)
        forged = [
            # an id no row has, on the old channel and on the wake-up channel
            ("buildtracker_activity", {"id": "11111111-1111-1111-1111-111111111111",
             "severity": "error", "project_name": project,
             "title": f"SECURITY: rotate all API tokens {mark}"}),
            ("buildtracker_feed", {"title": f"SECURITY: forged wake-up {mark}"}),
            ("buildtracker_feed", ""),
        ]  # fmt: skip
        for channel, payload in forged:
            conn.execute("SELECT pg_notify(%s, %s)", [channel, json.dumps(payload)])
        expected = [
            (f"Routine note {mark}", "info"),
            (f"Disk almost full {mark}", "warning"),
            (f"Deploy done {mark}", "success"),
            (f"Job failed {mark}", "error"),
            (f"Another note {mark}", "info"),
        ]
        for title, severity in expected:
            log(client, project, title, severity)
        titles = follower.wait_for(len(expected))
        alarm_titles = alarms.wait_for(2)
        time.sleep(2)  # a poll or two more: nothing else arrives
    finally:
        follower.stop()
        alarms.stop()
    assert alarm_titles == alarms.titles() == [f"Disk almost full {mark}", f"Job failed {mark}"]
    assert titles == [title for title, _ in expected]
    assert follower.titles() == titles
    assert [row["severity"] for row in follower.rows] == [s for _, s in expected]
    assert all(row["project_name"] == project for row in follower.rows)
    assert not any("SECURITY" in row["title"] for row in follower.rows)


def test_follow_keeps_the_order_across_transactions_and_pages(database_url: str, feed: Any) -> None:
    """More rows in one transaction than one read returns (500), between others."""
    conn, client, project = feed
    follower = Follower(database_url, project)
    try:
        follower.wait_reading(conn)
        log(client, project, "first")
        with conn.transaction():
            conn.execute(
                "SELECT claude.log_activity('system', NULL, 'updated', 'bulk ' || n,"
                " project_name => %s) FROM generate_series(1, 700) AS n ORDER BY n",
                [project],
            )
        with conn.transaction():
            log(client, project, "second", "warning")
            log(client, project, "third", "success")
        titles = follower.wait_for(703)
    finally:
        follower.stop()
    assert titles == ["first", *(f"bulk {n}" for n in range(1, 701)), "second", "third"]


def test_follow_shows_a_row_of_a_long_transaction_once_it_commits(
    database_url: str, feed: Any
) -> None:
    """A transaction writes a row and stays open while another commits one. The
    committed row is held back (the open transaction could still come before
    it); once the long one commits, both are printed, the older first, although
    it committed last: a reader paging by time would have skipped it."""
    conn, client, project = feed
    follower = Follower(database_url, project)
    try:
        follower.wait_reading(conn)
        log(client, project, "before")
        assert follower.wait_for(1) == ["before"]
        with psycopg.connect(database_url) as long_conn:  # not autocommit: stays open
            log(Client(long_conn), project, "long transaction")
            log(client, project, "committed meanwhile")
            time.sleep(3.5)  # two polls: still nothing, the long one is open
            assert follower.titles() == ["before"]
            long_conn.commit()
        titles = follower.wait_for(3)
    finally:
        follower.stop()
    assert titles == ["before", "long transaction", "committed meanwhile"]
    created = {row["title"]: row["created_at"] for row in follower.rows}
    assert created["long transaction"] < created["committed meanwhile"]


def test_follow_catches_up_after_its_connection_is_dropped(database_url: str, feed: Any) -> None:
    conn, client, project = feed
    follower = Follower(database_url, project)
    try:
        old = follower.wait_reading(conn)
        log(client, project, "before the drop")
        follower.wait_for(1)
        dropped = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = %s",
            [follower.app],
        ).fetchone()
        assert dropped is not None and dropped[0] >= 1
        for n in range(1, 4):  # committed while the command is away
            log(client, project, f"while away {n}")
        follower.wait_reading(conn, old)  # a new connection reads the feed
        log(client, project, "after the reconnect", "warning")
        titles = follower.wait_for(5)
    finally:
        stderr = follower.stop()
    assert titles == [
        "before the drop", "while away 1", "while away 2", "while away 3", "after the reconnect",
    ]  # fmt: skip
    assert "reconnecting" in stderr and "reconnected" in stderr
