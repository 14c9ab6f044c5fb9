"""The picture slides: which pictures a deck shows, drawn, cropped and measured.

How large the text of a picture is on a slide
---------------------------------------------
Graphviz lays a picture out in points (1/72 in); its component labels are
`NODE_FONT` = 18 pt (edge labels 13 pt). The PNG is rasterised at `dpi` pixels
per inch, so a label's em is ``18 × dpi / 72`` px in the PNG. The PNG, cropped
to the drawing, is ``P`` px wide; placed ``B`` inches wide on the 13.333 in
slide, which a 1920 × 1080 screen shows at ``1920 / 13.333 = 144`` px per inch,
each PNG pixel is shown ``B × 144 / P`` screen pixels wide. A label is then::

    text_px = 18 × dpi / 72 × B × 144 / P

screen pixels tall (its em: the font size in pixels). As ``P = W × dpi / 72``
for a drawing ``W`` points wide, this is ``18 × 2 × B × 72 / W``: the dpi
cancels out, and 14 px needs the drawing shown at ``B × 72 / W >= 14 / 36``,
39 % of its own size or more. A picture fills the slide's picture box (aspect
kept, centred) but is never shown beyond its own size (`MAX_SCALE`): labels
stay at most 36 px, the size of 18 pt slide text. The deck writes the dpi into each PNG (its pHYs
chunk), so the size can be checked from the file alone.

Which pictures
--------------
The whole design, revealed step by step (`reveal_steps`: every frame shares
one layout, so nothing moves), when its labels read at `MIN_TEXT_PX` or more
in the slide's picture box. Otherwise the deck shows it part by part, each
part laid out on its own:

- the spec's views, in the order written, then (when the views leave some
  components out) one part holding those components and the components they
  exchange flows with, named after their stages ("Monitoring");
- a spec without views is shown as its online path (the client, serving and
  monitoring stages) and its offline pipelines (data, features, training),
  each named after the stages it holds ("Client, serving and monitoring");
- a part still too large is halved at the stage boundary nearest its middle
  (stages in the pipeline's order: client, data, features, training, serving,
  monitoring), again and again; a part of one stage is halved in spec order.

Within a part the reveal steps go on: a part's frame per step that shows
something new, with the components earlier slides introduced already drawn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops

from mlsd.catalogue import STAGES
from mlsd.errors import RenderError
from mlsd.model import Spec
from mlsd.render import Arranged, Frame, Picture, RenderOptions, render_pictures, reveal_steps
from mlsd.render.engine import in_parallel
from mlsd.render.graph import NODE_FONT
from mlsd.render.theme import COLOURS, FLOW_STYLES

MIN_TEXT_PX = 14.0  # a label's height in px when the slide is shown at 1920 x 1080
# A small picture is shown at most at its own size: labels of 36 px, as large
# as 18 pt slide text, not a few components blown up to fill the slide.
MAX_SCALE = 1.0
SCREEN_PX_PER_INCH = 144.0  # 1920 px across a 13.333 in slide
PRESET = "slide-16x9"  # a 1920 x 1080 canvas: at least as sharp as the slide shows it
# A design without views is first shown as its online path and its offline pipelines.
ONLINE_STAGES = frozenset({"client", "serving", "monitoring"})
OFFLINE_STAGES = frozenset({"data", "features", "training"})
CROP_MARGIN_PT = 6.0  # kept around the drawing when the canvas padding is cut off
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


@dataclass(frozen=True)
class Part:
    """What one layout shows: the whole design (`include` None) or some components."""

    key: str  # names its pictures
    title: str | None  # None: the whole design
    include: tuple[str, ...] | None


@dataclass(frozen=True)
class Drawing:
    """A part's layout, measured: where its drawing is on the canvas and at what dpi."""

    part: Part
    png: bytes  # the whole part, everything shown, on the full canvas
    crop: tuple[int, int, int, int]  # the drawing in canvas pixels: left, top, right, bottom
    dpi: float
    warnings: tuple[str, ...]
    arranged: Arranged  # its placement, which its reveal frames reuse

    @property
    def pixels(self) -> tuple[int, int]:
        """The cropped picture's size in pixels."""
        left, top, right, bottom = self.crop
        return right - left, bottom - top


@dataclass(frozen=True)
class Shot:
    """One picture slide: its frame as a cropped PNG, and what it shows."""

    title: str
    part: str | None  # the part's title; None: the whole design
    shown: tuple[str, ...]
    added: tuple[str, ...]  # shown here for the first time in the deck
    kinds: tuple[str, ...]  # flow kinds of the edges drawn, in legend order
    png: bytes
    pixels: tuple[int, int]
    dpi: float
    include: tuple[str, ...] | None = None  # the components of its part's layout; None: all


def fitted_width(pixels: tuple[int, int], dpi: float, box: tuple[float, float]) -> float:
    """Inches wide a picture of `pixels` at `dpi` is shown in a box of `box` inches: as
    large as fits, aspect kept, but never beyond `MAX_SCALE` of its own size."""
    return min(box[0], box[1] * pixels[0] / pixels[1], pixels[0] / dpi * MAX_SCALE)


def text_px(dpi: float, pixels: tuple[int, int], width_in: float, points: float = NODE_FONT) -> float:
    """Screen px of `points` text in a picture rasterised at `dpi`, `pixels[0]` px wide,
    shown `width_in` inches wide on a slide seen at 1920 x 1080 (see the module's docstring)."""
    return points * dpi / 72 * width_in * SCREEN_PX_PER_INCH / pixels[0]


def picture_slides(spec: Spec, theme: str, box: tuple[float, float]) -> tuple[list[Shot], tuple[str, ...]]:
    """The deck's picture slides, each reading at `MIN_TEXT_PX` or more when fitted in
    `box` (inches), and Graphviz's warnings."""
    options = RenderOptions(formats=("png", "svg"), theme=theme, preset=PRESET, heading=False, legend=False)
    whole = _measure(spec, Part(spec.id, None, None), options)
    # Too small whole: part by part (each part's layout is measured once more by `_fit`).
    parts = [] if _reads(whole, box) else _parts(spec)
    fitted = in_parallel(lambda part: _fit(spec, part, options, box), parts)
    drawings = [d for found in fitted for d in found] or [whole]
    frames_png = RenderOptions(formats=("png",), theme=theme, preset=PRESET, heading=False, legend=False)
    warnings = [w for d in drawings for w in d.warnings]
    # Every frame of every part is drawn in one call, on the placement its part was measured with.
    plans, seen = [], set[str]()
    for drawing in drawings:
        plans.append(_frames(spec, drawing.part, seen))
        seen.update(c for _, shown in plans[-1] for c in shown)
    todo = [
        Picture(f"{spec.id}.{d.part.key}.{n}", title, include=d.part.include, frame=Frame(shown, title))
        for d, plan in zip(drawings, plans, strict=True)
        for n, (title, shown) in enumerate(plan, start=1)
    ]
    before = {d.part.include: d.arranged for d in drawings}
    rendered = iter(render_pictures(spec, todo, frames_png, before))
    shots: list[Shot] = []
    seen.clear()
    for drawing, plan in zip(drawings, plans, strict=True):
        for (title, shown), item in zip(plan, [next(rendered) for _ in plan], strict=True):
            warnings += item.warnings
            order = [c for c in spec.components if c in shown]
            added = tuple(c for c in order if c not in seen)
            seen.update(added)
            png = _cropped(item.files["png"], drawing)
            kinds = tuple(
                k for k in FLOW_STYLES if any(e.kind == k and {e.source, e.target} <= shown for e in spec.edges)
            )
            shots.append(
                Shot(
                    title,
                    drawing.part.title,
                    tuple(order),
                    added,
                    kinds,
                    png,
                    drawing.pixels,
                    drawing.dpi,
                    drawing.part.include,
                )
            )
    return shots, tuple(dict.fromkeys(warnings))


def _measure(spec: Spec, part: Part, options: RenderOptions) -> Drawing:
    """Lay a part out once, everything shown, and find its drawing on the canvas."""
    (item,) = render_pictures(spec, [Picture(f"{spec.id}.{part.key}", part.title or spec.title, part.include)], options)
    png, svg = item.files["png"], item.files["svg"]
    match = _VIEWBOX.search(svg[:4000].decode("utf-8", "replace"))
    if match is None:
        raise RenderError(f"{spec.source.shown} ({part.key}): Graphviz wrote an SVG without a viewBox")
    with Image.open(io.BytesIO(png)) as image:
        dpi = image.width * 72 / float(match.group(1))
        background = Image.new("RGB", image.size, COLOURS[options.theme].background)
        box = ImageChops.difference(image.convert("RGB"), background).getbbox() or (0, 0, *image.size)
        margin = round(CROP_MARGIN_PT * dpi / 72)
        crop = (
            max(box[0] - margin, 0),
            max(box[1] - margin, 0),
            min(box[2] + margin, image.width),
            min(box[3] + margin, image.height),
        )
    return Drawing(part, png, crop, dpi, item.warnings, item.arranged)


def _reads(drawing: Drawing, box: tuple[float, float]) -> bool:
    return text_px(drawing.dpi, drawing.pixels, fitted_width(drawing.pixels, drawing.dpi, box)) >= MIN_TEXT_PX


def _fit(spec: Spec, part: Part, options: RenderOptions, box: tuple[float, float]) -> list[Drawing]:
    """The part, or its halves (again and again) until each reads at `MIN_TEXT_PX`."""
    drawing = _measure(spec, part, options)
    members = part.include if part.include is not None else tuple(spec.components)
    if _reads(drawing, box) or len(members) <= 1:
        return [drawing]
    return [d for half in _halves(spec, part) for d in _fit(spec, half, options, box)]


def _stage_names(stages: Sequence[str]) -> str:
    names = [s.capitalize() if i == 0 else s for i, s in enumerate(stages)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _parts(spec: Spec) -> list[Part]:
    """The parts a design too large for one slide is shown in (see the module's docstring)."""
    if not spec.views:
        return _by_path(spec)
    parts = [
        Part(name, view.title or name.replace("_", " ").replace("-", " ").capitalize(), spec.resolve_ids(view.include))
        for name, view in spec.views.items()
    ]
    covered = {c for part in parts for c in part.include or ()}
    rest = {c for c in spec.components if c not in covered}
    if rest:
        near = (
            rest
            | {e.target for e in spec.edges if e.source in rest}
            | {e.source for e in spec.edges if e.target in rest}
        )
        stages = [s for s in STAGES if any(spec.stage(c) == s for c in rest)]
        parts.append(Part("rest", _stage_names(stages), tuple(c for c in spec.components if c in near)))
    return parts


def _by_path(spec: Spec) -> list[Part]:
    """A design without views in two: the online path (client, serving and
    monitoring) and the offline pipelines (data, features and training)."""
    parts = []
    for key, stages in (("online", ONLINE_STAGES), ("offline", OFFLINE_STAGES)):
        members = tuple(c for c in spec.components if spec.stage(c) in stages)
        present = [s for s in STAGES if s in stages and any(spec.stage(c) == s for c in members)]
        if members:
            parts.append(Part(key, _stage_names(present), members))
    return parts if len(parts) > 1 else _halves(spec, Part(spec.id, None, None))


def _halves(spec: Spec, part: Part) -> list[Part]:
    """A part cut in two: at the stage boundary nearest its middle, or in spec order."""
    members = list(part.include) if part.include is not None else list(spec.components)
    order = {stage: i for i, stage in enumerate(STAGES)}
    ranked = sorted(members, key=lambda c: (order[spec.stage(c)], members.index(c)))
    cuts = [i for i in range(1, len(ranked)) if spec.stage(ranked[i]) != spec.stage(ranked[i - 1])]
    if cuts:
        cut = min(cuts, key=lambda i: (abs(2 * i - len(ranked)), i))
        pieces = [ranked[:cut], ranked[cut:]]
        named = [_stage_names(list(dict.fromkeys(spec.stage(c) for c in piece))) for piece in pieces]
        titles = [f"{part.title}: {name.lower()}" if part.title else name for name in named]
    else:
        half = (len(ranked) + 1) // 2
        pieces = [ranked[:half], ranked[half:]]
        base = part.title or _stage_names([spec.stage(ranked[0])])
        titles = [f"{base} ({n} of 2)" for n in (1, 2)]
    return [
        Part(f"{part.key}-{n}", title, tuple(c for c in members if c in piece))
        for n, (title, piece) in enumerate(zip(titles, pieces, strict=True), start=1)
    ]


def _frames(spec: Spec, part: Part, seen: set[str]) -> list[tuple[str, frozenset[str]]]:
    """(title, components shown) for each slide of a part.

    The whole design: every reveal step, as `mlsd render --steps` draws them.
    A part: the steps that show something the deck has not shown yet, each
    with what earlier slides introduced already drawn; a part no step adds to
    is shown whole, under its own title.
    """
    steps = reveal_steps(spec)
    if part.include is None:
        return [(title, frozenset(shown)) for title, shown in steps]
    members = set(part.include)
    known = members & seen
    frames = []
    for title, shown in steps:
        now = known | (members & set(shown))
        if now - known - seen:
            frames.append((title, frozenset(now)))
        known = now
    return frames or [(part.title or spec.title, frozenset(members))]


def _cropped(png: bytes, drawing: Drawing) -> bytes:
    """The frame cut to its part's drawing, its dpi written in (pHYs)."""
    with Image.open(io.BytesIO(png)) as image:
        if image.size != _size(drawing.png):
            raise RenderError(f"a frame of {drawing.part.key} was laid out differently from its part")
        out = io.BytesIO()
        image.crop(drawing.crop).save(out, format="PNG", dpi=(drawing.dpi, drawing.dpi))
    return out.getvalue()


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size
