"""Slide layout: pictures large enough to read, text boxes sized from their text, nothing overlapping.

Sizes are read back from the .pptx and the PNGs in it, not taken from the
code that placed them: a label's height in screen pixels when the slide is
shown at 1920 x 1080 is

    18 pt × dpi / 72 (px in the PNG) × shown width (px on screen) / PNG width (px)

where the dpi is the one the PNG declares (pHYs) and a 13.333 in slide is
1920 px wide (144 px an inch). `test_the_png_dpi_is_the_drawings_scale`
checks that declared dpi against a picture rendered independently.
"""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from mlsd.render import Picture, RenderOptions, render_pictures
from mlsd.render.graph import NODE_FONT
from mlsd.render.theme import COLOURS
from mlsd.slides import build_deck
from mlsd.slides.deck import INDENT, Line, text_height

from .conftest import spec

# Renders decks at several sizes: seconds per test.
pytestmark = pytest.mark.slow

EMU_PER_INCH = 914_400
PX_PER_INCH = 1920 / 13.333
MIN_PX = 14.0
SLIDE_W, SLIDE_H = 12_192_000, 6_858_000
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DECKS = ["fraud-detection", "steps", "bare", "hostile", "crowded"]
LARGE = "fraud-detection-scaled"


def inches(emu: int) -> float:
    return emu / EMU_PER_INCH


def label_px(pic) -> float:
    """The height in screen px of an 18 pt label of the picture, at 1920 x 1080."""
    with Image.open(io.BytesIO(pic.image.blob)) as image:
        dpi = image.info["dpi"][0]
        width_px = image.width
    shown_px = inches(pic.width) * PX_PER_INCH
    return NODE_FONT * dpi / 72 * shown_px / width_px


def the_pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def text_shapes(prs):
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield number, shape


# ------------------------------------------------------------------ 14 px


@pytest.mark.parametrize("name", [*DECKS, LARGE])
def test_every_picture_reads_at_14px_or_more(deck, name: str) -> None:
    built, prs = deck(name)
    measured = [label_px(pic) for slide in prs.slides for pic in the_pictures(slide)]
    assert len(measured) == len(built.pictures) >= 1
    assert min(measured) >= MIN_PX, measured
    # The deck's own account of it agrees with the file.
    for from_file, planned in zip(measured, built.pictures, strict=True):
        assert from_file == pytest.approx(planned.text_px, rel=0.01)


@pytest.mark.slow
def test_the_png_dpi_is_the_drawings_scale(deck) -> None:
    # The whole "steps" design, rendered on its own at 96 dpi with 0.3 in of
    # padding, has the same width in points as the deck's picture of it
    # (cropped to the drawing with 6 pt to spare on each side).
    _built, prs = deck("steps")
    pic = the_pictures(prs.slides[1])[0]
    with Image.open(io.BytesIO(pic.image.blob)) as image:
        deck_points = image.width * 72 / image.info["dpi"][0] - 2 * 6
    options = RenderOptions(formats=("png",), heading=False, legend=False)
    loaded = spec("steps")
    (alone,) = render_pictures(loaded, [Picture(loaded.id, loaded.title)], options)
    with Image.open(io.BytesIO(alone.files["png"])) as image:
        points = image.width * 72 / 96 - 2 * 0.3 * 72
    assert deck_points == pytest.approx(points, rel=0.02)


def test_a_small_picture_is_not_blown_up(deck) -> None:
    # One component: shown at its own size (36 px labels), not filling the slide.
    _built, prs = deck("bare")
    (pic,) = the_pictures(prs.slides[1])
    assert label_px(pic) == pytest.approx(36.0, rel=0.01)


# ------------------------------------------------------------------ views


def test_a_large_design_is_shown_view_by_view(deck) -> None:
    loaded = spec(LARGE)
    # The whole design cannot read at 14 px even in the largest picture box a
    # slide could have (12.533 x 6.5 in): its drawing is too large.
    (whole,) = render_pictures(
        loaded, [Picture(loaded.id, loaded.title)], RenderOptions(formats=("png",), heading=False, legend=False)
    )
    with Image.open(io.BytesIO(whole.files["png"])) as image:
        width_pt, height_pt = (side * 72 / 96 - 2 * 0.3 * 72 for side in image.size)
    assert NODE_FONT * 2 * 72 * min(12.533 / width_pt, 6.5 / height_pt) < MIN_PX

    built, _prs = deck(LARGE)
    parts = [p.counter.partition(" · ")[2] for p in built.pictures]
    assert all(parts), "every picture slide names the view it shows"
    views = [v.title for v in loaded.views.values()]
    # The views in the order written (a view too large is halved: "view: stages"),
    # then what no view holds (here the monitoring components).
    order = list(dict.fromkeys(parts))
    assert [next(v for v in views if p.startswith(v)) for p in order[:-1]] == sorted(
        (next(v for v in views if p.startswith(v)) for p in order[:-1]), key=views.index
    )
    assert order[-1] == "Monitoring"
    # Every component is shown, and each is introduced once.
    added = [c for p in built.pictures for c in p.added]
    assert sorted(added) == sorted(loaded.components)
    assert min(p.text_px for p in built.pictures) >= MIN_PX
    # A view is revealed step by step: several slides of one view, each adding something.
    assert max(parts.count(p) for p in order) >= 3
    assert all(p.added for p in built.pictures)


def test_a_large_design_without_views_is_cut_along_its_stages() -> None:
    loaded = spec(LARGE).model_copy(update={"views": {}})
    assert not loaded.views and loaded.components == spec(LARGE).components
    built = build_deck(loaded)
    parts = list(dict.fromkeys(p.counter.partition(" · ")[2] for p in built.pictures))
    assert len(parts) >= 2 and all(parts)
    # Parts are named after the stages they hold, in the pipeline's order.
    assert parts[0].startswith("Client")
    assert sorted(c for p in built.pictures for c in p.added) == sorted(loaded.components)
    assert min(p.text_px for p in built.pictures) >= MIN_PX


# ------------------------------------------------------------------ text


@pytest.mark.parametrize("name", DECKS)
def test_no_text_relies_on_autofit(deck, name: str) -> None:
    _, prs = deck(name)
    for number, shape in text_shapes(prs):
        body = shape.text_frame._txBody.find(f"{A}bodyPr")
        assert body is not None
        assert body.find(f"{A}noAutofit") is not None, (number, shape.name)
        assert body.find(f"{A}normAutofit") is None and body.find(f"{A}spAutoFit") is None
        assert body.get("wrap") == "square", (number, shape.name)
        for paragraph in shape.text_frame.paragraphs:
            assert paragraph.line_spacing is not None  # exact, not the template's
            for run in paragraph.runs:
                assert run.font.size is not None, (number, shape.name, run.text)


def _lines(shape) -> list[Line]:
    lines = []
    for index, paragraph in enumerate(shape.text_frame.paragraphs):
        (run,) = paragraph.runs
        margin = int(paragraph._p.pPr.get("marL", "0"))
        lines.append(
            Line(
                run.text,
                round(run.font.size.pt),
                bold=bool(run.font.bold),
                level=round(margin / Inches(INDENT)),
                space_before=round(paragraph.space_before.pt) if index and paragraph.space_before else 0,
            )
        )
    return lines


@pytest.mark.parametrize("name", [*DECKS, LARGE])
def test_every_text_box_is_tall_enough_for_its_text(deck, name: str) -> None:
    # Measured with the conservative widths (DejaVu Sans, wider than Calibri)
    # and the exact line pitch every paragraph carries.
    _, prs = deck(name)
    for number, shape in text_shapes(prs):
        needed = text_height(_lines(shape), inches(shape.width))
        assert needed <= inches(shape.height) + 1e-3, (number, shape.text_frame.text[:60])


def _box(shape) -> tuple[int, int, int, int]:
    if shape.shape_type == MSO_SHAPE_TYPE.LINE:  # a connector: its end points, 1 EMU thick
        x0, x1 = sorted((shape.begin_x, shape.end_x))
        y0, y1 = sorted((shape.begin_y, shape.end_y))
        return x0, y0 - 1, x1, y1 + 1
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("name", [*DECKS, LARGE])
def test_no_shape_overlaps_another(deck, name: str) -> None:
    _, prs = deck(name)
    for number, slide in enumerate(prs.slides, start=1):
        boxes = [(shape.name, _box(shape)) for shape in slide.shapes]
        for name_, (x0, y0, x1, y1) in boxes:
            assert 0 <= x0 <= x1 <= SLIDE_W and 0 <= y0 <= y1 <= SLIDE_H, (number, name_)
        for (one, a), (other, b) in itertools.combinations(boxes, 2):
            assert not _overlap(a, b), (number, one, other)


@pytest.mark.parametrize("name", ["crowded", "fraud-detection", "steps"])
def test_titles_never_meet_the_step_line(deck, name: str) -> None:
    built, prs = deck(name)
    for slide, made in zip(list(prs.slides)[1:], built.pictures, strict=False):
        title = slide.shapes.title
        (counter,) = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text == made.counter]
        assert counter.top + counter.height <= title.top
        (pic,) = the_pictures(slide)
        assert title.top + title.height <= pic.top
        # The title box holds every line the title can take (see the height test);
        # a title too long for two lines at 18 pt is cut with an ellipsis.
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        assert size >= 18


def test_a_very_long_step_title_is_cut_and_the_notes_keep_it(deck) -> None:
    _built, prs = deck("crowded")
    long_title = spec("crowded").steps[2].title
    slide = prs.slides[3]
    shown = slide.shapes.title.text_frame.text
    assert shown.endswith("…") and long_title.startswith(shown[:-1].rstrip())
    assert slide.notes_slide.notes_text_frame.text.startswith(" ".join(long_title.split()))


def test_long_metrics_go_over_two_slides_with_their_notes(deck) -> None:
    _built, prs = deck("crowded")
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles[-3:] == ["Metrics (1 of 2)", "Metrics (2 of 2)", "Capacity estimates"]
    first, second = (s.notes_slide.notes_text_frame.text for s in list(prs.slides)[-3:-1])
    assert first.startswith("METRICS\nBusiness metrics\n") and "\nOffline metrics\n" in first
    assert "Online metrics" not in first
    assert second.startswith("METRICS, CONTINUED\nOnline metrics\n") and "\nGuardrail metrics\n" in second
    texts = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in list(prs.slides)[-3:-1]
    ]
    assert "Business metrics" in texts[0] and "Guardrail metrics" in texts[1]
    assert "creator retention" in texts[0] and "misinformation impressions" in texts[1]


# ------------------------------------------------------------------ legend


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_legend_shows_the_flow_kinds_drawn_in_their_colours(deck, theme: str) -> None:
    built, prs = deck("steps", theme)
    colours = COLOURS[theme].flow_colours
    for slide, made in zip(list(prs.slides)[1:], built.pictures, strict=False):
        names = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text in colours]
        lines = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.LINE]
        assert names == list(made.kinds)
        assert [f"#{s.line.color.rgb}" for s in lines] == [colours[k] for k in made.kinds]
        (pic,) = the_pictures(slide)
        assert all(s.top >= pic.top + pic.height for s in lines)


def test_a_deck_lays_out_each_part_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.render
    import mlsd.slides.frames as frames
    from mlsd.vocabulary import DIRECTIONS

    real_arrange, real_measure = mlsd.render.arrange, frames._measure
    arranged, measured = [], []
    monkeypatch.setattr(mlsd.render, "arrange", lambda *args: arranged.append(1) or real_arrange(*args))
    monkeypatch.setattr(frames, "_measure", lambda *args: measured.append(args[1]) or real_measure(*args))
    built = build_deck(spec(LARGE))
    # Every part is measured once (the whole design first), and its reveal frames
    # are drawn on that measurement: no layout beyond one per direction per part.
    assert len(measured) > 2 and len(built.pictures) > len(measured)
    assert len(arranged) == len(measured) * len(DIRECTIONS)
