"""Released lines of sqitch.plan never change.

A database deployed to a tag records change and tag ids that Sqitch derives
from the plan's lines up to that tag (names, dependencies, notes, planned
timestamps). Editing any of those lines afterwards makes every such database
impossible to upgrade ("tags_project_tag_key" conflicts): a released change
is changed with ``sqitch rework`` and a new tag, never by editing the plan.
tests/release/released_tags.txt records, for every tag, the sha256 of the plan
up to and including the tag's line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "tests" / "release" / "released_tags.txt"


def plan_prefixes() -> dict[str, str]:
    """Each tag of sqitch.plan with the sha256 of the plan up to its line."""
    lines = (ROOT / "sqitch.plan").read_text().splitlines(keepends=True)
    return {
        line.split()[0]: hashlib.sha256("".join(lines[: i + 1]).encode()).hexdigest()
        for i, line in enumerate(lines)
        if line.startswith("@")
    }


def recorded() -> dict[str, str]:
    return dict(
        line.split()
        for line in RECORD.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )


def test_released_plan_lines_are_unchanged() -> None:
    now, released = plan_prefixes(), recorded()
    changed = [tag for tag, digest in released.items() if now.get(tag) != digest]
    assert not changed, (
        f"sqitch.plan changed at or before released tag(s) {changed}: databases deployed to them"
        " could no longer be upgraded; undo the edit and use `sqitch rework` instead"
    )


def test_every_tag_is_recorded() -> None:
    missing = sorted(set(plan_prefixes()) - set(recorded()))
    assert not missing, (
        f"tag(s) {missing} are not in {RECORD.relative_to(ROOT)}: append"
        " '<tag> <sha256 of sqitch.plan up to the tag line>' (plan_prefixes() in this file prints it)"
    )
