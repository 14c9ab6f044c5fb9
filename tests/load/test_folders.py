"""The folder walk: every spec inside, nothing outside, and every refusal located."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlsd.errors import SpecError
from mlsd.load import find_specs, spec_files


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mlsd: 1\n", encoding="utf-8")


def test_every_yaml_file_at_any_depth_in_sorted_order_without_underscored_names(tmp_path: Path) -> None:
    _tree(tmp_path, ["b.yaml", "a.yaml", "sub/c.yaml", "sub/deeper/d.yaml", "_base.yaml", "_bases/e.yaml", "f.yml"])
    found, problems = find_specs([tmp_path])
    assert problems == []
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.yaml",
        "b.yaml",
        "sub/c.yaml",
        "sub/deeper/d.yaml",
    ]


def test_a_file_given_is_kept_as_given(tmp_path: Path) -> None:
    assert find_specs([tmp_path / "missing.yml"]) == ([tmp_path / "missing.yml"], [])


def test_a_deep_folder_is_walked_without_recursion(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1100):  # deeper than Python's recursion limit (os.makedirs recurses itself)
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.yaml").write_text("mlsd: 1\n", encoding="utf-8")
    try:
        found, problems = find_specs([tmp_path])
        assert problems == [] and found == [deep / "x.yaml"]
    finally:
        # Removed from the bottom up: pytest's own clean-up of old temporary folders
        # recurses, and a tree this deep would break it in every later run.
        (deep / "x.yaml").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_links_inside_are_used_links_out_refused_and_loops_located(tmp_path: Path) -> None:
    root = tmp_path / "specs"
    outside = tmp_path / "outside"
    _tree(root, ["real/a.yaml"])
    _tree(outside, ["secret.yaml"])
    (root / "inner.yaml").symlink_to(root / "real" / "a.yaml")
    (root / "again").symlink_to(root / "real", target_is_directory=True)  # not walked twice
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "out.yaml").symlink_to(outside / "secret.yaml")
    (root / "away").symlink_to(outside, target_is_directory=True)
    (root / "self.yaml").symlink_to("self.yaml")
    (root / "dangling.yaml").symlink_to("nowhere.yaml")
    (root / "notes.txt").symlink_to(outside / "secret.yaml")  # not a spec, never read: no error
    found, problems = find_specs([root])
    assert [p.relative_to(root).as_posix() for p in found] == ["inner.yaml", "real/a.yaml"]
    by_file = {Path(p.location.file).name: p.message for p in problems}
    assert set(by_file) == {"out.yaml", "away", "self.yaml", "dangling.yaml"}, by_file
    assert by_file["out.yaml"].startswith("is a symlink to ") and "outside" in by_file["out.yaml"]
    assert by_file["self.yaml"] == "is a symlink loop"
    assert "leads nowhere" in by_file["dangling.yaml"]
    assert all(p.location.line == 1 and p.location.column == 1 for p in problems)
    with pytest.raises(SpecError):
        spec_files([root])


def test_a_folder_that_cannot_be_listed_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["a.yaml", "locked/b.yaml"])
    real = os.scandir

    def scandir(path: object = "."):
        if Path(str(path)).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found, problems = find_specs([tmp_path])
    assert found == [tmp_path / "a.yaml"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'locked'}:1:1: error: cannot read the folder: Permission denied"
    ]
