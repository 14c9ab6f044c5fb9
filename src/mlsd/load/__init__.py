"""Loading: a YAML file in, a validated, frozen `Spec` out, or every problem at once."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import ValidationError

from mlsd.errors import Location, Problem, SpecError
from mlsd.load.diagnose import problems_from
from mlsd.load.folders import find_specs, spec_files
from mlsd.load.merge import merge_specs, normalise_flows
from mlsd.load.reader import read_tree
from mlsd.load.references import check_references, icon_path
from mlsd.model import ID_RE, Source, Spec
from mlsd.positions import Entry, Map, Scalar, locate, mapping_to_plain

__all__ = ["find_specs", "load_spec", "spec_files"]


def load_spec(path: str | Path) -> Spec:
    """Read, merge (`extends`) and validate a spec; raise `SpecError` with every problem."""
    path = Path(path)
    shown = str(path)
    root = path.resolve().parent
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    tree = _resolve(path, shown, root, files, (), problems)
    tree = _with_default_id(tree, path)
    data = mapping_to_plain(tree)
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
    spec._source = Source(path=path.resolve(), shown=shown, chain=chain, icons=icons, tree=tree)
    return spec


def _resolve(
    path: Path,
    shown: str,
    root: Path,
    files: dict[str, Path],
    seen: tuple[Path, ...],
    problems: list[Problem],
) -> Map:
    """The tree of `path` with its extends chain applied; reading problems go to `problems`."""
    resolved = path.resolve()
    files[shown] = resolved
    tree, found = read_tree(path, shown)
    problems += found
    tree = normalise_flows(tree)
    extends = tree.get("extends")
    if extends is None or (isinstance(extends, Scalar) and extends.value is None):
        return tree
    where = extends.loc
    if not isinstance(extends, Scalar) or not isinstance(extends.value, str) or not extends.value:
        raise SpecError([Problem(where, "'extends' must be the path of a base spec file")])
    target = extends.value
    if "://" in target:
        raise SpecError([Problem(where, f"'extends' must be a local file, not the URL '{target}'")])
    base_path = path.parent / target
    try:
        base = base_path.resolve()
        exists = base.is_file()
    except (OSError, ValueError):
        raise SpecError([Problem(where, f"'extends: {target}' is not a usable file name")]) from None
    if not base.is_relative_to(root):
        raise SpecError([Problem(where, f"'extends: {target}' leaves the spec's folder; keep base specs beside it")])
    if base == resolved or base in seen:
        chain = " -> ".join(p.name for p in (*seen, resolved, base))
        raise SpecError([Problem(where, f"'extends' forms a cycle: {chain}")])
    if not exists:
        raise SpecError([Problem(where, f"base spec '{target}' not found")])
    base_shown = _shown(base_path)
    base_tree = _resolve(base_path, base_shown, root, files, (*seen, resolved), problems)
    merged, _ = merge_specs(base_tree, tree)
    return merged


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
