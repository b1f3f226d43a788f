"""The call registry: every SQL function of the gateway, described once.

``registry.json`` (next to this file, committed) is generated from the
database's own catalog (``pg_proc``): each function's name, its parameters
(names, types, which have defaults), what it returns, whether it reads or
writes (from its grants), and its ``COMMENT ON FUNCTION``. The clients take
their docstrings from it, and the tests check every surface against it, so a
function added to the schema and missing from Python fails a test.

Regenerate it after changing a function (``make registry``)::

    python -m buildtracker.registry --database-url URL --write

``--check`` exits 1 when the file differs from the database (what the test
``tests/python/test_registry.py`` does).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Kind = Literal["read", "write", "admin"]

# What the catalog holds, per function of schema claude that is part of the
# API: executable by the reader or writer role, or owner-only and documented
# as "Admin only".
CATALOG_QUERY = """
SELECT p.proname,
       COALESCE(p.proargnames, '{}'),
       p.proargmodes::text[],
       ARRAY(SELECT format_type(u.t, NULL)
               FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, n) ORDER BY u.n),
       p.pronargdefaults,
       pg_get_function_result(p.oid),
       p.proretset,
       has_function_privilege('buildtracker_writer', p.oid, 'EXECUTE'),
       has_function_privilege('buildtracker_reader', p.oid, 'EXECUTE'),
       COALESCE(obj_description(p.oid, 'pg_proc'), '')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace
   AND p.prokind = 'f'
   AND (has_function_privilege('buildtracker_writer', p.oid, 'EXECUTE')
        OR obj_description(p.oid, 'pg_proc') LIKE 'Admin only%')
 ORDER BY p.proname, p.oid
"""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # format_type(): uuid, text, text[], integer, jsonb, timestamp with time zone, ...
    required: bool  # no default in SQL


@dataclass(frozen=True)
class Function:
    name: str
    kind: Kind
    parameters: tuple[Parameter, ...]
    returns: str  # pg_get_function_result(): jsonb, SETOF claude.build_tasks, TABLE(...), ...
    description: str

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)


def generate(conn: Any) -> list[dict[str, Any]]:
    """The registry entries, read from the catalog of the database on ``conn`` (psycopg)."""
    entries = []
    for row in conn.execute(CATALOG_QUERY).fetchall():
        name, names, modes, types, n_defaults, returns, _retset, writer, reader, comment = row
        # proargnames covers every argument (also OUT/TABLE columns); proargtypes
        # the input ones only; proargmodes is null when all are IN
        inputs = [n for i, n in enumerate(names) if modes is None or modes[i] in ("i", "b", "v")]
        first_default = len(types) - n_defaults
        kind: Kind = "read" if reader else "write" if writer else "admin"
        entries.append(
            {
                "name": name,
                "kind": kind,
                "parameters": [
                    {"name": n, "type": t, "required": i < first_default}
                    for i, (n, t) in enumerate(zip(inputs, types, strict=True))
                ],
                "returns": returns,
                "description": comment,
            }
        )
    return entries


def dumps(entries: list[dict[str, Any]]) -> str:
    """The file's text: stable, a block per function and a line per parameter, for
    reviewable diffs."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    blocks = []
    for entry in entries:
        parameters = ",\n".join(f"    {one(p)}" for p in entry["parameters"])
        blocks.append(
            f'  {{"name": {one(entry["name"])}, "kind": {one(entry["kind"])},'
            f' "returns": {one(entry["returns"])},\n'
            f'   "parameters": [\n{parameters}\n   ],\n'
            if parameters
            else f'  {{"name": {one(entry["name"])}, "kind": {one(entry["kind"])},'
            f' "returns": {one(entry["returns"])},\n   "parameters": [],\n'
        )
        blocks[-1] += f'   "description": {one(entry["description"])}}}'
    return '{"functions": [\n' + ",\n".join(blocks) + "\n]}\n"


@cache
def functions() -> dict[str, Function]:
    """The committed registry, by function name."""
    text = resources.files("buildtracker").joinpath("registry.json").read_text(encoding="utf-8")
    return {
        entry["name"]: Function(
            name=entry["name"],
            kind=entry["kind"],
            parameters=tuple(Parameter(**p) for p in entry["parameters"]),
            returns=entry["returns"],
            description=entry["description"],
        )
        for entry in json.loads(text)["functions"]
    }


def description(name: str) -> str | None:
    """The SQL comment of a function, for docstrings; None when it is not in the registry."""
    function = functions().get(name)
    return function.description if function else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m buildtracker.registry", description=__doc__)
    parser.add_argument("--database-url", required=True)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite registry.json")
    action.add_argument("--check", action="store_true", help="exit 1 when it differs")
    args = parser.parse_args(argv)
    import psycopg

    with psycopg.connect(args.database_url) as conn:
        text = dumps(generate(conn))
    target = resources.files("buildtracker").joinpath("registry.json")
    if args.write:
        with resources.as_file(target) as path:
            path.write_text(text, encoding="utf-8")
        return 0
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    if current != text:
        print("registry.json differs from the database: run make registry", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
