"""The JSON Schema accepts what `mlsd validate` accepts, read as editors read it (YAML 1.2).

The real `check-jsonschema` (the tool editors' CI uses, reading YAML 1.2 with
ruamel.yaml) runs over every spec in the repository and every example spec in
the docs; variants that `extends` a base are checked as overlays.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from tests.test_docs_examples import EXAMPLE_DOCS, fenced_blocks

from mlsd.cli import main
from mlsd.schema import spec_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "specs" / "mlsd.schema.json"


def _check_jsonschema() -> list[str]:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("check-jsonschema is not installed: pip install -c constraints.txt -e '.[dev]'")
    return [found, "--schemafile", str(SCHEMA)]


def _run_check(files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_check_jsonschema(), *map(str, files)], capture_output=True, text=True, timeout=120)


def test_every_spec_in_the_repository_passes_check_jsonschema() -> None:
    specs = sorted(ROOT.glob("specs/**/*.yaml")) + sorted((ROOT / "tests" / "load" / "valid").rglob("*.yaml"))
    specs += sorted((ROOT / "src" / "mlsd" / "starters").glob("*.yaml"))
    assert len(specs) > 20
    done = _run_check(specs)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_example_spec_in_the_docs_passes_check_jsonschema(tmp_path: Path) -> None:
    written = []
    for doc in sorted({*EXAMPLE_DOCS, *(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))}):
        for block in fenced_blocks(doc):
            if block.info == "yaml" and block.is_spec:
                path = tmp_path / f"{Path(doc).stem}-{block.line}.yaml"
                path.write_text(block.text, encoding="utf-8")
                written.append(path)
    assert len(written) >= 4
    done = _run_check(written)
    assert done.returncode == 0, done.stdout + done.stderr


# YAML 1.2 as an editor reads it, and as mlsd now reads it too.
AGREED = {
    "yaml-1.2-scalars": (
        "mlsd: 1\ntitle: yes\nrequirements: {latency: 1:30}\n"
        "components:\n  on: {kind: client, tech: 017, label: NO}\n  no: {kind: api-gateway}\nflows: [on -> no]\n",
        True,
    ),
    "variant-changes-one-field": (
        "mlsd: 1\nextends: base.yaml\ncomponents:\n  app: {label: Phone}\n  cache: {kind: cache}\n",
        True,
    ),
    "variant-removes-with-null": ("mlsd: 1\nextends: base.yaml\ncomponents:\n  api: null\nsummary: null\n", True),
    "variant-unknown-key": ("mlsd: 1\nextends: base.yaml\ncomponents:\n  app: {lable: Phone}\n", False),
    "variant-unknown-kind": ("mlsd: 1\nextends: base.yaml\ncomponents:\n  app: {kind: phone}\n", False),
    "spec-without-kind": ("mlsd: 1\ntitle: T\ncomponents:\n  app: {label: App}\n", False),
    "spec-with-null-component": ("mlsd: 1\ntitle: T\ncomponents:\n  app: null\n", False),
    "negative-scale": (
        "mlsd: 1\ntitle: T\nrequirements: {scale: {users: -3}}\ncomponents:\n  app: {kind: client}\n",
        False,
    ),
    "id-too-long": ("mlsd: 1\ntitle: T\ncomponents:\n  " + "a" * 65 + ": {kind: client}\n", False),
    "yes-as-bool": ("mlsd: 1\ntitle: true\ncomponents:\n  app: {kind: client}\n", False),
}
BASE = "mlsd: 1\ntitle: Base\ncomponents:\n  app: {kind: client}\n  api: {kind: api-gateway}\nflows: [app -> api]\n"


@pytest.mark.parametrize("name", sorted(AGREED))
def test_the_schema_and_the_loader_agree(tmp_path: Path, name: str) -> None:
    text, valid = AGREED[name]
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    loaded = CliRunner().invoke(main, ["validate", str(spec)])
    checked = _run_check([spec])
    assert (loaded.exit_code == 0) is valid, loaded.output
    assert (checked.returncode == 0) is valid, checked.stdout


def test_the_schema_is_valid_and_branches_on_extends() -> None:
    schema = spec_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema["if"]["required"] == ["extends"]
    assert set(schema["$defs"]["Spec"]["required"]) == {"mlsd", "title", "components"}
    assert schema["$defs"]["Variant"]["required"] == ["mlsd", "extends"]
    # Overlay definitions are separate: list items (a flow mapping, a metric) keep their required keys.
    assert schema["$defs"]["FlowMapping"]["required"] == ["from", "to"]
    assert "required" not in schema["$defs"]["ComponentOverlay"]


def test_the_committed_schema_is_current() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == spec_schema(), "run `make schema`"
