"""Read the editable exports back into one shape, to compare with the spec.

Each reader parses its file format (python-pptx, json, ElementTree) and
returns a `Drawing`: the components with their label lines, the groups with
their labels, the flows with the components they are attached to and their
label lines, and the text that does not fit its box.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from mlsd.export.layout import edge_lines, printable
from mlsd.model import Spec
from mlsd.render.graph import icon_for, node_label
from mlsd.render.labels import ems

Lines = tuple[str, ...]


@dataclass
class Drawing:
    """What an export holds, as the reader understood it."""

    components: dict[str, Lines] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    flows: list[tuple[str, str, Lines]] = field(default_factory=list)  # attached source, target, label
    clipped: list[str] = field(default_factory=list)  # texts wider or taller than their box
    icons: set[str] = field(default_factory=set)  # components with an icon


def expected(spec: Spec) -> Drawing:
    """What every editable export of the whole of `spec` must hold."""
    drawing = Drawing()
    for cid in spec.components:
        lines = node_label(spec, cid, icon_for(spec, cid)[1]).split("\n")
        drawing.components[cid] = tuple(printable(line) for line in lines)
        drawing.icons.add(cid)
    for gid in spec.groups:
        if spec.group_members(gid):
            drawing.groups[gid] = printable(spec.group_label(gid))
    for edge in spec.edges:
        lines = tuple(printable(line) for line in edge_lines(edge.label)) if edge.label else ()
        drawing.flows.append((edge.source, edge.target, lines))
    return drawing


def _fits(lines: Lines, size: float, width: float, height: float, pitch: float) -> bool:
    """Whether `lines` at `size` points, measured in DejaVu Sans (the widest face a viewer
    may use), fit a box of `width` x `height` points."""
    widest = max((ems(line) for line in lines), default=0.0) * size
    return widest <= width + 0.5 and len(lines) * pitch <= height + 0.5


def read_pptx(data: bytes, slide_index: int = 0) -> Drawing:
    """The shapes of one slide of a .pptx: groups, components, connectors, labels."""
    slide = Presentation(io.BytesIO(data)).slides[slide_index]
    drawing = Drawing()
    label_ids: dict[int, str] = {}
    for shape in slide.shapes:
        if shape.name.startswith("Component "):
            cid = shape.name.removeprefix("Component ")
            parts = {s.name: s for s in shape.shapes}
            label, icon = parts[f"Label {cid}"], parts.get(f"Icon {cid}")
            lines = tuple(p.text for p in label.text_frame.paragraphs)
            drawing.components[cid] = lines
            label_ids[label.shape_id] = cid
            if icon is not None and icon.image.blob:
                drawing.icons.add(cid)
                room = Emu(label.top + label.height - icon.top - icon.height).pt
                size = label.text_frame.paragraphs[0].runs[0].font.size.pt
                pitch = label.text_frame.paragraphs[0].line_spacing.pt
                if not _fits(lines, size, Emu(label.width).pt, room, pitch):
                    drawing.clipped.append(cid)
        elif shape.name.startswith("Group "):
            gid = shape.name.removeprefix("Group ")
            drawing.groups[gid] = shape.text_frame.text
            _check_text(shape, drawing, gid)
    labels = {s.name.removeprefix("Label "): s for s in slide.shapes if s.name.startswith("Label ")}
    for shape in slide.shapes:
        if shape.name.startswith("Flow "):
            fid = shape.name.removeprefix("Flow ")
            connection = shape._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
            start, end = connection.find(qn("a:stCxn")), connection.find(qn("a:endCxn"))
            if start is None or end is None:
                continue
            source, target = label_ids.get(int(start.get("id"))), label_ids.get(int(end.get("id")))
            text = labels.get(fid)
            lines = tuple(p.text for p in text.text_frame.paragraphs) if text is not None else ()
            if text is not None:
                _check_text(text, drawing, fid)
            if source and target:
                drawing.flows.append((source, target, lines))
    return drawing


def _check_text(shape, drawing: Drawing, name: str) -> None:
    paragraphs = shape.text_frame.paragraphs
    lines = tuple(p.text for p in paragraphs)
    size = paragraphs[0].runs[0].font.size.pt
    pitch = paragraphs[0].line_spacing.pt
    frame = shape.text_frame
    width = Emu(shape.width - frame.margin_left - frame.margin_right).pt
    height = Emu(shape.height - frame.margin_top - frame.margin_bottom).pt
    if not _fits(lines, size, width, height, pitch):
        drawing.clipped.append(name)


def read_excalidraw(text: str) -> Drawing:
    """The elements of an Excalidraw file, bindings checked both ways."""
    document = json.loads(text)
    elements = {e["id"]: e for e in document["elements"]}
    drawing = Drawing()
    px = 4 / 3
    for element in elements.values():
        ident = element["id"]
        if ident.startswith("component-") and ident.endswith("-box"):
            cid = ident.removeprefix("component-").removesuffix("-box")
            texts = [elements[b["id"]] for b in element["boundElements"] or [] if b["type"] == "text"]
            assert len(texts) == 1 and texts[0]["containerId"] == ident, ident
            lines = tuple(texts[0]["text"].split("\n"))
            drawing.components[cid] = lines
            size = texts[0]["fontSize"] / px
            pitch = size * texts[0]["lineHeight"]
            if not _fits(lines, size, element["width"] / px, element["height"] / px, pitch):
                drawing.clipped.append(cid)
            icon = elements.get(f"component-{cid}-icon")
            if icon is not None and icon["fileId"] in document["files"]:
                assert document["files"][icon["fileId"]]["dataURL"].startswith("data:image/")
                assert icon["groupIds"] == element["groupIds"] == texts[0]["groupIds"]
                drawing.icons.add(cid)
        elif ident.startswith("group-") and element["type"] == "frame":
            drawing.groups[ident.removeprefix("group-")] = element["name"]
        elif ident.startswith("group-") and element["type"] == "rectangle":
            (label,) = [elements[b["id"]] for b in element["boundElements"] if b["type"] == "text"]
            drawing.groups[ident.removeprefix("group-")] = label["text"]
    for element in elements.values():
        if element["type"] != "arrow":
            continue
        ends = []
        for key in ("startBinding", "endBinding"):
            bound_to = elements[element[key]["elementId"]]
            assert {"type": "arrow", "id": element["id"]} in bound_to["boundElements"], element["id"]
            ends.append(bound_to["id"].removeprefix("component-").removesuffix("-box"))
        texts = [elements[b["id"]] for b in element["boundElements"] or [] if b["type"] == "text"]
        lines = tuple(texts[0]["text"].split("\n")) if texts else ()
        drawing.flows.append((ends[0], ends[1], lines))
    return drawing


def read_drawio(text: str) -> Drawing:
    """The cells of a draw.io file, edges by their source and target cells."""
    root = ET.fromstring(text)
    cells = {c.get("id"): c for c in root.iter("mxCell")}
    drawing = Drawing()
    for ident, cell in cells.items():
        style = dict(item.split("=", 1) for item in (cell.get("style") or "").split(";") if item)
        if cell.get("vertex") == "1" and ident.startswith("component-"):
            cid = ident.removeprefix("component-")
            lines = tuple(cell.get("value", "").split("\n"))
            drawing.components[cid] = lines
            if style.get("image", "").startswith("data:image/"):
                drawing.icons.add(cid)
            geometry = cell.find("mxGeometry")
            assert geometry is not None
            room = float(geometry.get("height")) - float(style["imageHeight"]) - float(style["spacingTop"])
            size = float(style["fontSize"])
            if not _fits(lines, size, float(geometry.get("width")), room, size * 1.1):
                drawing.clipped.append(cid)
        elif cell.get("vertex") == "1" and ident.startswith("group-"):
            assert style.get("container") == "1"
            drawing.groups[ident.removeprefix("group-")] = cell.get("value", "")
        elif cell.get("edge") == "1":
            source, target = cells.get(cell.get("source", "")), cells.get(cell.get("target", ""))
            if source is None or target is None:
                continue
            value = cell.get("value", "")
            lines = tuple(value.split("\n")) if value else ()
            drawing.flows.append(
                (source.get("id").removeprefix("component-"), target.get("id").removeprefix("component-"), lines)
            )
    return drawing


def absolute_boxes(text: str) -> dict[str, tuple[float, float, float, float]]:
    """Every vertex's box in the drawing's coordinates (a container's children are relative to it)."""
    root = ET.fromstring(text)
    cells = {c.get("id"): c for c in root.iter("mxCell")}

    def box(ident: str) -> tuple[float, float, float, float]:
        cell = cells[ident]
        geometry = cell.find("mxGeometry")
        if geometry is None or cell.get("vertex") != "1":
            return 0.0, 0.0, 0.0, 0.0
        x, y = float(geometry.get("x", 0)), float(geometry.get("y", 0))
        px, py, _, _ = box(cell.get("parent", "1"))
        return x + px, y + py, float(geometry.get("width")), float(geometry.get("height"))

    return {ident: box(ident) for ident, cell in cells.items() if cell.get("vertex") == "1"}
