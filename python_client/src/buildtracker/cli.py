"""The ``buildtracker`` command (grows with the client)."""

from __future__ import annotations

from buildtracker.demo import main as demo_main


def main() -> None:
    demo_main()
