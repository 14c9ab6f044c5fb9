"""Checks that relate one part of a spec to another: ids, groups, flows, views, icons.

They read the plain document defensively, so they run even when the models
rejected some fields, and the author sees every problem in one pass.
"""

from __future__ import annotations

import re
from pathlib import Path

from mlsd.catalogue import STAGES
from mlsd.errors import Location, Problem
from mlsd.model import ID_RE, FlowSyntaxError, parse_flow_text
from mlsd.positions import Map, locate
from mlsd.suggest import bad_id, did_you_mean

ICON_SUFFIXES = (".png", ".svg")


def check_references(data: dict[str, object], tree: Map, files: dict[str, Path], root: Path) -> list[Problem]:
    """Every cross-reference problem in a merged spec document."""
    components = _mapping(data.get("components"))
    groups = _mapping(data.get("groups"))
    problems: list[Problem] = []

    def report(path: tuple, message: str, *, at_key: bool = False) -> None:
        problems.append(Problem(locate(tree, path, at_key=at_key), message))

    for section, noun in (("components", "component"), ("groups", "group"), ("views", "view")):
        for name in _mapping(data.get(section)):
            if not ID_RE.match(name):
                report((section, name), bad_id(noun, name), at_key=True)
    for name in _mapping(data.get("views")):
        if re.fullmatch(r"step-\d+", str(name)):
            report(
                ("views", name),
                f"view id '{name}' is taken by the reveal frames (<id>.step-N); rename the view",
                at_key=True,
            )
    for name in set(components) & set(groups):
        report(("groups", name), f"'{name}' is both a component and a group id; rename one", at_key=True)

    for cid, comp in components.items():
        comp = _mapping(comp)
        group = _ref(comp.get("group"))
        if group is not None and group not in groups:
            report(
                ("components", cid, "group"),
                f"component '{cid}' is in unknown group '{group}'"
                + (did_you_mean(group, groups) or _known("groups", groups)),
            )
        icon = comp.get("icon")
        if isinstance(icon, str):
            path = ("components", cid, "icon")
            message = _icon_problem(icon, locate(tree, path), files, root)
            if message:
                report(path, message)

    problems += _group_problems(groups, tree)
    problems += _flow_problems(data.get("flows"), components, groups, tree)
    names = set(components) | set(groups) | set(STAGES)
    for section, list_key in (("views", "include"), ("steps", "add")):
        holder = data.get(section)
        items = holder.items() if isinstance(holder, dict) else enumerate(holder if isinstance(holder, list) else [])
        for key, entry in items:
            listed = _mapping(entry).get(list_key)
            for index, value in enumerate(listed if isinstance(listed, list) else []):
                name = _ref(value)
                if name is not None and name not in names:
                    report(
                        (section, key, list_key, index),
                        f"'{name}' is not a component, group or stage" + did_you_mean(name, names),
                    )
    return problems


def _ref(value: object) -> str | None:
    """A reference as the model will read it: text, or a number taken as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _known(noun: str, names: dict) -> str:
    if not names:
        return f"; this spec defines no {noun}"
    return f"; known {noun}: " + ", ".join(sorted(names))


def _group_problems(groups: dict, tree: Map) -> list[Problem]:
    problems = []
    for gid, group in groups.items():
        parent = _ref(_mapping(group).get("parent"))
        if parent is None:
            continue
        where = locate(tree, ("groups", gid, "parent"))
        if parent not in groups:
            problems.append(
                Problem(
                    where,
                    f"group '{gid}' has unknown parent '{parent}'"
                    + (did_you_mean(parent, groups) or _known("groups", groups)),
                )
            )
            continue
        seen = [gid]
        current: str | None = parent
        while current is not None and current in groups and current not in seen:
            seen.append(current)
            current = _ref(_mapping(groups[current]).get("parent"))
        if current == gid and gid == min(seen, key=list(groups).index):
            cycle = " -> ".join(seen + [gid])
            problems.append(Problem(where, f"groups nest in a cycle: {cycle}"))
    return problems


def _flow_problems(flows: object, components: dict, groups: dict, tree: Map) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(flows, list):
        return problems

    def unknown(value: object, path: tuple, text: str | None = None) -> None:
        end = _ref(value)
        if end is not None and end not in components:
            if end in groups:
                inside = sorted(c for c, comp in components.items() if _ref(_mapping(comp).get("group")) == end)
                hint = f": name a component in it ({', '.join(inside[:4])})" if inside else ""
                detail = f"flow {path[1] + 1} names group '{end}'; a flow connects components{hint}"
            else:
                detail = f"flow {path[1] + 1} names unknown component '{end}'" + (
                    did_you_mean(end, components) or _known("components", components)
                )
            where = locate(tree, path)
            if text is not None:
                # Point at the id inside 'a -> b: label', not at the start of the flow.
                found = re.search(rf"(?<![\w-]){re.escape(end)}(?![\w-])", text)
                if found:
                    where = Location(where.file, where.line, where.column + found.start())
            problems.append(Problem(where, detail))

    for index, flow in enumerate(flows):
        if isinstance(flow, str):
            try:
                ends, _ = parse_flow_text(flow)
            except FlowSyntaxError as err:
                problems.append(Problem(locate(tree, ("flows", index)), str(err)))
                continue
            for end in ends:
                unknown(end, ("flows", index), flow)
        elif isinstance(flow, dict):
            for key in ("from", "to"):
                value = flow.get(key)
                named = value if isinstance(value, list) else [value]
                for position, end in enumerate(named):
                    path = ("flows", index, key) + ((position,) if isinstance(value, list) else ())
                    unknown(end, path)
    return problems


def _icon_problem(icon: str, where: Location, files: dict[str, Path], root: Path) -> str | None:
    if "://" in icon or icon.startswith("data:"):
        return f"icon '{icon}' is a URL; mlsd never downloads: save the file next to the spec"
    base = files.get(where.file)
    if base is None:
        return None
    try:
        path = (base.parent / icon).resolve()
        exists = path.is_file()
    except (OSError, ValueError):
        return f"icon '{icon}' is not a usable file name"
    if not path.is_relative_to(root):
        return f"icon '{icon}' is outside the spec's folder ({root.name}/); copy it inside"
    if path.suffix.lower() not in ICON_SUFFIXES:
        return f"icon '{icon}' must be a .png or .svg file"
    if not exists:
        return f"icon file '{icon}' not found (looked for {path.relative_to(root)} in {root.name}/)"
    return None


def icon_path(icon: str, written_in: Path) -> Path:
    """Absolute path of a custom icon written in the spec file `written_in`."""
    return (written_in.parent / icon).resolve()
