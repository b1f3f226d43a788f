"""``python -m buildtracker.cli``: the ``buildtracker`` command."""

from buildtracker.cli import main

main()
