"""`mlsd diff` as a function: the CLI parses options and calls `run_diff`, nothing more."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mlsd.atomic import write_atomic
from mlsd.diff.compare import diff_specs
from mlsd.diff.errors import DiffError
from mlsd.diff.report import Names, to_json, to_markdown, to_text
from mlsd.diff.sources import load_sides
from mlsd.errors import OutputError, RenderError
from mlsd.model import ID_RE
from mlsd.vocabulary import DIFF_VIEWS

REPORT_FORMATS = ("text", "md", "json")


@dataclass(frozen=True)
class DiffRun:
    """What a diff run produced: the report for standard output, the exit status
    (0 or 1; trouble raises instead), lines for standard error, the files written."""

    text: str
    status: int
    messages: tuple[str, ...] = ()
    written: tuple[Path, ...] = ()


def run_diff(
    old_arg: str,
    new_arg: str,
    fmt: str = "text",
    out_dir: Path | None = None,
    view: str = DIFF_VIEWS[0],
    exit_code: bool = False,
    renames: Iterable[str] | Mapping[str, str] = (),
    color: bool = False,
    *,
    cwd: Path | None = None,
) -> DiffRun:
    """Compare two sides (paths or REV:PATH), report in `fmt`, and draw into `out_dir` if given.

    Raises `DiffError` or `DiffSpecError` (exit status 2) for trouble: an invalid
    spec, an unknown revision or path, a bad `--rename`, Graphviz failing.
    """
    if fmt not in REPORT_FORMATS:
        raise DiffError(f"unknown format '{fmt}'; choose from {', '.join(REPORT_FORMATS)}")
    if view not in DIFF_VIEWS:
        raise DiffError(f"unknown view '{view}'; choose from {', '.join(DIFF_VIEWS)}")
    mapping = parse_renames(renames)
    here = cwd if cwd is not None else Path.cwd()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    written: list[Path] = []
    # Specs read from git live in this folder until their pictures are drawn (icons).
    with tempfile.TemporaryDirectory(prefix="mlsd-diff-") as scratch:
        old, new = load_sides(old_arg, new_arg, Path(scratch), here)
        diff = diff_specs(old, new, mapping)
        if out_dir is not None:
            from mlsd.diff.picture import draw_diff  # diagrams is slow to import

            try:
                pictures = draw_diff(diff, view, captions=(old_arg, new_arg))
            except RenderError as err:
                raise DiffError(str(err)) from None
            # Every picture is drawn before the first is written.
            folder = out_dir if out_dir.is_absolute() else here / out_dir
            for name, data in sorted(pictures.files.items()):
                try:
                    write_atomic(folder / name, data)
                except OutputError as err:
                    raise DiffError(str(err)) from None  # trouble (2), not "the designs differ" (1)
                written.append(folder / name)
            notes = (pictures.note,) if pictures.note else ()
            warnings = tuple(f"graphviz: {w}" for w in pictures.warnings)

    names = Names(old_arg, new_arg)
    messages: tuple[str, ...] = warnings
    if fmt == "json":
        text = to_json(diff)
        messages += notes  # JSON stays machine-readable; people read the note on stderr
    elif fmt == "md":
        text = to_markdown(diff, names, notes=notes)
    else:
        text = to_text(diff, names, color=color, notes=notes)
    messages += tuple(f"wrote {path}" for path in written)
    status = 1 if exit_code and diff.has_changes else 0
    return DiffRun(text, status, messages, tuple(written))


def parse_renames(renames: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """`OLD=NEW` items (or a mapping) as a dict; a malformed item is a `DiffError`."""
    if isinstance(renames, Mapping):
        pairs = list(renames.items())
    else:
        pairs = []
        for item in renames:
            old, sep, new = item.partition("=")
            if not sep:
                raise DiffError(f"--rename '{item}': write it as OLD=NEW, e.g. --rename features=online_store")
            pairs.append((old.strip(), new.strip()))
    result: dict[str, str] = {}
    for old, new in pairs:
        for name in (old, new):
            if not ID_RE.match(name):
                raise DiffError(f"--rename {old}={new}: '{name}' is not a component id")
        if old in result:
            raise DiffError(f"--rename: '{old}' is renamed twice")
        result[old] = new
    return result
