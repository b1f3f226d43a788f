"""Answers the console script gives without building the CLI: the root
``--help`` (on a terminal at least 80 columns wide, where click renders it the
same every time) and ``--version``.

``root_help.txt`` is click's own rendering of the root help at 80 columns;
``python -m buildtracker.cli.quick --write`` refreshes it and
``tests/python/test_cli_quick.py`` fails when it differs from what click
prints. Importing typer and click costs about 130 ms here (docs/BENCHMARKS.md),
more than everything else a ``--help`` does.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources

SNAPSHOT = "root_help.txt"
WIDTH = 80  # click's max_content_width: wider terminals render the same text


def snapshot() -> str:
    return resources.files("buildtracker.cli").joinpath(SNAPSHOT).read_text(encoding="utf-8")


def answer(argv: list[str]) -> bool:
    """Print the answer and return True when ``argv`` asks for one of them."""
    if argv == ["--version"]:
        from importlib.metadata import version

        sys.stdout.write(f"buildtracker {version('buildtracker')}\n")
        return True
    if argv == ["--help"] and shutil.get_terminal_size().columns >= WIDTH:
        sys.stdout.write(snapshot())
        return True
    return False


def render() -> str:
    """Click's root help at ``WIDTH`` columns, printed by the whole app in a
    process of its own (as a terminal of that width would show it)."""
    import subprocess

    code = "from buildtracker.cli.root import app; app(prog_name='buildtracker')"
    done = subprocess.run(
        [sys.executable, "-c", code, "--help"],
        env={**os.environ, "COLUMNS": str(WIDTH)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        with resources.as_file(resources.files("buildtracker.cli").joinpath(SNAPSHOT)) as path:
            path.write_text(render(), encoding="utf-8")
    else:
        sys.exit("usage: python -m buildtracker.cli.quick --write")
