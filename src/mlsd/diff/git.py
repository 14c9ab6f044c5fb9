"""Git integration: a textconv for `git diff` and `git log -p`, and an external diff driver.

The textconv turns a spec file into canonical facts, one per line and in a
fixed order, so git's own line diff becomes a semantic diff: reordering keys,
reflowing YAML or switching flow spellings changes nothing, and each real change
is one `-`/`+` pair. It reads the file as written, because git hands it a
copy outside the repository, where an `extends` base or an icon cannot be
found. The external driver prints the full `mlsd diff` report (with renames)
instead; git runs it through GIT_EXTERNAL_DIFF. Neither ever fails a git
command: a file that is not a spec (no top-level `mlsd:` key, or not YAML)
is shown exactly as it is.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path

from mlsd.diff.compare import COMPONENT_FIELDS, GROUP_FIELDS, SPEC_PARTS, diff_specs
from mlsd.diff.report import Names, safe_text, to_text
from mlsd.errors import MlsdError, SpecError
from mlsd.load import load_spec
from mlsd.load.reader import parse_text
from mlsd.model import FlowMapping, expand_flow
from mlsd.positions import mapping_to_plain

SPEC_SUFFIXES = (".yaml", ".yml")


def canonical_text(document: Mapping[str, object]) -> str:
    """A spec document as sorted facts, one per line: what `mlsd git-textconv` prints.

    It reads the file as written (an `extends` base is not merged in, flow kinds
    are not inferred), so git's two copies of one file always convert alike.
    """
    lines: list[str] = []
    rest = dict(document)
    for key in _TOP:
        if key in rest:
            _facts(key, rest.pop(key), lines)
    for noun, key, order in (("component", "components", _COMPONENT_ORDER), ("group", "groups", _GROUP_ORDER)):
        items = rest.pop(key, None)
        if isinstance(items, dict):
            for name in sorted(items, key=str):
                lines += _entity_facts(f"{noun} {name}", items[name], order)
        elif items is not None:
            _facts(key, items, lines)
    flows = rest.pop("flows", None)
    if isinstance(flows, list):
        lines += sorted(line for flow in flows for line in _flow_facts(flow))
    elif flows is not None:
        _facts("flows", flows, lines)
    for key in [k for k in SPEC_PARTS if k in rest] + sorted((k for k in rest if k not in SPEC_PARTS), key=str):
        _facts(str(key), rest[key], lines)
    return "\n".join(lines) + "\n"


_TOP = ("mlsd", "id", "extends", "title", "summary")
_COMPONENT_ORDER = ("kind", *COMPONENT_FIELDS, "renamed_from")
_GROUP_ORDER = GROUP_FIELDS


def _entity_facts(subject: str, value: object, order: tuple[str, ...]) -> list[str]:
    if not isinstance(value, dict):
        return [f"{subject}: {_fact(value)}"]  # e.g. `null`, which removes it in a variant
    keys = [k for k in order if k in value] + sorted((k for k in value if k not in order), key=str)
    if not keys:
        return [subject]
    return [f"{subject}: {key} {_fact(value[key])}" for key in keys]


def _flow_facts(flow: object) -> list[str]:
    # YAML reads `- a -> b: label` as a one-key mapping; it is the flow text.
    if isinstance(flow, dict) and len(flow) == 1 and "->" in str(next(iter(flow))):
        ((head, label),) = flow.items()
        flow = str(head) if label is None else f"{head}: {label}"
    try:
        if isinstance(flow, str):
            edges = expand_flow(flow)
        elif isinstance(flow, dict):
            edges = expand_flow(FlowMapping.model_validate(flow))
        else:
            raise ValueError
    except (ValueError, TypeError):
        return [f"flow {_fact(flow)}"]
    lines = []
    for source, target, label, kind, note in edges:
        line = f"flow {source} -> {target}" + (f" ({kind})" if kind else "")
        if label:
            line += f" label {_fact(label)}"
        if note:
            line += f" note {_fact(note)}"
        lines.append(line)
    return lines


def _facts(path: str, value: object, lines: list[str]) -> None:
    if value == [] or value == {}:
        return
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            _facts(f"{path}.{key}", value[key], lines)
    elif isinstance(value, list):
        # Metrics and features are named: `PR-AUC` and `{name: PR-AUC}` are one fact.
        named = path == "features" or path.startswith("metrics.")
        for index, item in enumerate(value, start=1):
            name = item.get("name") if isinstance(item, dict) else item if named else None
            if isinstance(name, (str, int, float)) and not isinstance(name, bool):
                rest = {k: v for k, v in item.items() if k != "name"} if isinstance(item, dict) else {}
                if rest:
                    _facts(f"{path}[{name}]", rest, lines)
                else:
                    lines.append(f"{path}[{safe_text(str(name))}]")
            elif isinstance(item, dict):
                _facts(f"{path}[{index}]", item, lines)
            else:
                lines.append(f"{path}: {_fact(item)}")
    else:
        lines.append(f"{path}: {_fact(value)}")


def _fact(value: object) -> str:
    # One fact per line: line breaks and control characters are shown escaped.
    if isinstance(value, str):
        return safe_text(value)
    return safe_text(json.dumps(value, ensure_ascii=False, default=str))


def textconv(path: str | Path) -> bytes:
    """What git shows for a file: a spec's canonical facts, any other file's bytes unchanged.

    A spec is a YAML mapping with the key `mlsd` (read as YAML 1.2, as the
    loader reads it). Anything else, a CI workflow or a broken file, passes
    through byte for byte, so an attribute that catches every YAML file in a
    repository changes nothing but the specs.
    """
    data = Path(path).read_bytes()
    document = _spec_document(data)
    if document is None:
        return data
    return canonical_text(document).encode("utf-8")


def _spec_document(data: bytes) -> dict[str, object] | None:
    """The plain document of a spec file's bytes, or None when they are not a spec."""
    if b"\0" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
        tree, _ = parse_text(text, "textconv")
    except (UnicodeDecodeError, SpecError):
        return None
    if "mlsd" not in tree.entries:
        return None
    return mapping_to_plain(tree)


def git_diff_driver(argv: list[str]) -> str:
    """The output of an external diff driver called as git does (`path old-file old-hex old-mode
    new-file new-hex new-mode`, two more arguments for a rename): the `mlsd diff` report."""
    if len(argv) == 1:
        return f"* Unmerged path {argv[0]}\n"
    if len(argv) not in (7, 9):
        raise MlsdError(f"git-diff-driver takes the 7 (or 9) arguments git passes to an external diff; got {len(argv)}")
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
