"""The picture as a draw.io (diagrams.net) file: an uncompressed mxGraph model.

Groups are container vertices (a group inside another is its child, with
coordinates relative to it, as draw.io keeps them); each component a label
vertex showing its icon above its text; each flow an edge whose `source` and
`target` are the components' cells, so it stays attached when they move, with
a style per flow kind (colour, dash, arrowhead) and its label on it. Icons are
embedded as data URIs in the style, in draw.io's own form (no `;base64`, as
`;` separates style entries).
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from mlsd.export.layout import FONTS, ICON_SIZE, ICON_TOP, Component, Flow, Rect, Scene
from mlsd.model import Spec
from mlsd.render.theme import FONT_FAMILY

__all__ = ["to_drawio"]

_ARROWS = {
    "normal": ("block", "1"),
    "vee": ("open", "0"),
    "onormal": ("block", "0"),
    "diamond": ("diamond", "1"),
    "odot": ("oval", "0"),
    "odiamond": ("diamond", "0"),
}
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def to_drawio(spec: Spec, scene: Scene) -> str:
    """`scene` as the XML text of a .drawio file."""
    theme = scene.theme
    mxfile = ET.Element("mxfile", host="mlsd", type="device")
    diagram = ET.SubElement(mxfile, "diagram", id=f"{spec.id}-diagram", name=scene.title)
    model = ET.SubElement(
        diagram,
        "mxGraphModel",
        grid="0",
        gridSize="10",
        guides="1",
        connect="1",
        arrows="1",
        page="0",
        pageWidth=_n(scene.width),
        pageHeight=_n(scene.height),
        background=theme.background,
        math="0",
        shadow="0",
    )
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", id="0")
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    origin: dict[str, tuple[float, float]] = {"1": (0.0, 0.0)}
    for group in scene.groups:
        parent = "1" if group.parent is None else _group_id(group.parent)
        style = {
            "rounded": "1",
            "arcSize": "8",
            "absoluteArcSize": "1",
            "container": "1",
            "collapsible": "0",
            "recursiveResize": "0",
            "fillColor": group.fill,
            "strokeColor": theme.cluster_border,
            "fontColor": theme.text,
            "fontFamily": FONT_FAMILY,
            "fontSize": str(FONTS["group"]),
            "align": "left",
            "verticalAlign": "top",
            "spacingLeft": "8",
            "spacingTop": "2",
            "whiteSpace": "nowrap",
            "html": "0",
        }
        cell = _cell(root, _group_id(group.id), group.label, style, parent, vertex="1")
        _geometry(cell, group.box, origin[parent])
        origin[_group_id(group.id)] = (group.box.x, group.box.y)
    for comp in scene.components:
        parent = "1" if comp.group is None or _group_id(comp.group) not in origin else _group_id(comp.group)
        cell = _cell(
            root, _component_id(comp.id), "\n".join(comp.lines), _component_style(comp, scene), parent, vertex="1"
        )
        if comp.tooltip:
            cell.set("tooltip", comp.tooltip)
        _geometry(cell, comp.box, origin[parent])
    for flow in scene.flows:
        _edge(root, flow, scene)
    ET.indent(mxfile, space=" ")
    return ET.tostring(mxfile, encoding="unicode") + "\n"


def _component_style(comp: Component, scene: Scene) -> dict[str, str]:
    theme = scene.theme
    mime = _MIME.get(comp.icon.suffix.lower(), "image/png")
    data = base64.b64encode(comp.icon.read_bytes()).decode("ascii")
    return {
        "shape": "label",
        "image": f"data:{mime},{data}",
        "imageWidth": _n(ICON_SIZE),
        "imageHeight": _n(ICON_SIZE),
        "imageAlign": "center",
        "imageVerticalAlign": "top",
        "spacingTop": _n(ICON_TOP),
        "verticalAlign": "bottom",
        "align": "center",
        "spacingBottom": "2",
        "fillColor": theme.node_fill or "none",
        "strokeColor": "none",
        "rounded": "1",
        "fontColor": theme.text if theme.node_fill is None else "#1E2227",
        "fontFamily": FONT_FAMILY,
        "fontSize": str(FONTS["component"]),
        "whiteSpace": "nowrap",
        "html": "0",
    }


def _edge(root: ET.Element, flow: Flow, scene: Scene) -> None:
    arrow, filled = _ARROWS[flow.style.arrowhead]
    style = {
        "edgeStyle": "none",
        "curved": "1",
        "rounded": "0",
        "endArrow": arrow,
        "endFill": filled,
        "strokeColor": flow.colour,
        "strokeWidth": _n(flow.style.penwidth * (2 if flow.style.style == "bold" else 1)),
        "fontColor": scene.theme.muted_text,
        "fontFamily": FONT_FAMILY,
        "fontSize": str(FONTS["flow"]),
        "labelBackgroundColor": scene.theme.background,
        "html": "0",
    }
    if flow.style.style == "dashed":
        style["dashed"] = "1"
    elif flow.style.style == "dotted":
        style.update(dashed="1", dashPattern="1 3")
    cell = _cell(
        root,
        f"flow-{flow.id}",
        "\n".join(flow.lines),
        style,
        "1",
        edge="1",
        source=_component_id(flow.source),
        target=_component_id(flow.target),
    )
    geometry = ET.SubElement(cell, "mxGeometry", relative="1")
    geometry.set("as", "geometry")
    inner = flow.route[1:-1]
    if inner:
        # A few waypoints of Graphviz's route keep the curve where the picture has it.
        step = max(len(inner) // 3, 1)
        points = ET.SubElement(geometry, "Array")
        points.set("as", "points")
        for x, y in inner[step // 2 :: step][:3]:
            ET.SubElement(points, "mxPoint", x=_n(x), y=_n(y))


def _cell(root: ET.Element, ident: str, value: str, style: Mapping[str, str], parent: str, **flags: str) -> ET.Element:
    text = ";".join(f"{key}={val}" for key, val in style.items()) + ";"
    return ET.SubElement(root, "mxCell", {"id": ident, "value": value, "style": text, "parent": parent, **flags})


def _geometry(cell: ET.Element, box: Rect, origin: tuple[float, float]) -> None:
    geometry = ET.SubElement(
        cell, "mxGeometry", x=_n(box.x - origin[0]), y=_n(box.y - origin[1]), width=_n(box.w), height=_n(box.h)
    )
    geometry.set("as", "geometry")


def _group_id(group_id: str) -> str:
    return f"group-{group_id}"


def _component_id(component_id: str) -> str:
    return f"component-{component_id}"


def _n(value: float) -> str:
    """A number as draw.io writes it: no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
