"""Drawing the slides with python-pptx: a 16:9 deck of text boxes and pictures.

Every slide uses the template's "Title Only" layout, with the title placeholder
moved to our grid, so the titles show in PowerPoint's outline and to screen
readers; everything else is a text box or a picture placed in inches.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from mlsd.render.theme import Theme

SLIDE_WIDTH = Emu(12_192_000)  # 13.333 in
SLIDE_HEIGHT = Emu(6_858_000)  # 7.5 in
MARGIN = Inches(0.5)
TITLE_ONLY = 5  # layout index in python-pptx's default template
# Text that XML 1.0 cannot hold; YAML escapes such as "\x01" can put it in a spec.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text python-pptx can store: characters XML refuses become spaces."""
    return _NOT_XML.sub(" ", text)


@dataclass(frozen=True)
class Palette:
    """The deck's colours, taken from the picture theme so slides and pictures match."""

    background: RGBColor
    text: RGBColor
    muted: RGBColor
    accent: RGBColor

    @classmethod
    def of(cls, theme: Theme) -> Palette:
        """The palette of a picture theme."""
        rgb = RGBColor.from_string
        return cls(
            rgb(theme.background[1:]),
            rgb(theme.text[1:]),
            rgb(theme.muted_text[1:]),
            rgb(theme.flow_colours["request"][1:]),
        )


@dataclass(frozen=True)
class Line:
    """One paragraph of a text box."""

    text: str
    size: int  # points
    colour: str = "text"  # a Palette field
    bold: bool = False
    italic: bool = False
    level: int = 0
    space_before: int = 0  # points


def new_deck() -> PresentationType:
    """An empty 16:9 presentation."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    return prs


def add_slide(
    prs: PresentationType, palette: Palette, title: str, *, size: int = 32, top: float = 0.35, height: float = 0.9
) -> Slide:
    """A slide with a solid background and its title in the placeholder, on our grid.

    Long titles get a smaller size (python-pptx cannot measure text), so that
    they fit the band in at most two lines.
    """
    title = " ".join(title.split())
    if len(title) > 45:
        size = max(18, round(size * (0.8 if len(title) <= 70 else 0.65)))
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = palette.background
    placeholder = slide.shapes.title
    placeholder.left, placeholder.top = MARGIN, Inches(top)
    placeholder.width, placeholder.height = SLIDE_WIDTH - 2 * MARGIN, Inches(height)
    frame = placeholder.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _fill(frame, [Line(title, size, bold=True)], palette, align_left=True)
    return slide


def text_box(slide: Slide, palette: Palette, box: tuple[float, float, float, float], lines: Sequence[Line]) -> None:
    """A text box at (left, top, width, height) inches holding `lines`."""
    left, top, width, height = (Inches(v) for v in box)
    shape = slide.shapes.add_textbox(left, top, width, height)
    frame = shape.text_frame
    frame.word_wrap = True
    # Shrink on overflow where the viewer supports it; the sizes chosen are the
    # first line of defence (python-pptx cannot measure text).
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    _fill(frame, lines, palette)


def _fill(frame, lines: Sequence[Line], palette: Palette, *, align_left: bool = False) -> None:
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.level = line.level
        if align_left:
            paragraph.alignment = PP_ALIGN.LEFT
        if line.space_before:
            paragraph.space_before = Pt(line.space_before)
        run = paragraph.add_run()
        # One paragraph is one line of the slide: spec text may hold line breaks.
        run.text = " ".join(clean(line.text).split())
        font = run.font
        font.size = Pt(line.size)
        font.bold = line.bold
        font.italic = line.italic
        font.color.rgb = getattr(palette, line.colour)


def picture(
    slide: Slide, png: bytes, pixels: tuple[int, int], box: tuple[float, float, float, float], description: str
) -> None:
    """The PNG as large as fits in `box` (inches) keeping its aspect ratio, centred."""
    left, top, width, height = box
    scale = min(width / pixels[0], height / pixels[1])
    w, h = pixels[0] * scale, pixels[1] * scale
    shape = slide.shapes.add_picture(
        io.BytesIO(png), Inches(left + (width - w) / 2), Inches(top + (height - h) / 2), Inches(w), Inches(h)
    )
    # Alt text, read out by screen readers and shown by "Edit Alt Text".
    shape._element.nvPicPr.cNvPr.set("descr", clean(description))


def notes(slide: Slide, text: str) -> None:
    """The slide's speaker notes."""
    slide.notes_slide.notes_text_frame.text = clean(text)
