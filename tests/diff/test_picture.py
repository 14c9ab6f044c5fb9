"""The diff picture: one union layout, styles per status, side views cut from it, the fallback."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd.diff import run_diff
from mlsd.diff.compare import diff_specs
from mlsd.diff.dotedit import restyle
from mlsd.diff.picture import NEW, OLD, _fade_unchanged, build_plan, node_html
from mlsd.load import load_spec
from mlsd.render import svg
from mlsd.render.engine import arrange

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _draw(specs: Path, out: Path, new: str = "scaled", view: str = "overlay", fmt: str = "text"):
    return run_diff(str(specs / "baseline.yaml"), str(specs / f"{new}.yaml"), fmt, out, view)


def _nodes(svg: Path) -> dict[str, tuple[str, str]]:
    """Node id -> position of its icon, for the components drawn (not the legend's samples)."""
    root = ET.parse(svg).getroot()
    found = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "node" in classes and "diff-legend" not in classes:
            image = next(group.iter(f"{SVG}image"), None)
            assert image is not None, group.get("id")
            found[group.get("id")] = (image.get("x"), image.get("y"))
    return found


def _outlines(svg: Path) -> dict[str, list[str]]:
    """Element id -> the outlines drawn in it (a component's border, a flow's line), for elements drawn."""
    root = ET.parse(svg).getroot()
    return {
        g.get("id"): [p.get("d") for p in g.iter(f"{SVG}path")]
        for g in root.iter(f"{SVG}g")
        if g.get("id", "").startswith(("n-", "e-")) and next(g.iter(f"{SVG}path"), None) is not None
    }


def _texts(group: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]


def _box(path: str) -> tuple[float, float, float, float]:
    """The bounding box of an SVG path of absolute coordinates, as Graphviz writes them."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


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
    classes = _classes(svg_path)
    assert classes["n-cache"] == "node diff-added"
    assert classes["n-logs"] == "node diff-removed"
    assert classes["n-online_features"] == "node diff-changed"
    assert classes["n-gateway"] == "node diff-renamed"
    assert classes["n-lake"] == "node diff-unchanged"
    assert classes["c-training"] == "cluster diff-changed"
    root = ET.parse(svg_path).getroot()
    by_id = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}

    def borders(element_id: str) -> list[ET.Element]:
        return list(by_id[element_id].iter(f"{SVG}path"))

    # A component's status is its border: bold green, dashed red, two amber lines, one amber line, none.
    (added,) = borders("n-cache")
    assert added.get("stroke") == "#1a7f37" and float(added.get("stroke-width")) >= 3
    (removed,) = borders("n-logs")
    assert removed.get("stroke") == "#cf222e" and removed.get("stroke-dasharray")
    assert [p.get("stroke") for p in borders("n-online_features")] == ["#bf8700", "#bf8700"]
    (renamed,) = borders("n-gateway")
    assert renamed.get("stroke") == "#bf8700"
    assert borders("n-lake") == []
    removed_edges = [g for g in by_id.values() if g.get("class") == "edge diff-removed"]
    assert removed_edges
    for edge in removed_edges:
        line = next(edge.iter(f"{SVG}path"))
        assert line.get("stroke") == "#cf222e" and line.get("stroke-dasharray")
    # Unchanged icons are muted in SVG.
    image = next(by_id["n-lake"].iter(f"{SVG}image"))
    assert image.get("opacity") == "0.45"


def test_status_words_and_notes_are_inside_their_components_border(specs: Path, tmp_path: Path) -> None:
    # Issue #15: the tag is part of the component's own label, never an xlabel Graphviz may float away,
    # and the border encloses the text as well as the icon.
    _draw(specs, tmp_path)
    svg_path = tmp_path / "recsys--recsys-scaled.diff.svg"
    source = svg_path.read_text(encoding="utf-8")
    root = ET.fromstring(source)
    by_id = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    expected = {
        "n-cache": ("+ added", "Cache"),
        "n-stream": ("+ added", "replaces batch"),
        "n-logs": ("− removed", "Logs"),
        "n-batch": ("− removed", "replaced by stream"),
        "n-online_features": ("~ changed", "renamed from features", "tech: redis → dragonfly"),
        "n-registry": ("~ changed", "moved: Training → Online serving"),
        "n-gateway": ("→ renamed", "Gateway", "from api"),
    }
    for node, words in expected.items():
        texts = _texts(by_id[node])
        assert texts[0] == words[0], node  # the status word comes first, over the icon
        joined = " ".join(texts)
        for word in words[1:]:
            assert word in joined, (node, word)
        x0, y0, x1, y1 = _box(next(by_id[node].iter(f"{SVG}path")).get("d"))
        for text in by_id[node].iter(f"{SVG}text"):
            x, y = float(text.get("x")), float(text.get("y"))
            assert text.get("text-anchor") == "start"
            width = len("".join(text.itertext())) * 0.6 * float(text.get("font-size"))
            assert x0 < x and x + width * 0.8 < x1 and y0 < y < y1, (node, "".join(text.itertext()))
    assert _texts(by_id["n-lake"]) == ["Lake"]
    assert "xlabel" not in source and not [g for g in root.iter(f"{SVG}g") if "xlabel" in g.get("class", "")]


def test_the_legend_draws_each_status_with_its_border_and_line_not_glyphs(specs: Path, tmp_path: Path) -> None:
    _draw(specs, tmp_path)
    svg_path = tmp_path / "recsys--recsys-scaled.diff.svg"
    root = ET.parse(svg_path).getroot()
    by_id = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    texts = [t for g in root.iter(f"{SVG}g") for t in _texts(g)]
    # No box-drawing or block glyphs standing in for lines anywhere in the picture.
    assert not [t for t in texts if re.search("[\u2500-\u259f]", t)]
    colours = {"added": "#1a7f37", "removed": "#cf222e", "changed": "#bf8700", "renamed": "#bf8700"}
    for status, colour in colours.items():
        word, line = by_id[f"legend-{status}"], by_id[f"legend-{status}-line"]
        assert "diff-legend" in word.get("class").split()
        assert status in " ".join(_texts(word))
        assert {p.get("stroke") for p in word.iter(f"{SVG}path")} == {colour}  # the word inside the border
        stroke = next(line.iter(f"{SVG}path"))
        assert stroke.get("stroke") == colour
        assert bool(stroke.get("stroke-dasharray")) == (status == "removed")
    assert len(list(by_id["legend-changed"].iter(f"{SVG}path"))) == 2  # the double border
    assert _texts(by_id["legend-unchanged"]) == ["unchanged"]
    assert not list(by_id["legend-unchanged"].iter(f"{SVG}path"))
    # The legend sits under the drawing.
    lowest_node = max(
        float(t.get("y")) for g in by_id.values() if g.get("id", "").startswith("n-") for t in g.iter(f"{SVG}text")
    )
    assert all(float(t.get("y")) > lowest_node for t in by_id["legend-added"].iter(f"{SVG}text"))


def test_every_face_of_a_component_is_drawn_at_one_size(specs: Path) -> None:
    # What lets a side swap in its own face without moving anything: the icon, text and
    # notes of each side fill the same box (padded to the tallest face, the widest face's room).
    plan = build_plan(diff_specs(load_spec(specs / "baseline.yaml"), load_spec(specs / "scaled.yaml"), {}))
    both = [n for n in plan.nodes if len(n.faces) == 2]
    assert {"online_features", "gateway", "registry"} <= {n.name for n in both}
    lines = [
        f"{n.name.replace('~', '_')}_{side} [label={node_html(n, face)}];"
        for n in both
        for side, face in (("union", n.union), *n.faces.items())
    ]
    source = 'digraph g {\n node [shape=plaintext, margin=0, width=0, height=0, fontname="DejaVu Sans", fontsize=18];\n'
    laid_out = json.loads(arrange(source + "\n".join(lines) + "\n}\n", "faces"))
    sizes: dict[str, set[tuple[str, str]]] = {}
    for item in laid_out["objects"]:
        sizes.setdefault(item["name"].rsplit("_", 1)[0], set()).add((item["width"], item["height"]))
    assert all(len(found) == 1 for found in sizes.values()), sizes
    features = next(n for n in both if n.name == "online_features")
    assert features.faces[OLD].label != features.faces[NEW].label
    assert node_html(features, features.faces[OLD]) != node_html(features, features.faces[NEW])


def test_a_side_swaps_a_whole_label_and_refuses_a_broken_one() -> None:
    dot = 'digraph g {\n\ta\t[id="n-a",\n\t\tlabel=<<table><tr><td><img src="old.png"/></td></tr></table>>,\n\t\tpos="1,2"];\n}\n'
    swapped = restyle(dot, {"n-a": {"label": '<<table><tr><td><img src="new.png"/></td></tr></table>>'}})
    assert "new.png" in swapped and "old.png" not in swapped and 'pos="1,2"' in swapped
    for broken in ("<<table><tr><td>cut</td></tr>", '"open', "a b", ""):
        with pytest.raises(ValueError):
            restyle(dot, {"n-a": {"label": broken}})


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
    # The borders around them and the flows both sides draw are the very same lines, too.
    old_lines, new_lines = _outlines(old_svg), _outlines(new_svg)
    overlay_lines = _outlines(tmp_path / "overlay" / "recsys--recsys-scaled.diff.svg")
    both = set(old_lines) & set(new_lines)
    assert {"n-online_features", "n-gateway", "n-registry"} <= both and any(e.startswith("e-") for e in both)
    for element in both:
        assert old_lines[element] == new_lines[element] == overlay_lines[element], element
    old_root, new_root = ET.parse(old_svg).getroot(), ET.parse(new_svg).getroot()
    assert (old_root.get("width"), old_root.get("height")) == (new_root.get("width"), new_root.get("height"))
    assert old_root.get("viewBox") == new_root.get("viewBox")
    # Each side shows its own labels and icons: the whole face is swapped, the status word stays.
    old_nodes = {g.get("id"): g for g in old_root.iter(f"{SVG}g") if g.get("id", "").startswith("n-")}
    new_nodes = {g.get("id"): g for g in new_root.iter(f"{SVG}g") if g.get("id", "").startswith("n-")}
    old_features, new_features = (" ".join(_texts(n["n-online_features"])) for n in (old_nodes, new_nodes))
    assert old_features.startswith("~ changed Features Redis") and "renamed to online_features" in old_features
    assert new_features.startswith("~ changed Online features") and "renamed from features" in new_features
    assert _texts(old_nodes["n-gateway"])[:2] == ["→ renamed", "API"]
    assert _texts(new_nodes["n-gateway"])[:2] == ["→ renamed", "Gateway"]
    old_icons = {n: next(g.iter(f"{SVG}image")).get(f"{XLINK}href") for n, g in old_nodes.items() if n in new_nodes}
    new_icons = {n: next(g.iter(f"{SVG}image")).get(f"{XLINK}href") for n, g in new_nodes.items() if n in old_nodes}
    assert old_icons["n-online_features"] != new_icons["n-online_features"]  # redis, then dragonfly's kind icon
    assert old_icons["n-ranker"] == new_icons["n-ranker"]


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
    nodes = {c for c in classes.values() if c.startswith("node") and "diff-legend" not in c}
    assert nodes == {"node diff-unchanged"}


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
