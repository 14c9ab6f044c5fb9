"""Writing outputs all or nothing, so a failed or interrupted run leaves earlier files intact.

Every file of a run is first written to a temporary file beside its target
(`.mlsd-<pid>-<random>.tmp`); only when all of them were written are they
renamed into place. A rename that fails puts back the files already replaced.
A run killed midway leaves only temporary files, which the next run in that
folder removes once the process that made them is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from mlsd.errors import OutputError

TEMPORARY = re.compile(r"^\.mlsd-(\d+)-[0-9a-f]{12}\.tmp$")
NAME_MAX = 255  # when the file system does not say


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    write_all({path: data})


def write_all(files: Mapping[Path, bytes | str]) -> list[Path]:
    """Write every file of `files` or none of them; return the paths written.

    Raises `OutputError` (naming the file) when one cannot be written; the
    files that were there before are then as they were.
    """
    _check_names(files)
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for folder in dict.fromkeys(path.parent for path in files):
            created += _make_folder(folder)
            remove_stale(folder)
        for path, data in files.items():
            staged.append((_stage(path, data), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        _remove_empty(created)
        raise
    _commit(staged, created)
    return list(files)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files in `folder` left by mlsd runs that were killed; return them."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        match = TEMPORARY.match(name)
        if match and not _running(int(match.group(1))):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                removed.append(folder / name)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":
        return True  # on Windows os.kill would end the process instead of asking about it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process (or a name we cannot judge): leave it
    return True


def _check_names(files: Mapping[Path, bytes | str]) -> None:
    """Names the file system cannot hold, and folders in the way, fail before anything is written."""
    for path in files:
        folder = path.parent
        limit = NAME_MAX
        with contextlib.suppress(OSError, ValueError):
            limit = os.pathconf(folder if folder.is_dir() else ".", "PC_NAME_MAX")
        if len(os.fsencode(path.name)) > limit:
            raise OutputError(f"cannot write {path}: the file name is longer than {limit} bytes")
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"cannot write {path}: a folder of that name is in the way")


def _make_folder(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return those created, deepest last."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            pass
        except OSError as err:
            raise _output_error(err, folder) from None
    return list(reversed(missing))


def _stage(path: Path, data: bytes | str) -> Path:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.parent / f".mlsd-{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        # os.open with 0o666 lets the umask decide the mode, as for any new file
        # (tempfile.mkstemp would make every output private to its owner).
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise _output_error(err, path) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
    except BaseException as err:
        temporary.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _output_error(err, path) from None
        raise
    return temporary


def _commit(staged: list[tuple[Path, Path]], created: list[Path]) -> None:
    """Rename every staged file into place; on a failure put the earlier files back."""
    done: list[tuple[Path, Path | None]] = []  # (target, its backup)
    try:
        for temporary, path in staged:
            backup = _backup(path)
            try:
                os.replace(temporary, path)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            done.append((path, backup))
    except BaseException as err:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.rename(backup, path)  # replaces on POSIX, as os.replace does
                else:
                    path.unlink()
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        _remove_empty(created)
        if isinstance(err, OSError):
            failed = staged[len(done)][1] if len(done) < len(staged) else None
            raise _output_error(err, failed) from None
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _backup(path: Path) -> Path | None:
    """A second name for the file now at `path`, so a failed run can put it back."""
    backup = path.parent / f".mlsd-{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        return None  # nothing there, or no hard links here: that file cannot be put back
    return backup


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _output_error(err: OSError, path: Path | None) -> OutputError:
    return OutputError(f"cannot write {path or err.filename}: {err.strerror or err}")
