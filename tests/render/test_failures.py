"""Failures: nothing half-written, Graphviz missing or stuck, all as RenderError."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import mlsd.render
from mlsd.cli import main
from mlsd.errors import RenderError, TemplateError
from mlsd.outputs import write_spec_outputs
from mlsd.render import RenderOptions
from mlsd.render.engine import INSTALL_HINT

from ._helpers import SPECS, spec


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones included, by relative name."""
    return (
        {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
        if folder.exists()
        else {}
    )


# --- atomic writes ----------------------------------------------------------------------


def test_failure_on_second_picture_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "walkthrough.svg").write_bytes(b"old svg")
    (out / "walkthrough.step-1.png").write_bytes(b"old png")
    before = listing(out)

    real_draw = mlsd.render.draw
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args[3] if len(args) > 3 else kwargs.get("what"))
        if len(calls) == 2:
            raise RenderError("simulated Graphviz crash on the second picture")
        return real_draw(*args, **kwargs)

    monkeypatch.setattr(mlsd.render, "draw", flaky)
    with pytest.raises(RenderError, match="second picture"):
        write_spec_outputs(spec("walkthrough"), out, RenderOptions(formats=("svg", "png")), steps=True)
    # Pictures are drawn in parallel, so others may have been drawn after the crash.
    assert len(calls) >= 2, "draw was not reached twice: the test did not fail midway"
    assert listing(out) == before
    assert not [name for name in os.listdir(out) if name.endswith(".tmp")]


def test_failing_explanation_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "explanation.md.j2").write_text("{{ no_such_name }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="no_such_name"):
        write_spec_outputs(spec("same_label"), out, RenderOptions(formats=("svg", "md")), templates=templates)
    assert listing(out) == {}


def test_success_replaces_old_outputs_and_leaves_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "same-label.svg").write_bytes(b"old")
    written, _ = write_spec_outputs(spec("same_label"), out, RenderOptions(formats=("svg", "dot")))
    assert sorted(p.name for p in written) == ["same-label.dot", "same-label.svg"]
    assert (out / "same-label.svg").read_bytes().startswith(b"<?xml")
    assert sorted(os.listdir(out)) == ["same-label.dot", "same-label.svg"]


# --- Graphviz missing -------------------------------------------------------------------


@pytest.fixture
def no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_missing_graphviz_is_a_render_error_with_the_hint(no_graphviz, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RenderError) as caught:
        write_spec_outputs(spec("same_label"), out, RenderOptions(formats=("svg", "png")))
    assert INSTALL_HINT in str(caught.value)
    assert "apt-get install graphviz" in str(caught.value)
    assert listing(out) == {}


def test_missing_graphviz_through_the_cli(no_graphviz, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(SPECS / "same_label.yaml"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert INSTALL_HINT in result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert listing(out) == {}


# --- Graphviz stuck ---------------------------------------------------------------------


def test_graphviz_timeout_names_the_spec_and_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def stuck(cmd, *args, timeout=None, **kwargs):
        raise subprocess.TimeoutExpired(cmd, timeout)

    monkeypatch.setattr("mlsd.render.engine.subprocess.run", stuck)
    loaded = spec("same_label")
    with pytest.raises(RenderError) as caught:
        write_spec_outputs(loaded, tmp_path / "out", RenderOptions(formats=("svg",), timeout=12.5))
    message = str(caught.value)
    assert loaded.source.shown in message and "same_label.yaml" in message
    assert "12.5 s" in message
    assert listing(tmp_path / "out") == {}


def test_graphviz_failure_is_a_render_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(cmd, *args, **kwargs):
        return subprocess.CompletedProcess(cmd, 3, b"", b"Error: something inside Graphviz broke\n")

    monkeypatch.setattr("mlsd.render.engine.subprocess.run", broken)
    with pytest.raises(RenderError, match="something inside Graphviz broke"):
        write_spec_outputs(spec("same_label"), tmp_path / "out", RenderOptions(formats=("svg",)))
    assert listing(tmp_path / "out") == {}
