"""All-or-nothing writing: staged files, renames, rollback, stale temporaries."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mlsd.atomic
from mlsd.atomic import remove_stale, write_all, write_atomic
from mlsd.errors import OutputError


def _state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_write_all_writes_every_file_and_creates_folders(tmp_path: Path) -> None:
    files = {tmp_path / "a" / "x.svg": b"one", tmp_path / "a" / "b" / "y.md": "two"}
    assert write_all(files) == list(files)
    assert (tmp_path / "a" / "x.svg").read_bytes() == b"one"
    assert (tmp_path / "a" / "b" / "y.md").read_text(encoding="utf-8") == "two"
    assert not list(tmp_path.rglob("*.tmp"))


@given(fail_at=st.integers(0, 5), replace=st.booleans())
def test_a_failure_at_any_point_leaves_the_folder_as_it_was(tmp_path_factory, fail_at: int, replace: bool) -> None:
    folder = tmp_path_factory.mktemp("out")
    for n in range(3):
        (folder / f"f{n}.txt").write_bytes(f"old {n}".encode())
    before = _state(folder)
    files = {folder / f"f{n}.txt": f"new {n}".encode() for n in range(6)}
    real = os.replace if replace else os.open
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) > fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    name = "replace" if replace else "open"
    original = getattr(mlsd.atomic.os, name)
    setattr(mlsd.atomic.os, name, failing)
    try:
        with pytest.raises(OutputError, match="No space left on device"):
            write_all(files)
    finally:
        setattr(mlsd.atomic.os, name, original)
    assert _state(folder) == before


def test_a_new_folder_is_removed_again_when_nothing_could_be_written(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write_all({tmp_path / "new" / "deeper" / "a.txt": b"x", tmp_path / "new" / ("y" * 300): b"y"})
    assert not (tmp_path / "new").exists()


def test_only_stale_temporaries_of_dead_mlsd_processes_are_removed(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = tmp_path / f".mlsd-{child.pid}-00112233aabb.tmp"
    mine = tmp_path / f".mlsd-{os.getpid()}-00112233aabb.tmp"
    other = tmp_path / ".report.docx.00112233aabb.tmp"
    for path in (dead, mine, other):
        path.write_bytes(b"x")
    assert remove_stale(tmp_path) == [dead]
    assert mine.exists() and other.exists()
    write_atomic(tmp_path / "a.txt", "a")  # the next write cleans too
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name, "a.txt"])
