"""`mlsd kinds`: the catalogue as a text table or as data."""

from __future__ import annotations

from mlsd.catalogue import FLOW_KIND_RULES, FLOW_KINDS, KINDS, STAGES, TECHS, Icon


def _icon_name(icon: Icon | None) -> str:
    if icon is None:
        return "-"
    if icon.diagrams_class:
        return icon.diagrams_class
    return f"mlsd:{icon.glyph}"


def catalogue_json() -> dict:
    """Kinds, flow kinds, the flow-kind inference table and techs as plain data."""
    return {
        "stages": list(STAGES),
        "kinds": [
            {
                "name": k.name,
                "stage": k.stage,
                "role": k.role,
                "icon": _icon_name(k.icon),
                "techs": list(k.techs),
            }
            for k in KINDS.values()
        ],
        "flow_kinds": list(FLOW_KINDS),
        "flow_kind_rules": [{"from": source, "to": target, "kind": kind} for source, target, kind in FLOW_KIND_RULES],
        "techs": [{"name": t.name, "label": t.label, "icon": _icon_name(t.icon)} for t in TECHS.values()],
    }


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


def catalogue_text() -> str:
    """The catalogue as aligned plain-text tables."""
    lines = ["Component kinds", ""]
    for stage in STAGES:
        rows = [(k.name, k.stage, k.role) for k in KINDS.values() if k.stage == stage]
        lines += _table(rows, ("KIND", "STAGE", "ROLE")) if stage == STAGES[0] else _table(rows, ("", "", ""))[1:]
    lines += ["", "Flow kinds: " + ", ".join(FLOW_KINDS), "", "Flow-kind inference (first match wins):"]
    lines += _table([(s, t, k) for s, t, k in FLOW_KIND_RULES], ("FROM", "TO", "KIND"))
    lines += ["", f"Known techs ({len(TECHS)}); any other tech is shown as text:", ""]
    rows = [(t.name, t.label, "icon" if t.icon else "text") for t in TECHS.values()]
    lines += _table(rows, ("TECH", "NAME", "SHOWN AS"))
    return "\n".join(lines)
