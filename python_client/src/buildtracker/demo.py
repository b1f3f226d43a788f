"""``make demo``: one feature from plan to completion, through the ``buildtracker`` command.

Every step runs the real command line in a subprocess and shows it as
``$ buildtracker ...`` followed by its output, the way a person would type it.
Ids are picked up with hidden ``--json`` calls. The names carry a per-run
suffix, so the demo can run any number of times on the same database.

    python -m buildtracker.demo --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

# Piped output gets the same width as the commands it runs (see Demo.__init__).
console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)

REFUSED = 6  # InvalidTransitionError.exit_code: a transition or gate that is not met


class DemoFailure(Exception):
    """A step did not end the way the story needs."""


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("buildtracker")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "buildtracker.cli"]


class Demo:
    def __init__(self, database_url: str) -> None:
        self.command = cli_command()
        self.env = dict(os.environ)
        self.env["DATABASE_URL"] = database_url
        self.env.pop("BUILDTRACKER_ACTOR", None)
        if not sys.stdout.isatty():
            # A pipe gives rich 80 columns; UUID tables need more.
            self.env.setdefault("COLUMNS", "150")

    # ------------------------------------------------------------ running the CLI

    def show(self, *args: str, expect: int = 0) -> None:
        """Print ``$ buildtracker ARGS`` and run it with its output going straight through."""
        console.print(Text("$ buildtracker " + shlex.join(args), style="bold"), soft_wrap=True)
        sys.stdout.flush()
        done = subprocess.run([*self.command, *args], env=self.env, check=False)
        sys.stdout.flush()
        sys.stderr.flush()
        if done.returncode != expect:
            raise DemoFailure(
                f"`buildtracker {shlex.join(args)}` exited with {done.returncode}, expected {expect}"
            )
        if expect:
            console.print(Text(f"(exit code {done.returncode}: refused, as expected)", style="dim"))
        console.print()

    def capture(self, *args: str) -> Any:
        """Run ``buildtracker --json ARGS`` quietly and return the data of its envelope."""
        done = subprocess.run(
            [*self.command, "--json", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise DemoFailure(
                f"`buildtracker --json {shlex.join(args)}` exited with {done.returncode}:\n"
                f"{done.stderr}{done.stdout}"
            )
        return json.loads(done.stdout)["data"]

    def act_as(self, identity: str) -> None:
        """Switch who is acting (recorded as the actor in the activity feed)."""
        console.print(
            Text(f"$ export BUILDTRACKER_ACTOR={shlex.quote(identity)}", style="bold"),
            soft_wrap=True,
        )
        self.env["BUILDTRACKER_ACTOR"] = identity
        console.print()

    @staticmethod
    def say(text: str) -> None:
        console.print(Rule(Text(text, style="bold cyan"), align="left", style="cyan"))

    def child_id(self, feature_id: str, kind: str, name_key: str, name: str) -> str:
        """The id of a feature's component, task or requirement, by name."""
        detail = self.capture("feature", "show", feature_id)
        for row in detail[kind]:
            if row[name_key] == name:
                return str(row[f"{kind[:-1]}_id"])  # component_id, task_id, requirement_id
        raise DemoFailure(f"{kind} {name!r} not found on feature {feature_id}")

    # ------------------------------------------------------------ the story

    def run(self) -> None:
        suffix = f"{datetime.now():%m%d-%H%M%S}-{uuid.uuid4().hex[:4]}"
        project = f"shop-{suffix}"
        alice = f"alice-{suffix}"
        bob = f"bob-{suffix}"

        self.say("1. A project and the two people who will work on it")
        self.show("project", "add", project)
        self.show("identity", "add", alice)
        self.show("identity", "add", bob)

        self.say("2. Alice writes the feature, plans it, and hands it to Bob")
        self.act_as(alice)
        self.show(
            "feature", "add", "--project", project, "--name", "Checkout flow",
            "--type", "feature", "--priority", "2",
            "--description", "Customers pay for their basket and get an order confirmation",
        )  # fmt: skip
        features = self.capture("feature", "list", "--project", project)
        feature = str(features[0]["feature_id"])
        self.show("feature", "status", feature, "planned", "--planned-by", alice)
        self.show("feature", "status", feature, "in_progress", "--implemented-by", bob)

        self.say("3. Two components, and a task for each (the second waits for the first)")
        self.show(
            "component", "add", feature, "--name", "Order repository", "--type", "repository",
            "--planned-function", "save_order", "--planned-function", "load_order",
            "--dependency", "psycopg",
        )  # fmt: skip
        repo = self.child_id(feature, "components", "component_name", "Order repository")
        self.show(
            "component", "add", feature, "--name", "Checkout endpoint", "--type", "api_endpoint",
            "--planned-function", "create_order", "--planned-function", "get_order",
            "--dependency", "Order repository",
        )  # fmt: skip
        endpoint = self.child_id(feature, "components", "component_name", "Checkout endpoint")
        self.show(
            "task", "add", "--name", "Implement the order repository",
            "--description", "Store and load orders together with their basket lines",
            "--type", "code", "--component", repo, "--priority", "1", "--estimate", "3",
        )  # fmt: skip
        first = self.child_id(feature, "tasks", "task_name", "Implement the order repository")
        self.show(
            "task", "add", "--name", "Implement the checkout endpoint",
            "--description", "POST /checkout turns the basket into a stored order",
            "--type", "code", "--component", endpoint, "--priority", "2", "--estimate", "2",
            "--blocked-by", first,
        )  # fmt: skip
        second = self.child_id(feature, "tasks", "task_name", "Implement the checkout endpoint")

        self.say("4. A must-have requirement, defined and approved")
        self.show(
            "requirement", "add", feature, "--name", "Orders are stored durably", "--type", "data",
            "--description", "Every confirmed order is written to the database with all of its"
            " basket lines and prices, so that nothing is lost after a restart",
            "--criterion", "Given a paid basket, when the order is saved, then it can be loaded by id",
            "--criterion", "A stored order must keep every basket line with its price",
            "--criterion", "Saving the same order twice should not create a duplicate",
            "--must-have", "--created-by", alice,
        )  # fmt: skip
        requirement = self.child_id(
            feature, "requirements", "requirement_name", "Orders are stored durably"
        )
        self.show("requirement", "status", requirement, "defined")
        self.show("requirement", "status", requirement, "approved")

        self.say("5. Bob takes work from the ready queue")
        self.act_as(bob)
        self.show("task", "ready", "--feature", feature)
        self.show("task", "claim", "--identity", bob, "--feature", feature)
        console.print(Text("# the endpoint task waits for the repository task:", style="dim"))
        self.show("task", "start", second, "--identity", bob, expect=REFUSED)

        self.say("6. Completing the feature now is refused, naming everything that is missing")
        self.show("feature", "complete", feature, expect=REFUSED)

        self.say("7. Bob finishes the repository; the endpoint task becomes ready")
        self.show("component", "status", repo, "in_progress")
        self.show(
            "component", "complete", repo, "--function", "save_order", "--function", "load_order",
            "--tests", "--coverage", "92", "--lines", "140",
        )  # fmt: skip
        self.show(
            "task", "complete", first, "--hours", "2.5", "--notes", "Orders and lines in one transaction"
        )  # fmt: skip
        self.show("task", "ready", "--feature", feature)
        self.show("task", "start", second, "--identity", bob)

        self.say("8. The endpoint, with a review round (warnings show in yellow)")
        self.show("component", "status", endpoint, "in_progress")
        self.show(
            "component", "complete", endpoint, "--function", "create_order",
            "--function", "get_order", "--function", "cancel_order",
            "--tests", "--coverage", "75", "--lines", "210",
        )  # fmt: skip
        self.show("task", "review", second)
        self.act_as(alice)
        self.show("task", "changes", second, "--note", "Answer 201 with a Location header")
        self.act_as(bob)
        self.show("task", "review", second)
        self.act_as(alice)
        self.show("task", "complete", second, "--hours", "5", "--notes", "Reviewed by Alice")

        self.say("9. The requirement is implemented and verified by a test run")
        self.show("requirement", "status", requirement, "implemented", "--component", repo)
        self.show("requirement", "verify", requirement, "--test-run", str(uuid.uuid4()))

        self.say("10. The gate passes: the background job notices, and Alice completes the feature")
        self.show("feature", "completion", feature)
        self.show("jobs", "run")
        self.show("feature", "complete", feature)
        self.show("feature", "completion", feature)
        self.show("feature", "show", feature)

        self.say("11. What happened, from the activity feed")
        self.show("activity", "--project", project, "--limit", "100")

        self.agents(project, suffix)

    def agents(self, project: str, suffix: str) -> None:
        """Two coding agents on one feature: labels, dependencies, a lease that runs
        out and is taken over, a heartbeat, a comment and a release."""
        agent_a = f"agent-a-{suffix}"
        agent_b = f"agent-b-{suffix}"
        self.say("12. Two coding agents share a feature; the tracker hands out the work")
        self.act_as("planner")
        self.show("identity", "add", agent_a)
        self.show("identity", "add", agent_b)
        self.show(
            "feature", "add", "--project", project, "--name", "Order search",
            "--type", "feature", "--label", "search",
            "--description", "Find orders by customer, product or date",
        )  # fmt: skip
        feature = next(
            str(f["feature_id"])
            for f in self.capture("feature", "list", "--project", project)
            if f["feature_name"] == "Order search"
        )
        for name, description, labels in (
            ("Build the search index", "A full-text index over orders and their lines", ["db"]),
            ("Add the search endpoint", "GET /orders/search answers from the index", ["api"]),
            ("Document the search syntax", "Explain words, phrases and exclusions", ["docs"]),
        ):
            label_args = [arg for label in labels for arg in ("--label", label)]
            self.show(
                "task", "add", "--name", name, "--description", description, "--type", "code",
                "--feature", feature, *label_args,
            )  # fmt: skip
        index = self.child_id(feature, "tasks", "task_name", "Build the search index")
        endpoint = self.child_id(feature, "tasks", "task_name", "Add the search endpoint")
        docs = self.child_id(feature, "tasks", "task_name", "Document the search syntax")
        console.print(
            Text(
                "# the endpoint waits for the index; the docs were found while building it",
                style="dim",
            )
        )
        self.show("task", "dep", "add", endpoint, index)
        self.show("task", "dep", "add", docs, index, "--kind", "discovered_from")
        self.show("task", "dep", "list", endpoint)

        self.say("13. Agent A claims the index with a short lease, then goes quiet")
        self.act_as(agent_a)
        self.show("task", "claim", "--identity", agent_a, "--feature", feature, "--label", "db",
                  "--lease", "2s")  # fmt: skip
        self.act_as(agent_b)
        console.print(
            Text(
                "# B asks for API work: the endpoint is not ready, its blocker is open", style="dim"
            )
        )
        self.show("task", "claim", "--identity", agent_b, "--feature", feature, "--label", "api")
        console.print(Text("# ... agent A crashed; its lease runs out", style="dim"))
        time.sleep(2.5)
        self.show("jobs", "run")

        self.say("14. Agent B takes the abandoned task over, keeps it alive, and finishes it")
        self.show("task", "claim", "--identity", agent_b, "--feature", feature, "--label", "db",
                  "--lease", "30m")  # fmt: skip
        self.show("task", "heartbeat", index, "--identity", agent_b, "--lease", "30m")
        self.show(
            "comment",
            "add",
            index,
            "Took this over after agent A's lease expired; A had not pushed anything",
        )
        self.show("task", "complete", index, "--hours", "1.5", "--notes", "GIN index over orders")
        self.show("task", "ready", "--feature", feature)

        self.say("15. Agent A is back: a heartbeat on a task it no longer holds is refused")
        self.act_as(agent_a)
        self.show("task", "heartbeat", index, "--identity", agent_a, expect=REFUSED)
        self.show("task", "claim", "--identity", agent_a, "--feature", feature, "--label", "api")
        self.show("task", "release", endpoint, "--reason", "Needs the API style guide first")
        self.show("comment", "list", index)
        self.show("search", "index orders", "--project", project)
        self.show("activity", "--project", project, "--limit", "12")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("pass --database-url or set DATABASE_URL")
    try:
        Demo(args.database_url).run()
    except DemoFailure as exc:
        Console(stderr=True).print(Text(f"demo failed: {exc}", style="bold red"))
        return 1
    console.print(
        Text(
            "demo finished: the feature went from plan to completed, and two agents"
            " shared another through leases",
            style="bold green",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
