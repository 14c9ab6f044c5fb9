"""The second round of hostile inputs and faults, output side: nothing read from outside the
named folder, nothing half-written, no internal error a user can cause.

Every fault is injected (a monkeypatched write that fills the disk, a Graphviz that fails on
one spec, a name the file system refuses), and every test checks that earlier outputs are
byte-identical afterwards.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import mlsd.atomic
from mlsd.build import MANIFEST

from ._support import (
    LOCATED,
    REAL_DOT,
    assert_clean,
    fake_graphviz,
    invoke,
    path_with,
    snapshot,
    temporaries,
    write_yaml,
)

pytestmark = [pytest.mark.skipif(REAL_DOT is None, reason="Graphviz is not installed"), pytest.mark.slow]
SECRET = "Outside secret design"


def spec_data(title: str = "Spec", **extra: object) -> dict:
    return {
        "mlsd": 1,
        "title": title,
        "components": {
            "app": {"kind": "client"},
            "model": {"kind": "inference-server", "group": "online"},
            "watch": {"kind": "monitoring"},
        },
        "groups": {"online": {"label": "Online"}},
        "flows": ["app -> model: predict", "model -> watch"],
        **extra,
    }


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    write_yaml(folder / "alpha.yaml", spec_data("Alpha"))
    write_yaml(folder / "beta.yaml", spec_data("Beta"))
    return folder


# --- reading: a folder walk stays inside the folder ----------------------------------------


def _leaky_folder(tmp_path: Path, how: str) -> Path:
    outside = tmp_path / "outside"
    write_yaml(outside / "secret.yaml", spec_data(SECRET, id="secret"))
    folder = tmp_path / "specs"
    write_yaml(folder / "alpha.yaml", spec_data("Alpha"))
    if how == "file":
        (folder / "leak.yaml").symlink_to(outside / "secret.yaml")
    elif how == "folder":
        (folder / "shared").symlink_to(outside, target_is_directory=True)
    else:  # a link inside a subfolder, pointing up and out with a relative path
        (folder / "deep").mkdir()
        (folder / "deep" / "leak.yaml").symlink_to(Path("..") / ".." / "outside" / "secret.yaml")
    return folder


@pytest.mark.parametrize("how", ["file", "folder", "relative"])
@pytest.mark.parametrize("command", ["validate", "build", "render", "check"])
def test_a_symlink_out_of_a_specs_folder_is_refused(how: str, command: str, tmp_path: Path) -> None:
    folder = _leaky_folder(tmp_path, how)
    out = tmp_path / "out"
    args = {
        "validate": ["validate", folder],
        "build": ["build", folder, "-o", out],
        "render": ["render", folder, "-o", out, "-f", "svg,mmd,md"],
        "check": ["check", folder],
    }[command]
    before = snapshot(tmp_path)
    result = invoke(*args)
    text = assert_clean(result, (1,), command)
    assert LOCATED.search(result.stderr), result.stderr
    assert "outside" in result.stderr and "symlink" in result.stderr, result.stderr
    assert SECRET not in text, "values from the outside file were shown"
    assert snapshot(tmp_path) == before, "a refused run wrote something"


def test_build_keep_going_still_reads_nothing_from_outside(tmp_path: Path) -> None:
    folder = _leaky_folder(tmp_path, "file")
    out = tmp_path / "out"
    result = invoke("build", folder, "-o", out, "--keep-going")
    assert_clean(result, (1,), "build --keep-going")
    assert "symlink" in result.stderr
    for path in out.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path.name
    assert (out / "alpha.svg").is_file()


def test_a_symlink_loop_in_a_specs_folder_is_a_located_error(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    write_yaml(folder / "alpha.yaml", spec_data("Alpha"))
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "up").symlink_to("..", target_is_directory=True)  # leaves the folder: refused too
    result = invoke("validate", folder)
    assert_clean(result, (1,), "validate")
    assert re.search(r"self\.yaml:1:1: error: is a symlink loop", result.stderr), result.stderr
    assert re.search(r"up:1:1: error: is a symlink to .*outside", result.stderr), result.stderr


def test_an_unreadable_subfolder_is_an_error_not_a_skip(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = specs / "private"
    write_yaml(private / "hidden.yaml", spec_data("Hidden"))
    real = os.scandir

    def refuse(path: object = "."):
        # The test runs as root, who reads every folder: the refusal is injected.
        if Path(str(path)) == private:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    out = tmp_path / "out"
    for args in (["validate", specs], ["build", specs, "-o", out], ["check", specs]):
        result = invoke(*args)
        assert_clean(result, (1,), args[0])
        assert re.search(r"private:1:1: error: cannot read the folder: Permission denied", result.stderr), result.stderr
        assert "specs valid" not in result.output
    assert not out.exists()


# --- writing: all or nothing per command ---------------------------------------------------

ALL_FORMATS = "png,svg,pdf,md,html,dot,mmd,d2"


def _failing_after(count: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From the `count`+1-th file on, writing a file fills the disk."""
    real = os.open
    opened: list[str] = []

    def full(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            opened.append(str(path))
            if len(opened) > count:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(mlsd.atomic.os, "open", full)
    return opened


@pytest.mark.parametrize("count", [0, 3, 7])
def test_a_disk_full_mid_render_leaves_every_earlier_output(
    count: int, specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("render", specs, "-o", out, "-f", ALL_FORMATS), (0,))
    write_yaml(specs / "alpha.yaml", spec_data("Alpha changed"))
    write_yaml(specs / "beta.yaml", spec_data("Beta changed"))
    before = snapshot(out)
    opened = _failing_after(count, monkeypatch)
    result = invoke("render", specs, "-o", out, "-f", ALL_FORMATS)
    assert_clean(result, (1,), "render")
    assert "No space left on device" in result.stderr
    assert len(opened) == count + 1
    assert snapshot(out) == before, "a failed render changed earlier outputs"
    assert not temporaries(out)


@pytest.mark.parametrize("count", [0, 5])
def test_a_disk_full_mid_build_leaves_every_earlier_output(
    count: int, specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("build", specs, "-o", out), (0,))
    write_yaml(specs / "alpha.yaml", spec_data("Alpha changed"))
    before = snapshot(out)
    _failing_after(count, monkeypatch)
    result = invoke("build", specs, "-o", out)
    assert_clean(result, (1,), "build")
    assert snapshot(out) == before, "a failed build changed earlier outputs"
    assert not temporaries(out)


def test_a_rename_failing_midway_puts_back_the_files_already_replaced(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("render", specs, "-o", out, "-f", "svg,md,mmd"), (0,))
    write_yaml(specs / "beta.yaml", spec_data("Beta changed"))
    before = snapshot(out)
    real = os.replace
    calls = []

    def third_fails(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(mlsd.atomic.os, "replace", third_fails)
    result = invoke("render", specs, "-o", out, "-f", "svg,md,mmd")
    assert_clean(result, (1,), "render")
    assert "cannot write" in result.stderr
    assert snapshot(out) == before
    assert not temporaries(out)


CRASH_ON_MARKER = '''input=$(cat)
case "$input" in *CRASHME*) echo "Error: simulated crash" >&2; exit 1;; esac
printf '%s\\n' "$input" | exec "{dot}" "$@"'''


def test_a_later_spec_that_makes_graphviz_fail_leaves_the_earlier_ones(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("render", specs / "alpha.yaml", specs / "beta.yaml", "-o", out, "-f", "svg,png,md"), (0,))
    write_yaml(specs / "alpha.yaml", spec_data("Alpha changed"))  # would be rendered first
    write_yaml(specs / "beta.yaml", spec_data("CRASHME"))
    before = snapshot(out)
    monkeypatch.setenv("PATH", path_with(fake_graphviz(tmp_path, dot=CRASH_ON_MARKER.format(dot=REAL_DOT))))
    result = invoke("render", specs / "alpha.yaml", specs / "beta.yaml", "-o", out, "-f", "svg,png,md")
    assert_clean(result, (1,), "render")
    assert "beta.yaml" in result.stderr and "simulated crash" in result.stderr, result.stderr
    assert snapshot(out) == before, "the first spec's outputs were replaced"


def test_a_view_whose_file_name_is_too_long_leaves_the_overview(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("render", specs / "alpha.yaml", "-o", out, "-f", "svg,md"), (0,))
    view = "v" * 250
    write_yaml(specs / "alpha.yaml", spec_data("Alpha changed", views={view: {"include": ["online"]}}))
    before = snapshot(out)
    result = invoke("render", specs / "alpha.yaml", "-o", out, "-f", "svg,md", "--all-views")
    text = assert_clean(result, (1,), "render")
    # Refused at write time, or (once validate limits view ids) at the spec's location.
    assert "longer than" in text or LOCATED.search(result.stderr), text
    assert snapshot(out) == before, "the overview was replaced"


def test_an_output_name_too_long_for_the_file_system_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier", encoding="utf-8")
    with pytest.raises(mlsd.atomic.OutputError, match="longer than"):
        mlsd.atomic.write_all({out / "a.svg": b"new", out / ("x" * 300 + ".svg"): b"new"})
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_a_folder_in_the_way_of_an_output_writes_nothing(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "beta.md").mkdir(parents=True)
    result = invoke("render", specs, "-o", out, "-f", "svg,md")
    assert_clean(result, (1,), "render")
    assert "beta.md" in result.stderr and "in the way" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["beta.md"]


@pytest.mark.parametrize("command", ["render", "build"])
def test_two_specs_with_one_id_are_an_error_naming_both(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    write_yaml(folder / "one.yaml", spec_data("One", id="same"))
    write_yaml(folder / "two.yaml", spec_data("Two", id="same"))
    out = tmp_path / "out"
    args = ["render", folder, "-o", out, "-f", "svg"] if command == "render" else ["build", folder, "-o", out]
    result = invoke(*args)
    assert_clean(result, (1,), command)
    assert re.search(r"two\.yaml:\d+:\d+: error: spec id 'same' is also the id of .*one\.yaml", result.stderr), (
        result.stderr
    )
    assert not out.exists()


def test_two_files_given_with_one_id_are_an_error_too(tmp_path: Path) -> None:
    a = write_yaml(tmp_path / "a" / "spec.yaml", spec_data("A"))
    b = write_yaml(tmp_path / "b" / "spec.yaml", spec_data("B"))
    out = tmp_path / "out"
    result = invoke("render", a, b, "-o", out, "-f", "svg")
    assert_clean(result, (1,), "render")
    assert "also the id of" in result.stderr and str(a) in result.stderr
    assert not out.exists()


# --- staging files left by a killed run ----------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("command", ["build", "render"])
def test_staging_files_of_a_killed_run_are_removed_by_the_next(command: str, specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".mlsd-{_dead_pid()}-0123456789ab.tmp"
    stale.write_bytes(b"half a picture")
    alive = out / f".mlsd-{os.getppid()}-0123456789ab.tmp"  # a run still going: not ours to remove
    alive.write_bytes(b"being written")
    foreign = out / ".editor-swap.tmp"  # not made by mlsd
    foreign.write_bytes(b"someone else's")
    args = ["build", specs, "-o", out] if command == "build" else ["render", specs, "-o", out, "-f", "svg"]
    assert_clean(invoke(*args), (0,), command)
    assert not stale.exists()
    assert alive.exists() and foreign.exists()


def test_a_build_killed_midway_is_cleaned_up_by_the_next(specs: Path, tmp_path: Path) -> None:
    """A real `kill -9` while the staged files are being written."""
    out = tmp_path / "out"
    script = (
        "import os, sys, mlsd.atomic\n"
        "real = mlsd.atomic._stage\n"
        "count = [0]\n"
        "def stage(path, data):\n"
        "    count[0] += 1\n"
        "    if count[0] == 4:\n"
        "        os.kill(os.getpid(), 9)\n"
        "    return real(path, data)\n"
        "mlsd.atomic._stage = stage\n"
        "from mlsd.cli import main\n"
        "main(['build', sys.argv[1], '-o', sys.argv[2]])\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(specs), str(out)], capture_output=True, check=False)
    assert killed.returncode == -9, killed.stderr.decode()
    assert len(temporaries(out)) == 3
    assert not [p for p in out.iterdir() if not p.name.startswith(".mlsd-")], "a killed build published files"
    assert_clean(invoke("build", specs, "-o", out), (0,))
    assert not temporaries(out)


# --- export, build manifest, new, standard output, options ---------------------------------


def _nested(depth: int) -> dict:
    groups: dict = {f"g{i}": {"label": f"Level {i}"} for i in range(depth)}
    for i in range(1, depth):
        groups[f"g{i}"]["parent"] = f"g{i - 1}"
    return {
        "mlsd": 1,
        "title": "Deep",
        "components": {"app": {"kind": "client", "group": f"g{depth - 1}"}, "watch": {"kind": "monitoring"}},
        "groups": groups,
        "flows": ["app -> watch"],
    }


@pytest.mark.parametrize("target", ["mermaid", "d2"])
def test_400_nested_groups_export(target: str, tmp_path: Path) -> None:
    # Refused at load, where it was written: the limit is stated, nothing is exported.
    path = write_yaml(tmp_path / "deep.yaml", _nested(400))
    result = invoke("export", path, "--to", target)
    text = assert_clean(result, (1,), "export")
    assert "is nested 9 groups deep; the limit is 8" in text
    assert "Level" not in result.stdout


@pytest.mark.parametrize("target", ["mermaid", "d2"])
def test_groups_nested_to_the_limit_export_every_level(target: str, tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "deep.yaml", _nested(8))
    result = invoke("export", path, "--to", target)
    assert_clean(result, (0,), "export")
    assert "Level 7" in result.stdout and "Level 0" in result.stdout
    closing = "end" if target == "mermaid" else "}"
    assert sum(line.strip() == closing for line in result.stdout.splitlines()) >= 8


DAMAGED_MANIFESTS = {
    "not-json": "{ this is not json",
    "a-list": "[1, 2, 3]",
    "entry-not-a-mapping": json.dumps({"format": 1, "specs": {"alpha": "x"}}),
    "files-not-a-list": json.dumps({"format": 1, "specs": {"alpha": {"hash": "x", "files": 3}}}),
    "file-out-of-the-folder": json.dumps({"format": 1, "specs": {"alpha": {"hash": "x", "files": ["../../x"]}}}),
    "deeply-nested": "[" * 100_000 + "]" * 100_000,
    "binary": "\udcff\udcfe",
}


@pytest.mark.parametrize("case", sorted(DAMAGED_MANIFESTS))
def test_a_damaged_build_manifest_rebuilds_with_a_note(case: str, specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert_clean(invoke("build", specs, "-o", out), (0,))
    good = (out / MANIFEST).read_bytes()
    (out / MANIFEST).write_bytes(DAMAGED_MANIFESTS[case].encode("utf-8", "surrogateescape"))
    result = invoke("build", specs, "-o", out)
    assert_clean(result, (0,), "build")
    assert re.search(r"^mlsd: note: .*\.mlsd-build\.json.*rebuilding every spec", result.stderr, re.M), result.stderr
    assert "built 2 specs, 0 unchanged" in result.output
    assert (out / MANIFEST).read_bytes() == good


def test_a_name_too_long_for_new_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("new", "a" * 300, "-o", tmp_path / "specs")
    text = assert_clean(result, (1,), "new")
    assert re.search(r"^mlsd: error: cannot write .*: the file name is longer than \d+ bytes$", text, re.M), text
    assert not (tmp_path / "specs").exists() or not any((tmp_path / "specs").iterdir())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args",
    [["export", "{spec}", "--to", "mermaid"], ["validate", "{spec}"], ["explain", "{spec}"], ["schema"], ["kinds"]],
    ids=lambda a: a[0],
)
def test_standard_output_on_a_full_disk_is_a_clean_exit_1(args: list[str], specs: Path) -> None:
    argv = [a.format(spec=specs / "alpha.yaml") for a in args]
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "mlsd", *argv], stdout=full, stderr=subprocess.PIPE, timeout=60, check=False
        )
    stderr = run.stderr.decode()
    assert run.returncode == 1, (run.returncode, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr and "Exception ignored" not in stderr
    assert "mlsd: error: cannot write to standard output: No space left on device" in stderr, stderr


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400", "-1", "0", "abc"])
@pytest.mark.parametrize("command", ["render", "build"])
def test_timeout_accepts_only_a_positive_finite_number(value: str, command: str, specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["render", specs / "alpha.yaml", "-o", out] if command == "render" else ["build", specs, "-o", out]
    result = invoke(*args, f"--timeout={value}")
    text = assert_clean(result, (2,), f"{command} --timeout {value}")
    assert "--timeout" in text
    assert not out.exists()
