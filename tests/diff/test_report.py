"""The three text outputs: JSON exactly per CLI.md, Markdown safe to paste, text without colour."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mlsd.diff import Names, diff_specs, to_json, to_markdown, to_text
from mlsd.load import load_spec

GOLDEN = Path(__file__).parent / "specs" / "baseline--scaled.json"
ANSI = re.compile("\x1b")


def _diff(specs: Path, old: str, new: str):
    return diff_specs(load_spec(specs / f"{old}.yaml"), load_spec(specs / f"{new}.yaml"))


# --- JSON ------------------------------------------------------------------------------------


def test_json_has_exactly_the_contract_shape(specs: Path) -> None:
    data = json.loads(to_json(_diff(specs, "baseline", "scaled")))
    assert list(data) == ["format", "components", "flows", "groups", "sections"]
    assert data["format"] == 1
    for part in ("components", "flows", "groups"):
        assert list(data[part]) == ["added", "removed", "renamed", "changed"]
        assert all(isinstance(item, str) for item in data[part]["added"] + data[part]["removed"])
        assert data[part]["added"] == sorted(data[part]["added"])
        assert data[part]["removed"] == sorted(data[part]["removed"])
        for item in data[part]["renamed"]:
            assert list(item) == ["from", "to"]
        for item in data[part]["changed"]:
            assert list(item) == ["id", "changes"]
            for change in item["changes"]:
                assert list(change) == ["field", "old", "new"]
    assert all(" -> " in name for name in data["flows"]["added"] + data["flows"]["removed"])
    assert isinstance(data["sections"], dict)
    for changes in data["sections"].values():
        assert all(list(change) == ["field", "old", "new"] for change in changes)


def test_json_matches_the_golden_file(specs: Path, update_golden: bool) -> None:
    text = to_json(_diff(specs, "baseline", "scaled"))
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_json_of_identical_specs_is_empty(specs: Path) -> None:
    data = json.loads(to_json(_diff(specs, "baseline", "baseline")))
    empty = {"added": [], "removed": [], "renamed": [], "changed": []}
    assert data == {"format": 1, "components": empty, "flows": empty, "groups": empty, "sections": {}}


# --- text ------------------------------------------------------------------------------------


def test_text_without_colour_has_no_ansi_codes_even_for_hostile_text(specs: Path) -> None:
    diff = _diff(specs, "baseline", "hostile")
    text = to_text(diff, Names("a", "b"))
    assert not ANSI.search(text)
    # An escape character cannot reach a report: the loader refuses control characters
    # (tests/load/test_limits.py); a bidi override is shown escaped, not obeyed.
    assert "[31mred" in text
    assert "\u202e" not in text and "\\u202e" in text


def test_text_markers_carry_the_meaning_and_colour_only_when_asked(specs: Path) -> None:
    diff = _diff(specs, "baseline", "scaled")
    plain = to_text(diff, Names("a", "b"))
    assert "  + cache" in plain
    assert "  - logs" in plain
    assert "  → api → gateway" in plain
    assert "  ~ online_features" in plain
    assert "tech: redis → dragonfly" in plain
    assert "replaced by stream" in plain
    coloured = to_text(diff, Names("a", "b"), color=True)
    assert "\x1b[32m  + cache" in coloured
    assert ANSI.sub("", re.sub(r"\x1b\[[0-9;]*m", "", coloured)) == plain


def test_text_of_identical_specs(specs: Path) -> None:
    text = to_text(_diff(specs, "baseline", "baseline"), Names("a.yaml", "b.yaml"))
    assert text == "mlsd diff a.yaml b.yaml\nno differences\n"


# --- Markdown --------------------------------------------------------------------------------


def _outside_code(line: str) -> str:
    """A Markdown line with its code spans removed."""
    return re.sub(r"(`+)(?:(?!\1).)*?\1", "", line)


def _cells(row: str) -> int:
    """Cells of a table row: pipes that are not escaped, minus the outer two, plus one."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_markdown_escapes_hostile_spec_text(specs: Path) -> None:
    text = to_markdown(_diff(specs, "baseline", "hostile"), Names("a.yaml", "b.yaml"))
    lines = text.splitlines()
    for line in lines:
        prose = _outside_code(line)
        assert "<script" not in prose and "<b>" not in prose and "<i>" not in prose
        assert "](" not in prose  # no link or image outside code
        assert "@octocat" not in prose
        assert "\x1b" not in line
        if line.startswith("#"):
            assert line.startswith(("## ", "### ")), line
    rows = [line for line in lines if line.startswith("|")]
    assert rows and all(_cells(row) == 3 for row in rows), rows
    # The title goes into a heading as escaped prose.
    assert (
        lines[0]
        == "## Design diff: Video recommendations → Video \\| recommendations &lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    )
    # A line break written in the spec cannot start a heading of its own.
    assert not any(line.startswith("# not a heading") for line in lines)


def test_markdown_is_a_changelog(specs: Path) -> None:
    text = to_markdown(_diff(specs, "baseline", "scaled"), Names("baseline.yaml", "scaled.yaml"))
    assert text.startswith("## Design diff: Video recommendations\n")
    for heading in ("### Components", "### Flows", "### Groups", "### Framework parts"):
        assert heading in text
    assert "| + added | `cache` |" in text
    assert "| − removed | `logs` |" in text
    assert "| → renamed | `features` → `online_features` | renamed_from |" in text
    assert "`tech`: `redis` → `dragonfly`" in text
    assert "| `requirements.latency` | `p99 under 200 ms` | `p99 under 120 ms` |" in text


def test_markdown_of_identical_specs(specs: Path) -> None:
    text = to_markdown(_diff(specs, "baseline", "baseline"), Names("a.yaml", "b.yaml"))
    assert "No differences." in text
    assert "###" not in text
