"""One home for every rule: the unsuffixed deploy file of a change is its whole truth.

From @v1.0.0 on, a released change is changed with ``sqitch rework``: the old
deploy file becomes ``deploy/<change>@<tag>.sql`` (history, what older
databases ran) and the unsuffixed ``deploy/<change>.sql`` is a full copy with
the change applied, never a delta holding only the changed function. These
tests parse sqitch.plan and the deploy files, and read the deployed catalog.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]

DEFINITION = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(FUNCTION|AGGREGATE|TRIGGER|VIEW|MATERIALIZED\s+VIEW)"
    r"\s+([\w.\"]+)(?:\s+.*?\bON\s+([\w.\"]+))?",
    re.IGNORECASE | re.DOTALL,
)


def plan_changes(plan: str) -> list[tuple[str, str | None]]:
    """Each change line of a plan, in order: (name, the tag it reworks or None)."""
    changes = []
    for line in plan.splitlines():
        if not line.strip() or line[0] in "%@#":
            continue
        name = line.split()[0]
        deps = re.search(r"\[([^\]]*)\]", line)
        reworks = [d for d in (deps.group(1).split() if deps else []) if d.startswith(name + "@")]
        changes.append((name, reworks[0].split("@", 1)[1] if reworks else None))
    return changes


def expected_deploy_files(plan: str) -> set[str]:
    """The deploy files a plan needs: one unsuffixed file per change, and one
    ``<change>@<tag>.sql`` for every earlier version a rework replaced."""
    files = set()
    for name, reworked_tag in plan_changes(plan):
        files.add(f"{name}.sql")
        if reworked_tag:
            files.add(f"{name}@{reworked_tag}.sql")
    return files


def definitions(sql_text: str) -> set[str]:
    """Functions (aggregates as functions), triggers (with their table) and views a
    deploy script creates."""
    found = set()
    for statement in re.finditer(r"\bCREATE\b[^;]*", sql_text, re.IGNORECASE):
        match = DEFINITION.match(statement.group(0))
        if not match:
            continue
        kind = match.group(1).split()[-1].lower().replace("aggregate", "function")
        name = match.group(2).lower().replace('"', "")
        if "%" in name:  # a name inside a generator's format string
            continue
        table = f" on {match.group(3).lower()}" if kind == "trigger" and match.group(3) else ""
        found.add(f"{kind} {name}{table}")
    return found


def shrunken_reworks(deploy_dir: Path) -> list[str]:
    """Every unsuffixed deploy file that defines less than its @ predecessor:
    a rework whose new file is a delta instead of a full copy."""
    problems = []
    for old in sorted(deploy_dir.glob("*@*.sql")):
        current = deploy_dir / (old.name.split("@", 1)[0] + ".sql")
        if not current.exists():
            problems.append(f"{old.name} has no unsuffixed successor")
            continue
        missing = definitions(old.read_text()) - definitions(current.read_text())
        if missing:
            problems.append(f"{current.name} no longer defines {sorted(missing)} of {old.name}")
    return problems


def test_deploy_revert_verify_hold_exactly_the_files_the_plan_needs() -> None:
    needed = expected_deploy_files((ROOT / "sqitch.plan").read_text())
    for folder in ("deploy", "revert", "verify"):
        present = {p.name for p in (ROOT / folder).glob("*.sql")}
        assert present == needed, (
            f"{folder}/: not in the plan {sorted(present - needed)}, missing {sorted(needed - present)}"
        )


def test_no_unsuffixed_deploy_file_defines_less_than_its_predecessor() -> None:
    assert shrunken_reworks(ROOT / "deploy") == []


def test_the_rework_check_catches_a_delta_rework(tmp_path: Path) -> None:
    """The check above can fail: a rework whose new file holds only the changed function."""
    (tmp_path / "task_functions@v1.0.0.sql").write_text(
        "CREATE FUNCTION claude.start_task(x uuid) RETURNS jsonb LANGUAGE sql AS $$ SELECT 1 $$;\n"
        "CREATE FUNCTION claude.complete_task(x uuid) RETURNS jsonb LANGUAGE sql AS $$ SELECT 1 $$;\n"
        "CREATE TRIGGER bt20_enforce_rules BEFORE INSERT ON claude.build_tasks"
        " FOR EACH ROW EXECUTE FUNCTION claude.enforce_task_rules();\n"
    )
    (tmp_path / "task_functions.sql").write_text(
        "CREATE OR REPLACE FUNCTION claude.start_task(x uuid) RETURNS jsonb LANGUAGE sql AS $$ SELECT 2 $$;\n"
    )
    problems = shrunken_reworks(tmp_path)
    assert len(problems) == 1
    assert "function claude.complete_task" in problems[0]
    assert "trigger bt20_enforce_rules on claude.build_tasks" in problems[0]
    # a full copy passes
    (tmp_path / "task_functions.sql").write_text(
        (tmp_path / "task_functions@v1.0.0.sql").read_text().replace("SELECT 1", "SELECT 2")
    )
    assert shrunken_reworks(tmp_path) == []


def test_expected_files_follow_sqitch_rework_naming() -> None:
    plan = (
        "%project=x\n"
        "a 2026-01-01T00:00:00Z n <n@x> # first\n"
        "@v1.0.0 2026-01-01T00:00:01Z n <n@x> # release\n"
        "a [a@v1.0.0] 2026-01-02T00:00:00Z n <n@x> # reworked\n"
    )
    assert expected_deploy_files(plan) == {"a.sql", "a@v1.0.0.sql"}


def change_names() -> list[str]:
    """Each change of sqitch.plan once, in plan order (a rework names it again)."""
    return list(dict.fromkeys(name for name, _ in plan_changes((ROOT / "sqitch.plan").read_text())))


def function_homes() -> Counter[str]:
    """How many unsuffixed deploy files of the plan define each function name."""
    homes: Counter[str] = Counter()
    for name in change_names():
        text = (ROOT / "deploy" / f"{name}.sql").read_text()
        for definition in definitions(text):
            kind, _, qualified = definition.partition(" ")
            if kind == "function" and qualified.startswith("claude."):
                homes[qualified.split(".", 1)[1]] += 1
    return homes


def test_every_function_has_its_current_body_in_exactly_one_deploy_file(database_url: str) -> None:
    homes = function_homes()
    with psycopg.connect(database_url) as conn:
        functions = conn.execute(
            """SELECT p.proname, CASE WHEN p.prokind = 'a' THEN '' ELSE p.prosrc END,
                      COALESCE(obj_description(p.oid, 'pg_proc'), '')
                 FROM pg_proc p WHERE p.pronamespace = 'claude'::regnamespace"""
        ).fetchall()
    generated = {name for name, _, comment in functions if comment.startswith("Generated")}
    assert generated, "the generated checkers and row_changes are recognised by their comment"
    wrong = {
        name: homes.get(name, 0)
        for name, _, _ in functions
        if name not in generated and homes.get(name, 0) != 1
    }
    assert wrong == {}, "functions defined in other than exactly one unsuffixed deploy file"
    # and the text in that file is the deployed body, byte for byte
    deploy_text = "\n".join(
        (ROOT / "deploy" / f"{name}.sql").read_text() for name in change_names()
    )
    stale = [
        name
        for name, source, _ in functions
        if name not in generated and source.strip() and source not in deploy_text
    ]
    assert stale == [], "deployed bodies not found in any deploy file"


@pytest.mark.parametrize("folder", ["deploy", "revert", "verify"])
def test_each_script_names_its_change(folder: str) -> None:
    verb = {"deploy": "Deploy", "revert": "Revert", "verify": "Verify"}[folder]
    wrong = [
        p.name
        for p in sorted((ROOT / folder).glob("*.sql"))
        if not p.read_text().startswith(
            f"-- {verb} buildtracker:{p.name.split('@', 1)[0].removesuffix('.sql')} "
        )
    ]
    assert wrong == []
