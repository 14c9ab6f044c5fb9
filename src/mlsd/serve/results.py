"""What the preview shows: one spec (or one diff) turned into plain, frozen data.

These functions do the slow work (YAML, Graphviz, Jinja) and never raise for
anything a spec or the machine can cause: every failure becomes text on the
page. They run on the preview's worker thread, never on a request thread.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from mlsd.errors import MlsdError, SpecError
from mlsd.model import Spec

PENDING = "pending"  # not loaded yet
VALID = "valid"
INVALID = "invalid"  # located problems (FILE:LINE:COL: error: ...)
BROKEN = "broken"  # unusable for another reason: unreadable file, internal error


@dataclass(frozen=True)
class SpecResult:
    """One spec as the pages show it: its status, and once rendered, its picture and
    review, then its explanation. A part that failed carries its error instead."""

    name: str  # path relative to the specs folder, with "/"
    status: str = PENDING
    title: str | None = None
    spec_id: str | None = None
    problems: tuple[str, ...] = ()
    error: str | None = None
    rendered: bool = False
    pictures: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # theme -> SVG document
    picture_error: str | None = None
    warnings: tuple[str, ...] = ()
    explained: bool = False  # the explanation below is this version's (it is written after the picture)
    explanation: str | None = None  # a whole HTML document
    explanation_error: str | None = None
    findings: tuple[Mapping[str, object], ...] = ()
    review_error: str | None = None
    files: frozenset[Path] = frozenset()  # resolved inputs: the spec, its bases, its icons
    chain: tuple[str, ...] = ()  # the spec and its bases, relative to the specs folder
    seconds: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class DiffResult:
    """Two specs compared: the report, the pictures, or why there are none."""

    old: str
    new: str
    view: str
    status: str = PENDING
    problems: tuple[str, ...] = ()
    error: str | None = None
    report: str = ""
    counts: str = ""
    pictures: tuple[tuple[str, str], ...] = ()  # (caption, SVG document), old before new
    picture_error: str | None = None
    note: str | None = None
    files: frozenset[Path] = frozenset()


def load_result(name: str, path: Path, root: Path) -> tuple[SpecResult, Spec | None]:
    """Load a spec (cheap: no Graphviz); the result for the index page, and the spec if valid."""
    try:
        spec = load_quietly(path)
    except SpecError as err:
        return SpecResult(name, INVALID, problems=tuple(str(p) for p in err.problems), files=_own(path)), None
    except MlsdError as err:
        return SpecResult(name, BROKEN, error=str(err), files=_own(path)), None
    except Exception as err:
        return SpecResult(name, BROKEN, error=internal(err), files=_own(path)), None
    source = spec.source
    inputs = {*source.chain, *(icon for _, icon in source.icons)}
    chain = tuple(_relative(p, root) for p in source.chain)
    result = SpecResult(
        name, VALID, title=spec.title, spec_id=spec.id, files=frozenset(p.resolve() for p in inputs), chain=chain
    )
    return result, spec


def draw_result(result: SpecResult, spec: Spec) -> SpecResult:
    """Add the pictures (both themes, laid out once) and the review: what a save changes first."""
    from mlsd.render import RenderOptions, render_in_themes
    from mlsd.review import review_summary

    started = time.monotonic()
    pictures: dict[str, str] = {}
    picture_error = None
    warnings: list[str] = []
    try:
        for theme, drawn in render_in_themes(spec, RenderOptions(formats=("svg",))).items():
            pictures[theme] = drawn.files["svg"].decode("utf-8")
            warnings += drawn.warnings
    except Exception as err:
        pictures, picture_error = {}, _message(err)
    findings: tuple[Mapping[str, object], ...] = ()
    review_error = None
    try:
        findings = tuple(review_summary(spec))
    except Exception as err:
        review_error = _message(err)
    return replace(
        result,
        rendered=True,
        pictures=MappingProxyType(pictures),
        picture_error=picture_error,
        warnings=tuple(dict.fromkeys(warnings)),
        findings=findings,
        review_error=review_error,
        seconds=result.seconds + time.monotonic() - started,
    )


def explain_result(result: SpecResult, spec: Spec, templates: Path | None) -> SpecResult:
    """Add the written explanation (Jinja and the glossary: slower than the review, less urgent than the picture)."""
    from mlsd.explain import explain

    started = time.monotonic()
    explanation = explanation_error = None
    try:
        # The picture is shown above the explanation, so it is not inlined twice.
        explanation = explain(spec, "html", templates=templates)
    except Exception as err:
        explanation_error = _message(err)
    return replace(
        result,
        explained=True,
        explanation=explanation,
        explanation_error=explanation_error,
        seconds=result.seconds + time.monotonic() - started,
    )


def diff_result(old: str, new: str, view: str, paths: tuple[Path, Path], root: Path) -> DiffResult:
    """Compare two specs of the folder and draw the diff picture of `view`."""
    from mlsd.diff import Names, diff_specs, to_text

    base = DiffResult(old, new, view, files=frozenset(p.resolve() for p in paths))
    specs: list[Spec] = []
    problems: list[str] = []
    for path in paths:
        try:
            specs.append(load_quietly(path))
        except SpecError as err:
            problems += [str(p) for p in err.problems]
        except Exception as err:
            return replace(base, status=BROKEN, error=_message(err))
    if problems:
        return replace(base, status=INVALID, problems=tuple(problems))
    old_spec, new_spec = specs
    inputs = {p.resolve() for s in specs for p in (*s.source.chain, *(icon for _, icon in s.source.icons))}
    try:
        diff = diff_specs(old_spec, new_spec, {})
        report = to_text(diff, Names(old, new))
    except Exception as err:
        return replace(base, status=BROKEN, error=_message(err), files=frozenset(inputs))
    counts = report.splitlines()[1] if len(report.splitlines()) > 1 else ""
    pictures: tuple[tuple[str, str], ...] = ()
    picture_error = note = None
    try:
        from mlsd.diff.picture import draw_diff  # diagrams is slow to import

        drawn = draw_diff(diff, view, captions=(old, new))
        note = drawn.note
        named = {"before": old, "after": new, "overlay": f"{old} → {new}"}
        pictures = tuple(
            (f"{_caption(name)}: {named.get(_caption(name), name)}", data.decode("utf-8"))
            for name, data in sorted(drawn.files.items(), key=_side_order)
            if name.endswith(".svg")
        )
    except Exception as err:
        picture_error = _message(err)
    return replace(
        base,
        status=VALID,
        report=report,
        counts=counts,
        pictures=pictures,
        picture_error=picture_error,
        note=note,
        files=frozenset(inputs),
    )


def load_quietly(path: Path) -> Spec:
    """`load_spec`, imported late: the loader pulls in pydantic, which the HTTP side does not need."""
    from mlsd.load import load_spec

    return load_spec(path)


def internal(err: BaseException) -> str:
    """One line naming a bug, as the CLI prints it."""
    return f"internal error: {type(err).__name__}: {err} (this is a bug in mlsd; please report it)"


def _message(err: BaseException) -> str:
    if isinstance(err, SpecError):
        return "\n".join(str(p) for p in err.problems)
    if isinstance(err, MlsdError):
        return str(err)
    return internal(err)


def _own(path: Path) -> frozenset[Path]:
    return frozenset({path.resolve()})


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return os.fspath(path)


def _caption(file_name: str) -> str:
    # `<old>--<new>.<view>.svg`: the view part names the picture.
    part = file_name.rsplit(".", 2)[-2]
    return {"old": "before", "new": "after", "diff": "overlay"}.get(part, part)


def _side_order(item: tuple[str, bytes]) -> tuple[int, str]:
    caption = _caption(item[0])
    return ({"before": 0, "after": 1}.get(caption, 2), item[0])
