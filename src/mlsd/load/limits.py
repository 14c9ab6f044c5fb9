"""Stated limits on a spec's size, checked where the author wrote the value.

Past them Graphviz fails with a syntax error far from the cause, or an output
file name becomes longer than a file system allows; here the author learns
which value is too long and what the limit is. Every gallery design is far
inside them (at most 24 components, labels under 40 characters).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.errors import Problem
from mlsd.model import (
    MAX_COMPONENTS,
    MAX_FLOWS,
    MAX_GROUP_DEPTH,
    MAX_GROUPS,
    MAX_ID_LENGTH,
    MAX_LABEL_LENGTH,
)
from mlsd.positions import Map, locate


def check_limits(data: dict[str, object], tree: Map) -> list[Problem]:
    """Every value of the merged document past a stated limit, located."""
    problems: list[Problem] = []

    def report(path: tuple, message: str, *, at_key: bool = False) -> None:
        problems.append(Problem(locate(tree, path, at_key=at_key), message))

    spec_id = data.get("id")
    if isinstance(spec_id, str) and len(spec_id) > MAX_ID_LENGTH:
        report(("id",), _too_long("spec id", spec_id, MAX_ID_LENGTH))
    for section, noun, limit in (
        ("components", "component", MAX_COMPONENTS),
        ("groups", "group", MAX_GROUPS),
        ("views", "view", None),
    ):
        holder = data.get(section)
        if not isinstance(holder, dict):
            continue
        if limit is not None and len(holder) > limit:
            report(
                (section,),
                f"{len(holder):,} {section}; a design may have at most {limit:,}"
                " (split it into views or several specs)",
                at_key=True,
            )
        for name in holder:
            if len(str(name)) > MAX_ID_LENGTH:
                report((section, name), _too_long(f"{noun} id", str(name), MAX_ID_LENGTH), at_key=True)
    flows = data.get("flows")
    if isinstance(flows, list) and len(flows) > MAX_FLOWS:
        report(("flows",), f"{len(flows):,} flows; a design may have at most {MAX_FLOWS:,}", at_key=True)
    for path, text in _drawn_texts(data):
        if len(text) > MAX_LABEL_LENGTH:
            what = "flow label" if isinstance(path[-1], int) else f"'{path[-1]}'"
            report(path, _too_long(what, text, MAX_LABEL_LENGTH))
    problems += _group_depth(data.get("groups"), tree)
    return problems


def _too_long(what: str, text: str, limit: int) -> str:
    start = text[:20] + "..." if len(text) > 20 else text
    return f"{what} '{start}' is {len(text):,} characters long; the limit is {limit}"


def _drawn_texts(data: dict[str, object]) -> Iterator[tuple[tuple, str]]:
    """(location, text) of every value that is drawn in a picture."""
    title = data.get("title")
    if isinstance(title, str):
        yield ("title",), title
    for section, keys in (("components", ("label", "tech")), ("groups", ("label",)), ("views", ("title",))):
        holder = data.get(section)
        for name, item in holder.items() if isinstance(holder, dict) else ():
            for key in keys:
                value = item.get(key) if isinstance(item, dict) else None
                if isinstance(value, str):
                    yield (section, name, key), value
    for section, key in (("flows", "label"), ("steps", "title")):
        items = data.get(section)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get(key), str):
                yield (section, index, key), item[key]
            elif section == "flows" and isinstance(item, str):
                yield (section, index), item.partition(":")[2].strip()  # 'a -> b: label'


def _group_depth(groups: object, tree: Map) -> list[Problem]:
    if not isinstance(groups, dict):
        return []
    problems = []
    for gid in groups:
        depth, current, seen = 1, gid, {gid}
        while True:
            group = groups.get(current)
            parent = group.get("parent") if isinstance(group, dict) else None
            if not isinstance(parent, str) or parent not in groups or parent in seen:
                break  # the end of the chain, or a cycle the reference checks report
            seen.add(parent)
            depth += 1
            current = parent
        if depth == MAX_GROUP_DEPTH + 1:  # once per chain, at the group that crosses the limit
            where = locate(tree, ("groups", gid, "parent"))
            problems.append(
                Problem(where, f"group '{gid}' is nested {depth} groups deep; the limit is {MAX_GROUP_DEPTH}")
            )
    return problems
