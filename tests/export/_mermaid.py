"""A small structural parser for the Mermaid mlsd writes, strict where Mermaid is fragile.

It accepts only the statements the exporter emits (front matter, comments,
nodes, subgraph/end, edges, linkStyle) and checks what a real Mermaid parse
would trip over: unbalanced subgraphs, undeclared endpoints, unquoted or
unescaped labels, keyword ids, out-of-range linkStyle indices, and the
line-level rewrites Mermaid applies before parsing (directives, the
`direction` rule, the `style...:...#...;` rule).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import yaml

KEYWORDS = {
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "linkstyle",
    "classdef",
    "class",
    "click",
    "call",
    "href",
    "default",
    "interpolate",
    "direction",
    "tb",
    "bt",
    "rl",
    "lr",
    "td",
}
ID = r"[A-Za-z_][A-Za-z0-9_]*"
LABEL = r'"[^"]*"'
NODE = re.compile(rf"^(?P<id>{ID})(?P<open>\[\(|\(\[|\[)(?P<label>{LABEL})(?P<close>\)\]|\]\)|\])$")
SUBGRAPH = re.compile(rf"^subgraph (?P<id>{ID})\[(?P<label>{LABEL})\]$")
EDGE = re.compile(rf"^(?P<a>{ID}) (?P<arrow>-->|-\.->|==>|--o|-\.-o|==o)(?:\|(?P<label>{LABEL})\|)? (?P<b>{ID})$")
LINK_STYLE = re.compile(r"^linkStyle (?P<indices>\d+(?:,\d+)*) (?P<styles>[a-z-]+:[^,:]+(?:,[a-z-]+:[^,:]+)*)$")
SHAPES = {("[", "]"): "box", ("[(", ")]"): "cylinder", ("([", "])"): "stadium"}
ENTITY = re.compile(r"#(\w+);")
# What may stand inside a label: no quote, no raw HTML or entity starts, no
# directive or colon; `#` only as part of an entity code.
FORBIDDEN_IN_LABEL = re.compile(r'["<>&%:`\ufb02\u00b6]')


class MermaidError(AssertionError):
    """The text is not Mermaid the way mlsd must write it."""


@dataclass
class Chart:
    """What the text declares, with every label decoded back to plain lines."""

    title: str
    nodes: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # id -> (lines, shape)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # node or subgraph -> enclosing subgraphs
    subgraphs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)  # a, b, arrow, lines
    link_styles: dict[int, str] = field(default_factory=dict)


def decode(label: str) -> tuple[str, ...]:
    """A quoted label's display lines, entity codes decoded."""
    assert label[0] == label[-1] == '"'
    inner = label[1:-1]
    if not inner:
        raise MermaidError("empty string: Mermaid's lexer needs at least one character")
    lines = []
    for line in inner.split("<br/>"):
        if FORBIDDEN_IN_LABEL.search(line):
            raise MermaidError(f"unescaped syntax in label {label!r}")
        if "#" in ENTITY.sub("", line):
            raise MermaidError(f"'#' outside an entity code in {label!r}")
        lines.append(
            ENTITY.sub(
                lambda m: chr(int(m.group(1))) if m.group(1).isdigit() else html.unescape(f"&{m.group(1)};"), line
            )
        )
    return tuple(lines)


def _check_id(identifier: str, declared: set[str]) -> None:
    lowered = identifier.lower()
    if any(lowered.startswith(k) for k in KEYWORDS):
        raise MermaidError(f"id {identifier!r} starts with a Mermaid keyword")
    if identifier in declared:
        raise MermaidError(f"id {identifier!r} declared twice")
    declared.add(identifier)


def parse(text: str) -> Chart:
    """Parse and check; raise MermaidError on the first problem."""
    if not text.endswith("\n"):
        raise MermaidError("no final newline")
    lines = text.split("\n")[:-1]
    if lines[:1] != ["---"] or lines[2:3] != ["---"] or not lines[1].startswith("title: "):
        raise MermaidError("expected front matter with a title")
    title = yaml.safe_load(lines[1])["title"]
    if re.search(r"[#%<>&]", lines[1]):
        raise MermaidError("the front matter holds characters Mermaid rewrites")
    if lines[3] != "flowchart LR":
        raise MermaidError(f"expected 'flowchart LR', got {lines[3]!r}")
    chart = Chart(title)
    declared: set[str] = set()
    stack: list[str] = []
    for number, raw in enumerate(lines[4:], start=5):
        # Rewrites Mermaid applies to raw lines before its parser runs.
        if "%%{" in raw:
            raise MermaidError(f"line {number}: a directive")
        if re.search(r"direction\s+(TB|BT|RL|LR)", raw):
            raise MermaidError(f"line {number}: read as a direction statement")
        if re.search(r"(style|classDef).*:\S*#.*;", raw):
            raise MermaidError(f"line {number}: hit by Mermaid's style rewrite")
        line = raw.strip()
        if line.startswith("%% "):
            continue
        if line == "end":
            if not stack:
                raise MermaidError(f"line {number}: 'end' without subgraph")
            stack.pop()
        elif m := SUBGRAPH.match(line):
            _check_id(m["id"], declared)
            chart.subgraphs[m["id"]] = decode(m["label"])
            chart.parents[m["id"]] = tuple(stack)
            stack.append(m["id"])
        elif m := EDGE.match(line):
            for end in (m["a"], m["b"]):
                if end not in chart.nodes:
                    raise MermaidError(f"line {number}: edge endpoint {end!r} is not a declared node")
            chart.edges.append((m["a"], m["b"], m["arrow"], decode(m["label"]) if m["label"] else ()))
        elif m := LINK_STYLE.match(line):
            for index in map(int, m["indices"].split(",")):
                if not 0 <= index < len(chart.edges) or index in chart.link_styles:
                    raise MermaidError(f"line {number}: linkStyle index {index} out of range or repeated")
                chart.link_styles[index] = m["styles"]
        elif m := NODE.match(line):
            if chart.edges:
                raise MermaidError(f"line {number}: node declared after the edges")
            shape = SHAPES.get((m["open"], m["close"]))
            if shape is None:
                raise MermaidError(f"line {number}: mismatched brackets")
            _check_id(m["id"], declared)
            chart.nodes[m["id"]] = (decode(m["label"]), shape)
            chart.parents[m["id"]] = tuple(stack)
        else:
            raise MermaidError(f"line {number}: not a statement mlsd writes: {raw!r}")
    if stack:
        raise MermaidError(f"unclosed subgraph {stack[-1]!r}")
    if chart.edges and sorted(chart.link_styles) != list(range(len(chart.edges))):
        raise MermaidError("not every edge has a linkStyle")
    return chart
