"""The agent work model of SPEC section 10 on every surface: labels, leases
(claim with a lease, heartbeat), comments, search and following the feed.

Each function and option is called through the sync client (inside the
``conn`` fixture's transaction, rolled back; refused calls in a savepoint),
the command line in-process (``CliRunner``, test_cli's helper) and the REST
API (``TestClient``, test_api's helpers and fixtures), with refused input
mapped to its exception, exit code and HTTP status. The async client calls
them in test_zz_registry_coverage's walk.
"""

# The API fixtures (admin, http, seen, tokens, writer, reader) are test_api's
# and the CLI's (cli) test_cli's, imported so that pytest gives this module
# its own; the test functions' parameters of the same names are pytest's
# fixture injection.
# ruff: noqa: F811

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, TypeVar

import psycopg
import pytest
from buildtracker import (
    BuildTask,
    BuildTrackerError,
    Client,
    Comment,
    Feature,
    InvalidTransitionError,
    MissingReferenceError,
    NotFoundError,
    SearchHit,
    SourceType,
    ValidationError,
)
from test_api import (
    Api,
    Token,
    admin,  # noqa: F401
    data,
    fields,
    http,  # noqa: F401
    new_feature,
    new_identity,
    new_project,
    new_task,
    ok,
    reader,  # noqa: F401
    reader_token,  # noqa: F401
    refused,
    seen,  # noqa: F401
    writer,  # noqa: F401
    writer_token,  # noqa: F401
)
from test_cli import (
    MISSING_REFERENCE,
    NOT_FOUND,
    REFUSED,
    VALIDATION,
    Cli,
    cli,  # noqa: F401
)

Conn = psycopg.Connection[Any]
E = TypeVar("E", bound=BuildTrackerError)
T = TypeVar("T")

USAGE = 2  # the CLI's exit code of a usage error
DESCRIPTION = "A feature long enough to describe what it is for, in words."


def tag() -> str:
    return uuid.uuid4().hex[:10]


def until(fetch: Callable[[], T], done: Callable[[T], bool], seconds: float = 30) -> T:
    """``fetch()`` again until ``done`` holds of its answer (or time is up: the last
    answer). The feed's follower sees a row once it is final: once every
    transaction older than the row's has ended, and the commit horizon is the
    server's, so a transaction open in any database delays it."""
    deadline = time.monotonic() + seconds
    answer = fetch()
    while not done(answer) and time.monotonic() < deadline:
        time.sleep(0.1)
        answer = fetch()
    return answer


def refused_call(conn: Conn, error: type[E], action: Callable[[], object]) -> E:
    """Run ``action`` in a savepoint, expect ``error``, keep the transaction usable."""
    with pytest.raises(error) as caught, conn.transaction():
        action()
    return caught.value


# ---------------------------------------------------------------- the client


class Work:
    """A project, a feature and two identities inside the test transaction."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.client = Client(conn)
        suffix = tag()
        self.project = self.client.add_project(f"Agent work {suffix}").data
        self.alice = self.client.add_identity(f"alice {suffix}").data.identity_id
        self.bob = self.client.add_identity(f"bob {suffix}").data.identity_id
        self.feature = self.client.add_feature(
            f"Agent feature {suffix}",
            "api",
            self.project.project_id,
            description=DESCRIPTION,
            labels=["backend", "area:db"],
        ).data

    def task(self, name: str, *labels: str, **kwargs: Any) -> BuildTask:
        return self.client.add_task(
            f"{name} {tag()}",
            kwargs.pop("description", "A task description long enough"),
            "code",
            feature_id=self.feature.feature_id,
            labels=list(labels) or None,
            **kwargs,
        ).data


@pytest.fixture
def work(conn: Conn) -> Work:
    return Work(conn)


def test_labels_are_set_filtered_and_checked(work: Work) -> None:
    c, fid = work.client, work.feature.feature_id
    assert isinstance(work.feature, Feature) and work.feature.labels == ("backend", "area:db")
    both = work.task("Both labels", "backend", "db")
    one = work.task("One label", "backend", priority=1)
    bare = work.task("No label")
    assert both.labels == ("backend", "db") and bare.labels == ()

    ready = [t.task_id for t in c.get_ready_tasks(fid)]
    assert set(ready) == {both.task_id, one.task_id, bare.task_id}
    assert [t.task_id for t in c.get_ready_tasks(fid, labels=["backend"])] == [
        one.task_id,  # priority 1 first
        both.task_id,
    ]
    assert [t.task_id for t in c.get_ready_tasks(fid, labels=["backend", "db"])] == [both.task_id]
    assert c.get_ready_tasks(fid, labels=["frontend"]) == []

    # update_task / update_feature take labels in changes: the whole new list
    assert c.update_task(bare.task_id, {"labels": ["docs"]}).data.labels == ("docs",)
    assert c.update_task(bare.task_id, {"labels": []}).data.labels == ()
    assert c.update_feature(fid, {"labels": ["ui"]}).data.labels == ("ui",)

    for bad in (["Upper"], ["two words"], ["dup", "dup"], ["x" * 51], [""]):
        error = refused_call(work.conn, ValidationError, lambda b=bad: work.task("Bad", *b))
        assert error.sqlstate == "23514" and "labels" in {e.field for e in error.errors}, bad
    error = refused_call(
        work.conn, ValidationError, lambda: c.update_feature(fid, {"labels": ["Not OK"]})
    )
    assert "labels" in {e.field for e in error.errors}


def test_claim_with_labels_and_a_lease_then_heartbeat(work: Work) -> None:
    c, fid = work.client, work.feature.feature_id
    tagged = work.task("Tagged", "backend", "db", priority=9)
    work.task("Untagged", priority=1)

    assert c.claim_next_task(work.alice, feature_id=fid, labels=["frontend"]).data is None
    claim = c.claim_next_task(
        work.alice, feature_id=fid, labels=["db"], lease=timedelta(minutes=10)
    )
    held = claim.data
    assert held is not None and held.task_id == tagged.task_id  # the label beat the priority
    assert held.status == "in_progress" and held.assigned_to_identity_id == work.alice
    assert held.lease_expires_at is not None and held.started_at is not None
    # now() is the transaction's: the lease is exactly the asked-for length
    assert held.lease_expires_at - held.started_at == timedelta(minutes=10)
    assert claim.metadata["claimed"] is True

    beat = c.heartbeat_task(held.task_id, work.alice, timedelta(hours=2))
    assert isinstance(beat.data, BuildTask) and beat.data.task_id == held.task_id
    assert beat.data.lease_expires_at == held.started_at + timedelta(hours=2)
    assert datetime.fromisoformat(beat.metadata["lease_expires_at"]) == beat.data.lease_expires_at
    default = c.heartbeat_task(held.task_id, work.alice).data.lease_expires_at
    assert default == held.started_at + timedelta(minutes=30)

    # only the holder, only in progress, only a lease from the allowed range
    other = refused_call(
        work.conn, InvalidTransitionError, lambda: c.heartbeat_task(held.task_id, work.bob)
    )
    assert other.sqlstate == "55000" and other.errors[0].entity_id == str(work.alice)
    todo = work.task("Not started")
    refused_call(
        work.conn, InvalidTransitionError, lambda: c.heartbeat_task(todo.task_id, work.alice)
    )
    for lease in (timedelta(0), timedelta(days=2), timedelta(minutes=-5)):
        invalid = refused_call(
            work.conn,
            ValidationError,
            lambda lease=lease: c.heartbeat_task(held.task_id, work.alice, lease),
        )
        assert invalid.sqlstate == "23514" and invalid.errors[0].field == "lease"
    refused_call(
        work.conn,
        ValidationError,
        lambda: c.claim_next_task(work.bob, feature_id=fid, lease=timedelta(days=3)),
    )
    refused_call(work.conn, NotFoundError, lambda: c.heartbeat_task(uuid.uuid4(), work.alice))

    # an expired lease is claimable by another identity ("reclaimed")
    work.conn.execute(
        "UPDATE claude.build_tasks SET lease_expires_at = now() - interval '1 minute'"
        " WHERE task_id = %s",
        [held.task_id],
    )
    taken = c.claim_next_task(work.bob, feature_id=fid, labels=["backend"])
    assert taken.data is not None and taken.data.task_id == held.task_id
    assert taken.data.assigned_to_identity_id == work.bob
    assert taken.metadata["reclaimed_from_identity_id"] == str(work.alice)
    reclaimed = c.get_activity(source_type="build_task", source_id=held.task_id)
    assert "reclaimed" in {a.activity_type.value for a in reclaimed}
    # the former holder's heartbeat is refused now
    refused_call(
        work.conn, InvalidTransitionError, lambda: c.heartbeat_task(held.task_id, work.alice)
    )


def test_comments_are_added_listed_paged_and_refused(work: Work) -> None:
    c = work.client
    task = work.task("Commented")
    first = c.add_comment("build_task", task.task_id, "First thought about the design", "alice")
    assert isinstance(first.data, Comment)
    assert first.data.entity_type == SourceType.BUILD_TASK and first.data.actor == "alice"
    second = c.add_comment(SourceType.BUILD_TASK, task.task_id, "Second thought").data
    third = c.add_comment("build_task", task.task_id, "Third thought").data
    on_project = c.add_comment("project", work.project.project_id, "About the project").data
    assert on_project.entity_id == work.project.project_id

    # newest first (one transaction: created_at ties, comment_id decides)
    listed = c.get_comments("build_task", task.task_id)
    assert {x.comment_id for x in listed} == {
        first.data.comment_id,
        second.comment_id,
        third.comment_id,
    }
    keys = [(x.created_at, x.comment_id) for x in listed]
    assert keys == sorted(keys, reverse=True)
    page = c.get_comments("build_task", task.task_id, max_rows=2)
    rest = c.get_comments(
        "build_task",
        task.task_id,
        max_rows=2,
        before=page[-1].created_at,
        before_id=page[-1].comment_id,
    )
    assert [x.comment_id for x in [*page, *rest]] == [x.comment_id for x in listed]
    assert c.get_comments("feature", task.task_id) == []

    # each comment is a commented row of the feed
    feed = c.get_activity(source_type="build_task", source_id=task.task_id)
    assert sum(a.activity_type.value == "commented" for a in feed) == 3

    missing = refused_call(
        work.conn, MissingReferenceError, lambda: c.add_comment("feature", uuid.uuid4(), "Hello")
    )
    assert missing.sqlstate == "23503" and missing.errors[0].field == "entity_id"
    for kind, body, field in (("build_task", "   ", "body"), ("identity", "Hi", "entity_type")):
        invalid = refused_call(
            work.conn,
            ValidationError,
            lambda kind=kind, body=body: c.add_comment(kind, task.task_id, body),
        )
        assert field in {e.field for e in invalid.errors}
    refused_call(
        work.conn, ValidationError, lambda: c.add_comment("build_task", task.task_id, "x" * 10001)
    )


def test_search_finds_names_descriptions_and_comments(work: Work) -> None:
    c, pid = work.client, work.project.project_id
    word = f"zebra{tag()}"  # a word no other row has
    task = work.task(f"Paint the {word}", description="Stripes in black and white")
    other = work.task("Unrelated work")
    c.add_comment("build_task", other.task_id, f"Maybe the {word} needs this too")

    hits = c.search(word, project_id=pid)
    assert all(isinstance(h, SearchHit) for h in hits)
    assert [(h.entity_type, h.entity_id) for h in hits] == [
        (SourceType.BUILD_TASK, task.task_id),  # the name weighs more than a comment
        (SourceType.BUILD_TASK, other.task_id),  # a comment: reported as its task
    ]
    assert hits[0].rank >= hits[1].rank > 0
    # the snippet is the matching text with the hits marked
    assert all(f"**{word}**" in h.snippet for h in hits)
    assert hits[1].title.startswith("Comment on")
    assert [h.entity_id for h in c.search(f'"black and white" {word}', pid)] == [task.task_id]
    assert c.search(f"{word} -stripes", pid, 10)[0].entity_id == other.task_id
    assert len(c.search(word, pid, max_rows=1)) == 1
    assert c.search(word, project_id=uuid.uuid4()) == []
    assert c.search("the and of") == []  # stop words only: nothing to look for
    for bad in ("", "   ", "x" * 1001):
        error = refused_call(work.conn, ValidationError, lambda bad=bad: c.search(bad))
        assert error.errors[0].field == "query"


@pytest.fixture
def committed(database_url: str) -> Iterator[Client]:
    """A client on its own connection: every call commits (the feed's final rows)."""
    client = Client.connect(database_url)
    yield client
    client.close()


def test_get_activity_after_follows_the_feed(committed: Client) -> None:
    first = committed.log_activity("system", None, "updated", f"follow {tag()} mark")
    newest = until(
        lambda: committed.get_activity_after(max_rows=1),
        lambda rows: [a.id for a in rows] == [first],
    )
    assert [a.id for a in newest] == [first]
    mark = newest[0].id
    titles = [f"follow {tag()} {n}" for n in range(3)]
    ids = [committed.log_activity("system", None, "updated", t) for t in titles]
    after = until(
        lambda: committed.get_activity_after(mark), lambda rows: ids[-1] in [a.id for a in rows]
    )
    assert [a.id for a in after if a.id in ids] == ids  # oldest first, none missed
    assert [a.title for a in after if a.id in ids] == titles
    assert [a.id for a in committed.get_activity_after(mark, max_rows=1)] == [after[0].id]
    assert committed.get_activity_after(after[-1].id) == []
    assert committed.get_activity_after(mark, max_rows=0) == []
    with pytest.raises(NotFoundError):
        committed.get_activity_after(uuid.uuid4())


# ---------------------------------------------------------------- the command line


def test_cli_labels_lease_heartbeat(cli: Cli) -> None:
    project = cli.project()
    alice, bob = cli.identity("alice"), cli.identity("bob")
    feature = cli.data("feature", "add", "--project", project, "--name", "Labelled feature",
                       "--type", "api", "--label", "backend", "--label", "area:db")["feature_id"]  # fmt: skip
    cli.features.append(feature)
    assert cli.data("feature", "show", feature, "--row")["labels"] == ["backend", "area:db"]
    tagged = cli.task("--feature", feature, "--name", "Tagged task", "--type", "code",
                      "--description", "Carries two labels", "--label", "db",
                      "--label", "backend", "--priority", "9")  # fmt: skip
    assert tagged["labels"] == ["db", "backend"]
    plain = cli.task("--feature", feature, "--name", "Plain task", "--type", "code",
                     "--description", "Carries no label", "--priority", "1")  # fmt: skip
    assert plain["labels"] == []

    ready = cli.data("task", "ready", "--project", project, "--label", "db", "--label", "backend")
    assert [t["task_id"] for t in ready] == [tagged["task_id"]]
    assert cli.data("task", "ready", "--project", project, "--label", "frontend") == []
    assert "Tagged task" in cli.text("task", "ready", "--project", project, "--label", "db")
    nothing = cli.json("task", "claim", "--identity", alice, "--project", project,
                       "--label", "frontend")  # fmt: skip
    assert nothing["data"] is None
    assert "nothing is ready" in cli.text(
        "task", "claim", "--identity", alice, "--project", project, "--label", "frontend"
    )

    claimed = cli.json("task", "claim", "--identity", alice, "--project", project,
                       "--label", "db", "--lease", "10m")  # fmt: skip
    held = claimed["data"]
    assert held["task_id"] == tagged["task_id"] and held["status"] == "in_progress"
    started = datetime.fromisoformat(held["started_at"])
    assert datetime.fromisoformat(held["lease_expires_at"]) - started == timedelta(minutes=10)
    short = held["task_id"][:8]

    beat = cli.json("task", "heartbeat", short, "--identity", alice, "--lease", "1h30m")
    expires = datetime.fromisoformat(beat["data"]["lease_expires_at"])
    assert datetime.fromisoformat(beat["metadata"]["lease_expires_at"]) == datetime.fromisoformat(
        beat["data"]["lease_expires_at"]
    )
    assert timedelta(minutes=89) < expires - datetime.now(expires.tzinfo) <= timedelta(minutes=90)
    assert "lease extended" in cli.text("task", "heartbeat", short, "--identity", alice)

    other = cli.refused(REFUSED, "task", "heartbeat", short, "--identity", bob)
    assert other["sqlstate"] == "55000" and other["errors"][0]["field"] == "identity_id"
    assert cli.refused(VALIDATION, "task", "heartbeat", short, "--identity", alice,
                       "--lease", "2d")["errors"][0]["field"] == "lease"  # fmt: skip
    assert cli.refused(VALIDATION, "task", "heartbeat", short, "--identity", alice,
                       "--lease", "soon")["sqlstate"] == "22007"  # fmt: skip
    assert cli.refused(VALIDATION, "task", "claim", "--identity", bob, "--project", project,
                       "--lease", "0s")["errors"][0]["field"] == "lease"  # fmt: skip
    cli.refused(REFUSED, "task", "heartbeat", plain["task_id"], "--identity", alice)
    cli.refused(NOT_FOUND, "task", "heartbeat", str(uuid.uuid4()), "--identity", alice)
    cli.json("task", "heartbeat", short, expect=USAGE)  # --identity is required

    # update: --label sets the whole list, beside or without --set
    updated = cli.data("task", "update", short, "--label", "review", "--set", "priority=3")
    assert updated["labels"] == ["review"] and updated["priority"] == 3
    assert cli.data("task", "update", short, "--set", "labels=[]")["labels"] == []
    relabelled = cli.data("feature", "update", feature, "--label", "ui", "--label", "web")
    assert relabelled["labels"] == ["ui", "web"]
    bad = cli.refused(VALIDATION, "feature", "update", feature, "--label", "Not OK")
    assert "labels" in {e["field"] for e in bad["errors"]}
    assert cli.refused(VALIDATION, "task", "update", short)["errors"][0]["field"] == "set"
    cli.refused(VALIDATION, "task", "add", "--feature", feature, "--name", "Bad labels",
                "--type", "code", "--description", "Labels are checked", "--label", "A B")  # fmt: skip


def test_cli_comments_and_search(cli: Cli) -> None:
    project = cli.project()
    feature = cli.feature(project)
    word = f"quokka{tag()}"
    task = cli.task("--feature", feature, "--name", f"Feed the {word}", "--type", "code",
                    "--description", "Leaves and grass, twice a day")  # fmt: skip
    short = task["task_id"][:8]

    first = cli.json("comment", "add", short, "The first note")
    assert first["data"]["entity_type"] == "build_task"
    assert first["data"]["entity_id"] == task["task_id"]
    cli.json("comment", "add", task["task_id"], f"The {word} prefers leaves", "--on", "task")
    on_feature = cli.data("comment", "add", feature[:8], "About the feature", "--on", "feature")
    assert on_feature["entity_type"] == "feature" and on_feature["entity_id"] == feature
    on_project = cli.data("comment", "add", project, "About the project", "--on", "project")
    assert on_project["entity_type"] == "project"  # a project by its name
    assert "commented" in cli.text("comment", "add", short, "A third note")

    listed = cli.data("comment", "list", short)
    assert [x["body"] for x in listed] == [
        "A third note",
        f"The {word} prefers leaves",
        "The first note",
    ]
    assert [x["body"] for x in cli.data("comment", "list", short, "--limit", "1")] == [
        "A third note"
    ]
    assert [x["body"] for x in cli.data("comment", "list", feature, "--on", "feature")] == [
        "About the feature"
    ]
    assert "prefers leaves" in cli.text("comment", "list", short)
    assert "no comments" in cli.text("comment", "list", project, "--on", "project", "--limit", "0")

    missing = cli.refused(MISSING_REFERENCE, "comment", "add", str(uuid.uuid4()), "Hello")
    assert missing["sqlstate"] == "23503"
    assert cli.refused(NOT_FOUND, "comment", "add", "00000000", "Hello")["sqlstate"] == "P0002"
    assert cli.refused(VALIDATION, "comment", "add", short, "  ")["errors"][0]["field"] == "body"
    usage = cli.json("comment", "list", short, "--on", "identity", expect=USAGE)
    assert usage["error"]["errors"][0]["field"] == "--on"

    hits = cli.data("search", word, "--project", project)
    assert [(h["entity_type"], h["entity_id"]) for h in hits] == [
        ("build_task", task["task_id"]),
        ("build_task", task["task_id"]),  # the comment, reported as its task
    ]
    assert len(cli.data("search", word, "--limit", "1")) == 1
    empty = cli.data("project", "add", cli.name("empty"))["project_id"]
    assert cli.data("search", word, "--project", empty) == []
    text = cli.text("search", word, "--project", project)
    assert "Feed the" in text and "**" not in text  # the hits are bold, not starred
    assert "no matches" in cli.text("search", f"nothing{tag()}")
    assert cli.refused(VALIDATION, "search", "")["errors"][0]["field"] == "query"
    cli.refused(NOT_FOUND, "search", word, "--project", cli.name("no-such-project"))


# ---------------------------------------------------------------- the REST API


def test_rest_labels_claim_lease_and_heartbeat(
    writer: Api, reader: Api, writer_token: Token
) -> None:
    pid = new_project(writer)["project_id"]
    feature = new_feature(writer, pid, labels=["backend"])
    fid = feature["feature_id"]
    assert feature["labels"] == ["backend"]
    tagged = new_task(writer, fid, labels=["db", "backend"], priority=9)
    plain = new_task(writer, fid, priority=1)
    assert tagged["labels"] == ["db", "backend"] and plain["labels"] == []

    ready = data(reader.get("/api/tasks/ready", params={"project": pid, "labels": ["db"]}))
    assert [t["task_id"] for t in ready] == [tagged["task_id"]]
    ready = data(reader.get("/api/tasks/ready", params=[("feature_id", fid), ("labels", "db"),
                                                         ("labels", "ui")]))  # fmt: skip
    assert ready == []
    none = ok(writer.post("/api/tasks/claim", json={"feature_id": fid, "labels": ["ui"]}))
    assert none["data"] is None

    claim = ok(
        writer.post("/api/tasks/claim", json={"feature_id": fid, "labels": ["db"], "lease": 600})
    )
    held = claim["data"]
    assert held["task_id"] == tagged["task_id"]
    assert held["assigned_to_identity_id"] == writer_token.identity_id
    started = datetime.fromisoformat(held["started_at"])
    assert datetime.fromisoformat(held["lease_expires_at"]) - started == timedelta(minutes=10)

    url = f"/api/tasks/{held['task_id'][:8]}/heartbeat"
    beat = ok(writer.patch(url, json={"lease": "PT2H"}))  # the token's identity holds it
    expires = datetime.fromisoformat(beat["data"]["lease_expires_at"])
    assert timedelta(minutes=119) < expires - datetime.now(expires.tzinfo) <= timedelta(hours=2)
    assert datetime.fromisoformat(beat["metadata"]["lease_expires_at"]) == datetime.fromisoformat(
        beat["data"]["lease_expires_at"]
    )
    named = data(writer.patch(url, json={"identity_id": writer_token.identity_name}))
    assert datetime.fromisoformat(named["lease_expires_at"]) < expires  # back to 30 minutes

    other = new_identity(writer)
    taken = refused(writer.patch(url, json={"identity_id": other["identity_id"]}), 409)
    assert taken["sqlstate"] == "55000"
    assert taken["errors"][0]["entity_id"] == writer_token.identity_id
    assert fields(refused(writer.patch(url, json={"lease": "P2D"}), 422)) == {"lease"}
    assert "lease" in fields(refused(writer.patch(url, json={"lease": "soon"}), 422))
    refused(writer.patch(f"/api/tasks/{plain['task_id']}/heartbeat", json={}), 409)
    refused(writer.patch(f"/api/tasks/{uuid.uuid4()}/heartbeat", json={}), 404)
    refused(reader.patch(url, json={}), 403)
    refused(writer.post("/api/tasks/claim", json={"feature_id": fid, "lease": 86401}), 422)

    relabelled = data(writer.put(f"/api/tasks/{plain['task_id']}", json={"labels": ["docs"]}))
    assert relabelled["labels"] == ["docs"]
    assert data(writer.put(f"/api/features/{fid}", json={"labels": []}))["labels"] == []
    bad = refused(writer.put(f"/api/features/{fid}", json={"labels": ["Not OK"]}), 422)
    assert "labels" in fields(bad)
    body = {"task_name": "Bad labels task", "task_description": "Labels are checked here",
            "task_type": "code", "feature_id": fid, "labels": ["dup", "dup"]}  # fmt: skip
    assert "labels" in fields(refused(writer.post("/api/tasks", json=body), 422))


def test_rest_heartbeat_needs_an_identity_without_authentication(database_url: str) -> None:
    from buildtracker.api import create_app
    from fastapi.testclient import TestClient

    with TestClient(create_app(database_url, authenticate=False)) as anonymous:
        answer = anonymous.patch(f"/api/tasks/{uuid.uuid4()}/heartbeat", json={})
        assert answer.status_code == 422
        assert answer.json()["error"]["errors"][0]["field"] == "identity_id"


def test_rest_comments_search_and_activity_after(
    writer: Api, reader: Api, writer_token: Token
) -> None:
    project = new_project(writer)
    pid = project["project_id"]
    fid = new_feature(writer, pid)["feature_id"]
    word = f"wombat{tag()}"
    task = new_task(writer, fid, task_name=f"Dig for the {word}")
    tid = task["task_id"]

    mark = until(
        lambda: ok(reader.get("/api/activity/after", params={"limit": 1})),
        lambda body: len(body["data"]) == 1,
    )
    assert len(mark["data"]) == 1 and mark["metadata"]["next_after_id"] == mark["data"][0]["id"]
    after_id = mark["metadata"]["next_after_id"]

    comment = {"entity_type": "build_task", "entity_id": tid[:8], "body": f"The {word} burrows"}
    created = data(writer.post("/api/comments", json=comment), 201)
    assert created["entity_id"] == tid and created["actor"] == writer_token.identity_name
    for n in range(2):
        data(writer.post("/api/comments", json={**comment, "body": f"Note {n}"}), 201)
    on_project = {"entity_type": "project", "entity_id": project["project_name"], "body": "Hi"}
    assert data(writer.post("/api/comments", json=on_project), 201)["entity_id"] == pid

    params = {"entity_type": "build_task", "entity_id": tid[:8]}
    listed = ok(reader.get("/api/comments", params=params))
    assert [x["body"] for x in listed["data"]] == ["Note 1", "Note 0", f"The {word} burrows"]
    assert listed["metadata"] == {"next_before": None, "next_before_id": None}
    first = ok(reader.get("/api/comments", params={**params, "limit": 2}))
    assert first["metadata"]["next_before_id"] == first["data"][-1]["comment_id"]
    rest = data(
        reader.get(
            "/api/comments",
            params={
                **params,
                "limit": 2,
                "before": first["metadata"]["next_before"],
                "before_id": first["metadata"]["next_before_id"],
            },
        )
    )
    assert [x["body"] for x in rest] == [f"The {word} burrows"]

    # the feed, followed from the mark: the comments' commented rows, in order
    followed = until(
        lambda: ok(reader.get("/api/activity/after", params={"after_id": after_id})),
        lambda body: "Hi" in [r["summary"] for r in body["data"]],  # the last comment
    )
    commented = [r for r in followed["data"] if r["activity_type"] == "commented"]
    assert [r["summary"] for r in commented if r["source_id"] == tid] == [
        f"The {word} burrows",
        "Note 0",
        "Note 1",
    ]
    assert followed["metadata"]["next_after_id"] == followed["data"][-1]["id"]
    two = data(reader.get("/api/activity/after", params={"after_id": after_id, "max_rows": 2}))
    assert [r["id"] for r in two] == [r["id"] for r in followed["data"][:2]]
    end = followed["metadata"]["next_after_id"]
    assert ok(reader.get("/api/activity/after", params={"after_id": end}))["metadata"] == {
        "next_after_id": end
    }
    refused(reader.get("/api/activity/after", params={"after_id": str(uuid.uuid4())}), 404)
    both = refused(reader.get("/api/activity/after", params={"limit": 1, "max_rows": 1}), 422)
    assert fields(both) == {"limit", "max_rows"}

    hits = data(reader.get("/api/search", params={"q": word, "project": project["project_name"]}))
    assert [(h["entity_type"], h["entity_id"]) for h in hits] == [("build_task", tid)] * 2
    assert all(f"**{word}**" in h["snippet"] for h in hits)
    one = data(reader.get("/api/search", params={"q": word, "project_id": pid, "limit": 1}))
    assert len(one) == 1
    assert fields(refused(reader.get("/api/search", params={"q": " "}), 422)) == {"query"}
    refused(reader.get("/api/search"), 422)
    refused(reader.get("/api/search", params={"q": word, "limit": 101}), 422)

    # refused comments: no such entity, a type not commented, no body, a reader
    missing = refused(
        writer.post("/api/comments", json={**comment, "entity_id": str(uuid.uuid4())}), 422
    )
    assert missing["sqlstate"] == "23503"
    refused(writer.post("/api/comments", json={**comment, "entity_id": "00000000"}), 404)
    wrong = {**comment, "entity_type": "identity", "entity_id": writer_token.identity_id}
    assert "entity_type" in fields(refused(writer.post("/api/comments", json=wrong), 422))
    system = {**comment, "entity_type": "system", "entity_id": "abcdef12"}
    assert fields(refused(writer.post("/api/comments", json=system), 422)) == {"entity_id"}
    refused(writer.post("/api/comments", json={**comment, "entity_type": "widget"}), 422)
    assert "body" in fields(
        refused(writer.post("/api/comments", json={**comment, "body": ""}), 422)
    )
    refused(reader.post("/api/comments", json=comment), 403)
    refused(reader.get("/api/comments", params={"entity_type": "build_task"}), 422)
    # a whole id is not looked up (comments outlive their entity); a prefix is
    assert (
        data(reader.get("/api/comments", params={"entity_type": "feature", "entity_id": tid})) == []
    )
    refused(reader.get("/api/comments", params={**params, "entity_type": "feature"}), 404)
