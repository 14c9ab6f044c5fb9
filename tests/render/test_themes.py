"""Themes colour the background; presets give slides their exact pixel size."""

from __future__ import annotations

import pytest

from mlsd.render.theme import COLOURS, FLOW_STYLES
from mlsd.vocabulary import PRESETS

from ._helpers import background_fill, hex_rgb, png_image, png_size


@pytest.mark.parametrize("theme", sorted(COLOURS))
def test_background_is_the_themes(render_all, theme: str) -> None:
    (main,) = render_all("same_label", ("svg", "png"), theme=theme)
    expected = COLOURS[theme].background
    assert background_fill(main.files["svg"]).lower() == expected.lower()
    image = png_image(main.files["png"]).convert("RGBA")
    w, h = image.size
    # The top-left pixel exactly; the others 2 px in, because Graphviz's page ends at a
    # fraction of a pixel and the last row and column come out partly transparent.
    for corner in ((0, 0), (w - 3, 2), (2, h - 3), (w - 3, h - 3)):
        assert image.getpixel(corner) == (*hex_rgb(expected), 255), corner


def test_dark_theme_differs_from_light(render_all) -> None:
    (light,) = render_all("same_label", ("svg", "png"), theme="light")
    (dark,) = render_all("same_label", ("svg", "png"), theme="dark")
    assert light.files["svg"] != dark.files["svg"]
    assert COLOURS["dark"].text.lower() in dark.files["svg"].decode().lower()


@pytest.mark.parametrize("theme", sorted(COLOURS))
def test_transparent_background(render_all, theme: str) -> None:
    (main,) = render_all("same_label", ("svg", "png"), theme=theme, transparent=True)
    image = png_image(main.files["png"])
    assert image.mode == "RGBA"
    w, h = image.size
    for corner in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)):
        assert image.getpixel(corner)[3] == 0, corner
    # Something is drawn all the same.
    assert image.getextrema()[3] == (0, 255)
    assert (background_fill(main.files["svg"]) or "none").lower() in ("none", "transparent")


SLIDES = [("slide-16x9", 1920, 16 / 9), ("slide-4x3", 1600, 4 / 3)]


@pytest.mark.parametrize(
    ("name", "preset", "width", "aspect"),
    [pytest.param("fraud", *s, id=f"fraud-{s[0]}") for s in SLIDES]
    + [pytest.param("same_label", *s, id=f"same_label-{s[0]}") for s in SLIDES],
)
def test_slide_presets_fill_the_slide(render_all, name: str, preset: str, width: int, aspect: float) -> None:
    (main,) = render_all(name, ("png",), preset=preset)
    w, h = png_size(main.files["png"])
    assert abs(w - width) <= width * 0.01, (w, h)
    assert abs(w / h - aspect) <= aspect * 0.01, (w, h, w / h)


def test_presets_listed_in_the_cli_contract_exist() -> None:
    assert {"default", "slide-16x9", "slide-4x3"} <= set(PRESETS)
    assert {"light", "dark"} <= set(COLOURS)


def _arrowhead(name: str) -> str:
    # Graphviz synonyms: "empty" is "onormal", "open" is "vee", "invempty" is "oinv".
    return {"empty": "onormal", "open": "vee", "invempty": "oinv", "ediamond": "odiamond"}.get(name, name)


def test_flow_styles_differ_by_more_than_colour() -> None:
    looks = {}
    for kind, style in FLOW_STYLES.items():
        look = (style.style, _arrowhead(style.arrowhead))
        assert look not in looks, f"{kind} looks like {looks.get(look)}: {look}"
        looks[look] = kind
    glyphs = [s.glyph for s in FLOW_STYLES.values()]
    assert len(set(glyphs)) == len(glyphs)
