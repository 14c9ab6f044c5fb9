"""The SVG: one box per group, self-contained icons, hostile text drawn as text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlsd.render import build_dot, icon_for
from mlsd.render.graph import node_label
from mlsd.render.svg import drop_hidden, embed_icons
from mlsd.render.theme import COLOURS

from ._helpers import (
    SVG,
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
    dot = build_dot(spec("same_label"), COLOURS["light"])
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
    dot = build_dot(spec("nested"), COLOURS["light"])
    # Each subgraph opens inside the previous one: indentation grows by one tab per level.
    depth = {m.group(2): len(m.group(1)) for m in re.finditer(r"^(\t+)subgraph cluster_(\w+) \{", dot, re.M)}
    assert depth == {"platform": 1, "serving": 2, "realtime": 3, "offline": 1}
    fills = COLOURS["light"].cluster_fills
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
        pytest.fail("rsvg-convert is not installed: run `make test` (or apt-get install librsvg2-bin)")
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

    # Icons are drawn 52 pt wide: each inks about a thousand pixels or more at 96 dpi.
    assert inked(a) > inked(b) + 11 * 1000, (inked(a), inked(b))
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


# --- edits through an XML parser, not the text ---------------------------------------

_PROLOGUE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
)


def _document(body: str, xlink: str = "xlink") -> str:
    return (
        f"{_PROLOGUE}<!-- Title: t Pages: 1 -->\n"
        f"<svg width='10pt'\n height='10pt' xmlns='http://www.w3.org/2000/svg' xmlns:{xlink}='http://www.w3.org/1999/xlink'>\n"
        f"{body}\n</svg>\n"
    )


@pytest.fixture
def icon(tmp_path: Path) -> Path:
    path = tmp_path / "my-icon.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really a picture")
    return path


def _hrefs(svg: str) -> list[str]:
    return [image.get(XLINK_HREF) or image.get("href") for image in svg_root(svg).iter(f"{SVG}image")]


def test_icons_are_embedded_however_the_tag_is_written(icon: Path) -> None:
    # Quoting, attribute order, a line break inside the tag, an entity in the
    # path, another prefix for xlink, a closing tag and SVG 2's plain href: none
    # of these is what Graphviz 2.43 prints, and a pattern over the text missed them.
    escaped = str(icon).replace("-", "&#45;")
    body = "\n".join(
        [
            f"<image x='1' y='2' xlink:href='{icon}' width='8px' height='8px'/>",
            f'<image width="8px"\n  xlink:href="{escaped}"\n  height="8px"></image>',
            f'<image href="{icon}"/>',
        ]
    )
    expected = "data:image/png;base64,iVBORw0KGgpub3QgcmVhbGx5IGEgcGljdHVyZQ=="
    assert _hrefs(embed_icons(_document(body), {str(icon): icon})) == [expected] * 3
    other_prefix = body.replace("xlink:", "x:")
    assert _hrefs(embed_icons(_document(other_prefix, "x"), {str(icon): icon})) == [expected] * 3


def test_images_that_are_not_known_icons_are_dropped(icon: Path) -> None:
    body = (
        f"<g id='node1' class='node'><title>a</title><image xlink:href='/etc/passwd'/><image xlink:href='{icon}'/></g>"
    )
    svg = embed_icons(_document(body), {str(icon): icon})
    assert "/etc/passwd" not in svg and str(icon) not in svg
    assert len(_hrefs(svg)) == 1
    assert [e.tag for e in svg_root(svg).iter(f"{SVG}title")] == [f"{SVG}title"]


def _hidden_frame() -> str:
    return _document(
        "\n".join(
            [
                # One group spread over lines, with the hidden class first.
                '<g id="node1"\n   class="mlsd_hidden node">',
                "<title>hidden_a</title>",
                '<g id="a_node1"><a xlink:title="secret tooltip">',
                '<text x="0" y="0">secret label</text>',
                "</a>",
                "</g>",
                "</g>",
                # A whole group on one line, followed on that line by a shown one.
                "<g id='edge1' class='edge mlsd_hidden'><title>a-&gt;b</title><path d='M0,0'/></g>"
                "<g id='node2' class='node'><title>shown</title><text>shown label</text></g>",
                '<g id="clust1" class="cluster mlsd_hidden"><title>cluster_c</title><polygon points="0,0"/>'
                "<text>group label</text></g>",
                # A class that merely contains the word is not hidden.
                '<g id="node3" class="node not_mlsd_hidden"><title>other</title><text>other label</text></g>',
            ]
        )
    )


def test_drop_hidden_empties_hidden_groups_however_they_are_written() -> None:
    root = svg_root(drop_hidden(_hidden_frame()))
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    for gid, title in (("node1", "hidden_a"), ("edge1", "a->b"), ("clust1", "cluster_c")):
        assert [(child.tag, child.text) for child in groups[gid]] == [(f"{SVG}title", title)], gid
    drawn = "".join(root.itertext())
    assert "secret" not in drawn and "group label" not in drawn
    assert "shown label" in drawn and "other label" in drawn
    assert sorted(groups) == ["clust1", "edge1", "node1", "node2", "node3"]


def test_svg_edits_keep_the_prologue_and_are_stable(icon: Path) -> None:
    once = drop_hidden(embed_icons(_hidden_frame(), {str(icon): icon}))
    assert once.startswith(_PROLOGUE.replace("\n ", " ") + "<!-- Title: t Pages: 1 -->\n<svg ")
    assert 'xmlns="http://www.w3.org/2000/svg"' in once and 'xmlns:xlink="http://www.w3.org/1999/xlink"' in once
    # Writing what was written changes nothing, so two passes equal one.
    assert drop_hidden(once) == once


def test_svg_edits_are_deterministic_across_processes(icon: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.svg"
    source.write_text(
        _document(
            "<g id='node1' class='node mlsd_hidden'><title>a</title><text>x</text></g>"
            f"<image y='1' x='2' xlink:href='{icon}'/>"
        ),
        encoding="utf-8",
    )
    program = (
        "import sys; from pathlib import Path; from mlsd.render.svg import drop_hidden, embed_icons;"
        "icon = Path(sys.argv[2]); text = Path(sys.argv[1]).read_text(encoding='utf-8');"
        "sys.stdout.buffer.write(drop_hidden(embed_icons(text, {str(icon): icon})).encode('utf-8'))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program, str(source), str(icon)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_svg_parser_expands_no_entity_and_reads_no_dtd(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY evil "PWNED">', encoding="utf-8")
    external = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<!DOCTYPE svg SYSTEM "{dtd.as_uri()}">\n'
        "<svg xmlns='http://www.w3.org/2000/svg'><text>&evil;</text></svg>\n"
    )
    assert "PWNED" not in drop_hidden(external)
    internal = external.replace(f'SYSTEM "{dtd.as_uri()}"', f'[<!ENTITY evil SYSTEM "{dtd.as_uri()}">]')
    with pytest.raises(ValueError, match="DTD"):
        drop_hidden(internal)
