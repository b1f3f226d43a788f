"""The dependency graph of a feature's tasks, laid out on the server for SVG.

A layered (Sugiyama-style) layout, small enough to read: each task's layer
is the length of the longest chain of ``blocks`` edges leading to it (a task
stands to the right of everything that blocks it); within a layer, tasks are
ordered by the mean position of their neighbours, sweeping left to right and
back a few times, which removes most crossings of small graphs. ``related``
and ``discovered_from`` edges are drawn (dashed) but do not place tasks.
The database keeps ``blocks`` edges acyclic (SPEC invariants); should a cycle
be met anyway, its tasks are put in one last layer rather than looping.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

NODE_WIDTH = 200
NODE_HEIGHT = 46
GAP_X = 70
GAP_Y = 22
MARGIN = 16
SWEEPS = 4


@dataclass(frozen=True)
class Node:
    """A task of the graph: its id, label, status and page."""

    key: str
    label: str
    status: str
    href: str
    short_id: str


@dataclass(frozen=True)
class Edge:
    """``target`` depends on ``source`` (``source`` must finish first, for ``blocks``)."""

    source: str
    target: str
    kind: str = "blocks"


@dataclass(frozen=True)
class PlacedNode:
    node: Node
    x: int
    y: int
    layer: int

    @property
    def label(self) -> str:
        """The name, cut to what fits in the box."""
        limit = 25
        name = self.node.label
        return name if len(name) <= limit else name[: limit - 1] + "…"


@dataclass(frozen=True)
class PlacedEdge:
    edge: Edge
    path: str


@dataclass(frozen=True)
class Layout:
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    width: int
    height: int
    node_width: int = NODE_WIDTH
    node_height: int = NODE_HEIGHT


def blocks_edges(keys: list[str], edges: list[Edge]) -> list[tuple[str, str]]:
    """The ``blocks`` edges between ``keys`` (the ones that place tasks), once each."""
    known = set(keys)
    found = {
        (e.source, e.target)
        for e in edges
        if e.kind == "blocks" and e.source in known and e.target in known and e.source != e.target
    }
    return sorted(found)


def layers_of(keys: list[str], edges: list[Edge]) -> dict[str, int]:
    """Each key's layer: the longest chain of ``blocks`` edges ending in it
    (Kahn's order); a task nothing blocks is then moved right, next to the
    first task it blocks, so that its edges stay short."""
    successors: dict[str, list[str]] = defaultdict(list)
    predecessors: dict[str, list[str]] = defaultdict(list)
    indegree = dict.fromkeys(keys, 0)
    for source, target in blocks_edges(keys, edges):
        successors[source].append(target)
        predecessors[target].append(source)
        indegree[target] += 1
    layer = dict.fromkeys(keys, 0)
    ready = [k for k in keys if indegree[k] == 0]
    order: list[str] = []
    while ready:
        key = ready.pop()
        order.append(key)
        for nxt in successors[key]:
            layer[nxt] = max(layer[nxt], layer[key] + 1)
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    if len(order) < len(keys):  # a cycle: its tasks go to one last layer
        last = max((layer[k] for k in order), default=-1) + 1
        for key in keys:
            if indegree[key] > 0:
                layer[key] = last
    for key in reversed(order):
        if not predecessors[key] and successors[key]:
            layer[key] = max(layer[key], min(layer[n] for n in successors[key]) - 1)
    return layer


def order_layers(rows: list[list[str]], links: list[tuple[str, str]]) -> list[list[str]]:
    """``rows`` (the keys of each layer) ordered to cross few ``links`` (each
    between adjacent layers): barycentre sweeps, left to right and back."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)
    count = len(rows)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        indices = range(1, count) if forward else range(count - 2, -1, -1)
        for i in indices:
            ref = i - 1 if forward else i + 1
            position = {k: p for p, k in enumerate(rows[ref])}
            current = {k: p for p, k in enumerate(rows[i])}
            rows[i].sort(key=lambda k: (centre(k, neighbours, position, current), current[k]))
    return rows


def centre(
    key: str,
    neighbours: dict[str, list[str]],
    position: dict[str, int],
    current: dict[str, int],
) -> float:
    """The mean position of ``key``'s neighbours in the reference layer (its own
    position when it has none there)."""
    near = [position[n] for n in neighbours[key] if n in position]
    return sum(near) / len(near) if near else float(current[key])


DUMMY = "\x00"  # the prefix of the waypoints of edges that span several layers
DUMMY_HEIGHT = 12


def layout(nodes: list[Node], edges: list[Edge]) -> Layout:
    """Positions for ``nodes`` and paths for the ``edges`` between them. A
    ``blocks`` edge that spans several layers passes through a waypoint in
    each layer between, placed like a (thin) node, so that it goes around the
    tasks in its way rather than through them."""
    keys = [n.key for n in nodes]
    by_key = {n.key: n for n in nodes}
    layer = layers_of(keys, edges)
    count = max(layer.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(count)]
    for key in keys:  # the caller's order is the first guess
        rows[layer[key]].append(key)
    links: list[tuple[str, str]] = []
    waypoints: dict[tuple[str, str], list[str]] = {}
    for source, target in blocks_edges(keys, edges):
        chain = [source]
        for i in range(layer[source] + 1, layer[target]):
            dummy = f"{DUMMY}{len(waypoints)}:{i}"
            rows[i].append(dummy)
            chain.append(dummy)
        chain.append(target)
        waypoints[(source, target)] = chain[1:-1]
        links += list(itertools.pairwise(chain))
    rows = order_layers(rows, links)

    def height(key: str) -> int:
        return DUMMY_HEIGHT if key.startswith(DUMMY) else NODE_HEIGHT

    def column_height(row: list[str]) -> int:
        return sum(height(k) + GAP_Y for k in row) - GAP_Y if row else 0

    tallest = max((column_height(r) for r in rows), default=0)
    ys: dict[str, int] = {}
    placed: dict[str, PlacedNode] = {}
    for i, row in enumerate(rows):
        y = MARGIN + (tallest - column_height(row)) // 2
        for key in row:
            ys[key] = y
            if key in by_key:
                placed[key] = PlacedNode(
                    node=by_key[key], x=MARGIN + i * (NODE_WIDTH + GAP_X), y=y, layer=i
                )
            y += height(key) + GAP_Y
    drawn: list[PlacedEdge] = []
    for edge in edges:
        if edge.source not in placed or edge.target not in placed or edge.source == edge.target:
            continue
        via = waypoints.get((edge.source, edge.target), []) if edge.kind == "blocks" else []
        points = [(int(key.rsplit(":", 1)[1]), ys[key] + DUMMY_HEIGHT // 2) for key in via]
        drawn.append(PlacedEdge(edge, edge_path(placed[edge.source], placed[edge.target], points)))
    # room on the right for the loop of an edge within the last layer
    width = MARGIN * 2 + count * (NODE_WIDTH + GAP_X)
    return Layout(
        nodes=tuple(placed[k] for k in keys),
        edges=tuple(drawn),
        width=width,
        height=MARGIN * 2 + tallest,
    )


def edge_path(
    source: PlacedNode, target: PlacedNode, waypoints: list[tuple[int, int]] | None = None
) -> str:
    """A smooth path from the right side of ``source`` to the left side of
    ``target``, straight through each waypoint's layer (layer, y)."""
    half = NODE_HEIGHT // 2
    if target.layer <= source.layer:
        # same layer or backwards (not a blocks edge): a loop out on the right
        x1, y1 = source.x + NODE_WIDTH, source.y + half
        x2, y2 = target.x + NODE_WIDTH, target.y + half
        reach = x1 + GAP_X // 2 + abs(y2 - y1) // 4
        return f"M{x1},{y1} C{reach},{y1} {reach},{y2} {x2},{y2}"
    x, y = source.x + NODE_WIDTH, source.y + half
    parts = [f"M{x},{y}"]
    stops = [(MARGIN + i * (NODE_WIDTH + GAP_X), wy) for i, wy in waypoints or []]
    stops.append((target.x, target.y + half))
    for i, (sx, sy) in enumerate(stops):
        bend = (sx - x) / 2
        parts.append(f"C{x + bend:.0f},{y} {sx - bend:.0f},{sy} {sx},{sy}")
        x, y = sx, sy
        if i < len(stops) - 1:  # through the waypoint's layer
            x += NODE_WIDTH
            parts.append(f"L{x},{y}")
    return " ".join(parts)
