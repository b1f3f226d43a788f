"""The ``buildtracker`` command: everyday work for people and agents (SPEC section 7).

Every command calls one or a few methods of :class:`buildtracker.Client`; the
database decides what is allowed. Global options go before the command group::

    buildtracker [--database-url URL] [--json] [--actor NAME] GROUP COMMAND ...

Ids are accepted whole, as unique prefixes of 8+ hex characters, and (projects
and identities) by name. With ``--json`` (anywhere on the line) every command
prints the JSON contract of :mod:`buildtracker.contract`: the success envelope
``{"success", "data", "validation", "metadata"}`` (lists too), or
``{"success": false, "error": {...}}``. A refused call exits with the
exception's ``exit_code`` (usage 2, validation 3, missing reference 4, not
found 5, transition or gate 6, retryable conflict 7, permission 8, anything
else 1).

The package, one module per command group:

- :mod:`~buildtracker.cli.core`: the root ``app`` and its global options
  (:class:`~buildtracker.cli.core.CliState`, read with ``state_of``), the root
  group that reports errors and usage errors, and the output helpers
  ``show_result``, ``show_list`` and ``show_row``;
- :mod:`~buildtracker.cli.args`: argument helpers (ids, names, durations, ``--set``);
- :mod:`~buildtracker.cli.output`: rendering (rich tables, JSON documents);
- ``projects`` (``project`` and ``identity``), ``features``, ``components``,
  ``tasks``, ``requirements``, ``comments``, ``activity``, ``search``, ``jobs``,
  ``tokens``, ``serve``, ``agent`` (``mcp`` and ``agent setup``).

The console script answers the root ``--help`` and ``--version`` from
:mod:`~buildtracker.cli.quick` (a snapshot of click's own root help, checked
by a test) without importing typer; everything else builds the app in
:mod:`~buildtracker.cli.root`.

Adding a command group: create a module here with a ``typer.Typer`` (say
``widget_app``), decorate its commands, read the global options with
:func:`~buildtracker.cli.core.state_of` (or the client with ``client_of``) and
print with the ``show_*`` helpers; then add it to
:data:`~buildtracker.cli.core.GROUPS` (module, attribute, one-line help), which
loads it only when it is run. A single top-level command (like
``activity``) is a plain function registered with ``app.command(name)(function)``.
Errors raised as :class:`~buildtracker.errors.BuildTrackerError` are reported by
the root group. Keep psycopg and :mod:`buildtracker.client` out of module-level
imports (import them inside the function; types under ``if TYPE_CHECKING:``), so
``buildtracker --help`` stays fast. ``--help`` lists the top-level commands
first (in the order registered here), then the groups (in GROUPS order).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """``app`` (the typer application) is built on first use (PEP 562), so the
    console script can answer ``--help`` and ``--version`` without typer."""
    if name == "app":
        from buildtracker.cli.root import app

        return app
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point: the quick answers first, else the whole CLI."""
    from buildtracker.cli import quick

    if quick.answer(sys.argv[1:]):
        return
    from buildtracker.cli.root import app

    app(prog_name="buildtracker")


if TYPE_CHECKING:
    app: typer.Typer
