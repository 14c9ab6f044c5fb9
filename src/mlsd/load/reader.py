"""Read one YAML file into a located tree, refusing anything a spec should never be.

PyYAML's own loaders build Python objects recursively and expand aliases
eagerly, so a deep or alias-heavy document can exhaust the stack or memory.
This reader consumes the parser's event stream with an explicit stack, counts
the size a document would have once aliases are expanded, and stops at the
first limit it crosses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml import events

from mlsd.errors import Location, Problem, SpecError
from mlsd.load.yaml12 import TAG as _TAG
from mlsd.load.yaml12 import core_tag, core_value, loader
from mlsd.positions import Entry, Map, Node, Scalar, Seq

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000

_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {f"{_TAG}map", f"{_TAG}seq", f"{_TAG}omap"}


@dataclass
class _Open:
    """A collection being built: its start, items so far and pending key."""

    kind: str  # "map" or "seq"
    loc: Location
    anchor: str | None
    items: list
    key: Scalar | None = None
    size: int = 1


def read_tree(path: Path, shown: str, *, libyaml: bool | None = None) -> tuple[Map, list[Problem]]:
    """Parse `path` into a located mapping; `shown` is the file name used in messages.

    Problems that do not stop reading (duplicate keys: the first one is kept)
    are returned with the tree, so they are reported with everything else.
    `libyaml` chooses the parser (default: libyaml when PyYAML has it); both read alike.
    """
    text = _read_text(path, shown)
    return parse_text(text, shown, libyaml=libyaml)


def _fail(shown: str, line: int, column: int, message: str) -> SpecError:
    return SpecError([Problem(Location(shown, line, column), message)])


def _read_text(path: Path, shown: str) -> str:
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # A named pipe or a device would block the read, or never end.
            raise _fail(shown, 1, 1, "not a regular file")
    except OSError:
        pass  # the open below reports it
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _fail(shown, 1, 1, "file not found") from None
    except IsADirectoryError:
        raise _fail(shown, 1, 1, "is a folder, not a spec file") from None
    except OSError as err:
        raise _fail(shown, 1, 1, f"cannot read the file: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise _fail(shown, 1, 1, f"file is larger than {MAX_BYTES // 1024} KiB; a spec is a small text file")
    encoding = _wide_encoding(data)
    if encoding is not None:
        # YAML allows UTF-16 and UTF-32 (editors on Windows save them); decoded, they read as UTF-8 does.
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            text = "\0"
        if "\0" not in text:
            return _checked_text(text, shown)
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\0\0\xfe\xff":
            raise _fail(shown, 1, 1, f"file starts like {encoding[:6].upper()} text but is not; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _position(data, nul)
        raise _fail(shown, line, column, "file is binary (contains a NUL byte), not YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line, column = _position(data, err.start)
        raise _fail(shown, line, column, "file is not UTF-8 text; save it as UTF-8") from None
    return _checked_text(text, shown)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 as YAML detects them (a byte order mark, or NULs around the first ASCII character)."""
    for mark, name in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
    ):
        if data.startswith(mark):
            return name
    head = data[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return "utf-32-le"
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return "utf-16-be"
    if len(head) >= 2 and head[0] and head[1] == 0:
        return "utf-16-le"
    return None


def _checked_text(text: str, shown: str) -> str:
    """The text, refused at the first character no spec may hold raw (NUL and other controls)."""
    found = _CONTROL_RE.search(text)
    if found:
        line, column = _text_position(text, found.start())
        raise _fail(shown, line, column, f"{_control_name(found.group())}; a spec is plain text")
    return text


# C0 and C1 controls and DEL, except tab, line feed and carriage return (line breaks).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _control_name(char: str) -> str:
    return f"control character U+{ord(char):04X}"


def _text_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def parse_text(text: str, shown: str, *, libyaml: bool | None = None) -> tuple[Map, list[Problem]]:
    """Parse YAML text into a located mapping, with YAML 1.2 scalars and the reader's limits."""

    def loc(event: events.Event) -> Location:
        mark = event.start_mark
        return Location(shown, mark.line + 1, mark.column + 1)

    anchors: dict[str, Node] = {}
    stack: list[_Open] = []
    problems: list[Problem] = []
    documents = 0
    root: Node | None = None
    total = 0

    def finish(node: Node, anchor: str | None) -> None:
        nonlocal root, total
        if anchor is not None:
            anchors[anchor] = node
        total += node.size
        if total > MAX_NODES:
            raise _fail(
                shown,
                node.loc.line,
                node.loc.column,
                f"document holds more than {MAX_NODES:,} values, counting each use of an alias;"
                " a spec is far smaller (an alias bomb?)",
            )
        if not stack:
            root = node
            return
        _add(stack[-1], node, shown)

    try:
        for event in yaml.parse(text, Loader=loader(libyaml=libyaml)):
            if isinstance(event, events.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _fail(
                        shown,
                        *_line_col(loc(event)),
                        "file holds more than one YAML document ('---'); keep one spec per file",
                    )
            elif isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
                is_map = isinstance(event, events.MappingStartEvent)
                _check_tag(event.tag, _COLLECTION_TAGS, loc(event))
                if len(stack) >= MAX_DEPTH:
                    raise _fail(shown, *_line_col(loc(event)), f"nesting is deeper than {MAX_DEPTH} levels")
                stack.append(_Open("map" if is_map else "seq", loc(event), event.anchor, []))
            elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
                done = stack.pop()
                finish(_close(done, shown, problems), done.anchor)
            elif isinstance(event, events.ScalarEvent):
                node = _scalar(event, loc(event))
                if stack and stack[-1].kind == "map" and stack[-1].key is None and node.value is not _MERGE:
                    # A key is a name: `08:` and `1e3:` are the ids '08' and '1e3', as written.
                    node = Scalar(event.value, node.loc)
                finish(node, event.anchor)
            elif isinstance(event, events.AliasEvent):
                target = anchors.get(event.anchor)
                if target is None:
                    raise _fail(shown, *_line_col(loc(event)), f"unknown alias '*{event.anchor}'")
                finish(_relocated(target, loc(event)), None)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = err.problem or err.context or "invalid YAML"
        if err.context and err.problem:
            message = f"{err.problem} ({err.context})"
        problem = err.problem or ""
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            message = "a tab character is used for indentation; YAML indents with spaces only"
        elif "did not find expected key" in problem or "expected <block end>" in problem:
            # libyaml and PyYAML word this differently; both mean a line out of step.
            message = (
                "this line is indented differently from the keys before it;"
                " indent it exactly as far as the key it belongs with (YAML nests by indentation)"
            )
        elif "maximum nesting depth" in problem:
            message = f"nesting is deeper than {MAX_DEPTH} levels"  # libyaml's own limit, met first
        elif "mapping values are not allowed" in problem:
            message = (
                "a key cannot start here: the line is indented too far (YAML reads it as part of the"
                " value above), or a value holding ': ' needs quotes"
            )
        prefix = "" if message.startswith("nesting") else "invalid YAML: "
        raise _fail(shown, line, column, f"{prefix}{message}") from None
    except yaml.YAMLError as err:
        raise _fail(shown, 1, 1, f"invalid YAML: {err}") from None

    if root is None or (isinstance(root, Scalar) and root.value is None):
        raise _fail(shown, 1, 1, "file is empty; a spec starts with 'mlsd: 1'")
    if not isinstance(root, Map):
        found = "a list" if isinstance(root, Seq) else "a single value"
        raise _fail(shown, root.loc.line, root.loc.column, f"expected a mapping of keys at the top, found {found}")
    return root, problems


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _line_col(location: Location) -> tuple[int, int]:
    return location.line, location.column


def _check_tag(tag: str | None, allowed: set[str], where: Location) -> None:
    if tag is None or tag == "!" or tag in allowed:
        return
    shown_tag = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    raise SpecError([Problem(where, f"tag '{shown_tag}' is not allowed; a spec is plain YAML without tags")])


def _scalar(event: events.ScalarEvent, where: Location) -> Scalar:
    _check_tag(event.tag, _PLAIN_TAGS | {f"{_TAG}merge"}, where)
    control = _CONTROL_RE.search(event.value)
    if control:
        # Written as an escape ("\\0", "\\x07"): no output format could show it.
        raise SpecError([Problem(where, f"{_control_name(control.group())} in this text; remove it")])
    explicit = event.tag and event.tag != "!"
    if explicit:
        tag = str(event.tag)
    elif event.implicit[0]:
        # `<<` stays YAML's merge key, which mlsd has always read.
        tag = f"{_TAG}merge" if event.value == "<<" else core_tag(event.value)
    else:
        tag = f"{_TAG}str"  # quoted, or a block scalar: text
    if tag == f"{_TAG}merge":
        return Scalar(_MERGE if not event.style else event.value, where)
    if tag in (f"{_TAG}str", f"{_TAG}timestamp"):
        return Scalar(event.value, where)
    try:
        value = core_value(event.value, tag)
    except ValueError:
        shown = (
            repr(event.value)
            if len(event.value) <= 40
            else f"{event.value[:20]!r}... ({len(event.value):,} characters)"
        )
        raise SpecError([Problem(where, f"cannot read {shown} as {tag[len(_TAG) :]}")]) from None
    return Scalar(value, where)


class _MergeKey(str):
    """The YAML merge key `<<`."""


_MERGE = _MergeKey("<<")


def _add(parent: _Open, node: Node, shown: str) -> None:
    parent.size += node.size
    if parent.kind == "seq":
        parent.items.append(node)
    elif parent.key is None:
        if not isinstance(node, Scalar):
            raise _fail(shown, node.loc.line, node.loc.column, "a key must be a plain value, not a list or mapping")
        parent.key = node
    else:
        parent.items.append((parent.key, node))
        parent.key = None


def _close(done: _Open, shown: str, problems: list[Problem]) -> Node:
    if done.kind == "seq":
        return Seq(tuple(done.items), done.loc, done.size)
    entries: dict[str, Entry] = {}
    merged: dict[str, Entry] = {}
    for key, value in done.items:
        if key.value is _MERGE:
            for source in value.items if isinstance(value, Seq) else (value,):
                if not isinstance(source, Map):
                    raise _fail(shown, source.loc.line, source.loc.column, "'<<' merges only mappings")
                for name, entry in source.entries.items():
                    merged.setdefault(name, entry)
            continue
        name = _key_text(key.value)
        if name in entries:
            first = entries[name].key_loc
            problems.append(
                Problem(
                    key.loc,
                    f"duplicate key '{name}' (first written on line {first.line});"
                    " each key may appear once in a mapping",
                )
            )
            continue
        entries[name] = Entry(key.loc, value)
    for name, entry in merged.items():
        entries.setdefault(name, entry)
    return Map(entries, done.loc, done.size)


def _key_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _relocated(target: Node, where: Location) -> Node:
    """An alias keeps the anchored value but counts its full size again."""
    if isinstance(target, Scalar):
        return Scalar(target.value, where, target.size)
    if isinstance(target, Seq):
        return Seq(target.items, where, target.size)
    return Map(target.entries, where, target.size)
