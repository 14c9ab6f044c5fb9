"""The legend: a real sample of each flow kind a picture draws, in catalogue order, under the drawing."""

from __future__ import annotations

import pytest

from mlsd.render.theme import COLOURS, FLOW_STYLES

from ._helpers import legend

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


def test_light_flow_colours_are_distinct() -> None:
    assert len(COLOUR_KIND) == len(FLOW_STYLES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_legend_lists_exactly_the_kinds_drawn(name: str, render_all) -> None:
    (main,) = render_all(name)
    assert [kind for kind, _, _ in legend(main.files["svg"])] == EXPECTED[name]


def test_each_sample_is_drawn_like_its_flows() -> None:
    from mlsd.render import RenderOptions, pictures, render_pictures

    from ._helpers import spec

    loaded = spec("all_kinds")
    (main,) = render_pictures(loaded, pictures(loaded), RenderOptions(formats=("svg",)))
    for kind, colour, dashes in legend(main.files["svg"]):
        assert colour.upper() == LIGHT.flow_colours[kind].upper(), kind
        # Dashed and dotted kinds differ in more than colour.
        assert (dashes is not None) == (FLOW_STYLES[kind].style in ("dashed", "dotted")), kind


def test_the_legend_uses_no_text_glyphs(render_all) -> None:
    # Box-drawing characters and arrows in text need DejaVu Sans; real lines need no font.
    (main,) = render_all("all_kinds")
    svg = main.files["svg"].decode()
    assert not any(char in svg for char in "─╌┈━▶▷◆◇›○")


@pytest.mark.parametrize("view", sorted(EXPECTED_VIEWS))
def test_view_legend_lists_only_the_views_kinds(view: str, render_all) -> None:
    rendered = render_all("walkthrough", all_views=True)
    (picture,) = [r for r in rendered if r.picture.stem == f"walkthrough.{view}"]
    assert [kind for kind, _, _ in legend(picture.files["svg"])] == EXPECTED_VIEWS[view]


def test_frames_keep_the_whole_pictures_legend(render_all) -> None:
    # Every frame has the legend of the whole picture, so nothing moves from one to the next.
    full, *frames = render_all("walkthrough", steps=True)
    expected = legend(full.files["svg"])
    for frame in frames:
        assert legend(frame.files["svg"]) == expected
