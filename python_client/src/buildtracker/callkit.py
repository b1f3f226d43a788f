"""The machinery under the generated call builders of :mod:`buildtracker.calls`.

A builder turns typed Python arguments into a :class:`Call` (the SQL text, its
parameters, and how to read the answer). The readers here say how: an envelope
(``write``), a row (``one``), rows (``rows``), a JSON value (``value``), a plain
scalar (``scalar``) or records (``records``). Arguments left as ``None`` are not
sent, so the database's own defaults apply.

:class:`SyncMethod` / :class:`AsyncMethod` bind a builder as a method of a
client; they keep the builder's signature (ParamSpec) and only change how the
statement is executed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, overload
from uuid import UUID

from psycopg import sql
from psycopg.types.json import Jsonb

from buildtracker import registry
from buildtracker.models import Model, Result

T = TypeVar("T")
P = ParamSpec("P")
M = TypeVar("M", bound=Model)
Rows = list[tuple[Any, ...]]


@dataclass(frozen=True)
class Call(Generic[T]):
    """One statement to run and the reader of its rows."""

    query: sql.SQL | sql.Composed
    params: dict[str, Any]
    parse: Callable[[Rows], T]
    writes: bool = False
    # the registry's kind is "read": a client with a read replica may send it there
    reads: bool = False


def _json_default(value: Any) -> Any:
    """JSON for the values a caller may put in ``changes`` or ``data``."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID | Decimal | timedelta):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be sent as JSON")


def _json_dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default)


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        # Sent as text of unknown type, so PostgreSQL converts it to the
        # parameter's declared type (integer, numeric): an out-of-range value
        # is then refused as invalid input (class 22), not a missing function.
        return str(value)
    if isinstance(value, Mapping):
        return Jsonb(dict(value), dumps=_json_dumps)
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def _select(
    function: str, args: dict[str, Any], *, rows: bool, keep: frozenset[str]
) -> tuple[sql.Composed, dict[str, Any]]:
    present = {k: _value(v) for k, v in args.items() if v is not None or k in keep}
    arguments = sql.SQL(", ").join(
        sql.SQL("{} => {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in present
    )
    if rows:
        query = sql.SQL("SELECT to_jsonb(r) FROM claude.{}({}) AS r").format(
            sql.Identifier(function), arguments
        )
    else:
        query = sql.SQL("SELECT claude.{}({})").format(sql.Identifier(function), arguments)
    return query, present


def _call(
    function: str,
    args: dict[str, Any],
    parse: Callable[[Rows], T],
    *,
    rows: bool = False,
    writes: bool = False,
    keep: frozenset[str] = frozenset(),
) -> Call[T]:
    query, params = _select(function, args, rows=rows, keep=keep)
    entry = registry.functions().get(function)
    return Call(
        query, params, parse, writes=writes, reads=entry is not None and entry.kind == "read"
    )


def _result(model: type[M], envelope: dict[str, Any]) -> Result[M]:
    return Result(
        data=model.from_json(envelope["data"]),
        warnings=tuple(envelope["validation"]["warnings"]),
        metadata=envelope["metadata"],
    )


# ---------------------------------------------------------------- readers


def write(function: str, model: type[M], args: dict[str, Any]) -> Call[Result[M]]:
    """A workflow function answering the envelope; its data is one ``model``."""
    return _call(function, args, lambda rows: _result(model, rows[0][0]), writes=True)


def write_optional(function: str, model: type[M], args: dict[str, Any]) -> Call[Result[M | None]]:
    """As :func:`write`, where the data may be null (nothing to claim)."""

    def parse(rows: Rows) -> Result[M | None]:
        envelope = rows[0][0]
        data = envelope["data"]
        return Result(
            data=None if data is None else model.from_json(data),
            warnings=tuple(envelope["validation"]["warnings"]),
            metadata=envelope["metadata"],
        )

    return _call(function, args, parse, writes=True)


def one(function: str, model: type[M], args: dict[str, Any]) -> Call[M]:
    """One row from a get_* function, which raises P0002 (NotFoundError) when it is missing."""
    return _call(function, args, lambda rows: model.from_json(rows[0][0]), rows=True)


def rows(function: str, model: type[M], args: dict[str, Any]) -> Call[list[M]]:
    """The rows of a set-returning function, each as a ``model``."""
    return _call(function, args, lambda found: [model.from_json(r[0]) for r in found], rows=True)


def value(function: str, read: Callable[[Any], T], args: dict[str, Any]) -> Call[T]:
    """A read answering one JSON document, converted by ``read`` (a model's from_json)."""
    return _call(function, args, lambda found: read(found[0][0]))


def scalar(
    function: str,
    convert: Callable[[Any], T],
    args: dict[str, Any],
    *,
    writes: bool = False,
    keep: frozenset[str] = frozenset(),
) -> Call[T]:
    """A function answering one plain value (an id, a count, a flag, a JSON object)."""
    return _call(function, args, lambda found: convert(found[0][0]), writes=writes, keep=keep)


def records(function: str, args: dict[str, Any]) -> Call[list[dict[str, Any]]]:
    """The rows of a TABLE function as JSON objects."""
    return _call(function, args, lambda found: [r[0] for r in found], rows=True)


def texts(function: str, args: dict[str, Any]) -> Call[list[str]]:
    """The rows of a function returning SETOF text, as strings (export_records' lines)."""
    return _call(function, args, lambda found: [str(r[0]) for r in found], rows=True)


def first_record(function: str, args: dict[str, Any]) -> Call[dict[str, Any] | None]:
    """The first row of a TABLE function as a JSON object; None when there is none."""
    return _call(function, args, lambda found: found[0][0] if found else None, rows=True)


def json_list(items: Sequence[Mapping[str, Any]] | None) -> Jsonb | None:
    """A list of JSON values as one jsonb value (not a jsonb[] array); each item goes
    as it is, so the database can name a line that is not an object."""
    return None if items is None else Jsonb(list(items), dumps=_json_dumps)


def as_uuid(found: Any) -> UUID:
    return UUID(str(found))


def as_dict(found: Any) -> dict[str, Any]:
    return dict(found)


# ---------------------------------------------------------------- binding to a client


class SyncRunner(Protocol):
    actor: str | None

    def run(self, call: Call[T]) -> T: ...


class AsyncRunner(Protocol):
    actor: str | None

    async def run(self, call: Call[T]) -> T: ...


def _with_actor(
    call: Call[T], builder: Callable[..., Call[T]], args: Any, kwargs: Any, actor: str | None
) -> Call[T]:
    """Rebuild a write call with the client's default actor when none was given."""
    if actor is None or not call.writes or "actor" in call.params:
        return call
    return builder(*args, **{**kwargs, "actor": actor})


def _docstring(builder: Callable[..., Any]) -> str | None:
    """The SQL function's COMMENT (the registry), unwrapped; the generated builder
    holds the same text wrapped for the source."""
    return registry.description(builder.__name__) or builder.__doc__


class SyncMethod(Generic[P, T]):
    """Binds a call builder as a blocking method of :class:`~buildtracker.client.Client`."""

    def __init__(self, builder: Callable[P, Call[T]]) -> None:
        self.builder = builder
        self.__doc__ = _docstring(builder)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> SyncMethod[P, T]: ...
    @overload
    def __get__(self, client: SyncRunner, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(
        self, client: SyncRunner | None, owner: type[Any]
    ) -> SyncMethod[P, T] | Callable[P, T]:
        if client is None:
            return self
        builder = self.builder

        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            call = _with_actor(builder(*args, **kwargs), builder, args, kwargs, client.actor)
            return client.run(call)

        method.__doc__ = self.__doc__
        method.__name__ = builder.__name__
        return method


class AsyncMethod(Generic[P, T]):
    """Binds a call builder as a coroutine method of :class:`~buildtracker.client.AsyncClient`."""

    def __init__(self, builder: Callable[P, Call[T]]) -> None:
        self.builder = builder
        self.__doc__ = _docstring(builder)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> AsyncMethod[P, T]: ...
    @overload
    def __get__(self, client: AsyncRunner, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(
        self, client: AsyncRunner | None, owner: type[Any]
    ) -> AsyncMethod[P, T] | Callable[P, Awaitable[T]]:
        if client is None:
            return self
        builder = self.builder

        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            call = _with_actor(builder(*args, **kwargs), builder, args, kwargs, client.actor)
            return await client.run(call)

        method.__doc__ = self.__doc__
        method.__name__ = builder.__name__
        return method
