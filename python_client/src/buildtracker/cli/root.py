"""The whole ``buildtracker`` application: the root group of :mod:`core` with
its top-level commands (the groups load lazily from ``core.GROUPS``)."""

from __future__ import annotations

from buildtracker.cli.activity import activity
from buildtracker.cli.agent import mcp
from buildtracker.cli.checks import log, transition, validate
from buildtracker.cli.core import app
from buildtracker.cli.search import search
from buildtracker.cli.serve import serve
from buildtracker.cli.transfer import export, import_file

__all__ = ["app"]

app.command("activity")(activity)
app.command("search")(search)
app.command("log")(log)
app.command("validate")(validate)
app.command("transition")(transition)
app.command("serve")(serve)
app.command("mcp")(mcp)
app.command("export")(export)
app.command("import")(import_file)
