"""Which names from a URL may touch the disk: relative, plain, and inside the specs folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

SOURCE_SUFFIXES = (".yaml", ".yml")


def plain_relative(name: str) -> str | None:
    """`name` if it is a plain relative path (no `..`, `.`, empty part, backslash, NUL, drive), else None.

    Applied to the decoded URL, so `%2e%2e` and `%2f` are caught as `..` and `/`.
    """
    if not name or "\\" in name or "\x00" in name or ":" in name.split("/", 1)[0]:
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    if PurePosixPath(name).is_absolute():
        return None
    return name


def inside(path: Path, root: Path) -> Path | None:
    """`path` resolved (symlinks followed) if it is an existing file under `root` (resolved), else None."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


def url_path(name: str) -> str:
    """A spec name as it goes into a URL path: every character but `/` percent-encoded as needed."""
    return quote(name, safe="/")
