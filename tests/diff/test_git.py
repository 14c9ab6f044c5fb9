"""REV:PATH sides, and git's textconv, external diff and difftool set up as docs/diff.md says."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from tests.diff.conftest import git

from mlsd.diff import DiffError, DiffSpecError, run_diff

ICON = Path(__file__).resolve().parents[2] / "src" / "mlsd" / "icons" / "inference-server.png"

BASE = """\
mlsd: 1
title: Card fraud
components:
  api:    {kind: api-gateway}
  scorer: {kind: inference-server, icon: icons/scorer.png}
  store:  {kind: feature-store-online, tech: redis}
flows:
  - api -> scorer -> store
"""

VARIANT = """\
mlsd: 1
id: variant
extends: base.yaml
title: Card fraud with a cache
components:
  cache: {kind: cache}
flows:
  - api -> scorer -> store
  - scorer -> cache
"""

FRAUD = """\
mlsd: 1
title: Card fraud
components:
  api:      {kind: api-gateway}
  scorer:   {kind: inference-server}
  features: {kind: feature-store-online, tech: redis}
flows:
  - api -> scorer: score
  - scorer -> features: lookup
"""

# The same design, reordered and respelled, with one real change (the tech)
# and a rename (features -> online_store, with a hint).
FRAUD_2 = """\
mlsd: 1
title: Card fraud
components:
  online_store: {renamed_from: features, tech: dragonfly, kind: feature-store-online}
  scorer:       {kind: inference-server}
  api:          {kind: api-gateway}
flows:
  - {from: scorer, to: online_store, label: lookup}
  - {from: api, to: scorer, label: score}
"""


@pytest.fixture
def repo(tmp_path: Path, git_env: dict[str, str]) -> Path:
    """A repository with two commits: the base spec's store changes tech in the second."""
    root = tmp_path / "repo"
    (root / "specs" / "icons").mkdir(parents=True)
    git(root, "init", "-q")
    shutil.copy(ICON, root / "specs" / "icons" / "scorer.png")
    (root / "specs" / "base.yaml").write_text(BASE, encoding="utf-8")
    (root / "specs" / "variant.yaml").write_text(VARIANT, encoding="utf-8")
    (root / "fraud.yaml").write_text(FRAUD, encoding="utf-8")
    (root / "README.txt").write_text("one\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    (root / "specs" / "base.yaml").write_text(BASE.replace("tech: redis", "tech: dragonfly"), encoding="utf-8")
    (root / "fraud.yaml").write_text(FRAUD_2, encoding="utf-8")
    (root / "README.txt").write_text("two\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    return root


# --- REV:PATH --------------------------------------------------------------------------------


def test_rev_path_reads_the_base_and_icons_from_the_same_revision(repo: Path) -> None:
    result = run_diff("HEAD~1:specs/variant.yaml", "HEAD:specs/variant.yaml", "json", cwd=repo)
    data = json.loads(result.text)
    # The variant file did not change; its base did, in the second commit.
    assert data["components"]["changed"] == [
        {"id": "store", "changes": [{"field": "tech", "old": "redis", "new": "dragonfly"}]}
    ]
    same = run_diff("HEAD:specs/variant.yaml", "specs/variant.yaml", "json", exit_code=True, cwd=repo)
    assert same.status == 0


def test_rev_path_relative_to_the_current_folder(repo: Path) -> None:
    result = run_diff("HEAD~1:./variant.yaml", "variant.yaml", "text", cwd=repo / "specs")
    assert "tech: redis → dragonfly" in result.text


def test_staged_version_is_colon_path(repo: Path) -> None:
    (repo / "fraud.yaml").write_text(FRAUD, encoding="utf-8")
    git(repo, "add", "fraud.yaml")
    (repo / "fraud.yaml").write_text(FRAUD_2, encoding="utf-8")
    staged = json.loads(run_diff(":fraud.yaml", "HEAD~1:fraud.yaml", "json", cwd=repo).text)
    assert staged["components"] == {"added": [], "removed": [], "renamed": [], "changed": []}
    worktree = json.loads(run_diff(":fraud.yaml", "fraud.yaml", "json", cwd=repo).text)
    assert worktree["components"]["renamed"] == [{"from": "features", "to": "online_store"}]


def test_rev_path_sides_are_drawn_with_their_icons(repo: Path, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    out = tmp_path / "pictures"
    result = run_diff("HEAD~1:specs/variant.yaml", "specs/variant.yaml", "text", out, "side-by-side", cwd=repo)
    assert {p.name for p in result.written} >= {"variant--variant.old.svg", "variant--variant.new.svg"}
    svg = (out / "variant--variant.old.svg").read_text(encoding="utf-8")
    assert svg.count("data:image/png;base64,") >= 3  # the custom icon too, read while it existed


@pytest.mark.parametrize(
    ("side", "message"),
    [
        ("nope:specs/variant.yaml", "unknown revision 'nope'"),
        ("HEAD:specs/missing.yaml", "no file 'specs/missing.yaml' in revision 'HEAD'"),
        ("HEAD:../outside.yaml", "leaves the repository"),
        ("--upload-pack=x:specs/base.yaml", "cannot start with '-'"),
    ],
)
def test_bad_revisions_and_paths_are_trouble(repo: Path, side: str, message: str) -> None:
    with pytest.raises(DiffError, match=message) as caught:
        run_diff(side, "specs/variant.yaml", cwd=repo)
    assert caught.value.exit_code == 2


def test_rev_path_outside_a_repository(tmp_path: Path, git_env: dict[str, str]) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.yaml").write_text(FRAUD, encoding="utf-8")
    with pytest.raises(DiffError, match="not inside a git repository"):
        run_diff("HEAD:a.yaml", "a.yaml", cwd=plain)


def test_invalid_spec_in_a_revision_is_located_there(repo: Path) -> None:
    (repo / "broken.yaml").write_text(FRAUD.replace("kind: api-gateway", "kind: api-gatewy"), encoding="utf-8")
    git(repo, "add", "broken.yaml")
    git(repo, "commit", "-q", "-m", "broken")
    with pytest.raises(DiffSpecError) as caught:
        run_diff("HEAD:broken.yaml", "fraud.yaml", cwd=repo)
    assert caught.value.exit_code == 2
    (problem,) = caught.value.problems
    assert str(problem).startswith("HEAD:broken.yaml:4:")
    assert "api-gatewy" in problem.message


def test_cli_exit_status_for_an_unknown_revision(repo: Path, cli: click.Group, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["diff", "nope:fraud.yaml", "fraud.yaml"])
    assert result.exit_code == 2
    assert "unknown revision 'nope'" in result.stderr
    assert "Traceback" not in result.output
    ok = CliRunner().invoke(cli, ["diff", "--exit-code", "HEAD~1:fraud.yaml", "HEAD:fraud.yaml"])
    assert ok.exit_code == 1, ok.output
    assert "→ features → online_store" in ok.stdout


# --- git diff with the textconv, the external driver, and git difftool ---------------------


def _setup_textconv(repo: Path, mlsd_command: str) -> None:
    # What docs/diff.md tells users to do.
    (repo / ".gitattributes").write_text("*.yaml diff=mlsd\n", encoding="utf-8")
    git(repo, "config", "diff.mlsd.textconv", f"{mlsd_command} git-textconv")


def _changed_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.slow
def test_git_diff_shows_canonical_facts_through_the_textconv(repo: Path, mlsd_command: str) -> None:
    _setup_textconv(repo, mlsd_command)
    output = git(repo, "diff", "--no-color", "HEAD~1", "HEAD", "--", "fraud.yaml")
    # Reordering and respelling vanish; the rename and the tech change remain.
    assert sorted(_changed_lines(output)) == [
        "+component online_store: kind feature-store-online",
        "+component online_store: renamed_from features",
        "+component online_store: tech dragonfly",
        "+flow scorer -> online_store label lookup",
        "-component features: kind feature-store-online",
        "-component features: tech redis",
        "-flow scorer -> features label lookup",
    ]
    log = git(repo, "log", "-p", "--no-color", "-1", "--", "fraud.yaml")
    assert "+component online_store: tech dragonfly" in log


@pytest.mark.slow
def test_textconv_reads_variants_as_written(repo: Path, mlsd_command: str) -> None:
    _setup_textconv(repo, mlsd_command)
    # git hands textconv a copy outside the repository, where `extends: base.yaml`
    # cannot be found: both copies are converted as written, so they compare alike.
    (repo / "specs" / "variant.yaml").write_text(VARIANT.replace("Card fraud with a cache", "Cached"), encoding="utf-8")
    output = git(repo, "diff", "--no-color", "HEAD", "--", "specs/variant.yaml")
    assert _changed_lines(output) == ["-title: Card fraud with a cache", "+title: Cached"]


@pytest.mark.slow
def test_textconv_never_breaks_git(repo: Path, mlsd_command: str) -> None:
    _setup_textconv(repo, mlsd_command)
    (repo / "fraud.yaml").write_text("mlsd: [1\n", encoding="utf-8")
    output = git(repo, "diff", "--no-color", "HEAD", "--", "fraud.yaml")
    # Not YAML any more: its text, as written.
    assert "+mlsd: [1" in output


WORKFLOW = """\
# CI: the keys and comments must show exactly as written.
on: [push]
jobs:
  test: {runs-on: ubuntu-latest, steps: [{run: make test}]}
"""


def test_git_diff_shows_a_workflow_as_written_and_a_spec_as_facts(repo: Path, mlsd_command: str) -> None:
    _setup_textconv(repo, mlsd_command)
    workflow = repo / ".github" / "workflows" / "ci.yaml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(WORKFLOW, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "ci")
    workflow.write_text(WORKFLOW.replace("make test", "make test-fast"), encoding="utf-8")
    (repo / "fraud.yaml").write_text(FRAUD_2.replace("tech: dragonfly", "tech: valkey"), encoding="utf-8")
    output = git(repo, "diff", "--no-color", "HEAD")
    assert "-jobs:\n" not in output and " on: [push]\n" in output and " # CI: the keys" in output
    assert "+  test: {runs-on: ubuntu-latest, steps: [{run: make test-fast}]}" in output
    assert "+component online_store: tech valkey" in output


@pytest.mark.slow
def test_external_diff_driver_prints_the_semantic_report(
    repo: Path, mlsd_command: str, git_env: dict[str, str]
) -> None:
    env = dict(git_env, GIT_EXTERNAL_DIFF=f"{mlsd_command} git-diff-driver")
    output = git(repo, "diff", "--ext-diff", "HEAD~1", "HEAD", env=env)
    assert "mlsd diff a/fraud.yaml b/fraud.yaml" in output
    assert "  → features → online_store  (renamed_from)" in output
    assert "      tech: redis → dragonfly" in output
    # A file that is not a spec still gets an ordinary diff.
    assert "-one" in output and "+two" in output


def test_difftool_runs_mlsd_diff_alongside_the_textconv(repo: Path, mlsd_command: str) -> None:
    _setup_textconv(repo, mlsd_command)
    git(repo, "config", "difftool.mlsd.cmd", f'{mlsd_command} diff "$LOCAL" "$REMOTE"')
    done = subprocess.run(
        ["git", "difftool", "-y", "-t", "mlsd", "HEAD~1", "HEAD", "--", "fraud.yaml"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "→ features → online_store  (renamed_from)" in done.stdout
    assert "tech: redis → dragonfly" in done.stdout
