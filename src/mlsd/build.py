"""`mlsd build`: every output of every spec in a folder, plus an index page.

A spec is rebuilt only when one of its inputs changed: the spec and its
extends chain, its custom icons, the templates, the render options, and the
versions of mlsd and Graphviz. Their hash is kept in `.mlsd-build.json` in the
output folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from mlsd.atomic import write_all, write_atomic
from mlsd.errors import MlsdError
from mlsd.explain import template_files
from mlsd.model import Spec
from mlsd.outputs import check_unique_ids as check_ids
from mlsd.outputs import spec_outputs
from mlsd.practice import page_name, practice
from mlsd.render import RenderOptions, arrange_picture
from mlsd.render.engine import DEFAULT_TIMEOUT, graphviz_version
from mlsd.version import __version__
from mlsd.vocabulary import BUILD_FORMATS

MANIFEST = ".mlsd-build.json"
INDEX_TITLE = "ML system designs"


@dataclass(frozen=True)
class BuildResult:
    """What building one spec did."""

    spec: Spec
    files: tuple[Path, ...]
    skipped: bool
    warnings: tuple[str, ...]
    input_hash: str
    error: str | None = None  # why the spec failed, with --keep-going


def check_unique_ids(specs: list[Spec]) -> None:
    """Two specs with one id would overwrite each other's outputs (or the index's)."""
    reason = "spec id 'index' would overwrite build's index page; give the spec another 'id:'"
    check_ids(specs, {"index": reason})


def tool_digest(timeout: float = DEFAULT_TIMEOUT) -> str:
    """mlsd's version, its own code and icons, and Graphviz's version, as one digest.

    Hashing the code as well as the version means a change to mlsd itself
    (a fix between releases, an edited checkout) rebuilds everything.
    """
    digest = hashlib.sha256(f"{__version__}\0{graphviz_version(timeout)}\0".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".png", ".yaml") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def input_hash(spec: Spec, options: RenderOptions, template_files: list[Path], tool: str) -> str:
    """A digest of everything a spec's outputs depend on."""
    digest = hashlib.sha256()
    digest.update(f"{tool}\0{options!r}\0".encode())
    files = [*spec.source.chain, *(path for _, path in spec.source.icons), *template_files]
    for path in files:
        digest.update(str(path.name).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def build(
    specs: list[Spec],
    out_dir: Path,
    options: RenderOptions,
    *,
    templates: Path | None = None,
    title: str = INDEX_TITLE,
    jobs: int = 1,
    force: bool = False,
    keep_going: bool = False,
    note: Callable[[str], None] | None = None,
) -> list[BuildResult]:
    """Render every spec (all views too) into `out_dir`, skipping unchanged ones.

    A spec that fails stops the build, unless `keep_going`: then its error is
    recorded in its result and the other specs are built. Nothing is written
    until every spec has rendered; then all files are written at once. `note`
    hears about a build manifest that could not be used.
    """
    check_unique_ids(specs)
    options = replace(options, formats=BUILD_FORMATS)
    manifest, trouble = _read_manifest(out_dir)
    if trouble and note is not None:
        note(trouble)
    tool = tool_digest(options.timeout)
    inputs = template_files(templates)

    files: dict[Path, bytes] = {}

    def one(spec: Spec) -> BuildResult:
        key = input_hash(spec, options, inputs, tool)
        previous = manifest.get(spec.id, {})
        outputs = [out_dir / name for name in previous.get("files", [])]
        if not force and previous.get("hash") == key and outputs and all(p.is_file() for p in outputs):
            return BuildResult(spec, tuple(outputs), True, (), key)
        try:
            # The practice picture keeps the main picture's layout: Graphviz lays it out once.
            arranged = arrange_picture(spec, options)
            rendered, warnings = spec_outputs(
                spec, out_dir, options, all_views=True, templates=templates, arranged={None: arranged}
            )
            rehearsal = practice(spec, arranged=arranged)
        except MlsdError as err:
            if not keep_going:
                raise
            return BuildResult(spec, (), False, (), key, error=str(err))
        rendered = {**rendered, **{out_dir / name: data for name, data in rehearsal.files.items()}}
        files.update(rendered)
        return BuildResult(spec, tuple(rendered), False, warnings + rehearsal.warnings, key)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, specs))

    # A failed spec has no entry, so the next build tries it again.
    entries = {
        r.spec.id: {"hash": r.input_hash, "files": sorted(p.name for p in r.files)} for r in results if r.error is None
    }
    built = [r.spec for r in results if r.error is None]
    for fmt in ("md", "html"):
        files[out_dir / f"index.{fmt}"] = index_text(built, fmt, templates, title).encode("utf-8")
    manifest_text = json.dumps({"format": 1, "specs": entries}, indent=2, sort_keys=True) + "\n"
    files[out_dir / MANIFEST] = manifest_text.encode("utf-8")
    for path in (out_dir / "index.md", out_dir / "index.html", out_dir / MANIFEST):
        # An index or manifest that would not change is left alone, so a build with
        # nothing to do writes nothing (tools watching the folder see no change).
        if _holds(path, files[path]):
            del files[path]
    # Written only once every spec has rendered, all at once, so a failure writes nothing.
    write_all(dict(sorted(files.items())))
    return results


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (False if it cannot be read)."""
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


@dataclass(frozen=True)
class IndexView:
    """A view of a spec, as the index links it."""

    title: str
    picture: str


@dataclass(frozen=True)
class IndexEntry:
    """One spec on the index page."""

    id: str
    title: str
    summary: str | None
    task: str | None
    components: int
    flows: int
    extends: str | None
    picture: str
    views: tuple[IndexView, ...]
    practice: str = ""  # the practice page


def index_entries(specs: list[Spec]) -> list[IndexEntry]:
    """What the index shows of each spec, sorted by title."""
    return [
        IndexEntry(
            id=spec.id,
            title=spec.title,
            summary=spec.summary,
            task=spec.framing.task,
            components=len(spec.components),
            flows=len(spec.edges),
            extends=spec.extends,
            picture=f"{spec.id}.svg",
            views=tuple(IndexView(view.title or name, f"{spec.id}.{name}.svg") for name, view in spec.views.items()),
            practice=page_name(spec.id),
        )
        for spec in sorted(specs, key=lambda s: (s.title.lower(), s.id))
    ]


def index_text(specs: list[Spec], fmt: str, templates: Path | None = None, title: str = INDEX_TITLE) -> str:
    """The index page (`md` or `html`) linking every spec's picture and explanation."""
    from mlsd.explain.render import environment, render

    variables: dict[str, object] = {"specs": index_entries(specs), "title": title, "version": __version__}
    text = render(environment(templates), f"index.{fmt}.j2", variables)
    if fmt == "md":
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text


def write_index(specs: list[Spec], out_dir: Path, templates: Path | None, title: str) -> list[Path]:
    """Write `index.md` and `index.html` into `out_dir`."""
    written = []
    for fmt in ("md", "html"):
        path = out_dir / f"index.{fmt}"
        write_atomic(path, index_text(specs, fmt, templates, title))
        written.append(path)
    return written


def _read_manifest(out_dir: Path) -> tuple[dict[str, dict], str | None]:
    """The entries of the build manifest, and why it could not be used (then every spec is rebuilt)."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except OSError as err:
        return {}, f"cannot read {path} ({err.strerror or err}); rebuilding every spec"
    except (ValueError, RecursionError):
        return {}, f"{path} is damaged; rebuilding every spec"
    specs = data.get("specs") if isinstance(data, dict) and data.get("format") == 1 else None
    if not isinstance(specs, dict) or not all(_usable_entry(entry) for entry in specs.values()):
        return {}, f"{path} is not a build manifest of this mlsd; rebuilding every spec"
    return specs, None


def _usable_entry(entry: object) -> bool:
    """An entry names its hash and its files, each a plain name inside the output folder."""
    if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str):
        return False
    files = entry.get("files")
    return isinstance(files, list) and all(
        isinstance(name, str) and name not in ("", ".", "..") and not set(name) & {"/", "\\", "\0"} for name in files
    )
