"""Mermaid `flowchart LR`: the architecture as text that GitHub, GitLab, Notion
and Obsidian draw natively inside a ```mermaid block.

Every piece of spec text is a quoted string with Mermaid's entity codes for
anything its lexer or the HTML label renderer could read as syntax, so no label
can end its string, open a directive or inject markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from types import MappingProxyType

from mlsd.export.outline import Box, Node, Outline, Stroke, outline, stroke
from mlsd.model import Spec
from mlsd.render.theme import COLOURS, FLOW_STYLES
from mlsd.vocabulary import DEFAULT_THEME

INDENT = "  "
# Node shapes: stadium for clients, cylinder for stores and streams (Mermaid
# has no queue), a box for the rest.
_BRACKETS = MappingProxyType({"client": ("([", "])"), "store": ("[(", ")]"), "stream": ("[(", ")]")})

# Characters with a meaning somewhere in Mermaid, as its entity codes
# (`#name;` or `#decimal;`, decoded to HTML entities after parsing):
# `"` ends the string; `#` starts an entity; `&`, `<`, `>` are HTML in labels;
# `%` can open a `%%{init}%%` directive anywhere in the text; `:` (with `#`
# and `;`) triggers the `style...:...#...;` rewrite Mermaid runs on every line;
# a leading backtick makes a Markdown string; a backslash starts an escape
# (`\n` breaks the line); U+FB02 and U+00B6 are the
# placeholders Mermaid itself uses while decoding entities.
_ENTITIES = MappingProxyType(
    {
        '"': "#quot;",
        "#": "#35;",
        "&": "#amp;",
        "<": "#lt;",
        ">": "#gt;",
        "%": "#37;",
        ":": "#58;",
        "`": "#96;",
        # A written backslash and n is a line break to Mermaid.
        "\\": "#92;",
        "\ufb02": "#64258;",
        "\u00b6": "#182;",
    }
)
# The flowchart lexer tries `.*direction\s+(TB|BT|RL|LR)` at the start of every
# line, so this word inside a label would turn the line into a direction
# statement; one letter as an entity defuses it.
_DIRECTION = re.compile(r"(directio)(n)", re.IGNORECASE)


def quoted(lines: Iterable[str]) -> str:
    """Display lines as one Mermaid string: entity-escaped, joined by `<br/>`, in quotes."""
    escaped = []
    for line in lines:
        text = "".join(_ENTITIES.get(char, char) for char in line)
        escaped.append(_DIRECTION.sub(lambda m: f"{m.group(1)}#{ord(m.group(2))};", text))
    return '"' + "<br/>".join(escaped) + '"'


def yaml_string(text: str) -> str:
    """Text as a YAML double-quoted scalar for the front matter.

    A JSON string is one; the characters Mermaid rewrites before it reads the
    front matter (entities, tags, directives) are written as \\u escapes too.
    """
    encoded = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c in "#&<>%" else c for c in encoded)


def _node(node: Node) -> str:
    opening, closing = _BRACKETS.get(node.shape, ("[", "]"))
    return f"{node.key}{opening}{quoted(node.lines)}{closing}"


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
        lines.append(f"{pad}subgraph {current.key}[{quoted(current.lines)}]")
        lines += [f"{pad}{INDENT}{_node(n)}" for n in current.nodes]
        todo.append(f"{pad}end")
        todo += [(inner, level + 1) for inner in reversed(current.boxes)]
    return lines


def _arrow(line: Stroke) -> str:
    # Mermaid has three line styles and two heads; linkStyle adds the colour and
    # the dash pattern that tells dashed from dotted.
    head = "o" if line.head == "circle" else ">"
    if line.bold:
        return f"=={head}"
    if line.dash != "solid":
        return f"-.-{head}"
    return f"--{head}"


def _dash_pattern(line: Stroke) -> str | None:
    # Mermaid has no hollow or diamond heads, so among dashed lines the dash
    # pattern carries that difference: colour is never the only signal.
    if line.dash == "dotted":
        return "2 4"
    if line.dash == "dashed":
        if line.head == "diamond":
            return "8 3 2 3"
        return "6 4" if line.filled else "3 3"
    return None


def _link_style(line: Stroke) -> str:
    styles = [f"stroke:{line.colour}", f"stroke-width:{line.width}px"]
    pattern = _dash_pattern(line)
    if pattern:
        styles.append(f"stroke-dasharray:{pattern}")
    return ",".join(styles)


def render(shape: Outline, theme: str = DEFAULT_THEME) -> str:
    """The Mermaid source of an outline."""
    colours = COLOURS[theme]
    out = [
        "---",
        f"title: {yaml_string(shape.title)}",
        "---",
        "flowchart LR",
    ]
    for kind in shape.kinds_used():
        out.append(f"{INDENT}%% {kind} flows: {FLOW_STYLES[kind].meaning}")
    out += [f"{INDENT}{_node(n)}" for n in shape.nodes]
    for box in shape.boxes:
        out += _box(box, 1)
    by_kind: dict[str, list[int]] = {}
    for index, link in enumerate(shape.links):
        line = stroke(link.kind, colours)
        label = f"|{quoted(link.lines)}|" if link.lines else ""
        out.append(f"{INDENT}{link.source.key} {_arrow(line)}{label} {link.target.key}")
        by_kind.setdefault(link.kind, []).append(index)
    for kind, indices in by_kind.items():
        out.append(f"{INDENT}linkStyle {','.join(map(str, indices))} {_link_style(stroke(kind, colours))}")
    return "\n".join(out) + "\n"


def to_mermaid(spec: Spec, *, theme: str = DEFAULT_THEME, include: Iterable[str] | None = None) -> str:
    """The architecture (or the components in `include`) as a Mermaid flowchart."""
    return render(outline(spec, include), theme)
