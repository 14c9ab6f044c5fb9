"""`mlsd practice` from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mlsd.cli import main

from .conftest import GALLERY, SPARSE


def _sparse(tmp_path: Path) -> Path:
    path = tmp_path / "sparse.yaml"
    path.write_text(SPARSE, encoding="utf-8")
    return path


def test_practice_writes_the_page_its_markdown_and_its_picture(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["practice", str(_sparse(tmp_path)), "-o", str(out), "--minutes", "30"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "sparse.practice.html",
        "sparse.practice.md",
        "sparse.practice.svg",
    ]
    assert "30-minute rehearsal" in (out / "sparse.practice.md").read_text(encoding="utf-8")
    assert "wrote 3 files" in result.stderr


def test_list_names_the_page_of_every_spec_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["practice", "--list", str(GALLERY), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) >= 21
    assert f"{out / 'fraud-detection.practice.html'}\tReal-time payment fraud detection" in lines
    assert not out.exists()


def test_an_invalid_spec_is_a_user_error_and_nothing_is_written(tmp_path: Path) -> None:
    good = _sparse(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("mlsd: 1\ntitle: Bad\ncomponents:\n  a: {kind: no-such-kind}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["practice", str(good), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "bad.yaml:4:" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_an_interview_too_short_for_every_step_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["practice", str(_sparse(tmp_path)), "--minutes", "2"])
    assert result.exit_code == 2
    assert "--minutes" in result.stderr
