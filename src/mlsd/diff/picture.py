"""The diff picture: the union of both designs, laid out once, drawn per view.

Every component, flow and group of either design is one element of a single
graph, so a component present on both sides sits at the same place in every
picture. The overlay shows everything, styled by status; the old and new
pictures are the same layout with the elements the side lacks hidden (they
keep their place) and that side's labels and icons. Only when the designs
share too little to make one graph readable are the sides laid out apart.

Components are drawn like the main picture's (`render.graph.component_label`:
an icon over large wrapped text) inside a border that carries their status:
the status word sits in the border's first row and the details of a change
in its last, so neither can drift away from its component. Every face of a
component is drawn at one size, so swapping faces between views moves
nothing. Edge labels are set on their edges after layout, as in the main
picture, and the legend under the drawing shows each status with its real
border and line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from diagrams import Cluster, Diagram, Edge, Node

from mlsd.catalogue import KINDS, STAGES
from mlsd.diff.compare import ADDED, CHANGED, REMOVED, RENAMED, UNCHANGED, FieldChange, SpecDiff
from mlsd.diff.dotedit import Edits, restyle
from mlsd.model import Spec
from mlsd.render import _canvas, best_layout, svg
from mlsd.render.engine import DEFAULT_TIMEOUT, Budget, Layout, arrange, draw, settle
from mlsd.render.graph import (
    EDGE_FONT,
    GROUP_FONT,
    ICON_HEIGHT_IN,
    LEGEND_FONT,
    LINE_EM,
    NODE_FONT,
    TITLE_FONT,
    component_label,
    component_node,
    edge_label,
    escaped_text,
    html_label,
    icon_for,
    label_size,
    new_canvas,
    node_label,
)
from mlsd.render.labels import ems, wrap
from mlsd.render.placement import Placement, place_labels, read_placement
from mlsd.render.theme import COLOURS, FLOW_STYLES, FONT
from mlsd.vocabulary import PRESETS

VIEWS = ("overlay", "side-by-side")
# Below this share of matched components, one union graph is mostly holes.
SHARED_MINIMUM = 0.3
# At most this many changes are listed in a component's border; the report has them all.
NOTE_LINES = 3
# The status word over a component and the notes under it, and the caption lines of the heading.
TAG_FONT = 13
NOTE_FONT = 13
CAPTION_FONT = 15
# Points of room a component's text gets beyond its measured width, so that
# every face of it comes out at exactly the size the layout reserved.
_SLACK = 6
_ICON = round(ICON_HEIGHT_IN * 72)
# component_label pads each of its cells by this much.
_LABEL_PADDING = 3

OLD, NEW = "old", "new"


@dataclass(frozen=True)
class Look:
    """How one status is drawn; the marker, border and line style carry it without colour."""

    marker: str
    word: str
    line: str  # colour of borders and edges
    text: str  # colour of labels, darker for contrast
    fill: str  # cluster background
    border: int  # a component's border width in points; 0: none
    border_style: str  # Graphviz HTML table style of that border
    double: bool  # two thin borders instead of one
    edge_style: str
    edge_width: str

    @property
    def tag(self) -> str:
        """The marker and the word, as drawn over a component and in the legend."""
        return f"{self.marker} {self.word}" if self.marker else self.word


LOOKS: Mapping[str, Look] = MappingProxyType(
    {
        ADDED: Look("+", "added", "#1A7F37", "#116329", "#EEF9F0", 3, "rounded", False, "bold", "2.5"),
        REMOVED: Look("−", "removed", "#CF222E", "#A40E26", "#FFF1F1", 2, "rounded,dashed", False, "dashed", "2"),
        CHANGED: Look("~", "changed", "#BF8700", "#7D4E00", "#FFF8E5", 1, "rounded", True, "solid", "2.5"),
        RENAMED: Look("→", "renamed", "#BF8700", "#7D4E00", "#FFF8E5", 2, "rounded", False, "solid", "2.5"),
        UNCHANGED: Look("", "unchanged", "#AAB2BA", "#6E7781", "#F6F8FA", 0, "rounded", False, "solid", "1.2"),
    }
)
_THEME = COLOURS["light"]


@dataclass(frozen=True)
class Face:
    """What an element shows on one side."""

    label: str
    icon: Path | None = None
    tooltip: str = ""
    notes: tuple[str, ...] = ()  # a component's lines under its text, inside its border


@dataclass(frozen=True)
class Element:
    """One node, edge or cluster of the union graph."""

    dot_id: str
    status: str
    faces: dict[str, Face]  # by side: OLD, NEW; a side without a face lacks the element
    union: Face  # what the overlay (and the layout) shows


@dataclass(frozen=True)
class NodeElement(Element):
    name: str = ""
    groups: dict[str, str | None] = field(default_factory=dict)  # by side; the union uses the new one
    stage: int = 0
    lines: int = 1  # text lines of its tallest face
    note_lines: int = 0  # note lines of the face with most
    width: int = 0  # points of room for the icon and text of its widest face


@dataclass(frozen=True)
class EdgeElement(Element):
    source: str = ""
    target: str = ""
    kind: str = "data"


@dataclass(frozen=True)
class GroupElement(Element):
    gid: str = ""
    parents: dict[str, str | None] = field(default_factory=dict)  # by side, like NodeElement.groups
    width: int = 0  # points of room for its widest label


@dataclass(frozen=True)
class Plan:
    """Everything the union graph is built from."""

    title: str
    counts: str
    nodes: tuple[NodeElement, ...]
    edges: tuple[EdgeElement, ...]
    groups: tuple[GroupElement, ...]
    icons: dict[str, Path] = field(default_factory=dict)
    direction: str | None = None  # written in a spec; None: the one that fits a slide best


@dataclass(frozen=True)
class Pictures:
    """The diff pictures, by file name, and what the reader should know about them."""

    files: dict[str, bytes]
    note: str | None
    warnings: tuple[str, ...]


def picture_stem(diff: SpecDiff) -> str:
    """`<old-id>--<new-id>`: the start of every diff picture's file name."""
    return f"{diff.old.id}--{diff.new.id}"


def draw_diff(
    diff: SpecDiff, view: str = "overlay", captions: tuple[str, str] = ("old", "new"), timeout: float = DEFAULT_TIMEOUT
) -> Pictures:
    """The diff pictures (SVG and PNG) of a view, in memory; file names per docs/diff.md."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    budget = Budget(timeout)
    plan = build_plan(diff)
    stem = picture_stem(diff)
    files: dict[str, bytes] = {}
    warnings: list[str] = []
    if diff.shared < SHARED_MINIMUM:
        note = (
            f"the designs share {len(diff.matches)} of "
            f"{len(diff.old.components) + len(diff.new.components) - len(diff.matches)} components"
            f" ({diff.shared:.0%}, under {SHARED_MINIMUM:.0%}), so the old and the new design are drawn"
            " as two independent layouts: positions do not correspond between the two pictures"
        )
        sides = {
            side: f"{_side_word(side)}: {caption} (independent layout)"
            for side, caption in ((OLD, captions[0]), (NEW, captions[1]))
        }
        width = _caption_width(sides.values())
        for side, spec in ((OLD, diff.old), (NEW, diff.new)):
            heading = _heading(plan, sides[side], width)
            laid_out = _best_layout(plan, side, heading, spec.layout.direction, f"diff picture ({side})", budget)
            drawn, warned = _draw(laid_out, plan, budget)
            warnings += laid_out.warnings + warned
            for ext, data in drawn.items():
                files[f"{stem}.{side}.{ext}"] = data
        return Pictures(files, note, tuple(dict.fromkeys(warnings)))

    headings = {
        "diff": f"overlay: {captions[0]} → {captions[1]}",
        OLD: f"{_side_word(OLD)}: {captions[0]}",
        NEW: f"{_side_word(NEW)}: {captions[1]}",
    }
    # One width for every heading: a wider one would widen that picture's box and shift it.
    width = _caption_width(headings.values())
    laid_out = _best_layout(plan, None, _heading(plan, headings["diff"], width), plan.direction, "diff picture", budget)
    warnings += laid_out.warnings
    views: dict[str, Edits] = {"diff": {}}
    if view != "overlay":
        views = {side: side_edits(plan, side, _heading(plan, headings[side], width)) for side in (OLD, NEW)}
    for name, edits in views.items():
        restyled = Layout(restyle(laid_out.dot, edits), laid_out.width, laid_out.height, ())
        drawn, warned = _draw(restyled, plan, budget)
        warnings += warned
        for ext, data in drawn.items():
            files[f"{stem}.{name}.{ext}"] = data
    return Pictures(files, None, tuple(dict.fromkeys(warnings)))


def _side_word(side: str) -> str:
    return "before" if side == OLD else "after"


def _best_layout(
    plan: Plan, side: str | None, heading: str, direction: str | None, what: str, budget: Budget
) -> Layout:
    """The layout, in the direction written in a spec or else in the one that shows largest on a slide."""
    _, laid_out = best_layout(
        lambda candidate: _lay_out(plan, side, heading, candidate, what, budget),
        lambda made: (made.width, made.height),
        direction=direction,
    )
    return laid_out


def _lay_out(plan: Plan, side: str | None, heading: str, direction: str, what: str, budget: Budget) -> Layout:
    """Lay the graph out with `dot`, set edge labels on their edges and the legend under
    the drawing, and settle everything where it is (as the main picture does)."""
    source = build_dot(plan, side, heading, direction=direction)
    placed = read_placement(arrange(source, what, budget), what)
    sizes = {edge.dot_id: label_size(text) for edge, text in _edges_drawn(plan, side) if text}
    placed = place_labels(placed, sizes)
    return settle(build_dot(plan, side, heading, direction=direction, placed=placed), what, budget)


def _draw(laid_out: Layout, plan: Plan, budget: Budget) -> tuple[dict[str, bytes], tuple[str, ...]]:
    attrs = _canvas(laid_out, PRESETS["default"])
    attrs["bgcolor"] = _THEME.background
    drawn, warnings = draw(laid_out, ["svg", "png"], attrs, "diff picture", budget)
    tree = svg.parse(drawn["svg"].decode("utf-8"))
    svg.inline_icons(tree, plan.icons)
    _fade_unchanged(tree)
    drawn["svg"] = svg.serialise(tree).encode("utf-8")
    return drawn, warnings


def _fade_unchanged(tree: svg.Tree) -> None:
    # Graphviz cannot fade an image; in SVG the unchanged icons are muted here.
    for group in svg.groups_with_class(tree, f"diff-{UNCHANGED}"):
        if "node" in group.get("class").split():
            for image in group.iter(svg.IMAGE):
                image.set("opacity", "0.45")


# --- the plan: the union of both designs -------------------------------------------------------


def build_plan(diff: SpecDiff) -> Plan:
    """The union graph's elements, each with its status and its face on each side."""
    old, new = diff.old, diff.new
    new_of = dict(diff.matches)
    old_of = {n: o for o, n in diff.matches}
    changed = {c.id: c.changes for c in diff.components.changed}
    replaced_by = {r.old: r.new for r in diff.replacements}
    replaces = {r.new: r.old for r in diff.replacements}
    icons: dict[str, Path] = {}
    order = {stage: i for i, stage in enumerate(STAGES)}

    def face(spec: Spec, cid: str) -> Face:
        icon, in_icon = icon_for(spec, cid)
        icons[str(icon)] = icon
        label = node_label(spec, cid, in_icon)
        return Face(label, icon, spec.components[cid].description or label.replace("\n", " "))

    nodes: list[NodeElement] = []
    names: dict[str, str] = {}  # old id -> node name, for the old side's edges
    for cid in new.components:
        o = old_of.get(cid)
        faces = {NEW: face(new, cid)}
        if o is not None:
            faces[OLD] = face(old, o)
            names[o] = cid
        # What a component's border says beside its status word, on each side.
        notes: dict[str, list[str]] = {NEW: [], OLD: []}
        if o is None:
            status = ADDED
            notes[NEW] = [f"replaces {replaces[cid]}"] if cid in replaces else []
        elif cid in changed:
            status = CHANGED
            for side in (NEW, OLD):
                renamed = [f"renamed from {o}" if side == NEW else f"renamed to {cid}"] if o != cid else []
                notes[side] = renamed + [_change_line(c, old, new, side) for c in changed[cid]]
        elif o != cid:
            status, notes = RENAMED, {NEW: [f"from {o}"], OLD: [f"to {cid}"]}
        else:
            status = UNCHANGED
        groups_by_side = {NEW: new.components[cid].group}
        if o is not None:
            groups_by_side[OLD] = old.components[o].group
        stage = order[KINDS[new.components[cid].kind].stage]
        nodes.append(_node(cid, status, faces, NEW, groups_by_side, stage, notes))
    for cid in old.components:
        if cid in new_of:
            continue
        name = cid if cid not in new.components else f"{cid}~old"
        names[cid] = name
        faces = {OLD: face(old, cid)}
        notes = {OLD: [f"replaced by {replaced_by[cid]}"] if cid in replaced_by else []}
        stage = order[KINDS[old.components[cid].kind].stage]
        nodes.append(_node(name, REMOVED, faces, OLD, {OLD: old.components[cid].group}, stage, notes))

    edges = []
    for number, record in enumerate(diff.flow_records, start=1):
        a, b = record.old, record.new
        if b is not None:
            source, target, kind = b.source, b.target, b.kind
        else:
            assert a is not None
            source, target, kind = names[a.source], names[a.target], a.kind
        status = UNCHANGED if record.status == RENAMED else record.status
        faces = {}
        if a is not None:
            faces[OLD] = Face(_edge_text(status, a.label), tooltip=_edge_tip(record.name, a.label, a.note))
        if b is not None:
            faces[NEW] = Face(_edge_text(status, b.label), tooltip=_edge_tip(record.name, b.label, b.note))
        union = faces.get(NEW) or faces[OLD]
        if status == CHANGED:
            union = Face(_changed_edge_text(record.changes, b.label), tooltip=union.tooltip)  # type: ignore[union-attr]
        edges.append(EdgeElement(f"e-{number}", status, faces, union, source=source, target=target, kind=kind))

    groups = []
    group_changes = {c.id: c.changes for c in diff.groups.changed}
    for gid in new.groups:
        label = new.group_label(gid)
        faces = {NEW: Face(label)}
        if gid in old.groups:
            faces[OLD] = Face(old.group_label(gid))
        status = ADDED if gid not in old.groups else CHANGED if gid in group_changes else UNCHANGED
        union_label = label
        if status == CHANGED and faces[OLD].label != label:
            union_label = f"{label} (was: {faces[OLD].label})"
        faces = {side: Face(_marked(status, f.label)) for side, f in faces.items()}
        groups.append(_group(gid, status, faces, Face(_marked(status, union_label)), _parents(old, new, gid)))
    for gid in old.groups:
        if gid not in new.groups:
            label = _marked(REMOVED, old.group_label(gid))
            groups.append(_group(gid, REMOVED, {OLD: Face(label)}, Face(label), _parents(old, new, gid)))

    title = old.title if old.title == new.title else f"{old.title} → {new.title}"
    direction = new.layout.direction or old.layout.direction
    return Plan(title, _legend_counts(diff), tuple(nodes), tuple(edges), tuple(groups), icons, direction)


def _node(
    name: str,
    status: str,
    faces: dict[str, Face],
    union: str,
    groups: dict[str, str | None],
    stage: int,
    notes: dict[str, list[str]],
) -> NodeElement:
    """A component with room for its widest and tallest face, and each side's notes
    wrapped to that width; the union shows the face of side `union`."""
    texts = [f.label.split("\n") for f in faces.values()]
    width = math.ceil(max(_ICON, max(ems(line) for t in texts for line in t) * NODE_FONT) + 2 * _LABEL_PADDING + _SLACK)
    room = max(width - 2 * _LABEL_PADDING, LINE_EM * NODE_FONT) / NOTE_FONT

    def wrapped(items: list[str]) -> tuple[str, ...]:
        shown = items[:NOTE_LINES] + ([f"and {len(items) - NOTE_LINES} more"] if len(items) > NOTE_LINES else [])
        return tuple(line for item in shown for line in wrap(item, room))

    faces = {side: replace(f, notes=wrapped(notes.get(side, []))) for side, f in faces.items()}
    # A word too long to wrap widens its note; the room takes it in, or that face alone would be wider.
    widest_note = max((ems(line) * NOTE_FONT for f in faces.values() for line in f.notes), default=0.0)
    width = max(width, math.ceil(widest_note + 2 * _LABEL_PADDING + _SLACK))
    return NodeElement(
        f"n-{name}",
        status,
        faces,
        faces[union],
        name=name,
        groups=groups,
        stage=stage,
        lines=max(len(t) for t in texts),
        note_lines=max(len(f.notes) for f in faces.values()),
        width=width,
    )


def _group(gid: str, status: str, faces: dict[str, Face], union: Face, parents: dict[str, str | None]) -> GroupElement:
    """A group with room for its widest label, so that each label starts at the box's corner."""
    labels = [union.label, *(f.label for f in faces.values())]
    width = math.ceil(max(ems(line) for label in labels for line in label.split("\n")) * GROUP_FONT) + _SLACK
    return GroupElement(f"c-{gid}", status, faces, union, gid=gid, parents=parents, width=width)


def _parents(old: Spec, new: Spec, gid: str) -> dict[str, str | None]:
    parents = {}
    if gid in old.groups:
        parents[OLD] = old.groups[gid].parent
    if gid in new.groups:
        parents[NEW] = new.groups[gid].parent
    return parents


def _place(places: dict[str, str | None], side: str | None) -> str | None:
    """Where an element sits: on one side, or in the union (the new design's place wins)."""
    if side is not None:
        return places.get(side)
    return places[NEW] if NEW in places else places.get(OLD)


def _change_line(change: FieldChange, old: Spec, new: Spec, side: str) -> str:
    """One change of a component, as its border on `side` lists it: a label shows its
    other side's value (the component's text already shows this side's)."""
    if change.field == "label":
        return f"was: {_short(change.old)}" if side == NEW else f"now: {_short(change.new)}"
    if change.field == "group":
        before = old.group_label(change.old) if change.old else "no group"  # type: ignore[arg-type]
        after = new.group_label(change.new) if change.new else "no group"  # type: ignore[arg-type]
        return f"moved: {_short(before)} → {_short(after)}"
    if change.field in ("description", "icon"):
        return f"{change.field} changed"
    return f"{change.field}: {_short(change.old or 'none')} → {_short(change.new or 'none')}"


def _short(value: object, width: int = 24) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _marked(status: str, text: str) -> str:
    marker = LOOKS[status].marker
    return f"{marker} {text}" if marker else text


def _edge_text(status: str, label: str | None) -> str:
    marker = LOOKS[status].marker
    if not label:
        return marker
    return f"{marker} {label}" if marker else label


def _changed_edge_text(changes: tuple[FieldChange, ...], label: str | None) -> str:
    text = f"~ {label}" if label else "~"
    for change in changes:
        if change.field == "label":
            text += f" (was: {change.old or 'no label'})"
        else:
            text += f" ({change.field} changed)"
    return text


def _edge_tip(name: str, label: str | None, note: str | None) -> str:
    return " — ".join(part for part in (name, label, note) if part)


def _legend_counts(diff: SpecDiff) -> str:
    parts = []
    for noun, part in (("components", diff.components), ("flows", diff.flows), ("groups", diff.groups)):
        numbers = [
            f"{LOOKS[status].marker}{count}"
            for status, count in (
                (ADDED, len(part.added)),
                (REMOVED, len(part.removed)),
                (CHANGED, len(part.changed)),
                (RENAMED, len(part.renamed)),
            )
            if count
        ]
        if numbers:
            parts.append(f"{noun} {' '.join(numbers)}")
    if diff.sections:
        parts.append(f"framework parts ~{len(diff.sections)}")
    return " · ".join(parts) or "no differences"


# --- DOT -------------------------------------------------------------------------------------


def _nodes_drawn(plan: Plan, side: str | None) -> list[NodeElement]:
    """The components of the union (`side` None) or of one side, by stage (plan order within one)."""
    return sorted((n for n in plan.nodes if side is None or side in n.faces), key=lambda n: n.stage)


def _edges_drawn(plan: Plan, side: str | None) -> list[tuple[EdgeElement, str]]:
    """The flows drawn, with their label text, on the union (`side` None) or on one side."""
    present = {n.name for n in _nodes_drawn(plan, side)}
    return [
        (edge, (edge.union if side is None else edge.faces[side]).label)
        for edge in plan.edges
        if (side is None or side in edge.faces) and edge.source in present and edge.target in present
    ]


def build_dot(
    plan: Plan, side: str | None, heading: str, *, direction: str = "LR", placed: Placement | None = None
) -> str:
    """The DOT source of the union (`side` None) or of one side alone (independent layout).

    Without `placed` the source is for `dot` to lay out; with it, every element
    carries its position, edge labels sit where `place_labels` put them and the
    legend is drawn under the drawing (`neato -n2` draws it as it is).
    """

    def face(element: Element) -> Face:
        return element.union if side is None else element.faces[side]

    nodes = _nodes_drawn(plan, side)
    stages = {n.name: n.stage for n in nodes}
    groups = {g.gid: g for g in plan.groups if side is None or side in g.faces}
    children: dict[str | None, list[str]] = {}
    for gid, group in groups.items():
        parent = _place(group.parents, side)
        parent = parent if parent in groups else None
        children.setdefault(parent, []).append(gid)

    def members(gid: str) -> list[int]:
        inside = {gid}
        stack = [gid]
        while stack:
            for child in children.get(stack.pop(), []):
                inside.add(child)
                stack.append(child)
        return [i for i, n in enumerate(nodes) if _place(n.groups, side) in inside]

    canvas = new_canvas("diff", _THEME, heading, direction=direction)
    canvas.dot.graph_attr["id"] = "diff"

    with canvas:
        made: dict[str, Node] = {}

        def add_nodes(group_id: str | None) -> None:
            for node in nodes:
                place = _place(node.groups, side)
                if (place if place in groups else None) == group_id:
                    attrs = {
                        "tooltip": escaped_text(face(node).tooltip or " "),
                        "fontcolor": LOOKS[node.status].text,
                        "id": node.dot_id,
                        "class": f"diff-{node.status}",
                    }
                    if placed is not None:
                        x, y = placed.nodes[node.name]
                        attrs["pos"] = f"{x:.2f},{y:.2f}"
                    made[node.name] = component_node(node.name, node_html(node, face(node)), **attrs)

        def add_group(gid: str) -> None:
            if not members(gid):
                return  # an empty box would only take space
            group = groups[gid]
            look = LOOKS[group.status]
            attrs = {
                "label": group_html(group, face(group)),
                "fontname": FONT,
                "fontsize": str(GROUP_FONT),
                "fontcolor": look.text,
                "bgcolor": look.fill,
                "pencolor": look.line,
                "style": "rounded,dashed" if group.status == REMOVED else "rounded",
                "penwidth": "1" if group.status == UNCHANGED else "2",
                "margin": "16",
                "id": group.dot_id,
                "class": f"diff-{group.status}",
            }
            if placed is not None and f"cluster_{gid}" in placed.clusters:
                bb, at = placed.clusters[f"cluster_{gid}"]
                attrs.update(bb=bb, **({"lp": at} if at else {}))
            with Cluster(gid, graph_attr=attrs) as cluster:
                cluster.dot.name = f"cluster_{gid}"
                add_nodes(gid)
                for child in sorted(children.get(gid, []), key=lambda g: min(members(g), default=len(nodes))):
                    add_group(child)

        add_nodes(None)
        for gid in sorted(children.get(None, []), key=lambda g: min(members(g), default=len(nodes))):
            add_group(gid)

        for edge, text in _edges_drawn(plan, side):
            look = LOOKS[edge.status]
            attrs = {
                "color": look.line,
                "fontcolor": look.text,
                "fontname": FONT,
                "fontsize": str(EDGE_FONT),
                "style": look.edge_style,
                "arrowhead": FLOW_STYLES[edge.kind].arrowhead,
                "penwidth": look.edge_width,
                "tooltip": escaped_text(face(edge).tooltip or " "),
                "id": edge.dot_id,
                "class": f"diff-{edge.status}",
            }
            label = edge_label(text, _THEME.background) if text else None
            if placed is None:
                if label is not None:
                    attrs["label"] = label
            else:
                attrs["pos"] = placed.edges[edge.dot_id].pos
                if label is not None and edge.dot_id in placed.labels:
                    x, y = placed.labels[edge.dot_id]
                    attrs.update(label=label, lp=f"{x:.2f},{y:.2f}")
            if edge.kind == "feedback" and stages[edge.target] < stages[edge.source]:
                # As in the main picture: laid out from its target to its source, the
                # arrow drawn at the far end, so it takes the short way back.
                attrs["arrowtail"] = attrs.pop("arrowhead")
                made[edge.target] << Edge(**attrs) << made[edge.source]
            else:
                made[edge.source] >> Edge(**attrs) >> made[edge.target]

        if placed is not None:
            canvas.dot.graph_attr["bb"] = placed.bb
            if placed.title_at:
                canvas.dot.graph_attr["lp"] = placed.title_at
            _legend(canvas, placed.box())
    return canvas.dot.source


def node_html(node: NodeElement, face: Face) -> str:
    """A component's HTML-like label: the status word, the main picture's icon and text, the
    notes of a change, all inside the status border. Every face of one component comes
    out at one size (the text padded to its tallest face, the room of its widest), so
    faces swap without moving the icon or the border."""
    look = LOOKS[node.status]
    lines = face.label.split("\n")
    text = "\n".join(lines + [" "] * (node.lines - len(lines)))
    body = component_label(face.icon, text)[1:-1]
    rows = []
    if look.marker:
        rows.append(f'<tr><td><font color="{look.text}" point-size="{TAG_FONT}">{_esc(look.tag)}</font></td></tr>')
    rows.append(f'<tr><td cellpadding="0" width="{node.width}">{body}</td></tr>')
    if node.note_lines:
        padded = list(face.notes) + [" "] * (node.note_lines - len(face.notes))
        notes = "<br/>".join(_esc(line) for line in padded)
        rows.append(f'<tr><td><font color="{look.text}" point-size="{NOTE_FONT}">{notes}</font></td></tr>')
    return f"<{_framed(look, ''.join(rows))}>"


def group_html(group: GroupElement, face: Face) -> str:
    """A group's label, left-aligned in room for its widest: set at the union's place,
    every side's label starts at the same corner of the box."""
    lines = '<br align="left"/>'.join(_esc(line) for line in face.label.split("\n"))
    return (
        '<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">'
        f'<tr><td align="left" width="{group.width}">{lines}</td></tr></table>>'
    )


def _framed(look: Look, rows: str) -> str:
    """Table rows inside the border of a status: one line, dashed or solid, or two thin ones."""
    cells = 'cellborder="0" cellspacing="0" cellpadding="3"'
    if look.double:
        inner = f'<table border="{look.border}" style="{look.border_style}" color="{look.line}" {cells}>{rows}</table>'
        return (
            f'<table border="{look.border}" style="{look.border_style}" color="{look.line}"'
            f' cellborder="0" cellspacing="2" cellpadding="0"><tr><td>{inner}</td></tr></table>'
        )
    colour = f' color="{look.line}"' if look.border else ""
    return f'<table border="{look.border}" style="{look.border_style}"{colour} {cells}>{rows}</table>'


def _caption_width(captions: Iterable[str]) -> int:
    """Points of room for the widest of `captions` in the heading."""
    return math.ceil(max(ems(c) for c in captions) * CAPTION_FONT) + 2 * _SLACK


def _heading(plan: Plan, caption: str, width: int) -> str:
    """Title, caption and the counts of changes, at least `width` points wide."""
    return (
        f'<<table border="0" cellspacing="0" cellpadding="2" width="{width}">'
        f'<tr><td><font point-size="{TITLE_FONT}"><b>{_esc(plan.title)}</b></font></td></tr>'
        f'<tr><td><font point-size="{CAPTION_FONT}" color="{_THEME.muted_text}">{_esc(caption)}</font></td></tr>'
        f'<tr><td><font point-size="{CAPTION_FONT}">{_esc(plan.counts)}</font></td></tr>'
        "</table>>"
    )


def _esc(text: str) -> str:
    return html_label(text)[1:-1]


def _legend(canvas: Diagram, box: tuple[float, float, float, float]) -> None:
    """A legend under a laid-out drawing whose bounding box is `box`.

    Each status is a short line drawn as its edges are and its word inside the
    border its components have: the same marks the picture uses, never glyphs.
    The legend is placed after layout, so it never moves a component, and it is
    the same in every view.
    """
    dot = canvas.dot
    x0, y0, x1, _ = box
    sample = 34.0  # points of line per sample
    gap, space = 24.0, 6.0
    items = []
    for status, look in LOOKS.items():
        frame = 2 * 3 + 2 * look.border + (2 * look.border + 4 if look.double else 0)
        items.append((status, look, ems(look.tag) * LEGEND_FONT + frame + 2))
    rows: list[list[tuple[str, Look, float]]] = [[]]
    for item in items:
        used = sum(sample + space + w for _, _, w in rows[-1]) + gap * len(rows[-1])
        if rows[-1] and used + sample + space + item[2] > max(x1 - x0, 400.0):
            rows.append([])
        rows[-1].append(item)
    hidden = {"shape": "point", "width": "0.01", "height": "0.01", "style": "invis", "label": ""}
    for number, row in enumerate(rows):
        y = y0 - 30.0 - number * 34.0
        width = sum(sample + space + w for _, _, w in row) + gap * (len(row) - 1)
        x = (x0 + x1 - width) / 2
        for status, look, box_width in row:
            key = f"diff_legend_{status}"
            mark = {"class": "diff-legend", "tooltip": look.word}
            dot.node(f"{key}_a", pos=f"{x:.1f},{y:.1f}", **hidden, **mark)
            dot.node(f"{key}_b", pos=f"{x + sample:.1f},{y:.1f}", **hidden, **mark)
            end = x + sample - 8
            route = (
                f"e,{x + sample:.1f},{y:.1f} {x:.1f},{y:.1f} {x + (end - x) / 3:.1f},{y:.1f}"
                f" {x + 2 * (end - x) / 3:.1f},{y:.1f} {end:.1f},{y:.1f}"
            )
            dot.edge(
                f"{key}_a",
                f"{key}_b",
                id=f"legend-{status}-line",
                pos=route,
                color=look.line,
                style=look.edge_style,
                penwidth=look.edge_width,
                arrowhead="normal",
                arrowsize="0.8",
                dir="forward",
                **mark,
            )
            word = f'<tr><td><font color="{look.text}" point-size="{LEGEND_FONT}">{_esc(look.tag)}</font></td></tr>'
            dot.node(
                f"{key}_word",
                id=f"legend-{status}",
                label=f"<{_framed(look, word)}>",
                shape="plaintext",
                fixedsize="false",
                margin="0",
                width="0",
                height="0",
                fontname=FONT,
                pos=f"{x + sample + space + box_width / 2:.1f},{y:.1f}",
                **mark,
            )
            x += sample + space + box_width + gap


# --- side views --------------------------------------------------------------------------------


def side_edits(plan: Plan, side: str, heading: str) -> dict[str, dict[str, str | None]]:
    """What to change in the laid-out union graph to show one side only: that side's
    heading, each element's face on that side (a component's whole label, icon and
    text), and the elements it lacks hidden in their place."""
    edits: dict[str, dict[str, str | None]] = {"diff": {"label": heading}}
    for element in (*plan.nodes, *plan.edges, *plan.groups):
        face = element.faces.get(side)
        if face is None:
            # Hidden, not removed: the element keeps its place in the layout.
            edits[element.dot_id] = {"style": "invis", "label": '""', "tooltip": None}
            continue
        change: dict[str, str | None] = {}
        if isinstance(element, NodeElement):
            if (face.label, face.icon, face.notes) != (element.union.label, element.union.icon, element.union.notes):
                change["label"] = node_html(element, face)
        elif isinstance(element, EdgeElement):
            if face.label != element.union.label:
                change["label"] = edge_label(face.label, _THEME.background) if face.label else '""'
        elif isinstance(element, GroupElement) and face.label != element.union.label:
            change["label"] = group_html(element, face)
        if face.tooltip != element.union.tooltip:
            change["tooltip"] = f'"{escaped_text(face.tooltip or " ")}"'
        if change:
            edits[element.dot_id] = change
    return edits
