"""tools/layout_quality.py on small hand-written Graphviz-like SVGs."""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "tools" / "layout_quality.py"
_spec = importlib.util.spec_from_file_location("layout_quality", SCRIPT)
assert _spec is not None and _spec.loader is not None
lq = importlib.util.module_from_spec(_spec)
sys.modules["layout_quality"] = lq  # dataclasses look their module up by name
_spec.loader.exec_module(lq)


def svg(body: str, width: float = 400, height: float = 200, scale: float = 1) -> str:
    """A Graphviz-shaped SVG: size in pt, viewBox in points, y upwards from the bottom."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<svg width="{width:g}pt" height="{height:g}pt" viewBox="0.00 0.00 {width:.2f} {height:.2f}" '
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        f'<g id="graph0" class="graph" transform="scale({scale:g} {scale:g}) rotate(0) translate(4 {height - 4:g})">\n'
        f"{body}</g>\n</svg>\n"
    )


def node(node_id: str, *lines: str, x: float = 0, y: float = 0, size: float = 12) -> str:
    texts = "".join(
        f'<text text-anchor="start" x="{x}" y="{y + 13 * k}" font-family="DejaVu Sans" font-size="{size:.2f}">{line}</text>\n'
        for k, line in enumerate(lines)
    )
    return f'<g class="node"><title>{node_id}</title>\n<g><a xlink:title="tip">\n{texts}</a></g></g>\n'


def edge(tail: str, head: str, d: str, label: str = "", x: float = 0, y: float = 0, anchor: str = "start") -> str:
    text = (
        f'<text text-anchor="{anchor}" x="{x}" y="{y}" font-family="DejaVu Sans" font-size="11.00">{label}</text>\n'
        if label
        else ""
    )
    return (
        f'<g class="edge"><title>{tail}&#45;&gt;{head}</title>\n'
        f'<path fill="none" stroke="black" d="{d}"/>\n'
        f'<polygon points="0,0 1,1 0,1 0,0"/>\n{text}</g>\n'
    )


def measure(tmp_path: Path, text: str, name: str = "pic.svg", specs: Path | None = None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lq.analyse(path, specs)


# --- path data ------------------------------------------------------------------

HORIZONTAL = "M0,-100C30,-100 70,-100 100,-100"  # y = -100, x from 0 to 100


def test_path_data_is_tokenised_and_sampled() -> None:
    (line,) = lq.path_polylines("M414.16,-1156C462.51,-1156 533.96,-1156 585.34,-1156")
    assert line[0] == (414.16, -1156) and line[-1] == pytest.approx((585.34, -1156))
    assert len(line) == 1 + lq.SAMPLES
    (line,) = lq.path_polylines("m10 10 l5-5h1e1v.5z")
    assert line == [(10, 10), (15, 5), (25, 5), (25, 5.5), (10, 10)]


# --- 1 and 5: size on a slide ---------------------------------------------------


def test_a_wide_drawing_fits_the_slide_width(tmp_path: Path) -> None:
    # 3840 x 1080 px (2880 x 810 pt): width decides, fit = 1920 / 3840
    pic = measure(tmp_path, svg(node("a", "Label"), width=2880, height=810))
    assert (pic.width_px, pic.height_px, pic.aspect) == (3840, 1080, pytest.approx(3.556, abs=1e-3))
    assert pic.fit == 0.5
    assert pic.node_px == [12 * 96 / 72 * 0.5]  # 8 px


def test_a_tall_drawing_fits_the_slide_height(tmp_path: Path) -> None:
    # 1000 x 4320 px (750 x 3240 pt): height decides, fit = 1080 / 4320
    pic = measure(tmp_path, svg(node("a", "Label", "Tech") + edge("a", "b", HORIZONTAL, "x"), width=750, height=3240))
    assert (pic.width_px, pic.height_px) == (1000, 4320)
    assert pic.fit == 0.25
    assert (pic.node_px_median, pic.node_px_min) == (4, 4)
    assert pic.edge_px_min == pytest.approx(11 * 96 / 72 * 0.25, abs=0.01)


def test_the_top_group_scale_shrinks_labels(tmp_path: Path) -> None:
    pic = measure(tmp_path, svg(node("a", "Label"), width=2880, height=810, scale=0.5))
    assert pic.node_px == [4]


# --- 2: crossings ---------------------------------------------------------------


def test_two_crossing_edges_cross_once(tmp_path: Path) -> None:
    # they meet at (50,-50), a sample point of both curves
    body = edge("a", "b", "M0,0C30,-30 70,-70 100,-100") + edge("c", "d", "M0,-100C30,-70 70,-30 100,0")
    pic = measure(tmp_path, svg(body))
    assert (pic.edges, pic.crossings, pic.crossings_per_edge) == (2, 1, 0.5)


def test_edges_routed_through_one_point_cross_there_only_if_they_change_sides(tmp_path: Path) -> None:
    # Graphviz often puts a knot of two splines on the same point, here (50,-50)
    x_shape = edge("a", "b", "M0,0L50,-50L100,-50") + edge("c", "d", "M0,-60L50,-50L100,0")
    assert measure(tmp_path, svg(x_shape)).crossings == 1
    touch = edge("a", "b", "M0,0L50,-50L100,-50") + edge("c", "d", "M0,-10L50,-50L100,-60")
    assert measure(tmp_path, svg(touch)).crossings == 0
    merge = edge("a", "b", "M0,0L50,-50L100,-50L150,-50") + edge("c", "d", "M0,-100L50,-50L100,-50L150,-50")
    assert measure(tmp_path, svg(merge)).crossings == 0


def test_parallel_edges_do_not_cross(tmp_path: Path) -> None:
    body = edge("a", "b", "M0,0C30,-30 70,-70 100,-100") + edge("c", "d", "M20,0C50,-30 90,-70 120,-100")
    assert measure(tmp_path, svg(body)).crossings == 0


def test_a_crossing_where_two_edges_leave_one_node_does_not_count(tmp_path: Path) -> None:
    # the second edge crosses the first 3 pt from where both leave node a
    crossing = edge("a", "b", "M0,0L100,0") + edge("a", "c", "M2,-3L2,3L100,50")
    assert measure(tmp_path, svg(crossing)).crossings == 0
    unrelated = edge("a", "b", "M0,0L100,0") + edge("c", "d", "M2,-3L2,3L100,50")
    assert measure(tmp_path, svg(unrelated)).crossings == 1


# --- 3: labels away from their edge ---------------------------------------------

OTHER = "M0,-40C30,-40 70,-40 100,-40"  # another edge, parallel, 60 pt below


def test_a_label_on_its_edge_is_not_away(tmp_path: Path) -> None:
    pic = measure(
        tmp_path, svg(edge("a", "b", HORIZONTAL, "label", x=50, y=-103, anchor="middle") + edge("c", "d", OTHER))
    )
    assert (pic.edge_labels, pic.away, pic.away_pct) == (1, 0, 0)


def test_a_long_label_beside_a_steep_edge_is_not_away(tmp_path: Path) -> None:
    # its centre is 60 pt from the edge, but its start is 2 pt from it
    body = edge("a", "b", "M0,0L0,-200", "a long label of twenty", x=2, y=-100)
    assert measure(tmp_path, svg(body)).away == 0


def test_a_label_far_from_its_edge_is_away(tmp_path: Path) -> None:
    pic = measure(tmp_path, svg(edge("a", "b", HORIZONTAL, "label", x=50, y=-160, anchor="middle")))
    assert (pic.away, pic.away_pct) == (1, 100)
    assert "from its edge" in pic.away_labels[0]


def test_a_label_nearer_another_edge_is_away(tmp_path: Path) -> None:
    # its box is 14.65 pt from its own edge (within the limit) but 4.35 pt from the other one
    body = edge("a", "b", HORIZONTAL, "label", x=50, y=-76, anchor="middle") + edge("c", "d", "M0,-70L100,-70")
    pic = measure(tmp_path, svg(body))
    assert pic.away == 1 and pic.away_labels == ["label (another edge nearer)"]


@pytest.mark.parametrize(("anchor", "x"), [("start", 35), ("middle", 50), ("end", 65)])
def test_the_label_box_follows_text_anchor(anchor: str, x: float) -> None:
    text = ET.fromstring(f'<text text-anchor="{anchor}" x="{x}" y="0" font-size="10">abcde</text>')
    x0, y0, x1, y1 = lq.label_box([text])
    assert (x0, x1) == pytest.approx((35, 65))  # 5 characters of 0.6 em
    assert (y0 + y1) / 2 == pytest.approx(-3.5)  # 0.35 em above the baseline


# --- 4: words broken across lines -----------------------------------------------


def test_a_word_split_inside_is_broken() -> None:
    words = ["Recommendation", "service"]
    assert lq.broken_words(["Recommendatio", "n service"], words) == ["Recommendation"]
    assert lq.broken_words(["Recommendation", "service"], words) == []
    assert lq.broken_words(["Recommendation service"], words) == []


def test_a_split_after_a_hyphen_slash_or_underscore_is_not_broken() -> None:
    assert lq.broken_words(["Feature-", "store"], ["Feature-store"]) == []
    assert lq.broken_words(["s3://bucket/", "path"], ["s3://bucket/path"]) == []
    assert lq.broken_words(["Catalogue +", "inventory"], ["Catalogue", "+", "inventory"]) == []


SPEC = """\
mlsd: 1
id: demo
title: Demo
components:
  api: {kind: app-service, label: Recommendation service}
  db: {kind: prediction-store, label: Predictions}
flows:
  - api -> db
"""


def test_words_are_compared_with_the_spec_of_a_view(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "demo.yaml").write_text(SPEC, encoding="utf-8")
    broken = svg(node("api", "Recommendatio", "n service") + node("db", "Predictions", y=100))
    pic = measure(tmp_path, broken, name="demo.online.svg", specs=specs)
    assert (pic.broken, pic.broken_words) == (1, ["api: Recommendation"])
    whole = svg(node("api", "Recommendation", "service"))
    assert measure(tmp_path, whole, name="demo.svg", specs=specs).broken == 0
    assert measure(tmp_path, whole, name="other.svg", specs=specs).broken is None


# --- command line ---------------------------------------------------------------


def test_json_and_thresholds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "small.svg").write_text(svg(node("a", "Label"), width=2880, height=810), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ignored.svg").write_text("not xml", encoding="utf-8")
    assert lq.main([str(tmp_path), "--specs", "", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in report["pictures"]] == ["small"]
    assert report["overall"]["node_px_median"] == 8
    assert lq.main([str(tmp_path), "--specs", "", "--fail"]) == 1
    assert "FAIL small: median node label 8px < 12" in capsys.readouterr().out
    assert lq.main([str(tmp_path), "--specs", "", "--fail", "--min-median-px", "8", "--min-px", "8"]) == 0
