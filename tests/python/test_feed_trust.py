"""The feed's tamper evidence against real commits (SPEC section 12): the
owner's attack of finding 2 (triggers off, a row rewritten, its seal and the
checkpoint chain recomputed) passes every check but verify_feed given an
anchor saved before; sealing never waits for an open writer; the CLI's
``feed anchor`` / ``feed verify``."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from buildtracker import Client


@pytest.fixture
def client(database_url: str) -> Iterator[Client]:
    with Client.connect(database_url, actor="feed-trust") as c:
        yield c


def cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buildtracker.cli", "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def logged(client: Client, title: str) -> uuid.UUID:
    return client.log_activity("system", None, "updated", title)


SEALED = """SELECT EXISTS (SELECT 1 FROM claude.activity_feed a, claude.feed_checkpoints c
                WHERE a.id = %s AND a.xact_id >= c.from_xid AND a.xact_id < c.through_xid)"""


def is_sealed(database_url: str, row_id: uuid.UUID) -> bool:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(SEALED, [row_id]).fetchone()
    return bool(row and row[0])


def seal_through(client: Client, database_url: str, row_id: uuid.UUID) -> None:
    """Seal until the row is in a checkpoint: a row is final once every older
    transaction of the cluster has finished (another session's writer may
    still be running for a moment)."""
    deadline = time.monotonic() + 20
    while not is_sealed(database_url, row_id):
        assert time.monotonic() < deadline, "the row was never sealed"
        client.seal_feed()
        time.sleep(0.05)


def test_the_owners_rewrite_is_caught_given_an_anchor(client: Client, database_url: str) -> None:
    target = logged(client, f"Deploy approved by alice {uuid.uuid4().hex[:6]}")
    seal_through(client, database_url, logged(client, "Another event"))
    anchor = client.feed_anchor()
    assert client.verify_feed(anchor) == []

    with psycopg.connect(database_url) as conn:  # one transaction, rolled back at the end
        conn.execute("SET LOCAL ROLE buildtracker_owner")
        conn.execute("ALTER TABLE claude.activity_feed DISABLE TRIGGER USER")
        conn.execute("ALTER TABLE claude.feed_checkpoints DISABLE TRIGGER USER")
        conn.execute(
            "UPDATE claude.activity_feed a SET title = 'Deploy approved by mallory' WHERE a.id = %s",
            [target],
        )
        conn.execute(
            "UPDATE claude.activity_feed a SET checksum = claude.activity_checksum(a) WHERE a.id = %s",
            [target],
        )
        # the whole chain recomputed, checkpoint by checkpoint
        conn.execute(
            """
            DO $$
            DECLARE c claude.feed_checkpoints; previous text := ''; d record;
            BEGIN
                FOR c IN SELECT * FROM claude.feed_checkpoints ORDER BY checkpoint_id LOOP
                    SELECT * INTO d FROM claude.feed_range_digest(c.from_xid, c.through_xid, c.sealed_at, previous);
                    UPDATE claude.feed_checkpoints k
                       SET previous_digest = previous, digest = d.digest, row_count = d.row_count,
                           first_at = d.first_at, last_at = d.last_at
                     WHERE k.checkpoint_id = c.checkpoint_id;
                    previous := d.digest;
                END LOOP;
            END
            $$"""
        )
        conn.execute("ALTER TABLE claude.activity_feed ENABLE TRIGGER USER")
        conn.execute("ALTER TABLE claude.feed_checkpoints ENABLE TRIGGER USER")
        conn.execute("RESET ROLE")
        assert conn.execute("SELECT * FROM claude.check_invariants()").fetchall() == []
        assert conn.execute("SELECT * FROM claude.verify_feed()").fetchall() == []
        problems = conn.execute("SELECT problem FROM claude.verify_feed(%s)", [anchor]).fetchall()
        assert problems == [("anchor_mismatch",)]
        conn.rollback()
    assert client.verify_feed(anchor) == []


def test_sealing_never_waits_for_an_open_writer(client: Client, database_url: str) -> None:
    finished = logged(client, "A finished event")
    with psycopg.connect(database_url) as writer:
        row = writer.execute(
            "SELECT claude.log_activity('system', NULL, 'updated', 'Still being written')"
        ).fetchone()
        assert row is not None
        open_row = row[0]
        started = time.monotonic()
        client.seal_feed()  # the writer's transaction is still open
        assert time.monotonic() - started < 2, "sealing waited for the writer"
        seal_through(client, database_url, finished)
        assert not is_sealed(database_url, open_row), "an open transaction's row was sealed"
        writer.commit()
    seal_through(client, database_url, open_row)  # final now: a later checkpoint takes it
    assert client.verify_feed() == []


def test_the_cli_prints_the_anchor_and_verifies(client: Client, database_url: str) -> None:
    event = logged(client, "An event for the CLI")
    sealed = cli(database_url, "--json", "feed", "seal")
    assert sealed.returncode == 0, sealed.stderr
    seal_through(client, database_url, event)
    anchor = cli(database_url, "feed", "anchor")
    assert anchor.returncode == 0 and anchor.stdout.strip() == client.feed_anchor()
    ok = cli(database_url, "feed", "verify", "--anchor", anchor.stdout.strip())
    assert ok.returncode == 0 and "verifies against the anchor" in ok.stdout
    head = int(anchor.stdout.split(":")[0])
    bad = cli(database_url, "--json", "feed", "verify", "--anchor", f"{head}:{'0' * 64}")
    assert bad.returncode == 9
    assert '"field":"anchor_mismatch"' in bad.stdout
