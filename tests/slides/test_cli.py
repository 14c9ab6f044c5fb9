"""`mlsd slides` through the command line."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation

from mlsd.cli import main

from .conftest import SPECS


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_writes_the_deck(tmp_path: Path) -> None:
    target = tmp_path / "talk" / "deck.pptx"
    result = run("slides", str(SPECS / "steps.yaml"), "-o", str(target), "--theme", "dark")
    assert result.exit_code == 0, result.output
    prs = Presentation(io.BytesIO(target.read_bytes()))
    assert len(prs.slides) == 1 + 5 + 2
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["deck.pptx"]


def test_invalid_spec_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("mlsd: 1\ntitle: x\ncomponents: {a: {kind: nope}}\n", encoding="utf-8")
    result = run("slides", str(bad), "-o", str(tmp_path / "out" / "deck.pptx"))
    assert result.exit_code == 1
    assert "error:" in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_theme_is_a_usage_error(tmp_path: Path) -> None:
    result = run("slides", str(SPECS / "bare.yaml"), "-o", str(tmp_path / "d.pptx"), "--theme", "sepia")
    assert result.exit_code == 2
