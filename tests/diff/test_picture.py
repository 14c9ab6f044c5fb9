"""The diff picture: one union layout, styles per status, side views cut from it, the fallback."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd.diff import run_diff
from mlsd.diff.picture import _fade_unchanged
from mlsd.render import svg

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _draw(specs: Path, out: Path, new: str = "scaled", view: str = "overlay", fmt: str = "text"):
    return run_diff(str(specs / "baseline.yaml"), str(specs / f"{new}.yaml"), fmt, out, view)


def _nodes(svg: Path) -> dict[str, tuple[str, str]]:
    """Node id -> position of its icon, for the nodes drawn."""
    root = ET.parse(svg).getroot()
    found = {}
    for group in root.iter(f"{SVG}g"):
        if "node" in group.get("class", "").split():
            image = next(group.iter(f"{SVG}image"), None)
            assert image is not None, group.get("id")
            found[group.get("id")] = (image.get("x"), image.get("y"))
    return found


def _classes(svg: Path) -> dict[str, str]:
    root = ET.parse(svg).getroot()
    return {g.get("id"): g.get("class", "") for g in root.iter(f"{SVG}g") if g.get("id")}


def test_overlay_files_and_self_contained_svg(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _draw(specs, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["recsys--recsys-scaled.diff.png", "recsys--recsys-scaled.diff.svg"]
    assert result.written == tuple(out / n for n in names)
    assert [m for m in result.messages if m.startswith("wrote ")] == [f"wrote {out / n}" for n in names]
    assert (out / names[0]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = (out / names[1]).read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    hrefs = [image.get(f"{XLINK}href") for image in root.iter(f"{SVG}image")]
    assert hrefs and all(h.startswith("data:image/") for h in hrefs)
    assert str(Path.home()) not in svg and "/site-packages/" not in svg


def test_every_status_is_drawn_with_colour_line_style_marker_and_legend(specs: Path, tmp_path: Path) -> None:
    _draw(specs, tmp_path)
    svg_path = tmp_path / "recsys--recsys-scaled.diff.svg"
    svg = svg_path.read_text(encoding="utf-8")
    classes = _classes(svg_path)
    assert classes["n-cache"] == "node diff-added"
    assert classes["n-logs"] == "node diff-removed"
    assert classes["n-online_features"] == "node diff-changed"
    assert classes["n-gateway"] == "node diff-renamed"
    assert classes["n-lake"] == "node diff-unchanged"
    assert classes["c-training"] == "cluster diff-changed"
    root = ET.fromstring(svg)
    by_id = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}

    def outline(element_id: str) -> ET.Element:
        shape = next(by_id[element_id].iter(f"{SVG}path"), None)
        if shape is None:
            shape = next(by_id[element_id].iter(f"{SVG}polygon"))
        return shape

    assert outline("n-cache").get("stroke") == "#1a7f37"
    removed = outline("n-logs")
    assert removed.get("stroke") == "#cf222e" and removed.get("stroke-dasharray")
    assert outline("n-online_features").get("stroke") == "#bf8700"
    removed_edges = [g for g in by_id.values() if g.get("class") == "edge diff-removed"]
    assert removed_edges
    for edge in removed_edges:
        line = next(edge.iter(f"{SVG}path"))
        assert line.get("stroke") == "#cf222e" and line.get("stroke-dasharray")
    # Markers in the picture, so that colour is never the only signal.
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "+ added" in texts and "− removed" in texts
    assert any(t.startswith("~ tech: redis → dragonfly") for t in texts)
    assert any("→ renamed from features" in t for t in texts)
    assert any("replaced by stream" in t for t in texts)
    for word in ("+ added", "− removed", "~ changed", "→ renamed", "unchanged"):
        assert any(word in t for t in texts), word
    # Unchanged icons are muted in SVG.
    image = next(by_id["n-lake"].iter(f"{SVG}image"))
    assert image.get("opacity") == "0.45"


@pytest.mark.slow
def test_side_by_side_cuts_both_sides_from_one_layout(specs: Path, tmp_path: Path) -> None:
    _draw(specs, tmp_path / "overlay")
    _draw(specs, tmp_path / "sides", view="side-by-side")
    names = sorted(p.name for p in (tmp_path / "sides").iterdir())
    assert names == [
        "recsys--recsys-scaled.new.png",
        "recsys--recsys-scaled.new.svg",
        "recsys--recsys-scaled.old.png",
        "recsys--recsys-scaled.old.svg",
    ]
    old_svg = tmp_path / "sides" / "recsys--recsys-scaled.old.svg"
    new_svg = tmp_path / "sides" / "recsys--recsys-scaled.new.svg"
    old, new = _nodes(old_svg), _nodes(new_svg)
    overlay = _nodes(tmp_path / "overlay" / "recsys--recsys-scaled.diff.svg")
    # Only what each side has is drawn ...
    assert "n-cache" not in old and "n-cache" in new
    assert "n-logs" in old and "n-logs" not in new
    # ... and everything present on both sides sits exactly where it sits on the other.
    shared = set(old) & set(new)
    assert {"n-app", "n-ranker", "n-lake", "n-online_features", "n-gateway", "n-registry"} <= shared
    for node in shared:
        assert old[node] == new[node] == overlay[node], node
    old_root, new_root = ET.parse(old_svg).getroot(), ET.parse(new_svg).getroot()
    assert (old_root.get("width"), old_root.get("height")) == (new_root.get("width"), new_root.get("height"))
    # Each side shows its own labels and icons.
    old_texts = {"".join(t.itertext()) for t in old_root.iter(f"{SVG}text")}
    new_texts = {"".join(t.itertext()) for t in new_root.iter(f"{SVG}text")}
    assert "Features" in old_texts and "Online features" in new_texts
    assert "API" in old_texts and "Gateway" in new_texts


@pytest.mark.slow
def test_pictures_are_deterministic(specs: Path, tmp_path: Path) -> None:
    _draw(specs, tmp_path / "one", view="side-by-side")
    _draw(specs, tmp_path / "two", view="side-by-side")
    for path in (tmp_path / "one").iterdir():
        if path.suffix == ".svg":
            assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


@pytest.mark.slow
def test_little_shared_falls_back_to_two_layouts_and_says_so(specs: Path, tmp_path: Path) -> None:
    result = _draw(specs, tmp_path, new="unrelated")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "recsys--rag.new.png",
        "recsys--rag.new.svg",
        "recsys--rag.old.png",
        "recsys--rag.old.svg",
    ]
    assert "two independent layouts" in result.text
    assert "positions do not correspond" in result.text
    svg = (tmp_path / "recsys--rag.new.svg").read_text(encoding="utf-8")
    assert "(independent layout)" in svg
    as_json = _draw(specs, tmp_path / "json", new="unrelated", fmt="json")
    assert any("two independent layouts" in m for m in as_json.messages)
    assert "independent" not in as_json.text


def test_identical_specs_draw_a_muted_picture(specs: Path, tmp_path: Path) -> None:
    result = run_diff(str(specs / "baseline.yaml"), str(specs / "baseline.yaml"), "text", tmp_path)
    assert result.status == 0
    classes = _classes(tmp_path / "recsys--recsys.diff.svg")
    assert {c for c in classes.values() if c.startswith("node")} == {"node diff-unchanged"}


def test_only_the_output_folder_is_written(specs: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(specs, work)
    before = set(work.rglob("*"))
    out = work / "out"
    run_diff("baseline.yaml", "scaled.yaml", "text", Path("out"), "side-by-side", cwd=work)
    after = set(work.rglob("*"))
    assert after - before == {out, *out.iterdir()}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_unchanged_icons_are_faded_however_the_svg_is_written() -> None:
    # Class order, quoting and line breaks other than Graphviz 2.43's; a pattern over the text missed them.
    body = "\n".join(
        [
            "<g id='n-a'\n class='diff-unchanged node'><title>a</title>",
            "<g id='a_n-a'><a xlink:title='A'><image xlink:href='data:image/png;base64,AA==' x='1'/></a></g></g>",
            '<g id="n-b" class="node diff-added"><title>b</title><image xlink:href="data:image/png;base64,AA=="/></g>',
            '<g id="e-1" class="edge diff-unchanged"><title>a-&gt;b</title><path d="M0,0"/></g>',
        ]
    )
    source = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>\n"
        f"{body}\n</svg>\n"
    )
    tree = svg.parse(source)
    _fade_unchanged(tree)
    root = ET.fromstring(svg.serialise(tree))
    images = {
        g.get("id"): list(g.iter(f"{SVG}image")) for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("n-")
    }
    assert {gid: [image.get("opacity") for image in found] for gid, found in images.items()} == {
        "n-a": ["0.45"],
        "n-b": [None],
    }
