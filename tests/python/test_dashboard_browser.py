"""The dashboard in a real headless browser: Debian's chromium (installed by
``make deps``: scripts/install_deps.sh), driven by Playwright's sync API
against the app under uvicorn on 127.0.0.1.

Every request the pages make is checked: one to any other host is blocked
and fails the test, and so does any console error or uncaught exception.
The board follows a task moved by the command line into its new column
without a reload; a gate link leads from the feature to the task blocking
it; /docs renders offline. Each page is captured at 1280x800; the pictures
go to the test's temporary directory, or to $DASHBOARD_SCREENSHOTS
(``make screenshots`` sets docs/img, which the README shows).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from buildtracker.cli import app as cli
from dashboard_support import Seed, live_server, make_token, seed
from playwright.sync_api import Browser, Page, Route, sync_playwright
from typer.testing import CliRunner

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def shop(database_url: str) -> Seed:
    return seed(database_url)


@pytest.fixture(scope="module")
def token(database_url: str, shop: Seed) -> str:
    return make_token(database_url, shop.tag)


@pytest.fixture(scope="module")
def base(database_url: str) -> Iterator[str]:
    with live_server(database_url) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("DASHBOARD_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make deps` (apt package chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Watch:
    """What a page did that it must not: requests to other hosts, console errors."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def tab(browser: Browser, base: str, token: str) -> Iterator[tuple[Page, Watch]]:
    """A signed-in page (a reader token) whose every request is watched."""
    watch = Watch()
    context = browser.new_context(viewport=VIEWPORT)

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if url.startswith(base + "/") or url == base:
            request_route.continue_()
        else:
            watch.outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.goto(f"{base}/?token={token}")
    assert page.url == base + "/"  # the token left the address for a cookie
    yield page, watch
    context.close()
    assert watch.outside == [], f"requests to other hosts: {watch.outside}"
    assert watch.errors == [], f"console errors: {watch.errors}"


def test_the_board_loads_with_its_columns_and_cards(
    tab: tuple[Page, Watch], base: str, shop: Seed, shots: Path
) -> None:
    page, _ = tab
    page.goto(f"{base}/projects/{shop.project_id}/board")
    columns = page.locator("section.column h2")
    assert [t.split("\n")[0].strip() for t in columns.all_inner_texts()] == [
        "To do",
        "In progress",
        "Blocked",
        "Review",
        "Completed",
    ]
    card = page.locator(f"#task-{shop.tasks['save']}")
    assert "Implement the order repository" in card.inner_text()
    assert "min left" in card.inner_text()
    page.locator("#live.on").wait_for(timeout=10_000)
    page.screenshot(path=str(shots / "dashboard-board.png"))


def test_a_task_moved_by_the_cli_changes_column_without_a_reload(
    tab: tuple[Page, Watch], base: str, database_url: str, shop: Seed
) -> None:
    page, _ = tab
    task = shop.tasks["todo"]
    page.goto(f"{base}/projects/{shop.project_id}/board")
    page.locator(f'section[data-status="todo"] #task-{task}').wait_for()
    page.locator("#live.on").wait_for(timeout=10_000)
    page.evaluate("window.stillTheSamePage = true")
    runner = CliRunner()
    for args in (
        ["task", "start", str(task), "--identity", shop.bob_name],
        ["task", "complete", str(task)[:8], "--hours", "1"],
    ):
        result = runner.invoke(cli, ["--database-url", database_url, "--json", *args])
        assert result.exit_code == 0, result.stdout
    moved = page.locator(f'section[data-status="completed"] #task-{task}')
    moved.wait_for(timeout=15_000)
    assert page.locator(f'section[data-status="todo"] #task-{task}').count() == 0
    assert page.evaluate("window.stillTheSamePage") is True


def test_a_gate_link_leads_from_the_feature_to_what_blocks_it(
    tab: tuple[Page, Watch], base: str, shop: Seed, shots: Path
) -> None:
    page, _ = tab
    page.goto(f"{base}/projects/{shop.project_id}")
    page.screenshot(path=str(shots / "dashboard-projects.png"))
    page.click(f"#feature-{shop.checkout} td.name a")
    page.wait_for_url(f"{base}/features/{shop.checkout}")
    blocking = page.locator("ul.gate.checklist li.block", has_text="Checkout page")
    blocking.get_by_role("link", name="Checkout page").click()
    page.wait_for_url(f"{base}/tasks/{shop.tasks['page']}")
    assert page.locator("h1").inner_text() == "Checkout page"


def test_the_graph_and_the_requirements_render(
    tab: tuple[Page, Watch], base: str, shop: Seed, shots: Path
) -> None:
    page, _ = tab
    page.goto(f"{base}/features/{shop.checkout}/graph")
    assert page.locator("svg#graph g.node").count() == 7
    assert page.locator("svg#graph path.edge").count() == 6
    box = page.locator(f'svg#graph g[data-task-id="{shop.tasks["schema"]}"] rect').bounding_box()
    assert box is not None and box["width"] > 100
    page.screenshot(path=str(shots / "dashboard-graph.png"))
    page.goto(f"{base}/projects/{shop.project_id}/requirements")
    verified = page.locator(f"#req-{shop.requirements['durable']} td.verification")
    assert "test run" in verified.inner_text()
    page.screenshot(path=str(shots / "dashboard-requirements.png"))


def test_the_feed_shows_new_rows_live(
    tab: tuple[Page, Watch], base: str, database_url: str, shop: Seed, shots: Path
) -> None:
    page, _ = tab
    page.goto(f"{base}/feed?project={shop.project_name}")
    page.locator("#live.on").wait_for(timeout=10_000)
    result = CliRunner().invoke(
        cli,
        ["--database-url", database_url, "--json", "task", "start", str(shop.tasks["query"]),
         "--identity", shop.alice_name],
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout
    first = page.locator("#feed-list li.row").first
    first.filter(has_text="Search endpoint").wait_for(timeout=15_000)
    assert "in_progress" in first.inner_text()
    page.screenshot(path=str(shots / "dashboard-feed.png"))


def test_the_api_docs_work_offline(tab: tuple[Page, Watch], base: str) -> None:
    page, _ = tab
    page.goto(f"{base}/docs")
    page.locator(".swagger-ui .opblock-tag", has_text="projects").first.wait_for(timeout=15_000)
    assert page.get_by_text("Build tracking data gateway").first.is_visible()
