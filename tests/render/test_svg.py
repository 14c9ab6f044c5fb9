"""The SVG: one box per group, self-contained icons, hostile text drawn as text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mlsd.render import build_dot, icon_for
from mlsd.render.graph import node_label
from mlsd.render.theme import THEMES

from ._helpers import (
    XLINK_HREF,
    XLINK_TITLE,
    all_text,
    canvas,
    cluster_titles,
    decode_data_uri,
    edge_titles,
    image_positions,
    node_images,
    node_titles,
    png_image,
    spec,
    svg_root,
)

# --- two groups with one label are two boxes ------------------------------------------


def test_same_label_groups_are_two_clusters_in_dot() -> None:
    dot = build_dot(spec("same_label"), THEMES["light"])
    names = re.findall(r"^\s*subgraph (\S+) \{", dot, re.M)
    assert names == ["cluster_east", "cluster_west"]
    assert dot.count("label=<Region>") == 2


def test_same_label_groups_are_two_clusters_in_svg(render_all) -> None:
    (main,) = render_all("same_label")
    svg = main.files["svg"].decode()
    assert cluster_titles(svg) == ["cluster_east", "cluster_west"]
    clusters = [g for g in svg_root(svg).iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "cluster"]
    assert [("".join(c.itertext()).count("Region")) for c in clusters] == [1, 1]
    assert svg.count('class="cluster"') == 2


def test_nested_groups_are_nested_clusters() -> None:
    dot = build_dot(spec("nested"), THEMES["light"])
    # Each subgraph opens inside the previous one: indentation grows by one tab per level.
    depth = {m.group(2): len(m.group(1)) for m in re.finditer(r"^(\t+)subgraph cluster_(\w+) \{", dot, re.M)}
    assert depth == {"platform": 1, "serving": 2, "realtime": 3, "offline": 1}
    fills = THEMES["light"].cluster_fills
    for group, level in (("platform", 0), ("serving", 1), ("realtime", 2)):
        block = dot.split(f"subgraph cluster_{group} {{", 1)[1].split("\n", 2)[1]
        assert f'bgcolor="{fills[level]}"' in block, group


# --- self-contained SVG -----------------------------------------------------------------


@pytest.fixture(scope="module")
def fraud_svg(render_all) -> str:
    (main,) = render_all("fraud", ("svg",))
    return main.files["svg"].decode("utf-8")


def test_svg_names_no_path_of_this_machine(fraud_svg: str) -> None:
    for marker in ("/work", "site-packages", "file:", "/home/", "/usr/", "/tmp/", str(Path.home())):
        assert marker not in fraud_svg, marker
    hrefs = re.findall(r'(?:xlink:)?href="([^"]*)"', fraud_svg)
    assert hrefs, "no icon reference at all"
    assert all(h.startswith("data:") for h in hrefs), [h[:40] for h in hrefs if not h.startswith("data:")]


def test_svg_embeds_one_png_per_component(fraud_svg: str) -> None:
    loaded = spec("fraud")
    assert fraud_svg.count("<image") == len(loaded.components) == 11
    images = node_images(fraud_svg)
    assert sorted(images) == sorted(loaded.components)
    for cid, found in images.items():
        assert len(found) == 1, cid
        href = found[0].get(XLINK_HREF)
        assert href.startswith("data:image/png;base64,"), cid
        mime, data = decode_data_uri(href)
        assert mime == "image/png"
        # The right icon, byte for byte: the one the DOT source named.
        assert data == icon_for(loaded, cid)[0].read_bytes(), cid


def test_custom_icon_is_embedded(render_all) -> None:
    loaded = spec("custom_icon")
    (main,) = render_all("custom_icon")
    svg = main.files["svg"].decode()
    assert "/work" not in svg and "icons/gear.png" not in svg
    images = node_images(svg)
    _, data = decode_data_uri(images["scorer"][0].get(XLINK_HREF))
    assert data == (Path(__file__).parent / "specs" / "icons" / "gear.png").read_bytes()
    assert icon_for(loaded, "scorer")[0].name == "gear.png"


def _rasterise(svg_path: Path) -> object:
    out = svg_path.with_suffix(".png")
    subprocess.run(
        ["rsvg-convert", "-b", "white", "-o", out.name, svg_path.name],
        cwd=svg_path.parent,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return png_image(out.read_bytes()).convert("RGB")


def test_svg_icons_show_when_rasterised_elsewhere(fraud_svg: str, tmp_path: Path) -> None:
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert is not installed (apt-get install librsvg2-bin); cannot rasterise the SVG")
    from PIL import ImageChops

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with_icons = elsewhere / "with.svg"
    with_icons.write_text(fraud_svg, encoding="utf-8")
    without = elsewhere / "without.svg"
    without.write_text(re.sub(r"<image\b[^>]*/>", "", fraud_svg), encoding="utf-8")
    a, b = _rasterise(with_icons), _rasterise(without)
    assert a.size == b.size

    def inked(image) -> int:
        return sum(image.convert("L").point(lambda p: 255 if p < 240 else 0).histogram()[255:])

    assert inked(a) > inked(b) + 11 * 2000, (inked(a), inked(b))
    # And every icon shows where its <image> is: its box differs between the two.
    _, _, viewbox, transform = canvas(fraud_svg)
    scale = a.size[0] / float(viewbox.split()[2])
    tx, ty = (float(v) for v in transform.split("translate(")[1].rstrip(")").split())
    diff = ImageChops.difference(a, b).convert("L").point(lambda p: 255 if p > 40 else 0)
    for cid, (x, y, w, h) in image_positions(fraud_svg).items():
        x0, y0 = (float(x) + tx) * scale, (float(y) + ty) * scale
        box = (
            round(x0),
            round(y0),
            round(x0 + float(w.rstrip("px")) * scale),
            round(y0 + float(h.rstrip("px")) * scale),
        )
        crop = diff.crop(box)
        changed = crop.histogram()[255] / (crop.size[0] * crop.size[1])
        assert changed > 0.05, f"icon of {cid} does not show ({changed:.1%} of its box drawn)"


# --- hostile text -----------------------------------------------------------------------

HOSTILE_TEXTS = [
    "<script>alert(\"title\")</script> & 'quotes' \\ done \\",
    "<script>alert(1)",
    "</script>",
    "say \"hi\" & 'bye'",
    "C:\\temp\\models\\",
    "]; } digraph",
    "evil { x",
    "a|b|{c|d}|<port>",
    "first line",
    "second line",
    "fourth",
    "نموذج اللغة",
    "الكبير",
    # 24 columns wide: wrapped by display width (CJK characters take two).
    "向量索引",
    "ベクトル 벡터",
    "&amp; &#60;",
    "&lt;b&gt; %s {0}",
    '<b>not bold</b> "g1" \\',
    '} subgraph cluster_x { label="pwned"',
    "عربي / 中文 | {braces}",
    "<script>edge</script>",
    'a "quoted" label \\',
    "]; node [shape=box]; x -> y; {",
    "multi",
    "line | pipe",
    "سؤال",
    "检索 → 結果",
    "&quot;",
]


@pytest.fixture(scope="module")
def hostile(render_all):
    (main,) = render_all("hostile", ("svg", "png", "dot"))
    return main


def test_hostile_renders_every_format(hostile) -> None:
    assert set(hostile.files) == {"svg", "png", "dot"}
    assert hostile.files["png"][:8] == b"\x89PNG\r\n\x1a\n"
    png_image(hostile.files["png"])  # decodes
    assert hostile.files["dot"].decode().startswith("digraph hostile {")


def test_hostile_svg_is_escaped(hostile) -> None:
    svg = hostile.files["svg"].decode()
    assert "&lt;script&gt;" in svg
    assert "<script" not in svg.lower()
    assert "<b>" not in svg
    svg_root(svg)  # well-formed XML


def test_hostile_text_is_drawn_verbatim(hostile) -> None:
    texts = all_text(hostile.files["svg"])
    # Labels wrap to fit under their icon, so compare without the line breaks.
    drawn = "".join("".join(t.split()) for t in texts)
    for expected in HOSTILE_TEXTS:
        assert "".join(expected.split()) in drawn, f"{expected!r} not drawn as-is; drawn: {texts}"


def test_hostile_text_injects_no_structure(hostile) -> None:
    loaded = spec("hostile")
    svg = hostile.files["svg"]
    assert sorted(node_titles(svg)) == sorted(loaded.components)  # incl. ids node, edge, graph, subgraph
    assert cluster_titles(svg) == ["cluster_g1", "cluster_g2", "cluster_g3"]
    assert len(edge_titles(svg)) == len(loaded.edges)
    assert len(image_positions(svg)) == len(loaded.components)


def test_hostile_renders_without_graphviz_warnings(hostile) -> None:
    assert hostile.warnings == ()


def _tooltips(svg: bytes) -> dict[str, str]:
    root = svg_root(svg)
    found = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") == "node":
            title = g.find("{http://www.w3.org/2000/svg}title").text
            anchor = next(g.iter("{http://www.w3.org/2000/svg}a"), None)
            found[title] = anchor.get(XLINK_TITLE) if anchor is not None else None
    return found


def test_hostile_tooltips_keep_quotes_and_markup(hostile) -> None:
    tips = _tooltips(hostile.files["svg"])
    assert tips["graph"] == "C:\\temp\\models\\"
    assert tips["subgraph"] == "]; } digraph evil { x"
    assert tips["pipes"] == "a|b|{c|d}|<port>"
    assert tips["lines"] == "line one line two"
    assert tips["arabic"] == "نموذج اللغة الكبير"


def test_hostile_tooltips_are_verbatim(hostile) -> None:
    loaded = spec("hostile")
    tips = _tooltips(hostile.files["svg"])
    for cid in ("node", "entity"):
        comp = loaded.components[cid]
        icon_shows_tech = icon_for(loaded, cid)[1]
        text = comp.description or node_label(loaded, cid, icon_shows_tech)
        assert tips[cid] == text.replace("\n", " "), cid
