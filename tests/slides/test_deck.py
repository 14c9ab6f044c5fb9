"""The deck: slide count and order, step pictures, themes, reproducibility, writing."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import struct
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from mlsd.render import reveal_steps
from mlsd.slides import build_deck, write_deck

from .conftest import spec

SLIDE_W, SLIDE_H = 12_192_000, 6_858_000  # 13.333 x 7.5 in
NAMESPACE_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NAMESPACE_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
DECKS = ["fraud-detection", "steps", "bare", "hostile"]


def pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


def background(slide) -> str:
    """The slide's own solid background colour, read from the XML."""
    fill = slide._element.find(
        f"{NAMESPACE_P}cSld/{NAMESPACE_P}bg/{NAMESPACE_P}bgPr/{NAMESPACE_A}solidFill/{NAMESPACE_A}srgbClr"
    )
    assert fill is not None, "slide has no solid background of its own"
    return fill.get("val")


def picture_slides(prs, built) -> list:
    return list(prs.slides)[1 : 1 + len(built.pictures)]


@pytest.mark.slow
@pytest.mark.parametrize("name", DECKS)
def test_slide_count_and_size(deck, name: str) -> None:
    built, prs = deck(name)
    # Title, the picture slides, the metrics (one slide here), capacity.
    assert len(prs.slides) == built.slide_count == 1 + len(built.pictures) + len(built.notes.metrics) + 1
    assert len(built.notes.metrics) == 1
    assert (prs.slide_width, prs.slide_height) == (SLIDE_W, SLIDE_H)


@pytest.mark.parametrize("name", ["steps", "bare", "hostile"])
def test_a_small_design_is_revealed_step_by_step(deck, name: str) -> None:
    built, _prs = deck(name)
    loaded = spec(name)
    steps = reveal_steps(loaded)
    assert [(p.title, p.shown) for p in built.pictures] == [
        (t, tuple(c for c in loaded.components if c in shown)) for t, shown in steps
    ]
    assert [p.counter for p in built.pictures] == [f"Step {n} of {len(steps)}" for n in range(1, len(steps) + 1)]


@pytest.mark.parametrize("name", DECKS)
def test_slide_titles_in_order(deck, name: str) -> None:
    built, prs = deck(name)
    loaded = spec(name)
    titles = [slide.shapes.title.text_frame.text for slide in prs.slides]
    expected = [" ".join(loaded.title.split())] + [p.title for p in built.pictures]
    assert titles == expected + ["Metrics", "Capacity estimates"]


@pytest.mark.parametrize("name", DECKS)
def test_each_picture_slide_has_one_sharp_picture_in_the_body(deck, name: str) -> None:
    from PIL import Image

    built, prs = deck(name)
    geometry: dict[str, set] = {}
    for slide, made in zip(picture_slides(prs, built), built.pictures, strict=True):
        (pic,) = pictures(slide)
        width_px, height_px = png_size(pic.image.blob)
        # Aspect ratio kept (to within one EMU of rounding) and inside the slide.
        assert abs(pic.width * height_px - pic.height * width_px) <= width_px
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= SLIDE_W and pic.top + pic.height <= SLIDE_H
        assert pic.top >= slide.shapes.title.top + slide.shapes.title.height
        # Sharp: never stretched beyond its pixels on a 1920 x 1080 screen (144 px an inch).
        shown_px = pic.width / 914400 * 144
        assert shown_px <= width_px * 1.02
        # Its dpi is written in, so its size in points is known from the file.
        assert Image.open(io.BytesIO(pic.image.blob)).info["dpi"][0] > 0
        assert pic._element.nvPicPr.cNvPr.get("descr")  # alt text
        part = made.counter.partition(" · ")[2]
        geometry.setdefault(part, set()).add((pic.left, pic.top, pic.width, pic.height, width_px, height_px))
    # Within one layout (the whole design, or one view) the picture never moves.
    assert all(len(places) == 1 for places in geometry.values()), geometry
    for slide in [prs.slides[0], *list(prs.slides)[1 + len(built.pictures) :]]:
        assert not pictures(slide)


@pytest.mark.parametrize("name", ["steps", "fraud-detection"])
def test_frames_share_one_layout(deck, name: str) -> None:
    # Same canvas, and what one step shows stays where it was in the next:
    # pixels that are not background in frame n are unchanged in frame n+1
    # unless the next step drew over them (rare), so compare a strict majority.
    from PIL import Image, ImageChops

    built, prs = deck(name)
    slides = picture_slides(prs, built)
    pairs = 0
    for (a, made_a), (b, made_b) in itertools.pairwise(zip(slides, built.pictures, strict=True)):
        if made_a.counter.partition(" · ")[2] != made_b.counter.partition(" · ")[2]:
            continue  # the next view: a layout of its own
        before, after = (Image.open(io.BytesIO(pictures(s)[0].image.blob)).convert("RGB") for s in (a, b))
        assert before.size == after.size
        drawn = before.convert("L").point(lambda v: 255 if v < 250 else 0)
        changed = ImageChops.difference(before, after).convert("L").point(lambda v: 255 if v > 40 else 0)
        kept = ImageChops.subtract(drawn, changed)
        assert sum(kept.histogram()[255:]) > 0.9 * sum(drawn.histogram()[255:])
        pairs += 1
    assert pairs >= 3


def test_title_slide_shows_title_summary_and_task(deck) -> None:
    _, prs = deck("steps")
    text = texts(prs.slides[0])
    assert "Feed ranking walk-through" in text
    assert "Rank the posts of a home feed" in text
    assert "ML task: ranking" in text


def test_title_slide_without_task_says_so(deck) -> None:
    _, prs = deck("bare")
    assert "ML task: not stated in the spec yet" in texts(prs.slides[0])


def test_metrics_slide_lists_every_kind_with_the_why(deck) -> None:
    _, prs = deck("steps")
    text = texts(prs.slides[-2])
    for heading in ("Business metrics", "Offline metrics", "Online metrics", "Guardrail metrics"):
        assert heading in text
    assert "NDCG@10 (target >= 0.45)" in text
    assert "why: graded relevance and position matter" in text
    assert "why: engagement beyond the first click" in text
    assert "p99 latency" in text


def test_metrics_slide_shows_open_questions_when_empty(deck) -> None:
    _, prs = deck("bare")
    assert texts(prs.slides[-2]).count("Open question:") == 4


def test_capacity_slide_shows_the_estimates(deck) -> None:
    _, prs = deck("steps")
    text = texts(prs.slides[-1])
    assert "Latency: p99 under 200 ms" in text
    assert "Daily active users: 10,000,000" in text
    assert "Peak-to-average factor: 3" in text
    assert "Feed loads: 50,000,000 a day ≈ 579/s on average, 1,740/s at peak" in text


def test_capacity_slide_without_scale_says_so(deck) -> None:
    _, prs = deck("bare")
    text = texts(prs.slides[-1])
    assert "The spec gives no scale numbers yet." in text
    assert "Open question:" in text


@pytest.mark.slow
@pytest.mark.parametrize("theme, colour, text", [("light", "FFFFFF", "2D3436"), ("dark", "1E2227", "E8EAED")])
def test_theme_colours_every_slide_and_picture(deck, theme: str, colour: str, text: str) -> None:
    from PIL import Image

    _, prs = deck("steps", theme)
    for slide in prs.slides:
        assert background(slide) == colour
        title_run = slide.shapes.title.text_frame.paragraphs[0].runs[0]
        assert str(title_run.font.color.rgb) == text
        for pic in pictures(slide):
            corner = Image.open(io.BytesIO(pic.image.blob)).convert("RGB").getpixel((2, 2))
            assert corner == tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def test_hostile_text_is_kept_as_plain_text(deck) -> None:
    _, prs = deck("hostile")
    assert prs.slides[0].shapes.title.text_frame.text == '<script>alert("t")</script> & *bold* _u_ `code` \\ end'
    assert "Summary with <b>tags</b>, [link](http://x), | pipes |, {{ jinja }}, \\backslash\\ and a newline." in texts(
        prs.slides[0]
    )
    metrics = texts(prs.slides[-2])
    assert 'PR-AUC <b>"quoted"</b>' in metrics
    # Control characters (which XML cannot hold) became spaces.
    assert "why: because *imbalance* \\ & more" in metrics


@pytest.mark.slow
def test_same_input_same_bytes() -> None:
    loaded = spec("steps")
    first, second = build_deck(loaded, theme="dark").data, build_deck(loaded, theme="dark").data
    assert first == second


def test_dates_are_fixed(deck) -> None:
    built, prs = deck("steps")
    props = prs.core_properties
    assert props.created == props.modified == dt.datetime(1980, 1, 1)
    assert props.title == "Feed ranking walk-through"
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_the_dates(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = build_deck(spec("bare")).data
    props = Presentation(io.BytesIO(data)).core_properties
    assert props.created == props.modified == dt.datetime(2023, 11, 14, 22, 13, 20)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_write_deck_creates_the_folder_and_writes_only_the_deck(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "talk.pptx"
    built = write_deck(spec("bare"), target, theme="dark")
    assert target.read_bytes() == built.data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["talk.pptx"]


def test_write_deck_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "talk.pptx"
    target.write_bytes(b"old")
    write_deck(spec("bare"), target)
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["talk.pptx"]


def test_a_failed_build_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    import mlsd.slides.frames as frames
    from mlsd.errors import RenderError

    def broken(*args, **kwargs):
        raise RenderError("Graphviz failed")

    monkeypatch.setattr(frames, "render_pictures", broken)
    target = tmp_path / "out" / "talk.pptx"
    with pytest.raises(RenderError):
        write_deck(spec("bare"), target)
    assert not (tmp_path / "out").exists()


def test_unknown_theme_is_an_input_error() -> None:
    from mlsd.errors import InputError

    with pytest.raises(InputError, match="unknown theme"):
        build_deck(spec("bare"), theme="sepia")
