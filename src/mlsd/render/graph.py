"""Build the Graphviz source of a spec's picture with the `diagrams` library.

`diagrams` is driven in memory: the `with` block never renders, never opens a
viewer and restores the previous context even when building fails. Node and
cluster names come from spec ids, so the same spec always gives the same DOT.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from diagrams import Cluster, Diagram, Edge, getcluster, getdiagram, setcluster, setdiagram
from diagrams.custom import Custom
from graphviz import nohtml

from mlsd.catalogue import KINDS, STAGES, tech
from mlsd.model import Spec
from mlsd.render.theme import FLOW_STYLES, FONT, Theme

# Attributes that only matter when drawing; they are passed on the command
# line at render time so that one layout serves every preset.
_RENDER_ONLY = ("pad", "dpi", "bgcolor", "size", "ratio")
# How wide a label line may be, in ems of the 12 pt label font: the node is
# 1.5 in (108 pt) wide, less a little margin.
LINE_EM = 8.4
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

    def __exit__(self, *exc: object) -> bool:
        setdiagram(self._outer[0])
        setcluster(self._outer[1])
        return False


def new_canvas(name: str, theme: Theme, heading: str, *, node_fontcolor: str | None = None) -> _Canvas:
    """An empty `diagrams` canvas with mlsd's layout and type; `heading` is an HTML-like label."""
    canvas = _Canvas(
        name="",
        filename=name,
        show=False,
        outformat="svg",
        curvestyle="curved",
        graph_attr={
            "rankdir": "LR",
            # Splines, unlike diagrams' default ortho, keep edge labels on their edges.
            "splines": "spline",
            "nodesep": "0.7",
            "ranksep": "1.0",
            "newrank": "true",
            "fontname": FONT,
            "fontsize": "15",
            "fontcolor": theme.text,
            "labelloc": "t",
            "label": heading,
        },
        node_attr={
            "fontname": FONT,
            "fontsize": "12",
            "fontcolor": node_fontcolor or theme.text,
            # The icon is scaled to the node's width and the label lines sit below
            # it, so the width also bounds a label line (see `wrap`).
            "width": "1.5",
        },
        edge_attr={"fontname": FONT},
    )
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
    lines = wrap(spec.label(component_id))
    if comp.tech and not tech_in_icon:
        known = tech(comp.tech)
        lines += wrap(known.label if known else comp.tech)
    elif comp.tech and tech_in_icon:
        known = tech(comp.tech)
        if known and known.label.lower() != lines[0].lower():
            lines += wrap(known.label)
    return "\n".join(lines)


def build_dot(
    spec: Spec,
    theme: Theme,
    *,
    include: Iterable[str] | None = None,
    frame: Frame = Frame(),
    title: str | None = None,
) -> str:
    """The DOT source of the picture of `include` (default: every component)."""
    members = set(include) if include is not None else set(spec.components)
    order = {stage: i for i, stage in enumerate(STAGES)}
    ranked = sorted(
        (c for c in spec.components if c in members),
        key=lambda c: (order[spec.stage(c)], list(spec.components).index(c)),
    )
    edges = [e for e in spec.edges if e.source in members and e.target in members]
    # The legend lists every style of the whole picture, so every frame of a
    # reveal has the same heading and therefore the same layout.
    kinds_used = [k for k in FLOW_STYLES if any(e.kind == k for e in edges)]

    canvas = new_canvas(
        spec.id,
        theme,
        _heading(title or spec.title, kinds_used, theme),
        node_fontcolor=theme.text if theme.node_fill is None else "#1E2227",
    )

    with canvas:
        nodes = {}
        children: dict[str | None, list[str]] = {}
        for gid, group in spec.groups.items():
            children.setdefault(group.parent, []).append(gid)

        def add_nodes(group_id: str | None) -> None:
            for cid in ranked:
                if spec.components[cid].group == group_id:
                    nodes[cid] = _node(spec, cid, theme, _visible(frame, cid))

        def add_group(group_id: str, depth: int) -> None:
            inside = set(spec.group_members(group_id)) & members
            if not inside:
                return
            shown = any(_visible(frame, c) for c in inside)
            label = spec.group_label(group_id)
            attrs = {
                "label": html_label(label),
                "fontname": FONT,
                "fontsize": "13",
                "fontcolor": theme.text if shown else "transparent",
                "bgcolor": theme.cluster_fills[depth % len(theme.cluster_fills)] if shown else "transparent",
                "pencolor": theme.cluster_border if shown else "transparent",
                **({} if shown else {"class": HIDDEN_CLASS}),
                "style": "rounded",
                "margin": "16",
            }
            with Cluster(label, graph_attr=attrs) as cluster:
                # Two groups with one label must stay two boxes: name them by id.
                cluster.dot.name = f"cluster_{group_id}"
                add_nodes(group_id)
                for child in sorted(children.get(group_id, []), key=_group_rank(spec, ranked)):
                    add_group(child, depth + 1)

        add_nodes(None)
        for gid in sorted(children.get(None, []), key=_group_rank(spec, ranked)):
            add_group(gid, 0)

        for edge in edges:
            style = FLOW_STYLES[edge.kind]
            visible = _visible(frame, edge.source, edge.target)
            colour = theme.flow_colours[edge.kind] if visible else "transparent"
            attrs = {
                "color": colour,
                "fontcolor": theme.muted_text if visible else "transparent",
                "fontname": FONT,
                "fontsize": "11",
                "style": style.style,
                "arrowhead": style.arrowhead,
                "penwidth": str(style.penwidth),
            }
            if not visible:
                attrs["class"] = HIDDEN_CLASS
            attrs.update(placement(edge.kind, html_label(edge.label) if edge.label else None))
            nodes[edge.source] >> Edge(**attrs) >> nodes[edge.target]

    return canvas.dot.source


def placement(kind: str, label: str | None) -> dict[str, str]:
    """How an edge of this flow kind takes part in the layout, and its label."""
    if kind != "feedback":
        return {"label": label} if label else {}
    # A feedback edge runs against the pipeline; ranking by it would pull the
    # data sources behind the serving path. Its label is an xlabel: Graphviz
    # 2.43 crashes on a labelled constraint=false edge beside a parallel one.
    return {"constraint": "false", **({"xlabel": label} if label else {})}


def wrap(text: str, width: float = LINE_EM) -> list[str]:
    """Lines short enough to fit under an icon (nodes have a fixed width).

    Width is measured in ems of the label font, from rough DejaVu Sans advances.
    """
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        current = ""
        for word in line.split(" "):
            candidate = f"{current} {word}" if current else word
            if _ems(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            # A word too long for a line breaks after a hyphen, slash or
            # underscore where it can, else anywhere.
            for piece in re.findall(r"[^-/_]+[-/_]*|[-/_]+", word) if _ems(word) > width else [word]:
                if current and _ems(current + piece) > width:
                    lines.append(current)
                    current = ""
                for char in piece:
                    if _ems(current + char) > width:
                        lines.append(current)
                        current = ""
                    current += char
        lines.append(current)
    return [line for line in lines if line] or [""]


def _ems(text: str) -> float:
    return sum(_advance(c) for c in text)


def _advance(char: str) -> float:
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    if char in "iljI.,:;'|!()[] ":
        return 0.33
    if char in "frt-/":
        return 0.42
    if char in "mwMW@%":
        return 0.95
    if char.isupper() or (char.isdigit() and char not in "1"):
        return 0.68
    return 0.6


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


def _node(spec: Spec, component_id: str, theme: Theme, visible: bool) -> Custom:
    icon, tech_in_icon = icon_for(spec, component_id)
    label = node_label(spec, component_id, tech_in_icon)
    comp = spec.components[component_id]
    attrs: dict[str, str] = {
        "tooltip": escaped_text(comp.description or _plain_label(spec, component_id)),
        # diagrams sizes a node by counting lines; the label below is HTML.
        "height": str(1.9 + 0.4 * label.count("\n")),
    }
    if theme.node_fill is not None:
        attrs.update(shape="box", style="rounded,filled", fillcolor=theme.node_fill, color=theme.node_fill)
    if not visible:
        # Hidden, not removed: the node keeps its size and place in the layout
        # (fixedsize), so every frame of a reveal lines up with the full picture.
        attrs.update(
            image="",
            fontcolor="transparent",
            style="",
            fillcolor="transparent",
            color="transparent",
            **{"class": HIDDEN_CLASS},
        )
        del attrs["tooltip"]
    return Custom(html_label(label), str(icon), nodeid=component_id, **attrs)


def _heading(title: str, kinds_used: list[str], theme: Theme) -> str:
    """An HTML-like label: the title, and a legend of the flow styles drawn."""
    rows = [f'<tr><td><font point-size="20"><b>{_escape(title)}</b></font></td></tr>']
    if kinds_used:
        # A table of its own, so the legend's cells do not share the title's width.
        cells = "".join(
            f'<td><font color="{theme.flow_colours[k]}">{FLOW_STYLES[k].glyph}</font>'
            f'<font color="{theme.muted_text}" point-size="11"> {k}</font></td>'
            for k in kinds_used
        )
        rows.append(f'<tr><td><table border="0" cellspacing="8"><tr>{cells}</tr></table></td></tr>')
    return '<<table border="0" cellspacing="4">' + "".join(rows) + "</table>>"


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
