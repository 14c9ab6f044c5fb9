"""run_diff and the `mlsd diff` command: formats, exit statuses, trouble, --rename."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from tests.diff.conftest import write_spec

from mlsd.diff import DiffError, DiffSpecError, parse_renames, run_diff
from mlsd.diff.git import canonical_text, git_diff_driver, textconv

BROKEN = """\
components:
  a: {kind: clint}
flows:
  - a -> b
"""


def _paths(specs: Path, old: str, new: str) -> tuple[str, str]:
    return str(specs / f"{old}.yaml"), str(specs / f"{new}.yaml")


def test_identical_specs_exit_zero_even_with_exit_code(specs: Path) -> None:
    for fmt in ("text", "md", "json"):
        result = run_diff(*_paths(specs, "baseline", "baseline"), fmt, exit_code=True)
        assert result.status == 0
        assert result.messages == ()


@pytest.mark.parametrize(("exit_code", "status"), [(False, 0), (True, 1)])
def test_differences_exit_one_only_with_exit_code(specs: Path, exit_code: bool, status: int) -> None:
    assert run_diff(*_paths(specs, "baseline", "scaled"), exit_code=exit_code).status == status


def test_formats(specs: Path) -> None:
    paths = _paths(specs, "baseline", "scaled")
    assert run_diff(*paths, "text").text.startswith("mlsd diff ")
    assert run_diff(*paths, "md").text.startswith("## Design diff: ")
    assert json.loads(run_diff(*paths, "json").text)["format"] == 1
    with pytest.raises(DiffError, match="unknown format"):
        run_diff(*paths, "yaml")
    with pytest.raises(DiffError, match="unknown view"):
        run_diff(*paths, "text", Path("out"), "flip")


def test_invalid_specs_are_trouble_with_every_located_problem(tmp_path: Path) -> None:
    one = write_spec(tmp_path, "one", BROKEN)
    two = write_spec(tmp_path, "two", BROKEN.replace("clint", "serverr"))
    with pytest.raises(DiffSpecError) as caught:
        run_diff(str(one), str(two))
    assert caught.value.exit_code == 2
    shown = [str(p) for p in caught.value.problems]
    assert any(line.startswith(f"{one}:4:") and "clint" in line for line in shown), shown
    assert any(line.startswith(f"{two}:4:") and "serverr" in line for line in shown), shown


def test_missing_file_is_trouble(specs: Path, tmp_path: Path) -> None:
    with pytest.raises(DiffError, match="no such file") as caught:
        run_diff(str(tmp_path / "nope.yaml"), str(specs / "baseline.yaml"))
    assert caught.value.exit_code == 2


def test_rename_option(specs: Path, tmp_path: Path) -> None:
    old = write_spec(tmp_path, "old", "components: {a: {kind: cache}, b: {kind: llm}}\nflows: [b -> a]\n")
    new = write_spec(tmp_path, "new", "components: {z: {kind: cache}, b: {kind: llm}}\nflows: [z -> b]\n")
    plain = json.loads(run_diff(str(old), str(new), "json").text)
    assert plain["components"]["renamed"] == []
    paired = json.loads(run_diff(str(old), str(new), "json", renames=["a=z"]).text)
    assert paired["components"]["renamed"] == [{"from": "a", "to": "z"}]


@pytest.mark.parametrize(
    ("items", "message"),
    [(["a"], "write it as OLD=NEW"), (["a=B!"], "not a component id"), (["a=b", "a=c"], "renamed twice")],
)
def test_bad_rename_options(items: list[str], message: str) -> None:
    with pytest.raises(DiffError, match=message):
        parse_renames(items)


def test_textconv_and_driver_functions(specs: Path, tmp_path: Path) -> None:
    baseline = specs / "baseline.yaml"
    facts = textconv(baseline).decode("utf-8")
    assert facts == canonical_text(yaml.safe_load(baseline.read_text(encoding="utf-8")))
    assert "component features: tech redis\n" in facts
    assert "flow app -> api label home feed\n" in facts
    assert "requirements.constraints: GDPR\n" in facts
    assert "metrics.offline[NDCG@10].target: 0.40\n" in facts
    assert "metrics.online[watch time]\n" in facts
    # An invalid spec is still converted: the textconv shows what the file says.
    assert b"component a: kind clint\n" in textconv(write_spec(tmp_path, "broken", BROKEN))
    # Anything that is not a spec passes through byte for byte.
    for name, data in (
        ("x.yaml", b"just: [unclosed\n"),
        ("ci.yml", b"# CI\non: [push]  # not True\njobs: {test: {runs-on: ubuntu-latest}}\n"),
        ("latin1.yaml", b"mlsd: 1\ntitle: caf\xe9\n"),
        ("list.yaml", b"- mlsd: 1\n"),
    ):
        (tmp_path / name).write_bytes(data)
        assert textconv(tmp_path / name) == data
    report = git_diff_driver(
        ["specs/x.yaml", str(baseline), "0" * 40, "100644", str(specs / "scaled.yaml"), "1" * 40, "100644"]
    )
    assert report.startswith("mlsd diff a/specs/x.yaml b/specs/x.yaml\n")
    assert "  → api → gateway  (same kind and neighbours)" in report
    added = git_diff_driver(["x.yaml", "/dev/null", "0" * 40, "100644", str(baseline), "1" * 40, "100644"])
    assert "+++ b/x.yaml" in added and "+mlsd: 1" in added


# --- through the command line ------------------------------------------------------------------


def test_cli_exit_statuses_and_streams(specs: Path, cli: click.Group, tmp_path: Path) -> None:
    runner = CliRunner()
    same = runner.invoke(cli, ["diff", *_paths(specs, "baseline", "baseline"), "--exit-code"])
    assert same.exit_code == 0 and "no differences" in same.stdout
    differ = runner.invoke(cli, ["diff", *_paths(specs, "baseline", "scaled")])
    assert differ.exit_code == 0 and "+ cache" in differ.stdout
    flagged = runner.invoke(cli, ["diff", *_paths(specs, "baseline", "scaled"), "--exit-code", "-f", "json"])
    assert flagged.exit_code == 1
    assert json.loads(flagged.stdout)["components"]["added"] == ["cache", "metrics", "stream"]
    coloured = runner.invoke(cli, ["diff", *_paths(specs, "baseline", "scaled"), "--color"])
    assert "\x1b[" in coloured.stdout and "\x1b[" not in differ.stdout


def test_cli_invalid_spec_prints_located_errors_and_exits_two(cli: click.Group, tmp_path: Path, specs: Path) -> None:
    broken = write_spec(tmp_path, "broken", BROKEN)
    result = CliRunner().invoke(cli, ["diff", str(broken), str(specs / "baseline.yaml")])
    assert result.exit_code == 2
    assert f"{broken}:4:" in result.stderr and ": error: " in result.stderr
    assert result.stdout == ""


def test_cli_usage_errors_exit_two(cli: click.Group, specs: Path) -> None:
    assert CliRunner().invoke(cli, ["diff", str(specs / "baseline.yaml")]).exit_code == 2
    assert CliRunner().invoke(cli, ["diff", *_paths(specs, "baseline", "scaled"), "--view", "flip"]).exit_code == 2
    bad = CliRunner().invoke(cli, ["diff", *_paths(specs, "baseline", "scaled"), "--rename", "nope=gateway"])
    assert bad.exit_code == 2 and "no component 'nope'" in bad.stderr


def test_cli_writes_pictures_and_says_so(cli: click.Group, specs: Path, tmp_path: Path) -> None:
    pytest.importorskip("diagrams")
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    result = CliRunner().invoke(cli, ["diff", *_paths(specs, "baseline", "scaled"), "-o", str(tmp_path), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert f"mlsd: wrote {tmp_path / 'recsys--recsys-scaled.diff.svg'}" in result.stderr
    assert result.stdout.startswith("## Design diff")
