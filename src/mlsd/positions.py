"""A YAML document as a tree that remembers where every key and value was written.

Data only: the loader builds it, and a loaded spec keeps it to locate its parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlsd.errors import Location


@dataclass(frozen=True)
class Scalar:
    """A scalar value (str, int, float, bool or None) and where it was written."""

    value: object
    loc: Location
    size: int = 1


@dataclass(frozen=True)
class Seq:
    """A sequence and where it starts."""

    items: tuple[Node, ...]
    loc: Location
    size: int = 1


@dataclass(frozen=True)
class Entry:
    """One mapping entry: where its key was written and its value."""

    key_loc: Location
    value: Node


@dataclass(frozen=True)
class Map:
    """A mapping with string keys in document order, and where it starts."""

    entries: dict[str, Entry] = field(default_factory=dict)
    loc: Location = field(default_factory=lambda: Location("<unknown>", 1, 1))
    size: int = 1

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry.value if entry else None


Node = Scalar | Seq | Map


def mapping_to_plain(node: Map) -> dict[str, object]:
    """The plain Python dict of a mapping node."""
    return {key: to_plain(entry.value) for key, entry in node.entries.items()}


def to_plain(node: Node) -> object:
    """The plain Python value of a node (dicts, lists and scalars)."""
    if isinstance(node, Map):
        return {key: to_plain(entry.value) for key, entry in node.entries.items()}
    if isinstance(node, Seq):
        return [to_plain(item) for item in node.items]
    return node.value


def locate(root: Node, path: tuple[object, ...], *, at_key: bool = False) -> Location:
    """Where the value at `path` was written, or its key with `at_key`.

    Path elements that do not name a child (such as the tags pydantic puts into
    error locations for unions) are skipped, so the deepest known node wins.
    """
    node: Node = root
    loc = root.loc
    for part in path:
        if isinstance(node, Map) and isinstance(part, str) and part in node.entries:
            entry = node.entries[part]
            node = entry.value
            loc = entry.key_loc if at_key else node.loc
        elif isinstance(node, Seq) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
            loc = node.loc
    return loc
