"""Drive ``buildtracker mcp`` from blocking code, as an agent host does: the
server is started over stdio and spoken to with the ``mcp`` SDK's own client
(on an event loop in a thread of its own). For tests and benchmarks::

    with open_session(database_url, identity="agent-1") as session:
        call = session.call("claim_next_task", {"lease": "30 minutes"})
        call.document        # the JSON contract: success envelope or failure
        call.seconds         # the round trip, as the client saw it

Each session is one server process (one pool); sessions in several threads
are several agents.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client, StdioServerParameters, types

SERVER_ARGS = ("-m", "buildtracker.cli", "mcp")


@dataclass(frozen=True)
class ToolCall:
    """One tool call: its answer, the JSON document it carries, and how long it took."""

    name: str
    result: types.CallToolResult
    seconds: float

    @property
    def is_error(self) -> bool:
        return self.result.is_error

    @property
    def document(self) -> dict[str, Any]:
        """The contract's document: the structured content, else the JSON text."""
        if isinstance(self.result.structured_content, dict):
            return self.result.structured_content
        block = self.result.content[0]
        assert isinstance(block, types.TextContent)
        loaded: dict[str, Any] = json.loads(block.text)
        return loaded

    @property
    def data(self) -> Any:
        """``data`` of a success (raises AssertionError, with the failure, otherwise)."""
        assert not self.is_error, self.document
        return self.document["data"]


class Session:
    """A running server and the SDK client connected to it (see :func:`open_session`)."""

    def __init__(self, parameters: StdioServerParameters) -> None:
        self.parameters = parameters
        self._stack = ExitStack()
        self._portal: BlockingPortal | None = None
        self._client: Client | None = None

    def __enter__(self) -> Session:
        try:
            self._portal = self._stack.enter_context(start_blocking_portal())
            self._client = self._stack.enter_context(
                self._portal.wrap_async_context_manager(Client(self.parameters))
            )
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stops the server (its stdin is closed) and the event loop."""
        self._client = None
        self._stack.close()

    def _running(self) -> tuple[BlockingPortal, Client]:
        if self._portal is None or self._client is None:
            raise RuntimeError("the session is not open: use it in a with block")
        return self._portal, self._client

    def call(self, name: str, arguments: Mapping[str, Any] | None = None) -> ToolCall:
        """Call tool ``name``; the answer and the seconds the round trip took."""
        portal, client = self._running()
        started = time.perf_counter()
        result = portal.call(client.call_tool, name, dict(arguments or {}))
        return ToolCall(name, result, time.perf_counter() - started)

    def tools(self) -> list[types.Tool]:
        portal, client = self._running()
        return portal.call(client.list_tools).tools

    def read(self, uri: str) -> dict[str, Any]:
        """A resource's JSON document."""
        portal, client = self._running()
        contents = portal.call(client.read_resource, uri).contents
        block = contents[0]
        assert isinstance(block, types.TextResourceContents)
        loaded: dict[str, Any] = json.loads(block.text)
        return loaded

    def prompt(self, name: str, arguments: Mapping[str, str] | None = None) -> str:
        """A prompt's text (its first message)."""
        portal, client = self._running()
        result = portal.call(client.get_prompt, name, dict(arguments or {}))
        content = result.messages[0].content
        assert isinstance(content, types.TextContent)
        return content.text

    def templates(self) -> list[types.ResourceTemplate]:
        portal, client = self._running()
        return portal.call(client.list_resource_templates).resource_templates

    def resources(self) -> list[types.Resource]:
        portal, client = self._running()
        return portal.call(client.list_resources).resources


def server_parameters(
    database_url: str,
    *,
    identity: str | None = None,
    actor: str | None = None,
    command: str | None = None,
    args: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> StdioServerParameters:
    """How to start the server: this interpreter running ``-m buildtracker.cli mcp``
    unless ``command``/``args`` say otherwise; DATABASE_URL, BUILDTRACKER_IDENTITY
    and BUILDTRACKER_ACTOR in its environment (``env`` adds to them)."""
    environment = {"DATABASE_URL": database_url}
    if identity:
        environment["BUILDTRACKER_IDENTITY"] = identity
    if actor:
        environment["BUILDTRACKER_ACTOR"] = actor
    environment.update(env or {})
    return StdioServerParameters(
        command=command or os.path.abspath(sys.executable),
        args=list(SERVER_ARGS if args is None and command is None else args or []),
        env=environment,
    )


def open_session(
    database_url: str,
    *,
    identity: str | None = None,
    actor: str | None = None,
    command: str | None = None,
    args: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Session:
    """A session on a new server process (use it in a ``with`` block)."""
    return Session(
        server_parameters(
            database_url, identity=identity, actor=actor, command=command, args=args, env=env
        )
    )
