"""``buildtracker mcp``: the Model Context Protocol server (SPEC section 11).

A lean set of tools over stdio, built with the official ``mcp`` SDK's
low-level ``Server``: each tool is one SQL function of the call registry
(``registry.json``), called through the generated client on the server's one
``psycopg_pool.ConnectionPool``. What a tool says about itself comes from the
registry too: its description is the function's ``COMMENT``, its input schema
the function's parameters (``uuid`` a string of format uuid, ``integer``,
``numeric`` a number, ``text[]`` an array of strings, ``interval`` a string
such as ``'30 minutes'`` or a number of seconds, enum values from
:mod:`buildtracker.enums`). The caller never passes ``actor``: the feed
records ``BUILDTRACKER_ACTOR`` when it is set, else the name of the identity
the call is made for.

Ids are taken as the CLI takes them: a whole id, a unique prefix of at least 8
hex characters, or (projects and identities) a name (``claude.resolve_id``).

A tool answers the JSON contract of :mod:`buildtracker.contract`, the envelope
``buildtracker --json`` prints, as structured content and as its JSON text; a
refused call is a tool error (``isError``) carrying the failure document
``{"success": false, "error": {"sqlstate", "message", "errors", "hint"}}``,
byte for byte what ``buildtracker --json`` prints for the same failure.

Two resources (``buildtracker://projects/{project}/features``, the feature
tree of a project; ``buildtracker://me/tasks``, the identity's active tasks)
and one prompt (``work-next-task``) complete it.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import unquote
from uuid import UUID

import anyio
import anyio.to_thread
import psycopg
from mcp import types
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError
from psycopg_pool import ConnectionPool

from buildtracker import contract, enums, registry
from buildtracker.client import Client, Replica
from buildtracker.codegen import enum_of
from buildtracker.errors import BuildTrackerError, ErrorItem, ValidationError
from buildtracker.ids import ENTITY_OF_FIELD, KEY_OF_ENTITY, whole_uuid
from buildtracker.models import BuildTask, Feature, Result
from buildtracker.paging import every_row

log = logging.getLogger("buildtracker.mcp")
T = TypeVar("T")

SERVER_NAME = "buildtracker"
POOL_SIZE = 4  # an agent host sends a few calls at a time, never many

# ---------------------------------------------------------------- the tools


@dataclass(frozen=True)
class ToolSpec:
    """One tool: the SQL function it calls (its name too) and how it is offered."""

    function: str
    title: str
    # identity_id is offered as ``identity`` (a name or id), defaulting to the
    # server's identity (BUILDTRACKER_IDENTITY)
    identity: bool = False

    @property
    def sql(self) -> registry.Function:
        return registry.functions()[self.function]

    def parameters(self) -> tuple[registry.Parameter, ...]:
        """The SQL parameters offered: all but ``actor`` (the server says who acts)."""
        return tuple(p for p in self.sql.parameters if p.name != "actor")


# The lean set (SPEC section 11: at most 15): the work loop of an agent, and
# nothing an agent does not need (no deletes, no feature workflow, no admin).
TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("get_ready_tasks", "Ready work"),
    ToolSpec("claim_next_task", "Claim the next task", identity=True),
    ToolSpec("get_task_context", "Show a task"),
    ToolSpec("start_task", "Start a task", identity=True),
    ToolSpec("heartbeat_task", "Keep a task's lease", identity=True),
    ToolSpec("release_task", "Release a task"),
    ToolSpec("block_task", "Block a task"),
    ToolSpec("complete_task", "Complete a task"),
    ToolSpec("add_task", "Add a task"),
    ToolSpec("add_dependency", "Add a dependency"),
    ToolSpec("add_comment", "Comment"),
    ToolSpec("get_feature_completion", "Feature status"),
    ToolSpec("search", "Search"),
)
TOOL_OF: dict[str, ToolSpec] = {t.function: t for t in TOOLS}

# What a parameter means, where its name does not say it (the registry has
# the function's comment, not one per parameter).
ID_HELP = "its id, or a unique prefix of at least 8 hex characters"
PARAMETER_HELP: dict[str, str] = {
    "task_id": f"The task: {ID_HELP}.",
    "depends_on_task_id": f"The task it depends on: {ID_HELP}.",
    "blocked_by_task_id": f"The task it waits for: {ID_HELP}.",
    "feature_id": f"The feature: {ID_HELP}.",
    "component_id": f"The component: {ID_HELP}.",
    "project_id": "The project: its name, its id, or a unique prefix of 8+ hex characters.",
    "assigned_to_identity_id": "Who does it: an identity's name, id or 8+ hex id prefix.",
    "identity": (
        "Who acts: an identity's name, id or 8+ hex id prefix"
        " (default: the server's BUILDTRACKER_IDENTITY)."
    ),
    "entity_id": f"The entity entity_type names: {ID_HELP} (a project also by name).",
    "labels": "Labels: lower-case a-z 0-9 : _ . -, at most 50 characters each.",
    "lease": (
        "How long the task is held without a heartbeat: an interval such as"
        " '30 minutes' or '2 hours', or a number of seconds (1 second to 1 day;"
        " default 30 minutes)."
    ),
    "actual_hours": "Hours actually spent (more than 0).",
    "estimated_hours": "Hours the task should take.",
    "priority": "1 (highest) to 10.",
    "reason": "Why: a sentence a colleague understands.",
    "max_rows": "At most this many rows.",
    "max_comments": "At most this many of the latest comments (0-100, default 20).",
    "query": 'Words, "a phrase", a or b, -word (websearch syntax); 1-1000 characters.',
    "reassign": "Take over a task assigned to another identity.",
}

# Text parameters whose values the SQL takes from a subset of an enum.
VALUES_OF: dict[tuple[str, str], tuple[str, ...]] = {
    ("add_comment", "entity_type"): (
        "build_task",
        "feature",
        "component",
        "requirement",
        "project",
    ),
}

# The entity an id argument names: the fields of ids.py, and ``identity``.
ENTITY_OF_ARGUMENT = {**ENTITY_OF_FIELD, "identity": "identity"}
# Entities that are also found by name: their ids are not of format uuid.
NAMED_ENTITY = frozenset({"project", "identity"})


def parameter_schema(spec: ToolSpec, parameter: registry.Parameter) -> dict[str, Any]:
    """The JSON schema of one parameter, from its SQL type."""
    sql_type = parameter.type
    schema: dict[str, Any]
    if sql_type == "uuid":
        entity = ENTITY_OF_ARGUMENT.get(parameter.name)
        # names are ids too for projects and identities: no format then
        schema = {"type": "string"}
        if entity not in NAMED_ENTITY and parameter.name != "entity_id":
            schema["format"] = "uuid"
    elif sql_type in ("integer", "bigint"):
        schema = {"type": "integer"}
    elif sql_type == "numeric":
        schema = {"type": "number"}
    elif sql_type == "boolean":
        schema = {"type": "boolean"}
    elif sql_type == "text[]":
        schema = {"type": "array", "items": {"type": "string"}}
    elif sql_type == "interval":
        schema = {"type": ["string", "number"]}
    elif sql_type == "text":
        schema = {"type": "string"}
        values = VALUES_OF.get((spec.function, parameter.name))
        enum_name = enum_of(spec.sql, parameter)
        if values is None and enum_name is not None:
            values = tuple(member.value for member in getattr(enums, enum_name))
        if values is not None:
            schema["enum"] = list(values)
    else:  # a new kind of parameter: say how it travels here
        raise ValueError(f"{spec.function}.{parameter.name}: no JSON schema for {sql_type}")
    help_text = PARAMETER_HELP.get(parameter.name)
    if help_text:
        schema["description"] = help_text
    return schema


# identity_id as the tools that act for someone take it: optional, the
# server's identity (BUILDTRACKER_IDENTITY) when left out
IDENTITY = registry.Parameter("identity", "uuid", required=False)


def offered(spec: ToolSpec) -> list[registry.Parameter]:
    """The tool's arguments: the SQL parameters, identity_id offered as ``identity``."""
    return [IDENTITY if spec.identity and p.name == "identity_id" else p for p in spec.parameters()]


def input_schema(spec: ToolSpec) -> dict[str, Any]:
    parameters = offered(spec)
    properties = {p.name: parameter_schema(spec, p) for p in parameters}
    return {
        "type": "object",
        "properties": properties,
        "required": [p.name for p in parameters if p.required],
        "additionalProperties": False,
    }


# What every tool answers (structured content): the contract's success envelope.
OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "success": {"type": "boolean"},
        "data": {},
        "validation": {
            "type": "object",
            "properties": {
                "errors": {"type": "array"},
                "warnings": {"type": "array", "items": {"type": "string"}},
            },
        },
        "metadata": {"type": "object"},
    },
    "required": ["success", "data", "validation", "metadata"],
}


def tool(spec: ToolSpec) -> types.Tool:
    read = spec.sql.kind == "read"
    return types.Tool(
        name=spec.function,
        title=spec.title,
        description=spec.sql.description,
        input_schema=input_schema(spec),
        output_schema=OUTPUT_SCHEMA,
        annotations=types.ToolAnnotations(
            title=spec.title,
            read_only_hint=read,
            destructive_hint=False,
            idempotent_hint=read or spec.function == "heartbeat_task",
            open_world_hint=False,
        ),
    )


# ---------------------------------------------------------------- arguments


def invalid(errors: Sequence[ErrorItem]) -> ValidationError:
    """Arguments that do not fit the schema: the REST API's "the request is invalid"."""
    return ValidationError("the arguments are invalid", sqlstate=None, errors=tuple(errors))


def check(spec: ToolSpec, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments given (null is left out), each of its JSON type; every problem listed."""
    parameters = {p.name: p for p in offered(spec)}
    problems: list[ErrorItem] = []
    given = {k: v for k, v in arguments.items() if v is not None}
    for name in sorted(set(given) - set(parameters)):
        problems.append(
            ErrorItem(name, f"unknown argument (the tool takes {', '.join(parameters)})")
        )
    for name, parameter in parameters.items():
        if name not in given:
            if parameter.required:
                problems.append(ErrorItem(name, "required"))
            continue
        message = type_problem(parameter.type, given[name])
        if message:
            problems.append(ErrorItem(name, message))
    if problems:
        raise invalid(problems)
    return given


def type_problem(sql_type: str, value: Any) -> str | None:
    """Why ``value`` cannot be a ``sql_type`` argument (None: it can). Numbers may
    come as text: the database converts them (and refuses what is not one)."""
    if sql_type in ("uuid", "text"):
        ok = isinstance(value, str)
        expected = "a string"
    elif sql_type in ("integer", "bigint"):
        ok = isinstance(value, int | str) and not isinstance(value, bool)
        ok = ok or (isinstance(value, float) and value.is_integer())
        expected = "an integer"
    elif sql_type == "numeric":
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        expected = "a number"
    elif sql_type == "boolean":
        ok = isinstance(value, bool)
        expected = "true or false"
    elif sql_type == "text[]":
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        expected = "an array of strings"
    elif sql_type == "interval":
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        expected = "an interval such as '30 minutes', or a number of seconds"
    else:
        return f"no rule for {sql_type}"
    return None if ok else f"must be {expected}, not {json.dumps(value)}"


def sql_value(sql_type: str, value: Any) -> Any:
    """The Python value the client sends for a checked argument."""
    if sql_type in ("integer", "bigint") and isinstance(value, float):
        return int(value)
    if sql_type == "numeric" and isinstance(value, float):
        return Decimal(str(value))
    if sql_type == "text[]" and isinstance(value, str):
        return [value]
    if sql_type == "interval" and not isinstance(value, str):
        return timedelta(seconds=float(value))
    # an interval as text ('30 minutes', '2h', 'PT30M') is read by PostgreSQL
    return value


def resolve(client: Client, field_name: str, ref: str, entity: str) -> UUID:
    """The id ``ref`` names (claude.resolve_id), its errors naming the argument."""
    as_uuid = whole_uuid(ref)
    if as_uuid is not None:
        return as_uuid
    try:
        return client.resolve_id(entity, ref)
    except BuildTrackerError as exc:
        key = KEY_OF_ENTITY.get(entity)  # None: an entity_type resolve_id refuses
        errors = tuple(replace(e, field=field_name) if e.field == key else e for e in exc.errors)
        raise type(exc)(exc.message, sqlstate=exc.sqlstate, errors=errors, hint=exc.hint) from exc


# ---------------------------------------------------------------- the server's state


@dataclass
class Settings:
    """What ``buildtracker mcp`` is started with."""

    database_url: str
    identity: str | None = None  # BUILDTRACKER_IDENTITY: a name or an id
    actor: str | None = None  # BUILDTRACKER_ACTOR: recorded in the feed instead of the name
    read_url: str | None = None  # BUILDTRACKER_READ_URL: a streaming replica for the reads


@dataclass
class Gateway:
    """The server's pool, its read replica if any (one, so read-your-writes
    covers every tool call of the server), and the identities it has looked
    up (id and name)."""

    settings: Settings
    pool: ConnectionPool[Any]
    _names: dict[UUID, str] = field(default_factory=dict)
    _ids: dict[str, UUID] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    replica: Replica | None = None

    def __post_init__(self) -> None:
        if self.replica is None and self.settings.read_url:
            self.replica = Replica(self.settings.read_url, size=POOL_SIZE)

    def client(self, actor: str | None = None) -> Client:
        """A client on the pool (each call its own transaction, retried on
        40001/40P01), reading from the replica when there is one."""
        return Client(self.pool, actor=actor, replica=self.replica)

    def identity(self, ref: str, field_name: str) -> tuple[UUID, str]:
        """The identity ``ref`` names, and its name (looked up once)."""
        with self._lock:
            found = self._ids.get(ref)
        if found is None:
            client = self.client()
            found = resolve(client, field_name, ref, "identity")
            name = client.get_identity(found).identity_name
            with self._lock:
                self._ids[ref] = found
                self._names[found] = name
        with self._lock:
            return found, self._names[found]

    def own_identity(self, field_name: str = "identity") -> tuple[UUID, str] | None:
        """The server's identity (BUILDTRACKER_IDENTITY), or None when none is set."""
        ref = self.settings.identity
        return None if not ref else self.identity(ref, field_name)

    def actor(self, identity_name: str | None) -> str | None:
        """Who the feed records: BUILDTRACKER_ACTOR, else the identity acting."""
        return self.settings.actor or identity_name


def call_tool(gateway: Gateway, name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Run one tool (blocking: the server runs it in a worker thread); the
    success envelope, or a BuildTrackerError for a refused call."""
    spec = TOOL_OF.get(name)
    if spec is None:
        raise invalid([ErrorItem("name", f"no tool {name!r} (tools: {', '.join(TOOL_OF)})")])
    given = check(spec, arguments)
    types_of = {p.name: p.type for p in offered(spec)}
    lookup = gateway.client()
    identity_name: str | None = None
    kwargs: dict[str, Any] = {}
    if spec.identity:
        ref = given.pop("identity", None) or gateway.settings.identity
        if ref:
            identity_id, identity_name = gateway.identity(ref, "identity")
            kwargs["identity_id"] = identity_id
        elif next(p for p in spec.sql.parameters if p.name == "identity_id").required:
            raise invalid(
                [ErrorItem("identity", "required: pass identity or set BUILDTRACKER_IDENTITY")]
            )
    elif spec.sql.kind != "read":
        own = gateway.own_identity()
        identity_name = own[1] if own else None
    for key, value in given.items():
        sql_type = types_of[key]
        if sql_type == "uuid":
            # entity_id is of the entity entity_type names
            entity = ENTITY_OF_FIELD.get(key) or str(given["entity_type"])
            kwargs[key] = resolve(lookup, key, value, entity)
        else:
            kwargs[key] = sql_value(sql_type, value)
    client = gateway.client(gateway.actor(identity_name) if spec.sql.kind != "read" else None)
    answer = getattr(client, spec.function)(**kwargs)
    if isinstance(answer, Result):
        return contract.success(answer.data, answer.warnings, answer.metadata)
    return contract.success(answer)


# ---------------------------------------------------------------- resources and the prompt

MY_TASKS = "buildtracker://me/tasks"
FEATURES_TEMPLATE = "buildtracker://projects/{project}/features"
FEATURES_PREFIX, FEATURES_SUFFIX = "buildtracker://projects/", "/features"
ACTIVE_STATUSES = ("in_progress", "review", "blocked")
PAGE = 1000  # list_* max_rows


def feature_tree(gateway: Gateway, ref: str) -> dict[str, Any]:
    """A project's features as a tree (children under their parent), each with
    its status and completion."""
    client = gateway.client()
    project_id = resolve(client, "project", ref, "project")
    features: list[Feature] = list(
        every_row(
            lambda after, after_id, rows: client.list_features(
                project_id=project_id, after=after, after_id=after_id, max_rows=rows
            ),
            lambda f: f.feature_id,
            PAGE,
        )
    )
    nodes: dict[UUID, dict[str, Any]] = {
        f.feature_id: {
            "feature_id": f.feature_id,
            "feature_name": f.feature_name,
            "feature_type": f.feature_type,
            "status": f.status,
            "completion_percentage": f.completion_percentage,
            "priority": f.priority,
            "labels": f.labels,
            "children": [],
        }
        for f in features
    }
    roots: list[dict[str, Any]] = []
    for f in features:
        parent = nodes.get(f.parent_feature_id) if f.parent_feature_id else None
        siblings: list[dict[str, Any]] = parent["children"] if parent else roots
        siblings.append(nodes[f.feature_id])
    return contract.success(roots, metadata={"project_id": project_id, "features": len(features)})


def my_tasks(gateway: Gateway) -> dict[str, Any]:
    """The server identity's active tasks (in_progress, review, blocked)."""
    own = gateway.own_identity()
    if own is None:
        raise invalid([ErrorItem("identity", "no identity: set BUILDTRACKER_IDENTITY")])
    identity_id, name = own
    client = gateway.client()
    tasks: list[BuildTask] = []
    for status in ACTIVE_STATUSES:
        tasks.extend(
            client.list_tasks(status=status, assigned_to_identity_id=identity_id, max_rows=PAGE)
        )
    return contract.success(tasks, metadata={"identity_id": identity_id, "identity_name": name})


def read_resource(gateway: Gateway, uri: str) -> dict[str, Any]:
    if uri == MY_TASKS:
        return my_tasks(gateway)
    if uri.startswith(FEATURES_PREFIX) and uri.endswith(FEATURES_SUFFIX):
        project = unquote(uri[len(FEATURES_PREFIX) : -len(FEATURES_SUFFIX)])
        if project and "/" not in project:
            return feature_tree(gateway, project)
    raise invalid([ErrorItem("uri", f"no resource {uri} (try {MY_TASKS} or {FEATURES_TEMPLATE})")])


PROMPT = "work-next-task"
PROMPT_ARGUMENTS = (
    types.PromptArgument(
        name="project", description="Only this project (name or id).", required=False
    ),
    types.PromptArgument(
        name="labels",
        description="Only tasks carrying all of these (comma-separated).",
        required=False,
    ),
)


def work_next_task(identity: str | None, project: str | None, labels: str | None) -> str:
    """The loop an agent follows, as the prompt's text."""
    scope = []
    if project:
        scope.append(f'project_id "{project}"')
    if labels:
        scope.append("labels " + json.dumps([x.strip() for x in labels.split(",") if x.strip()]))
    where = f" with {' and '.join(scope)}" if scope else ""
    who = (
        f'You act as the identity "{identity}" (BUILDTRACKER_IDENTITY).'
        if identity
        else "Pass your identity name as `identity` to claim_next_task and heartbeat_task."
    )
    return f"""Work the next task from buildtracker. {who}

1. Search first: `search` for the words of your goal, so you do not redo or
   contradict earlier work.
2. Claim: `claim_next_task`{where} and a lease (e.g. "30 minutes"). It starts
   the task for you. `data` null means nothing is ready: stop and say so.
3. Read: `get_task_context` with the task's id — description, what it depends
   on, what depends on it, the latest comments.
4. Work. Before the lease runs out, `heartbeat_task` (same lease) to keep the
   task; an expired lease lets another agent take it over.
5. Record what you learn with `add_comment` (entity_type "build_task"). Work
   you discover becomes `add_task` plus `add_dependency` (kind
   "discovered_from").
6. Stuck on something outside your control: `block_task` with the reason. Giving
   up: `release_task` with the reason, so the task is offered again.
7. Done: `complete_task` with `actual_hours` and `completion_notes`. Then go
   back to step 2.

A refused call is a tool error whose content is {{"success": false, "error":
{{"sqlstate", "message", "errors", "hint"}}}}: 55000 means the task is not in a
state that allows it (read the errors: they name the blocking tasks), 23514 a
value out of bounds, P0002 nothing found. Fix the call; do not retry it
unchanged."""


INSTRUCTIONS = (
    "buildtracker tracks features and their build tasks. Agents claim a ready task "
    "(claim_next_task, with a lease), keep it with heartbeat_task, record findings with "
    "add_comment, and finish with complete_task (actual_hours), or give it back with "
    "release_task. Search first. Ids may be unique 8+ hex prefixes. The prompt "
    f"{PROMPT} spells the loop out."
)


# ---------------------------------------------------------------- the MCP server


def text_of(document: Mapping[str, Any]) -> types.TextContent:
    return types.TextContent(type="text", text=contract.dumps(document))


def failure_result(exc: BuildTrackerError) -> types.CallToolResult:
    """A refused call: a tool error carrying the contract's failure document."""
    document = contract.failure_of(exc)
    return types.CallToolResult(
        content=[text_of(document)],
        structured_content=json.loads(contract.dumps(document)),
        is_error=True,
    )


def unexpected(exc: Exception) -> BuildTrackerError:
    """A bug or a lost database, as a failure document (never a protocol error)."""
    log.exception("a tool failed unexpectedly")
    return BuildTrackerError(f"the call failed: {type(exc).__name__}: {exc}")


async def in_thread(function: Callable[[], T]) -> T:
    """Blocking database work off the event loop."""
    return await anyio.to_thread.run_sync(function)


def build_server(gateway: Gateway) -> Server[Any]:
    """The MCP server of the tools, resources and prompt above, on ``gateway``."""
    tools = [tool(spec) for spec in TOOLS]

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        if params.name not in TOOL_OF:  # the spec's protocol error, not a tool's
            raise MCPError(types.INVALID_PARAMS, f"Unknown tool: {params.name}")
        arguments = params.arguments or {}
        try:
            document = await in_thread(lambda: call_tool(gateway, params.name, arguments))
        except BuildTrackerError as exc:
            return failure_result(exc)
        except Exception as exc:
            return failure_result(unexpected(exc))
        text = contract.dumps(document)  # once: the text and the structured copy agree
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], structured_content=json.loads(text)
        )

    async def list_resources(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[
                types.Resource(
                    uri=MY_TASKS,
                    name="my-tasks",
                    title="My active tasks",
                    description="The tasks of BUILDTRACKER_IDENTITY in progress, in review or blocked.",
                    mime_type="application/json",
                )
            ]
        )

    async def list_templates(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(
            resource_templates=[
                types.ResourceTemplate(
                    uri_template=FEATURES_TEMPLATE,
                    name="project-features",
                    title="A project's features",
                    description=(
                        "The feature tree of a project (name, id or 8+ hex prefix), each "
                        "feature with its status and completion percentage."
                    ),
                    mime_type="application/json",
                )
            ]
        )

    async def read(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        try:
            document = await in_thread(lambda: read_resource(gateway, uri))
        except BuildTrackerError as exc:
            failure = json.loads(contract.dumps(contract.failure_of(exc)))
            raise MCPError(types.INVALID_PARAMS, exc.message, failure) from exc
        except Exception as exc:
            failure = json.loads(contract.dumps(contract.failure_of(unexpected(exc))))
            raise MCPError(types.INTERNAL_ERROR, failure["error"]["message"], failure) from exc
        return types.ReadResourceResult(
            contents=[
                types.TextResourceContents(
                    uri=uri, mime_type="application/json", text=contract.dumps(document)
                )
            ]
        )

    async def list_prompts(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(
            prompts=[
                types.Prompt(
                    name=PROMPT,
                    title="Work the next task",
                    description="The claim, heartbeat, comment and complete loop of an agent.",
                    arguments=list(PROMPT_ARGUMENTS),
                )
            ]
        )

    async def get_prompt(
        ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        if params.name != PROMPT:
            raise MCPError(types.INVALID_PARAMS, f"no prompt {params.name!r} (prompts: {PROMPT})")
        arguments = params.arguments or {}
        text = work_next_task(
            gateway.settings.identity, arguments.get("project"), arguments.get("labels")
        )
        return types.GetPromptResult(
            description="The claim, heartbeat, comment and complete loop of an agent.",
            messages=[
                types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))
            ],
        )

    from importlib.metadata import version

    return Server(
        SERVER_NAME,
        version=version("buildtracker"),
        title="buildtracker",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read,
        on_list_prompts=list_prompts,
        on_get_prompt=get_prompt,
    )


def open_pool(database_url: str) -> ConnectionPool[Any]:
    """The server's one pool, open. A database that cannot be reached stops the
    start with the driver's own error (the pool would only say it timed out)."""
    psycopg.connect(database_url, connect_timeout=15).close()
    pool: ConnectionPool[Any] = ConnectionPool(
        database_url,
        min_size=1,
        max_size=POOL_SIZE,
        open=False,
        kwargs={"autocommit": True},
        check=ConnectionPool.check_connection,
        timeout=15,
        name="buildtracker-mcp",
    )
    pool.open(wait=True, timeout=15)
    return pool


def serve(settings: Settings) -> None:
    """Serve MCP over stdin/stdout until the client closes stdin."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    pool = open_pool(settings.database_url)
    try:
        server = build_server(Gateway(settings, pool))

        async def main() -> None:
            async with stdio_server() as (read_stream, write_stream):
                await server.run(read_stream, write_stream, server.create_initialization_options())

        anyio.run(main)
    finally:
        pool.close()
