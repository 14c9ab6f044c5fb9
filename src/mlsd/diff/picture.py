"""The diff picture: the union of both designs, laid out once, drawn per view.

Every component, flow and group of either design is one element of a single
graph, so a component present on both sides sits at the same place in every
picture. The overlay shows everything, styled by status; the old and new
pictures are the same layout with the elements the side lacks hidden (they
keep their place) and that side's labels and icons. Only when the designs
share too little to make one graph readable are the sides laid out apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from diagrams import Cluster, Edge
from diagrams.custom import Custom

from mlsd.catalogue import KINDS, STAGES
from mlsd.diff.compare import ADDED, CHANGED, REMOVED, RENAMED, UNCHANGED, FieldChange, SpecDiff
from mlsd.diff.dotedit import quote, restyle
from mlsd.model import Spec
from mlsd.render import _canvas, svg
from mlsd.render.engine import DEFAULT_TIMEOUT, Budget, Layout, draw, layout
from mlsd.render.graph import escaped_text, html_label, icon_for, new_canvas, node_label, placement
from mlsd.render.theme import COLOURS, FLOW_STYLES, FONT
from mlsd.vocabulary import PRESETS

VIEWS = ("overlay", "side-by-side")
# Below this share of matched components, one union graph is mostly holes.
SHARED_MINIMUM = 0.3
NOTE_LINES = 3

OLD, NEW = "old", "new"


@dataclass(frozen=True)
class Look:
    """How one status is drawn; the marker and line style carry it without colour."""

    marker: str
    word: str
    line: str  # colour of borders and edges
    text: str  # colour of labels, darker for contrast
    fill: str  # cluster background
    node_style: tuple[tuple[str, str], ...]  # Graphviz node attributes; empty: the plain icon
    edge_style: str
    edge_width: str
    sample: str  # the line style in the legend


LOOKS: Mapping[str, Look] = MappingProxyType(
    {
        ADDED: Look(
            "+",
            "added",
            "#1A7F37",
            "#116329",
            "#EEF9F0",
            (("shape", "box"), ("style", "rounded,bold"), ("penwidth", "3")),
            "bold",
            "2.5",
            "━━━",
        ),
        REMOVED: Look(
            "−",
            "removed",
            "#CF222E",
            "#A40E26",
            "#FFF1F1",
            (("shape", "box"), ("style", "rounded,dashed"), ("penwidth", "2.5")),
            "dashed",
            "2",
            "╌╌╌",
        ),
        CHANGED: Look(
            "~",
            "changed",
            "#BF8700",
            "#7D4E00",
            "#FFF8E5",
            (("shape", "box"), ("style", "rounded"), ("peripheries", "2"), ("penwidth", "2")),
            "solid",
            "2.5",
            "═══",
        ),
        RENAMED: Look(
            "→",
            "renamed",
            "#BF8700",
            "#7D4E00",
            "#FFF8E5",
            (("shape", "box"), ("style", "rounded"), ("peripheries", "2"), ("penwidth", "2")),
            "solid",
            "2.5",
            "═══",
        ),
        UNCHANGED: Look("", "unchanged", "#AAB2BA", "#6E7781", "#F6F8FA", (), "solid", "1.2", "───"),
    }
)
_THEME = COLOURS["light"]


@dataclass(frozen=True)
class Face:
    """What an element shows on one side."""

    label: str
    icon: Path | None = None
    tooltip: str = ""


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
    note: str | None = None
    lines: int = 1


@dataclass(frozen=True)
class EdgeElement(Element):
    source: str = ""
    target: str = ""
    kind: str = "data"


@dataclass(frozen=True)
class GroupElement(Element):
    gid: str = ""
    parents: dict[str, str | None] = field(default_factory=dict)  # by side, like NodeElement.groups


@dataclass(frozen=True)
class Plan:
    """Everything the union graph is built from."""

    title: str
    counts: str
    nodes: tuple[NodeElement, ...]
    edges: tuple[EdgeElement, ...]
    groups: tuple[GroupElement, ...]
    icons: dict[str, Path] = field(default_factory=dict)


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
        for side, caption in ((OLD, captions[0]), (NEW, captions[1])):
            heading = _heading(plan, f"{_side_word(side)}: {caption} (independent layout)")
            source = build_dot(plan, side, heading)
            laid_out = layout(source, f"diff picture ({side})", budget)
            drawn, warned = _draw(laid_out, plan, budget)
            warnings += warned
            for ext, data in drawn.items():
                files[f"{stem}.{side}.{ext}"] = data
        return Pictures(files, note, tuple(dict.fromkeys(warnings)))

    overlay_caption = f"overlay: {captions[0]} → {captions[1]}"
    source = build_dot(plan, None, _heading(plan, overlay_caption))
    laid_out = layout(source, "diff picture", budget)
    if view == "overlay":
        views = {"diff": {}}
    else:
        views = {
            side: side_edits(plan, side, _heading(plan, f"{_side_word(side)}: {caption}"))
            for side, caption in ((OLD, captions[0]), (NEW, captions[1]))
        }
    for name, edits in views.items():
        restyled = Layout(restyle(laid_out.dot, edits), laid_out.width, laid_out.height, ())
        drawn, warned = _draw(restyled, plan, budget)
        warnings += warned
        for ext, data in drawn.items():
            files[f"{stem}.{name}.{ext}"] = data
    return Pictures(files, None, tuple(dict.fromkeys(warnings)))


def _side_word(side: str) -> str:
    return "before" if side == OLD else "after"


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
        if o is None:
            status, note = ADDED, "+ added" + (f"\nreplaces {replaces[cid]}" if cid in replaces else "")
        elif cid in changed:
            status = CHANGED
            lines = ([f"→ renamed from {o}"] if o != cid else []) + [
                "~ " + _change_line(c, old, new) for c in changed[cid]
            ]
            note = _first_lines(lines)
        elif o != cid:
            status, note = RENAMED, f"→ renamed from {o}"
        else:
            status, note = UNCHANGED, None
        groups_by_side = {NEW: new.components[cid].group}
        if o is not None:
            groups_by_side[OLD] = old.components[o].group
        nodes.append(
            _node(cid, status, faces, faces[NEW], groups_by_side, order[KINDS[new.components[cid].kind].stage], note)
        )
    for cid in old.components:
        if cid in new_of:
            continue
        name = cid if cid not in new.components else f"{cid}~old"
        names[cid] = name
        faces = {OLD: face(old, cid)}
        note = "− removed" + (f"\nreplaced by {replaced_by[cid]}" if cid in replaced_by else "")
        nodes.append(
            _node(
                name,
                REMOVED,
                faces,
                faces[OLD],
                {OLD: old.components[cid].group},
                order[KINDS[old.components[cid].kind].stage],
                note,
            )
        )

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
        groups.append(
            GroupElement(
                f"c-{gid}", status, faces, Face(_marked(status, union_label)), gid=gid, parents=_parents(old, new, gid)
            )
        )
    for gid in old.groups:
        if gid not in new.groups:
            label = _marked(REMOVED, old.group_label(gid))
            groups.append(
                GroupElement(
                    f"c-{gid}", REMOVED, {OLD: Face(label)}, Face(label), gid=gid, parents=_parents(old, new, gid)
                )
            )

    title = old.title if old.title == new.title else f"{old.title} → {new.title}"
    return Plan(title, _legend_counts(diff), tuple(nodes), tuple(edges), tuple(groups), icons)


def _node(
    name: str,
    status: str,
    faces: dict[str, Face],
    union: Face,
    groups: dict[str, str | None],
    stage: int,
    note: str | None,
) -> NodeElement:
    lines = max(f.label.count("\n") + 1 for f in faces.values())
    return NodeElement(f"n-{name}", status, faces, union, name=name, groups=groups, stage=stage, note=note, lines=lines)


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


def _change_line(change: FieldChange, old: Spec, new: Spec) -> str:
    if change.field == "group":
        before = old.group_label(change.old) if change.old else "no group"  # type: ignore[arg-type]
        after = new.group_label(change.new) if change.new else "no group"  # type: ignore[arg-type]
        return f"moved: {_short(before)} → {_short(after)}"
    if change.field in ("description", "icon"):
        return f"{change.field} changed"
    return f"{change.field}: {_short(change.old or 'none')} → {_short(change.new or 'none')}"


def _first_lines(lines: list[str]) -> str:
    shown = lines[:NOTE_LINES]
    if len(lines) > NOTE_LINES:
        shown.append(f"and {len(lines) - NOTE_LINES} more")
    return "\n".join(shown)


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


def build_dot(plan: Plan, side: str | None, heading: str) -> str:
    """The DOT source of the union (`side` None) or of one side alone (independent layout)."""

    def shown(element: Element) -> bool:
        return side is None or side in element.faces

    def face(element: Element) -> Face:
        return element.union if side is None else element.faces[side]

    nodes = sorted((n for n in plan.nodes if shown(n)), key=lambda n: n.stage)  # stable: plan order within a stage
    present = {n.name for n in nodes}
    groups = {g.gid: g for g in plan.groups if shown(g)}
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

    canvas = new_canvas("diff", _THEME, heading)
    canvas.dot.graph_attr["id"] = "diff"

    with canvas:
        made: dict[str, Custom] = {}

        def add_nodes(group_id: str | None) -> None:
            for node in nodes:
                place = _place(node.groups, side)
                if (place if place in groups else None) == group_id:
                    made[node.name] = _custom(node, face(node))

        def add_group(gid: str) -> None:
            if not members(gid):
                return  # an empty box would only take space
            group = groups[gid]
            look = LOOKS[group.status]
            attrs = {
                "label": html_label(face(group).label),
                "fontname": FONT,
                "fontsize": "13",
                "fontcolor": look.text,
                "bgcolor": look.fill,
                "pencolor": look.line,
                "style": "rounded,dashed" if group.status == REMOVED else "rounded",
                "penwidth": "1" if group.status == UNCHANGED else "2",
                "margin": "16",
                "id": group.dot_id,
                "class": f"diff-{group.status}",
            }
            with Cluster(gid, graph_attr=attrs) as cluster:
                cluster.dot.name = f"cluster_{gid}"
                add_nodes(gid)
                for child in sorted(children.get(gid, []), key=lambda g: min(members(g), default=len(nodes))):
                    add_group(child)

        add_nodes(None)
        for gid in sorted(children.get(None, []), key=lambda g: min(members(g), default=len(nodes))):
            add_group(gid)

        for edge in plan.edges:
            if not shown(edge) or edge.source not in present or edge.target not in present:
                continue
            look = LOOKS[edge.status]
            text = face(edge).label
            attrs = {
                "color": look.line,
                "fontcolor": look.text,
                "fontname": FONT,
                "fontsize": "11",
                "style": look.edge_style,
                "arrowhead": FLOW_STYLES[edge.kind].arrowhead,
                "penwidth": look.edge_width,
                "tooltip": escaped_text(face(edge).tooltip or " "),
                "id": edge.dot_id,
                "class": f"diff-{edge.status}",
            }
            attrs.update(placement(edge.kind, html_label(text) if text else None, loose=edge.kind == "feedback"))
            made[edge.source] >> Edge(**attrs) >> made[edge.target]
    return canvas.dot.source


def _custom(node: NodeElement, face: Face) -> Custom:
    look = LOOKS[node.status]
    attrs: dict[str, str] = {
        "tooltip": escaped_text(face.tooltip or " "),
        # Fixed size from the longer label of both sides, so swapping labels
        # between views never needs more room than the layout gave.
        "height": str(1.9 + 0.4 * (node.lines - 1)),
        "fontcolor": look.text,
        "id": node.dot_id,
        "class": f"diff-{node.status}",
        **({"color": look.line} if look.node_style else {}),
        **dict(look.node_style),
    }
    if node.note:
        attrs["xlabel"] = html_label(node.note)
    return Custom(html_label(face.label), str(face.icon), nodeid=node.name, **attrs)


def _heading(plan: Plan, caption: str) -> str:
    """Title, caption and the legend: each status by marker, line style and colour."""
    cells = "".join(
        f'<td><font color="{look.line}">{look.sample}</font>'
        f'<font color="{look.text}" point-size="11"> {look.marker} {look.word}</font></td>'
        for look in LOOKS.values()
    )
    span = len(LOOKS)
    return (
        '<<table border="0" cellspacing="6">'
        f'<tr><td colspan="{span}"><font point-size="20"><b>{_esc(plan.title)}</b></font></td></tr>'
        f'<tr><td colspan="{span}"><font point-size="12" color="{_THEME.muted_text}">{_esc(caption)}</font></td></tr>'
        f'<tr><td colspan="{span}"><font point-size="12">{_esc(plan.counts)}</font></td></tr>'
        f"<tr>{cells}</tr></table>>"
    )


def _esc(text: str) -> str:
    return html_label(text)[1:-1]


# --- side views --------------------------------------------------------------------------------


def side_edits(plan: Plan, side: str, heading: str) -> dict[str, dict[str, str | None]]:
    """What to change in the laid-out union graph to show one side only."""
    edits: dict[str, dict[str, str | None]] = {"diff": {"label": heading}}
    for element in (*plan.nodes, *plan.edges, *plan.groups):
        face = element.faces.get(side)
        if face is None:
            # Hidden, not removed: the element keeps its place in the layout.
            edits[element.dot_id] = {"style": "invis", "xlabel": None, "label": '""', "tooltip": None}
            continue
        change: dict[str, str | None] = {}
        if face.label != element.union.label:
            change["label"] = html_label(face.label)
        if isinstance(element, NodeElement) and face.icon != element.union.icon:
            change["image"] = quote(str(face.icon))
        if face.tooltip != element.union.tooltip:
            change["tooltip"] = quote(face.tooltip or " ")
        if change:
            edits[element.dot_id] = change
    return edits
