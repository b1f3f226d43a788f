"""The ``buildtracker`` command: everyday work for people and agents (SPEC section 7).

Every command calls one or a few methods of :class:`buildtracker.Client`; the
database decides what is allowed. Global options go before the command group::

    buildtracker [--database-url URL] [--json] [--actor NAME] GROUP COMMAND ...

Projects and identities are accepted by name or UUID. With ``--json`` a write
command prints ``{"success", "data", "warnings", "metadata"}``, a list command
a JSON array, and a refused call ``{"success": false, "sqlstate", "message",
"errors", "hint"}``. A refused call exits with the exception's ``exit_code``
(validation 3, missing reference 4, not found 5, transition or gate 6,
retryable conflict 7, permission 8, anything else 1).

The package, one module per command group:

- :mod:`~buildtracker.cli.core`: the root ``app`` and its global options
  (:class:`~buildtracker.cli.core.CliState`, read with ``state_of``), the root
  group that reports errors and usage errors, and the output helpers
  ``show_result``, ``show_list`` and ``show_row``;
- :mod:`~buildtracker.cli.args`: argument helpers (ids, names, durations, ``--set``);
- :mod:`~buildtracker.cli.output`: rendering (rich tables, JSON documents);
- ``projects`` (``project`` and ``identity``), ``features``, ``components``,
  ``tasks``, ``requirements``, ``activity``, ``jobs``, ``tokens``, ``serve``.

Adding a command group: create a module here with a ``typer.Typer`` (say
``widget_app``), decorate its commands, read the global options with
:func:`~buildtracker.cli.core.state_of` (or the client with ``client_of``) and
print with the ``show_*`` helpers; then import it below and register it with
``app.add_typer(widget_app, name="widget")``. A single top-level command (like
``activity``) is a plain function registered with ``app.command(name)(function)``.
Errors raised as :class:`~buildtracker.errors.BuildTrackerError` are reported by
the root group. Keep psycopg and :mod:`buildtracker.client` out of module-level
imports (import them inside the function; types under ``if TYPE_CHECKING:``), so
``buildtracker --help`` stays fast. ``--help`` lists the top-level commands
first, then the groups, each in the order registered here.
"""

from __future__ import annotations

from buildtracker.cli.activity import activity
from buildtracker.cli.checks import log, validate
from buildtracker.cli.components import component_app
from buildtracker.cli.core import app
from buildtracker.cli.features import feature_app
from buildtracker.cli.jobs import jobs_app
from buildtracker.cli.projects import identity_app, project_app
from buildtracker.cli.requirements import requirement_app
from buildtracker.cli.serve import serve
from buildtracker.cli.tasks import task_app
from buildtracker.cli.tokens import token_app

__all__ = ["app", "main"]

app.command("activity")(activity)
app.command("log")(log)
app.command("validate")(validate)
app.command("serve")(serve)

app.add_typer(project_app, name="project")
app.add_typer(identity_app, name="identity")
app.add_typer(feature_app, name="feature")
app.add_typer(component_app, name="component")
app.add_typer(task_app, name="task")
app.add_typer(requirement_app, name="requirement")
app.add_typer(jobs_app, name="jobs")
app.add_typer(token_app, name="token")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="buildtracker")
