"""`mlsd slides`: a 16:9 PowerPoint deck that walks through a design.

The deck is a title slide (title, summary, ML task), one slide per reveal step
(the step's frame of the picture; all frames share one layout, so nothing moves
from slide to slide), a metrics slide and a capacity slide. Each slide's
speaker notes hold the matching part of the written explanation (see
`mlsd.slides.notes` for the mapping).

The file is reproducible: the same spec, theme and mlsd version give the same
bytes. Its created and modified dates are fixed (1980-01-01, the ZIP epoch) or
taken from SOURCE_DATE_EPOCH when that is set, and the ZIP entries carry the
same date.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mlsd.atomic import write_atomic
from mlsd.errors import InputError
from mlsd.explain import build_context
from mlsd.explain.capacity import Capacity
from mlsd.explain.context import ExplanationContext, MetricGroup
from mlsd.model import Spec
from mlsd.render import Frame, Picture, RenderOptions, render_pictures, reveal_steps
from mlsd.render.theme import COLOURS
from mlsd.slides import deck
from mlsd.slides.deck import Line, Palette
from mlsd.slides.notes import Notes, deck_notes, say
from mlsd.vocabulary import DEFAULT_THEME, THEMES

__all__ = ["Deck", "build_deck", "write_deck"]

PRESET = "slide-16x9"  # 1920 x 1080: sharp on a projector at its native resolution
# Where the step picture goes: below the title, the rest of the slide (inches).
PICTURE_BOX = (0.4, 1.3, 12.533, 6.0)
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Deck:
    """A built deck: the .pptx bytes, the notes per slide and Graphviz's warnings."""

    data: bytes
    slide_count: int
    notes: Notes
    warnings: tuple[str, ...]


def build_deck(spec: Spec, *, theme: str = DEFAULT_THEME) -> Deck:
    """The slide deck of `spec` as .pptx bytes, written nowhere."""
    if theme not in THEMES:
        raise InputError(f"unknown theme '{theme}'; choose from {', '.join(THEMES)}")
    palette = Palette.of(COLOURS[theme])
    steps = reveal_steps(spec)
    added, shown_before = [], set()
    for _, shown in steps:
        added.append([c for c in shown if c not in shown_before])
        shown_before.update(shown)
    ctx = build_context(spec)
    notes = deck_notes(spec, ctx, [(title, ids) for (title, _), ids in zip(steps, added, strict=False)])
    # Every frame carries the spec's title, not the step's: the heading is part
    # of the layout, so one heading keeps every frame exactly the same size.
    frames = [
        Picture(f"{spec.id}.step-{n}", spec.title, frame=Frame(frozenset(shown), title))
        for n, (title, shown) in enumerate(steps, start=1)
    ]
    rendered = render_pictures(spec, frames, RenderOptions(formats=("png",), theme=theme, preset=PRESET))

    prs = deck.new_deck()
    _title_slide(prs, palette, spec, ctx, notes.title)
    for number, ((title, _), item, text) in enumerate(zip(steps, rendered, notes.steps, strict=False), start=1):
        slide = deck.add_slide(prs, palette, title)
        deck.text_box(slide, palette, (0.5, 0.15, 12.333, 0.4), [Line(f"Step {number} of {len(steps)}", 14, "muted")])
        png = item.files["png"]
        labels = ", ".join(spec.label(c) for c in steps[number - 1][1])
        deck.picture(slide, png, _png_size(png), PICTURE_BOX, f"{spec.title}, step {number}: {title}. Shows {labels}.")
        deck.notes(slide, text)
    _metrics_slide(prs, palette, ctx.metrics.groups, notes.metrics)
    _capacity_slide(prs, palette, spec, ctx, notes.capacity)
    _core_properties(prs, spec)
    warnings = tuple(dict.fromkeys(w for item in rendered for w in item.warnings))
    return Deck(_reproducible_zip(prs), len(prs.slides), notes, warnings)


def write_deck(spec: Spec, path: Path, *, theme: str = DEFAULT_THEME) -> Deck:
    """Build the deck and write it to `path` atomically (its folder is created)."""
    built = build_deck(spec, theme=theme)
    write_atomic(Path(path), built.data)
    return built


# ------------------------------------------------------------------ slides


def _title_slide(prs, palette: Palette, spec: Spec, ctx: ExplanationContext, text: str) -> None:
    slide = deck.add_slide(prs, palette, spec.title, size=40, top=1.2, height=1.9)
    deck.text_box(slide, palette, (0.5, 0.5, 12.333, 0.5), [Line("ML system design", 16, "muted")])
    summary = " ".join((spec.summary or "").split())
    if summary:
        # python-pptx cannot measure text: pick a size from the length.
        size = 20 if len(summary) <= 320 else 17 if len(summary) <= 600 else 14
        deck.text_box(slide, palette, (0.5, 3.3, 12.333, 2.7), [Line(summary, size)])
    framing = ctx.framing
    if framing.task_name:
        task = [
            Line(f"ML task: {framing.task_name}", 22, "accent", bold=True),
            Line(framing.task_text or "", 15, "muted"),
        ]
    else:
        task = [Line("ML task: not stated in the spec yet", 22, "muted", italic=True)]
    deck.text_box(slide, palette, (0.5, 6.05, 12.333, 1.1), task)
    deck.notes(slide, text)


def _metrics_slide(prs, palette: Palette, groups: tuple[MetricGroup, ...], text: str) -> None:
    slide = deck.add_slide(prs, palette, "Metrics")
    # Two by two: business and offline on top, online and guardrail below.
    width, height, gap = 6.0, 2.85, 0.333
    for index, group in enumerate(groups):
        left = 0.5 + (index % 2) * (width + gap)
        top = 1.4 + (index // 2) * (height + 0.2)
        lines = [Line(group.title, 20, "accent", bold=True)]
        if group.question is not None:
            lines.append(Line(f"Open question: {say(group.question)}", 14, "muted", italic=True))
        count = sum(2 if m.why else 1 for m in group.metrics)
        size = 16 if count <= 6 else 14 if count <= 9 else 12
        for metric in group.metrics:
            name = metric.name + (f" (target {metric.target})" if metric.target else "")
            lines.append(Line(f"• {name}", size, space_before=4))
            if metric.why:
                lines.append(Line(f"why: {metric.why}", size - 3, "muted", italic=True, level=1))
        deck.text_box(slide, palette, (left, top, width, height), lines)
    deck.notes(slide, text)


def _capacity_slide(prs, palette: Palette, spec: Spec, ctx: ExplanationContext, text: str) -> None:
    slide = deck.add_slide(prs, palette, "Capacity estimates")
    cap = ctx.requirements.capacity
    lines = [Line(f"• {line}", 18, space_before=6) for line in _capacity_lines(spec, cap)]
    if cap.empty:
        question = next((p.question for p in ctx.requirements.parts if p.label == "Scale" and p.question), None)
        lines.append(Line("The spec gives no scale numbers yet.", 18, "muted", italic=True))
        if question is not None:
            lines.append(Line(f"Open question: {say(question)}", 16, "muted", italic=True))
    if len(lines) > 9:
        lines = [Line(line.text, 14, line.colour, line.bold, line.italic, space_before=3) for line in lines]
    deck.text_box(slide, palette, (0.5, 1.4, 12.333, 5.8), lines)
    deck.notes(slide, text)


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


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) or the ZIP epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(ZIP_EPOCH, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc))
    return ZIP_EPOCH


def _core_properties(prs, spec: Spec) -> None:
    props = prs.core_properties
    when = _build_time().replace(tzinfo=None)  # python-pptx writes naive times as UTC
    props.title = deck.clean(spec.title)
    props.subject = "ML system design"
    props.author = props.last_modified_by = "mlsd"
    props.created = props.modified = when
    props.revision = 1


def _reproducible_zip(prs) -> bytes:
    """The saved deck with every ZIP entry dated `_build_time()` (zipfile stamps 'now')."""
    raw = io.BytesIO()
    prs.save(raw)
    stamp = _build_time().timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever the platform that built it
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
