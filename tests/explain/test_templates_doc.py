"""docs/templates.md: its example template runs, and a template can read the spec itself."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from mlsd.cli import main

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "templates.md"


def _explain(tmp_path: Path, template: str) -> str:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "explanation.md.j2").write_text(template, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["explain", str(ROOT / "specs" / "fraud-detection.yaml"), "--templates", str(folder)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_template_prints_the_spec_title(tmp_path: Path) -> None:
    assert _explain(tmp_path, "{{ spec.title }}\n").strip() == "Real-time payment fraud detection"


def test_the_documented_example_runs(tmp_path: Path) -> None:
    (example,) = re.findall(r"```jinja\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    text = _explain(tmp_path, example)
    assert text.startswith("# Real-time payment fraud detection")
    assert "- **Decision engine** (rules-engine)" in text
    assert re.search(r"\d+ open questions; the review found \d+ things to look at\.", text)
