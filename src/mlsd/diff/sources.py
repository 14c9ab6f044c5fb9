"""The two sides of a diff: a spec file, or `REV:PATH` read from git.

A spec read from git goes through the normal loader: it is written to a
scratch folder at the same relative path it has in the repository, with the
base specs it `extends` and the icon files it names, read from the same
revision, so relative paths inside it mean what they meant in that revision.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from mlsd.diff.errors import DiffError, DiffSpecError
from mlsd.errors import Location, MlsdError, Problem, SpecError
from mlsd.load import load_spec
from mlsd.load.reader import parse_text
from mlsd.model import Spec
from mlsd.positions import mapping_to_plain

GIT_TIMEOUT = 30.0


@dataclass(frozen=True)
class GitPath:
    """`REV:PATH`: a revision (empty for the index) and a path inside the repository."""

    rev: str
    path: str

    def __str__(self) -> str:
        return f"{self.rev}:{self.path}"


def parse_side(arg: str, cwd: Path) -> Path | GitPath:
    """An existing file wins; otherwise `REV:PATH` is a git object; otherwise a missing file."""
    path = cwd / arg
    if path.exists() or ":" not in arg:
        return path
    rev, _, inner = arg.partition(":")
    if not inner:
        raise DiffError(f"'{arg}': write a git side as REV:PATH, for example HEAD~1:specs/fraud.yaml")
    return GitPath(rev, inner)


def load_side(arg: str, scratch: Path, cwd: Path) -> Spec:
    """Load one side; a git side is materialised under `scratch`, which must outlive the spec."""
    side = parse_side(arg, cwd)
    if isinstance(side, Path):
        if not side.exists():
            raise DiffError(f"{arg}: no such file (and not a REV:PATH git revision)")
        if not side.is_file():
            raise DiffError(f"{arg}: not a file; diff compares two spec files")
        # Problems are shown with the path as the user wrote it.
        return load_spec(Path(arg) if cwd == Path.cwd() else side)
    root = scratch / f"git-{len(list(scratch.iterdir()))}"  # one folder per side: both may be git
    root.mkdir(parents=True)
    target = _materialise(side, root, cwd)
    try:
        return load_spec(target)
    except SpecError as err:
        raise SpecError([_relocated(p, root, side.rev, cwd) for p in err.problems]) from None


def load_sides(old_arg: str, new_arg: str, scratch: Path, cwd: Path) -> tuple[Spec, Spec]:
    """Both sides, or every located problem of both at once."""
    specs: list[Spec] = []
    problems: list[Problem] = []
    for arg in (old_arg, new_arg):
        try:
            specs.append(load_side(arg, scratch, cwd))
        except SpecError as err:
            problems += err.problems
        except DiffError:
            raise
        except MlsdError as err:
            # Whatever else keeps a side from loading is trouble too (exit status 2).
            raise DiffError(str(err)) from None
    if problems:
        raise DiffSpecError(problems)
    return specs[0], specs[1]


def _materialise(side: GitPath, root: Path, cwd: Path) -> Path:
    """Write the spec, its bases and its icons from the revision under `root`; the spec's path."""
    if side.rev.startswith("-"):
        raise DiffError(f"'{side}': a revision cannot start with '-'")
    prefix = _git(["rev-parse", "--show-prefix"], cwd, f"'{side}': not inside a git repository").decode().strip()
    if side.rev:
        tree = (
            _git(
                ["rev-parse", "--verify", "--quiet", f"{side.rev}^{{tree}}"],
                cwd,
                f"'{side}': unknown revision '{side.rev}'",
            )
            .decode()
            .strip()
        )
    else:
        tree = ""  # ":PATH" is the staged version, as in git
    relative = _repo_path(side.path, prefix, str(side))
    todo = [relative]
    seen: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        is_spec = rel == relative or rel.endswith((".yaml", ".yml"))
        data = _blob(tree, rel, cwd, side if rel == relative else None)
        if data is None:
            continue  # a missing base or icon: the loader reports it where it is named
        destination = root / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        if is_spec:
            todo += _referenced(data, rel)
    return root / relative


def _repo_path(path: str, prefix: str, shown: str) -> str:
    # As in git: "./x" and "../x" are relative to the current folder, anything else to the top.
    joined = prefix + path if path.startswith(("./", "../")) else path
    normal = posixpath.normpath(joined)
    if normal.startswith("../") or normal == ".." or posixpath.isabs(normal):
        raise DiffError(f"'{shown}': the path leaves the repository")
    return normal


def _blob(tree: str, rel: str, cwd: Path, side: GitPath | None) -> bytes | None:
    """The file at `rel` in the revision; None (or an error for the spec itself) when absent."""
    name = f"{tree}:{rel}"
    kind = _git(["cat-file", "-t", name], cwd, None)
    if kind is None or kind.strip() != b"blob":
        if side is None:
            return None
        where = f"revision '{side.rev}'" if side.rev else "the index"
        raise DiffError(f"'{side}': no file '{rel}' in {where}")
    # cat-file, not show: the bytes as committed, whatever textconv is configured.
    return _git(["cat-file", "blob", name], cwd, f"'{name}': cannot read it from git")


def _referenced(data: bytes, rel: str) -> list[str]:
    """Repository paths of the base spec and the icons a spec names (best effort)."""
    try:
        tree, _ = parse_text(data.decode("utf-8-sig"), rel)
    except (SpecError, UnicodeDecodeError):
        return []  # the loader reports what is wrong with it
    doc = mapping_to_plain(tree)
    names: list[str] = []
    extends = doc.get("extends")
    if isinstance(extends, str):
        names.append(extends)
    components = doc.get("components")
    if isinstance(components, dict):
        for component in components.values():
            icon = component.get("icon") if isinstance(component, dict) else None
            if isinstance(icon, str):
                names.append(icon)
    folder = posixpath.dirname(rel)
    found = []
    for name in names:
        if "://" in name:
            continue
        joined = posixpath.normpath(posixpath.join(folder, name))
        if not joined.startswith("../") and joined != ".." and not posixpath.isabs(joined):
            found.append(joined)
    return found


@overload
def _git(args: list[str], cwd: Path, failure: str) -> bytes: ...
@overload
def _git(args: list[str], cwd: Path, failure: None) -> bytes | None: ...
def _git(args: list[str], cwd: Path, failure: str | None) -> bytes | None:
    """Run git; its output, or None (when `failure` is None) or a DiffError saying `failure`."""
    executable = shutil.which("git")
    if executable is None:
        raise DiffError("git is not installed, so REV:PATH sides cannot be read")
    try:
        done = subprocess.run([executable, *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise DiffError(f"git {args[0]} took longer than {GIT_TIMEOUT:g} s and was stopped") from None
    except OSError as err:
        raise DiffError(f"cannot run git: {err.strerror or err}") from None
    if done.returncode != 0:
        if failure is None:
            return None
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(failure + (f" (git: {detail[-1]})" if detail and "--quiet" not in args else ""))
    return done.stdout


def _relocated(problem: Problem, root: Path, rev: str, cwd: Path) -> Problem:
    """A problem in a materialised file, located as REV:PATH instead of the scratch folder."""
    where = Path(problem.location.file)
    if not where.is_absolute():
        where = cwd / where
    try:
        rel = Path(os.path.realpath(where)).relative_to(os.path.realpath(root))
    except ValueError:
        return problem
    shown = f"{rev}:{rel.as_posix()}"
    return Problem(Location(shown, problem.location.line, problem.location.column), problem.message)
