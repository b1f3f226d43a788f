"""The web dashboard without a browser (SPEC section 11; the browser tests are
test_dashboard_browser.py): signing in with API tokens (no token, a bad or
revoked token: 401 with the sign-in form; a reader token is enough; the
cookie), what each page shows for a seeded project, the live feed's
server-sent events against a real server (every row, in order, across
pages and reconnections), the dependency graph's layout, the offline /docs,
and the board's server time helper for ``make bench``.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from html import unescape
from typing import Any

import httpx
import psycopg
import pytest
from buildtracker import Client
from buildtracker.api import create_app
from buildtracker.dashboard import render_board_ms
from buildtracker.dashboard.graph import Edge, Node, layers_of, layout
from buildtracker.dashboard.live import APPLICATION_NAME
from buildtracker.dashboard.web import COOKIE
from dashboard_support import Seed, live_server, make_token, seed
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def shop(database_url: str) -> Seed:
    return seed(database_url)


@pytest.fixture(scope="module")
def reader(database_url: str, shop: Seed) -> str:
    return make_token(database_url, shop.tag, "reader")


@pytest.fixture(scope="module")
def app_client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_url)) as client:
        yield client


@pytest.fixture
def http(app_client: TestClient) -> Iterator[TestClient]:
    """The module's client with no cookie (each test signs in as it needs)."""
    app_client.cookies.clear()
    yield app_client
    app_client.cookies.clear()


def signed_in(http: TestClient, token: str) -> TestClient:
    http.cookies.set(COOKIE, token)
    return http


def page(http: TestClient, url: str, status: int = 200) -> str:
    response = http.get(url)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def section(html: str, status: str) -> str:
    """The HTML of one board column."""
    found = re.search(
        rf'<section class="column" data-status="{status}">(.*?)</section>', html, re.S
    )
    assert found, f"no {status} column"
    return found.group(1)


# ---------------------------------------------------------------- signing in


def test_without_a_token_every_page_is_a_401_with_the_sign_in_form(
    http: TestClient, shop: Seed
) -> None:
    for url in (
        "/",
        f"/projects/{shop.project_id}",
        f"/projects/{shop.project_id}/board",
        f"/features/{shop.checkout}",
        f"/features/{shop.checkout}/graph",
        f"/projects/{shop.project_id}/requirements",
        f"/tasks/{shop.tasks['save']}",
        "/feed",
    ):
        html = page(http, url, 401)
        assert 'action="/login"' in html and 'name="token"' in html
        assert "a bearer token is required" in html
        assert shop.project_name not in html  # nothing of the data
    fragment = http.get(f"/projects/{shop.project_id}/board/columns")
    assert fragment.status_code == 401
    assert http.get("/feed/stream").status_code == 401


def test_an_unknown_token_is_refused_in_the_address_the_form_and_the_cookie(
    http: TestClient, shop: Seed
) -> None:
    bad = "bt_" + "0" * 64
    html = page(http, f"/?token={bad}", 401)
    assert "the token is unknown or revoked" in html
    assert COOKIE not in http.cookies
    response = http.post("/login", content=f"token={bad}&next=/feed", follow_redirects=False)
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert "the token is unknown or revoked" in page(signed_in(http, bad), "/", 401)


def test_a_reader_token_in_the_address_becomes_an_http_only_strict_cookie(
    http: TestClient, shop: Seed, reader: str
) -> None:
    url = f"/projects/{shop.project_id}/board?label=db&token={reader}"
    response = http.get(url, follow_redirects=False)
    assert response.status_code == 303
    # the same page again, without the token in its address
    assert response.headers["location"] == f"/projects/{shop.project_id}/board?label=db"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={reader};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    html = page(http, response.headers["location"])
    assert "Implement the order repository" in html
    assert f"viewer-reader-{shop.tag}" in html and ">reader<" in html


def test_the_sign_in_form_sets_the_cookie_and_goes_back_only_to_this_site(
    http: TestClient, reader: str
) -> None:
    response = http.post("/login", data={"token": reader, "next": "/feed"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/feed"
    assert http.cookies[COOKIE] == reader
    for elsewhere in ("//example.com/x", "https://example.com", "/\\example.com"):
        response = http.post(
            "/login", data={"token": reader, "next": elsewhere}, follow_redirects=False
        )
        assert response.headers["location"] == "/"
    response = http.post("/logout", follow_redirects=False)
    assert response.status_code == 303
    assert (
        f'{COOKIE}="";' in response.headers["set-cookie"]
        or "Max-Age=0" in (response.headers["set-cookie"])
    )


def test_a_revoked_token_is_refused_at_once(
    http: TestClient, database_url: str, shop: Seed
) -> None:
    with Client.connect(database_url) as c:
        identity = c.add_identity(f"revoked-{shop.tag}").data
        created = c.create_api_token(identity.identity_id, "reader", "dashboard test")
    signed_in(http, created["token"])
    page(http, "/")
    with Client.connect(database_url) as c:
        assert c.revoke_api_token(created["token_id"]) is True
    assert "the token is unknown or revoked" in page(http, "/", 401)


def test_the_api_itself_still_wants_a_bearer_header_not_the_cookie(
    http: TestClient, reader: str
) -> None:
    signed_in(http, reader)
    assert http.get("/api/projects").status_code == 401
    assert http.get("/api/projects", headers={"Authorization": f"Bearer {reader}"}).is_success


def test_without_authentication_the_pages_need_no_token(database_url: str, shop: Seed) -> None:
    with TestClient(create_app(database_url, authenticate=False)) as client:
        html = page(client, f"/projects/{shop.project_id}")
        assert "Checkout flow" in html
        assert "authentication off" in html


def test_pages_load_nothing_from_elsewhere_and_say_so_in_their_policy(
    http: TestClient, shop: Seed, reader: str
) -> None:
    signed_in(http, reader)
    for url in (
        "/",
        f"/projects/{shop.project_id}",
        f"/projects/{shop.project_id}/board",
        f"/features/{shop.checkout}",
        f"/features/{shop.checkout}/graph",
        f"/projects/{shop.project_id}/requirements",
        f"/tasks/{shop.tasks['api']}",
        "/feed",
    ):
        response = http.get(url)
        assert response.status_code == 200, url
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert response.headers["cache-control"] == "no-store"
        for attribute in re.findall(r'(?:src|href|action)="([^"]*)"', response.text):
            assert attribute.startswith(("/", "#")), (url, attribute)


# ---------------------------------------------------------------- what the pages show


def test_the_project_index_links_each_project(http: TestClient, shop: Seed, reader: str) -> None:
    html = page(signed_in(http, reader), "/")
    assert f'href="/projects/{shop.project_id}"' in html
    assert shop.project_name in html


def test_the_project_page_shows_each_feature_with_progress_status_labels_and_gate(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/projects/{shop.project_id}")
    row = re.search(rf'<tr id="feature-{shop.checkout}">(.*?)</tr>', html, re.S)
    assert row is not None
    checkout = row.group(1)
    assert "Checkout flow" in checkout and "In progress" in checkout
    assert 'aria-label="50% complete"' in checkout
    assert '<span class="label">payments</span>' in checkout
    # the gate by kind: what passes and what blocks, each a link
    assert "components done: 1 of 2" in checkout
    assert "must-have requirements verified: 1 of 2" in checkout
    assert f'href="/projects/{shop.project_id}/requirements#feature-{shop.checkout}"' in checkout
    assert f'href="/projects/{shop.project_id}/board?feature={shop.checkout}"' in checkout
    assert checkout.count('class="block"') == 4
    child = re.search(rf'<tr id="feature-{shop.child}">(.*?)</tr>', html, re.S)
    assert child is not None and "part of Checkout flow" in child.group(1)
    assert "nothing to finish first" in child.group(1)


def test_the_feature_page_lists_the_gate_entity_by_entity(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/features/{str(shop.checkout)[:8]}")  # a prefix
    gate = unescape(html[html.index('id="gate"') :])
    items = re.findall(r'<li class="(pass|block)">(.*?)</li>', gate, re.S)
    by_name = {re.sub(r"<[^>]+>", "", body).split("\n")[3].strip(): state for state, body in items}
    assert by_name["Order repository"] == "pass"
    assert by_name["Checkout endpoint"] == "block"
    assert by_name["Orders are stored durably"] == "pass"
    assert by_name["Confirmation e-mail is sent"] == "block"
    assert by_name["Design the orders schema"] == "pass"
    assert by_name["Implement the order repository"] == "block"
    assert by_name["Gift cards at checkout"] == "block"
    assert "Payment badges are shown" not in by_name  # not a must-have: not gated
    assert 'task "Implement the order repository" is in_progress, not completed' in gate
    assert f'href="/tasks/{shop.tasks["save"]}"' in gate
    assert f'href="/features/{shop.child}"' in gate
    assert (
        f'href="/projects/{shop.project_id}/requirements#req-{shop.requirements["confirm"]}"'
        in gate
    )
    assert "9 checks block completion" in html


def test_the_board_puts_each_task_in_its_column_with_its_card(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/projects/{shop.project_id}/board")
    assert [m for m in re.findall(r'data-status="(\w+)"', html)] == [
        "todo",
        "in_progress",
        "blocked",
        "review",
        "completed",
    ]
    todo, doing = section(html, "todo"), section(html, "in_progress")
    assert "Write the payment docs" in todo and "Checkout page" in todo
    assert "Implement the order repository" in doing
    assert "Integrate the payment provider" in section(html, "blocked")
    assert "Build the search index" in section(html, "review")
    assert "Design the orders schema" in section(html, "completed")
    card = re.search(rf'id="task-{shop.tasks["save"]}"(.*?)</article>', html, re.S)
    assert card is not None
    text = card.group(1)
    assert str(shop.tasks["save"]).replace("-", "")[:8] in text  # the short id
    assert shop.bob_name in text and "P1" in text
    assert re.search(r"4[45] min left", text)  # the lease
    assert '<span class="label">db</span>' in text
    # the P1 task comes before the P2 one in the open columns
    assert todo.index("Implement the checkout endpoint") < todo.index("Write the payment docs")


def test_the_board_filters_by_label_assignee_and_feature(
    http: TestClient, shop: Seed, reader: str
) -> None:
    signed_in(http, reader)
    base = f"/projects/{shop.project_id}/board"
    html = page(http, f"{base}?label=search")
    assert "Build the search index" in html and "Search endpoint" in html
    assert "Write the payment docs" not in html
    html = page(http, f"{base}?assignee={shop.alice_name}")  # a name works too
    assert "Integrate the payment provider" in html and "Build the search index" in html
    assert "Implement the order repository" not in html
    html = page(http, f"{base}?feature={shop.search}&label=db")
    assert "Build the search index" in html and "Search endpoint" not in html
    fragment = page(http, f"{base}/columns?feature={shop.search}")
    assert fragment.lstrip().startswith('<section class="column"')
    assert "Search endpoint" in fragment and "Checkout page" not in fragment
    assert page(http, f"{base}?assignee=nobody-{uuid.uuid4().hex[:6]}", 404)


def test_the_graph_draws_the_features_tasks_and_their_edges(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/features/{shop.checkout}/graph")
    svg = html[html.index('<svg id="graph"') : html.index("</svg>", html.index('id="graph"'))]
    nodes = re.findall(r'<g class="node st-(\w+)[^"]*" data-task-id="([^"]+)"', svg)
    assert {key for _, key in nodes} == {
        str(shop.tasks[k]) for k in ("schema", "save", "api", "mail", "page", "todo", "pay")
    }
    assert dict((key, st) for st, key in nodes)[str(shop.tasks["pay"])] == "blocked"
    assert len(re.findall(r'class="edge kind-blocks"', svg)) == 5
    assert len(re.findall(r'class="edge kind-related"', svg)) == 1
    assert f'href="/tasks/{shop.tasks["api"]}"' in svg


def test_the_requirements_page_shows_must_haves_and_the_verifying_test_run(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/projects/{shop.project_id}/requirements")
    assert "must-haves verified: 1 of 2" in html
    durable = re.search(rf'<tr id="req-{shop.requirements["durable"]}"(.*?)</tr>', html, re.S)
    assert durable is not None
    assert "must-have" in durable.group(1) and "verified" in durable.group(1)
    assert str(shop.test_run).replace("-", "")[:8] in durable.group(1)
    confirm = re.search(rf'<tr id="req-{shop.requirements["confirm"]}"(.*?)</tr>', html, re.S)
    assert confirm is not None and "not verified" in confirm.group(1)
    badge = re.search(rf'<tr id="req-{shop.requirements["badge"]}"(.*?)</tr>', html, re.S)
    assert badge is not None and "nice to have" in badge.group(1)


def test_the_task_page_shows_the_task_and_its_dependencies(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/tasks/{shop.tasks['api']}")
    assert "Implement the checkout endpoint" in html
    needs = html[html.index("Depends on") : html.index("Needed by")]
    assert "Implement the order repository" in needs and "Integrate the payment provider" in needs
    assert "Send the confirmation e-mail" in html[html.index("Needed by") :]


def test_the_feed_page_shows_rows_with_severity_and_changed_fields(
    http: TestClient, shop: Seed, reader: str
) -> None:
    html = page(signed_in(http, reader), f"/feed?project={shop.project_name}")
    assert 'class="row sev-error"' in html and "Nightly build failed" in html
    assert 'class="row sev-warning"' in html
    blocked = re.search(
        r'<li class="row sev-warning"[^>]*>((?:(?!</li>\s*<li class="row).)*?Task blocked.*?)</ul>',
        html,
        re.S,
    )
    assert blocked is not None
    assert "<code>status</code> <del>in_progress</del> → <ins>blocked</ins>" in blocked.group(1)
    # the live stream goes on after the newest row shown
    assert re.search(r'data-stream="/feed/stream\?after=[0-9a-f-]{36}&amp;project=', html)


def test_an_unknown_or_ambiguous_id_is_a_page_not_a_crash(http: TestClient, reader: str) -> None:
    signed_in(http, reader)
    html = page(http, f"/features/{uuid.uuid4()}", 404)
    assert "<h1>404</h1>" in html
    page(http, "/tasks/not-an-id", 422)


# ---------------------------------------------------------------- the offline /docs


def test_docs_are_served_from_vendored_files(http: TestClient) -> None:
    html = page(http, "/docs")
    assert "cdn" not in html.lower() and "fonts.googleapis" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static/docs/{asset}" in html
        assert http.get(f"/static/docs/{asset}").status_code == 200
    assert http.get("/static/dashboard/dashboard.js").status_code == 200
    redoc = http.get("/redoc", follow_redirects=False)
    assert redoc.status_code == 307 and redoc.headers["location"] == "/docs"
    assert "/docs" not in http.get("/openapi.json").json()["paths"]


# ---------------------------------------------------------------- the live stream


def events(lines: Iterator[str], want: int, timeout: float) -> list[dict[str, Any]]:
    """The next ``want`` activity events of an SSE stream (id and data)."""
    found: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    deadline = time.monotonic() + timeout
    for line in lines:
        if line.startswith("id: "):
            current["id"] = line[4:]
        elif line.startswith("event: "):
            current["event"] = line[7:]
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
        elif line == "" and current:
            if current.get("event") == "activity":
                assert current["id"] == current["data"]["id"]
                found.append(current)
            current = {}
            if len(found) >= want:
                return found
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"{len(found)} of {want} events within {timeout} s")


def test_the_stream_sends_every_new_row_in_order_across_pages_and_reconnections(
    database_url: str, shop: Seed, reader: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    with (
        live_server(database_url) as base,
        httpx.Client(base_url=base, cookies={COOKIE: reader}, timeout=20) as client,
        client.stream("GET", f"/feed/stream?project={shop.project_name}") as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines) == "retry: 2000"
        # 250 rows in one transaction: more than a page of the follower's reads
        with Client.connect(database_url, autocommit=False) as c:
            for i in range(250):
                c.log_activity(
                    "project", shop.project_id, "updated", f"burst {tag} {i}",
                    project_name=shop.project_name,
                )  # fmt: skip
            c.source.commit()  # type: ignore[union-attr]
        got = events(lines, 250, timeout=20)
        assert [e["data"]["title"] for e in got] == [f"burst {tag} {i}" for i in range(250)]
        assert 'class="row sev-info"' in got[0]["data"]["html"]
        # a reconnecting browser sends the last id it got: the stream goes on after it
        with client.stream(
            "GET", "/feed/stream", headers={"Last-Event-ID": got[199]["id"]}
        ) as again:
            caught_up = events(again.iter_lines(), 50, timeout=20)
        assert [e["data"]["title"] for e in caught_up] == [
            f"burst {tag} {i}" for i in range(200, 250)
        ]
        # the reconnection's own connection ended with it; the first one's is open
        assert streams_open(database_url, expect=1) == 1
    assert streams_open(database_url, expect=0) == 0


def streams_open(database_url: str, expect: int, wait: float = 5.0) -> int:
    """How many feed streams' connections are open, once ``expect`` are (or
    after ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    with psycopg.connect(database_url, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                [APPLICATION_NAME],
            ).fetchone()
            assert row is not None
            if row[0] == expect or time.monotonic() > deadline:
                return int(row[0])
            time.sleep(0.1)


def test_the_stream_refuses_a_bad_token_and_restarts_after_a_pruned_id(
    database_url: str, reader: str
) -> None:
    with live_server(database_url) as base, httpx.Client(base_url=base, timeout=20) as client:
        assert client.get("/feed/stream").status_code == 401
        client.cookies.set(COOKIE, reader)
        with client.stream("GET", f"/feed/stream?after={uuid.uuid4()}") as stream:
            lines = stream.iter_lines()
            assert next(lines) == "retry: 2000"
            seen = [next(lines) for _ in range(3)]
            assert "event: reset" in seen


# ---------------------------------------------------------------- the graph's layout


def test_layers_follow_the_blocks_edges_and_survive_a_cycle() -> None:
    edges = [
        Edge("a", "b"),
        Edge("b", "c"),
        Edge("a", "c"),
        Edge("d", "c"),
        Edge("c", "e", "related"),
    ]
    assert layers_of(["a", "b", "c", "d", "e"], edges) == {"a": 0, "b": 1, "c": 2, "d": 1, "e": 0}
    cycle = [Edge("x", "y"), Edge("y", "x"), Edge("w", "x")]
    layers = layers_of(["w", "x", "y"], cycle)
    assert layers["w"] == 0 and layers["x"] == layers["y"] == 1


def test_a_long_edge_goes_around_the_tasks_in_its_way() -> None:
    nodes = [Node(k, k, "todo", f"/tasks/{k}", k) for k in ("a", "b", "c", "d")]
    drawn = layout(nodes, [Edge("a", "b"), Edge("b", "c"), Edge("a", "c"), Edge("c", "d")])
    placed = {p.node.key: p for p in drawn.nodes}
    assert [placed[k].layer for k in "abcd"] == [0, 1, 2, 3]
    long = next(e for e in drawn.edges if (e.edge.source, e.edge.target) == ("a", "c"))
    # through a waypoint in b's layer, not through b
    assert " L" in long.path
    assert drawn.width > placed["d"].x + drawn.node_width
    assert drawn.height >= max(p.y for p in drawn.nodes) + drawn.node_height


def test_the_board_render_time_helper_measures_the_server_side(
    database_url: str, shop: Seed
) -> None:
    ms = render_board_ms(database_url, shop.project_name, repeat=2)
    assert 0 < ms < 5000
