"""Writing outputs: atomically, so a failed or interrupted run leaves earlier files intact."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from mlsd.errors import OutputError


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # os.open with 0o666 lets the umask decide the mode, as for any new file
        # (tempfile.mkstemp would make every output private to its owner).
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException as err:
        temporary.unlink(missing_ok=True)
        if isinstance(err, OSError):
            # A full disk or a vanished folder: the earlier file is still there.
            raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
        raise
