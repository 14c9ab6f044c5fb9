"""`mlsd slides`: a 16:9 PowerPoint deck that walks through a design.

The deck is a title slide (title, summary, ML task), the picture slides, the
metrics (one slide, or two when they do not fit one) and the capacity
estimates. Each slide's speaker notes hold the matching part of the written
explanation (see `mlsd.slides.notes` for the mapping).

A picture slide has a "Step N of M" line, its title, the picture filling the
rest of the slide (drawn without a title or legend of its own) and, under it,
a legend of the flow kinds it shows. Its labels read at 14 px or more on a
1920 x 1080 screen: the whole design revealed step by step when it is small
enough, otherwise view by view (`mlsd.slides.frames` says how and measures it).

Every text box is sized from its text, with no autofit (`mlsd.slides.deck`),
so the deck looks the same in PowerPoint and LibreOffice.

The file is reproducible: the same spec, theme and mlsd version give the same
bytes. Its created and modified dates are fixed (1980-01-01, the ZIP epoch) or
taken from SOURCE_DATE_EPOCH when that is set, and the ZIP entries carry the
same date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide

from mlsd.atomic import write_atomic
from mlsd.errors import InputError
from mlsd.explain import build_context
from mlsd.explain.capacity import Capacity
from mlsd.explain.context import ExplanationContext, MetricGroup
from mlsd.export.layout import Scene, lay_out
from mlsd.export.pptx import build_time, draw_scene, reproducible_zip
from mlsd.model import Spec
from mlsd.render import SLIDE_ASPECT
from mlsd.render.graph import NODE_FONT
from mlsd.render.theme import COLOURS, FLOW_STYLES
from mlsd.slides import deck
from mlsd.slides.deck import LEGEND_ROW, Line, Palette, fit_size, pitch, shorten, text_height
from mlsd.slides.frames import SCREEN_PX_PER_INCH, Shot, fitted_width, picture_slides, text_px
from mlsd.slides.notes import Notes, deck_notes, say
from mlsd.vocabulary import DEFAULT_THEME, THEMES

__all__ = ["Deck", "PictureSlide", "build_deck", "write_deck"]

# The grid, in inches. Text runs 0.5 in from either edge, pictures 0.4 in.
TEXT_LEFT, TEXT_WIDTH = 0.5, 12.333
PICTURE_LEFT, PICTURE_WIDTH = 0.4, 12.533
TOP = 0.25  # the first line of every slide
BOTTOM = 7.3  # nothing goes lower
GAP = 0.12  # between the blocks of a slide
# Picture slides: the step line, then the title in one line at the first of
# these sizes that fits, or two lines at the first that fits.
COUNTER_FONT = 14
TITLE_ONE_LINE = (28, 26, 24)
TITLE_TWO_LINES = (24, 22, 20, 18)
# Other slides' titles.
TITLE_FONT = 32
# Metrics: (metric, "why" line) sizes, largest first; each group's heading is
# 20 pt. All four groups share one slide only down to ONE_SLIDE_SIZES.
METRIC_SIZES = ((16, 13), (15, 12), (14, 12), (13, 11), (12, 11))
ONE_SLIDE_SIZES = METRIC_SIZES[:3]
GROUP_FONT = 20
CAPACITY_SIZES = (18, 16, 14, 12)


@dataclass(frozen=True)
class PictureSlide:
    """What a picture slide shows and how large its text reads."""

    title: str  # as shown: a title too long for two lines is cut with "…"
    counter: str  # the "Step N of M" line, naming the view when there are views
    shown: tuple[str, ...]  # component ids drawn
    added: tuple[str, ...]  # drawn for the first time in the deck
    kinds: tuple[str, ...]  # the flow kinds in its legend
    text_px: float  # a component label's height in px at 1920 x 1080 (edge labels: 13/18 of it)


@dataclass(frozen=True)
class Deck:
    """A built deck: the .pptx bytes, the notes per slide and Graphviz's warnings."""

    data: bytes
    slide_count: int
    notes: Notes
    warnings: tuple[str, ...]
    pictures: tuple[PictureSlide, ...] = ()


@dataclass(frozen=True)
class _Grid:
    """Where the parts of a picture slide go; the same on every picture slide of a deck."""

    counter: tuple[float, float, float, float]
    title: tuple[float, float, float, float]
    body: tuple[float, float, float, float]
    legend: tuple[float, float, float, float]

    @classmethod
    def of(cls, title_height: float, legend_rows: int) -> _Grid:
        counter_h = text_height([Line("Step", COUNTER_FONT)], TEXT_WIDTH)
        title_top = TOP + counter_h
        body_top = title_top + title_height + GAP
        legend_h = legend_rows * LEGEND_ROW
        legend_top = BOTTOM - legend_h
        body_bottom = legend_top - GAP if legend_rows else BOTTOM
        return cls(
            (TEXT_LEFT, TOP, TEXT_WIDTH, counter_h),
            (TEXT_LEFT, title_top, TEXT_WIDTH, title_height),
            (PICTURE_LEFT, body_top, PICTURE_WIDTH, body_bottom - body_top),
            (TEXT_LEFT, legend_top, TEXT_WIDTH, legend_h),
        )


def _title_fit(title: str) -> tuple[int, str, int]:
    """Size, text and line count of a picture slide's title (see TITLE_ONE_LINE)."""
    size, count = fit_size(title, TEXT_WIDTH, TITLE_ONE_LINE, 1, bold=True)
    if count > 1:
        size, count = fit_size(title, TEXT_WIDTH, TITLE_TWO_LINES, 2, bold=True)
    text = shorten(title, size, TEXT_WIDTH, 2, bold=True)
    return size, text, min(count, 2)


def _title_height(size: int, count: int) -> float:
    """Inches a title box of `count` lines at `size` points takes."""
    return 2 * deck.INSET_Y + count * pitch(size)


def build_deck(spec: Spec, *, theme: str = DEFAULT_THEME, editable: bool = False) -> Deck:
    """The slide deck of `spec` as .pptx bytes, written nowhere.

    `editable` draws each picture slide's architecture in native shapes
    (`mlsd.export.pptx`) where the PNG would be, in the same places.
    """
    if theme not in THEMES:
        raise InputError(f"unknown theme '{theme}'; choose from {', '.join(THEMES)}")
    palette = Palette.of(COLOURS[theme])
    spec_kinds = [k for k in FLOW_STYLES if any(e.kind == k for e in spec.edges)]
    # Pictures are chosen for the smallest body a deck can have (two-line
    # titles, every flow kind in the legend); the real body is never smaller.
    worst = _Grid.of(_title_height(TITLE_TWO_LINES[0], 2), len(deck.legend_rows(spec_kinds, TEXT_WIDTH)))
    shots, warnings = picture_slides(spec, theme, worst.body[2:])
    titles = [_title_fit(shot.title) for shot in shots]
    rows = max((len(deck.legend_rows(s.kinds, TEXT_WIDTH)) for s in shots), default=0)
    grid = _Grid.of(max((_title_height(size, count) for size, _, count in titles), default=0.0), rows)

    ctx = build_context(spec)
    metric_pages = _metric_pages(ctx.metrics.groups)
    notes = deck_notes(
        spec,
        ctx,
        [(shot.title, shot.added) for shot in shots],
        [[group.title for group in page] for page, _ in metric_pages],
    )
    prs = deck.new_deck()
    _title_slide(prs, palette, spec, ctx, notes.title)
    scenes: dict[tuple[str, ...] | None, Scene] = {}
    made = []
    for number, (shot, (size, title), text) in enumerate(
        zip(shots, [(s, t) for s, t, _ in titles], notes.steps, strict=True), start=1
    ):
        counter = f"Step {number} of {len(shots)}" + (f" · {shot.part}" if shot.part else "")
        scene = None
        if editable:
            if shot.include not in scenes:
                scenes[shot.include] = lay_out(
                    spec, theme=theme, include=shot.include, aspect=SLIDE_ASPECT, heading=False, legend=False
                )
            scene = scenes[shot.include].only(frozenset(shot.shown))
        made.append(_picture_slide(prs, palette, spec, grid, shot, size, title, counter, text, scene))
    for index, ((groups, sizes), text) in enumerate(zip(metric_pages, notes.metrics, strict=True), start=1):
        title = "Metrics" if len(metric_pages) == 1 else f"Metrics ({index} of {len(metric_pages)})"
        _metrics_slide(prs, palette, title, groups, sizes, text)
    _capacity_slides(prs, palette, spec, ctx, notes.capacity)
    _core_properties(prs, spec)
    return Deck(reproducible_zip(prs), len(prs.slides), notes, warnings, tuple(made))


def write_deck(spec: Spec, path: Path, *, theme: str = DEFAULT_THEME, editable: bool = False) -> Deck:
    """Build the deck and write it to `path` atomically (its folder is created)."""
    built = build_deck(spec, theme=theme, editable=editable)
    write_atomic(Path(path), built.data)
    return built


# ------------------------------------------------------------------ slides


def _plain_slide(prs: PresentationType, palette: Palette, title: str) -> tuple[Slide, float]:
    """A slide with `title` at the top; returns it and where its content may start."""
    size, count = fit_size(title, TEXT_WIDTH, (TITLE_FONT, 28, 24), 1, bold=True)
    text = shorten(title, size, TEXT_WIDTH, 2, bold=True)
    height = _title_height(size, min(count, 2))
    slide = deck.add_slide(prs, palette, text, (TEXT_LEFT, TOP, TEXT_WIDTH, height), size)
    return slide, TOP + height + 2 * GAP


def _picture_slide(
    prs: PresentationType,
    palette: Palette,
    spec: Spec,
    grid: _Grid,
    shot: Shot,
    size: int,
    title: str,
    counter: str,
    text: str,
    scene: Scene | None = None,
) -> PictureSlide:
    slide = deck.add_slide(prs, palette, title, grid.title, size)
    counter_text = shorten(counter, COUNTER_FONT, TEXT_WIDTH, 1)
    deck.text_box(slide, palette, grid.counter, [Line(counter_text, COUNTER_FONT, "muted")])
    labels = ", ".join(spec.label(c) for c in shot.shown)
    if scene is None:
        width = fitted_width(shot.pixels, shot.dpi, grid.body[2:])
        deck.picture(slide, shot.png, shot.pixels, grid.body, width, f"{spec.title}, {shot.title}. Shows {labels}.")
        px = text_px(shot.dpi, shot.pixels, width)
    else:
        # Points on the slide per point of the drawing; a slide shown 1920 px wide has 2 px per point.
        px = draw_scene(slide, scene, grid.body) * NODE_FONT * SCREEN_PX_PER_INCH / 72
    deck.legend(slide, palette, shot.kinds, grid.legend)
    deck.notes(slide, text)
    return PictureSlide(title, counter_text, shot.shown, shot.added, shot.kinds, px)


def _title_slide(prs: PresentationType, palette: Palette, spec: Spec, ctx: ExplanationContext, text: str) -> None:
    kicker = [Line("ML system design", 16, "muted")]
    kicker_h = text_height(kicker, TEXT_WIDTH)
    size, count = fit_size(spec.title, TEXT_WIDTH, (40, 36, 32), 2, bold=True)
    if count > 2:
        size, count = fit_size(spec.title, TEXT_WIDTH, (28, 24), 3, bold=True)
    title = shorten(spec.title, size, TEXT_WIDTH, 3, bold=True)
    title_top = TOP + 0.3 + kicker_h
    title_h = _title_height(size, min(count, 3))
    slide = deck.add_slide(prs, palette, title, (TEXT_LEFT, title_top, TEXT_WIDTH, title_h), size)
    deck.text_box(slide, palette, (TEXT_LEFT, TOP + 0.3, TEXT_WIDTH, kicker_h), kicker)

    framing = ctx.framing
    if framing.task_name:
        task = [
            Line(f"ML task: {framing.task_name}", 22, "accent", bold=True),
            Line(framing.task_text or "", 15, "muted", space_before=4),
        ]
    else:
        task = [Line("ML task: not stated in the spec yet", 22, "muted", italic=True)]
    task_h = text_height(task, TEXT_WIDTH)
    task_top = BOTTOM - task_h
    summary = " ".join((spec.summary or "").split())
    top = title_top + title_h + 2 * GAP
    room = task_top - 2 * GAP - top
    if summary and room > 0:
        for size in (20, 18, 16, 14, 12):
            if text_height([Line(summary, size)], TEXT_WIDTH) <= room:
                break
        lines = [Line(summary, size)]
        if text_height(lines, TEXT_WIDTH) > room:  # the whole summary is in the notes
            most = max(int((room - 2 * deck.INSET_Y) / pitch(size)), 1)
            lines = [Line(shorten(summary, size, TEXT_WIDTH, most), size)]
        deck.text_box(slide, palette, (TEXT_LEFT, top, TEXT_WIDTH, text_height(lines, TEXT_WIDTH)), lines)
    deck.text_box(slide, palette, (TEXT_LEFT, task_top, TEXT_WIDTH, task_h), task)
    deck.notes(slide, text)


# The metrics grid: two columns; one slide of two rows, or slides of one row.
METRIC_COLUMN, METRIC_GAP = 6.0, 0.333
_METRICS_TOP = TOP + _title_height(TITLE_FONT, 1) + 2 * GAP


def _group_lines(group: MetricGroup, sizes: tuple[int, int], limit: int | None = None) -> list[Line]:
    size, why = sizes
    lines = [Line(group.title, GROUP_FONT, "accent", bold=True)]
    if group.question is not None:
        lines.append(Line(f"Open question: {say(group.question)}", why + 1, "muted", italic=True, space_before=4))
    shown = group.metrics if limit is None else group.metrics[:limit]
    for metric in shown:
        name = metric.name + (f" (target {metric.target})" if metric.target else "")
        lines.append(Line(f"• {name}", size, space_before=4))
        if metric.why:
            lines.append(Line(f"why: {metric.why}", why, "muted", italic=True, level=1))
    if len(shown) < len(group.metrics):
        more = len(group.metrics) - len(shown)
        lines.append(Line(f"… and {more} more: see the notes", why, "muted", italic=True, space_before=4))
    return lines


def _metric_pages(groups: Sequence[MetricGroup]) -> list[tuple[tuple[MetricGroup, ...], tuple[int, int]]]:
    """The metric groups per slide, with the sizes that make them fit.

    One slide of two rows of two when that fits at some size of
    ONE_SLIDE_SIZES; otherwise one slide per two groups, side by side, at
    the largest of METRIC_SIZES that fits (a group too long even at the
    smallest shows its first metrics and says how many more the notes hold).
    """
    room = BOTTOM - _METRICS_TOP

    def tall(group: MetricGroup, sizes: tuple[int, int]) -> float:
        return text_height(_group_lines(group, sizes), METRIC_COLUMN)

    pairs = [tuple(groups[i : i + 2]) for i in range(0, len(groups), 2)]
    for sizes in ONE_SLIDE_SIZES:
        rows = [max(tall(g, sizes) for g in pair) for pair in pairs]
        if sum(rows) + GAP * (len(rows) - 1) <= room:
            return [(tuple(groups), sizes)]
    pages = []
    for pair in pairs:
        sizes = next((s for s in METRIC_SIZES if all(tall(g, s) <= room for g in pair)), METRIC_SIZES[-1])
        pages.append((pair, sizes))
    return pages


def _metrics_slide(
    prs: PresentationType,
    palette: Palette,
    title: str,
    groups: Sequence[MetricGroup],
    sizes: tuple[int, int],
    text: str,
) -> None:
    slide, top = _plain_slide(prs, palette, title)
    room = BOTTOM - top
    for row in range(0, len(groups), 2):
        heights = []
        for column, group in enumerate(groups[row : row + 2]):
            lines = _group_lines(group, sizes)
            limit = len(group.metrics)
            while text_height(lines, METRIC_COLUMN) > room and limit > 0:  # the notes hold them all
                limit -= 1
                lines = _group_lines(group, sizes, limit)
            height = text_height(lines, METRIC_COLUMN)
            heights.append(height)
            left = TEXT_LEFT + column * (METRIC_COLUMN + METRIC_GAP)
            deck.text_box(slide, palette, (left, top, METRIC_COLUMN, height), lines)
        top += max(heights) + GAP
        room = BOTTOM - top
    deck.notes(slide, text)


def _capacity_slides(prs: PresentationType, palette: Palette, spec: Spec, ctx: ExplanationContext, text: str) -> None:
    """The estimates as bullets, at the largest size that fits one slide, or over several at 14 pt."""
    cap = ctx.requirements.capacity
    items = [(f"• {line}", "text", False) for line in _capacity_lines(spec, cap)]
    if cap.empty:
        question = next((p.question for p in ctx.requirements.parts if p.label == "Scale" and p.question), None)
        items.append(("The spec gives no scale numbers yet.", "muted", True))
        if question is not None:
            items.append((f"Open question: {say(question)}", "muted", True))
    room = BOTTOM - _METRICS_TOP

    def lines_at(size: int, chosen: Sequence[tuple[str, str, bool]]) -> list[Line]:
        return [Line(t, size, colour, italic=italic, space_before=size // 3) for t, colour, italic in chosen]

    size = next((s for s in CAPACITY_SIZES if text_height(lines_at(s, items), TEXT_WIDTH) <= room), 14)
    pages: list[list[tuple[str, str, bool]]] = [[]]
    for item in items:
        if pages[-1] and text_height(lines_at(size, [*pages[-1], item]), TEXT_WIDTH) > room:
            pages.append([])
        pages[-1].append(item)
    for index, page in enumerate(pages, start=1):
        title = "Capacity estimates" + (f" ({index} of {len(pages)})" if len(pages) > 1 else "")
        slide, top = _plain_slide(prs, palette, title)
        lines = lines_at(size, page)
        if text_height(lines, TEXT_WIDTH) > BOTTOM - top:  # one bullet longer than a slide
            most = max(int((BOTTOM - top - 2 * deck.INSET_Y) / pitch(size)), 1)
            lines = [Line(shorten(lines[0].text, size, TEXT_WIDTH, most), size, lines[0].colour)]
        deck.text_box(slide, palette, (TEXT_LEFT, top, TEXT_WIDTH, text_height(lines, TEXT_WIDTH)), lines)
        deck.notes(
            slide,
            text
            if index == 1
            else "Capacity estimates, continued: the arithmetic is in the notes of the first capacity slide.",
        )


def _capacity_lines(spec: Spec, cap: Capacity) -> list[str]:
    """The estimates as short slide bullets; the arithmetic itself is in the notes."""
    lines = []
    if spec.requirements.latency:
        lines.append(f"Latency: {' '.join(spec.requirements.latency.split())}")
    if cap.users:
        lines.append(f"Daily active users: {cap.users}")
    if cap.rates:
        assumed = " (assumed)" if cap.factor_assumed else ""
        lines.append(f"Peak-to-average factor: {cap.factor}{assumed}")
    for rate in cap.rates:
        lines.append(f"{rate.label}: {rate.per_day} a day ≈ {rate.average}/s on average, {rate.peak}/s at peak")
    if cap.stated_peak:
        derived = f" (derived: {cap.derived_peak}/s)" if cap.derived_peak else ""
        lines.append(f"Stated peak: {cap.stated_peak} requests/s{derived}")
    for size in cap.sizes:
        if size.peak_total:
            day = f"; {size.day_total} a day" if size.day_total else ""
            year = f", about {size.year_total} a year" if size.year_total else ""
            lines.append(f"{size.label}: {size.size} {size.unit} → {size.peak_total} at peak{day}{year}")
        else:
            lines.append(f"{size.label}: {size.size} {size.unit} (no rate to multiply)")
    lines += [f"{given.label}: {given.value}" for given in cap.given]
    return lines


# ------------------------------------------------------------------ file


def _core_properties(prs: PresentationType, spec: Spec) -> None:
    props = prs.core_properties
    when = build_time().replace(tzinfo=None)  # python-pptx writes naive times as UTC
    props.title = deck.clean(spec.title)
    props.subject = "ML system design"
    props.author = props.last_modified_by = "mlsd"
    props.created = props.modified = when
    props.revision = 1
