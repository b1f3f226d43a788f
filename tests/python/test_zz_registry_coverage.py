"""Every registry entry is exercised through the sync and the async client.

The async walk below calls every SQL function of the registry once through
``AsyncClient`` (a project from plan to completed feature, and every read);
the sync client is exercised by the client, CLI and REST tests (both surfaces
run on it). The last test (this module runs last) checks, from what
``conftest.record_client_calls`` saw during the session, that no registry
function was left out of the sync client, the async client, the CLI or the
REST API (but those a surface does not offer by design, ``NOT_ON``).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import psycopg
import pytest
from buildtracker import AsyncClient, InvalidTransitionError, registry
from conftest import CALLED

# Every registry function is a client call (the generated tables bind them all).
NOT_CALLED: set[str] = set()

# Registry functions a surface does not offer, by design (docs/decisions.md):
# token administration and pruning need the owner's rights, which REST
# callers never have; the whole-database export and import are the CLI's; the
# CLI authenticates as a database login, not a token. Following the feed
# registers a session that stays (the CLI's --follow, the dashboard's live
# stream on a connection of its own), not a REST call.
NOT_ON = {
    "cli": {"authenticate_api_token"},
    "rest": {
        "create_api_token",
        "list_api_tokens",
        "revoke_api_token",
        "prune_activity",
        "export_records",
        "import_records",
        "follow_feed",
    },
}

OLD_ROWS = (
    "SELECT count(*) FROM claude.activity_feed WHERE created_at < now() - interval '3650 days'"
)


def test_the_async_client_walks_every_function(database_url: str) -> None:
    tag = uuid.uuid4().hex[:8]

    async def walk() -> None:
        async with await AsyncClient.connect(database_url, actor=f"async-{tag}") as c:
            project = (await c.add_project(f"Async project {tag}")).data
            dev = (await c.add_identity(f"async-dev-{tag}")).data
            assert await c.resolve_id("project", project.project_name) == project.project_id
            assert (await c.get_project(project.project_id)) == project
            assert (await c.get_identity(dev.identity_id)) == dev
            assert project in await c.list_projects()
            assert dev in await c.list_identities()

            feature = (
                await c.add_feature(
                    f"Async feature {tag}",
                    "api",
                    project.project_id,
                    description="A feature walked through the async client",
                    planned_by_identity_id=dev.identity_id,
                )
            ).data
            await c.update_feature(feature.feature_id, {"priority": 3})
            await c.update_feature_status(feature.feature_id, "planned")
            await c.update_feature_status(
                feature.feature_id, "in_progress", implemented_by_identity_id=dev.identity_id
            )
            assert (await c.get_feature(feature.feature_id)).priority == 3
            assert [f.feature_id for f in await c.list_features(project_id=project.project_id)] == [
                feature.feature_id
            ]

            component = (
                await c.add_component(feature.feature_id, f"async_store_{tag}", "service", ["save"])
            ).data
            await c.update_component(component.component_id, {"lines_of_code": 10})
            await c.update_component_status(component.component_id, "in_progress")
            assert (await c.get_component(component.component_id)).lines_of_code == 10
            assert len(await c.list_components(feature_id=feature.feature_id)) == 1

            first = (
                await c.add_task(
                    "Async first task",
                    "Do the first thing",
                    "code",
                    feature_id=feature.feature_id,
                    labels=["async", "walk"],
                )
            ).data
            second = (
                await c.add_task(
                    "Async second task",
                    "Do the second thing",
                    "code",
                    feature_id=feature.feature_id,
                )
            ).data
            await c.update_task(second.task_id, {"priority": 2})
            assert (await c.get_task(second.task_id)).priority == 2
            assert len(await c.list_tasks(feature_id=feature.feature_id)) == 2
            # the dependency calls, on a feature of their own (the walk's feature
            # goes on to complete with exactly its two tasks)
            dep_feature = (
                await c.add_feature(f"Async dependency feature {tag}", "api", project.project_id)
            ).data
            dep_one = (
                await c.add_task(
                    f"Dependency one {tag}",
                    "The task depended on",
                    "code",
                    feature_id=dep_feature.feature_id,
                )
            ).data
            dep_two = (
                await c.add_task(
                    f"Dependency two {tag}",
                    "The task that depends",
                    "code",
                    feature_id=dep_feature.feature_id,
                )
            ).data
            edge = (await c.add_dependency(dep_two.task_id, dep_one.task_id, "related")).data
            assert edge.kind == "related"
            deps = await c.get_task_dependencies(dep_two.task_id)
            assert [d.task_id for d in deps.depends_on] == [dep_one.task_id]
            context = await c.get_task_context(dep_two.task_id, 5)
            assert context.task.task_id == dep_two.task_id
            assert [d.task_id for d in context.depends_on] == [dep_one.task_id]
            assert context.feature_name == dep_feature.feature_name and context.comments == ()
            assert (await c.remove_dependency(dep_two.task_id, dep_one.task_id)).data == edge
            await c.start_task(dep_one.task_id, dev.identity_id)
            released = (await c.release_task(dep_one.task_id, "given back")).data
            assert released.status == "todo" and released.assigned_to_identity_id is None
            assert second.task_id in [
                t.task_id for t in await c.get_ready_tasks(feature.feature_id)
            ]
            labelled = await c.get_ready_tasks(feature.feature_id, labels=["walk"])
            assert [t.task_id for t in labelled] == [first.task_id]
            claimed = (
                await c.claim_next_task(
                    dev.identity_id, feature_id=feature.feature_id, lease=timedelta(minutes=10)
                )
            ).data
            assert claimed is not None and claimed.task_id == second.task_id
            beat = await c.heartbeat_task(second.task_id, dev.identity_id, timedelta(minutes=20))
            assert beat.data.lease_expires_at is not None
            assert claimed.lease_expires_at is not None
            assert beat.data.lease_expires_at > claimed.lease_expires_at
            await c.block_task(second.task_id, "Waiting for a review slot")
            await c.unblock_task(second.task_id, "The slot is free")
            await c.submit_task_for_review(second.task_id)
            await c.request_task_changes(second.task_id, "Name the variables better")
            await c.complete_task(second.task_id, 1)
            await c.start_task(first.task_id, dev.identity_id)
            await c.cancel_task(first.task_id, "Not needed after all")

            requirement = (
                await c.add_requirement(
                    feature.feature_id,
                    "Async requirement",
                    "functional",
                    "A requirement walked through the async client, to its verification",
                    [
                        "Given a call, the result should be stored",
                        "When it is read, it must be the same",
                        "Then nothing else changes",
                    ],
                    must_have=True,
                    created_by_identity_id=dev.identity_id,
                )
            ).data
            await c.update_requirement(requirement.requirement_id, {"priority": 2})
            assert (await c.get_requirement(requirement.requirement_id)).priority == 2
            assert len(await c.list_requirements(feature_id=feature.feature_id)) == 1
            await c.update_requirement_status(requirement.requirement_id, "defined")
            await c.update_requirement_status(requirement.requirement_id, "approved")
            await c.complete_component(
                component.component_id,
                ["save"],
                has_tests=True,
                test_coverage_percentage=90,
            )
            await c.update_requirement_status(
                requirement.requirement_id, "implemented", component_id=component.component_id
            )
            await c.verify_requirement(requirement.requirement_id)

            gate = await c.can_complete_feature(feature.feature_id)
            assert gate.can_complete, gate.checks
            assert (await c.get_feature_completion(feature.feature_id)).completion_percentage == 100
            children = await c.get_feature_with_children(feature.feature_id)
            assert len(children.tasks) == 2
            report = await c.validate("feature", {"feature_name": "ab"}, "create")
            assert report.errors
            assert isinstance(await c.check_stale_tasks(timedelta(days=7)), list)
            assert isinstance(await c.check_unblocked_tasks(), list)
            assert feature.feature_id in [
                r.feature_id for r in await c.check_completion_readiness()
            ]
            await c.run_jobs()
            await c.complete_feature(feature.feature_id)
            row_id = await c.log_activity("system", None, "updated", f"Async walk {tag} done")
            assert row_id in [a.id for a in await c.get_activity(source_type="system")]
            # the rows after it, once final (other transactions may hold them back)
            assert isinstance(await c.get_activity_after(row_id, 10), list)
            assert await c.follow_feed() is True
            note = (await c.add_comment("feature", feature.feature_id, f"Async note {tag}")).data
            comments = await c.get_comments("feature", feature.feature_id)
            assert [x.comment_id for x in comments] == [note.comment_id]
            hits = await c.search(f"async note {tag}", project.project_id)
            assert [h.entity_id for h in hits] == [feature.feature_id]
            assert await c.check_invariants() == []

            # the admin calls, as the owner (the test login is a superuser)
            token = await c.create_api_token(dev.identity_id, "reader", label="async walk")
            assert (await c.authenticate_api_token(token["token"]))["identity_id"] == str(
                dev.identity_id
            )
            assert token["token_id"] in [str(t["token_id"]) for t in await c.list_api_tokens()]
            assert await c.revoke_api_token(uuid.UUID(token["token_id"])) is True
            # completed: kept, unless the owner (this superuser login) forces it
            with pytest.raises(InvalidTransitionError):
                await c.delete_feature(feature.feature_id)
            await c.delete_feature(feature.feature_id, force=True)
            move = await c.validate_status_transition("feature", "planned", "in_progress")
            assert move["errors"] == [] and move["action"] == "start"
            sealed = await c.seal_feed()
            assert (await c.feed_anchor()).endswith(sealed["digest"])
            assert await c.verify_feed(await c.feed_anchor()) == []
            with psycopg.connect(database_url) as conn:
                old = conn.execute(OLD_ROWS).fetchone()
            assert await c.prune_activity(timedelta(days=3650)) == (old or [None])[0]

    try:
        asyncio.run(walk())
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(
                "DELETE FROM claude.features WHERE project_id IN"
                " (SELECT project_id FROM claude.projects WHERE project_name = %s)",
                [f"Async project {tag}"],
            )


def test_token_administration_through_the_sync_client(database_url: str) -> None:
    """The owner's token calls (the CLI's token tests run it in a subprocess)."""
    from buildtracker import Client

    with Client.connect(database_url) as client:
        identity = client.add_identity(f"sync-token-{uuid.uuid4().hex[:8]}").data
        token = client.create_api_token(identity.identity_id, "reader", label="sync walk")
        found = client.authenticate_api_token(token["token"])
        assert found is not None and found["access"] == "reader"
        assert token["token_id"] in [str(t["token_id"]) for t in client.list_api_tokens()]
        assert client.revoke_api_token(uuid.UUID(token["token_id"])) is True
        assert client.authenticate_api_token(token["token"]) is None
        with psycopg.connect(database_url) as conn:
            old = conn.execute(OLD_ROWS).fetchone()
        assert client.prune_activity(timedelta(days=3650)) == (old or [None])[0]


def test_owner_and_feed_commands_in_process(database_url: str) -> None:
    """The owner's CLI commands, in process (so the surface recorder sees them)."""
    import json

    from buildtracker import Client
    from buildtracker.cli import app
    from typer.testing import CliRunner

    def cli(*args: str) -> dict[str, object]:
        done = CliRunner().invoke(app, ["--database-url", database_url, "--json", *args])
        assert done.exit_code == 0, done.output
        document: dict[str, object] = json.loads(done.stdout)
        return document

    with Client.connect(database_url) as client:
        name = f"cli-token-{uuid.uuid4().hex[:8]}"
        client.add_identity(name)
        with psycopg.connect(database_url) as conn:
            old = conn.execute(OLD_ROWS).fetchone()
    created = cli("token", "create", "--identity", name, "--access", "reader")["data"]
    assert isinstance(created, dict) and created["access"] == "reader"
    listed = cli("token", "list")["data"]
    assert isinstance(listed, list) and created["token_id"] in [str(t["token_id"]) for t in listed]
    assert cli("token", "revoke", str(created["token_id"]))["data"] == {
        "token_id": created["token_id"],
        "revoked": True,
    }
    assert cli("jobs", "prune", "--older-than", "3650d")["data"] == {
        "pruned_rows": (old or [None])[0]
    }
    with Client.connect(database_url) as tasks:
        project = tasks.add_project(f"CLI deps {uuid.uuid4().hex[:8]}").data
        feature = tasks.add_feature("CLI deps feature", "api", project.project_id).data
        one = tasks.add_task(
            "CLI first task", "The first of two", "code", feature_id=feature.feature_id
        ).data
        two = tasks.add_task(
            "CLI second task", "The second of two", "code", feature_id=feature.feature_id
        ).data
    short_one, short_two = str(one.task_id)[:8], str(two.task_id)[:8]
    edge = cli("task", "dep", "add", short_two, short_one)["data"]
    assert isinstance(edge, dict) and edge["kind"] == "blocks"
    listed = cli("task", "dep", "list", short_two)["data"]
    assert isinstance(listed, dict)
    assert listed["depends_on"][0]["task_id"] == str(one.task_id)  # type: ignore[index]
    with Client.connect(database_url) as tasks:
        dev = tasks.add_identity(f"cli-release-{uuid.uuid4().hex[:8]}").data
        tasks.start_task(one.task_id, dev.identity_id)
    released = cli("task", "release", short_one, "--reason", "given back")["data"]
    assert isinstance(released, dict) and released["status"] == "todo"
    removed = cli("task", "dep", "rm", short_two, short_one)["data"]
    assert isinstance(removed, dict) and removed["depends_on_task_id"] == str(one.task_id)
    move = cli("transition", "component", "planned", "in_progress")["data"]
    assert isinstance(move, dict) and move["action"] == "start"
    sealed = cli("feed", "seal")["data"]
    anchor = cli("feed", "anchor")["data"]
    assert isinstance(sealed, dict) and isinstance(anchor, dict)
    assert str(anchor["anchor"]).endswith(str(sealed["digest"]))
    assert cli("feed", "verify", "--anchor", str(anchor["anchor"]))["data"] == []


def test_every_registry_function_was_called_on_every_surface(
    request: pytest.FixtureRequest,
) -> None:
    if len({item.module for item in request.session.items}) < 5:
        pytest.skip("only meaningful when the whole suite runs")
    expected = set(registry.functions()) - NOT_CALLED
    assert sorted(expected - CALLED["async"]) == [], "registry functions no test called async"
    assert sorted(expected - CALLED["sync"]) == [], "registry functions no test called sync"
    assert sorted(expected - NOT_ON["cli"] - CALLED["cli"]) == [], "no CLI test calls these"
    assert sorted(expected - NOT_ON["rest"] - CALLED["rest"]) == [], "no REST test calls these"
