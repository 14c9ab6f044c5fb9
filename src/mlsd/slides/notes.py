"""Speaker notes: the explanation, cut into sections and handed out to the slides.

The notes are the Markdown explanation (`explain(spec, "md")`) turned into
plain text, so they say exactly what the written explanation says. Which
section goes to which slide:

- title slide: Summary, Clarifying requirements (without the capacity
  estimates), Framing as an ML task;
- a reveal step: the components it adds (with their roles), then the sections
  of each stage it is the first to show:
  client: the online request path;
  data: Data preparation and the offline pipelines;
  features: Feature engineering;
  training: Model development;
  serving: the online request path (when no client step came first), Serving,
  and Online testing and deployment;
  monitoring: Monitoring and maintenance and the feedback loops.
  The last step also gets whatever no step claimed (a stage with no
  components, other flows, groups, the architecture's open questions);
- metrics slide: Metrics; when the metrics take two slides, each slide gets
  the subsections of the groups it shows (the second headed "Metrics,
  continued");
- capacity slide: Scale and capacity estimates, Scaling, Other talking points;
  a continuation slide of the estimates points back to them.

A picture slide is any slide of the walk-through: a reveal step of the whole
design, or a step of one of its views (see `mlsd.slides.frames`); "the
components it adds" are those no earlier slide showed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from mlsd.catalogue import STAGES
from mlsd.explain import ExplanationContext, explain
from mlsd.explain.phrase import Phrase
from mlsd.model import Spec

# A piece of the explanation: (context attribute of the section, subsection
# title). `WHOLE` takes the whole section, `INTRO` only what comes before its
# first subsection.
WHOLE = None
INTRO = ""
Piece = tuple[str, "str | None"]

TITLE_PIECES: tuple[Piece, ...] = (("summary", WHOLE), ("requirements", INTRO), ("framing", WHOLE))
METRICS_PIECES: tuple[Piece, ...] = (("metrics", WHOLE),)
CAPACITY_PIECES: tuple[Piece, ...] = (
    ("requirements", "Scale and capacity estimates"),
    ("scaling", WHOLE),
    ("talking_points", WHOLE),
)
STAGE_PIECES: Mapping[str, tuple[Piece, ...]] = MappingProxyType(
    {
        "client": (("architecture", "Online request path"),),
        "data": (("data", WHOLE), ("architecture", "Offline pipelines")),
        "features": (("features", WHOLE),),
        "training": (("model", WHOLE),),
        "serving": (("architecture", "Online request path"), ("serving", WHOLE), ("testing", WHOLE)),
        "monitoring": (("monitoring", WHOLE), ("architecture", "Feedback loops")),
    }
)
# Claimed by no stage; it closes the walk-through on the last step, with the
# groups and the architecture's open questions (taken from the context: in the
# Markdown they trail whichever subsection comes last).
LAST_STEP_PIECES: tuple[Piece, ...] = (("architecture", "Other flows"),)

# Markdown the explanation writes: a backslash escape (spec text), bold
# markers, code spans, and the two emphasised lead-ins of its templates.
_MARKUP = re.compile(r"\\([!-/:-@\[-`{-~])|\*\*|`|_(Open question:|Fix:)_")
_IMAGE = re.compile(r"^!\[.*\]\(.*\)$")


def plain(line: str) -> str:
    """One line of the explanation's Markdown as plain text."""
    return _MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", line)


def say(phrase: Phrase) -> str:
    """A phrase as plain text: mlsd's words with the spec text slotted in."""
    return phrase.text.format(*phrase.args) if phrase.args else phrase.text


@dataclass(frozen=True)
class MarkdownSection:
    """One `##` section of the explanation, as plain-text lines, split at its `###` headings."""

    title: str
    intro: tuple[str, ...]
    parts: Mapping[str, tuple[str, ...]]  # subsection title -> its lines, in order


def sections(markdown: str) -> dict[str, MarkdownSection]:
    """The explanation's `##` sections by title."""
    found: dict[str, MarkdownSection] = {}
    title: str | None = None
    intro: list[str] = []
    parts: dict[str, list[str]] = {}
    current = intro

    def close() -> None:
        if title is not None:
            found[title] = MarkdownSection(
                title, tuple(intro), MappingProxyType({k: tuple(v) for k, v in parts.items()})
            )

    for line in markdown.splitlines():
        # Spec text can never start a line with '#': md_escape escapes it.
        if line.startswith("## "):
            close()
            title, intro, parts = plain(line[3:]), [], {}
            current = intro
        elif line.startswith("### "):
            current = parts.setdefault(plain(line[4:]), [])
        elif line.startswith("# ") or _IMAGE.match(line):
            continue
        else:
            current.append(plain(line))
    close()
    return found


def _tidy(lines: Sequence[str]) -> list[str]:
    """Lines without leading, trailing or repeated blank lines."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    while out and not out[-1].strip():
        out.pop()
    return out


@dataclass(frozen=True)
class Notes:
    """The speaker notes of every slide of a deck, in slide order."""

    title: str
    steps: tuple[str, ...]
    metrics: tuple[str, ...]  # one per metrics slide
    capacity: str


class _Writer:
    """Turns pieces into text; remembers what was handed out so nothing is said twice."""

    def __init__(self, ctx: ExplanationContext, found: Mapping[str, MarkdownSection]) -> None:
        self.ctx = ctx
        self.found = found
        self.used: set[Piece] = set()

    def text(self, pieces: Sequence[Piece]) -> list[str]:
        out: list[str] = []
        for piece in pieces:
            if piece in self.used:
                continue
            self.used.add(piece)
            out += self._piece(*piece)
        return out

    def some_parts(self, attribute: str, names: Sequence[str], *, first: bool) -> list[str]:
        """The intro (when `first`) and the named subsections of a section, under its
        heading, or "heading, continued" after the first."""
        title = getattr(self.ctx, attribute).title
        section = self.found.get(title)
        if section is None:
            return []
        body = list(section.intro) if first else []
        for name in names:
            if name in section.parts and (attribute, name) not in self.used:
                self.used.add((attribute, name))
                body += ["", name, *section.parts[name]]
        self.used.add((attribute, WHOLE))
        lines = _tidy(body)
        heading = title if first else f"{title}, continued"
        return ["", heading.upper(), *lines] if lines else []

    def _piece(self, attribute: str, part: str | None) -> list[str]:
        title = getattr(self.ctx, attribute).title
        section = self.found.get(title)
        if section is None:
            return []
        if part is WHOLE:
            body = list(section.intro)
            for name, part_lines in section.parts.items():
                body += ["", name, *part_lines]
            heading = title
        elif part == INTRO:
            body, heading = list(section.intro), title
        else:
            if part not in section.parts:
                return []
            body, heading = list(section.parts[part]), f"{title}: {part}"
        lines = _tidy(body)
        return ["", heading.upper(), *lines] if lines else []


def _adds(ctx: ExplanationContext, added: Sequence[str]) -> list[str]:
    roles = {r.id: r for r in ctx.architecture.roles()}
    if not added:
        return ["This step adds no new components."]
    out = ["This step adds:"]
    for cid in added:
        role = roles[cid]
        what = f"{role.kind}, {role.tech}" if role.tech else role.kind
        tail = f": {role.description}" if role.description else f" {role.role_clause}"
        out.append(" ".join(f"- {role.label} ({what}){tail}".split()))
    return out


def _closing(ctx: ExplanationContext) -> list[str]:
    """The groups and the architecture's open questions, for the last step."""
    arch = ctx.architecture
    out: list[str] = []
    if arch.groups:
        out += ["", f"{arch.title}: groups".upper()]
        for group in arch.groups:
            members = ", ".join(group.members) if group.members else "no components"
            described = f". {group.description}" if group.description else ""
            out.append(" ".join(f"- {group.label}: {members}{described}".split()))
    if arch.questions:
        out += ["", f"{arch.title}: open questions".upper()]
        out += [f"- Open question: {say(q)}" for q in arch.questions]
    return out


def _join(lines: Sequence[str]) -> str:
    return "\n".join(_tidy(lines))


def deck_notes(
    spec: Spec,
    ctx: ExplanationContext,
    steps: Sequence[tuple[str, Sequence[str]]],
    metric_pages: Sequence[Sequence[str]] = (),
) -> Notes:
    """Notes for the title slide, each picture slide (title, components it adds), the
    metrics slides (the metric group titles each shows; none: one slide of them all)
    and the capacity slide."""
    writer = _Writer(ctx, sections(explain(spec, "md", picture_name=f"{spec.id}.png")))
    title = writer.text(TITLE_PIECES)
    if len(metric_pages) > 1:
        metrics = [
            _join(writer.some_parts("metrics", names, first=index == 0)) for index, names in enumerate(metric_pages)
        ]
    else:
        metrics = [_join(writer.text(METRICS_PIECES))]
    capacity = writer.text(CAPACITY_PIECES)
    seen: set[str] = set()
    step_notes: list[list[str]] = []
    for step_title, added in steps:
        new_stages = [s for s in STAGES if s not in seen and any(spec.stage(c) == s for c in added)]
        seen.update(new_stages)
        lines = [step_title, *_adds(ctx, added)]
        for stage in new_stages:
            lines += writer.text(STAGE_PIECES[stage])
        step_notes.append(lines)
    if step_notes:
        leftovers = [p for stage in STAGES for p in STAGE_PIECES[stage]] + list(LAST_STEP_PIECES)
        step_notes[-1] += writer.text(leftovers) + _closing(ctx)
    return Notes(_join(title), tuple(_join(n) for n in step_notes), tuple(metrics), _join(capacity))
