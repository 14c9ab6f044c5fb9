"""mlsd's own Graphviz layout of a picture, as shapes an editor can hold.

The editable exports (PowerPoint shapes, Excalidraw, draw.io) place every
component, group and flow where the SVG draws it: the picture is laid out
exactly as `mlsd.render` lays it out (same DOT, same direction chooser, same
edge-label placement), and the positions are read back from Graphviz rather
than computed again. Coordinates here are points (1/72 in) from the top left
of the drawing, y downwards, as the editors count them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from mlsd.model import Spec
from mlsd.render import SLIDE_ASPECT, Draft, Picture, RenderOptions, best_layout
from mlsd.render.engine import DEFAULT_TIMEOUT, Budget
from mlsd.render.graph import (
    EDGE_FONT,
    EDGE_LINE_EM,
    GROUP_FONT,
    NODE_FONT,
    edge_id,
    icon_for,
    kinds_drawn,
    label_size,
    node_label,
)
from mlsd.render.labels import ems, wrap
from mlsd.render.placement import Placement
from mlsd.render.theme import COLOURS, FLOW_STYLES, FlowStyle, Theme
from mlsd.vocabulary import DEFAULT_THEME

Point = tuple[float, float]

# Where the parts of a component sit inside its node, as Graphviz draws the
# HTML-like label of `render.graph.component_label`: the icon 46 pt square,
# 6 pt below the top, the text lines under the 52 pt icon cell.
ICON_SIZE = 46.0
ICON_TOP = 6.0
TEXT_TOP = 55.0
LINE_PITCH = 20.0  # Graphviz's line advance for 18 pt DejaVu Sans
MARGIN = 8.0  # around the drawing


@dataclass(frozen=True)
class Rect:
    """A box: left, top, width, height, in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> Point:
        """The middle of the box."""
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass(frozen=True)
class Component:
    """One component: its whole box, the icon and the label's lines under it."""

    id: str
    box: Rect
    icon: Path
    icon_box: Rect
    lines: tuple[str, ...]
    text_box: Rect
    tooltip: str
    group: str | None  # the innermost group it is in


@dataclass(frozen=True)
class Group:
    """A group's box and label; `depth` 0 for a group in no other."""

    id: str
    label: str
    box: Rect
    depth: int
    parent: str | None
    fill: str


@dataclass(frozen=True)
class Flow:
    """One flow: its ends, its route from source to target, and its label."""

    id: str
    source: str
    target: str
    kind: str
    colour: str
    style: FlowStyle
    route: tuple[Point, ...]  # source end first
    lines: tuple[str, ...]  # the label's lines; empty without a label
    label_box: Rect | None


@dataclass(frozen=True)
class Scene:
    """A picture laid out: what it holds, where, and in which colours."""

    title: str
    width: float
    height: float
    direction: str
    theme: Theme
    components: tuple[Component, ...]
    groups: tuple[Group, ...]  # outer groups before the groups inside them
    flows: tuple[Flow, ...]
    kinds: tuple[str, ...]  # the flow kinds drawn, in legend order

    def only(self, shown: frozenset[str]) -> Scene:
        """The scene with only the components in `shown`, the flows between them and the
        groups around them, each where it was: a reveal frame of the whole."""
        parents = {g.id: g.parent for g in self.groups}
        around: set[str] = set()
        for comp in self.components:
            group = comp.group if comp.id in shown else None
            while group is not None and group not in around:
                around.add(group)
                group = parents.get(group)
        flows = tuple(f for f in self.flows if f.source in shown and f.target in shown)
        return replace(
            self,
            components=tuple(c for c in self.components if c.id in shown),
            groups=tuple(g for g in self.groups if g.id in around),
            flows=flows,
            kinds=tuple(k for k in self.kinds if any(f.kind == k for f in flows)),
        )

    def component(self, component_id: str) -> Component:
        """The component with id `component_id`."""
        return next(c for c in self.components if c.id == component_id)


def lay_out(
    spec: Spec,
    *,
    theme: str = DEFAULT_THEME,
    include: Sequence[str] | None = None,
    aspect: float = SLIDE_ASPECT,
    heading: bool = True,
    legend: bool = True,
) -> Scene:
    """The picture of `spec` (or of the components in `include`) laid out as `render` lays it out.

    `heading` and `legend` say whether the picture the positions must match
    has a title and a legend row (they take room, not place, in the scene).
    """
    colours = COLOURS[theme]
    what = f"{spec.source.shown} (editable export)"
    budget = Budget(DEFAULT_TIMEOUT)
    members = set(include) if include is not None else set(spec.components)
    edges = [e for e in spec.edges if e.source in members and e.target in members]
    picture = Picture(spec.id, spec.title, include=tuple(include) if include is not None else None)
    draft = Draft(spec, picture, colours, RenderOptions(heading=heading, legend=legend), what, budget)
    direction, (_, placed) = best_layout(
        draft.place, lambda made: made[1].size(), direction=spec.layout.direction, aspect=aspect
    )
    return _scene(spec, placed, colours, direction, edges, members, list(kinds_drawn(spec, include)))


def _scene(
    spec: Spec,
    placed: Placement,
    theme: Theme,
    direction: str,
    edges: Sequence,
    keep: set[str],
    kinds: list[str],
) -> Scene:
    raw_components = []
    for cid in spec.components:
        if cid not in keep or cid not in placed.node_boxes:
            continue
        icon, tech_in_icon = icon_for(spec, cid)
        lines = tuple(printable(line) for line in node_label(spec, cid, tech_in_icon).split("\n"))
        raw_components.append((cid, _flip(placed.node_boxes[cid]), icon, lines))
    raw_groups = []
    for gid, group in spec.groups.items():
        inside = set(spec.group_members(gid)) & keep
        name = f"cluster_{gid}"
        if inside and name in placed.clusters:
            bb = tuple(float(v) for v in placed.clusters[name][0].split(","))
            raw_groups.append((gid, group.parent, _flip((bb[0], bb[1], bb[2], bb[3]))))
    raw_flows = []
    for index, edge in enumerate(edges):
        eid = edge_id(spec, index)
        if edge.source not in keep or edge.target not in keep or eid not in placed.edges:
            continue
        path = [(x, -y) for x, y in placed.edges[eid].path]
        source = _flip(placed.node_boxes[edge.source])
        if path and _distance(path[-1], source) < _distance(path[0], source):
            path.reverse()  # laid out against the flow (see render.graph.backward_edges)
        label = None
        label_lines: tuple[str, ...] = ()
        if edge.label:
            label_lines = tuple(printable(line) for line in edge_lines(edge.label))
            if eid in placed.labels:
                x, y = placed.labels[eid]
                w, h = label_size(edge.label)
                label = (x - w / 2, -y - h / 2, w, h)
        raw_flows.append((eid, edge, tuple(path), label_lines, label))

    boxes = [b for _, b, _, _ in raw_components] + [b for _, _, b in raw_groups]
    boxes += [label for *_, label in raw_flows if label is not None]
    xs = [b[0] for b in boxes] + [b[0] + b[2] for b in boxes] + [p[0] for f in raw_flows for p in f[2]]
    ys = [b[1] for b in boxes] + [b[1] + b[3] for b in boxes] + [p[1] for f in raw_flows for p in f[2]]
    left, top = (min(xs) - MARGIN, min(ys) - MARGIN) if xs else (0.0, 0.0)
    right, bottom = (max(xs) + MARGIN, max(ys) + MARGIN) if xs else (2 * MARGIN, 2 * MARGIN)

    def rect(box: tuple[float, float, float, float]) -> Rect:
        return Rect(round(box[0] - left, 2), round(box[1] - top, 2), round(box[2], 2), round(box[3], 2))

    components = []
    for cid, box, icon, lines in raw_components:
        whole = rect(box)
        icon_w, icon_h = _fitted(icon)
        icon_box = Rect(
            round(whole.x + whole.w / 2 - icon_w / 2, 2),
            round(whole.y + ICON_TOP + (ICON_SIZE - icon_h) / 2, 2),
            icon_w,
            icon_h,
        )
        text_box = Rect(whole.x, whole.y + TEXT_TOP, whole.w, round(max(whole.h - TEXT_TOP, LINE_PITCH), 2))
        comp = spec.components[cid]
        tooltip = printable(" ".join((comp.description or "").split()))
        components.append(Component(cid, whole, icon, icon_box, lines, text_box, tooltip, comp.group))
    depth: dict[str, int] = {}
    for gid, parent, _ in raw_groups:
        depth[gid] = 0 if parent is None else depth.get(parent, -1) + 1
    groups = sorted(
        (
            Group(
                gid,
                printable(spec.group_label(gid)),
                rect(box),
                depth[gid],
                parent,
                theme.cluster_fills[depth[gid] % len(theme.cluster_fills)],
            )
            for gid, parent, box in raw_groups
        ),
        key=lambda g: g.depth,
    )
    flows = tuple(
        Flow(
            eid,
            edge.source,
            edge.target,
            edge.kind,
            theme.flow_colours[edge.kind],
            FLOW_STYLES[edge.kind],
            tuple((round(x - left, 2), round(y - top, 2)) for x, y in path),
            lines,
            rect(label) if label is not None else None,
        )
        for eid, edge, path, lines, label in raw_flows
    )
    shown_kinds = tuple(k for k in kinds if any(f.kind == k for f in flows))
    return Scene(
        printable(spec.title),
        round(right - left, 2),
        round(bottom - top, 2),
        direction,
        theme,
        tuple(components),
        tuple(groups),
        flows,
        shown_kinds,
    )


def _fitted(icon: Path) -> tuple[float, float]:
    """The icon's size in the ICON_SIZE square, its aspect kept (as Graphviz's `scale="true"`)."""
    if icon.suffix.lower() != ".png":
        return ICON_SIZE, ICON_SIZE
    with Image.open(icon) as image:
        width, height = image.size
    scale = ICON_SIZE / max(width, height, 1)
    return round(width * scale, 2), round(height * scale, 2)


def _flip(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Graphviz's (x0, y0, x1, y1), y upwards, as (left, top, width, height), y downwards."""
    x0, y0, x1, y1 = box
    return x0, -y1, x1 - x0, y1 - y0


def _distance(point: Point, box: tuple[float, float, float, float]) -> float:
    x, y = point
    dx = max(box[0] - x, 0.0, x - (box[0] + box[2]))
    dy = max(box[1] - y, 0.0, y - (box[1] + box[3]))
    return math.hypot(dx, dy)


def printable(text: str) -> str:
    """Spec text with each control character shown as the replacement character, as the
    picture shows it (the formats cannot hold them, or hold them as escapes)."""
    return "".join(c if c.isprintable() or c == " " else "\ufffd" for c in text)


def edge_lines(text: str) -> list[str]:
    """An edge label's lines, wrapped as `render.graph.edge_label` wraps them (never hyphenated)."""
    width = max([EDGE_LINE_EM, *(ems(word) for word in text.split())])
    return wrap(text, width)


# Font sizes the exports write, in points at the scene's own scale.
FONTS = {"component": NODE_FONT, "flow": EDGE_FONT, "group": GROUP_FONT}
