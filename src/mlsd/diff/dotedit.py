"""Restyle a laid-out graph: change attributes of elements of Graphviz's positioned DOT.

The diff picture is laid out once; each view (overlay, old side, new side) is
that one layout with some attributes replaced — an element hidden, or the
other side's face: a component's whole HTML-like label (icon and text), a
flow's or group's label — and drawn with `neato -n2`, which moves nothing.
Elements are found by their DOT `id` attribute, which the picture builder sets
on every node, edge and cluster.
"""

from __future__ import annotations

from collections.abc import Mapping

Edits = Mapping[str, Mapping[str, "str | None"]]


def quote(text: str) -> str:
    """`text` as a quoted DOT string (no HTML, backslashes and quotes literal)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def restyle(dot: str, edits: Edits) -> str:
    """`dot` with, for each element whose `id` is a key of `edits`, those attributes set.

    Values are DOT-ready (quoted strings or `<...>` HTML labels); `None` removes
    the attribute. Attribute lists of other elements are copied untouched.
    """
    out: list[str] = []
    i, start = 0, 0
    while i < len(dot):
        char = dot[i]
        if char == '"':
            i = _skip_string(dot, i)
            continue
        if char == "[":
            end, items = _attribute_list(dot, i)
            wanted = edits.get(_unquote(dict(items).get("id", "")))
            if wanted is not None:
                out.append(dot[start:i])
                out.append(_emit(items, wanted))
                start = end
            i = end
            continue
        i += 1
    out.append(dot[start:])
    return "".join(out)


def _emit(items: list[tuple[str, str]], wanted: Mapping[str, str | None]) -> str:
    merged = dict(items)
    for key, value in wanted.items():
        if value is None:
            merged.pop(key, None)
        else:
            _check(key, value)
            merged[key] = value
    return "[" + ",\n\t\t".join(f"{key}={value}" for key, value in merged.items()) + "]"


def _check(key: str, value: str) -> None:
    """A new value must be one DOT value (a quoted string, an HTML-like label, an ID):
    a label cut short would swallow the rest of the graph."""
    try:
        whole = bool(value) and _skip_value(value, 0) == len(value)
    except ValueError:
        whole = False
    if not whole:
        raise ValueError(f"not a single DOT value for {key}: {value[:60]!r}")


def _attribute_list(dot: str, i: int) -> tuple[int, list[tuple[str, str]]]:
    """Parse `[k=v, ...]` starting at `dot[i] == '['`; the index after `]` and the items."""
    items: list[tuple[str, str]] = []
    i += 1
    while True:
        while i < len(dot) and dot[i] in " \t\r\n,;":
            i += 1
        if i >= len(dot):
            raise ValueError("unterminated attribute list in Graphviz output")
        if dot[i] == "]":
            return i + 1, items
        key_end = _skip_value(dot, i)
        key = dot[i:key_end]
        i = key_end
        while dot[i] in " \t\r\n":
            i += 1
        if dot[i] != "=":
            items.append((key, "true"))
            continue
        i += 1
        while dot[i] in " \t\r\n":
            i += 1
        value_end = _skip_value(dot, i)
        items.append((key, dot[i:value_end]))
        i = value_end


def _skip_value(dot: str, i: int) -> int:
    if dot[i] == '"':
        return _skip_string(dot, i)
    if dot[i] == "<":
        depth = 0
        while i < len(dot):
            if dot[i] == "<":
                depth += 1
            elif dot[i] == ">":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise ValueError("unterminated HTML label in Graphviz output")
    j = i
    while j < len(dot) and dot[j] not in " \t\r\n,;]=":
        j += 1
    return j


def _skip_string(dot: str, i: int) -> int:
    """The index after the quoted string starting at `dot[i] == '"'`."""
    i += 1
    while i < len(dot):
        if dot[i] == "\\":
            i += 2
            continue
        if dot[i] == '"':
            return i + 1
        i += 1
    raise ValueError("unterminated string in Graphviz output")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value
