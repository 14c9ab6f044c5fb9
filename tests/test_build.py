"""`mlsd build`: every output of a folder, an index, and skipping what did not change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.build import MANIFEST
from mlsd.cli import main

BASE = """\
mlsd: 1
title: {title}
components:
  app:   {{kind: client}}
  model: {{kind: inference-server, group: online}}
  store: {{kind: feature-store-online}}
groups:
  online: {{label: Online}}
flows:
  - app -> model -> store: predict
views:
  serving: {{title: Serving only, include: [online]}}
"""

VARIANT = """\
mlsd: 1
extends: alpha.yaml
title: Alpha, scaled
components:
  cache: {kind: cache}
flows:
  - app -> model -> store: predict
  - model -> cache
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "alpha.yaml").write_text(BASE.format(title="Alpha"), encoding="utf-8")
    (specs / "beta.yaml").write_text(BASE.format(title="Beta"), encoding="utf-8")
    (specs / "alpha-scaled.yaml").write_text(VARIANT, encoding="utf-8")
    return specs


def build(folder: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), *extra])
    assert "Traceback" not in result.output + result.stderr
    return result


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}


def test_build_writes_every_output_and_an_index(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 0, result.stderr
    assert "built 3 specs, 0 unchanged" in result.output
    names = {p.name for p in out.iterdir()}
    for spec_id in ("alpha", "beta", "alpha-scaled"):
        for ext in ("png", "svg", "md", "html"):
            assert f"{spec_id}.{ext}" in names
        assert f"{spec_id}.serving.svg" in names  # every view
    assert {"index.md", "index.html", MANIFEST} <= names
    index = (out / "index.md").read_text(encoding="utf-8")
    for title, spec_id in (("Alpha", "alpha"), ("Beta", "beta"), ("Alpha, scaled", "alpha-scaled")):
        assert f"## {title}" in index
        assert f"({spec_id}.svg)" in index and f"({spec_id}.md)" in index
    assert "a variant of alpha.yaml" in index
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('<section class="card">') == 3


@pytest.mark.slow
def test_an_unchanged_rebuild_skips_everything(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    before, manifest_written = mtimes(out), (out / MANIFEST).stat().st_mtime_ns
    result = build(folder, out)
    assert result.exit_code == 0
    assert "built 0 specs, 3 unchanged" in result.output
    after = mtimes(out)
    # Nothing is written: not a picture, not an explanation, not the index or the manifest.
    assert after == before
    assert (out / MANIFEST).stat().st_mtime_ns == manifest_written


@pytest.mark.slow
def test_a_changed_spec_is_rebuilt_alone(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    (folder / "beta.yaml").write_text(BASE.format(title="Beta two"), encoding="utf-8")
    result = build(folder, out)
    assert "built 1 spec, 2 unchanged" in result.output
    assert "Beta two" in (out / "beta.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_changed_base_rebuilds_its_variants(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    (folder / "alpha.yaml").write_text(BASE.format(title="Alpha two"), encoding="utf-8")
    result = build(folder, out)
    # alpha and the variant that extends it; beta is untouched.
    assert "built 2 specs, 1 unchanged" in result.output


@pytest.mark.slow
def test_a_missing_output_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    (out / "beta.png").unlink()
    result = build(folder, out)
    assert "built 1 spec, 2 unchanged" in result.output
    assert (out / "beta.png").is_file()


@pytest.mark.slow
def test_force_rebuilds_everything(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(folder, out)
    assert "built 3 specs, 0 unchanged" in build(folder, out, "--force").output


@pytest.mark.slow
def test_parallel_jobs_give_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build(folder, one, "-j", "1")
    build(folder, two, "-j", "2")
    for path in one.iterdir():
        if path.name != MANIFEST:
            assert path.read_bytes() == (two / path.name).read_bytes(), path.name
    assert json.loads((one / MANIFEST).read_text()) == json.loads((two / MANIFEST).read_text())


def test_jobs_default_to_the_cores_this_process_may_use(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlsd.build
    import mlsd.render.engine

    asked: list[int] = []
    real = mlsd.build.build

    def spy(*args, **kwargs):
        asked.append(kwargs["jobs"])
        return real(*args, **kwargs)

    monkeypatch.setattr(mlsd.build, "build", spy)
    monkeypatch.setattr(mlsd.render.engine, "usable_cores", lambda: 3)
    build(folder, tmp_path / "out")
    build(folder, tmp_path / "out", "-j", "1")
    assert asked == [3, 1]


def test_an_invalid_spec_stops_the_build_before_anything_is_written(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.yaml").write_text("mlsd: 1\ntitle: x\ncomponents: {a: {kind: clent}}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 1
    assert "broken.yaml:3:" in result.stderr and "did you mean 'client'" in result.stderr
    assert not out.exists()


def test_two_specs_with_one_id_are_refused(folder: Path, tmp_path: Path) -> None:
    (folder / "other.yaml").write_text("id: beta\n" + BASE.format(title="Other"), encoding="utf-8")
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 1
    assert "spec id 'beta' is also the id of" in result.stderr
    assert not out.exists()


def test_each_spec_is_laid_out_once_per_picture_it_has(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlsd.render
    from mlsd.vocabulary import DIRECTIONS

    real, runs = mlsd.render.arrange, []
    monkeypatch.setattr(mlsd.render, "arrange", lambda *args: runs.append(1) or real(*args))
    (folder / "alpha-scaled.yaml").unlink()
    assert "built 2 specs" in build(folder, tmp_path / "out", "-j", "1").output
    # Each spec: its picture and its one view, one layout in each direction; the
    # practice picture and the explanation's picture are drawn on the picture's layout.
    assert len(runs) == 2 * 2 * len(DIRECTIONS)
    practice = (tmp_path / "out" / "alpha.practice.svg").read_bytes()
    CliRunner().invoke(main, ["practice", str(folder / "alpha.yaml"), "-o", str(tmp_path / "alone")])
    assert (tmp_path / "alone" / "alpha.practice.svg").read_bytes() == practice
