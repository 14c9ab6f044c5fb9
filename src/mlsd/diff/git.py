"""Git integration: a textconv for `git diff` and `git log -p`, and an external diff driver.

The textconv turns a spec into canonical facts, one per line and in a fixed
order, so git's own line diff becomes a semantic diff: reordering keys,
reflowing YAML or switching flow spellings changes nothing, and each real change
is one `-`/`+` pair. The external driver prints the full `mlsd diff` report
(with renames) instead; git runs it through GIT_EXTERNAL_DIFF. Neither ever
fails a git command: anything that is not a readable spec is shown as text.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from mlsd.diff.compare import COMPONENT_FIELDS, GROUP_FIELDS, SECTIONS, section_value, diff_specs
from mlsd.diff.report import Names, safe_text, to_text
from mlsd.errors import MlsdError
from mlsd.load import load_spec
from mlsd.model import Spec

SPEC_SUFFIXES = (".yaml", ".yml")


def canonical_text(spec: Spec) -> str:
    """A spec as sorted facts, one per line: what `mlsd git-textconv` prints."""
    lines: list[str] = []
    for cid in sorted(spec.components):
        comp = spec.components[cid]
        lines.append(f"component {cid}: kind {comp.kind}")
        for name in (*COMPONENT_FIELDS, "renamed_from"):
            value = getattr(comp, name)
            if value is not None:
                lines.append(f"component {cid}: {name} {_fact(value)}")
    for gid in sorted(spec.groups):
        lines.append(f"group {gid}")
        for name in GROUP_FIELDS:
            value = getattr(spec.groups[gid], name)
            if value is not None:
                lines.append(f"group {gid}: {name} {_fact(value)}")
    flows = sorted(spec.edges, key=lambda e: (e.source, e.target, e.kind, e.label or "", e.note or ""))
    for edge in flows:
        line = f"flow {edge.source} -> {edge.target} ({edge.kind})"
        if edge.label:
            line += f" label {_fact(edge.label)}"
        if edge.note:
            line += f" note {_fact(edge.note)}"
        lines.append(line)
    for part in SECTIONS:
        _facts(part, section_value(spec, part, {}), lines)
    return "\n".join(lines) + "\n"


def _facts(path: str, value: object, lines: list[str]) -> None:
    if value is None or value == [] or value == {}:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _facts(f"{path}.{key}", item, lines)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            if isinstance(item, dict):
                name = item.get("name")
                _facts(f"{path}[{name if isinstance(name, str) else index}]", item, lines)
            else:
                lines.append(f"{path}: {_fact(item)}")
    else:
        lines.append(f"{path}: {_fact(value)}")


def _fact(value: object) -> str:
    # One fact per line: line breaks and control characters are shown escaped.
    return safe_text(value) if isinstance(value, str) else json.dumps(value)


def textconv(path: Path) -> str:
    """What git shows for a spec file: its canonical facts, or its text when it cannot be read."""
    try:
        return canonical_text(load_spec(path))
    except MlsdError as err:
        count = len(getattr(err, "problems", ())) or 1
        header = (
            f"# mlsd: not readable as a spec on its own ({count} problem{'s' if count != 1 else ''});"
            " its text follows\n"
        )
        return header + _text_of(path)


def git_diff_driver(argv: list[str]) -> str:
    """The output of an external diff driver called as git does (`path old-file old-hex old-mode
    new-file new-hex new-mode`, two more arguments for a rename): the `mlsd diff` report."""
    if len(argv) == 1:
        return f"* Unmerged path {argv[0]}\n"
    if len(argv) not in (7, 9):
        raise MlsdError(
            f"git-diff-driver takes the 7 (or 9) arguments git passes to an external diff; got {len(argv)}"
        )
    path, old_file, new_file = argv[0], argv[1], argv[4]
    new_path = argv[7] if len(argv) == 9 else path
    header = f"mlsd diff a/{path} b/{new_path}\n"
    if not path.endswith(SPEC_SUFFIXES) or old_file == "/dev/null" or new_file == "/dev/null":
        return header + _plain_diff(path, new_path, old_file, new_file, None)
    try:
        old, new = load_spec(Path(old_file)), load_spec(Path(new_file))
    except MlsdError as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return header + _plain_diff(path, new_path, old_file, new_file, reason)
    return to_text(diff_specs(old, new), Names(f"a/{path}", f"b/{new_path}"))


def _plain_diff(path: str, new_path: str, old_file: str, new_file: str, reason: str | None) -> str:
    old_text = "" if old_file == "/dev/null" else _text_of(Path(old_file))
    new_text = "" if new_file == "/dev/null" else _text_of(Path(new_file))
    note = ""
    if reason is not None:
        note = f"# mlsd: not readable as specs on their own ({safe_text(reason)}); a text diff follows\n"
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True),
        new_text.splitlines(keepends=True),
        fromfile=f"a/{path}" if old_file != "/dev/null" else "/dev/null",
        tofile=f"b/{new_path}" if new_file != "/dev/null" else "/dev/null",
    )
    body = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return note + body


def _text_of(path: Path) -> str:
    data = path.read_bytes()
    if b"\0" in data:
        return "(binary file)\n"
    return data.decode("utf-8", "replace")
