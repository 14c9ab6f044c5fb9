"""The diff as text: a terminal report, a Markdown changelog, or JSON for tools.

Spec text is never trusted: control characters are shown escaped in the
terminal (a label cannot move the cursor or recolour the screen), and Markdown
puts spec text in code spans, where nothing is markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from types import MappingProxyType

from mlsd.diff.compare import Changed, FieldChange, PartDiff, Replacement, SpecDiff

JSON_FORMAT = 1

_ANSI = MappingProxyType({"+": "32", "-": "31", "~": "33", "→": "36", "!": "35", "head": "1"})
# C0 and C1 controls, DEL, and the bidirectional overrides of "Trojan Source".
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Names:
    """How the two sides are called in reports: the paths or REV:PATHs given."""

    old: str
    new: str


def to_json(diff: SpecDiff) -> str:
    """The `diff -f json` document (CLI.md), keys and lists in a stable order."""
    data = {
        "format": JSON_FORMAT,
        "components": _json_part(diff.components),
        "flows": _json_part(diff.flows),
        "groups": _json_part(diff.groups),
        "sections": {part: [c.as_dict() for c in changes] for part, changes in diff.sections},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _json_part(part: PartDiff) -> dict[str, object]:
    return {
        "added": list(part.added),
        "removed": list(part.removed),
        "renamed": [{"from": r.old, "to": r.new} for r in part.renamed],
        "changed": [{"id": c.id, "changes": [f.as_dict() for f in c.changes]} for c in part.changed],
    }


# --- text ------------------------------------------------------------------------------------


def to_text(diff: SpecDiff, names: Names, *, color: bool = False, notes: tuple[str, ...] = ()) -> str:
    """A compact report; markers + - ~ → carry the meaning, colour (when asked) only repeats it."""

    def paint(marker: str, text: str) -> str:
        return f"\x1b[{_ANSI[marker]}m{text}\x1b[0m" if color else text

    lines = [paint("head", f"mlsd diff {safe_text(names.old)} {safe_text(names.new)}")]
    if not diff.has_changes:
        lines.append("no differences")
    old, new = diff.old, diff.new
    replaced = _replacement_notes(diff.replacements)

    if diff.components:
        lines.append(paint("head", f"components: {_counts(diff.components)}"))
        for cid in diff.components.added:
            comp = new.components[cid]
            extra = f"; {replaced[('new', cid)]}" if ("new", cid) in replaced else ""
            lines.append(paint("+", f"  + {cid}  {_describe(new.label(cid), comp.kind, comp.tech)}{extra}"))
        for cid in diff.components.removed:
            comp = old.components[cid]
            extra = f"; {replaced[('old', cid)]}" if ("old", cid) in replaced else ""
            lines.append(paint("-", f"  - {cid}  {_describe(old.label(cid), comp.kind, comp.tech)}{extra}"))
        for item in diff.components.renamed:
            lines.append(paint("→", f"  → {item.old} → {item.new}  ({_REASONS[item.reason]})"))
        lines += _text_changed(diff.components.changed, paint)
    if diff.flows:
        lines.append(paint("head", f"flows: {_counts(diff.flows)}"))
        records = {r.name: r for r in diff.flow_records if r.new is not None}
        removed = {r.name: r for r in diff.flow_records if r.new is None}
        for name in diff.flows.added:
            edge = records[name].new
            lines.append(paint("+", f"  + {name}  [{edge.kind}]{_quoted(edge.label)}"))  # type: ignore[union-attr]
        for name in diff.flows.removed:
            edge = removed[name].old
            lines.append(paint("-", f"  - {name}  [{edge.kind}]{_quoted(edge.label)}"))  # type: ignore[union-attr]
        for item in diff.flows.renamed:
            lines.append(paint("→", f"  → {item.old} → {item.new}  (an end was renamed)"))
        lines += _text_changed(diff.flows.changed, paint)
    if diff.groups:
        lines.append(paint("head", f"groups: {_counts(diff.groups)}"))
        for gid in diff.groups.added:
            lines.append(paint("+", f"  + {gid}  {_quoted(new.group_label(gid)).strip()}"))
        for gid in diff.groups.removed:
            lines.append(paint("-", f"  - {gid}  {_quoted(old.group_label(gid)).strip()}"))
        lines += _text_changed(diff.groups.changed, paint)
    if diff.sections:
        lines.append(paint("head", f"framework parts: {len(diff.sections)} changed"))
        for part, changes in diff.sections:
            lines.append(paint("~", f"  ~ {part}"))
            lines += [paint("~", f"      {_field_text(c)}") for c in changes]
    for note in (*diff.notes, *notes):
        lines.append(paint("!", f"note: {safe_text(note)}"))
    return "\n".join(lines) + "\n"


_REASONS = MappingProxyType(
    {
        "argument": "--rename",
        "hint": "renamed_from",
        "match": "same kind and neighbours",
    }
)


def _counts(part: PartDiff) -> str:
    items = [
        (len(part.added), "added"),
        (len(part.removed), "removed"),
        (len(part.renamed), "renamed"),
        (len(part.changed), "changed"),
    ]
    return ", ".join(f"{n} {word}" for n, word in items if n)


def _describe(label: str, kind: str, tech: str | None) -> str:
    details = kind + (f", {tech}" if tech else "")
    return f'"{safe_text(label)}" ({safe_text(details)})'


def _quoted(text: str | None) -> str:
    return f' "{safe_text(text)}"' if text else ""


def _replacement_notes(replacements: tuple[Replacement, ...]) -> dict[tuple[str, str], str]:
    notes = {}
    for r in replacements:
        how = "same id" if r.reason == "same id" else r.reason
        notes[("old", r.old)] = f"replaced by {r.new} ({r.old_kind} → {r.new_kind}, {how})"
        notes[("new", r.new)] = f"replaces {r.old} ({r.old_kind} → {r.new_kind}, {how})"
    return notes


def _text_changed(changed: tuple[Changed, ...], paint) -> list[str]:
    lines = []
    for item in changed:
        lines.append(paint("~", f"  ~ {item.id}"))
        lines += [paint("~", f"      {_field_text(c)}") for c in item.changes]
    return lines


def _field_text(change: FieldChange) -> str:
    delta = _list_delta(change.old, change.new)
    if delta is not None:
        return f"{safe_text(change.field)}: {delta}"
    return f"{safe_text(change.field)}: {_value(change.old)} → {_value(change.new)}"


def _list_delta(old: object, new: object) -> str | None:
    """'+ a; - b' for lists of plain values, which read better than two whole lists."""
    if not (isinstance(old, list) and isinstance(new, list)):
        return None
    if any(isinstance(v, (dict, list)) for v in old + new):
        return None
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    parts = [f"+ {_value(v)}" for v in added] + [f"- {_value(v)}" for v in removed]
    return "; ".join(parts) if parts else "reordered"


def _value(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return safe_text(value) if value else '""'
    return safe_text(json.dumps(value, ensure_ascii=False, sort_keys=False))


def safe_text(text: str) -> str:
    """Spec text for a terminal: every control character shown as an escape."""
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# --- Markdown --------------------------------------------------------------------------------


def to_markdown(diff: SpecDiff, names: Names, *, notes: tuple[str, ...] = (), picture: str | None = None) -> str:
    """A changelog for a pull request: a summary line, then one table per kind of element."""
    old, new = diff.old, diff.new
    title = old.title if old.title == new.title else f"{old.title} → {new.title}"
    out = [f"## Design diff: {_md_text(title)}", ""]
    out.append(f"{_code(names.old)} → {_code(names.new)}")
    out.append("")
    if not diff.has_changes:
        out += ["No differences.", ""]
    else:
        summary = []
        for noun, part in (("components", diff.components), ("flows", diff.flows), ("groups", diff.groups)):
            if part:
                summary.append(f"**{noun}**: {_counts(part)}")
        if diff.sections:
            summary.append(f"**framework parts**: {len(diff.sections)} changed")
        out += ["; ".join(summary), ""]
    if picture:
        out += [f"![Design diff]({picture})", ""]
    replaced = _replacement_notes(diff.replacements)

    if diff.components:
        rows = []
        for cid in diff.components.added:
            comp = new.components[cid]
            detail = _md_details(new.label(cid), comp.kind, comp.tech, replaced.get(("new", cid)))
            rows.append(("+ added", _code(cid), detail))
        for cid in diff.components.removed:
            comp = old.components[cid]
            detail = _md_details(old.label(cid), comp.kind, comp.tech, replaced.get(("old", cid)))
            rows.append(("− removed", _code(cid), detail))
        for item in diff.components.renamed:
            rows.append(("→ renamed", f"{_code(item.old)} → {_code(item.new)}", _REASONS[item.reason]))
        rows += _md_changed(diff.components.changed)
        out += _table("Components", ("", "component", "details"), rows)
    if diff.flows:
        by_new = {r.name: r for r in diff.flow_records if r.new is not None}
        by_old = {r.name: r for r in diff.flow_records if r.new is None}
        rows = []
        for name in diff.flows.added:
            edge = by_new[name].new
            rows.append(("+ added", _code(name), _md_flow(edge.kind, edge.label)))  # type: ignore[union-attr]
        for name in diff.flows.removed:
            edge = by_old[name].old
            rows.append(("− removed", _code(name), _md_flow(edge.kind, edge.label)))  # type: ignore[union-attr]
        for item in diff.flows.renamed:
            rows.append(("→ re-pointed", f"{_code(item.old)} → {_code(item.new)}", "an end was renamed"))
        rows += _md_changed(diff.flows.changed)
        out += _table("Flows", ("", "flow", "details"), rows)
    if diff.groups:
        rows = []
        for gid in diff.groups.added:
            rows.append(("+ added", _code(gid), f"label {_code(new.group_label(gid))}"))
        for gid in diff.groups.removed:
            rows.append(("− removed", _code(gid), f"label {_code(old.group_label(gid))}"))
        rows += _md_changed(diff.groups.changed)
        out += _table("Groups", ("", "group", "details"), rows)
    if diff.sections:
        rows = [
            (_code(change.field), _md_value(change.old), _md_value(change.new))
            for _, changes in diff.sections
            for change in changes
        ]
        out += _table("Framework parts", ("field", "old", "new"), rows)
    all_notes = (*diff.notes, *notes)
    if all_notes:
        out += ["### Notes", ""] + [f"- {_md_text(n)}" for n in all_notes] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_details(label: str, kind: str, tech: str | None, replaced: str | None) -> str:
    parts = [f"label {_code(label)}", f"kind {_code(kind)}"]
    if tech:
        parts.append(f"tech {_code(tech)}")
    if replaced:
        parts.append(_md_text(replaced))
    return ", ".join(parts)


def _md_flow(kind: str, label: str | None) -> str:
    return f"kind {_code(kind)}" + (f", label {_code(label)}" if label else "")


def _md_changed(changed: tuple[Changed, ...]) -> list[tuple[str, str, str]]:
    rows = []
    for item in changed:
        details = "<br>".join(f"{_code(c.field)}: {_md_value(c.old)} → {_md_value(c.new)}" for c in item.changes)
        rows.append(("~ changed", _code(item.id), details))
    return rows


def _md_value(value: object) -> str:
    if value is None:
        return "*none*"
    if isinstance(value, str):
        return _code(value)
    return _code(json.dumps(value, ensure_ascii=False))


def _table(title: str, header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> list[str]:
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _code(text: str) -> str:
    """Spec text as a Markdown code span, safe inside a table cell.

    In a code span nothing is markup (no HTML, links, emphasis or @mentions);
    only a pipe (which would end the table cell), a backtick (which would end
    the span) and line breaks need care.
    """
    text = safe_text(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or not text.strip():
        text = f" {text} "
    return f"{fence}{text}{fence}"


def _md_text(text: str) -> str:
    """Spec text as plain Markdown prose: markup characters escaped, HTML as entities."""
    text = safe_text(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]{}()#+!|~$@-])", r"\\\1", text)
