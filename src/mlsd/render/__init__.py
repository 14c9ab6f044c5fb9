"""Rendering: a validated `Spec` in, pictures (and their names) out.

Every picture of a run is produced in memory first and written only when all
of them succeeded, each file atomically, so a failure leaves earlier outputs
exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from mlsd.catalogue import STAGES
from mlsd.errors import InputError
from mlsd.model import Spec
from mlsd.output import write_atomic
from mlsd.render.engine import DEFAULT_TIMEOUT, Budget, Layout, draw, layout
from mlsd.render.graph import Frame, build_dot, icon_for
from mlsd.render.svg import drop_hidden, embed_icons
from mlsd.render.theme import PRESETS, THEMES, Preset

PICTURE_FORMATS = ("png", "svg", "pdf", "dot")
TEXT_FORMATS = ("md", "html")
# Diagram languages `render` can write next to the pictures: format -> exporter.
EXPORT_FORMATS = MappingProxyType({"mmd": "mermaid", "d2": "d2"})
FORMATS = PICTURE_FORMATS + TEXT_FORMATS + tuple(EXPORT_FORMATS)
DEFAULT_FORMATS = ("png", "svg", "md")
SCREEN_DPI = 96
# A bitmap's budget: PNG time and memory follow its pixel count (about 0.1 s of
# CPU per megapixel here), so large designs are drawn at a lower dpi.
MAX_PIXELS = 16_000_000
MAX_SIDE_PX = 10_000


@dataclass(frozen=True)
class RenderOptions:
    """How to draw: formats, theme, canvas preset and background."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str = "light"
    preset: str = "default"
    transparent: bool = False
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Picture:
    """One picture of a spec: the whole design, a view or a reveal frame."""

    stem: str  # output file name without extension
    title: str
    include: tuple[str, ...] | None = None
    frame: Frame = field(default_factory=Frame)


@dataclass(frozen=True)
class Rendered:
    """The files of one picture, by format, and Graphviz's warnings."""

    picture: Picture
    files: dict[str, bytes]
    warnings: tuple[str, ...]


def pictures(spec: Spec, *, views: tuple[str, ...] = (), all_views: bool = False, steps: bool = False) -> list[Picture]:
    """The pictures a render asks for: the whole design, views, reveal frames."""
    result = [Picture(spec.id, spec.title)]
    names = list(spec.views) if all_views else list(views)
    for name in names:
        if name not in spec.views:
            known = ", ".join(spec.views) or "none"
            raise InputError(f"{spec.source.shown}: no view named '{name}' (views: {known})")
        view = spec.views[name]
        result.append(Picture(f"{spec.id}.{name}", view.title or spec.title, include=spec.resolve_ids(view.include)))
    if steps:
        for number, (title, shown) in enumerate(reveal_steps(spec), start=1):
            result.append(Picture(f"{spec.id}.step-{number}", title, frame=Frame(frozenset(shown), title)))
    return result


def reveal_steps(spec: Spec) -> list[tuple[str, tuple[str, ...]]]:
    """(title, components shown) per reveal step: the spec's steps, or the stages in order."""
    if spec.steps:
        plan = [(step.title, spec.resolve_ids(list(step.add))) for step in spec.steps]
    else:
        by_stage = [(stage, tuple(c for c in spec.components if spec.stage(c) == stage)) for stage in STAGES]
        plan = [(stage.capitalize(), ids) for stage, ids in by_stage if ids]
    shown: list[str] = []
    frames = []
    for title, added in plan:
        shown += [c for c in added if c not in shown]
        frames.append((title, tuple(shown)))
    return frames


def render_pictures(spec: Spec, todo: list[Picture], options: RenderOptions) -> list[Rendered]:
    """Draw each picture in the picture formats asked for, in memory."""
    theme = THEMES[options.theme]
    preset = PRESETS[options.preset]
    formats = [f for f in options.formats if f in PICTURE_FORMATS]
    icons = {str(path): path for path in (icon_for(spec, c)[0] for c in spec.components)}
    done = []
    # One time limit for the whole spec, however many pictures it has.
    budget = Budget(options.timeout)
    for picture in todo:
        source = build_dot(spec, theme, include=picture.include, frame=picture.frame, title=picture.title)
        what = f"{spec.source.shown} ({picture.stem})"
        laid_out = layout(source, what, budget)
        attrs = _canvas(laid_out, preset)
        attrs["bgcolor"] = "transparent" if options.transparent else theme.background
        drawn = [f for f in formats if f != "dot"]
        files, warnings = draw(laid_out, drawn, attrs, what, budget) if drawn else ({}, ())
        if "svg" in files:
            svg = embed_icons(files["svg"].decode("utf-8"), icons)
            files["svg"] = (drop_hidden(svg) if picture.frame.shown is not None else svg).encode("utf-8")
        if "dot" in formats:
            files["dot"] = source.encode("utf-8")
        done.append(Rendered(picture, {f: files[f] for f in formats}, laid_out.warnings + warnings))
    return done


def render_spec(
    spec: Spec,
    out_dir: Path,
    options: RenderOptions = RenderOptions(),
    *,
    views: tuple[str, ...] = (),
    all_views: bool = False,
    steps: bool = False,
    explain: Callable[[Spec, str, str | None, str | None], str] | None = None,
) -> tuple[list[Path], tuple[str, ...]]:
    """Render a spec into `out_dir`; return the files written and Graphviz's warnings."""
    outputs, warnings = render_outputs(
        spec, out_dir, options, views=views, all_views=all_views, steps=steps, explain=explain
    )
    for path, data in outputs.items():
        write_atomic(path, data)
    return list(outputs), warnings


def render_outputs(
    spec: Spec,
    out_dir: Path,
    options: RenderOptions = RenderOptions(),
    *,
    views: tuple[str, ...] = (),
    all_views: bool = False,
    steps: bool = False,
    explain: Callable[[Spec, str, str | None, str | None], str] | None = None,
) -> tuple[dict[Path, bytes], tuple[str, ...]]:
    """Every file a render of `spec` would write, by path, in memory; and Graphviz's warnings."""
    todo = pictures(spec, views=views, all_views=all_views, steps=steps)
    rendered = render_pictures(spec, todo, options)
    outputs: dict[Path, bytes] = {}
    for item in rendered:
        for fmt, data in item.files.items():
            outputs[out_dir / f"{item.picture.stem}.{fmt}"] = data
    if explain is not None:
        main = rendered[0].files
        for fmt in (f for f in options.formats if f in TEXT_FORMATS):
            picture_name = next((f"{spec.id}.{ext}" for ext in ("svg", "png") if ext in main), None)
            svg = main["svg"].decode("utf-8") if "svg" in main else None
            outputs[out_dir / f"{spec.id}.{fmt}"] = explain(spec, fmt, svg, picture_name).encode("utf-8")
    for fmt in (f for f in options.formats if f in EXPORT_FORMATS):
        from mlsd.export import export

        for picture in todo:
            if picture.frame.shown is None:  # the design and its views, not reveal frames
                text = export(spec, EXPORT_FORMATS[fmt], theme=options.theme, include=picture.include)
                outputs[out_dir / f"{picture.stem}.{fmt}"] = text.encode("utf-8")
    warnings = tuple(dict.fromkeys(w for item in rendered for w in item.warnings))
    return outputs, warnings


def svg_text(spec: Spec, theme: str = "light") -> str:
    """The spec's main picture as a self-contained SVG string, written nowhere."""
    options = RenderOptions(formats=("svg",), theme=theme)
    (rendered,) = render_pictures(spec, [Picture(spec.id, spec.title)], options)
    return rendered.files["svg"].decode("utf-8")


def _canvas(laid_out: Layout, preset: Preset) -> dict[str, str]:
    """pad (and dpi) that give the preset's aspect ratio and pixel width."""
    width_in, height_in = laid_out.width / 72, laid_out.height / 72
    pad_x = pad_y = preset.pad_inches
    if preset.aspect is not None:
        total_w, total_h = width_in + 2 * pad_x, height_in + 2 * pad_y
        if total_w / total_h < preset.aspect:
            pad_x = (preset.aspect * total_h - width_in) / 2
        else:
            pad_y = (total_w / preset.aspect - height_in) / 2
    attrs = {"pad": f"{pad_x:.4f},{pad_y:.4f}"}
    total_w, total_h = width_in + 2 * pad_x, height_in + 2 * pad_y
    if preset.width_px is not None:
        attrs["dpi"] = f"{preset.width_px / total_w:.4f}"
    else:
        dpi = min(SCREEN_DPI, (MAX_PIXELS / (total_w * total_h)) ** 0.5, MAX_SIDE_PX / max(total_w, total_h))
        if dpi < SCREEN_DPI:
            # A very large design would give a bitmap too big to open or slow to write.
            attrs["dpi"] = f"{dpi:.4f}"
    return attrs
