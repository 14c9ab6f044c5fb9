"""The committed gallery in output/ is what `mlsd build specs -o output` produces now."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.build import index_text
from mlsd.explain import explain
from mlsd.load import load_spec, spec_files

ROOT = Path(__file__).resolve().parents[1]
SPECS = [path.relative_to(ROOT) for path in spec_files([ROOT / "specs"])]
OUTPUT = ROOT / "output"
STALE = "output/ is stale: run `make demo` and commit output/"


@pytest.fixture(autouse=True)
def from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # `make demo` runs in the repository root, and outputs name specs relative to it.
    monkeypatch.chdir(ROOT)


def test_the_library_has_every_case() -> None:
    # 18 canonical cases plus at least three variants made with `extends`.
    specs = [load_spec(path) for path in SPECS]
    assert len(specs) >= 21
    assert sum(spec.extends is not None for spec in specs) >= 3
    assert all(len(spec.components) >= 8 for spec in specs)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_committed_explanation_is_current(path: Path) -> None:
    spec = load_spec(path)
    committed = OUTPUT / f"{spec.id}.md"
    assert committed.is_file(), STALE
    produced = explain(spec, "md", picture_name=f"{spec.id}.svg")
    assert committed.read_text(encoding="utf-8") == produced, STALE
    for name in [spec.id, *(f"{spec.id}.{view}" for view in spec.views)]:
        assert (OUTPUT / f"{name}.svg").is_file(), STALE


def test_committed_index_is_current() -> None:
    specs = [load_spec(path) for path in SPECS]
    # The build manifest (output/.mlsd-build.json) is not tracked: it is local build state.
    for fmt in ("md", "html"):
        assert (OUTPUT / f"index.{fmt}").read_text(encoding="utf-8") == index_text(specs, fmt), STALE
