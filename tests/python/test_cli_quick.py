"""The console script's quick answers (``--help``, ``--version``) without
building the CLI: the same bytes click prints, and typer never imported."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version

from buildtracker.cli import quick

MAIN = (
    "import sys\n"
    "from buildtracker.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "loaded = ('typer', 'click', 'rich', 'psycopg')\n"
    "print(sorted(m for m in loaded if m in sys.modules), file=sys.stderr)\n"
)


def run_main(*args: str, columns: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        env={**os.environ, "COLUMNS": str(columns)},
        capture_output=True,
        text=True,
        check=True,
    )


def test_the_snapshot_is_what_click_prints() -> None:
    assert quick.snapshot() == quick.render(), (
        "cli/root_help.txt is stale: run `python -m buildtracker.cli.quick --write`"
    )


def test_help_on_a_wide_terminal_comes_from_the_snapshot_without_typer() -> None:
    for columns in (80, 200):
        done = run_main("--help", columns=columns)
        assert done.stdout == quick.snapshot()
        assert done.stderr.strip() == "[]"


def test_a_narrow_terminal_gets_clicks_own_wrapping() -> None:
    done = run_main("--help", columns=60)
    assert "'typer'" in done.stderr  # the whole CLI ran
    assert done.stdout != quick.snapshot()
    assert done.stdout.startswith("Usage: ")
    assert max(len(line) for line in done.stdout.splitlines()) <= 60


def test_version_without_typer() -> None:
    done = run_main("--version", columns=80)
    assert done.stdout == f"buildtracker {version('buildtracker')}\n"
    assert done.stderr.strip() == "[]"


def test_anything_else_goes_to_the_cli() -> None:
    assert quick.answer(["--help", "--json"]) is False
    assert quick.answer(["task", "--help"]) is False
