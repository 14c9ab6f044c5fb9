"""Rendering: a validated `Spec` in, pictures (and their names) out, in memory.

Pictures are produced in memory; `mlsd.outputs` decides which files a run
writes and writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from mlsd.errors import InputError
from mlsd.model import Spec
from mlsd.render import svg as svg_tree
from mlsd.render.engine import DEFAULT_TIMEOUT, Budget, Layout, arrange, draw, in_parallel, settle
from mlsd.render.graph import Frame, build_dot, edge_id, icon_for, kinds_drawn, label_size
from mlsd.render.placement import Placement, place_labels, read_placement
from mlsd.render.theme import COLOURS, Theme
from mlsd.topology import by_stage
from mlsd.vocabulary import DEFAULT_FORMATS, DEFAULT_THEME, DIRECTIONS, PICTURE_FORMATS, PRESETS, THEMES, Preset

SCREEN_DPI = 96
# A bitmap's budget: PNG time and memory follow its pixel count (about 0.1 s of
# CPU per megapixel here), so large designs are drawn at a lower dpi.
MAX_PIXELS = 16_000_000
MAX_SIDE_PX = 10_000


@dataclass(frozen=True)
class RenderOptions:
    """How to draw: formats, theme, canvas preset and background."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str = DEFAULT_THEME
    preset: str = "default"
    transparent: bool = False
    timeout: float = DEFAULT_TIMEOUT
    heading: bool = True  # the title above the drawing (a slide has its own)
    legend: bool = True  # the row of flow styles under the drawing


DEFAULT_OPTIONS = RenderOptions()


@dataclass(frozen=True)
class Picture:
    """One picture of a spec: the whole design, a view or a reveal frame."""

    stem: str  # output file name without extension
    title: str
    include: tuple[str, ...] | None = None
    frame: Frame = field(default_factory=Frame)


# A picture's direction and where its components and labels were placed.
Arranged = tuple[str, Placement]


@dataclass(frozen=True)
class Rendered:
    """The files of one picture, by format, and Graphviz's warnings."""

    picture: Picture
    files: dict[str, bytes]
    warnings: tuple[str, ...]
    # Where its components were placed, and in which direction: pass them back to
    # `render_pictures` to draw more pictures of the same components without
    # laying them out again.
    arranged: Arranged


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
        plan = [(stage.capitalize(), ids) for stage, ids in by_stage(spec) if ids]
    shown: list[str] = []
    frames = []
    for title, added in plan:
        shown += [c for c in added if c not in shown]
        frames.append((title, tuple(shown)))
    return frames


def render_pictures(
    spec: Spec,
    todo: list[Picture],
    options: RenderOptions,
    arranged_before: Mapping[tuple[str, ...] | None, Arranged] | None = None,
) -> list[Rendered]:
    """Draw each picture in the picture formats asked for, in memory.

    `arranged_before` gives, by the components a picture includes, the placement
    an earlier call made (`Rendered.arranged`): those pictures are not laid out
    again. Pictures are independent once laid out, so they are drawn at the same
    time (Graphviz runs in its own processes); the result keeps the order of `todo`.
    """
    theme = COLOURS[options.theme]
    preset = PRESETS[options.preset]
    formats = [f for f in options.formats if f in PICTURE_FORMATS]
    icons = {str(path): path for path in (icon_for(spec, c)[0] for c in spec.components)}
    # One time limit for the whole spec, however many pictures it has.
    budget = Budget(options.timeout)
    drafts = [Draft(spec, p, theme, options, f"{spec.source.shown} ({p.stem})", budget) for p in todo]
    # Reveal frames take the direction and the node positions of the picture they
    # reveal: nothing moves between frames, and Graphviz ranks the nodes only once,
    # for the first picture of each set of components.
    known = dict(arranged_before or {})
    first: dict[tuple[str, ...] | None, int] = {}
    for index, picture in enumerate(todo):
        if picture.include not in known:
            first.setdefault(picture.include, index)

    def arrange_first(index: int) -> tuple[str, str, Placement]:
        return drafts[index].arrange(preset.aspect or SLIDE_ASPECT)

    made_here = dict(zip(first, in_parallel(arrange_first, list(first.values())), strict=True))
    known |= {include: (direction, placed) for include, (direction, _, placed) in made_here.items()}

    def finish(index: int) -> Rendered:
        picture, draft = todo[index], drafts[index]
        direction, placed = known[picture.include]
        laid_out = draft.settle(direction, placed)
        attrs = _canvas(laid_out, preset)
        attrs["bgcolor"] = "transparent" if options.transparent else theme.background
        drawn = [f for f in formats if f != "dot"]
        files, warnings = draw(laid_out, drawn, attrs, draft.what, budget) if drawn else ({}, ())
        if "svg" in files:
            # Parsed once: after the icons are inlined the document can be too large to parse again.
            tree = svg_tree.parse(files["svg"].decode("utf-8"))
            svg_tree.inline_icons(tree, icons)
            if picture.frame.shown is not None:
                svg_tree.hide_drawings(tree)
            files["svg"] = svg_tree.serialise(tree).encode("utf-8")
        if "dot" in formats:
            is_first = first.get(picture.include) == index
            source = made_here[picture.include][1] if is_first else draft.dot(direction)
            files["dot"] = source.encode("utf-8")
        return Rendered(picture, {f: files[f] for f in formats}, laid_out.warnings + warnings, (direction, placed))

    return in_parallel(finish, list(range(len(todo))))


def arrange_picture(spec: Spec, options: RenderOptions = DEFAULT_OPTIONS) -> Arranged:
    """Where the components of the spec's main picture go, as `render_pictures` places
    them with `options`: hand it back to draw pictures of the same components (another
    theme, no title) without laying them out again."""
    picture = Picture(spec.id, spec.title)
    what = f"{spec.source.shown} ({picture.stem})"
    draft = Draft(spec, picture, COLOURS[options.theme], options, what, Budget(options.timeout))
    direction, _, placed = draft.arrange(PRESETS[options.preset].aspect or SLIDE_ASPECT)
    return direction, placed


def render_in_themes(
    spec: Spec, options: RenderOptions, themes: Sequence[str] = THEMES, arranged: Arranged | None = None
) -> dict[str, Rendered]:
    """The spec's main picture in each theme of `themes`, laid out once (themes differ
    in colour only), or not at all when `arranged` says where everything goes."""
    picture = Picture(spec.id, spec.title)
    drawn: dict[str, Rendered] = {}
    for theme in themes:
        before: dict[tuple[str, ...] | None, Arranged] = {None: arranged} if arranged is not None else {}
        (drawn[theme],) = render_pictures(spec, [picture], replace(options, theme=theme), before)
        arranged = drawn[theme].arranged
    return drawn


def svg_text(spec: Spec, theme: str = DEFAULT_THEME) -> str:
    """The spec's main picture as a self-contained SVG string, written nowhere."""
    options = RenderOptions(formats=("svg",), theme=theme)
    (rendered,) = render_pictures(spec, [Picture(spec.id, spec.title)], options)
    return rendered.files["svg"].decode("utf-8")


# The frame a picture is chosen for when its preset has no shape of its own: a 16:9 slide.
SLIDE_ASPECT = 16 / 9


@dataclass(frozen=True)
class Draft:
    """One picture, ready to be laid out in a given direction (the editable exports
    lay pictures out through it too, so their positions are the picture's)."""

    spec: Spec
    picture: Picture
    theme: Theme
    options: RenderOptions
    what: str
    budget: Budget

    def dot(self, direction: str, placed: Placement | None = None, legend_kinds: Sequence[str] = ()) -> str:
        """The picture's DOT source in `direction`; with `placed`, everything at its place."""
        return build_dot(
            self.spec,
            self.theme,
            include=self.picture.include,
            frame=self.picture.frame,
            title=self.picture.title,
            heading=self.options.heading,
            direction=direction,
            placed=placed,
            legend_kinds=legend_kinds,
        )

    def place(self, direction: str) -> tuple[str, Placement]:
        """The DOT source in `direction` and where Graphviz put everything, edge labels
        then set on their edges."""
        spec, picture = self.spec, self.picture
        source = self.dot(direction)
        placed = read_placement(arrange(source, self.what, self.budget), self.what)
        members = set(picture.include) if picture.include is not None else set(spec.components)
        edges = [e for e in spec.edges if e.source in members and e.target in members]
        sizes = {edge_id(spec, i): label_size(e.label) for i, e in enumerate(edges) if e.label}
        return source, place_labels(placed, sizes)

    def arrange(self, aspect: float) -> tuple[str, str, Placement]:
        """The direction (the spec's, or the one whose drawing shows largest in a frame
        of `aspect`), the DOT source in it and the placement.

        The direction is chosen on Graphviz's layout, before the drawing is settled,
        so a direction not taken costs one Graphviz run, not two.
        """
        direction, (source, placed) = best_layout(
            self.place, lambda made: made[1].size(), direction=self.spec.layout.direction, aspect=aspect
        )
        return direction, source, placed

    def settle(self, direction: str, placed: Placement) -> Layout:
        """The drawing settled from `placed` (this picture's or an earlier one's with the
        same components), with the legend under it."""
        kinds = kinds_drawn(self.spec, self.picture.include) if self.options.legend else []
        return settle(self.dot(direction, placed, kinds), self.what, self.budget)


Laid = TypeVar("Laid")


def best_layout(
    lay_out: Callable[[str], Laid],
    measure: Callable[[Laid], tuple[float, float]],
    *,
    direction: str | None = None,
    aspect: float = SLIDE_ASPECT,
) -> tuple[str, Laid]:
    """The direction, and what `lay_out` made in it, whose drawing (`measure`: its width
    and height) shows largest in a frame of `aspect` (width / height).

    A `direction` written in the spec wins; otherwise every direction is laid
    out (at the same time, in threads) and the one whose drawing scales up
    most to fit the frame is kept.
    """
    if direction is not None:
        return direction, lay_out(direction)
    # The directions are laid out side by side: most of the time goes to Graphviz
    # processes, which run on separate cores (diagrams keeps its state per thread).
    candidates = in_parallel(lay_out, list(DIRECTIONS))
    best: tuple[float, str, Laid] | None = None
    for candidate, made in zip(DIRECTIONS, candidates, strict=True):
        width, height = measure(made)
        scale = min(aspect / max(width, 1.0), 1 / max(height, 1.0))
        if best is None or scale > best[0] * 1.02:  # LR, the usual reading order, wins a near tie
            best = (scale, candidate, made)
    assert best is not None  # DIRECTIONS is never empty (the vocabulary requires one)
    return best[1], best[2]


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
