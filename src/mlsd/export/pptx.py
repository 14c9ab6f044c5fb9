"""The picture as native PowerPoint shapes, to edit in PowerPoint, Keynote, Google Slides or Impress.

Every component is a group of its icon (a picture) and its label (a text
box the size of the whole component, its lines at the bottom); every flow a
connector glued to the two label boxes (so it follows when a component is
moved) in the flow kind's colour, dash and arrowhead; every edge label a text
box on a patch of the background; every group a rounded rectangle behind its
components, its name in the top left corner. Positions are the SVG's
(`mlsd.export.layout`), scaled to fit the slide; text boxes take their size
from Graphviz's own measure of the text at the same scale and never autofit
or wrap, so nothing is cut off in any viewer.

The file is reproducible: fixed dates in the document and its ZIP entries
(1980-01-01, or SOURCE_DATE_EPOCH when that is set).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.shapes.connector import Connector
from pptx.shapes.shapetree import GroupShapes, SlideShapes
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from mlsd.catalogue import KINDS
from mlsd.export.layout import FONTS, LINE_PITCH, Component, Flow, Rect, Scene
from mlsd.model import Spec
from mlsd.render.labels import ems
from mlsd.render.theme import FLOW_STYLES, FONT_FAMILY, FlowStyle

__all__ = ["SLIDE_SIZE", "draw_scene", "to_pptx"]

# Where a box of the scene goes on the slide: (left, top, width, height) in inches.
Placer = Callable[[Rect], tuple[float, float, float, float]]
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
SLIDE_SIZE = (13.333, 7.5)  # inches, 16:9
EMU_PER_INCH = 914400
MARGIN_IN = 0.35
TITLE_PT = 24
LEGEND_ROW_IN = 0.3

# Graphviz arrowheads as DrawingML line ends. DrawingML has no hollow heads:
# hollow ones take the nearest shape of another name, so that every flow kind
# keeps a head of its own with its dash and colour.
_LINE_ENDS = {
    "normal": "triangle",
    "vee": "arrow",
    "onormal": "stealth",
    "diamond": "diamond",
    "odot": "oval",
    "odiamond": "diamond",
}
_DASHES = {
    "dashed": MSO_LINE_DASH_STYLE.DASH,
    "dotted": MSO_LINE_DASH_STYLE.ROUND_DOT,
}
# Connection sites of a rectangle, in DrawingML's order: top, left, bottom, right.
_SITES = ((0.5, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5))


def to_pptx(spec: Spec, scene: Scene) -> bytes:
    """A one-slide deck: the title of `spec`, then `scene` drawn in native shapes."""
    prs = new_presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    paint_background(slide, scene.theme.background)
    width, height = SLIDE_SIZE
    title_h = TITLE_PT * 1.5 / 72
    box = _text_box(slide.shapes, (MARGIN_IN, MARGIN_IN / 2, width - 2 * MARGIN_IN, title_h), "Title")
    _write(box.text_frame, [scene.title], TITLE_PT, scene.theme.text, bold=True, align=PP_ALIGN.LEFT)
    top = MARGIN_IN / 2 + title_h + 0.1
    bottom = height - MARGIN_IN / 2
    if scene.kinds:
        bottom -= LEGEND_ROW_IN
        _legend(slide, scene, (MARGIN_IN, bottom, width - 2 * MARGIN_IN, LEGEND_ROW_IN))
        bottom -= 0.1
    draw_scene(slide, scene, (MARGIN_IN, top, width - 2 * MARGIN_IN, bottom - top))
    props = prs.core_properties
    when = build_time().replace(tzinfo=None)  # python-pptx writes naive times as UTC
    props.title = scene.title
    props.subject = "ML system design"
    props.author = props.last_modified_by = "mlsd"
    props.created = props.modified = when
    props.revision = 1
    return reproducible_zip(prs)


def new_presentation() -> PresentationType:
    """An empty 16:9 presentation."""
    prs = Presentation()
    prs.slide_width = Emu(round(SLIDE_SIZE[0] * EMU_PER_INCH))
    prs.slide_height = Emu(round(SLIDE_SIZE[1] * EMU_PER_INCH))
    return prs


def paint_background(slide: Slide, colour: str) -> None:
    """Fill the slide with `colour` (#RRGGBB)."""
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb(colour)


def draw_scene(slide: Slide, scene: Scene, box: tuple[float, float, float, float]) -> float:
    """Draw `scene` centred in `box` (inches: left, top, width, height), as large as fits
    but never beyond its own size; return the scale (slide points per scene point)."""
    left, top, width, height = box
    scale = min(width * 72 / scene.width, height * 72 / scene.height, 1.0)
    x0 = left * 72 + (width * 72 - scene.width * scale) / 2
    y0 = top * 72 + (height * 72 - scene.height * scale) / 2

    def at(rect: Rect) -> tuple[float, float, float, float]:
        return ((x0 + rect.x * scale) / 72, (y0 + rect.y * scale) / 72, rect.w * scale / 72, rect.h * scale / 72)

    theme = scene.theme
    shapes = slide.shapes
    for group in scene.groups:
        shape = shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *_emu(at(group.box)))
        shape.name = f"Group {group.id}"
        shape.adjustments[0] = min(8.0 / max(min(group.box.w, group.box.h), 1.0), 0.5)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(group.fill)
        shape.line.color.rgb = _rgb(theme.cluster_border)
        shape.line.width = Pt(0.75)
        shape.shadow.inherit = False
        frame = shape.text_frame
        inset = Pt(6 * scale)
        frame.margin_left = frame.margin_right = frame.margin_top = inset
        frame.margin_bottom = 0
        _write(frame, [group.label], FONTS["group"] * scale, theme.text, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP)

    labels: dict[str, Shape] = {}
    for comp in scene.components:
        labels[comp.id] = _component(shapes, comp, at, scale, scene)

    for flow in scene.flows:
        _connector(shapes, flow, labels, scale)
    for flow in scene.flows:
        if flow.label_box is not None:
            placed = _on_line(flow, scene)
            text = _text_box(shapes, at(placed), f"Label {flow.id}")
            text.fill.solid()
            text.fill.fore_color.rgb = _rgb(theme.background)
            _write(text.text_frame, list(flow.lines), FONTS["flow"] * scale, theme.muted_text)
    return scale


def _component(shapes: SlideShapes, comp: Component, at: Placer, scale: float, scene: Scene) -> Shape:
    group = shapes.add_group_shape()
    group.name = f"Component {comp.id}"
    label = _text_box(group.shapes, at(comp.box), f"Label {comp.id}")
    fill = scene.theme.node_fill
    if fill is not None:
        label.fill.solid()
        label.fill.fore_color.rgb = _rgb(fill)
    colour = scene.theme.text if fill is None else "#1E2227"
    frame = label.text_frame
    frame.margin_bottom = Pt(2 * scale)
    _write(frame, list(comp.lines), FONTS["component"] * scale, colour, anchor=MSO_ANCHOR.BOTTOM)
    icon = _icon_file(comp)
    left, top, width, height = _emu(at(comp.icon_box))
    picture = group.shapes.add_picture(str(icon), left, top, width, height)
    picture.name = f"Icon {comp.id}"
    if comp.tooltip:
        picture._element.find(qn("p:nvPicPr")).find(qn("p:cNvPr")).set("descr", comp.tooltip)
    return label


def _icon_file(comp: Component) -> Path:
    """The component's icon as PowerPoint takes it: PNG (an SVG icon gives way to its kind's)."""
    if comp.icon.suffix.lower() == ".png":
        return comp.icon
    kind = next((k for k in KINDS.values() if k.icon.path() == comp.icon), None)
    return kind.icon.path() if kind is not None else next(iter(KINDS.values())).icon.path()


def _connector(shapes: SlideShapes, flow: Flow, labels: dict[str, Shape], scale: float) -> None:
    source, target = labels[flow.source], labels[flow.target]
    begin_site = _site(flow.route[0], _second(flow.route))
    end_site = _site(flow.route[-1], _second(flow.route[::-1]))
    line = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(0), Emu(0), Emu(0), Emu(0))
    line.name = f"Flow {flow.id}"
    line.begin_connect(source, begin_site)
    line.end_connect(target, end_site)
    _style(line, flow.colour, flow.style, scale)


def _style(line: Connector, colour: str, style: FlowStyle, scale: float) -> None:
    """A flow kind's colour, width, dash and arrowhead on a connector."""
    line.line.color.rgb = _rgb(colour)
    width = style.penwidth * (2 if style.style == "bold" else 1)
    line.line.width = Pt(max(width * scale, 0.75))
    if style.style in _DASHES:
        line.line.dash_style = _DASHES[style.style]
    ln = line.line._get_or_add_ln()
    tail = OxmlElement("a:tailEnd")
    tail.set("type", _LINE_ENDS[style.arrowhead])
    tail.set("w", "med")
    tail.set("len", "med")
    ln.append(tail)


def _legend(slide: Slide, scene: Scene, box: tuple[float, float, float, float]) -> None:
    """One row, centred in `box` (inches): a short line of each flow kind drawn, and its name."""
    left, top, width, height = box
    sample, gap, size = 0.45, 0.25, 12
    items = [(kind, sample + 0.08 + ems(kind) * size / 72 + 0.05) for kind in scene.kinds]
    total = sum(w for _, w in items) + gap * (len(items) - 1)
    x = left + max((width - total) / 2, 0.0)
    middle = top + height / 2
    for kind, item_width in items:
        line = slide.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, *_emu((x, middle, 0, 0))[:2], *_emu((x + sample, middle, 0, 0))[:2]
        )
        line.name = f"Legend {kind}"
        _style(line, scene.theme.flow_colours[kind], FLOW_STYLES[kind], 1.0)
        text = _text_box(slide.shapes, (x + sample + 0.08, top, item_width - sample - 0.08, height), f"Legend {kind}")
        _write(text.text_frame, [kind], size, scene.theme.muted_text, align=PP_ALIGN.LEFT)
        x += item_width + gap


def _on_line(flow: Flow, scene: Scene) -> Rect:
    """The flow's label box moved onto its straight connector, at the point nearest where
    the picture has it on its curve: otherwise it could be read as another line's label."""
    assert flow.label_box is not None
    box = flow.label_box
    a = _site_point(scene.component(flow.source).box, _site(flow.route[0], _second(flow.route)))
    b = _site_point(scene.component(flow.target).box, _site(flow.route[-1], _second(flow.route[::-1])))
    cx, cy = box.centre
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.5 if length == 0 else min(max(((cx - a[0]) * dx + (cy - a[1]) * dy) / length, 0.2), 0.8)
    x, y = a[0] + t * dx, a[1] + t * dy
    moved = Rect(round(x - box.w / 2, 2), round(y - box.h / 2, 2), box.w, box.h)
    # On a component it would hide the component's name: the picture's own place is better.
    return box if any(_overlaps(moved, c.box) for c in scene.components) else moved


def _overlaps(a: Rect, b: Rect) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _second(route: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    return route[min(len(route) - 1, 1)]


def _site_point(box: Rect, site: int) -> tuple[float, float]:
    fx, fy = _SITES[site]
    return box.x + box.w * fx, box.y + box.h * fy


def _site(end: tuple[float, float], inner: tuple[float, float]) -> int:
    """The connection site nearest the direction a flow leaves or enters its shape."""
    dx, dy = inner[0] - end[0], inner[1] - end[1]
    if abs(dx) >= abs(dy):
        return 3 if dx > 0 else 1
    return 2 if dy > 0 else 0


def _text_box(shapes: SlideShapes | GroupShapes, box: tuple[float, float, float, float], name: str) -> Shape:
    shape = shapes.add_textbox(*_emu(box))
    shape.name = name
    frame = shape.text_frame
    frame.word_wrap = False
    frame.auto_size = None
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    return shape


def _write(
    frame: TextFrame,
    lines: Sequence[str],
    size: float,
    colour: str,
    *,
    bold: bool = False,
    align: PP_ALIGN = PP_ALIGN.CENTER,
    anchor: MSO_ANCHOR = MSO_ANCHOR.MIDDLE,
) -> None:
    """Lines as paragraphs at `size` points, spaced as Graphviz spaces them."""
    frame.vertical_anchor = anchor
    body = frame._txBody.find(qn("a:bodyPr"))
    if body is not None:
        body.set("wrap", "none")
    for index, text in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = Pt(round(size * LINE_PITCH / FONTS["component"], 1))
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(round(size, 1))
        run.font.name = FONT_FAMILY
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)


def _emu(box: tuple[float, float, float, float]) -> tuple[Emu, Emu, Emu, Emu]:
    left, top, width, height = box
    return (
        Emu(round(left * EMU_PER_INCH)),
        Emu(round(top * EMU_PER_INCH)),
        Emu(round(width * EMU_PER_INCH)),
        Emu(round(height * EMU_PER_INCH)),
    )


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) or the ZIP epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(ZIP_EPOCH, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc))
    return ZIP_EPOCH


def reproducible_zip(prs: PresentationType) -> bytes:
    """The saved presentation with every ZIP entry dated `build_time()` (zipfile stamps 'now')."""
    raw = io.BytesIO()
    prs.save(raw)
    stamp = build_time().timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever the platform that built it
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
