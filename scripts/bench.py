"""``make bench``: the gateway's speed, measured side by side in one run.

1. Gateway overhead (pgbench): block + unblock a task through the workflow
   functions, against the bare DML doing the same writes (the task update and
   the activity insert, one statement each, on plain copies of the tables with
   the same indexes and checks but no triggers). At 1 and 8 clients, the two
   sides alternated over several rounds (medians); targets 1.5x and 2x. At 1
   client also as backend CPU per step (not a target), when the server runs
   on this machine.
2. Against an application-side gateway: the same workflow done in Python the
   way an application would - BEGIN, SELECT the row, check the transition,
   SELECT the project name, UPDATE, INSERT the activity row, COMMIT, each a
   round trip - against one call, at 1 and 4 clients (a thread and connection
   each). Directly on loopback and with 0.2 and 1 ms of round-trip latency
   added by a delaying TCP proxy started here (scripts/latency_proxy.py; this
   kernel has no netem). Target at 1 ms: the functions 4x the throughput.
3. Scaling: get_ready_tasks, get_activity (a project's first page, a page
   half a year back through the keyset cursor), can_complete_feature and
   search at a small history (10,000 tasks and feed rows) and after growing
   it to a large one (--scale-tasks, --scale-feed: 1,000,000 tasks and
   10,000,000 feed rows), bulk-loaded with triggers off; target large / small
   under 2. Then the roll-up cost per component change with 10 versus 1,000
   components in the feature. Runs last (its feed is never sealed).
4. Agents: claims per second with 1, 4 and 16 agents draining one queue with
   claim_next_task (30-second leases), completing each task, while a sealer
   calls seal_feed every 20 ms; target 4 agents 2x 1 agent, and no task ever
   claimed twice (from the agents' results and from the feed).
5. Command-line cold start (an absolute time: nothing to set it beside).
6. Sealing: claims per second with 4 agents while a sealer calls seal_feed
   every 20 ms, against the same without it (alternated, medians), counting
   double claims and checking verify_feed afterwards.
7. MCP: the latency of one tool call (claim, complete) on a running
   ``buildtracker mcp`` server, through the SDK's own client over stdio,
   against one ``buildtracker`` command doing the same; medians and p95.
8. Dashboard: the server time of rendering a project's task board with
   1,000 tasks in the project and 100,000 feed rows (an absolute target,
   300 ms), beside the same board with 10 tasks.

The run ends with a table of the speed targets (issue 18), measured value
against target, met or not. A missed speed target does not change the exit
status (BENCH_STRICT=1 makes it fail a full run); a wrong answer or a double
claim does.

Every figure is a ratio of two measurements taken in this run. ``--quick``
runs a small version (for ``make test``): it checks that every benchmark runs
and reports, not the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

if TYPE_CHECKING:
    from latency_proxy import ProxyProcess

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

SETUP_BARE = """
DROP SCHEMA IF EXISTS bench_bare CASCADE;
CREATE SCHEMA bench_bare;
-- same columns, defaults, checks and indexes; no triggers, no foreign keys
CREATE TABLE bench_bare.build_tasks (LIKE claude.build_tasks INCLUDING ALL);
CREATE TABLE bench_bare.activity_feed (LIKE claude.activity_feed INCLUDING ALL);
CREATE TABLE bench_bare.slots (slot integer PRIMARY KEY, task_id uuid NOT NULL);
"""

# When the feed is partitioned by month (activity_feed_partitions), its bare copy is too:
# the routing is the storage's cost, not the gateway's.
PARTITION_BARE_FEED = """
DROP TABLE bench_bare.activity_feed;
CREATE TABLE bench_bare.activity_feed (LIKE claude.activity_feed INCLUDING ALL) PARTITION BY RANGE (created_at);
CREATE TABLE bench_bare.activity_feed_month PARTITION OF bench_bare.activity_feed
    FOR VALUES FROM (date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                 TO ((date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC');
CREATE TABLE bench_bare.activity_feed_default PARTITION OF bench_bare.activity_feed DEFAULT;
"""

GATEWAY_SCRIPT = """\\set slot :client_id * {per_client} + random(1, {per_client})
SELECT claude.block_task(task_id => (SELECT task_id FROM bench_bare.slots WHERE slot = :slot), reason => 'bench: waiting');
SELECT claude.unblock_task(task_id => (SELECT task_id FROM bench_bare.slots WHERE slot = :slot), note => 'bench: resolved');
"""

# The same writes as the gateway, one statement per workflow step.
BARE_SCRIPT = """\\set slot :client_id * {per_client} + random(1, {per_client})
WITH t AS (UPDATE bench_bare.build_tasks SET status = 'blocked', blocked_reason = 'bench: waiting', updated_at = now()
            WHERE task_id = (SELECT task_id FROM bench_bare.slots WHERE slot = :slot) RETURNING task_id, task_name)
INSERT INTO bench_bare.activity_feed (source_type, source_id, actor, activity_type, title, summary, project_name, severity, changes)
SELECT 'build_task', task_id, current_user, 'blocked', 'Task blocked: ' || task_name,
       'Status in_progress -> blocked. Reason: bench: waiting', 'bench', 'warning', '{{"status": {{"old": "in_progress", "new": "blocked"}}}}'
  FROM t;
WITH t AS (UPDATE bench_bare.build_tasks SET status = 'in_progress', blocked_reason = NULL, updated_at = now()
            WHERE task_id = (SELECT task_id FROM bench_bare.slots WHERE slot = :slot) RETURNING task_id, task_name)
INSERT INTO bench_bare.activity_feed (source_type, source_id, actor, activity_type, title, summary, project_name, severity, changes)
SELECT 'build_task', task_id, current_user, 'unblocked', 'Task unblocked: ' || task_name,
       'Status blocked -> in_progress. Reason: bench: resolved', 'bench', 'info', '{{"status": {{"old": "blocked", "new": "in_progress"}}}}'
  FROM t;
"""


@dataclass
class Check:
    name: str
    ratio: float
    target: str
    met: bool
    detail: str
    wrong: bool = False  # a correctness failure: fails even a quick run
    info: bool = False  # reported beside the targets, not one of them
    summary: str | None = None  # its row in the speed-target table (issue 18), if one
    measured: str | None = None  # how the table shows it (else the ratio)
    section: int = 0


RESULTS: list[Check] = []
NOTES: list[str] = []  # what the summary's rows were measured at
SECTION = 0  # the benchmark running, for the summary's order


def section(number: int, title: str) -> None:
    global SECTION
    SECTION = number
    print(f"{number}. {title}", flush=True)


def report(
    name: str,
    ratio: float,
    target: str,
    met: bool,
    detail: str,
    wrong: bool = False,
    *,
    info: bool = False,
    summary: str | None = None,
    measured: str | None = None,
) -> None:
    RESULTS.append(Check(name, ratio, target, met, detail, wrong, info, summary, measured, SECTION))
    verdict = "informative" if info else "meets" if met else "MISSES"
    print(f"  {name}: ratio {ratio:.2f} ({target}: {verdict}) - {detail}", flush=True)


def connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url, autocommit=True, application_name="bt-bench")


def one(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]


def world(conn: psycopg.Connection[Any], tag: str) -> tuple[str, str, str]:
    """A project, an identity and an in_progress feature."""
    project = one(conn, "SELECT claude.add_project(%s)->'data'->>'project_id'", [f"bench {tag}"])
    identity = one(conn, "SELECT claude.add_identity(%s)->'data'->>'identity_id'", [f"bench {tag}"])
    feature = one(
        conn,
        "SELECT claude.add_feature(feature_name => %s, feature_type => 'feature', project_id => %s,"
        " description => 'A feature for the benchmarks')->'data'->>'feature_id'",
        [f"Bench feature {tag}", project],
    )
    conn.execute(
        "SELECT claude.update_feature_status(%s, 'planned', planned_by_identity_id => %s)",
        [feature, identity],
    )
    conn.execute(
        "SELECT claude.update_feature_status(%s, 'in_progress', implemented_by_identity_id => %s)",
        [feature, identity],
    )
    return project, identity, feature


def started_tasks(
    conn: psycopg.Connection[Any], feature: str, identity: str, count: int
) -> list[str]:
    ids = []
    for i in range(count):
        task = one(
            conn,
            "SELECT claude.add_task(task_name => %s, task_description => 'A task for the benchmarks',"
            " task_type => 'code', feature_id => %s, estimated_hours => 1)->'data'->>'task_id'",
            [f"Bench task {i}", feature],
        )
        conn.execute("SELECT claude.start_task(%s, %s)", [task, identity])
        ids.append(task)
    return ids


# ---------------------------------------------------------------- 1. gateway overhead


@contextmanager
def pgbench_command(url: str, script: str, clients: int, seconds: int) -> Iterator[list[str]]:
    """The pgbench command line running script (written to a file, removed afterwards)."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    try:
        yield [
            str(PG_BIN / "pgbench"),
            "-n",
            "-f",
            f.name,
            "-c",
            str(clients),
            "-j",
            str(min(clients, 4)),
            "-T",
            str(seconds),
            url,
        ]
    finally:
        os.unlink(f.name)


def pgbench_tps(url: str, script: str, clients: int, seconds: int) -> float:
    with pgbench_command(url, script, clients, seconds) as command:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    if not match:
        raise RuntimeError(f"pgbench printed no tps:\n{out}")
    return float(match.group(1))


def local_postmaster(pid: int) -> int | None:
    """The parent (postmaster) of a PostgreSQL backend running on this machine,
    or None when pid is not one (a remote server, another PID namespace)."""
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
            return None
        # /proc/PID/stat: "pid (comm) state ppid ..."
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def backend_cpu_ns(pid: int) -> int | None:
    """CPU time of a local backend (nanoseconds), or None when unreadable."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return None


class NotMeasured(Exception):
    """Why backend CPU could not be measured (said in one line)."""


def server_cpu_per_step(url: str, script: str, steps_table: str, seconds: int) -> float:
    """Backend CPU (µs) per workflow step of a one-client pgbench run: the cost
    without client and network. Steps are counted as new rows in steps_table
    (each step writes one activity row), so the window is exact. Only for a
    server on this machine: the pgbench backend must be a child of the same
    postmaster as this connection's backend."""
    seconds = max(seconds, 3)  # one second to connect, then at least one measured
    with pgbench_command(url, script, 1, seconds) as command:
        bench = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            with connect(url) as conn:
                postmaster = local_postmaster(one(conn, "SELECT pg_backend_pid()"))
                if postmaster is None:
                    raise NotMeasured("the server is not on this machine")
                time.sleep(1.0)
                pid = one(
                    conn,
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'"
                    " AND datname = current_database() AND pid <> pg_backend_pid()",
                )
                if pid is None or local_postmaster(pid) != postmaster:
                    raise NotMeasured("pgbench's backend was not found")
                count = f"SELECT count(*) FROM {steps_table}"  # a constant, not user input
                cpu0, steps0 = backend_cpu_ns(pid), one(conn, count)
                time.sleep(max(seconds - 2, 1))
                cpu1, steps1 = backend_cpu_ns(pid), one(conn, count)
        finally:
            _, errors = bench.communicate()
    if bench.returncode != 0:
        raise NotMeasured(f"pgbench failed: {errors.strip().splitlines()[-1:] or bench.returncode}")
    if cpu0 is None or cpu1 is None or cpu1 <= cpu0 or int(steps1) <= int(steps0):
        raise NotMeasured("no CPU time or no steps were counted")
    return (cpu1 - cpu0) / 1000 / (int(steps1) - int(steps0))


OVERHEAD_TARGETS = {1: 1.5, 8: 2.0}  # gateway / bare, by clients (issue 18)


def bench_overhead(url: str, seconds: int, per_client: int, rounds: int) -> None:
    section(
        1, "gateway overhead: block + unblock through the functions vs the same writes as bare DML"
    )
    with connect(url) as conn:
        conn.execute(SETUP_BARE)
        if (
            one(conn, "SELECT relkind FROM pg_class WHERE oid = 'claude.activity_feed'::regclass")
            == "p"
        ):
            conn.execute(PARTITION_BARE_FEED)
        _, identity, feature = world(conn, "overhead " + uuid.uuid4().hex[:6])
        total = 9 * per_client  # client ids 0..8
        tasks = started_tasks(conn, feature, identity, total)
        conn.execute(
            "INSERT INTO bench_bare.slots SELECT s, t::uuid FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, s)",
            [tasks],
        )
        conn.execute(
            "INSERT INTO bench_bare.build_tasks SELECT t.* FROM claude.build_tasks t"
            " JOIN bench_bare.slots s ON s.task_id = t.task_id"
        )
        conn.execute("ANALYZE")
    gateway = GATEWAY_SCRIPT.format(per_client=per_client)
    bare = BARE_SCRIPT.format(per_client=per_client)
    for clients, limit in OVERHEAD_TARGETS.items():
        # alternate (g b, b g, g b, ...), so drift hits both sides alike; medians
        g_runs: list[float] = []
        b_runs: list[float] = []
        for r in range(rounds):
            for side in ("g", "b") if r % 2 == 0 else ("b", "g"):
                if side == "g":
                    g_runs.append(pgbench_tps(url, gateway, clients, seconds))
                else:
                    b_runs.append(pgbench_tps(url, bare, clients, seconds))
        g, b = statistics.median(g_runs), statistics.median(b_runs)
        ratio = b / g
        report(
            f"gateway / bare cost, {clients} client(s)",
            ratio,
            f"target <= {limit:.2f}",
            ratio <= limit,
            f"gateway {g:.0f} tps, bare {b:.0f} tps (medians of {rounds} runs of {seconds} s:"
            f" {', '.join(f'{x:.0f}' for x in g_runs)} and {', '.join(f'{x:.0f}' for x in b_runs)})",
            summary=f"gateway / bare DML, {clients} client{'s' if clients > 1 else ''}",
            measured=f"{ratio:.2f}x",
        )
        if clients == 1:
            # not a target: the same comparison as server CPU, without the
            # client and the network both sides pay (only for a local server)
            try:
                cpu = [
                    server_cpu_per_step(url, script, table, seconds)
                    for _ in range(2)
                    for script, table in (
                        (gateway, "claude.activity_feed"),
                        (bare, "bench_bare.activity_feed"),
                    )
                ]
            except NotMeasured as why:
                print(f"  server CPU per step: not measured ({why})", flush=True)
            else:
                g_cpu, b_cpu = (cpu[0] + cpu[2]) / 2, (cpu[1] + cpu[3]) / 2
                print(
                    f"  server CPU per step, 1 client (not a target): gateway {g_cpu:.0f} us,"
                    f" bare {b_cpu:.0f} us: ratio {g_cpu / b_cpu:.2f}",
                    flush=True,
                )


# ---------------------------------------------------------------- 2. vs application-side gateway

# The application-side gateway: what an application does instead of calling
# block_task / unblock_task, one round trip per statement inside a transaction
# (BEGIN and COMMIT are round trips too: six per step, against the function's
# one). It makes the checks the function makes before writing - the task
# exists, its status allows the action (the allowed statuses read once from the
# transition table, as an application caches them), the reason or note is not
# blank - and the same writes: the task row, and one activity row with the
# function's title, summary, project name, severity and changed fields.
#
# It is WEAKER than the gateway in what the server does after that: its tables
# (bench_bare, plain copies) keep the indexes and checks but have no triggers,
# so it skips the rule trigger's re-validation of the row, the feed's stamps
# and seal, the warning's notification and the roll-up decision, and it names
# the changed fields by hand instead of diffing the rows. At 0 ms added latency
# that flatters the application side; what the comparison shows is the cost of
# its round trips.

APP_SIDE_ALLOWED: dict[str, frozenset[str]] = {}  # action -> statuses it applies to


def app_side_step(
    conn: psycopg.Connection[Any],
    task_id: str,
    text: str,
    action: str,
    new_status: str,
    severity: str,
) -> None:
    """One workflow step (block or unblock) the application's way."""
    with conn.transaction():  # BEGIN
        row = conn.execute(  # read the row (and lock it, as the function's UPDATE does)
            "SELECT status, task_name, feature_id, blocked_reason FROM bench_bare.build_tasks"
            " WHERE task_id = %s FOR UPDATE",
            [task_id],
        ).fetchone()
        if row is None:
            raise RuntimeError(f"no task {task_id}")
        if row[0] not in APP_SIDE_ALLOWED[action] or not text.strip():
            raise RuntimeError(f"cannot {action} a {row[0]} task")  # the transition check
        project = conn.execute(
            "SELECT p.project_name FROM claude.features f JOIN claude.projects p USING (project_id)"
            " WHERE f.feature_id = %s",
            [row[2]],
        ).fetchone()
        new_reason = text if new_status == "blocked" else None
        conn.execute(
            "UPDATE bench_bare.build_tasks SET status = %s, blocked_reason = %s, updated_at = now()"
            " WHERE task_id = %s",
            [new_status, new_reason, task_id],
        )
        changes = {
            "status": {"old": row[0], "new": new_status},
            "blocked_reason": {"old": row[3], "new": new_reason},
        }
        conn.execute(
            "INSERT INTO bench_bare.activity_feed (source_type, source_id, actor, activity_type, title, summary,"
            " project_name, severity, changes)"
            " VALUES ('build_task', %s, current_user, %s, %s, %s, %s, %s, %s::jsonb)",
            [
                task_id,
                action + "ed",
                f"Task {action}ed: {row[1]}",
                f"Status {row[0]} -> {new_status}. Reason: {text}",
                project[0] if project else None,
                severity,
                json.dumps(changes),
            ],
        )
    # COMMIT


def app_side_block(conn: psycopg.Connection[Any], task_id: str, reason: str) -> None:
    app_side_step(conn, task_id, reason, "block", "blocked", "warning")


def app_side_unblock(conn: psycopg.Connection[Any], task_id: str, note: str) -> None:
    app_side_step(conn, task_id, note, "unblock", "in_progress", "info")


def gateway_block(conn: psycopg.Connection[Any], task_id: str, reason: str) -> None:
    conn.execute("SELECT claude.block_task(task_id => %s, reason => %s)", [task_id, reason])


def gateway_unblock(conn: psycopg.Connection[Any], task_id: str, note: str) -> None:
    conn.execute("SELECT claude.unblock_task(task_id => %s, note => %s)", [task_id, note])


Step = Callable[[psycopg.Connection[Any], str, str], None]


def pairs_per_second(
    url: str, tasks: list[list[str]], block: Step, unblock: Step, seconds: float
) -> float:
    """Block + unblock pairs per second, one thread and connection per task
    list. Each connection is opened and does one pair (which plans its
    statements) before the clock starts; the clock stops when the last
    thread has finished its last pair."""
    done = [0] * len(tasks)
    deadline = [0.0]
    errors: list[BaseException] = []

    def go() -> None:  # run once, when every thread is ready
        deadline[0] = time.perf_counter() + seconds

    barrier = threading.Barrier(len(tasks) + 1, action=go)

    def worker(n: int) -> None:
        try:
            with connect(url) as conn:
                block(conn, tasks[n][0], "bench: waiting")
                unblock(conn, tasks[n][0], "bench: resolved")
                barrier.wait()
                i = 0
                while time.perf_counter() < deadline[0]:
                    task = tasks[n][i % len(tasks[n])]
                    block(conn, task, "bench: waiting")
                    unblock(conn, task, "bench: resolved")
                    done[n] += 1
                    i += 1
        except threading.BrokenBarrierError:
            pass
        except BaseException as e:  # reported below, not lost in the thread
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(tasks))]
    for t in threads:
        t.start()
    with suppress(threading.BrokenBarrierError):
        barrier.wait()
    start = deadline[0] - seconds
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"a client failed: {errors[0]!r}") from errors[0]
    return sum(done) / (time.perf_counter() - start)


def via_proxy(url: str, port: int) -> str:
    """url, connecting to 127.0.0.1:port instead."""
    return psycopg.conninfo.make_conninfo(url, host="127.0.0.1", hostaddr="", port=str(port))


def upstream_of(url: str) -> tuple[str, int] | str:
    """Where url connects: (host, port), or the server's Unix socket."""
    params = psycopg.conninfo.conninfo_to_dict(url)
    host = str(params.get("hostaddr") or params.get("host") or "/var/run/postgresql")
    host = host.split(",")[0]
    port = int(str(params.get("port") or 5432).split(",")[0])
    return f"{host}/.s.PGSQL.{port}" if host.startswith("/") else (host, port)


def select_one_ms(direct: str, proxied: str, samples: int) -> tuple[float, float]:
    """Median time of SELECT 1 directly and through the proxy (alternated)."""
    times: tuple[list[float], list[float]] = ([], [])
    with connect(direct) as d, connect(proxied) as p:
        for _ in range(10):
            d.execute("SELECT 1")
            p.execute("SELECT 1")
        for _ in range(samples):
            for side, conn in enumerate((d, p)):
                started = time.perf_counter()
                conn.execute("SELECT 1").fetchone()
                times[side].append(time.perf_counter() - started)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def calibrate(proxy: ProxyProcess, url: str, target_ms: float, samples: int) -> tuple[float, float]:
    """Sets the proxy's hold so that SELECT 1 takes target_ms longer through
    it than directly (its forwarding costs some on top of the hold). Returns
    the last (direct, proxied) medians."""
    proxied = via_proxy(url, proxy.port)
    direct_ms, proxied_ms = select_one_ms(url, proxied, samples)
    for _ in range(4):
        error = proxied_ms - direct_ms - target_ms
        if abs(error) <= max(0.02, target_ms * 0.05):
            break
        proxy.set_hold(proxy.hold * 1000 - error / 2)
        direct_ms, proxied_ms = select_one_ms(url, proxied, samples)
    return direct_ms, proxied_ms


APP_SIDE_TARGET = 4.0  # stored-function / application-side at 1 ms (issue 18)


def bench_app_side(
    url: str, seconds: float, rounds: int, latencies: tuple[float, ...] = (0.0, 0.2, 1.0)
) -> None:
    """Stored-function gateway against the application-side one, each client
    a thread with its own connection, at 0 ms (direct, loopback) and with
    round-trip latency added by a delaying proxy (scripts/latency_proxy.py).
    Sides alternate (g a, a g, ...); ratios of medians."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from latency_proxy import ProxyProcess

    section(
        2,
        "stored-function gateway (one call per step) vs an application-side gateway (BEGIN,"
        " SELECT, SELECT, UPDATE, INSERT, COMMIT per step), with added round-trip latency",
    )
    with connect(url) as conn:
        _, identity, feature = world(conn, "app " + uuid.uuid4().hex[:6])
        gateway_tasks = started_tasks(conn, feature, identity, 32)
        app_tasks = started_tasks(conn, feature, identity, 32)
        conn.execute(
            "INSERT INTO bench_bare.build_tasks SELECT t.* FROM claude.build_tasks t WHERE t.task_id = ANY(%s::uuid[])",
            [app_tasks],
        )
        for action in ("block", "unblock"):
            APP_SIDE_ALLOWED[action] = frozenset(
                one(conn, "SELECT claude.action_from_statuses('build_task', %s)", [action])
            )
    samples = 100 if seconds < 1 else 300
    for latency in latencies:
        proxy = None
        target = url
        if latency > 0:
            # in a process of its own: not sharing the client threads' interpreter lock
            proxy = ProxyProcess(upstream_of(url), latency)
            proxy.start()
            target = via_proxy(url, proxy.port)
            direct_ms, proxied_ms = calibrate(proxy, url, latency, samples)
            NOTES.append(
                f"{latency:g} ms added: SELECT 1 took {proxied_ms - direct_ms:.3f} ms longer through the"
                " proxy than direct"
            )
            print(
                f"  {latency:g} ms: proxy on 127.0.0.1:{proxy.port}; SELECT 1 takes"
                f" {proxied_ms:.3f} ms through it, {direct_ms:.3f} ms direct: +{proxied_ms - direct_ms:.3f} ms"
                f" per round trip (holding {proxy.hold * 2000:.3f} ms)",
                flush=True,
            )
        else:
            print("  0 ms: direct, loopback (no proxy)", flush=True)
        try:
            for clients in (1, 4):
                g_split = [gateway_tasks[i::clients] for i in range(clients)]
                a_split = [app_tasks[i::clients] for i in range(clients)]
                g_runs: list[float] = []
                a_runs: list[float] = []
                if proxy is not None:
                    proxy.reset_held()
                for r in range(rounds):
                    for side in ("g", "a") if r % 2 == 0 else ("a", "g"):
                        if side == "g":
                            g_runs.append(
                                pairs_per_second(
                                    target, g_split, gateway_block, gateway_unblock, seconds
                                )
                            )
                        else:
                            a_runs.append(
                                pairs_per_second(
                                    target, a_split, app_side_block, app_side_unblock, seconds
                                )
                            )
                g, a = statistics.median(g_runs), statistics.median(a_runs)
                ratio = g / a
                held = proxy.held_ms() if proxy is not None else None
                at = f"{latency:g} ms added"
                plural = "s" if clients > 1 else ""
                report(
                    f"gateway / app-side throughput, {at}, {clients} client{plural}",
                    ratio,
                    f"target >= {APP_SIDE_TARGET:.2f}" if latency == 1.0 else "not a target",
                    ratio >= APP_SIDE_TARGET,
                    f"gateway {g:.0f} pairs/s, app-side {a:.0f} pairs/s (medians of"
                    f" {', '.join(f'{x:.0f}' for x in g_runs)} and {', '.join(f'{x:.0f}' for x in a_runs)})"
                    + (f"; held in the proxy: median {held:.3f} ms per round trip" if held else ""),
                    info=latency != 1.0,
                    summary=f"stored-function / app-side gateway, {at}, {clients} client{plural}",
                    measured=f"{ratio:.2f}x ({g:.0f} vs {a:.0f} pairs/s)",
                )
        finally:
            if proxy is not None:
                proxy.stop()


# ---------------------------------------------------------------- 3. scaling

# The synthetic history the scaling benchmark loads. Task n (1, 2, ...) is in
# feature n // 100, feature k in project k // 50 (5,000 tasks a project); ids
# are md5 of the run's tag and the number, so a feed row can name its task,
# feature and project without a join. Names come from these words (a search
# for an everyday word finds a share of every project's tasks).
VERBS = ["Implement", "Fix", "Refactor", "Test", "Document", "Add", "Remove", "Optimise",
         "Review", "Migrate", "Design", "Deploy", "Validate", "Profile", "Upgrade", "Split"]  # fmt: skip
OBJECTS = [
    "login form", "billing service", "cache layer", "search index", "user profile",
    "payment webhook", "audit log", "export job", "rate limiter", "session store", "email queue",
    "report builder", "permissions model", "API gateway", "metrics pipeline", "feature flags",
    "file uploads", "notification centre", "data import", "admin dashboard", "onboarding flow",
    "retry policy", "config loader", "health checks", "invoice generator", "tenant settings",
    "password reset", "dark mode", "webhook signer", "backup schedule", "query planner hints",
    "release notes",
]  # fmt: skip
QUALIFIERS = ["for mobile", "on startup", "under load", "for EU customers", "behind the proxy",
              "in the CLI", "after the migration", "with pagination", "for large accounts",
              "in staging", "on Safari", "for screen readers", "in the nightly build",
              "without downtime", "for the v2 API", "across regions"]  # fmt: skip
DETAILS = ["Requests hit a timeout after thirty seconds.", "Customers report duplicate emails.",
           "The error rate doubled since Tuesday.", "Memory grows until the pod restarts.",
           "Numbers disagree with the finance export.", "The spinner never stops.",
           "A race between two workers loses updates.", "Translations are missing.",
           "The nightly job overruns its window.", "Logs leak an access token.",
           "Pages render slowly with many rows.", "Retries hammer the upstream service.",
           "Timestamps drift by one hour in winter.", "The import stops at the first bad line.",
           "Permissions are checked after the write.", "The test suite is flaky here.",
           "Cache entries never expire.", "Large files fail to upload.",
           "The dashboard shows stale totals.", "A deprecated endpoint is still called."]  # fmt: skip
TASKS_PER_FEATURE, FEATURES_PER_PROJECT = 100, 50
SCALE_IDENTITIES = 24
RARE_WORD = "quokka"  # with the run's tag: only in the measured feature's five tasks, at any size
COMMON_QUERY = "billing timeout"  # about 1 task in 640: its hits grow with the data

# Status of task n by n % 100: 60 completed, 5 cancelled, 20 todo, 8 in_progress, 3 blocked, 4 review
TASK_STATUS_SQL = """CASE WHEN n %% 100 < 60 THEN 'completed' WHEN n %% 100 < 65 THEN 'cancelled'
                          WHEN n %% 100 < 85 THEN 'todo' WHEN n %% 100 < 93 THEN 'in_progress'
                          WHEN n %% 100 < 96 THEN 'blocked' ELSE 'review' END"""


def task_name_sql(n: str) -> str:
    """The name of task number ``n`` (an SQL expression; the word lists are parameters)."""
    return (
        f"(%(verbs)s::text[])[1 + {n} %% 16] || ' ' || (%(objects)s::text[])[1 + ({n} / 16) %% 32]"
        f" || ' ' || (%(qualifiers)s::text[])[1 + ({n} / 512) %% 16]"
    )


def scale_id_sql(tag: str, kind: str, n: str) -> str:
    """The id of task/feature/project number ``n`` of this run (md5 of tag:kind:n)."""
    assert re.fullmatch(r"[0-9a-f]+", tag) and kind in ("t", "f", "p")
    return f"md5('{tag}:{kind}:' || ({n}))::uuid"


@dataclass
class Scale:
    """A synthetic history being grown: what is loaded so far."""

    tag: str
    identities: list[str]
    tasks: int = 0
    feed: int = 0

    @property
    def rare_word(self) -> str:
        """A word no other run's rows hold (the tag's hex digits as letters)."""
        return RARE_WORD + self.tag.translate(str.maketrans("0123456789", "ghijklmnop"))

    def project_name(self, number: int) -> str:
        return f"scale {self.tag} project {number}"


def feed_columns(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    """The feed's columns (name, type) in table order, whatever they are today."""
    return [
        (str(name), str(kind))
        for name, kind in conn.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'claude.activity_feed'::regclass AND attnum > 0 AND NOT attisdropped"
            " ORDER BY attnum"
        ).fetchall()
    ]


def load_tasks(conn: psycopg.Connection[Any], scale: Scale, upto: int) -> None:
    """Tasks scale.tasks+1 .. upto, with their features and projects, and a
    blocks dependency for every fifth todo task (on the next task of its
    feature). Triggers off (replica mode): the rows are made consistent here."""
    lo, hi = scale.tasks + 1, upto
    if hi < lo:
        return
    tag = scale.tag
    words = {"verbs": VERBS, "objects": OBJECTS, "qualifiers": QUALIFIERS, "details": DETAILS}
    conn.execute(
        f"""INSERT INTO claude.projects (project_id, project_name, created_at)
            SELECT {scale_id_sql(tag, "p", "p")}, 'scale {tag} project ' || p, now() - interval '400 days'
              FROM generate_series(%(lo)s::bigint / {TASKS_PER_FEATURE * FEATURES_PER_PROJECT},
                                   %(hi)s::bigint / {TASKS_PER_FEATURE * FEATURES_PER_PROJECT}) p
            ON CONFLICT DO NOTHING""",
        {"lo": lo, "hi": hi},
    )
    conn.execute(
        f"""INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description, status,
                                         priority, started_date, completion_percentage, created_at)
            SELECT {scale_id_sql(tag, "f", "k")}, {scale_id_sql(tag, "p", f"k / {FEATURES_PER_PROJECT}")},
                   (%(objects)s::text[])[1 + k %% 32] || ' ' || (%(qualifiers)s::text[])[1 + (k / 32) %% 16] || ' #' || k,
                   (ARRAY['feature', 'enhancement', 'bug_fix', 'refactoring', 'api', 'ui'])[1 + k %% 6],
                   'Everything about the ' || (%(objects)s::text[])[1 + k %% 32] || '.', 'in_progress',
                   1 + k %% 10, now() - interval '380 days', 60, now() - interval '390 days'
              FROM generate_series(%(lo)s::bigint / {TASKS_PER_FEATURE}, %(hi)s::bigint / {TASKS_PER_FEATURE}) k
            ON CONFLICT DO NOTHING""",
        {"lo": lo, "hi": hi, **words},
    )
    conn.execute(
        f"""INSERT INTO claude.build_tasks (task_id, feature_id, task_name, task_description, task_type, status,
                                            priority, assigned_to_identity_id, estimated_hours, actual_hours,
                                            started_at, completed_at, blocked_reason, cancellation_reason,
                                            created_at, updated_at, labels, lease_expires_at)
            SELECT {scale_id_sql(tag, "t", "n")}, {scale_id_sql(tag, "f", f"n / {TASKS_PER_FEATURE}")},
                   {task_name_sql("n")},
                   'The ' || (%(objects)s::text[])[1 + (n / 16) %% 32] || ' needs work. '
                       || (%(details)s::text[])[1 + (n / 7) %% 20] || ' Ticket ' || (n %% 9973) || '.',
                   (ARRAY['code', 'test', 'review', 'design', 'documentation', 'bug_fix', 'refactor'])[1 + n %% 7],
                   status, 1 + ((n * 2654435761) %% 4294967291) %% 10,
                   CASE WHEN status NOT IN ('todo', 'cancelled') THEN (%(who)s::uuid[])[1 + n %% %(identities)s] END,
                   1 + n %% 8, CASE WHEN status = 'completed' THEN 1 + n %% 12 END,
                   CASE WHEN status NOT IN ('todo', 'cancelled') THEN created + interval '1 day' END,
                   CASE WHEN status = 'completed' THEN created + interval '3 days' END,
                   CASE WHEN status = 'blocked' THEN 'Waiting for the ' || (%(objects)s::text[])[1 + n %% 32] END,
                   CASE WHEN status = 'cancelled' THEN 'No longer needed' END,
                   created, created + interval '3 days',
                   CASE WHEN n %% 4 = 0 THEN ARRAY['backend'] WHEN n %% 4 = 1 THEN ARRAY['frontend', 'ux']
                        ELSE '{{}}'::text[] END,
                   CASE WHEN status = 'in_progress' THEN now() + interval '30 minutes' END
              FROM (SELECT n, {TASK_STATUS_SQL} AS status,
                           now() - interval '365 days' + (n %% 360) * interval '1 day' AS created
                      FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) n) s""",
        {"lo": lo, "hi": hi, "who": scale.identities, "identities": len(scale.identities), **words},
    )
    conn.execute(
        f"""INSERT INTO claude.task_dependencies (task_id, depends_on_task_id, kind, created_at)
            SELECT {scale_id_sql(tag, "t", "n")}, {scale_id_sql(tag, "t", "n + 1")}, 'blocks', now() - interval '300 days'
              FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) n
             WHERE n %% 100 BETWEEN 65 AND 84 AND ((n * 40503) %% 65537) %% 5 = 0""",
        {"lo": lo, "hi": hi},
    )
    scale.tasks = hi


def load_feed(
    conn: psycopg.Connection[Any],
    scale: Scale,
    rows: int,
    chunk: int,
    partitioned: bool,
    url: str = "",
    workers: int = 1,
) -> None:
    """``rows`` feed rows about the tasks loaded so far, spread evenly over
    the last 365 days (oldest first, as a history is written), in statements
    of ``chunk`` rows. Every column is set as the database would: origin
    trigger (a comment: caller), db_user, the loading transaction, and the
    seal computed by claude.activity_checksum itself. Into claude.activity_feed
    whatever it is: on a partitioned feed, one row per month goes first and
    claude.ensure_feed_partitions() makes those months' partitions (moving
    just these rows out of the default partition), so the rest go straight
    into their month's partition."""
    columns = feed_columns(conn)
    tag = scale.tag
    t = "t"  # the row's task number
    made = {
        "id": "gen_random_uuid()",
        "source_type": "source_type",
        "source_id": f"""CASE source_type WHEN 'build_task' THEN {scale_id_sql(tag, "t", t)}
                              WHEN 'feature' THEN {scale_id_sql(tag, "f", f"{t} / {TASKS_PER_FEATURE}")}
                              ELSE {scale_id_sql(tag, "p", f"{t} / {TASKS_PER_FEATURE * FEATURES_PER_PROJECT}")} END""",
        "actor": "'agent-' || lpad((g %% 24)::text, 2, '0')",
        "activity_type": "activity_type",
        "title": f"""CASE source_type WHEN 'build_task' THEN
                         CASE activity_type WHEN 'created' THEN 'Task created: ' WHEN 'started' THEN 'Task started: '
                              WHEN 'completed' THEN 'Task completed: ' WHEN 'blocked' THEN 'Task blocked: '
                              WHEN 'unblocked' THEN 'Task unblocked: ' WHEN 'commented' THEN 'Comment on task: '
                              ELSE 'Task updated: ' END || {task_name_sql(t)}
                         WHEN 'feature' THEN 'Feature updated: #' || ({t} / {TASKS_PER_FEATURE})
                         ELSE 'Project updated' END""",
        "summary": """CASE activity_type WHEN 'started' THEN 'Status todo -> in_progress'
                           WHEN 'completed' THEN 'Status in_progress -> completed'
                           WHEN 'blocked' THEN 'Status in_progress -> blocked. Reason: waiting for a review'
                           WHEN 'unblocked' THEN 'Status blocked -> in_progress. Reason: review done'
                           WHEN 'commented' THEN 'Looked into it; see the linked logs.' END""",
        "project_name": f"'scale {tag} project ' || ({t} / {TASKS_PER_FEATURE * FEATURES_PER_PROJECT})",
        "severity": """CASE WHEN activity_type = 'blocked' THEN 'warning' WHEN activity_type = 'completed' THEN 'success'
                            WHEN g %% 97 = 0 THEN 'error' ELSE 'info' END""",
        "created_at": "now() - interval '365 days' + (g - %(first)s::bigint) * %(step)s::interval",
        "changes": """CASE activity_type
                          WHEN 'started' THEN '{"status": {"old": "todo", "new": "in_progress"}}'::jsonb
                          WHEN 'completed' THEN '{"status": {"old": "in_progress", "new": "completed"}}'::jsonb
                          WHEN 'blocked' THEN '{"status": {"old": "in_progress", "new": "blocked"}}'::jsonb
                          WHEN 'unblocked' THEN '{"status": {"old": "blocked", "new": "in_progress"}}'::jsonb
                          WHEN 'updated' THEN '{"priority": {"old": 5, "new": 3}}'::jsonb END""",
        "checksum": "NULL::text",
        "origin": "CASE WHEN activity_type = 'commented' THEN 'caller' ELSE 'trigger' END",
        "db_user": "session_user",
        "xact_id": "pg_current_xact_id()",
    }
    unknown = [(name, kind) for name, kind in columns if name not in made]
    inner = ",\n".join(
        [f"{made[name]} AS {name}" for name, _ in columns if name in made]
        + [f"NULL::{kind} AS {name}" for name, kind in unknown]  # new columns: left to NULL
    )
    row = "ROW(" + ", ".join(f"s.{name}" for name, _ in columns) + ")::claude.activity_feed"
    outer = ", ".join(
        f"claude.activity_checksum({row})" if name == "checksum" else f"s.{name}"
        for name, _ in columns
    )
    # what each row is about: 90 % a task, 8 % its feature, 2 % its project
    kinds = """(ARRAY['created', 'started', 'started', 'completed', 'completed', 'completed', 'updated', 'updated',
                      'blocked', 'unblocked', 'commented', 'commented', 'commented', 'assigned', 'started',
                      'completed', 'updated', 'created', 'commented', 'updated'])[1 + g %% 20]"""
    sql = f"""INSERT INTO claude.activity_feed ({", ".join(name for name, _ in columns)})
              SELECT {outer} FROM (
                SELECT {inner}
                  FROM (SELECT g, t,
                               CASE WHEN g %% 50 = 7 THEN 'project' WHEN g %% 50 < 4 THEN 'feature' ELSE 'build_task' END
                                   AS source_type,
                               CASE WHEN g %% 50 = 7 OR g %% 50 < 4 THEN 'updated' ELSE {kinds} END AS activity_type
                          FROM (SELECT g, 1 + (g * 2654435761) %% %(tasks)s::bigint AS t
                                  FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g) n) a) s"""
    first = scale.feed + 1
    params = {
        "first": first,
        "step": f"{365 * 86400 / rows:.6f} seconds",
        "tasks": scale.tasks,
        "verbs": VERBS,
        "objects": OBJECTS,
        "qualifiers": QUALIFIERS,
    }
    seeds = 0
    if partitioned:
        for month in range(13):  # the history spans 13 calendar months
            g = first + month * rows // 13
            conn.execute(sql, {**params, "lo": g, "hi": g})
            seeds += 1
        one(conn, "SELECT claude.ensure_feed_partitions()")
    chunks = list(range(first, first + rows, chunk))

    def load(lo: int, other: psycopg.Connection[Any]) -> None:
        other.execute(sql, {**params, "lo": lo, "hi": min(lo + chunk, first + rows) - 1})

    if url and workers > 1 and len(chunks) > 1:
        # the chunks are independent: more connections load them side by side
        with ThreadPoolExecutor(workers) as pool:
            done = pool.map(
                lambda part: load_part(url, part, load),
                [chunks[i::workers] for i in range(workers)],
            )
            list(done)
    else:
        for lo in chunks:
            load(lo, conn)
    if partitioned:
        one(conn, "SELECT claude.ensure_feed_partitions()")
    scale.feed += rows + seeds


def load_part(
    url: str, chunks: list[int], load: Callable[[int, psycopg.Connection[Any]], None]
) -> None:
    with connect(url) as conn:
        conn.execute("SET session_replication_role = replica")
        for lo in chunks:
            load(lo, conn)


def has_function(conn: psycopg.Connection[Any], name: str) -> bool:
    return bool(
        one(
            conn,
            "SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = %s"
            " AND pronamespace = 'claude'::regnamespace AND pronargs = pronargdefaults)",
            [name],
        )
    )


def grow(
    conn: psycopg.Connection[Any],
    scale: Scale,
    tasks: int,
    feed: int,
    chunk: int,
    url: str = "",
    workers: int = 1,
) -> str:
    """Grows the history to ``tasks`` tasks and ``feed`` more feed rows, as the
    superuser with triggers off (the feed in ``workers`` connections to url),
    then VACUUM ANALYZE (so autovacuum does not run during the measurement)
    and a CHECKPOINT. Returns what it took."""
    times = []
    started = time.perf_counter()
    conn.execute("SET session_replication_role = replica")
    try:
        load_tasks(conn, scale, tasks)
        times.append(f"tasks {time.perf_counter() - started:.0f} s")
        if feed:
            mark = time.perf_counter()
            partitioned = has_function(conn, "ensure_feed_partitions")
            load_feed(conn, scale, feed, chunk, partitioned, url, workers)
            times.append(f"feed {time.perf_counter() - mark:.0f} s")
    finally:
        conn.execute("SET session_replication_role = origin")
    mark = time.perf_counter()
    conn.execute(
        "VACUUM (ANALYZE) claude.projects, claude.features, claude.build_tasks,"
        " claude.task_dependencies, claude.activity_feed"
    )
    times.append(f"vacuum and analyze {time.perf_counter() - mark:.0f} s")
    with suppress(psycopg.Error):
        conn.execute("CHECKPOINT")
    return f"{time.perf_counter() - started:.0f} s ({', '.join(times)})"


@dataclass
class Read:
    """One call measured at both sizes, and what a right answer looks like."""

    name: str
    query: str
    params: Any
    check: Callable[[list[tuple[Any, ...]]], str | None]  # None when right, else what is wrong
    info: bool = False


def rows_check(count: int, what: str) -> Callable[[list[tuple[Any, ...]]], str | None]:
    def check(rows: list[tuple[Any, ...]]) -> str | None:
        return None if len(rows) == count else f"{len(rows)} {what}, not {count}"

    return check


def time_reads(
    conn: psycopg.Connection[Any], reads: list[Read], repeat: int
) -> tuple[dict[str, float], list[str]]:
    """Median ms of each read over ``repeat`` rounds (the reads alternate
    within a round, so a slow moment of the machine hits them all), after
    one warm-up call each; and what was wrong with any answer."""
    wrong = []
    for read in reads:
        problem = read.check(conn.execute(read.query, read.params).fetchall())
        if problem:
            wrong.append(f"{read.name}: {problem}")
    samples: dict[str, list[float]] = {read.name: [] for read in reads}
    for _ in range(repeat):
        for read in reads:
            started = time.perf_counter()
            conn.execute(read.query, read.params).fetchall()
            samples[read.name].append(time.perf_counter() - started)
    return {name: statistics.median(times) * 1000 for name, times in samples.items()}, wrong


def scaling_reads(
    conn: psycopg.Connection[Any], scale: Scale, feature: str
) -> tuple[list[Read], int]:
    """The reads, with the keyset cursor half a year back found afresh, and
    how many tasks the common words match."""
    project = scale.project_name(0)
    cursor = conn.execute(
        "SELECT created_at, id FROM claude.get_activity(project_name => %s,"
        " before => now() - interval '182 days', max_rows => 1)",
        [project],
    ).fetchone()
    assert cursor is not None, "no feed row half a year back"

    def page(rows: list[tuple[Any, ...]]) -> str | None:
        return rows_check(50, "rows")(rows)

    def rare(rows: list[tuple[Any, ...]]) -> str | None:
        return rows_check(5, "hits")(rows)

    matching = one(
        conn,
        "SELECT count(*) FROM claude.build_tasks t WHERE claude.search_vector(t.task_name, t.task_description)"
        " @@ websearch_to_tsquery('english', %s)",
        [COMMON_QUERY],
    )

    def common(rows: list[tuple[Any, ...]]) -> str | None:
        # the words are in task names and descriptions only
        want = min(20, int(matching))
        return None if len(rows) == want else f"{len(rows)} hits, not {want}"

    def gate(rows: list[tuple[Any, ...]]) -> str | None:
        result = rows[0][0]
        checks = len(result["checks"])
        # its 10 components and 5 tasks are open, whatever else the database holds
        return None if not result["can_complete"] and checks == 15 else f"{result}"

    return [
        Read("get_ready_tasks (default page)", "SELECT * FROM claude.get_ready_tasks()", None,
             page),
        Read("get_activity, first page of a project",
             "SELECT * FROM claude.get_activity(project_name => %s)", [project], page),
        Read("get_activity, a page 6 months back (keyset)",
             "SELECT * FROM claude.get_activity(project_name => %s, before => %s, before_id => %s)",
             [project, cursor[0], cursor[1]], page),
        Read("get_activity, first page of the whole feed", "SELECT * FROM claude.get_activity()",
             None, page, info=True),
        Read("can_complete_feature", "SELECT claude.can_complete_feature(%s)", [feature], gate),
        Read("search, a rare word (5 hits at any size)",
             "SELECT * FROM claude.search(%s)", [scale.rare_word], rare),
        Read(f"search, common words ('{COMMON_QUERY}')",
             "SELECT * FROM claude.search(%s)", [COMMON_QUERY], common),
    ], int(matching)  # fmt: skip


def bench_scaling(
    url: str,
    small: tuple[int, int],
    large: tuple[int, int],
    repeat: int,
    components_large: int,
    chunk: int,
    workers: int = 2,
) -> None:
    """The reads at a small history and again after growing it to a large one
    (tasks, feed rows); ratio large / small, target < 2. Then the roll-up's
    cost per component change with 10 versus ``components_large`` components
    in the feature. Runs last: the feed it loads is never sealed, and sealing
    or verifying millions of rows would take minutes."""
    section(
        3,
        f"scaling: {small[0]:,} tasks and {small[1]:,} feed rows vs {large[0]:,} tasks and"
        f" {large[1]:,} feed rows",
    )
    tag = uuid.uuid4().hex[:6]
    rare_word = Scale(tag, []).rare_word
    with connect(url) as conn:
        _, _, feature = world(conn, "scale " + tag)
        for i in range(10):
            one(
                conn,
                "SELECT claude.add_component(%s, %s, 'service')->'data'->>'component_id'",
                [feature, f"Scale component {i}"],
            )
        for i in range(5):
            conn.execute(
                "SELECT claude.add_task(task_name => %s, task_description => %s,"
                " task_type => 'code', feature_id => %s, priority => 1)",
                [f"Ready task {i}", f"A ready task to list, for the {rare_word} release", feature],
            )
        identities = [
            one(
                conn, "SELECT claude.add_identity(%s)->'data'->>'identity_id'", [f"scale {tag} {n}"]
            )
            for n in range(SCALE_IDENTITIES)
        ]
        scale = Scale(tag, identities)
        took = grow(conn, scale, small[0], small[1], chunk)
        print(f"  loaded {scale.tasks:,} tasks and {scale.feed:,} feed rows in {took}", flush=True)
        # the tables also hold what the earlier sections wrote: the small size
        # as measured is what they hold in all
        totals_query = (
            "SELECT format('%s tasks, %s feed rows, database %s', (SELECT count(*) FROM claude.build_tasks),"
            " (SELECT count(*) FROM claude.activity_feed), pg_size_pretty(pg_database_size(current_database())))"
        )
        small_totals = one(conn, totals_query)
        print(f"  small, as measured: {small_totals}", flush=True)
        control_small = select_one_ms(url, url, 50)[0]
        reads, hits_small = scaling_reads(conn, scale, feature)
        small_ms, wrong_small = time_reads(conn, reads, repeat)
        took = grow(conn, scale, large[0], large[1] - small[1], chunk, url, workers)
        print(f"  grew to {scale.tasks:,} tasks and {scale.feed:,} feed rows in {took}", flush=True)
        sizes = one(conn, totals_query)
        print(f"  large, as measured: {sizes}", flush=True)
        control_large = select_one_ms(url, url, 50)[0]
        NOTES.append(
            f"scaling: large = {scale.tasks:,} tasks and {scale.feed:,} feed rows loaded ({sizes}),"
            f" small = {small[0]:,} and {small[1]:,} ({small_totals}); loaded in {took}"
        )
        reads, hits_large = scaling_reads(conn, scale, feature)
        large_ms, wrong_large = time_reads(conn, reads, repeat)
        print(
            f"  (drift control, not a target: SELECT 1 took {control_small:.3f} ms before the"
            f" growth, {control_large:.3f} ms after)",
            flush=True,
        )
        for read in reads:
            ratio = large_ms[read.name] / small_ms[read.name]
            problems = [w for w in wrong_small + wrong_large if w.startswith(read.name + ":")]
            report(
                f"{read.name}, large / small",
                ratio,
                "not a target" if read.info else "target < 2.00",
                ratio < 2.0 and not problems,
                f"small {small_ms[read.name]:.2f} ms, large {large_ms[read.name]:.2f} ms (medians of"
                f" {repeat})"
                + (
                    f"; {hits_small} and {hits_large} tasks match"
                    if read.name.startswith("search, common")
                    else ""
                )
                + (f"; WRONG: {'; '.join(problems)}" if problems else ""),
                wrong=bool(problems),
                info=read.info,
                summary=f"{read.name}: large / small",
                measured=f"{ratio:.2f} (small {small_ms[read.name]:.2f}, large {large_ms[read.name]:.2f} ms)",
            )

        # roll-up per component change: many features of 10 vs one feature of components_large
        few_features = []
        for i in range(max(components_large // 10, 1)):
            f = one(
                conn,
                "SELECT claude.add_feature(feature_name => %s, feature_type => 'feature', project_id =>"
                " (SELECT project_id FROM claude.features WHERE feature_id = %s))->'data'->>'feature_id'",
                [f"Ten components {i}", feature],
            )
            few_features.append(f)
        big = one(
            conn,
            "SELECT claude.add_feature(feature_name => 'Many components', feature_type => 'feature', project_id =>"
            " (SELECT project_id FROM claude.features WHERE feature_id = %s))->'data'->>'feature_id'",
            [feature],
        )
        small_components = [
            one(
                conn,
                "SELECT claude.add_component(%s, %s, 'module')->'data'->>'component_id'",
                [f, f"Part {j}"],
            )
            for f in few_features
            for j in range(10)
        ]
        big_components = [
            one(
                conn,
                "SELECT claude.add_component(%s, %s, 'module')->'data'->>'component_id'",
                [big, f"Part {j}"],
            )
            for j in range(components_large)
        ]
        conn.execute("ANALYZE claude.features, claude.components")

        def per_change_ms(components: list[str]) -> float:
            samples = []
            for c in components:
                start = time.perf_counter()
                conn.execute("SELECT claude.update_component_status(%s, 'in_progress')", [c])
                samples.append(time.perf_counter() - start)
            return statistics.median(samples) * 1000

        ten = per_change_ms(small_components)
        many = per_change_ms(big_components)
        ratio = many / ten
        report(
            f"roll-up per component change, {components_large} / 10 components in the feature",
            ratio,
            "target < 1.50",
            ratio < 1.5,
            f"{ten:.3f} ms vs {many:.3f} ms (median of {len(small_components)} and {len(big_components)})",
        )


# ---------------------------------------------------------------- 4. agents


@dataclass
class Work:
    """What an agent does with each task it claims."""

    lease: str | None = None  # claim with this lease (else the default, 30 minutes)
    complete: bool = False  # complete the task (else leave it in progress)
    heartbeat_every: int = 0  # renew the lease before completing every n-th claim


def drain_queue(
    url: str,
    identity: str,
    project: str,
    barrier: threading.Barrier,
    claimed: list[str],
    work: Work,
    errors: list[BaseException],
) -> None:
    """One agent: claims until nothing is ready, recording what it got."""
    try:
        with connect(url) as conn:
            barrier.wait()
            while True:
                envelope = one(
                    conn,
                    "SELECT claude.claim_next_task(identity_id => %s, project_id => %s,"
                    " lease => COALESCE(%s::interval, interval '30 minutes'))",
                    [identity, project, work.lease],
                )
                if envelope["data"] is None:
                    return
                task = envelope["data"]["task_id"]
                claimed.append(task)
                if work.heartbeat_every and len(claimed) % work.heartbeat_every == 0:
                    conn.execute(
                        "SELECT claude.heartbeat_task(task_id => %s, identity_id => %s, lease => %s::interval)",
                        [task, identity, work.lease or "30 minutes"],
                    )
                if work.complete:
                    conn.execute(
                        "SELECT claude.complete_task(task_id => %s, actual_hours => 1)", [task]
                    )
    except threading.BrokenBarrierError:
        pass
    except BaseException as e:  # reported by drain(), not lost in the thread
        errors.append(e)
        barrier.abort()


@dataclass
class Queue:
    project: str
    feature: str
    identities: list[str]


def agent_queue(url: str, label: str, agents: int, size: int) -> Queue:
    """A fresh queue: ``size`` todo tasks in a project of their own, and one identity per agent."""
    tag = uuid.uuid4().hex[:6]
    with connect(url) as conn:
        project, _, feature = world(conn, f"{label} {tag}")
        conn.execute(
            "SELECT claude.add_task(task_name => 'Agent task ' || g, task_description => 'Work for an agent',"
            " task_type => 'code', feature_id => %s, priority => 1 + g %% 10) FROM generate_series(1, %s) g",
            [feature, size],
        )
        identities = [
            one(
                conn,
                "SELECT claude.add_identity(%s)->'data'->>'identity_id'",
                [f"{label} agent {n} {tag}"],
            )
            for n in range(agents)
        ]
    return Queue(project, feature, identities)


@dataclass
class Drained:
    seconds: float
    claimed: list[str]  # every claim, in no particular order
    left: int  # todo tasks left in the queue afterwards

    @property
    def rate(self) -> float:
        return len(self.claimed) / self.seconds

    @property
    def doubles(self) -> int:
        """Claims beyond the first of each task."""
        return len(self.claimed) - len(set(self.claimed))


def drain(url: str, queue: Queue, work: Work | None = None) -> Drained:
    """All the queue's agents claim at once until it is empty. The clock runs
    from the moment every agent is connected to the last agent's end."""
    agents = len(queue.identities)
    claimed: list[list[str]] = [[] for _ in range(agents)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(agents + 1)
    threads = [
        threading.Thread(
            target=drain_queue,
            args=(
                url,
                queue.identities[n],
                queue.project,
                barrier,
                claimed[n],
                work or Work(),
                errors,
            ),
        )
        for n in range(agents)
    ]
    for t in threads:
        t.start()
    with suppress(threading.BrokenBarrierError):
        barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"an agent failed: {errors[0]!r}") from errors[0]
    with connect(url) as conn:
        left = one(
            conn,
            "SELECT count(*) FROM claude.build_tasks WHERE feature_id = %s AND status = 'todo'",
            [queue.feature],
        )
    return Drained(elapsed, [t for c in claimed for t in c], int(left))


@dataclass
class Ledger:
    """What the database recorded about a drained queue."""

    starts: int  # started and reclaimed feed rows: one per claim
    claimed_twice: int  # tasks with more than one
    completed: int  # tasks completed (build_tasks)
    completions: int  # completed feed rows


def ledger(url: str, queue: Queue) -> Ledger:
    with connect(url) as conn:
        row = conn.execute(
            """WITH tasks AS (SELECT task_id, status FROM claude.build_tasks WHERE feature_id = %(f)s),
                    feed AS (SELECT a.source_id, a.activity_type FROM claude.activity_feed a
                              WHERE a.source_type = 'build_task' AND a.source_id IN (SELECT task_id FROM tasks)
                                AND a.activity_type IN ('started', 'reclaimed', 'completed')),
                    starts AS (SELECT source_id, count(*) AS n FROM feed
                                WHERE activity_type IN ('started', 'reclaimed') GROUP BY source_id)
               SELECT (SELECT COALESCE(sum(n), 0) FROM starts),
                      (SELECT count(*) FROM starts WHERE n > 1),
                      (SELECT count(*) FROM tasks WHERE status = 'completed'),
                      (SELECT count(*) FROM feed WHERE activity_type = 'completed')""",
            {"f": queue.feature},
        ).fetchone()
    assert row is not None
    return Ledger(*(int(x) for x in row))


CLAIMS_SCALING_TARGET = 2.0  # claims/s with 4 agents over 1 agent (issue 18)


def bench_agents(url: str, queue: int, rounds: int, interval: float = 0.02) -> None:
    """1, 4 and 16 agents drain equal fresh queues with claim_next_task (a
    30-second lease), completing every task they claim, while a sealer calls
    seal_feed every ``interval`` seconds. Agent counts alternate (1 4 16,
    16 4 1, ...); medians. Every task must be claimed exactly once: counted
    from the agents' own results and from the feed (one started row per
    task), and every task completed."""
    counts = (1, 4, 16)
    section(
        4,
        f"agents: claim_next_task (30 s lease) + complete_task over one queue of {queue} tasks,"
        f" with seal_feed every {interval * 1000:.0f} ms, {rounds} round(s)",
    )
    with connect(url) as conn:
        started = time.perf_counter()
        one(conn, "SELECT claude.seal_feed()")
        print(
            f"  sealed what earlier benchmarks wrote in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    work = Work(lease="30 seconds", complete=True, heartbeat_every=10)
    rates: dict[int, list[float]] = {n: [] for n in counts}
    problems: list[str] = []
    checkpoints = 0
    for r in range(rounds):
        for agents in counts if r % 2 == 0 else counts[::-1]:
            q = agent_queue(url, f"agents {agents}", agents, queue)
            run, sealer = drain_sealed(url, q, interval, work)
            checkpoints += len(sealer.sealed)
            rates[agents].append(run.rate)
            book = ledger(url, q)
            if run.doubles or book.claimed_twice:
                problems.append(
                    f"{agents} agents: {run.doubles} double claims seen by the agents,"
                    f" {book.claimed_twice} tasks started twice in the feed"
                )
            if not (
                run.left == 0
                and len(run.claimed) == queue
                and book.starts == queue
                and book.completed == queue
                and book.completions == queue
            ):
                problems.append(
                    f"{agents} agents: {len(run.claimed)} claims, {run.left} left, feed {book.starts}"
                    f" starts and {book.completions} completions, {book.completed} completed"
                    f" (queue of {queue})"
                )
    median = {n: statistics.median(rates[n]) for n in counts}
    for n in counts:
        ratio = median[n] / median[1]
        runs = ", ".join(f"{x:.0f}" for x in rates[n])
        if n == 4:
            report(
                "claims/s, 4 agents / 1 agent",
                ratio,
                f"target >= {CLAIMS_SCALING_TARGET:.2f}",
                ratio >= CLAIMS_SCALING_TARGET,
                f"{median[4]:.0f} vs {median[1]:.0f} claims/s (medians of {runs} and"
                f" {', '.join(f'{x:.0f}' for x in rates[1])})",
                summary="claims/s, 4 agents / 1 agent",
                measured=f"{ratio:.2f}x ({median[4]:.0f} vs {median[1]:.0f} claims/s)",
            )
        else:
            report(
                f"claims/s, {n} agent{'s' if n > 1 else ''} / 1 agent",
                ratio,
                "not a target",
                True,
                f"{median[n]:.0f} claims/s (median of {runs})",
                info=True,
                summary=f"claims/s, {n} agent{'s' if n > 1 else ''} / 1 agent",
                measured=f"{ratio:.2f}x ({median[n]:.0f} claims/s)",
            )
    doubles = sum(1 for p in problems if "double" in p)
    report(
        "double claims, 1 / 4 / 16 agents",
        float(doubles),
        "zero double claims",
        not problems,
        "; ".join(problems)
        or f"none: {len(counts) * rounds} queues drained, each task started once in the feed and"
        f" completed; {checkpoints} checkpoints sealed meanwhile",
        wrong=bool(problems),
        summary="double claims (1 / 4 / 16 agents)",
        measured="0" if not problems else f"{doubles} runs with double claims",
    )


def command_ms(args: list[str], runs: int) -> tuple[float, float]:
    """Median and p95 wall time (ms) of a command started cold, ``runs`` times."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def bench_cli_start(url: str, runs: int) -> None:
    """Cold start of the command line: --help loads neither psycopg nor the API
    stack; one database call does. Absolute times on this machine (a start-up
    has nothing to compare against side by side), target --help < 150 ms."""
    section(5, f"command-line cold start, {runs} runs each")
    cli = [sys.executable, "-m", "buildtracker.cli"]
    help_median, help_p95 = command_ms([*cli, "--help"], runs)
    group_median, _ = command_ms([*cli, "task", "--help"], runs)
    call_median, call_p95 = command_ms(
        [*cli, "--database-url", url, "--json", "project", "list"], runs
    )
    python_median, _ = command_ms([sys.executable, "-c", "pass"], runs)
    report(
        "buildtracker --help, median ms / 150 ms",
        help_median / 150,
        "target <= 1.00",
        help_median <= 150,
        f"--help median {help_median:.0f} ms (p95 {help_p95:.0f}); task --help (builds the"
        f" typer app) {group_median:.0f} ms; one database call"
        f" (project list) median {call_median:.0f} ms (p95 {call_p95:.0f}); bare python"
        f" {python_median:.0f} ms",
    )


# ---------------------------------------------------------------- 6. sealing


class Sealer(threading.Thread):
    """Calls ``claude.seal_feed()`` on a connection of its own (autocommit)
    every ``interval`` seconds until stopped, counting what it appended."""

    def __init__(self, url: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.connected, self.stop = threading.Event(), threading.Event()
        self.call_ms: list[float] = []  # wall time of each seal_feed call
        self.sealed: list[int] = []  # row count of each checkpoint appended
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with connect(self.url) as conn:
                self.connected.set()
                while not self.stop.is_set():
                    started = time.perf_counter()
                    result = one(conn, "SELECT claude.seal_feed()")
                    self.call_ms.append((time.perf_counter() - started) * 1000)
                    if result["checkpoint_id"] is not None:
                        self.sealed.append(result["row_count"])
                    self.stop.wait(self.interval)
        except BaseException as e:  # reported by the caller, not lost in the thread
            self.error = e
            self.connected.set()


def drain_sealed(
    url: str, queue: Queue, interval: float, work: Work | None = None
) -> tuple[Drained, Sealer]:
    """drain() with a sealer running from before the first claim to after the last."""
    sealer = Sealer(url, interval)
    sealer.start()
    sealer.connected.wait()
    try:
        run = drain(url, queue, work)
    finally:
        sealer.stop.set()
        sealer.join()
    if sealer.error is not None:
        raise RuntimeError(f"the sealer failed: {sealer.error}") from sealer.error
    return run, sealer


def bench_sealing(url: str, queue: int, rounds: int, interval: float = 0.02) -> None:
    """Claims per second with 4 agents, with and without a sealer, on equal
    fresh queues. The two alternate (a b, b a, a b, ...) so drift hits both
    alike; the ratio is of the medians. Before each run everything already
    written is sealed (untimed), so the sealer under measurement seals only
    what the run writes, as a sealer keeping up would."""
    agents = 4
    section(
        6,
        f"sealing: claims/s with {agents} agents over a queue of {queue} tasks, with a sealer"
        f" (seal_feed every {interval * 1000:.0f} ms) vs without, {rounds} rounds",
    )
    with connect(url) as conn:
        started = time.perf_counter()
        one(conn, "SELECT claude.seal_feed()")
        print(
            f"  sealed what earlier benchmarks wrote in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    plain: list[Drained] = []
    sealed: list[Drained] = []
    sealers: list[Sealer] = []
    for r in range(rounds):
        for with_sealer in (False, True) if r % 2 == 0 else (True, False):
            q = agent_queue(url, f"sealing {'b' if with_sealer else 'a'}{r}", agents, queue)
            with connect(url) as conn:
                one(conn, "SELECT claude.seal_feed()")
            if with_sealer:
                run, sealer = drain_sealed(url, q, interval)
                sealed.append(run)
                sealers.append(sealer)
            else:
                run = drain(url, q)
                plain.append(run)
    runs = plain + sealed
    doubles = sum(run.doubles for run in runs)
    drained = all(run.left == 0 and len(set(run.claimed)) == queue for run in runs)
    checkpoints = sum(len(s.sealed) for s in sealers)
    rows_sealed = sum(sum(s.sealed) for s in sealers)
    call_ms = [ms for s in sealers for ms in s.call_ms]
    with connect(url) as conn:
        started = time.perf_counter()
        problems = conn.execute(
            """SELECT count(*) FILTER (WHERE NOT filler), count(*) FILTER (WHERE filler)
                 FROM (SELECT v.problem = 'row_seal' AND EXISTS (
                              SELECT 1 FROM claude.activity_feed a WHERE a.id = v.entity_id
                                 AND a.origin = 'unrecorded' AND a.checksum IS NULL) AS filler
                         FROM claude.verify_feed() v) p"""
        ).fetchone()
        verify_seconds = time.perf_counter() - started
    assert problems is not None
    broken, filler = int(problems[0]), int(problems[1])
    without = statistics.median(run.rate for run in plain)
    with_sealing = statistics.median(run.rate for run in sealed)
    ratio = with_sealing / without
    correct = doubles == 0 and drained and broken == 0
    report(
        f"claims/s with sealing / without, {agents} agents",
        ratio,
        "target >= 0.90",
        ratio >= 0.90 and checkpoints > 0 and correct,
        f"with {with_sealing:.0f} claims/s, without {without:.0f} (medians of"
        f" {', '.join(f'{run.rate:.0f}' for run in sealed)} and"
        f" {', '.join(f'{run.rate:.0f}' for run in plain)}); {checkpoints} checkpoints"
        f" appended ({rows_sealed} rows; {len(call_ms)} seal calls, median"
        f" {statistics.median(call_ms):.1f} ms); {doubles} double claims,"
        f" {'every queue drained' if drained else 'a queue NOT drained'}; verify_feed:"
        f" {broken} problems ({verify_seconds:.1f} s"
        + (
            f"; not counted: {filler} row_seal of filler rows written with triggers off"
            if filler
            else ""
        )
        + ")",
        wrong=not correct,
    )


# ---------------------------------------------------------------- 7. MCP


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def cli_command() -> list[str]:
    """The console script an agent would run (else the module)."""
    script = os.path.join(os.path.dirname(sys.executable), "buildtracker")
    return [script] if os.access(script, os.X_OK) else [sys.executable, "-m", "buildtracker.cli"]


async def mcp_calls(
    url: str, agent: str, feature: str, calls: int, times: dict[str, list[float]]
) -> None:
    """Claim and complete ``calls`` tasks through one server, as an agent host
    does: the SDK's async client on its own event loop, each call awaited."""
    from buildtracker.mcp_session import server_parameters
    from mcp import Client

    def data(result: Any) -> Any:
        assert not result.is_error, result.structured_content
        return result.structured_content["data"]

    async with Client(server_parameters(url, identity=agent)) as client:
        # the first call warms the server's pool and plans; an agent's session lives long
        warm = data(await client.call_tool("claim_next_task", {"feature_id": feature}))
        await client.call_tool("complete_task", {"task_id": warm["task_id"], "actual_hours": 1})
        for _ in range(calls):
            started = time.perf_counter()
            claimed = await client.call_tool(
                "claim_next_task", {"feature_id": feature, "lease": "30 minutes"}
            )
            times["claim"].append((time.perf_counter() - started) * 1000)
            task = data(claimed)["task_id"]
            started = time.perf_counter()
            done = await client.call_tool("complete_task", {"task_id": task, "actual_hours": 1})
            times["complete"].append((time.perf_counter() - started) * 1000)
            data(done)


def bench_mcp(url: str, calls: int) -> None:
    """One MCP tool call against one CLI invocation doing the same work:
    claim a task (with a lease), then complete it. The MCP server is started
    once (an agent host keeps it running), the CLI once per call (as an agent
    shelling out does). Targets: MCP median <= 1/20 of the CLI's, and < 10 ms."""
    import anyio

    section(7, f"MCP tool call vs command line, {calls} claims and completions each")
    tag = uuid.uuid4().hex[:8]
    with connect(url) as conn:
        _project, _identity, feature = world(conn, f"mcp {tag}")
        agent = f"bench-mcp-{tag}"
        one(conn, "SELECT claude.add_identity(%s)", [agent])
        for i in range(2 * calls + 2):
            one(
                conn,
                "SELECT claude.add_task(task_name => %s, task_description => 'A task for the MCP benchmark',"
                " task_type => 'code', feature_id => %s)",
                [f"MCP bench task {i}", feature],
            )
    mcp: dict[str, list[float]] = {"claim": [], "complete": []}
    cli: dict[str, list[float]] = {"claim": [], "complete": []}
    anyio.run(mcp_calls, url, agent, feature, calls, mcp)
    base = [*cli_command(), "--database-url", url, "--actor", agent, "--json"]
    for _ in range(calls):
        started = time.perf_counter()
        out = subprocess.run(
            [*base, "task", "claim", "--identity", agent, "--feature", feature, "--lease", "30m"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        cli["claim"].append((time.perf_counter() - started) * 1000)
        task = json.loads(out.stdout)["data"]["task_id"]
        started = time.perf_counter()
        subprocess.run(
            [*base, "task", "complete", task, "--hours", "1"],
            capture_output=True, check=True,
        )  # fmt: skip
        cli["complete"].append((time.perf_counter() - started) * 1000)
    for action in ("claim", "complete"):
        m_median, c_median = statistics.median(mcp[action]), statistics.median(cli[action])
        detail = (
            f"MCP median {m_median:.1f} ms (p95 {percentile(mcp[action], 0.95):.1f}),"
            f" CLI median {c_median:.0f} ms (p95 {percentile(cli[action], 0.95):.0f})"
        )
        report(f"MCP / CLI latency, {action}", m_median / c_median, "target <= 0.05",
               m_median <= c_median / 20, detail)  # fmt: skip
        report(f"MCP {action} median ms / 10 ms", m_median / 10, "target <= 1.00",
               m_median <= 10, detail)  # fmt: skip


# ---------------------------------------------------------------- 8. dashboard


def board_project(conn: psycopg.Connection[Any], tag: str, tasks: int, feed_rows: int) -> str:
    """A project with ``tasks`` tasks over 10 features in every status and
    ``feed_rows`` activity rows about it (rules and stamps off: replica mode,
    rows sealed one by one as the trigger would). Returns its name."""
    name = f"board {tag}"
    project = one(conn, "SELECT claude.add_project(%s)->'data'->>'project_id'", [name])
    who = one(conn, "SELECT claude.add_identity(%s)->'data'->>'identity_id'", [f"board {tag}"])
    conn.execute("SET session_replication_role = replica")
    try:
        conn.execute(
            "INSERT INTO claude.features (project_id, feature_name, feature_type, labels)"
            " SELECT %s, 'Board feature ' || g, 'feature', ARRAY['area' || g %% 3] FROM generate_series(1, 10) g",
            [project],
        )
        conn.execute(
            """INSERT INTO claude.build_tasks (feature_id, task_name, task_description, task_type, status, priority,
                                               assigned_to_identity_id, labels, started_at, completed_at, actual_hours,
                                               blocked_reason, lease_expires_at)
               SELECT f.feature_id, 'Board task ' || g, 'A task on the benchmark board', 'code', s.status, 1 + g %% 10,
                      CASE WHEN s.status <> 'todo' THEN %s::uuid END, ARRAY['l' || g %% 5],
                      CASE WHEN s.status <> 'todo' THEN now() END, CASE WHEN s.status = 'completed' THEN now() END,
                      CASE WHEN s.status = 'completed' THEN 1 END, CASE WHEN s.status = 'blocked' THEN 'waiting' END,
                      CASE WHEN s.status = 'in_progress' THEN now() + interval '30 minutes' END
                 FROM generate_series(1, %s) g
                 CROSS JOIN LATERAL (SELECT (ARRAY['todo', 'in_progress', 'blocked', 'review', 'completed'])[1 + g %% 5]
                                            AS status) s
                 JOIN LATERAL (SELECT feature_id FROM claude.features WHERE project_id = %s
                                ORDER BY feature_id OFFSET g %% 10 LIMIT 1) f ON true""",
            [who, tasks, project],
        )
        conn.execute(
            """INSERT INTO claude.activity_feed (source_type, source_id, actor, activity_type, title, project_name,
                                                 severity, created_at, origin, db_user, xact_id)
               SELECT 'build_task', gen_random_uuid(), 'board filler', 'updated', 'Board row ' || g, %s, 'info',
                      now() - (g || ' seconds')::interval, 'system', session_user, pg_current_xact_id()
                 FROM generate_series(1, %s) g""",
            [name, feed_rows],
        )
        conn.execute(
            "UPDATE claude.activity_feed a SET checksum = claude.activity_checksum(a)"
            " WHERE a.actor = 'board filler' AND a.checksum IS NULL"
        )
    finally:
        conn.execute("SET session_replication_role = origin")
    conn.execute("ANALYZE")
    return name


def bench_dashboard(url: str, tasks: int, feed_rows: int, repeat: int) -> None:
    """The board's server time (its reads and its HTML, as a reader) for a
    project of ``tasks`` tasks with ``feed_rows`` feed rows, beside a project
    of 10 tasks; target under 300 ms."""
    from buildtracker.dashboard import render_board_ms

    section(8, f"dashboard board, {tasks} tasks and {feed_rows} feed rows")
    tag = uuid.uuid4().hex[:8]
    with connect(url) as conn:
        big = board_project(conn, f"big {tag}", tasks, feed_rows)
        small = board_project(conn, f"small {tag}", 10, 100)
    big_ms = render_board_ms(url, big, repeat=repeat)
    small_ms = render_board_ms(url, small, repeat=repeat)
    report(
        "dashboard board render, ms / 300 ms",
        big_ms / 300,
        "target <= 1.00",
        big_ms <= 300,
        f"{tasks} tasks, {feed_rows} feed rows: median {big_ms:.0f} ms over {repeat} renders;"
        f" 10 tasks: {small_ms:.0f} ms",
    )


def summary(quick: bool) -> None:
    """The speed targets of issue 18, one line each (with the informative
    rows beside them), then every other check."""
    table = sorted((r for r in RESULTS if r.summary), key=lambda r: r.section)
    others = [r for r in RESULTS if not r.summary]
    width = max((len(r.summary or "") for r in table), default=20)
    print(f"\ntargets{' (quick run: small sizes, not the targets)' if quick else ''}", flush=True)
    print(f"  {'benchmark':<{width}}  {'measured':<36}  {'target':<24}  met")
    for r in table:
        verdict = "-" if r.info else "met" if r.met else "NOT met"
        if r.wrong:
            verdict = "WRONG"
        target = "(informative)" if r.info else r.target.removeprefix("target ")
        measured = r.measured or f"{r.ratio:.2f}"
        print(f"  {r.summary:<{width}}  {measured:<36}  {target:<24}  {verdict}")
    for note in NOTES:
        print(f"  ({note})")
    if others:
        print("other checks")
        for r in others:
            verdict = "WRONG" if r.wrong else "met" if r.met else "NOT met"
            print(f"  {r.name}: {r.ratio:.2f} ({r.target}): {verdict}")


def pristine_copy(url: str) -> tuple[str, Callable[[], None]]:
    """A copy of the database at ``url`` as it is now (CREATE DATABASE …
    TEMPLATE), and a function dropping it; where the server will not make one
    (no CREATEDB, other sessions on the database), ``url`` itself and a no-op."""
    params = conninfo_to_dict(url)
    source = str(params.get("dbname") or "postgres")
    copy = f"{source}_scale"
    admin = make_conninfo(url, dbname="postgres")
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy))
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(copy), sql.Identifier(source)
                )
            )
    except psycopg.Error as exc:
        print(f"(benchmark 3 shares the database: no copy of it could be made: {exc})", flush=True)
        return url, lambda: None

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy))
            )

    return make_conninfo(url, dbname=copy), drop


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--quick", action="store_true", help="a small run that checks every benchmark reports"
    )
    parser.add_argument(
        "--scale-tasks",
        type=int,
        help="tasks at the large size of benchmark 3 (default 1,000,000; --quick 50,000)",
    )
    parser.add_argument(
        "--scale-feed",
        type=int,
        help="feed rows at the large size of benchmark 3 (default 10,000,000; --quick 50,000)",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is required")
    quick = args.quick
    small = (2_000, 2_000) if quick else (10_000, 10_000)
    large = (
        args.scale_tasks or (50_000 if quick else 1_000_000),
        args.scale_feed or (50_000 if quick else 10_000_000),
    )
    if large[0] < small[0] or large[1] < small[1]:
        parser.error(f"--scale-tasks and --scale-feed must be at least {small[0]:,}")
    print(
        f"buildtracker benchmarks on {platform.node()} ({os.cpu_count()} cores, {platform.machine()}),",
        end=" ",
    )
    with connect(args.database_url) as conn:
        print(one(conn, "SELECT version()").split(",")[0], flush=True)
    url = args.database_url
    # Benchmark 3 compares a small and a large history: it runs on a copy of
    # the database as deployed, so the small size is what it loads, not that
    # plus what the other benchmarks wrote.
    scale_url, drop_scale_copy = pristine_copy(url)
    sections: list[tuple[int, Callable[[], None]]] = [
        (1, lambda: bench_overhead(
            url, seconds=1 if quick else 6, per_client=20 if quick else 50,
            rounds=2 if quick else 3)),
        (2, lambda: bench_app_side(url, seconds=0.5 if quick else 2.5, rounds=1 if quick else 5)),
        (4, lambda: bench_agents(url, queue=60 if quick else 1_500, rounds=2 if quick else 3)),
        (5, lambda: bench_cli_start(url, runs=3 if quick else 15)),
        (6, lambda: bench_sealing(url, queue=100 if quick else 2_000, rounds=2 if quick else 5)),
        (7, lambda: bench_mcp(url, calls=5 if quick else 40)),
        (8, lambda: bench_dashboard(
            url, tasks=200 if quick else 1_000, feed_rows=2_000 if quick else 100_000,
            repeat=3 if quick else 10)),
        # last: the millions of feed rows it loads are not sealed (sections 4
        # and 6 seal and verify the whole feed, which would take minutes after it)
        (3, lambda: bench_scaling(
            scale_url, small=small, large=large, repeat=20 if quick else 200,
            components_large=100 if quick else 1_000, chunk=500_000)),
    ]  # fmt: skip
    started = time.perf_counter()
    for number, run in sections:
        try:
            run()
        except Exception as e:  # the others still run; the failure fails the run
            traceback.print_exc()
            report(
                f"benchmark {number} ran to the end",
                0.0,
                "runs",
                False,
                f"it failed: {e!r}",
                wrong=True,
            )
    drop_scale_copy()
    print(f"\nall benchmarks took {time.perf_counter() - started:.0f} s", flush=True)
    summary(quick)
    targets = [r for r in RESULTS if not r.info]
    missed = [r for r in targets if not r.met]
    print(f"\n{len(targets) - len(missed)} of {len(targets)} targets met", flush=True)
    for r in missed:
        print(f"  missed: {r.name} (ratio {r.ratio:.2f}, {r.target})")
    # Correctness failures (double claims, wrong answers, a broken feed) fail
    # every run; speed targets are reported, and fail only a full run with
    # BENCH_STRICT=1.
    broken = [r for r in RESULTS if r.wrong]
    for r in broken:
        print(f"  WRONG: {r.name}: {r.detail}")
    if broken or (missed and not quick and os.environ.get("BENCH_STRICT") == "1"):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
