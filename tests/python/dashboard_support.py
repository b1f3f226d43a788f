"""What the dashboard tests share.

``seed``: a small, lifelike project for the dashboard tests and screenshots: two
features (one with a child feature), components, must-have and optional
requirements (one verified by a test run), tasks in every board column with
labels, assignees, a lease, ``blocks`` and ``related`` dependencies, and feed
rows of every severity. Written with the client, committed (each call its
own transaction); names carry a tag so that runs never collide.

``live_server``: the app under uvicorn in a thread on a free port of
127.0.0.1, for what needs a real server (a browser, server-sent events)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

import uvicorn
from buildtracker import Client
from buildtracker.api import create_app

LONG = "A description comfortably longer than fifty characters, for the approval step."
CRITERIA = [
    "Given a paid basket, when the order is saved, then it can be loaded by id",
    "A stored order must keep every line with its price",
    "Saving the same order twice should not create a duplicate",
]


@dataclass
class Seed:
    tag: str
    project_id: UUID
    project_name: str
    checkout: UUID  # in progress: components, requirements, a dependency chain
    search: UUID  # a second feature with the lease and review tasks
    child: UUID  # a child feature of checkout
    alice: UUID
    bob: UUID
    alice_name: str
    bob_name: str
    tasks: dict[str, UUID] = field(default_factory=dict)
    requirements: dict[str, UUID] = field(default_factory=dict)
    test_run: UUID = field(default_factory=uuid.uuid4)


def seed(database_url: str, tag: str | None = None) -> Seed:
    tag = tag or uuid.uuid4().hex[:6]
    with Client.connect(database_url, actor=f"planner-{tag}") as c:
        project = c.add_project(f"Webshop {tag}").data
        alice = c.add_identity(f"alice-{tag}").data
        bob = c.add_identity(f"bob-{tag}").data
        pid = project.project_id

        checkout = c.add_feature(
            "Checkout flow",
            "feature",
            pid,
            description="Customers pay for their basket and receive an order confirmation.",
            priority=2,
            labels=["payments", "web"],
        ).data.feature_id
        c.update_feature_status(checkout, "planned", planned_by_identity_id=alice.identity_id)
        c.update_feature_status(checkout, "in_progress", implemented_by_identity_id=bob.identity_id)
        child = c.add_feature(
            "Gift cards at checkout",
            "enhancement",
            pid,
            description="Pay part of an order with a gift card.",
            parent_feature_id=checkout,
            labels=["payments"],
        ).data.feature_id
        search = c.add_feature(
            "Order search",
            "feature",
            pid,
            description="Find orders by customer, product or date.",
            labels=["search"],
        ).data.feature_id
        c.update_feature_status(search, "planned", planned_by_identity_id=alice.identity_id)
        c.update_feature_status(search, "in_progress", implemented_by_identity_id=alice.identity_id)

        repo = c.add_component(checkout, "Order repository", "repository").data.component_id
        c.add_component(checkout, "Checkout endpoint", "api_endpoint")
        c.update_component_status(repo, "in_progress")
        c.complete_component(
            repo, ["save_order", "load_order"], has_tests=True, test_coverage_percentage=92
        )

        durable = c.add_requirement(
            checkout, "Orders are stored durably", "data", LONG, CRITERIA, must_have=True,
            created_by_identity_id=alice.identity_id,
        ).data.requirement_id  # fmt: skip
        confirm = c.add_requirement(
            checkout, "Confirmation e-mail is sent", "functional", LONG, CRITERIA,
            must_have=True, created_by_identity_id=alice.identity_id,
        ).data.requirement_id  # fmt: skip
        badge = c.add_requirement(
            checkout, "Payment badges are shown", "ui", LONG, CRITERIA, must_have=False,
            created_by_identity_id=alice.identity_id,
        ).data.requirement_id  # fmt: skip
        for rid in (durable, confirm):
            c.update_requirement_status(rid, "defined")
            c.update_requirement_status(rid, "approved")
        c.update_requirement_status(durable, "implemented", component_id=repo)
        s = Seed(
            tag, pid, project.project_name, checkout, search, child,
            alice.identity_id, bob.identity_id, alice.identity_name, bob.identity_name,
        )  # fmt: skip
        c.verify_requirement(durable, test_run_id=s.test_run)
        s.requirements = {"durable": durable, "confirm": confirm, "badge": badge}

        def task(key: str, name: str, feature: UUID, labels: list[str], priority: int = 5) -> UUID:
            tid = c.add_task(
                name,
                f"{name}: the work, described at some length for the card.",
                "code",
                feature_id=feature,
                priority=priority,
                estimated_hours=2,
                labels=labels,
            ).data.task_id
            s.tasks[key] = tid
            return tid

        schema = task("schema", "Design the orders schema", checkout, ["db"], 2)
        save = task("save", "Implement the order repository", checkout, ["db"], 1)
        api = task("api", "Implement the checkout endpoint", checkout, ["api"], 2)
        mail = task("mail", "Send the confirmation e-mail", checkout, ["mail"], 4)
        page = task("page", "Checkout page", checkout, ["web", "ui"], 3)
        task("todo", "Write the payment docs", checkout, ["docs"], 6)
        pay = task("pay", "Integrate the payment provider", checkout, ["payments", "api"], 2)
        index = task("index", "Build the search index", search, ["db", "search"], 3)
        task("query", "Search endpoint", search, ["api", "search"], 4)
        c.add_dependency(save, schema)
        c.add_dependency(api, save)
        c.add_dependency(mail, api)
        c.add_dependency(page, api)
        c.add_dependency(page, mail, "related")
        c.add_dependency(api, pay)

        c.start_task(schema, bob.identity_id)
        c.complete_task(schema, 1.5, "Tables for orders and lines")
        c.start_task(save, bob.identity_id)
        c.heartbeat_task(save, bob.identity_id, timedelta(minutes=45))
        c.start_task(index, alice.identity_id)
        c.submit_task_for_review(index)
        c.start_task(pay, alice.identity_id)
        c.block_task(pay, "Waits for the payment provider's sandbox keys")
        c.log_activity(
            "project", pid, "updated", "Payment provider sandbox is down",
            "The provider's status page reports an outage", project_name=project.project_name,
            severity="warning",
        )  # fmt: skip
        c.log_activity(
            "project", pid, "updated", "Nightly build failed", "2 tests failed in test_checkout",
            project_name=project.project_name, severity="error",
        )  # fmt: skip
    return s


def make_token(database_url: str, tag: str, access: str = "reader") -> str:
    """A token for a new identity (the tests connect as a superuser, who may create tokens)."""
    with Client.connect(database_url) as c:
        identity = c.add_identity(f"viewer-{access}-{tag}").data
        created = c.create_api_token(identity.identity_id, access, "dashboard test")
    token: str = created["token"]
    return token


@contextmanager
def live_server(database_url: str, *, authenticate: bool = True) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 (a free port), in a thread: its base URL.
    Open event streams are cut after a second when it stops."""
    config = uvicorn.Config(
        create_app(database_url, authenticate=authenticate),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="dashboard-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
