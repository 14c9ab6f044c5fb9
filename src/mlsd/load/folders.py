"""Finding the specs in the folders a user names, without reading anything outside them.

A folder is walked without recursion (its depth is the user's to choose). A
symlink whose target leaves the named folder is an error, never followed; a
symlinked folder that stays inside is not walked again (its files are reached
through their real place), so a loop of links cannot make the walk endless. A
subfolder that cannot be listed is an error, never silently left out.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from mlsd.errors import Location, Problem, SpecError

SPEC_SUFFIX = ".yaml"


def find_specs(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The specs in `paths` (folders expanded, names starting with `_` left out) and the problems met."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files, trouble = _walk(path)
            found += files
            problems += trouble
        else:
            found.append(path)
    return found, problems


def spec_files(paths: list[Path]) -> list[Path]:
    """The specs in `paths`; a `SpecError` when a folder holds a link out of it or cannot be read."""
    found, problems = find_specs(paths)
    if problems:
        raise SpecError(problems)
    return found


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    root = folder.resolve()
    found: list[Path] = []
    problems: list[Problem] = []
    todo = [folder]
    while todo:
        current = todo.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            problems.append(_problem(current, f"cannot read the folder: {err.strerror or err}"))
            continue
        for entry in entries:
            if entry.name.startswith("_"):
                continue
            path = current / entry.name
            wanted = entry.name.endswith(SPEC_SUFFIX)
            try:
                if entry.is_symlink():
                    problem = _check_link(path, root, wanted)
                    if problem is not None:
                        problems.append(problem)
                    elif wanted and path.is_file():
                        found.append(path)
                    continue  # a linked folder inside is walked at its real place
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as err:
                problems.append(_problem(path, f"cannot read: {err.strerror or err}"))
                continue
            if stat.S_ISDIR(mode):
                todo.append(path)
            elif wanted and stat.S_ISREG(mode):
                found.append(path)
    return sorted(found), problems


def _check_link(path: Path, root: Path, wanted: bool) -> Problem | None:
    """Why the symlink `path` may not be used, or None."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return _problem(path, "is a symlink loop") if wanted else None
    except OSError as err:
        if not wanted:
            return None
        if err.errno == errno.ELOOP:
            return _problem(path, "is a symlink loop")
        return _problem(path, f"is a symlink that leads nowhere usable: {err.strerror or err}")
    if not wanted and not target.is_dir():
        return None  # not a spec and not a folder: never read
    if target != root and not target.is_relative_to(root):
        return _problem(
            path, f"is a symlink to {target}, outside {root}; mlsd reads only what is inside the folder it is given"
        )
    return None


def _problem(path: Path, message: str) -> Problem:
    return Problem(Location(str(path), 1, 1), message)
