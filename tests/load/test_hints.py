"""Hints that are not errors: a known key found at the wrong depth is a located warning."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mlsd.cli import main
from mlsd.load import load_spec

OVER_INDENTED = """\
mlsd: 1
title: Latency indented into scale
requirements:
  scale:
    users: 1_000_000
    latency: 50 ms
components:
  app: {kind: client}
"""


def test_a_requirement_inside_scale_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(OVER_INDENTED, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 0
    assert result.stdout == "1 spec valid\n"
    assert result.stderr.startswith(f"{spec}:6:5: warning: 'latency' is a key of 'requirements'")
    assert "indent it as far as 'scale:'" in result.stderr
    as_json = json.loads(CliRunner().invoke(main, ["validate", str(spec), "-f", "json"]).stdout)
    assert as_json["errors"] == []
    assert [(w["line"], w["column"]) for w in as_json["warnings"]] == [(6, 5)]


def test_a_spec_without_doubts_has_no_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(OVER_INDENTED.replace("    latency: 50 ms\n", "  latency: 50 ms\n"), encoding="utf-8")
    assert load_spec(spec).source.warnings == ()
    result = CliRunner().invoke(main, ["validate", str(spec), "-f", "json"])
    assert json.loads(result.stdout) == {"errors": []}
