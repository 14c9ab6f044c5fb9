"""Where Graphviz put everything, and where edge labels go on their edges.

`dot -Tjson0` lays a picture out; `read_placement` keeps the positions (nodes,
edge splines, cluster boxes, the title). The picture is then drawn from a DOT
source that carries those positions, so labels can be moved before drawing:
`place_labels` sets each edge label on its own line, at the spot along it
that collides least with nodes, other edges and other labels. With the
label's backdrop hiding the line underneath, a label can never be read as
belonging to a neighbouring edge.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from mlsd.errors import RenderError

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Where along an edge (as a share of its length) a label may sit, best first.
_STOPS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
_SAMPLES = 24  # points per Bézier segment


@dataclass(frozen=True)
class EdgePlace:
    """One edge as laid out: its spline (Graphviz's `pos`) and sampled path."""

    pos: str
    path: tuple[Point, ...]


@dataclass(frozen=True)
class Placement:
    """A laid-out picture: positions in points, y upwards, as Graphviz writes them."""

    bb: str
    title_at: str | None
    nodes: dict[str, Point]
    node_boxes: dict[str, Box]
    edges: dict[str, EdgePlace]  # by the edge's `id`
    clusters: dict[str, tuple[str, str | None]]  # name -> (bb, label position)
    labels: dict[str, Point] = field(default_factory=dict)  # edge id -> label centre

    def box(self) -> Box:
        """The bounding box of the layout."""
        x0, y0, x1, y1 = (float(v) for v in self.bb.split(","))
        return x0, y0, x1, y1

    def size(self) -> tuple[float, float]:
        """Width and height of the layout, in points."""
        x0, y0, x1, y1 = self.box()
        return x1 - x0, y1 - y0


def read_placement(layout_json: bytes, what: str) -> Placement:
    """The positions in `dot -Tjson0` output; a RenderError naming `what` if there are none."""
    try:
        data = json.loads(layout_json)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("bb"), str):
        raise RenderError(f"{what}: Graphviz returned no layout")
    return _placement(data)


def _placement(data: dict) -> Placement:
    nodes: dict[str, Point] = {}
    boxes: dict[str, Box] = {}
    clusters: dict[str, tuple[str, str | None]] = {}
    for item in data.get("objects", []):
        if "bb" in item:
            clusters[item["name"]] = (item["bb"], item.get("lp"))
        elif "pos" in item:
            x, y = _point(item["pos"])
            nodes[item["name"]] = (x, y)
            half_w, half_h = float(item["width"]) * 36, float(item["height"]) * 36
            boxes[item["name"]] = (x - half_w, y - half_h, x + half_w, y + half_h)
    edges = {
        e["id"]: EdgePlace(e.get("pos", ""), tuple(spline_path(e.get("pos", ""))))
        for e in data.get("edges", [])
        if "id" in e
    }
    return Placement(data["bb"], data.get("lp"), nodes, boxes, edges, clusters)


def _point(text: str) -> Point:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def spline_path(pos: str) -> list[Point]:
    """Points along a Graphviz spline (`pos` of an edge), end to end."""
    points = [_point(p) for p in pos.split() if not p.startswith(("e,", "s,"))]
    if len(points) < 4:
        return points
    path = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i : i + 4]
        for step in range(1, _SAMPLES + 1):
            t = step / _SAMPLES
            u = 1 - t
            path.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )
    return path


def _along(path: Sequence[Point], share: float) -> Point:
    """The point `share` of the way along `path` by length."""
    pairs = list(itertools.pairwise(path))
    lengths = [math.dist(a, b) for a, b in pairs]
    target = sum(lengths) * share
    for (a, b), length in zip(pairs, lengths, strict=True):
        if target <= length and length > 0:
            t = target / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        target -= length
    return path[-1]


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


class _Grid:
    """Items bucketed by the cells of a square grid, to find what lies near a box quickly."""

    def __init__(self, cell: float = 48.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[Box, str]]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self.cell
        return [
            (i, j)
            for i in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1)
            for j in range(math.floor(box[1] / c), math.floor(box[3] / c) + 1)
        ]

    def add(self, box: Box, owner: str) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append((box, owner))

    def near(self, box: Box) -> set[tuple[Box, str]]:
        return {item for key in self._keys(box) for item in self.cells.get(key, ())}


def place_labels(placement: Placement, sizes: dict[str, tuple[float, float]]) -> Placement:
    """Put the label of every edge in `sizes` (id -> width, height in points) on its edge.

    Each label goes to the stop along its edge that covers the least of the
    nodes, the other labels and the other edges; longer edges choose first,
    as they have more room to move along.
    """
    nodes = _Grid()
    for name, box in placement.node_boxes.items():
        nodes.add(box, name)
    lines = _Grid(24.0)
    for owner, edge in placement.edges.items():
        for x, y in edge.path[::2]:
            lines.add((x, y, x, y), owner)
    labels = _Grid()
    placed: dict[str, Point] = {}
    for index in sorted(sizes, key=lambda i: (-len(placement.edges[i].path), i)):
        path = placement.edges[index].path
        if len(path) < 2:
            continue
        width, height = sizes[index]
        best: tuple[float, Point] | None = None
        for rank, share in enumerate(_STOPS):
            x, y = _along(path, share)
            box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            cost = rank * 2.0
            cost += sum(_overlap(box, other) for other, _ in nodes.near(box)) * 4
            cost += sum(_overlap(box, other) for other, _ in labels.near(box)) * 4
            crossing = {owner for point, owner in lines.near(box) if owner != index and _inside(point[:2], box)}
            cost += 150.0 * len(crossing)
            if best is None or cost < best[0]:
                best = (cost, (x, y))
        assert best is not None
        placed[index] = best[1]
        x, y = best[1]
        labels.add((x - width / 2, y - height / 2, x + width / 2, y + height / 2), index)
    return Placement(
        placement.bb,
        placement.title_at,
        placement.nodes,
        placement.node_boxes,
        placement.edges,
        placement.clusters,
        placed,
    )


def _inside(point: tuple[float, ...], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
