"""The picture as an Excalidraw scene (`.excalidraw`), for whiteboards and design interviews.

Each component is a rectangle with its label bound to it (the text moves and
wraps with the box) and its icon as an image on top, the three grouped; each
flow an arrow bound to its two rectangles, so it follows a moved box, with
the flow kind's colour, dash and arrowhead and its label bound to it; each
group a frame (a group inside another, a rectangle inside its frame, since
frames do not nest); icons are embedded as data URLs in `files`.

Excalidraw gives every element a random seed and version nonce and a time
stamp; here they are derived from the element's id and fixed, so the same
spec always gives the same bytes.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

from mlsd.export.layout import FONTS, Component, Flow, Rect, Scene
from mlsd.model import Spec
from mlsd.render.labels import ems

__all__ = ["to_excalidraw"]

PX = 4 / 3  # Excalidraw counts CSS pixels; the scene is in points
SOURCE = "mlsd"
FONT_FAMILY = 2  # Excalidraw's "Helvetica": plain sans-serif, no hand-drawn look
LINE_HEIGHT = 1.25
TEXT_PAD = 5  # Excalidraw's padding between a container and its bound text
_ARROWHEADS = {
    "normal": "triangle",
    "vee": "arrow",
    "onormal": "triangle_outline",
    "diamond": "diamond",
    "odot": "circle_outline",
    "odiamond": "diamond_outline",
}
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def to_excalidraw(spec: Spec, scene: Scene) -> str:
    """`scene` as the JSON text of an Excalidraw file."""
    theme = scene.theme
    elements: list[dict[str, Any]] = []
    files: dict[str, dict[str, Any]] = {}
    bound: dict[str, list[dict[str, str]]] = {}
    frame_of = _frames(scene)

    title_size = 28
    elements.append(
        _text(
            "title",
            scene.title,
            x=0.0,
            y=-title_size * LINE_HEIGHT * 1.6,
            size=title_size,
            colour=theme.text,
            align="left",
        )
    )
    for group in scene.groups:
        box = _px(group.box)
        if group.parent is None:
            element = _base(f"group-{group.id}", "frame", box, stroke=theme.cluster_border, fill="transparent")
            element["name"] = group.label
            elements.append(element)
            # A frame has no fill of its own: a rectangle behind its contents gives the tint.
            tint = _base(f"tint-{group.id}", "rectangle", box, stroke="transparent", fill=group.fill)
            tint["frameId"] = element["id"]
            tint["roundness"] = {"type": 3}
            elements.append(tint)
        else:
            element = _base(f"group-{group.id}", "rectangle", box, stroke=theme.cluster_border, fill=group.fill)
            element["roundness"] = {"type": 3}
            element["frameId"] = frame_of.get(group.id)
            label = _text(
                f"group-{group.id}-label",
                group.label,
                x=box[0] + TEXT_PAD,
                y=box[1] + TEXT_PAD,
                size=FONTS["group"] * PX,
                colour=theme.text,
                align="left",
                container=element["id"],
                valign="top",
            )
            label["frameId"] = element["frameId"]
            element["boundElements"] = [{"type": "text", "id": label["id"]}]
            elements += [element, label]

    for comp in scene.components:
        elements += _component(comp, scene, files, bound, frame_of.get(comp.id))
    for flow in scene.flows:
        elements += _arrow(flow, scene, bound)
    for element in elements:
        if element["id"] in bound:
            element["boundElements"] = (element["boundElements"] or []) + bound[element["id"]]
    document = {
        "type": "excalidraw",
        "version": 2,
        "source": SOURCE,
        "elements": elements,
        "appState": {"viewBackgroundColor": theme.background, "gridSize": None},
        "files": files,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _frames(scene: Scene) -> dict[str, str]:
    """The frame (outermost group's element id) of every component and inner group."""
    top: dict[str, str] = {}
    parents = {g.id: g.parent for g in scene.groups}
    for group in scene.groups:
        outer = group.id
        while parents.get(outer) is not None:
            outer = parents[outer] or outer
        top[group.id] = f"group-{outer}"
    found: dict[str, str] = {g: top[g] for g in top if parents[g] is not None}
    for comp in scene.components:
        if comp.group is not None and comp.group in top:
            found[comp.id] = top[comp.group]
    return found


def _component(
    comp: Component,
    scene: Scene,
    files: dict[str, dict[str, Any]],
    bound: dict[str, list[dict[str, str]]],
    frame: str | None,
) -> list[dict[str, Any]]:
    theme = scene.theme
    group = [f"component-{comp.id}"]
    fill = theme.node_fill or "transparent"
    box = _base(f"component-{comp.id}-box", "rectangle", _px(comp.box), stroke="transparent", fill=fill)
    box["roundness"] = {"type": 3}
    colour = theme.text if theme.node_fill is None else "#1E2227"
    x, y, w, h = _px(comp.box)
    label = _text(
        f"component-{comp.id}-label",
        "\n".join(comp.lines),
        x=x + TEXT_PAD,
        y=y + h - TEXT_PAD - len(comp.lines) * FONTS["component"] * PX * LINE_HEIGHT,
        size=FONTS["component"] * PX,
        colour=colour,
        container=box["id"],
        valign="bottom",
        width=w - 2 * TEXT_PAD,
    )
    box["boundElements"] = [{"type": "text", "id": label["id"]}]
    file_id = _file(comp.icon, files)
    icon = _base(f"component-{comp.id}-icon", "image", _px(comp.icon_box), stroke="transparent", fill="transparent")
    icon.update(fileId=file_id, status="saved", scale=[1, 1], crop=None)
    for element in (box, label, icon):
        element["groupIds"] = group
        element["frameId"] = frame
    if comp.tooltip:
        box["customData"] = {"description": comp.tooltip}
    return [box, label, icon]


def _file(icon: Path, files: dict[str, dict[str, Any]]) -> str:
    data = icon.read_bytes()
    file_id = f"icon-{zlib.crc32(data):08x}"
    if file_id not in files:
        mime = _MIME.get(icon.suffix.lower(), "image/png")
        files[file_id] = {
            "mimeType": mime,
            "id": file_id,
            "dataURL": f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}",
            "created": 1,
            "lastRetrieved": 1,
        }
    return file_id


def _arrow(flow: Flow, scene: Scene, bound: dict[str, list[dict[str, str]]]) -> list[dict[str, Any]]:
    points = [(x * PX, y * PX) for x, y in _simplify(flow.route)]
    x0, y0 = points[0]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    arrow = _base(f"flow-{flow.id}", "arrow", box, stroke=flow.colour, fill="transparent")
    arrow["x"], arrow["y"] = round(x0, 2), round(y0, 2)
    arrow.update(
        points=[[round(x - x0, 2), round(y - y0, 2)] for x, y in points],
        strokeStyle={"dashed": "dashed", "dotted": "dotted"}.get(flow.style.style, "solid"),
        strokeWidth=4 if flow.style.style == "bold" else 2 if flow.style.penwidth >= 1.6 else 1,
        roundness={"type": 2} if len(points) > 2 else None,
        lastCommittedPoint=None,
        startArrowhead=None,
        endArrowhead=_ARROWHEADS[flow.style.arrowhead],
        elbowed=False,
        startBinding={"elementId": f"component-{flow.source}-box", "focus": 0, "gap": 4},
        endBinding={"elementId": f"component-{flow.target}-box", "focus": 0, "gap": 4},
    )
    for end in (flow.source, flow.target):
        bound.setdefault(f"component-{end}-box", []).append({"type": "arrow", "id": arrow["id"]})
    made = [arrow]
    if flow.lines:
        size = FONTS["flow"] * PX
        mid = points[len(points) // 2]
        label = _text(
            f"flow-{flow.id}-label",
            "\n".join(flow.lines),
            x=mid[0],
            y=mid[1],
            size=size,
            colour=scene.theme.muted_text,
            container=arrow["id"],
            valign="middle",
        )
        arrow["boundElements"] = [{"type": "text", "id": label["id"]}]
        made.append(label)
    return made


def _simplify(route: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """A few points along the route (Excalidraw draws a smooth curve through them)."""
    if len(route) <= 2:
        return list(route)
    step = max((len(route) - 1) // 4, 1)
    points = [route[i] for i in range(0, len(route) - 1, step)]
    return [*points, route[-1]]


def _px(rect: Rect) -> tuple[float, float, float, float]:
    return round(rect.x * PX, 2), round(rect.y * PX, 2), round(rect.w * PX, 2), round(rect.h * PX, 2)


def _seed(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) & 0x7FFFFFFF


def _base(ident: str, kind: str, box: tuple[float, float, float, float], *, stroke: str, fill: str) -> dict[str, Any]:
    x, y, w, h = box
    return {
        "id": ident,
        "type": kind,
        "x": x,
        "y": y,
        "width": round(w, 2),
        "height": round(h, 2),
        "angle": 0,
        "strokeColor": stroke,
        "backgroundColor": fill,
        "fillStyle": "solid",
        "strokeWidth": 1,
        "strokeStyle": "solid",
        "roughness": 0,
        "opacity": 100,
        "groupIds": [],
        "frameId": None,
        "roundness": None,
        "seed": _seed(ident),
        "version": 1,
        "versionNonce": _seed(f"nonce:{ident}"),
        "isDeleted": False,
        "boundElements": None,
        "updated": 1,
        "link": None,
        "locked": False,
    }


def _text(
    ident: str,
    text: str,
    *,
    x: float,
    y: float,
    size: float,
    colour: str,
    align: str = "center",
    container: str | None = None,
    valign: str = "top",
    width: float | None = None,
) -> dict[str, Any]:
    lines = text.split("\n")
    measured = max(ems(line) for line in lines) * size
    height = len(lines) * size * LINE_HEIGHT
    element = _base(
        ident, "text", (round(x, 2), round(y, 2), width or measured, height), stroke=colour, fill="transparent"
    )
    element.update(
        text=text,
        originalText=text,
        fontSize=round(size, 2),
        fontFamily=FONT_FAMILY,
        textAlign=align,
        verticalAlign=valign,
        containerId=container,
        autoResize=True,
        lineHeight=LINE_HEIGHT,
    )
    return element
