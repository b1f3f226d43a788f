"""``buildtracker agent setup``: the MCP server entry of each agent host, and
the AGENTS.md section that tells an agent how to work with the tracker.

Hosts and what is written (into the current directory) with ``--write``:

- ``claude-code``: ``.mcp.json`` (project-scoped servers of Claude Code);
- ``cursor``: ``.cursor/mcp.json``;
- ``codex``: nothing of its own (its servers live in ``~/.codex/config.toml``,
  outside the project): the TOML table to add is printed;
- every host: a section of ``AGENTS.md`` between begin and end markers.

Writing again changes nothing that is already right: the JSON files keep
their other servers (``buildtracker`` is replaced), and the AGENTS.md section
is replaced between its markers, never appended twice.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOSTS = ("claude-code", "cursor", "codex")
SERVER_KEY = "buildtracker"
URL_PLACEHOLDER = "postgresql://USER@HOST:5432/DATABASE"
IDENTITY_PLACEHOLDER = "your-agent-name"

BEGIN = (
    "<!-- buildtracker:begin (written by `buildtracker agent setup`; edits inside are replaced) -->"
)
END = "<!-- buildtracker:end -->"

AGENTS_SECTION = """## Working with buildtracker

Tasks live in the buildtracker database; the `buildtracker` MCP server is how
you read and change them. Your identity is `BUILDTRACKER_IDENTITY` in the
server's environment.

- **Search first**: `search` for the words of your goal before you start, so you
  do not redo or contradict earlier work.
- **Claim with a lease**: `claim_next_task` (optionally `project_id`, `labels`)
  with a `lease` such as `"30 minutes"`; it starts the task for you. `data` null
  means nothing is ready.
- **Read it**: `get_task_context` gives the task, what it depends on, what depends
  on it, and the latest comments.
- **Heartbeat**: call `heartbeat_task` before the lease runs out; an expired lease
  lets another agent take the task over.
- **Comment findings**: `add_comment` (entity_type `build_task`) for what you
  learn; new work is `add_task` plus `add_dependency` (kind `discovered_from`).
- **Release when giving up**: `release_task` with the reason (or `block_task`
  when something outside your control stops you).
- **Complete with hours**: `complete_task` with `actual_hours` and
  `completion_notes`.

A refused call is a tool error carrying `{"success": false, "error": {"sqlstate",
"message", "errors", "hint"}}`: 55000 the task's state does not allow it (the
errors name the blocking tasks), 23514 a value out of bounds, P0002 not found.
Ids may be unique prefixes of 8+ hex characters. Without MCP the same calls are
`buildtracker --json task ...` on the command line.
"""


@dataclass(frozen=True)
class ServerEntry:
    """How a host starts the server: command, arguments, environment."""

    command: str
    args: tuple[str, ...]
    env: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {"command": self.command, "args": list(self.args), "env": dict(self.env)}


def server_command() -> tuple[str, tuple[str, ...]]:
    """The absolute path of this installation's ``buildtracker`` console script
    (beside the interpreter), or the interpreter running ``-m buildtracker.cli``.
    The path is not resolved: a virtual environment's python is a symlink."""
    here = Path(os.path.abspath(sys.executable)).parent
    for name in ("buildtracker", "buildtracker.exe"):
        script = here / name
        if script.is_file() and os.access(script, os.X_OK):
            return str(script), ("mcp",)
    return os.path.abspath(sys.executable), ("-m", "buildtracker.cli", "mcp")


def entry(database_url: str | None, identity: str | None) -> ServerEntry:
    command, args = server_command()
    return ServerEntry(
        command,
        args,
        {
            "DATABASE_URL": database_url or URL_PLACEHOLDER,
            "BUILDTRACKER_IDENTITY": identity or IDENTITY_PLACEHOLDER,
        },
    )


def has_password(database_url: str | None) -> bool:
    """Whether the URL carries a password (the files are often committed)."""
    if not database_url:
        return False
    try:
        return bool(urlsplit(database_url).password) or "password=" in database_url
    except ValueError:
        return False


def merged_servers(existing: str | None, server: Mapping[str, Any]) -> str:
    """An ``mcpServers`` file with our server in it, the others kept."""
    document: dict[str, Any] = {}
    if existing and existing.strip():
        loaded = json.loads(existing)
        if not isinstance(loaded, dict):
            raise ValueError("not a JSON object")
        document = loaded
    servers = document.get("mcpServers")
    if not isinstance(servers, dict):
        servers = {}
    servers[SERVER_KEY] = dict(server)
    document["mcpServers"] = servers
    return json.dumps(document, indent=2) + "\n"


def section_block() -> str:
    """The AGENTS.md section with its markers."""
    return f"{BEGIN}\n{AGENTS_SECTION}{END}\n"


def with_section(existing: str | None) -> str:
    """AGENTS.md with the buildtracker section: replaced between its markers
    when it is there, appended otherwise."""
    block = section_block()
    text = existing or ""
    start = text.find(BEGIN)
    stop = text.find(END, start) if start >= 0 else -1
    if start >= 0 and stop >= 0:
        tail = text[stop + len(END) :]
        return text[:start] + block.rstrip("\n") + tail
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text else "") + block


def codex_toml(server: ServerEntry) -> str:
    """The table to add to ``~/.codex/config.toml``."""

    def quoted(value: str) -> str:
        return json.dumps(value)  # a TOML basic string is a JSON string

    args = ", ".join(quoted(a) for a in server.args)
    env = ", ".join(f"{k} = {quoted(v)}" for k, v in server.env.items())
    return (
        f"[mcp_servers.{SERVER_KEY}]\n"
        f"command = {quoted(server.command)}\n"
        f"args = [{args}]\n"
        f"env = {{ {env} }}\n"
    )


@dataclass(frozen=True)
class Plan:
    """What setup writes (path relative to the directory -> new text) and prints."""

    files: dict[str, str]
    notes: dict[str, str]  # host -> text to put elsewhere by hand (codex)


def plan(directory: Path, hosts: tuple[str, ...], server: ServerEntry) -> Plan:
    """The files for ``hosts`` in ``directory``, each merged with what is there."""

    def current(relative: str) -> str | None:
        path = directory / relative
        return path.read_text(encoding="utf-8") if path.is_file() else None

    files: dict[str, str] = {}
    notes: dict[str, str] = {}
    if "claude-code" in hosts:
        files[".mcp.json"] = merged_servers(
            current(".mcp.json"), {"type": "stdio", **server.as_json()}
        )
    if "cursor" in hosts:
        files[".cursor/mcp.json"] = merged_servers(current(".cursor/mcp.json"), server.as_json())
    if "codex" in hosts:
        notes["codex"] = codex_toml(server)
    files["AGENTS.md"] = with_section(current("AGENTS.md"))
    return Plan(files, notes)


def write(directory: Path, files: Mapping[str, str]) -> list[str]:
    """Write the files that change; the paths written."""
    written = []
    for relative, text in files.items():
        path = directory / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    return written
