"""`mlsd render` and the Python API: the files CLI.md promises, and the exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from ._helpers import SPECS, node_titles, png_size, svg_root


def run(*args: str):
    from mlsd.cli import main

    return CliRunner().invoke(main, list(args))


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_render_writes_exactly_the_formats_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", str(SPECS / "same_label.yaml"), "-o", str(out), "-f", "png,svg,dot")
    assert result.exit_code == 0, result.output + result.stderr
    assert files(out) == ["same-label.dot", "same-label.png", "same-label.svg"]
    assert (out / "same-label.dot").read_text().startswith('digraph "same-label" {')
    assert png_size((out / "same-label.png").read_bytes())[0] > 0
    svg_root((out / "same-label.svg").read_bytes())
    assert "wrote 3 files" in result.output
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", str(SPECS / "same_label.yaml"), "-o", str(out), "-f", "gif")
    assert result.exit_code == 2
    assert "gif" in result.stderr
    assert files(out) == []


def test_invalid_spec_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("mlsd: 1\ntitle: Broken\ncomponents:\n  a: {kind: feature-stor}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(bad), "-o", str(out), "-f", "svg")
    assert result.exit_code == 1
    assert "bad.yaml:4:" in result.stderr and "error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert files(out) == []


def test_one_invalid_spec_stops_every_spec(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("mlsd: 1\ntitle: Broken\ncomponents: {}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(SPECS / "same_label.yaml"), str(bad), "-o", str(out), "-f", "svg")
    assert result.exit_code == 1
    assert files(out) == []


def test_steps_writes_numbered_frames(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", str(SPECS / "walkthrough.yaml"), "-o", str(out), "-f", "svg", "--steps")
    assert result.exit_code == 0, result.output + result.stderr
    assert files(out) == ["walkthrough.step-1.svg", "walkthrough.step-2.svg", "walkthrough.step-3.svg",
                          "walkthrough.step-4.svg", "walkthrough.svg"]  # fmt: skip


def test_view_option_writes_the_view(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", str(SPECS / "walkthrough.yaml"), "-o", str(out), "-f", "svg", "--view", "training")
    assert result.exit_code == 0, result.output + result.stderr
    assert files(out) == ["walkthrough.svg", "walkthrough.training.svg"]
    assert set(node_titles((out / "walkthrough.training.svg").read_bytes())) == {"etl", "trainer", "registry"}


def test_unknown_view_through_the_cli_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", str(SPECS / "walkthrough.yaml"), "-o", str(out), "-f", "svg", "--view", "nope")
    assert result.exit_code == 1
    assert "nope" in result.stderr
    assert "Traceback" not in result.stderr
    assert files(out) == []


def test_folder_argument_renders_every_spec_in_it(tmp_path: Path) -> None:
    src = tmp_path / "specs"
    src.mkdir()
    for name in ("same_label", "no_flows"):
        shutil.copy(SPECS / f"{name}.yaml", src / f"{name}.yaml")
    (src / "_draft.yaml").write_text("not: a spec\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(src), "-o", str(out), "-f", "svg")
    assert result.exit_code == 0, result.output + result.stderr
    assert files(out) == ["no-flows.svg", "same-label.svg"]
