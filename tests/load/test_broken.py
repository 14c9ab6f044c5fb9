"""Golden tests: every broken spec in `broken/` gives exactly the located errors in its `.expected`.

A case is `broken/NAME.yaml`, or a folder `broken/NAME/` whose `spec.yaml` is
loaded (with whatever else the case needs beside it). A few cases cannot be
committed sensibly (a file over 1 MiB, a symlink pointing out of the tree);
they are written by a generator into a temporary folder with the same layout.
The expected file `broken/NAME.expected` holds the exact lines
`FILE:LINE:COL: error: MESSAGE`, with paths relative to the folder the case
is loaded from.

Refresh the expected files with `pytest tests/load --update-golden`, then read
every changed line before committing it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mlsd.errors import SpecError
from mlsd.load import load_spec
from mlsd.load.reader import MAX_BYTES

BROKEN = Path(__file__).parent / "broken"
LINE_RE = re.compile(r"^[^\n:]+:[1-9]\d*:[1-9]\d*: error: \S.*$")


def _write_too_large(folder: Path) -> str:
    head = "mlsd: 1\ntitle: Padded past the size limit\ncomponents:\n  app: {kind: client}\n"
    padding = "# " + "x" * (MAX_BYTES - len(head)) + "\n"
    (folder / "too_large.yaml").write_text(head + padding, encoding="utf-8")
    assert (folder / "too_large.yaml").stat().st_size > MAX_BYTES
    return "too_large.yaml"


def _write_icon_symlink_outside(folder: Path) -> str:
    outside = folder / "elsewhere"
    outside.mkdir()
    (outside / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    case = folder / "icon_symlink_outside"
    case.mkdir()
    try:
        (case / "logo.png").symlink_to(outside / "logo.png")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not supported here")
    (case / "spec.yaml").write_text(
        "mlsd: 1\n"
        "title: Icon that is a symlink leaving the folder\n"
        "components:\n"
        "  app: {kind: client, icon: logo.png}\n",
        encoding="utf-8",
    )
    return "icon_symlink_outside/spec.yaml"


# name -> writer(folder) that creates the case inside `folder` and returns the spec path.
GENERATED: dict[str, Callable[[Path], str]] = {
    "too_large": _write_too_large,
    "icon_symlink_outside": _write_icon_symlink_outside,
}


def _committed_cases() -> dict[str, str]:
    cases = {}
    for entry in sorted(BROKEN.iterdir()):
        if entry.is_file() and entry.suffix == ".yaml":
            cases[entry.stem] = entry.name
        elif entry.is_dir() and (entry / "spec.yaml").exists():
            cases[entry.name] = f"{entry.name}/spec.yaml"
    return cases


COMMITTED = _committed_cases()
ALL_CASES = sorted([*COMMITTED, *GENERATED])


def _problem_lines(spec: str) -> list[str]:
    try:
        load_spec(spec)
    except SpecError as err:
        return [str(problem) for problem in err.problems]
    pytest.fail(f"{spec} loaded without an error; a broken case must be rejected")


@pytest.mark.parametrize("name", ALL_CASES)
def test_broken_case(name: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if name in GENERATED:
        spec = GENERATED[name](tmp_path)
        monkeypatch.chdir(tmp_path)
    else:
        spec = COMMITTED[name]
        monkeypatch.chdir(BROKEN)
    produced = "".join(line + "\n" for line in _problem_lines(spec))
    expected_file = BROKEN / f"{name}.expected"
    if update_golden:
        expected_file.write_text(produced, encoding="utf-8")
        return
    assert expected_file.exists(), f"{expected_file.name} is missing; run pytest --update-golden"
    assert produced == expected_file.read_text(encoding="utf-8")


def test_corpus_is_large_enough() -> None:
    assert len(ALL_CASES) >= 35


def test_no_case_name_is_both_committed_and_generated() -> None:
    assert not set(COMMITTED) & set(GENERATED)


@pytest.mark.parametrize("name", ALL_CASES)
def test_expected_file_is_well_formed(name: str) -> None:
    lines = (BROKEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert lines, "a broken case must produce at least one error"
    for line in lines:
        assert LINE_RE.match(line), line
        assert not os.path.isabs(line.split(":", 1)[0]), "paths must be relative to the case folder"


def test_every_expected_file_has_a_case() -> None:
    orphans = sorted(p.stem for p in BROKEN.glob("*.expected") if p.stem not in ALL_CASES)
    assert not orphans, f"expected files without a case: {orphans}"


@pytest.mark.parametrize("name", ALL_CASES)
def test_problems_are_in_file_order(name: str) -> None:
    """Lines of one file come in (line, column) order, whatever the check that found them."""
    lines = (BROKEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    keys = []
    for line in lines:
        file, row, column, _ = line.split(":", 3)
        keys.append((file, int(row), int(column)))
    assert keys == sorted(keys)


# --- regressions: values that look right to YAML but are not the documented ones ----------


@pytest.mark.parametrize("version", ["yes", "true"])
def test_yes_is_not_a_format_version(version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.yaml").write_text(f"mlsd: {version}\ntitle: T\ncomponents:\n  a: {{kind: client}}\n")
    monkeypatch.chdir(tmp_path)
    (line,) = _problem_lines("s.yaml")
    assert line.startswith("s.yaml:1:7: error: ")
    assert "mlsd: 1" in line  # says what to write instead


# --- regressions: inputs that once crashed or slipped through instead of a located error ------

HEAD = "mlsd: 1\ntitle: T\ncomponents:\n"


@pytest.mark.parametrize(
    "text,where",
    [
        (HEAD + '  a: {kind: client, icon: "logo\\0.png"}\n', "s.yaml:4:27:"),
        ('mlsd: 1\ntitle: T\nextends: "base\\0.yaml"\ncomponents:\n  a: {kind: client}\n', "s.yaml:3:10:"),
    ],
    ids=["icon", "extends"],
)
def test_nul_in_a_path_is_a_located_error(
    text: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Path("a\\0b").resolve() raises ValueError; the loader must turn it into a problem."""
    (tmp_path / "s.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    (line,) = _problem_lines("s.yaml")
    assert line.startswith(where + " error: ")
    assert "\0" not in line  # the NUL is shown escaped, not written raw


@pytest.mark.parametrize(
    "text",
    [
        HEAD + '  a: {kind: client, icon: "' + "x" * 300 + '.png"}\n',
        'mlsd: 1\ntitle: T\nextends: "' + "x" * 300 + '.yaml"\ncomponents:\n  a: {kind: client}\n',
    ],
    ids=["icon", "extends"],
)
def test_overlong_path_is_a_located_error(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 300-character file name makes Path.is_file() raise ENAMETOOLONG."""
    (tmp_path / "s.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    (line,) = _problem_lines("s.yaml")
    assert line.startswith(("s.yaml:4:27: error: ", "s.yaml:3:10: error: "))


@pytest.mark.parametrize(
    "text,where",
    [
        (HEAD + "  a: {kind: client}\nflows:\n  - {from: 5, to: a}\n", "s.yaml:6:12:"),
        (HEAD + "  a: {kind: client}\nflows:\n  - {from: [a, 7], to: a}\n", "s.yaml:6:16:"),
        (HEAD + "  a: {kind: client, group: 5}\n", "s.yaml:4:28:"),
        (HEAD + "  a: {kind: client, group: g}\ngroups:\n  g: {parent: 1}\n", "s.yaml:6:15:"),
        (HEAD + "  a: {kind: client}\nviews:\n  v: {include: [3]}\n", "s.yaml:6:17:"),
        (HEAD + "  a: {kind: client}\nsteps:\n  - {title: s, add: [4]}\n", "s.yaml:6:22:"),
    ],
    ids=["flow-endpoint", "flow-endpoint-in-list", "group", "parent", "view", "step"],
)
def test_numeric_reference_is_checked(text: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    (line,) = _problem_lines("s.yaml")
    assert line.startswith(where + " error: ")
    assert re.search(r"'[0-9]'", line), "the message names the numeric reference"


def test_a_message_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.yaml").write_text(HEAD + '  a: {kind: client}\n"bad\\nkey": 1\n')
    monkeypatch.chdir(tmp_path)
    (line,) = _problem_lines("s.yaml")
    assert "\n" not in line


def test_misspelt_kind_suggests_both_feature_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.yaml").write_text(HEAD + "  store: {kind: feature-stor}\n")
    monkeypatch.chdir(tmp_path)
    (line,) = _problem_lines("s.yaml")
    assert line.startswith("s.yaml:4:17: error: unknown kind 'feature-stor'")
    assert "did you mean" in line
    assert "'feature-store-online'" in line and "'feature-store-offline'" in line
