"""The architecture as every exporter sees it: safe ids, nested boxes, labelled links.

Exporters only print an `Outline`; the decisions (which groups are drawn,
which id each component gets, which text goes on a node) are made here once,
so Mermaid and D2 show the same picture as Graphviz does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mlsd.catalogue import has_trait, tech
from mlsd.model import Spec
from mlsd.render.theme import FLOW_STYLES, Theme

# Characters XML and most parsers refuse; line breaks are split off before.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


# Graphviz arrowheads as (shape, filled) in the words D2 uses; Mermaid knows
# only arrows and circles, so it keeps the shape's family.
_HEADS = MappingProxyType(
    {
        "normal": ("triangle", True),
        "vee": ("arrow", True),
        "onormal": ("triangle", False),
        "diamond": ("diamond", True),
        "odiamond": ("diamond", False),
        "dot": ("circle", True),
        "odot": ("circle", False),
    }
)


@dataclass(frozen=True)
class Stroke:
    """How a flow kind is drawn, in terms any diagram language can express."""

    colour: str
    width: int  # pixels
    dash: str  # "solid", "dashed" or "dotted"
    head: str  # "triangle", "arrow", "diamond" or "circle"
    filled: bool
    bold: bool


def stroke(kind: str, theme: Theme) -> Stroke:
    """The picture's line style of a flow kind (FLOW_STYLES), so exports keep its legend."""
    style = FLOW_STYLES[kind]
    head, filled = _HEADS.get(style.arrowhead, ("triangle", True))
    # Twice Graphviz's pen width keeps its ranking (a request line is heavier
    # than a stream line, which otherwise differ only in colour in Mermaid);
    # bold is one step up again.
    bold = style.style == "bold"
    width = max(1, round(style.penwidth * 2)) + (1 if bold else 0)
    dash = style.style if style.style in ("dashed", "dotted") else "solid"
    return Stroke(theme.flow_colours[kind], width, dash, head, filled, bold)


@dataclass(frozen=True)
class Node:
    """A component: its safe key, its text lines and its shape."""

    id: str  # the spec's component id
    key: str  # safe in every target language: [a-z0-9_], prefixed, unique
    lines: tuple[str, ...]  # the label's lines, then the tech's
    shape: str  # "client", "store", "stream" or "box"


@dataclass(frozen=True)
class Box:
    """A group that holds at least one shown component, with its nested boxes."""

    id: str
    key: str
    lines: tuple[str, ...]
    nodes: tuple[Node, ...]
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Link:
    """One edge, in `spec.edges` order (so its index is stable)."""

    source: Node
    target: Node
    kind: str
    lines: tuple[str, ...]  # empty: no label


@dataclass(frozen=True)
class Outline:
    """What an exporter prints: loose nodes, nested boxes, links, and the path of every node."""

    title: str
    nodes: tuple[Node, ...]  # in no group
    boxes: tuple[Box, ...]
    links: tuple[Link, ...]
    paths: Mapping[str, tuple[str, ...]]  # node key -> keys of the boxes around it, outermost first

    def kinds_used(self) -> list[str]:
        """The flow kinds of the links, in the legend order of the picture."""
        used = {link.kind for link in self.links}
        return [kind for kind in FLOW_STYLES if kind in used]


def text_lines(text: str | None) -> tuple[str, ...]:
    """Spec text as display lines: control characters dropped, runs of spaces and
    tabs collapsed, empty lines removed (every target draws them differently)."""
    if not text:
        return ()
    lines = (" ".join(_CONTROL.sub(" ", line).split()) for line in text.splitlines())
    return tuple(line for line in lines if line)


def safe_keys(spec: Spec) -> tuple[dict[str, str], dict[str, str]]:
    """Component id -> key and group id -> key: `c_`/`g_` plus the id with `-` as `_`.

    The prefix keeps every key clear of target keywords (Mermaid's `end`,
    `graph`, `style`; D2's `label`, `shape`) and apart from each other; `-`
    is an arrow in both languages. Ids that then collide (`a-b`, `a_b`) get
    `_2`, `_3`... in spec order, so the result is deterministic.
    """
    taken: set[str] = set()

    def key(prefix: str, identifier: str) -> str:
        base = prefix + identifier.replace("-", "_")
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        return candidate

    components = {c: key("c_", c) for c in spec.components}
    groups = {g: key("g_", g) for g in spec.groups}
    return components, groups


def _shape(kind: str) -> str:
    # Diagram languages have no icons we can rely on, so the shape is the only
    # hint of what a component is: people rounded, stores as cylinders, logs as queues.
    if has_trait(kind, "person"):
        return "client"
    if has_trait(kind, "store"):
        return "store"
    if has_trait(kind, "queue"):
        return "stream"
    return "box"


def _node_lines(spec: Spec, cid: str) -> tuple[str, ...]:
    """The label, then the tech's display name when it adds something."""
    comp = spec.components[cid]
    lines = text_lines(spec.label(cid)) or (cid,)
    if comp.tech:
        known = tech(comp.tech)
        shown = text_lines(known.label if known else comp.tech)
        if shown and " ".join(shown).lower() != " ".join(lines).lower():
            lines += shown
    return lines


def outline(spec: Spec, include: Iterable[str] | None = None) -> Outline:
    """The outline of the components in `include` (default: all) and the edges between them."""
    members = set(include) if include is not None else set(spec.components)
    component_keys, group_keys = safe_keys(spec)
    nodes = {
        cid: Node(cid, component_keys[cid], _node_lines(spec, cid), _shape(comp.kind))
        for cid, comp in spec.components.items()
        if cid in members
    }
    children: dict[str | None, list[str]] = {}
    for gid, group in spec.groups.items():
        children.setdefault(group.parent, []).append(gid)
    # Groups nest as deep as the spec says: walk them with a list, not with recursion,
    # outermost first for the paths, innermost first for the boxes.
    order: list[str] = []
    around: dict[str, tuple[str, ...]] = {}
    todo: list[tuple[str, tuple[str, ...]]] = [(gid, ()) for gid in reversed(children.get(None, []))]
    while todo:
        gid, outside = todo.pop()
        order.append(gid)
        around[gid] = (*outside, group_keys[gid])
        todo += [(child, around[gid]) for child in reversed(children.get(gid, []))]
    paths: dict[str, tuple[str, ...]] = {}
    built: dict[str, Box | None] = {}
    for gid in reversed(order):
        own = tuple(n for cid, n in nodes.items() if spec.components[cid].group == gid)
        nested = tuple(b for b in (built[child] for child in children.get(gid, [])) if b)
        # Like the picture: a group with nothing shown inside is not drawn.
        if not own and not nested:
            built[gid] = None
            continue
        for node in own:
            paths[node.key] = around[gid]
        lines = text_lines(spec.group_label(gid)) or (gid,)
        built[gid] = Box(gid, group_keys[gid], lines, own, nested)

    loose = tuple(n for cid, n in nodes.items() if spec.components[cid].group is None)
    for node in loose:
        paths[node.key] = ()
    boxes = tuple(b for b in (built[gid] for gid in children.get(None, [])) if b)
    links = tuple(
        Link(nodes[e.source], nodes[e.target], e.kind, text_lines(e.label))
        for e in spec.edges
        if e.source in members and e.target in members
    )
    title = " ".join(text_lines(spec.title)) or spec.id
    return Outline(title, loose, boxes, links, MappingProxyType(paths))
