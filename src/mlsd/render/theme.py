"""How pictures look: the colours of each theme and the line of each flow kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mlsd import vocabulary
from mlsd.catalogue import FLOW_KINDS

# DejaVu Sans is installed with Graphviz and measured for wrapping; a viewer
# without it falls back to its own sans-serif rather than to a serif face.
FONT_FAMILY = "DejaVu Sans"
FONT = f"{FONT_FAMILY},sans-serif"


@dataclass(frozen=True)
class FlowStyle:
    """How one flow kind is drawn: line style and arrowhead as well as colour,
    so that colour is never the only signal."""

    style: str  # Graphviz edge style
    arrowhead: str
    penwidth: float
    glyph: str  # the same look in text, for the legend
    meaning: str


FLOW_STYLES: Mapping[str, FlowStyle] = MappingProxyType(
    {
        "request": FlowStyle("solid", "normal", 1.6, "───▶", "online request and response"),
        "data": FlowStyle("dashed", "normal", 1.2, "╌╌╌▶", "batch data movement"),
        "stream": FlowStyle("solid", "vee", 1.2, "───›", "events on a stream"),
        "features": FlowStyle("dashed", "onormal", 1.2, "╌╌╌▷", "feature reads and writes"),
        "model": FlowStyle("bold", "diamond", 1.6, "━━━◆", "model artifacts and deployment"),
        "feedback": FlowStyle("dotted", "normal", 1.6, "┈┈┈▶", "outcomes and labels coming back"),
        "telemetry": FlowStyle("dotted", "odot", 1.0, "┈┈┈○", "metrics and logs"),
        "control": FlowStyle("dashed", "odiamond", 1.0, "╌╌╌◇", "scheduling and triggers"),
    }
)


@dataclass(frozen=True)
class Theme:
    """The colours of a picture."""

    name: str
    background: str
    text: str
    muted_text: str
    cluster_fills: tuple[str, ...]
    cluster_border: str
    node_fill: str | None  # a card behind icons, for icons that vanish on dark backgrounds
    flow_colours: Mapping[str, str]


# The colours of each theme in mlsd.vocabulary.THEMES.
COLOURS: Mapping[str, Theme] = MappingProxyType(
    {
        "light": Theme(
            name="light",
            background="#FFFFFF",
            text="#2D3436",
            muted_text="#5F6B73",
            cluster_fills=("#EEF6FC", "#F1F7EC", "#F3F0F9", "#FDF8E9"),
            cluster_border="#AEB6BE",
            node_fill=None,
            flow_colours=MappingProxyType(
                {
                    "request": "#1565C0",
                    "data": "#6D4C41",
                    "stream": "#00838F",
                    "features": "#2E7D32",
                    "model": "#6A1B9A",
                    "feedback": "#E65100",
                    "telemetry": "#78909C",
                    "control": "#455A64",
                }
            ),
        ),
        "dark": Theme(
            name="dark",
            background="#1E2227",
            text="#E8EAED",
            muted_text="#AAB2BA",
            cluster_fills=("#263238", "#2A3329", "#2F2A38", "#37321F"),
            cluster_border="#5F6B73",
            node_fill="#DDE3E8",
            flow_colours=MappingProxyType(
                {
                    "request": "#64B5F6",
                    "data": "#BCAAA4",
                    "stream": "#4DD0E1",
                    "features": "#81C784",
                    "model": "#CE93D8",
                    "feedback": "#FFB74D",
                    "telemetry": "#90A4AE",
                    "control": "#B0BEC5",
                }
            ),
        ),
    }
)


if tuple(COLOURS) != vocabulary.THEMES or tuple(FLOW_STYLES) != FLOW_KINDS:
    # A theme or flow kind added to the vocabulary needs its colours and line here.
    raise RuntimeError("render.theme must define colours for every theme and a style for every flow kind")
