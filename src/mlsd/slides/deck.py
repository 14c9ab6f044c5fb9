"""Drawing the slides with python-pptx: a 16:9 deck of text boxes, pictures and lines.

Every slide uses the template's "Title Only" layout, with the title placeholder
moved to our grid, so the titles show in PowerPoint's outline and to screen
readers; everything else is a text box, a picture or a line placed in inches.

No text relies on autofit, which PowerPoint applies only when it edits a box
and LibreOffice applies its own way: every box is sized from its text. Widths
are estimated with the advance widths of DejaVu Sans (`mlsd.render.labels`),
wider than Calibri, the template's font, and than Carlito, its metric twin;
DejaVu Sans is also what LibreOffice draws when neither is installed. Bold
counts `BOLD` times as wide (DejaVu Sans Bold is up to 1.16 times), and every
width `SLACK` times more, for kerning and rounding. Lines are spaced exactly (`LINE_PITCH` ems), so a
box of n lines is as tall in every viewer. A box therefore never holds more
lines than counted; a viewer with narrower type just leaves room below.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from mlsd.render.labels import ems, wrap
from mlsd.render.theme import FLOW_STYLES, Theme

SLIDE_WIDTH = Emu(12_192_000)  # 13.333 in
SLIDE_HEIGHT = Emu(6_858_000)  # 7.5 in
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
TITLE_ONLY = 5  # layout index in python-pptx's default template
# Text measurement (see the module's docstring).
LINE_PITCH = 1.2  # line spacing in ems, set exactly on every paragraph
BOLD = 1.2  # how much wider bold is counted
SLACK = 1.06  # how much wider any text is counted
INSET_X, INSET_Y = 0.08, 0.04  # a text box's inner margins, inches
INDENT = 0.4  # inches per paragraph level
# Legend: a short line of each flow kind with its name.
LEGEND_FONT = 14
LEGEND_SAMPLE = 0.5  # inches of line
LEGEND_GAP = 0.3  # inches between items
LEGEND_ROW = 0.34  # inches per row
# Text that XML 1.0 cannot hold; YAML escapes such as "\x01" can put it in a spec.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Graphviz line styles and arrowheads as DrawingML dashes and line ends.
_DASHES = {"dashed": MSO_LINE_DASH_STYLE.DASH, "dotted": MSO_LINE_DASH_STYLE.ROUND_DOT}
_ENDS = {"normal": "triangle", "vee": "arrow", "onormal": "triangle", "diamond": "diamond", "odiamond": "diamond"}


def clean(text: str) -> str:
    """Text python-pptx can store: characters XML refuses become spaces."""
    return _NOT_XML.sub(" ", text)


def flat(text: str) -> str:
    """Text as one paragraph: clean, with every run of white space one space."""
    return " ".join(clean(text).split())


@dataclass(frozen=True)
class Palette:
    """The deck's colours, taken from the picture theme so slides and pictures match."""

    background: RGBColor
    text: RGBColor
    muted: RGBColor
    accent: RGBColor
    flows: Mapping[str, RGBColor]

    @classmethod
    def of(cls, theme: Theme) -> Palette:
        """The palette of a picture theme."""
        rgb = RGBColor.from_string
        return cls(
            rgb(theme.background[1:]),
            rgb(theme.text[1:]),
            rgb(theme.muted_text[1:]),
            rgb(theme.flow_colours["request"][1:]),
            MappingProxyType({kind: rgb(colour[1:]) for kind, colour in theme.flow_colours.items()}),
        )


@dataclass(frozen=True)
class Line:
    """One paragraph of a text box."""

    text: str
    size: int  # points
    colour: str = "text"  # a Palette field
    bold: bool = False
    italic: bool = False
    level: int = 0  # indented INDENT inches per level
    space_before: int = 0  # points


# ------------------------------------------------------------------ measuring


def text_lines(line: Line, width: float) -> list[str]:
    """The lines `line` takes at most in a box `width` inches wide."""
    room = width - 2 * INSET_X - INDENT * line.level
    em = line.size / 72 * (BOLD if line.bold else 1.0) * SLACK
    return wrap(flat(line.text), max(room / em, 1.0))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Inches `text` takes on one line, box margins included."""
    return ems(flat(text)) * size / 72 * (BOLD if bold else 1.0) * SLACK + 2 * INSET_X


def pitch(size: float) -> float:
    """Inches from one line to the next at `size` points (whole points, as the file stores them)."""
    return round(size * LINE_PITCH) / 72


def text_height(lines: Sequence[Line], width: float) -> float:
    """Inches a box `width` inches wide needs for `lines`, margins included."""
    total = 2 * INSET_Y
    for index, line in enumerate(lines):
        if index:
            total += line.space_before / 72
        total += len(text_lines(line, width)) * pitch(line.size)
    return total


def fit_size(text: str, width: float, sizes: Sequence[int], max_lines: int, *, bold: bool = False) -> tuple[int, int]:
    """The largest of `sizes` at which `text` takes at most `max_lines` lines, and its line
    count; the smallest size (and its count) when none does."""
    for size in sizes:
        count = len(text_lines(Line(text, size, bold=bold), width))
        if count <= max_lines:
            return size, count
    return sizes[-1], len(text_lines(Line(text, sizes[-1], bold=bold), width))


def shorten(text: str, size: int, width: float, max_lines: int, *, bold: bool = False) -> str:
    """`text` cut (with an ellipsis) to what takes at most `max_lines` lines."""
    text = flat(text)
    if len(text_lines(Line(text, size, bold=bold), width)) <= max_lines:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if len(text_lines(Line(text[:middle].rstrip() + "…", size, bold=bold), width)) <= max_lines:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


# ------------------------------------------------------------------ drawing


def new_deck() -> PresentationType:
    """An empty 16:9 presentation."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    return prs


def add_slide(
    prs: PresentationType, palette: Palette, title: str, box: tuple[float, float, float, float], size: int
) -> Slide:
    """A slide with a solid background and `title` in the placeholder, at `box` (inches).

    The caller sizes the box for the title at `size` (see `text_height`).
    """
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = palette.background
    placeholder = slide.shapes.title
    placeholder.left, placeholder.top, placeholder.width, placeholder.height = (Inches(v) for v in box)
    _frame(placeholder.text_frame, [Line(title, size, bold=True)], palette, MSO_ANCHOR.TOP)
    return slide


def text_box(
    slide: Slide,
    palette: Palette,
    box: tuple[float, float, float, float],
    lines: Sequence[Line],
    *,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    align: PP_ALIGN = PP_ALIGN.LEFT,
) -> None:
    """A text box at (left, top, width, height) inches holding `lines`."""
    left, top, width, height = (Inches(v) for v in box)
    shape = slide.shapes.add_textbox(left, top, width, height)
    _frame(shape.text_frame, lines, palette, anchor, align)


def _frame(
    frame: TextFrame, lines: Sequence[Line], palette: Palette, anchor: MSO_ANCHOR, align: PP_ALIGN = PP_ALIGN.LEFT
) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE  # written out, so no template's autofit applies
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(INSET_X)
    frame.margin_top = frame.margin_bottom = Inches(INSET_Y)
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = Pt(round(line.size * LINE_PITCH))
        paragraph.space_before = Pt(line.space_before if index else 0)
        paragraph.space_after = Pt(0)
        # The indent is written on the paragraph, not taken from the template's levels.
        paragraph._p.get_or_add_pPr().set("marL", str(Inches(INDENT * line.level)))
        paragraph._p.get_or_add_pPr().set("indent", "0")
        run = paragraph.add_run()
        # One paragraph is one line of the slide: spec text may hold line breaks.
        run.text = flat(line.text)
        font = run.font
        font.size = Pt(line.size)
        font.bold = line.bold
        font.italic = line.italic
        font.color.rgb = getattr(palette, line.colour)


def picture(
    slide: Slide,
    png: bytes,
    pixels: tuple[int, int],
    box: tuple[float, float, float, float],
    width: float,
    description: str,
) -> None:
    """The PNG `width` inches wide, its aspect ratio kept, centred in `box` (inches)."""
    left, top, box_width, box_height = box
    height = width * pixels[1] / pixels[0]
    shape = slide.shapes.add_picture(
        io.BytesIO(png),
        Inches(left + (box_width - width) / 2),
        Inches(top + (box_height - height) / 2),
        Inches(width),
        Inches(height),
    )
    # Alt text, read out by screen readers and shown by "Edit Alt Text".
    shape._element.nvPicPr.cNvPr.set("descr", clean(description))  # type: ignore[union-attr]


def legend_rows(kinds: Sequence[str], width: float) -> list[list[tuple[str, float]]]:
    """The legend's items (kind, inches wide) in rows no wider than `width` inches."""
    rows: list[list[tuple[str, float]]] = [[]]
    for kind in kinds:
        item = LEGEND_SAMPLE + text_width(kind, LEGEND_FONT) + 0.06  # a little room to spare
        used = sum(w for _, w in rows[-1]) + LEGEND_GAP * len(rows[-1])
        if rows[-1] and used + item > width:
            rows.append([])
        rows[-1].append((kind, item))
    return [row for row in rows if row]


def legend(slide: Slide, palette: Palette, kinds: Sequence[str], box: tuple[float, float, float, float]) -> None:
    """The flow kinds drawn on the slide: a short line of each kind's colour and dash, then its
    name, in centred rows from the top of `box` (inches)."""
    left, top, width, _ = box
    for number, row in enumerate(legend_rows(kinds, width)):
        y = top + number * LEGEND_ROW
        used = sum(w for _, w in row) + LEGEND_GAP * (len(row) - 1)
        x = left + (width - used) / 2
        for kind, item in row:
            style = FLOW_STYLES[kind]
            middle = y + LEGEND_ROW / 2
            line = slide.shapes.add_connector(
                MSO_CONNECTOR.STRAIGHT, Inches(x), Inches(middle), Inches(x + LEGEND_SAMPLE - 0.06), Inches(middle)
            )
            line.line.color.rgb = palette.flows[kind]
            line.line.width = Pt(3.0 if style.style == "bold" else 2.0)
            if style.style in _DASHES:
                line.line.dash_style = _DASHES[style.style]
            end = _ENDS.get(style.arrowhead, "oval")
            line.line._get_or_add_ln().append(line.line._ln.makeelement(qn("a:tailEnd"), {"type": end}))
            name = Line(kind, LEGEND_FONT, "muted")
            text_box(
                slide,
                palette,
                (x + LEGEND_SAMPLE, y, item - LEGEND_SAMPLE, LEGEND_ROW),
                [name],
                anchor=MSO_ANCHOR.MIDDLE,
            )
            x += item + LEGEND_GAP


def notes(slide: Slide, text: str) -> None:
    """The slide's speaker notes."""
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # the default template's notes master has a body placeholder
    frame.text = clean(text)
