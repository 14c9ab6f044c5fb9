"""Shared helpers for the rendering tests: specs, SVG parsing, pixels."""

from __future__ import annotations

import base64
import io
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

from mlsd.load import load_spec
from mlsd.model import Spec

HERE = Path(__file__).parent
SPECS = HERE / "specs"
GOLDEN = HERE / "golden"

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def spec(name: str) -> Spec:
    """A test spec from tests/render/specs/ by file stem."""
    return load_spec(SPECS / f"{name}.yaml")


# --- DOT ---------------------------------------------------------------------------------

_IMAGE_ATTR = re.compile(r'\b(image|src)="([^"]*)"')


def normalise_dot(dot: str) -> str:
    """DOT with every absolute icon path replaced by `<icon:FILE-NAME>`."""

    def repl(match: re.Match[str]) -> str:
        attribute, path = match.groups()
        if not path:
            return match.group(0)
        return f'{attribute}="<icon:{Path(path).name}>"'

    return _IMAGE_ATTR.sub(repl, dot)


_EDGE_COLOUR = re.compile(r'^\s*\S+ -> \S+ \[.*?\bcolor="([^"]+)"', re.M)


def edge_colours(dot: str) -> list[str]:
    """The colour of every edge statement of a DOT source."""
    return _EDGE_COLOUR.findall(dot)


# --- SVG ---------------------------------------------------------------------------------


def svg_root(svg: str | bytes) -> ET.Element:
    """Parse an SVG (and so prove it is well-formed XML)."""
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    return ET.fromstring(data)


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    """Groups of class `cls`, leaving out the legend's (it is not part of the design)."""
    return [
        g
        for g in root.iter(f"{SVG}g")
        if cls in (g.get("class") or "").split() and "mlsd_legend" not in (g.get("class") or "").split()
    ]


def legend(svg: str | bytes) -> list[tuple[str, str, str | None]]:
    """The legend under a picture: (kind, line colour, dash pattern) per sample, left to right."""
    root = svg_root(svg)
    marked = [g for g in root.iter(f"{SVG}g") if "mlsd_legend" in (g.get("class") or "").split()]
    names = [t.text or "" for g in marked if "node" in (g.get("class") or "") for t in g.iter(f"{SVG}text")]
    lines = [next(g.iter(f"{SVG}path")) for g in marked if "edge" in (g.get("class") or "")]
    return [
        (name, line.get("stroke") or "", line.get("stroke-dasharray")) for name, line in zip(names, lines, strict=True)
    ]


def _title(group: ET.Element) -> str:
    title = group.find(f"{SVG}title")
    assert title is not None and title.text is not None
    return title.text


def node_titles(svg: str | bytes) -> list[str]:
    """The DOT id of every node group in the SVG."""
    return [_title(g) for g in _groups(svg_root(svg), "node")]


def cluster_titles(svg: str | bytes) -> list[str]:
    return [_title(g) for g in _groups(svg_root(svg), "cluster")]


def edge_titles(svg: str | bytes) -> list[str]:
    return [_title(g) for g in _groups(svg_root(svg), "edge")]


def node_images(svg: str | bytes) -> dict[str, list[ET.Element]]:
    """Node id -> the <image> elements drawn inside that node."""
    return {_title(g): list(g.iter(f"{SVG}image")) for g in _groups(svg_root(svg), "node")}


def image_positions(svg: str | bytes) -> dict[str, tuple[str, str, str, str]]:
    """Node id -> (x, y, width, height) of its icon, for nodes that draw one."""
    result = {}
    for node, images in node_images(svg).items():
        assert len(images) <= 1, f"node {node} draws {len(images)} images"
        if images:
            img = images[0]
            result[node] = (img.get("x"), img.get("y"), img.get("width"), img.get("height"))
    return result


def node_texts(svg: str | bytes) -> dict[str, list[ET.Element]]:
    return {_title(g): list(g.iter(f"{SVG}text")) for g in _groups(svg_root(svg), "node")}


def canvas(svg: str | bytes) -> tuple[str | None, ...]:
    """The page geometry: width, height, viewBox and the graph's transform."""
    root = svg_root(svg)
    graph = _groups(root, "graph")[0]
    return root.get("width"), root.get("height"), root.get("viewBox"), graph.get("transform")


def background_fill(svg: str | bytes) -> str | None:
    """The fill of the page background polygon (the first shape of the graph)."""
    graph = _groups(svg_root(svg), "graph")[0]
    polygon = graph.find(f"{SVG}polygon")
    return None if polygon is None else polygon.get("fill")


def all_text(svg: str | bytes) -> list[str]:
    """Every <text> content of the SVG, unescaped."""
    return ["".join(t.itertext()) for t in svg_root(svg).iter(f"{SVG}text")]


def decode_data_uri(href: str) -> tuple[str, bytes]:
    head, _, payload = href.partition(",")
    assert head.startswith("data:") and head.endswith(";base64"), href[:60]
    return head[len("data:") : -len(";base64")], base64.b64decode(payload, validate=True)


# --- PNG ---------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (works for images too big for Pillow)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def png_image(data: bytes):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
