"""Faults outside mlsd: Graphviz missing, crashing or stuck; output folders that refuse writes;
spec files that cannot be read; and `build --keep-going` when some specs fail."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import mlsd.atomic
from mlsd.build import MANIFEST
from mlsd.render.engine import INSTALL_HINT

from ._support import (
    LOCATED,
    REAL_DOT,
    assert_clean,
    enospc,
    fake_graphviz,
    invoke,
    path_with,
    run_mlsd,
    snapshot,
    svg_root,
    temporaries,
    write_yaml,
)

pytestmark = [pytest.mark.skipif(REAL_DOT is None, reason="Graphviz is not installed"), pytest.mark.slow]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def spec_data(title: str = "Spec") -> dict:
    return {
        "mlsd": 1,
        "title": title,
        "components": {
            "app": {"kind": "client"},
            "model": {"kind": "inference-server"},
            "watch": {"kind": "monitoring"},
        },
        "flows": ["app -> model: predict", "model -> watch"],
    }


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    write_yaml(folder / "alpha.yaml", spec_data("Alpha"))
    write_yaml(folder / "beta.yaml", spec_data("Beta"))
    return folder


# --- Graphviz missing ----------------------------------------------------------------------


@pytest.fixture
def no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.mark.parametrize("command", ["build", "explain-html", "render-two"])
def test_missing_graphviz_gives_the_install_hint(command: str, specs: Path, tmp_path: Path, no_graphviz) -> None:
    """(`render` of one spec is covered in tests/render/test_failures.py.)"""
    out = tmp_path / "out"
    args = {
        "build": ["build", specs, "-o", out],
        "explain-html": ["explain", specs / "alpha.yaml", "-f", "html"],
        "render-two": ["render", specs, "-o", out, "-f", "svg,md"],
    }[command]
    result = invoke(*args)
    assert_clean(result, (1,), command)
    assert INSTALL_HINT in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_missing_graphviz_is_trouble_for_a_diff_picture(specs: Path, tmp_path: Path, no_graphviz) -> None:
    result = invoke("diff", specs / "alpha.yaml", specs / "beta.yaml", "-o", tmp_path / "pictures")
    assert_clean(result, (2,))
    assert INSTALL_HINT in result.stderr


# --- Graphviz crashing ---------------------------------------------------------------------

CRASHES = {
    "dot-exits-1": {"dot": 'echo "Error: simulated Graphviz failure" >&2; exit 1'},
    "dot-segfaults": {"dot": "kill -SEGV $$"},
    "neato-killed": {"neato": "kill -KILL $$"},
    "dot-prints-nothing": {"dot": "cat >/dev/null; exit 0"},
    "neato-prints-garbage": {"neato": "cat >/dev/null; echo 'not a graph {{{'; exit 0"},
}


@pytest.mark.parametrize("crash", sorted(CRASHES))
@pytest.mark.parametrize("command", ["render", "build"])
def test_a_crashing_graphviz_is_a_clear_error_naming_the_spec(
    crash: str, command: str, specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_with(fake_graphviz(tmp_path, **CRASHES[crash])))
    out = tmp_path / "out"
    target = specs / "alpha.yaml" if command == "render" else specs
    result = invoke(command, target, "-o", out)
    assert_clean(result, (1,), f"{command} with {crash}")
    errors = [line for line in result.stderr.splitlines() if line.startswith("mlsd: error:")]
    assert errors, result.stderr
    assert "alpha.yaml" in errors[0] and "Graphviz" in errors[0], errors[0]
    assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())


# --- Graphviz stuck ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["render", "build"])
def test_a_stuck_graphviz_is_stopped_at_the_time_limit(command: str, specs: Path, tmp_path: Path) -> None:
    bin_dir = fake_graphviz(tmp_path, dot="exec sleep 30")  # `dot -V` still answers
    env = dict(os.environ, PATH=path_with(bin_dir))
    target = specs / "alpha.yaml" if command == "render" else specs
    run = run_mlsd([command, str(target), "-o", str(tmp_path / "out"), "--timeout", "1"], env=env, limit=20)
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert run.seconds < 8, f"took {run.seconds:.1f} s with --timeout 1"
    assert "Traceback" not in run.stderr
    assert "alpha.yaml" in run.stderr and "1 s" in run.stderr, run.stderr


def test_a_stuck_graphviz_render_stops_even_if_dot_never_answers(specs: Path, tmp_path: Path) -> None:
    bin_dir = fake_graphviz(tmp_path, dot="ALL:exec sleep 30")
    env = dict(os.environ, PATH=path_with(bin_dir))
    run = run_mlsd(
        ["render", str(specs / "alpha.yaml"), "-o", str(tmp_path / "out"), "--timeout", "1"], env=env, limit=20
    )
    assert run.returncode == 1 and run.seconds < 8, (run.returncode, run.seconds, run.stderr)
    assert "alpha.yaml" in run.stderr and "1 s" in run.stderr, run.stderr


def test_a_stuck_graphviz_build_stops_at_the_time_limit_even_if_dot_never_answers(specs: Path, tmp_path: Path) -> None:
    bin_dir = fake_graphviz(tmp_path, dot="ALL:exec sleep 30")
    env = dict(os.environ, PATH=path_with(bin_dir))
    run = run_mlsd(["build", str(specs), "-o", str(tmp_path / "out"), "--timeout", "1"], env=env, limit=7)
    assert run.returncode == 1, (run.returncode, run.seconds, run.stderr)
    assert run.seconds < 6, f"took {run.seconds:.1f} s with --timeout 1"
    # The build asks `dot -V` first (its version is part of the cache key); a hang
    # there is named as such, a hang later names the spec.
    assert ("alpha.yaml" in run.stderr or "dot -V" in run.stderr) and "1 s" in run.stderr, run.stderr


# --- output folders that refuse writes -----------------------------------------------------


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder mlsd cannot write into: read-only, or (as root, where chmod does not stop
    writes) a path under a regular file."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder\n", encoding="utf-8")
        return blocker / "sub"
    return folder


@pytest.fixture
def restore_modes(tmp_path: Path):
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


@pytest.mark.parametrize("command", ["render", "build", "explain"])
def test_an_unwritable_output_folder_is_a_clear_error(command: str, specs: Path, tmp_path: Path, restore_modes) -> None:
    out = unwritable_folder(tmp_path)
    args = {
        "render": ["render", specs / "alpha.yaml", "-o", out, "-f", "svg,md"],
        "build": ["build", specs, "-o", out],
        "explain": ["explain", specs / "alpha.yaml", "-o", out / "alpha.md"],
    }[command]
    result = invoke(*args)
    assert_clean(result, (1,), command)
    assert re.search(r"^mlsd: error: cannot write .+", result.stderr, re.M), result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr


@pytest.mark.parametrize("command", ["render", "build", "explain"])
def test_a_full_disk_is_a_clear_error_and_keeps_earlier_outputs(
    command: str, specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("render", specs / "alpha.yaml", "-o", out, "-f", "svg,md"), (0,))
    (out / "alpha.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'>earlier</svg>")
    before = snapshot(out)
    monkeypatch.setattr(mlsd.atomic.os, "replace", enospc)
    args = {
        "render": ["render", specs / "alpha.yaml", "-o", out, "-f", "svg,md"],
        "build": ["build", specs, "-o", out],
        "explain": ["explain", specs / "alpha.yaml", "-o", out / "alpha.md"],
    }[command]
    result = invoke(*args)
    assert_clean(result, (1,), command)
    assert "No space left on device" in result.stderr, result.stderr
    assert snapshot(out) == before, "a failed write changed or left files"
    assert not temporaries(out)


@pytest.mark.parametrize("fault", ["unwritable", "full"])
def test_a_diff_picture_that_cannot_be_written_is_trouble(
    fault: str, specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_modes
) -> None:
    out = unwritable_folder(tmp_path) if fault == "unwritable" else tmp_path / "pictures"
    if fault == "full":
        monkeypatch.setattr(mlsd.atomic.os, "replace", enospc)
    result = invoke("diff", specs / "alpha.yaml", specs / "beta.yaml", "-o", out, "--exit-code")
    assert_clean(result, (2,), "diff")
    assert "cannot write" in result.stderr


# --- spec files that cannot be read --------------------------------------------------------


def unreadable_spec(tmp_path: Path) -> Path:
    """A spec whose read fails: mode 000, or (as root, who reads anything) a link to /proc/self/mem,
    whose first page is never mapped, so reading it fails with EIO."""
    path = tmp_path / "specs" / "unreadable.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("mlsd: 1\ntitle: Secret\ncomponents:\n  app: {kind: client}\n", encoding="utf-8")
    path.chmod(0o000)
    if os.access(path, os.R_OK):
        path.unlink()
        if not Path("/proc/self/mem").exists():
            pytest.skip("running as root without /proc/self/mem: no way to make a file unreadable")
        path.symlink_to("/proc/self/mem")
    return path


@pytest.mark.parametrize("command", ["validate", "render", "check", "explain", "diff"])
def test_an_unreadable_spec_is_a_located_error(command: str, tmp_path: Path) -> None:
    path = unreadable_spec(tmp_path)
    other = write_yaml(tmp_path / "other.yaml", spec_data())
    out = tmp_path / "out"
    args = {
        "validate": ["validate", path],
        "render": ["render", path, "-o", out],
        "check": ["check", path],
        "explain": ["explain", path],
        "diff": ["diff", path, other],
    }[command]
    result = invoke(*args)
    assert_clean(result, (2,) if command == "diff" else (1,), command)
    assert re.search(r"unreadable\.yaml:1:1: error: cannot read the file: \S", result.stderr), result.stderr
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_specs_folder_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    write_yaml(folder / "good.yaml", spec_data())
    os.mkfifo(folder / "pipe.yaml")
    run = run_mlsd(["validate", str(folder)], limit=15)
    assert run.returncode == 0 and "1 spec valid" in run.stdout, (run.returncode, run.stdout, run.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_given_as_a_spec_is_refused_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    run = run_mlsd(["validate", str(pipe)], limit=5)
    assert run.returncode == 1, f"exit {run.returncode} after {run.seconds:.1f} s (None: still waiting)"
    assert re.search(r"pipe\.yaml:1:1: error: ", run.stderr), run.stderr


# --- build --keep-going --------------------------------------------------------------------

CRASH_ON_MARKER = '''input=$(cat)
case "$input" in *CRASHME*) echo "Error: simulated crash" >&2; exit 1;; esac
printf '%s\\n' "$input" | exec "{dot}" "$@"'''


@pytest.fixture
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Specs: aa builds, mm is invalid, zz makes Graphviz fail."""
    folder = tmp_path / "mixed"
    write_yaml(folder / "aa.yaml", spec_data("Good one"))
    write_yaml(folder / "mm.yaml", {"mlsd": 1, "title": "Invalid", "components": {}})
    write_yaml(folder / "zz.yaml", spec_data("CRASHME"))
    monkeypatch.setenv("PATH", path_with(fake_graphviz(tmp_path, dot=CRASH_ON_MARKER.format(dot=REAL_DOT))))
    return folder


def test_keep_going_builds_the_others_and_sums_up(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", mixed, "-o", out, "--keep-going")
    assert_clean(result, (1,), "build --keep-going")
    assert re.search(r"^built 1 spec, 0 unchanged, 2 failed\b", result.output, re.M), result.output
    assert re.search(r"mm\.yaml:\d+:\d+: error: ", result.stderr), result.stderr
    assert re.search(r"^mlsd: error: .*zz\.yaml.*simulated crash", result.stderr, re.M), result.stderr
    names = {p.name for p in out.iterdir()}
    assert {"aa.svg", "aa.png", "aa.md", "aa.html", "index.md", "index.html", MANIFEST} <= names
    assert not {n for n in names if n.startswith(("mm.", "zz."))}, names
    svg_root((out / "aa.svg").read_bytes())
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["specs"]) == ["aa"]
    assert "Good one" in (out / "index.md").read_text(encoding="utf-8")
    assert "CRASHME" not in (out / "index.md").read_text(encoding="utf-8")
    # Fixed specs are built next time; the good one is not rebuilt.
    write_yaml(mixed / "mm.yaml", spec_data("Fixed"))
    write_yaml(mixed / "zz.yaml", spec_data("Fixed too"))
    again = invoke("build", mixed, "-o", out, "--keep-going")
    assert_clean(again, (0,))
    assert "built 2 specs, 1 unchanged, 0 failed" in again.output


def test_without_keep_going_an_invalid_spec_writes_nothing(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", mixed, "-o", out)
    assert_clean(result, (1,))
    assert LOCATED.search(result.stderr)
    assert not out.exists()


def test_without_keep_going_a_graphviz_failure_writes_nothing(mixed: Path, tmp_path: Path) -> None:
    (mixed / "mm.yaml").unlink()
    out = tmp_path / "out"
    result = invoke("build", mixed, "-o", out)
    assert_clean(result, (1,))
    assert "zz.yaml" in result.stderr
    assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())
