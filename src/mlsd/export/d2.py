"""D2 (d2lang.com): groups as nested containers, flows as styled connections, and a legend.

Keys are the outline's safe keys (never a D2 keyword such as `label` or
`shape`); every piece of spec text is a double-quoted string in which only
`\\`, `"` and `$` (variable substitution) are special, and each is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from mlsd.export.outline import Box, Link, Node, Outline, Stroke, outline, stroke
from mlsd.model import Spec
from mlsd.render.theme import COLOURS
from mlsd.vocabulary import DEFAULT_THEME

INDENT = "  "
_SHAPES = MappingProxyType({"client": "oval", "store": "cylinder", "stream": "queue"})
# D2's stroke-dash is a dash length from 0 (solid) to 10.
_DASHES = MappingProxyType({"solid": 0, "dashed": 5, "dotted": 2})


def quoted(lines: Iterable[str]) -> str:
    """Display lines as one D2 double-quoted string, lines joined by `\\n`."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def _node(node: Node, pad: str) -> str:
    shape = _SHAPES.get(node.shape)
    return f"{pad}{node.key}: {quoted(node.lines)}" + (f" {{shape: {shape}}}" if shape else "")


def _box(box: Box, depth: int) -> list[str]:
    # A list of what is still to print instead of recursion: boxes nest as deep as the spec says.
    lines: list[str] = []
    todo: list[tuple[Box, int] | str] = [(box, depth)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            lines.append(item)
            continue
        current, level = item
        pad = INDENT * level
        lines.append(f"{pad}{current.key}: {quoted(current.lines)} {{")
        lines += [_node(n, pad + INDENT) for n in current.nodes]
        todo.append(f"{pad}}}")
        todo += [(inner, level + 1) for inner in reversed(current.boxes)]
    return lines


def _style(line: Stroke) -> str:
    parts = [f'style.stroke: "{line.colour}"', f"style.stroke-width: {line.width}"]
    if _DASHES[line.dash]:
        parts.append(f"style.stroke-dash: {_DASHES[line.dash]}")
    parts.append(f"target-arrowhead.shape: {line.head}")
    if not line.filled:
        parts.append("target-arrowhead.style.filled: false")
    return "{" + "; ".join(parts) + "}"


def _path(shape: Outline, node: Node) -> str:
    return ".".join((*shape.paths[node.key], node.key))


def _link(shape: Outline, link: Link, line: Stroke) -> str:
    label = f"{quoted(link.lines)} " if link.lines else ""
    return f"{_path(shape, link.source)} -> {_path(shape, link.target)}: {label}{_style(line)}"


def _legend(shape: Outline, theme: str) -> list[str]:
    """A `d2-legend` (D2 0.7+): one sample connection per flow kind drawn."""
    kinds = shape.kinds_used()
    if not kinds:
        return []
    lines = ["vars: {", f"{INDENT}d2-legend: {{"]
    for kind in kinds:
        # Invisible ends: the legend shows only the line, its head and its name.
        a, b = f"{kind}_from", f"{kind}_to"
        lines += [f'{INDENT * 2}{end}: "" {{style.opacity: 0}}' for end in (a, b)]
        lines.append(f'{INDENT * 2}{a} -> {b}: "{kind}" {_style(stroke(kind, COLOURS[theme]))}')
    lines += [f"{INDENT}}}", "}"]
    return lines


def render(shape: Outline, theme: str = DEFAULT_THEME) -> str:
    """The D2 source of an outline."""
    colours = COLOURS[theme]
    out = _legend(shape, theme)
    out += [
        "direction: right",
        f"title: {quoted([shape.title])} {{shape: text; near: top-center; style: {{font-size: 24; bold: true}}}}",
    ]
    out += [_node(n, "") for n in shape.nodes]
    for box in shape.boxes:
        out += _box(box, 0)
    out += [_link(shape, link, stroke(link.kind, colours)) for link in shape.links]
    return "\n".join(out) + "\n"


def to_d2(spec: Spec, *, theme: str = DEFAULT_THEME, include: Iterable[str] | None = None) -> str:
    """The architecture (or the components in `include`) as a D2 diagram."""
    return render(outline(spec, include), theme)
