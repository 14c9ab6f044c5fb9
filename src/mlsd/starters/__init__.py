"""Starter specs for `mlsd new`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from string import Template

from mlsd.atomic import write_atomic
from mlsd.errors import InputError
from mlsd.model import ID_RE, humanise
from mlsd.schema import schema_text


def starter_text(name: str, template: str) -> str:
    """The text of a starter spec with its title filled in."""
    raw = resources.files(__package__).joinpath(f"{template}.yaml").read_text(encoding="utf-8")
    return Template(raw).substitute(title=humanise(name))


def write_starter(name: str, template: str, folder: Path, *, force: bool = False) -> list[Path]:
    """Write `<folder>/<name>.yaml` from a starter; never overwrite without `force`.

    The starter's modeline names `mlsd.schema.json`, so the schema is written
    beside it when the folder has none; the files written are returned.
    """
    if not ID_RE.match(name):
        raise InputError(f"'{name}' is not a valid spec id: use lowercase letters, digits, '_' and '-'")
    target = folder / f"{name}.yaml"
    try:
        exists = target.exists()
    except OSError as err:  # a name too long for the file system, a folder that is a file
        raise InputError(f"cannot write {target}: {err.strerror or err}") from None
    if exists and not force:
        raise InputError(f"{target} already exists; pass --force to overwrite it")
    write_atomic(target, starter_text(name, template))
    written = [target]
    schema = folder / "mlsd.schema.json"
    if not schema.exists():
        write_atomic(schema, schema_text())
        written.append(schema)
    return written
