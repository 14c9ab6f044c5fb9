"""Adding a component kind is one entry in mlsd/data/catalogue.yaml (plus its glyph).

The test copies the package, adds a kind to the copy's catalogue and nothing
else, and runs every command on a design that uses it, in a fresh process that
imports the copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mlsd

pytestmark = pytest.mark.slow

NEW_KIND = """\
  shadow-scorer:
    stage: serving
    role: >-
      Scores live traffic with a candidate model without answering the caller.
    icon: {glyph: shadow-scorer.png}
    traits: [online-model]
"""

SPEC = """\
mlsd: 1
title: Shadow scoring
components:
  user: {kind: client}
  shadow: {kind: shadow-scorer, label: Shadow scorer}
  metrics: {kind: monitoring}
flows:
  - user -> shadow: score
  - shadow -> metrics
"""


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package whose catalogue has one kind more."""
    root = tmp_path_factory.mktemp("copy")
    package = Path(mlsd.__file__).parent
    shutil.copytree(package, root / "mlsd", symlinks=False, ignore=shutil.ignore_patterns("__pycache__"))
    catalogue = root / "mlsd" / "data" / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("\nkinds:\n", "\nkinds:\n" + NEW_KIND, 1), encoding="utf-8")
    icons = root / "mlsd" / "icons"
    shutil.copy(icons / "inference-server.png", icons / "shadow-scorer.png")
    (root / "shadow.yaml").write_text(SPEC, encoding="utf-8")
    return root


def run(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    return subprocess.run(
        [sys.executable, "-m", "mlsd", *args], cwd=copy, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_copy_is_the_one_imported(copy: Path) -> None:
    done = run(copy, "kinds", "-f", "json")
    assert done.returncode == 0, done.stderr
    kinds = {k["name"]: k for k in json.loads(done.stdout)["kinds"]}
    assert kinds["shadow-scorer"]["stage"] == "serving"


def test_every_command_takes_the_new_kind(copy: Path) -> None:
    assert run(copy, "validate", "shadow.yaml").returncode == 0
    schema = json.loads(run(copy, "schema").stdout)
    assert "shadow-scorer" in json.dumps(schema)
    done = run(copy, "render", "shadow.yaml", "-o", "out", "-f", "svg,md,mmd,d2")
    assert done.returncode == 0, done.stderr
    assert "Shadow scorer" in (copy / "out" / "shadow.svg").read_text(encoding="utf-8")
    explanation = (copy / "out" / "shadow.md").read_text(encoding="utf-8")
    assert "Shadow scorer" in explanation and "Serving" in explanation
    for fmt in ("mermaid", "d2", "dot"):
        exported = run(copy, "export", "shadow.yaml", "--to", fmt)
        assert exported.returncode == 0 and "Shadow scorer" in exported.stdout, exported.stderr


def test_the_traits_of_the_new_kind_are_what_the_review_asks(copy: Path) -> None:
    done = run(copy, "check", "shadow.yaml", "-f", "json", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    # The request path reaches a kind with the online-model trait, so these do not fire.
    assert "unreachable-model" not in rules
    assert "orphan-component" not in rules
