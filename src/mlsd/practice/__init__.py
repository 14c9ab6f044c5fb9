"""`mlsd practice`: turn a spec into rehearsal material for a timed ML system design interview.

One self-contained HTML page per spec (the picture with its names hidden, the
question cards, the talk track with a timer and self-checks), a Markdown
version for printing, and the hidden-name picture it links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mlsd.atomic import write_atomic
from mlsd.catalogue import tech
from mlsd.errors import InputError
from mlsd.model import Spec
from mlsd.practice.diagram import build_diagram
from mlsd.practice.page import PAGE_POLICY, html_page, markdown
from mlsd.practice.plan import build_plan, default_minutes, min_minutes
from mlsd.render import Arranged

__all__ = [
    "MAX_MINUTES",
    "PAGE_POLICY",
    "Practice",
    "default_minutes",
    "min_minutes",
    "page_name",
    "practice",
    "write_practice",
]

# The longest interview the timer is built for (a take-home walk-through, at most).
MAX_MINUTES = 240


@dataclass(frozen=True)
class Practice:
    """The practice files of one spec, in memory: file name -> content."""

    spec: Spec
    files: dict[str, bytes]
    warnings: tuple[str, ...]


def page_name(spec_id: str, ext: str = "html") -> str:
    """The file name of a spec's practice page (`ext` html or md) or picture (svg)."""
    return f"{spec_id}.practice.{ext}"


def practice(spec: Spec, minutes: int | None = None, arranged: Arranged | None = None) -> Practice:
    """The practice page, its Markdown version and its hidden-name picture for `spec`.

    `arranged` is the placement of the design's picture when the caller has it already.
    """
    minutes = default_minutes() if minutes is None else minutes
    if not min_minutes() <= minutes <= MAX_MINUTES:
        raise InputError(f"--minutes must be between {min_minutes()} and {MAX_MINUTES}, not {minutes}")
    plan = build_plan(spec, minutes)
    diagram = build_diagram(spec, arranged)
    picture = page_name(spec.id, "svg")
    names = [(number, _name(spec, cid)) for number, cid in enumerate(spec.components, start=1)]
    svg = diagram.svgs[next(iter(diagram.svgs))]
    files = {
        page_name(spec.id, "html"): html_page(plan, diagram).encode("utf-8"),
        page_name(spec.id, "md"): markdown(plan, diagram, picture, names).encode("utf-8"),
        picture: (svg + "\n").encode("utf-8"),
    }
    return Practice(spec, files, diagram.warnings)


def write_practice(specs: Sequence[Spec], out_dir: Path, minutes: int | None = None) -> list[Practice]:
    """Make every spec's practice files, then write them all into `out_dir` (none if one fails)."""
    made = [practice(spec, minutes) for spec in specs]
    for item in made:
        for name, data in sorted(item.files.items()):
            write_atomic(out_dir / name, data)
    return made


def _name(spec: Spec, component_id: str) -> str:
    written = spec.components[component_id].tech
    known = tech(written) if written else None
    product = known.label if known else written
    return f"{spec.label(component_id)} ({product})" if product else spec.label(component_id)
