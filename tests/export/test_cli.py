"""`mlsd export` through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.cli import main
from mlsd.export import export

from .conftest import EXAMPLES, spec

FRAUD = EXAMPLES / "fraud-detection.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("to", ["mermaid", "d2", "dot"])
def test_prints_to_standard_output(to: str) -> None:
    result = run("export", str(FRAUD), "--to", to)
    assert result.exit_code == 0, result.output
    assert result.stdout == export(spec("fraud-detection"), to)


def test_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "fraud.mmd"
    result = run("export", str(FRAUD), "--to", "mermaid", "--theme", "dark", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == export(spec("fraud-detection"), "mermaid", theme="dark")
    assert result.stdout == ""


def test_unknown_target_is_a_usage_error() -> None:
    assert run("export", str(FRAUD), "--to", "plantuml").exit_code == 2


def test_target_is_required() -> None:
    assert run("export", str(FRAUD)).exit_code == 2
