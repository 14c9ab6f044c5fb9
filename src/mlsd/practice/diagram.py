"""The fill-in picture: the design's one layout with every component name taken out.

Each theme's picture is drawn once, as `mlsd render` draws it, and edited
through the XML parser of `mlsd.render.svg`: the names under the icons become
numbered placeholders, and everything else that would give a name away goes
(titles, tooltips, comments, element ids). The names travel beside the picture
in the page's encoded payload. The reveal stages are `mlsd render --steps`'s
frames (`reveal_steps`): as every frame of a reveal shares the whole picture's
layout and only hides what a step has not added yet, a stage here is the same
picture with those elements hidden, so nothing moves from one stage to the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]  # no stubs in the dev dependencies

from mlsd.catalogue import tech
from mlsd.model import Spec
from mlsd.render import Arranged, RenderOptions, arrange_picture, render_in_themes, reveal_steps
from mlsd.render import svg as svg_tree
from mlsd.render.graph import edge_id

A, RECT, TEXT, TITLE, USE = (f"{{{svg_tree.SVG_NS}}}{tag}" for tag in ("a", "rect", "text", "title", "use"))
IMAGE = svg_tree.IMAGE
# Attributes that carry text a reader or a screen reader would see.
_TEXT_ATTRIBUTES = ("id", f"{{{svg_tree.XLINK_NS}}}title", "title")


@dataclass(frozen=True)
class Stage:
    """One reveal stage: which placeholders, edges and groups it shows (by page key)."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Diagram:
    """The hidden-name pictures, one per theme, and what the page reveals on them."""

    svgs: dict[str, str]  # theme -> <svg> element, no names in it, icons embedded (a file of its own)
    inline: dict[str, str]  # theme -> the same, each icon a <use> of `icons` (for the page)
    icons: str  # an <svg> of <defs> holding every icon of `inline` once
    names: dict[str, list[dict[str, str]]]  # node key -> its label lines: SVG text attributes and "text"
    hidden_texts: dict[str, str]  # key -> a group or flow label that would name a component
    stages: tuple[Stage, ...]
    stage_titles: tuple[str, ...]
    numbers: dict[str, int]  # node key -> the number its placeholder shows
    warnings: tuple[str, ...]


def node_key(spec: Spec, component_id: str) -> str:
    """The page's name for a component: its position in the spec, nothing of its id."""
    return f"n{list(spec.components).index(component_id) + 1}"


def build_diagram(spec: Spec, arranged: Arranged | None = None) -> Diagram:
    """Draw the fill-in picture of `spec` in every theme, names taken out.

    It keeps the layout of the design's own picture (`arranged`, or found again
    here), so what the learner fills in has the shape of the picture they study.
    """
    svgs: dict[str, str] = {}
    roots = {}
    names: dict[str, list[dict[str, str]]] = {}
    hidden: dict[str, str] = {}
    warnings: list[str] = []
    options = RenderOptions(formats=("svg",), heading=False, legend=True)
    drawn = render_in_themes(spec, options, arranged=arranged or arrange_picture(spec))
    for theme, rendered in drawn.items():
        warnings += rendered.warnings
        tree = svg_tree.parse(rendered.files["svg"].decode("utf-8"))
        found_names, found_hidden = scrub(spec, tree)
        names = names or found_names
        hidden = hidden or found_hidden
        root = tree.getroot()
        for attribute in ("width", "height"):
            root.attrib.pop(attribute, None)
        root.set("class", f"diagram {theme}")
        root.set("role", "group")
        root.set("aria-label", "The architecture with its component names hidden")
        svgs[theme] = etree.tostring(root, encoding="unicode")
        roots[theme] = root
    icons, inline = shared_icons(roots)
    numbers = {node_key(spec, c): i for i, c in enumerate(spec.components, start=1)}
    stages = []
    groups = list(spec.groups)
    for _, shown in reveal_steps(spec):
        seen = set(shown)
        stages.append(
            Stage(
                nodes=tuple(node_key(spec, c) for c in spec.components if c in seen),
                edges=tuple(f"e{i}" for i, e in enumerate(spec.edges) if {e.source, e.target} <= seen),
                groups=tuple(f"g{groups.index(g) + 1}" for g in spec.groups if set(spec.group_members(g)) & seen),
            )
        )
    titles = tuple(title for title, _ in reveal_steps(spec))
    return Diagram(svgs, inline, icons, names, hidden, tuple(stages), titles, numbers, tuple(dict.fromkeys(warnings)))


def shared_icons(roots: dict[str, etree._Element]) -> tuple[str, dict[str, str]]:
    """Every icon of the pictures once, in a <defs> of its own, and the pictures with each
    icon a <use> of it: the two themes and repeated kinds share one copy in the page."""
    defs: dict[tuple[str, ...], str] = {}
    holder = etree.Element(f"{{{svg_tree.SVG_NS}}}svg", nsmap={None: svg_tree.SVG_NS, "xlink": svg_tree.XLINK_NS})
    holder.set("class", "icons")
    holder.set("aria-hidden", "true")
    shelf = etree.SubElement(holder, f"{{{svg_tree.SVG_NS}}}defs")
    inline = {}
    for theme, root in roots.items():
        copy = etree.fromstring(etree.tostring(root))
        for image in list(copy.iter(IMAGE)):
            href = image.get(f"{{{svg_tree.XLINK_NS}}}href") or image.get("href") or ""
            shape = (href, *(image.get(k, "") for k in ("width", "height", "preserveAspectRatio")))
            if shape not in defs:
                defs[shape] = f"icon{len(defs) + 1}"
                kept = etree.SubElement(shelf, IMAGE, {"id": defs[shape], "x": "0", "y": "0"})
                kept.set(f"{{{svg_tree.XLINK_NS}}}href", href)
                for name, value in zip(("width", "height", "preserveAspectRatio"), shape[1:], strict=True):
                    if value:
                        kept.set(name, value)
            use = etree.Element(USE, {"x": image.get("x", "0"), "y": image.get("y", "0")})
            use.set(f"{{{svg_tree.XLINK_NS}}}href", f"#{defs[shape]}")
            parent = image.getparent()
            parent.replace(image, use)
        inline[theme] = etree.tostring(copy, encoding="unicode")
    return etree.tostring(holder, encoding="unicode"), inline


def scrub(spec: Spec, tree: svg_tree.Tree) -> tuple[dict[str, list[dict[str, str]]], dict[str, str]]:
    """Take every name out of a picture, in place: placeholders for node labels, no titles,
    tooltips, comments or ids. Returns the node labels and the other texts taken out."""
    root = tree.getroot()
    edge_index = {edge_id(spec, i): i for i in range(len(spec.edges))}
    groups = list(spec.groups)
    names: dict[str, list[dict[str, str]]] = {}
    for group in list(root.iter(svg_tree.G)):
        classes = (group.get("class") or "").split()
        title = group.find(TITLE)
        owner = "".join(title.itertext()) if title is not None else ""
        if "node" in classes and owner in spec.components:
            key = node_key(spec, owner)
            names[key] = _placeholder(group, key, list(spec.components).index(owner) + 1)
        elif "edge" in classes and group.get("id") in edge_index:
            group.set("class", f"edge e{edge_index[group.get('id')]}")
        elif "cluster" in classes and owner.removeprefix("cluster_") in spec.groups:
            group.set("class", f"cluster g{groups.index(owner.removeprefix('cluster_')) + 1}")
    for link in list(root.iter(A)):
        # Graphviz wraps nodes and edges in <a xlink:title=tooltip>: keep the drawing, drop the link.
        parent = link.getparent()
        at = parent.index(link)
        for offset, child in enumerate(list(link)):
            parent.insert(at + offset, child)
        parent.remove(link)
    for node in list(root.iter(TITLE, etree.Comment)):
        node.getparent().remove(node)
    for element in root.iter():
        if isinstance(element.tag, str):
            for attribute in _TEXT_ATTRIBUTES:
                element.attrib.pop(attribute, None)
    hidden = _hide_naming_texts(root, component_names(spec))
    return names, hidden


def component_names(spec: Spec) -> tuple[str, ...]:
    """What names a component on the picture: its label and its product's name."""
    found = []
    for cid, comp in spec.components.items():
        found.append(spec.label(cid))
        known = tech(comp.tech) if comp.tech else None
        if comp.tech:
            found.append(known.label if known else comp.tech)
    return tuple(dict.fromkeys(found))


def _placeholder(group: etree._Element, key: str, number: int) -> list[dict[str, str]]:
    """Replace a node's label lines with its number; return the lines it had."""
    texts = list(group.iter(TEXT))
    lines = [{**{k: v for k, v in t.attrib.items() if "}" not in k}, "text": "".join(t.itertext())} for t in texts]
    group.set("class", f"node part {key}")
    group.set("tabindex", "0")
    group.set("role", "button")
    group.set("aria-label", f"Hidden component {number}: reveal its name")
    if texts:
        first = texts[0]
        spot = first.getparent()
        mark = etree.SubElement(spot, TEXT, {k: v for k, v in first.attrib.items() if k != "font-weight"})
        mark.set("class", "ph")
        mark.set("font-weight", "bold")
        mark.text = f"#{number}"
        for text in texts:
            text.getparent().remove(text)
    image = next(group.iter(IMAGE), None)
    if image is not None:
        # The skeleton level hides icons; this box keeps the component's place visible.
        box = {k: image.get(k, "0") for k in ("x", "y", "width", "height")}
        etree.SubElement(image.getparent(), RECT, {**box, "rx": "6", "class": "skel", "fill": "none", "stroke": "none"})
    return lines


def _hide_naming_texts(root: etree._Element, names: tuple[str, ...]) -> dict[str, str]:
    """Blank a group or flow label that holds a component's name (whole words, across its
    lines); return what was blanked, by key."""
    patterns = [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE) for name in names]
    hidden: dict[str, str] = {}
    for group in root.iter(svg_tree.G):
        classes = (group.get("class") or "").split()
        if "edge" not in classes and "cluster" not in classes:
            continue
        texts = [t for t in group.iter(TEXT) if t.getparent() is group or "part" not in classes]
        content = " ".join("".join(t.itertext()) for t in texts)
        if not any(pattern.search(content) for pattern in patterns):
            continue
        for text in texts:
            key = f"t{len(hidden) + 1}"
            hidden[key] = "".join(text.itertext())
            for child in list(text):
                text.remove(child)
            text.text = "…"
            text.set("class", f"masked {key}")
    return hidden
