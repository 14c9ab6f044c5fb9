"""The legend lists exactly the flow kinds a picture draws, in catalogue order."""

from __future__ import annotations

import pytest

from mlsd.render import Frame, build_dot, pictures
from mlsd.render.theme import COLOURS, FLOW_STYLES

from ._helpers import edge_colours, legend_kinds, spec

LIGHT = COLOURS["light"]
COLOUR_KIND = {colour.upper(): kind for kind, colour in LIGHT.flow_colours.items()}

# By hand from the specs.
EXPECTED = {
    "fraud": ["request", "stream", "features", "model", "telemetry"],
    "nested": ["request", "data", "model"],
    "same_label": ["request"],
    "all_kinds": ["request", "data", "stream", "features", "model", "feedback", "telemetry", "control"],
    "walkthrough": ["request", "data", "stream", "features", "model", "feedback", "telemetry"],
    "hostile": ["request", "data", "features", "telemetry"],
    "no_flows": [],
}
EXPECTED_VIEWS = {"serving": ["request"], "training": ["data", "model"], "watch": ["telemetry"]}


def drawn_kinds(dot: str) -> set[str]:
    return {COLOUR_KIND[c.upper()] for c in edge_colours(dot) if c != "transparent"}


def test_light_flow_colours_are_distinct() -> None:
    assert len(COLOUR_KIND) == len(FLOW_STYLES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_legend_lists_exactly_the_kinds_drawn(name: str) -> None:
    dot = build_dot(spec(name), LIGHT)
    assert legend_kinds(dot) == EXPECTED[name]
    assert set(legend_kinds(dot)) == drawn_kinds(dot)


def test_legend_cell_shows_the_kinds_glyph_and_colour() -> None:
    dot = build_dot(spec("all_kinds"), LIGHT)
    for kind, style in FLOW_STYLES.items():
        cell = f'<td><font color="{LIGHT.flow_colours[kind]}">{style.glyph}</font>'
        assert cell in dot, kind


def test_no_flows_means_no_legend_row() -> None:
    dot = build_dot(spec("no_flows"), LIGHT)
    assert dot.count("<tr>") == 1  # the title row only
    assert legend_kinds(dot) == []


@pytest.mark.parametrize("view", sorted(EXPECTED_VIEWS))
def test_view_legend_lists_only_the_views_kinds(view: str) -> None:
    loaded = spec("walkthrough")
    (picture,) = [p for p in pictures(loaded, views=(view,)) if p.include is not None]
    dot = build_dot(loaded, LIGHT, include=picture.include)
    assert legend_kinds(dot) == EXPECTED_VIEWS[view]
    assert set(legend_kinds(dot)) == drawn_kinds(dot)


def test_frames_keep_the_whole_pictures_legend() -> None:
    # Documented: every frame has the heading of the whole picture, so nothing moves.
    loaded = spec("walkthrough")
    full = legend_kinds(build_dot(loaded, LIGHT))
    first = build_dot(loaded, LIGHT, frame=Frame(frozenset({"app", "api"})))
    assert legend_kinds(first) == full
    assert drawn_kinds(first) == {"request"}


def test_legend_in_the_rendered_svg(render_all) -> None:
    (main,) = render_all("same_label")
    svg = main.files["svg"].decode()
    assert "> request</text>" in svg
    for kind in set(FLOW_STYLES) - {"request"}:
        assert f"> {kind}</text>" not in svg
