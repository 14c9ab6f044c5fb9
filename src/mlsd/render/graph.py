"""Build the Graphviz source of a spec's picture with the `diagrams` library.

`diagrams` is driven in memory: the `with` block never renders, never opens a
viewer and restores the previous context even when building fails. Node and
cluster names come from spec ids, so the same spec always gives the same DOT.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from diagrams import Cluster, Diagram, Edge, Node, getcluster, getdiagram, setcluster, setdiagram
from graphviz import nohtml

from mlsd.catalogue import KINDS, STAGES, tech
from mlsd.model import Edge as ModelEdge
from mlsd.model import Spec
from mlsd.render.labels import ems, wrap
from mlsd.render.placement import Placement
from mlsd.render.theme import FLOW_STYLES, FONT, Theme

# Attributes that only matter when drawing; they are passed on the command
# line at render time so that one layout serves every preset.
_RENDER_ONLY = ("pad", "dpi", "bgcolor", "size", "ratio")

# Sizes (points, or inches where named so). A picture is read fitted to a
# slide, so what counts is the text against the drawing's extent: labels are
# large and icons small next to them, and the gaps are tight.
NODE_FONT = 18
EDGE_FONT = 13
GROUP_FONT = 15
TITLE_FONT = 24
LEGEND_FONT = 13
ICON_HEIGHT_IN = 0.72
# How wide a line of a component's label may be, in ems of the node font:
# a little wider than the icon, so most names take two lines at most.
LINE_EM = 6.6
EDGE_LINE_EM = 8.0
# Marks what a reveal frame hides; the SVG writer drops their drawing (Graphviz
# writes transparent text as white in SVG).
HIDDEN_CLASS = "mlsd_hidden"


@dataclass(frozen=True)
class Frame:
    """What a picture shows: the components drawn and those merely reserving space."""

    shown: frozenset[str] | None = None  # None: everything
    title: str | None = None


class _Canvas(Diagram):
    """A `diagrams.Diagram` that never renders and restores the outer context."""

    def __enter__(self) -> _Canvas:
        self._outer = (getdiagram(), getcluster())
        setdiagram(self)
        return self

    def __exit__(self, *exc: object) -> None:
        setdiagram(self._outer[0])
        setcluster(self._outer[1])


def new_canvas(
    name: str, theme: Theme, heading: str | None, *, node_fontcolor: str | None = None, direction: str = "LR"
) -> _Canvas:
    """An empty `diagrams` canvas with mlsd's layout and type; `heading` is an HTML-like label."""
    canvas = _Canvas(
        name="",
        filename=name,
        show=False,
        outformat="svg",
        curvestyle="curved",
        graph_attr={
            "rankdir": direction,
            # Splines, unlike diagrams' default ortho, keep edge labels on their edges.
            "splines": "spline",
            "nodesep": "0.3",
            "ranksep": "0.25",
            "newrank": "true",
            "fontname": FONT,
            "fontsize": str(TITLE_FONT),
            "fontcolor": theme.text,
            "labelloc": "t",
            **({"label": heading} if heading else {}),
        },
        node_attr={
            "fontname": FONT,
            "fontsize": str(NODE_FONT),
            "fontcolor": node_fontcolor or theme.text,
        },
        edge_attr={"fontname": FONT, "fontsize": str(EDGE_FONT)},
    )
    if not heading:
        canvas.dot.graph_attr.pop("label", None)
    for key in _RENDER_ONLY:
        canvas.dot.graph_attr.pop(key, None)
    # The graph's name is the spec id; diagrams would set it from the title.
    canvas.dot.name = name
    return canvas


def icon_for(spec: Spec, component_id: str) -> tuple[Path, bool]:
    """The icon file of a component and whether it shows the component's tech."""
    custom = dict(spec.source.icons).get(component_id) if spec._source else None
    if custom is not None:
        return custom, False
    comp = spec.components[component_id]
    known = tech(comp.tech) if comp.tech else None
    if known is not None and known.icon is not None:
        return known.icon.path(), True
    return KINDS[comp.kind].icon.path(), False


def node_label(spec: Spec, component_id: str, tech_in_icon: bool) -> str:
    """The label under the icon: the label, then the tech when the icon does not show it."""
    comp = spec.components[component_id]
    lines = wrap(spec.label(component_id), LINE_EM)
    if comp.tech and not tech_in_icon:
        known = tech(comp.tech)
        lines += wrap(known.label if known else comp.tech, LINE_EM)
    elif comp.tech and tech_in_icon:
        known = tech(comp.tech)
        if known and known.label.lower() != lines[0].lower():
            lines += wrap(known.label, LINE_EM)
    return "\n".join(lines)


def build_dot(
    spec: Spec,
    theme: Theme,
    *,
    include: Iterable[str] | None = None,
    frame: Frame = Frame(),
    title: str | None = None,
    heading: bool = True,
    direction: str = "LR",
    placed: Placement | None = None,
    legend_kinds: Sequence[str] = (),
) -> str:
    """The DOT source of the picture of `include` (default: every component).

    `heading` False leaves the title out (a slide has its own); `direction` is
    Graphviz's rankdir, LR or TB. Without `placed` the source is for `dot` to
    lay out; with it, every element carries its position (`neato -n2` draws it
    as it is), edge labels sit where `place_labels` put them, and a legend of
    `legend_kinds` is drawn under the picture.
    """
    members = set(include) if include is not None else set(spec.components)
    order = {stage: i for i, stage in enumerate(STAGES)}
    ranked = sorted(
        (c for c in spec.components if c in members),
        key=lambda c: (order[spec.stage(c)], list(spec.components).index(c)),
    )
    edges = [e for e in spec.edges if e.source in members and e.target in members]

    canvas = new_canvas(
        spec.id,
        theme,
        _heading(title or spec.title) if heading else None,
        node_fontcolor=theme.text if theme.node_fill is None else "#1E2227",
        direction=direction,
    )

    with canvas:
        nodes = {}
        children: dict[str | None, list[str]] = {}
        for gid, group in spec.groups.items():
            children.setdefault(group.parent, []).append(gid)

        def add_nodes(group_id: str | None) -> None:
            for cid in ranked:
                if spec.components[cid].group == group_id:
                    at = placed.nodes.get(cid) if placed is not None else None
                    nodes[cid] = _node(spec, cid, theme, _visible(frame, cid), at)

        def add_group(group_id: str, depth: int) -> None:
            inside = set(spec.group_members(group_id)) & members
            if not inside:
                return
            shown = any(_visible(frame, c) for c in inside)
            label = spec.group_label(group_id)
            attrs = {
                "label": html_label(label),
                "fontname": FONT,
                "fontsize": str(GROUP_FONT),
                "fontcolor": theme.text if shown else "transparent",
                "bgcolor": theme.cluster_fills[depth % len(theme.cluster_fills)] if shown else "transparent",
                "pencolor": theme.cluster_border if shown else "transparent",
                **({} if shown else {"class": HIDDEN_CLASS}),
                "style": "rounded",
                "margin": "16",
            }
            if placed is not None and f"cluster_{group_id}" in placed.clusters:
                bb, at = placed.clusters[f"cluster_{group_id}"]
                attrs.update(bb=bb, **({"lp": at} if at else {}))
            with Cluster(label, graph_attr=attrs) as cluster:
                # Two groups with one label must stay two boxes: name them by id.
                cluster.dot.name = f"cluster_{group_id}"
                add_nodes(group_id)
                for child in sorted(children.get(group_id, []), key=_group_rank(spec, ranked)):
                    add_group(child, depth + 1)

        add_nodes(None)
        for gid in sorted(children.get(None, []), key=_group_rank(spec, ranked)):
            add_group(gid, 0)

        backwards = backward_edges(spec, edges)
        for index, edge in enumerate(edges):
            style = FLOW_STYLES[edge.kind]
            visible = _visible(frame, edge.source, edge.target)
            colour = theme.flow_colours[edge.kind] if visible else "transparent"
            attrs = {
                "color": colour,
                "fontcolor": theme.muted_text if visible else "transparent",
                "fontname": FONT,
                "fontsize": str(EDGE_FONT),
                "style": style.style,
                "arrowhead": style.arrowhead,
                "penwidth": str(style.penwidth),
            }
            if not visible:
                attrs["class"] = HIDDEN_CLASS
            backdrop = theme.background if visible else "transparent"
            back = index in backwards
            text = edge_label(edge.label, backdrop) if edge.label else None
            if placed is None:
                if text is not None:
                    attrs["label"] = text
            else:
                attrs["pos"] = placed.edges[edge_id(spec, index)].pos
                if text is not None and edge_id(spec, index) in placed.labels:
                    x, y = placed.labels[edge_id(spec, index)]
                    attrs.update(label=text, lp=f"{x:.2f},{y:.2f}")
            attrs["id"] = edge_id(spec, index)
            if back:
                # Laid out from its target to its source and drawn with the arrow
                # at the far end: the router then takes it the short way between
                # the ranks instead of around the whole drawing.
                attrs["arrowtail"] = attrs.pop("arrowhead")
                nodes[edge.target] << Edge(**attrs) << nodes[edge.source]
            else:
                nodes[edge.source] >> Edge(**attrs) >> nodes[edge.target]

        if placed is not None:
            _pin(canvas, placed)
            _legend(canvas, legend_kinds, theme, placed.box())

    return canvas.dot.source


def edge_id(spec: Spec, index: int) -> str:
    """The `id` of the `index`-th edge drawn: it names the edge in the layout and in the SVG."""
    return f"{spec.id}__e{index}"


def _pin(canvas: _Canvas, placed: Placement) -> None:
    """Give the graph its laid-out box and title position."""
    canvas.dot.graph_attr["bb"] = placed.bb
    if placed.title_at:
        canvas.dot.graph_attr["lp"] = placed.title_at


def backward_edges(spec: Spec, edges: Sequence[ModelEdge]) -> frozenset[int]:
    """Indices of the edges that run against the flow of the picture.

    Feedback (outcomes on their way to labels) and control (alerts that start
    a retraining) close loops: laid out forwards, each would either pull what
    it feeds behind the live system or make a cycle that Graphviz breaks at
    random. Such an edge is laid out from its target to its source when it
    goes into an earlier stage, or when its target already leads to its source.
    """
    forward = [e for e in edges if e.kind not in _LOOP_KINDS]
    found = set()
    for index, edge in enumerate(edges):
        if edge.kind not in _LOOP_KINDS:
            continue
        earlier = STAGES.index(spec.stage(edge.target)) < STAGES.index(spec.stage(edge.source))
        if earlier or edge.source in _downstream(edge.target, forward):
            found.add(index)
    return frozenset(found)


_LOOP_KINDS = ("feedback", "control")


def _downstream(start: str, edges: Sequence[ModelEdge]) -> set[str]:
    seen = {start}
    frontier = [start]
    while frontier:
        frontier = [e.target for e in edges if e.source in frontier and e.target not in seen]
        seen.update(frontier)
    return seen


def edge_label(text: str, backdrop: str) -> str:
    """An edge label as an HTML-like label on a patch of the background colour, so a
    line crossing it never runs through the words."""
    lines = "<br/>".join(_escape(line) for line in _edge_lines(text))
    return f'<<table border="0" cellborder="0" cellpadding="1" cellspacing="0" bgcolor="{backdrop}"><tr><td>{lines}</td></tr></table>>'


def _visible(frame: Frame, *ids: str) -> bool:
    return frame.shown is None or all(i in frame.shown for i in ids)


def _group_rank(spec: Spec, ranked: list[str]):
    def key(group_id: str) -> int:
        positions = [ranked.index(c) for c in spec.group_members(group_id) if c in ranked]
        return min(positions, default=len(ranked))

    return key


def _plain_label(spec: Spec, component_id: str) -> str:
    """The label and tech on one line, unwrapped, for tooltips."""
    comp = spec.components[component_id]
    known = tech(comp.tech) if comp.tech else None
    parts = [spec.label(component_id)] + ([known.label if known else comp.tech] if comp.tech else [])
    return " · ".join(parts)


def _node(spec: Spec, component_id: str, theme: Theme, visible: bool, at: tuple[float, float] | None) -> Node:
    icon, tech_in_icon = icon_for(spec, component_id)
    label = node_label(spec, component_id, tech_in_icon)
    comp = spec.components[component_id]
    attrs = {"tooltip": escaped_text(comp.description or _plain_label(spec, component_id))}
    if not visible:
        # Hidden, not removed: the node keeps its size and place in the layout,
        # so every frame of a reveal lines up with the full picture.
        attrs = {"fontcolor": "transparent", "class": HIDDEN_CLASS}
    if at is not None:
        attrs["pos"] = f"{at[0]:.2f},{at[1]:.2f}"
    card = theme.node_fill if visible else None
    return component_node(component_id, component_label(icon if visible else None, label, card), **attrs)


def component_label(icon: Path | None, text: str, card: str | None = None) -> str:
    """A component as an HTML-like label: its icon at a fixed size, the text lines under it.

    `icon` None keeps the icon's room empty (a hidden component of a reveal
    frame); `card` is a fill behind the whole label, for icons that vanish on
    a dark background.
    """
    size = round(ICON_HEIGHT_IN * 72)
    image = f'<img src="{_escape(str(icon))}" scale="true"/>' if icon is not None else " "
    lines = "<br/>".join(_escape(line) for line in text.split("\n"))
    fill = f' bgcolor="{card}" style="rounded"' if card else ""
    return (
        f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="3"{fill}>'
        f'<tr><td fixedsize="true" width="{size}" height="{size}">{image}</td></tr>'
        f"<tr><td>{lines}</td></tr></table>>"
    )


def component_node(node_id: str, label: str, **attrs: str) -> Node:
    """A node drawn entirely by its HTML-like label: no shape, no size of its own."""
    return Node(
        label,
        nodeid=node_id,
        shape="plaintext",
        fixedsize="false",
        width="0",
        height="0",
        margin="0.02",
        imagescale="false",
        **attrs,
    )


def _heading(title: str) -> str:
    """The picture's title as an HTML-like label."""
    return f"<<b>{_escape(title)}</b>>"


def kinds_drawn(spec: Spec, include: Iterable[str] | None = None) -> list[str]:
    """The flow kinds of the edges between the components of `include`, in legend order."""
    members = set(include) if include is not None else set(spec.components)
    return [k for k in FLOW_STYLES if any(e.kind == k and {e.source, e.target} <= members for e in spec.edges)]


def _legend(canvas: _Canvas, kinds: Sequence[str], theme: Theme, box: tuple[float, float, float, float]) -> None:
    """A legend row under a laid-out drawing whose bounding box is `box`.

    Each flow kind is a short edge drawn with its own line, arrowhead and
    colour, and its name: the same marks the picture uses. The row is placed
    after layout, so it never moves a component.
    """
    if not kinds:
        return
    x0, y0, x1, _ = box
    sample = 34.0  # points of line per sample
    gap = 18.0
    items = [(kind, sample + 12 + ems(kind) * LEGEND_FONT) for kind in kinds]
    rows: list[list[tuple[str, float]]] = [[]]
    for kind, width in items:
        used = sum(w for _, w in rows[-1]) + gap * len(rows[-1])
        if rows[-1] and used + width > max(x1 - x0, 400.0):
            rows.append([])
        rows[-1].append((kind, width))
    hidden = {"shape": "point", "width": "0.01", "height": "0.01", "style": "invis", "label": ""}
    for number, row in enumerate(rows):
        y = y0 - 28.0 - number * 24.0
        width = sum(w for _, w in row) + gap * (len(row) - 1)
        x = (x0 + x1 - width) / 2
        for kind, item_width in row:
            style = FLOW_STYLES[kind]
            key = f"mlsd_legend_{kind}"
            mark = {"class": "mlsd_legend", "tooltip": style.meaning}
            canvas.dot.node(f"{key}_a", pos=f"{x:.1f},{y:.1f}", **hidden, **mark)
            canvas.dot.node(f"{key}_b", pos=f"{x + sample:.1f},{y:.1f}", **hidden, **mark)
            # A straight line with its arrowhead at the end; every edge has its
            # route, so `neato -n2` routes nothing itself.
            end = x + sample - 8
            route = f"e,{x + sample:.1f},{y:.1f} {x:.1f},{y:.1f} {x + (end - x) / 3:.1f},{y:.1f} {x + 2 * (end - x) / 3:.1f},{y:.1f} {end:.1f},{y:.1f}"
            canvas.dot.edge(
                f"{key}_a",
                f"{key}_b",
                pos=route,
                color=theme.flow_colours[kind],
                style=style.style,
                arrowhead=style.arrowhead,
                penwidth=str(style.penwidth),
                arrowsize="0.8",
                dir="forward",
                **mark,
            )
            text_width = ems(kind) * LEGEND_FONT
            canvas.dot.node(
                f"{key}_text",
                label=kind,
                shape="plaintext",
                fontname=FONT,
                fontsize=str(LEGEND_FONT),
                fontcolor=theme.muted_text,
                fixedsize="true",
                width=f"{(text_width + 2) / 72:.3f}",
                height="0.25",
                pos=f"{x + sample + 12 + text_width / 2:.1f},{y:.1f}",
                **mark,
            )
            x += item_width + gap


def label_size(text: str) -> tuple[float, float]:
    """Width and height in points of an edge label as `edge_label` draws it."""
    lines = _edge_lines(text)
    return max(ems(line) for line in lines) * EDGE_FONT + 6, len(lines) * EDGE_FONT * 1.2 + 4


def _edge_lines(text: str) -> list[str]:
    # An edge label never hyphenates: its longest word sets the least width.
    width = max([EDGE_LINE_EM, *(ems(word) for word in text.split())])
    return wrap(text, width)


def _escape(text: str) -> str:
    return html.escape(_printable(text), quote=True)


def html_label(text: str) -> str:
    """Spec text as a Graphviz HTML-like label: nothing in it is DOT or HTML syntax."""
    return "<" + "<br/>".join(_escape(_printable(line)) for line in text.split("\n")) + ">"


def _printable(text: str) -> str:
    # Graphviz rejects control characters in labels (YAML can write them as
    # escapes); show each as the replacement character instead.
    return "".join(c if c.isprintable() or c == " " else "\ufffd" for c in text)


def escaped_text(text: str) -> str:
    """Spec text for a DOT escString (tooltips), shown exactly as written.

    Graphviz decodes entities, then its own backslash escapes (a backslash and
    N is the node name), so '&' becomes an entity and a backslash is written
    four times.
    """
    flat = _printable(" ".join(text.split())).replace("&", "&amp;")
    return nohtml(flat.replace("\\", "\\" * 4).replace('"', '\\"'))
