"""The editable exports (pptx, excalidraw, drawio): every component, group, flow and label,
flows attached to their components, no text larger than its box, positions as the SVG's."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from mlsd.cli import main
from mlsd.export import BINARY_TARGETS, export, export_bytes
from mlsd.export.layout import ICON_SIZE, Scene, lay_out
from mlsd.render import svg_text

from ._editable import Drawing, absolute_boxes, expected, read_drawio, read_excalidraw, read_pptx
from .conftest import EXAMPLES, spec

EDITABLE = ("pptx", "excalidraw", "drawio")
GALLERY = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
SMALL = ["spam-filtering", "hostile"]


def read(to: str, data: bytes) -> Drawing:
    """The export of target `to` read back by its own parser."""
    if to == "pptx":
        return read_pptx(data)
    if to == "excalidraw":
        return read_excalidraw(data.decode("utf-8"))
    return read_drawio(data.decode("utf-8"))


def check_complete(name: str, to: str) -> None:
    loaded = spec(name)
    want = expected(loaded)
    got = read(to, export_bytes(loaded, to))
    assert got.components == want.components
    assert got.icons == want.icons
    assert got.groups == want.groups
    assert Counter(got.flows) == Counter(want.flows), "every flow attached to its two components, with its label"
    assert got.clipped == []


@pytest.mark.parametrize("to", EDITABLE)
@pytest.mark.parametrize("name", SMALL)
def test_every_part_is_there_and_attached(name: str, to: str) -> None:
    check_complete(name, to)


@pytest.mark.slow
@pytest.mark.parametrize("to", EDITABLE)
@pytest.mark.parametrize("name", GALLERY)
def test_every_gallery_spec_is_complete_in_every_editable_format(name: str, to: str) -> None:
    check_complete(name, to)


@pytest.mark.parametrize("to", EDITABLE)
def test_the_same_spec_gives_the_same_bytes(to: str) -> None:
    loaded = spec("spam-filtering")
    assert export_bytes(loaded, to) == export_bytes(loaded, to)


def test_the_pptx_zip_dates_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    loaded = spec("spam-filtering")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = export_bytes(loaded, "pptx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_text_targets_refuse_nothing_and_pptx_is_binary_only() -> None:
    loaded = spec("spam-filtering")
    assert {"pptx"} == BINARY_TARGETS
    with pytest.raises(ValueError, match="not text"):
        export(loaded, "pptx")
    assert export(loaded, "drawio").startswith("<mxfile")


def _svg_icons(svg: str) -> dict[str, tuple[float, float]]:
    """Each component's icon's centre in the SVG, by component id."""
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    found = {}
    for node in root.iterfind(".//svg:g[@class='node']", ns):
        title = node.find("svg:title", ns)
        image = node.find(".//svg:image", ns)
        if title is not None and image is not None:
            width = float(image.get("width", "0").removesuffix("px"))
            height = float(image.get("height", "0").removesuffix("px"))
            found[title.text or ""] = (float(image.get("x", 0)) + width / 2, float(image.get("y", 0)) + height / 2)
    return found


@pytest.mark.parametrize("name", ["rag-chatbot", "hostile"])
def test_components_are_where_the_svg_draws_them(name: str) -> None:
    loaded = spec(name)
    scene = lay_out(loaded)
    drawn = _svg_icons(svg_text(loaded))
    assert set(drawn) == {c.id for c in scene.components}
    # One translation takes every icon of the scene onto the SVG's.
    first = scene.components[0]
    dx = drawn[first.id][0] - first.icon_box.centre[0]
    dy = drawn[first.id][1] - first.icon_box.centre[1]
    for comp in scene.components:
        assert drawn[comp.id][0] == pytest.approx(comp.icon_box.centre[0] + dx, abs=1.0), comp.id
        assert drawn[comp.id][1] == pytest.approx(comp.icon_box.centre[1] + dy, abs=1.0), comp.id


def test_drawio_converts_back_to_the_scene() -> None:
    loaded = spec("rag-chatbot")
    scene = lay_out(loaded)
    boxes = absolute_boxes(export(loaded, "drawio"))
    for comp in scene.components:
        x, y, w, h = boxes[f"component-{comp.id}"]
        assert (x, y, w, h) == pytest.approx((comp.box.x, comp.box.y, comp.box.w, comp.box.h), abs=0.01)
    for group in scene.groups:
        assert boxes[f"group-{group.id}"] == pytest.approx(
            (group.box.x, group.box.y, group.box.w, group.box.h), abs=0.01
        )


def test_pptx_connectors_carry_the_flow_styles() -> None:
    loaded = spec("rag-chatbot")
    scene: Scene = lay_out(loaded)
    slide = Presentation(io.BytesIO(export_bytes(loaded, "pptx"))).slides[0]
    connectors = {s.name.removeprefix("Flow "): s for s in slide.shapes if s.name.startswith("Flow ")}
    assert set(connectors) == {f.id for f in scene.flows}
    ends = set()
    for flow in scene.flows:
        line = connectors[flow.id].line
        assert str(line.color.rgb) == flow.colour.lstrip("#").upper()
        xml = ET.tostring(connectors[flow.id]._element).decode()
        tail = re.search(r'tailEnd type="(\w+)"', xml)
        assert tail is not None
        ends.add((flow.kind, tail.group(1), line.dash_style))
    assert len({kind for kind, *_ in ends}) == len(ends), "one look per flow kind"
    legend = [s.text_frame.text for s in slide.shapes if s.name.startswith("Legend ") and s.has_text_frame]
    assert legend == list(scene.kinds)


def test_excalidraw_icons_are_files_and_groups_frames() -> None:
    import json

    document = json.loads(export(spec("rag-chatbot"), "excalidraw"))
    frames = [e for e in document["elements"] if e["type"] == "frame"]
    assert frames and all(e["name"] for e in frames)
    images = [e for e in document["elements"] if e["type"] == "image"]
    assert images and all(e["fileId"] in document["files"] for e in images)
    assert all(max(e["width"], e["height"]) == pytest.approx(ICON_SIZE * 4 / 3, abs=0.01) for e in images)
    seeds = [e["seed"] for e in document["elements"]]
    assert len(set(seeds)) == len(seeds)


@pytest.mark.parametrize("to", EDITABLE)
def test_cli_writes_each_editable_target(tmp_path: Path, to: str) -> None:
    out = tmp_path / f"design.{to}"
    result = CliRunner().invoke(main, ["export", str(EXAMPLES / "spam-filtering.yaml"), "--to", to, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read(to, out.read_bytes()).components


def test_cli_pptx_to_standard_output_is_the_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(EXAMPLES / "spam-filtering.yaml"), "--to", "pptx"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"PK")
