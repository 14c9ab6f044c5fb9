"""Loading: a YAML file in, a validated, frozen `Spec` out, or every problem at once."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from pydantic import ValidationError

from mlsd.errors import Location, Problem, SpecError
from mlsd.load.diagnose import misplaced_keys, problems_from
from mlsd.load.folders import find_specs, spec_files
from mlsd.load.limits import check_limits
from mlsd.load.merge import merge_specs, normalise_flows
from mlsd.load.reader import read_tree
from mlsd.load.references import check_references, icon_path
from mlsd.model import ID_RE, Source, Spec
from mlsd.positions import Entry, Map, Scalar, locate, mapping_to_plain

__all__ = ["find_specs", "load_spec", "spec_files"]


# A variant of a variant of a base is already rare; a longer chain is a mistake (or a generated loop).
MAX_EXTENDS = 8


def load_spec(path: str | Path) -> Spec:
    """Read, merge (`extends`) and validate a spec; raise `SpecError` with every problem."""
    path = Path(path)
    shown = str(path)
    resolved = _real(path, Location(shown, 1, 1), f"the spec file '{path}'")
    root = resolved.parent
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    tree = _resolve(path, shown, root, files, problems)
    tree = _with_default_id(tree, path)
    data = mapping_to_plain(tree)
    problems += check_limits(data, tree)
    problems += check_references(data, tree, files, root)
    spec: Spec | None = None
    try:
        spec = Spec.model_validate(data)
    except ValidationError as err:
        problems = problems_from(err, tree) + problems
    if problems or spec is None:
        raise SpecError(problems)
    icons = tuple(
        (cid, icon_path(comp.icon, files[locate(tree, ("components", cid, "icon")).file]))
        for cid, comp in spec.components.items()
        if comp.icon
    )
    chain = tuple(dict.fromkeys(files.values()))
    warnings = tuple(misplaced_keys(data, tree))
    spec._source = Source(path=resolved, shown=shown, chain=chain, icons=icons, tree=tree, warnings=warnings)
    return spec


def _real(path: Path, where: Location, name: str) -> Path:
    """The path with every symlink followed; a loop or an unusable name is a problem at `where`."""
    try:
        return path.resolve()
    except RuntimeError:  # Python before 3.13 reports a symlink loop this way
        raise SpecError([Problem(where, f"{name} is a symlink loop")]) from None
    except (OSError, ValueError) as err:
        if getattr(err, "errno", None) == errno.ELOOP:
            raise SpecError([Problem(where, f"{name} is a symlink loop")]) from None
        raise SpecError([Problem(where, f"{name} is not a usable file name")]) from None


def _resolve(path: Path, shown: str, root: Path, files: dict[str, Path], problems: list[Problem]) -> Map:
    """The tree of `path` with its extends chain applied; reading problems go to `problems`.

    The chain is walked in a loop, never by recursion, and stops at MAX_EXTENDS bases.
    """
    chain: list[Map] = []
    seen: list[Path] = []
    while True:
        resolved = path.resolve()
        files[shown] = resolved
        tree, found = read_tree(path, shown)
        problems += found
        chain.append(normalise_flows(tree))
        seen.append(resolved)
        base = _base_of(chain[-1], path, root, seen)
        if base is None:
            break
        if len(chain) > MAX_EXTENDS:
            where = chain[-1].entries["extends"].value.loc
            raise SpecError([Problem(where, f"'extends' chains more than {MAX_EXTENDS} base specs; mlsd stops there")])
        path, shown = base, _shown(base)
    merged = chain.pop()
    while chain:
        merged, _ = merge_specs(merged, chain.pop())
    return merged


def _base_of(tree: Map, path: Path, root: Path, seen: list[Path]) -> Path | None:
    """The base file `tree` extends (None when it extends nothing), checked before it is read."""
    extends = tree.get("extends")
    if extends is None or (isinstance(extends, Scalar) and extends.value is None):
        return None
    where = extends.loc
    if not isinstance(extends, Scalar) or not isinstance(extends.value, str) or not extends.value:
        raise SpecError([Problem(where, "'extends' must be the path of a base spec file")])
    target = extends.value
    if "://" in target:
        raise SpecError([Problem(where, f"'extends' must be a local file, not the URL '{target}'")])
    base_path = path.parent / target
    base = _real(base_path, where, f"'extends: {target}'")
    if not base.is_relative_to(root):
        raise SpecError([Problem(where, f"'extends: {target}' leaves the spec's folder; keep base specs beside it")])
    if base in seen:
        names = " -> ".join(p.name for p in (*seen, base))
        raise SpecError([Problem(where, f"'extends' forms a cycle: {names}")])
    problem = _unusable(base, target)
    if problem:
        raise SpecError([Problem(where, problem)])
    return base_path


def _unusable(base: Path, target: str) -> str | None:
    """Why the resolved base file cannot be read, or None."""
    try:
        if not base.exists():
            return f"base spec '{target}' not found"
        if base.is_dir():
            return f"'extends: {target}' names a folder; name the base spec file in it"
        if not base.is_file():
            return f"'extends: {target}' is not a regular file (a pipe or a device?)"
        with base.open("rb"):
            pass
    except PermissionError:
        return f"'extends: {target}' cannot be read: permission denied"
    except OSError as err:
        return f"'extends: {target}' cannot be read: {err.strerror or err}"
    return None


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _with_default_id(tree: Map, path: Path) -> Map:
    if "id" in tree.entries:
        return tree
    slug = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_")
    if not ID_RE.match(slug):
        raise SpecError([Problem(Location(tree.loc.file, 1, 1), f"cannot derive an id from '{path.name}'; add 'id:'")])
    entries = {"id": Entry(tree.loc, Scalar(slug, tree.loc)), **tree.entries}
    return Map(entries, tree.loc, tree.size)
