"""`mlsd check` through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.cli import main

CLEAN = Path(__file__).parent / "specs" / "clean.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    shutil.copy(CLEAN, tmp_path / "clean.yaml")
    (tmp_path / "broken.yaml").write_text("extends: clean.yaml\ncomponents: {metrics: null}\n")
    (tmp_path / "warned.yaml").write_text("extends: clean.yaml\nmetrics: {guardrail: null}\n")
    return tmp_path


def test_clean_spec_exits_0(specs: Path) -> None:
    code, output = run("check", str(specs / "clean.yaml"))
    assert code == 0 and "no findings" in output


def test_error_exits_1(specs: Path) -> None:
    assert run("check", str(specs / "broken.yaml"))[0] == 1
    assert run("check", "--fail-on", "never", str(specs / "broken.yaml"))[0] == 0


def test_warning_fails_only_with_fail_on_warning(specs: Path) -> None:
    assert run("check", str(specs / "warned.yaml"))[0] == 0
    assert run("check", "--fail-on", "warning", str(specs / "warned.yaml"))[0] == 1


def test_folder_and_formats(specs: Path) -> None:
    code, output = run("check", "-f", "json", str(specs))
    assert code == 1
    rules = {f["rule"] for f in json.loads(output)["findings"]}
    assert {"no-monitoring", "no-guardrail-metrics"} <= rules
    code, output = run("check", "-f", "sarif", str(specs / "clean.yaml"))
    assert code == 0 and json.loads(output)["version"] == "2.1.0"


def test_list_rules_needs_no_spec() -> None:
    code, output = run("check", "--list-rules")
    assert code == 0 and "no-monitoring" in output


def test_usage_errors_exit_2(specs: Path) -> None:
    assert run("check")[0] == 2
    assert run("check", "-f", "xml", str(specs / "clean.yaml"))[0] == 2
    assert run("check", str(specs / "missing.yaml"))[0] == 2


def test_invalid_spec_exits_1(specs: Path) -> None:
    (specs / "bad.yaml").write_text("mlsd: 1\ntitle: Bad\ncomponents: {a: {kind: nope}}\n")
    code, output = run("check", str(specs / "bad.yaml"))
    assert code == 1 and "error:" in output
