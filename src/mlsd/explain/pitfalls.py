"""The pitfalls an interviewer probes in each task family, and where a spec deals with them.

The pitfalls are `mlsd/data/pitfalls.yaml`, read and validated on first use:
for each metric family of the glossary (see `mlsd.vocabulary.TASK_FAMILY`) a
list of pitfalls, each with the open question to ask and the `signals`, words
or phrases that show a design addresses it. `evidence` looks for the signals
in the spec's own text, whole words and any case, the most telling signal
first, and returns where it found one with the spec's short phrase around it.

Where the text is searched, in this order: the design's decisions first (data,
features, model, serving, testing, monitoring, scaling), then what frames them
(metrics, framing) and last the talking points, which often only name a topic.
`requirements` is not searched: it states the problem, not what the design does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from mlsd.datafile import DataModel, load_data
from mlsd.explain.glossary import families
from mlsd.model import Spec
from mlsd.vocabulary import TASK_FAMILY, TASKS

# How long a quoted phrase may be, in words, before it is cut around the signal.
QUOTE_WORDS = 14


@dataclass(frozen=True)
class Pitfall:
    """One pitfall of a family: what it is called, why it bites, what to ask, what shows it is handled."""

    id: str
    family: str
    title: str
    why: str
    question: str
    signals: tuple[str, ...]
    tasks: tuple[str, ...]  # empty: every task of the family
    parts: tuple[str, ...]  # spec parts that, when written, address it (`data.imbalance`)


@dataclass(frozen=True)
class Evidence:
    """Where a spec addresses a pitfall: mlsd's name for the place, the spec's phrase, the signal."""

    where: str  # "data preparation (bias)"
    quote: str  # spec text
    signal: str | None  # the signal found; None when a part written for the pitfall answers it


def _plain(text: str) -> str:
    # Titles, reasons and questions become Phrase text, which str.format reads.
    if "{" in text or "}" in text:
        raise ValueError(f"no braces in pitfall text: {text!r}")
    if not text.strip():
        raise ValueError("empty text")
    return text


def _sentence(text: str) -> str:
    _plain(text)
    if not text[:1].isupper() or not text.endswith("."):
        raise ValueError(f"'why' is one sentence, starting upper-case and ending with '.': {text!r}")
    return text


def _question(text: str) -> str:
    _plain(text)
    if not text[:1].islower():
        raise ValueError(f"a question starts in lower case: {text!r}")
    if not text.endswith("?"):
        raise ValueError(f"a question ends with '?': {text!r}")
    return text


def _family(name: str) -> str:
    if name not in families():
        raise ValueError(f"unknown family {name!r} (glossary.yaml lists {', '.join(families())})")
    return name


def _part(key: str) -> str:
    if key not in _WHERE:
        raise ValueError(f"unknown spec part {key!r} (known: {', '.join(_WHERE)})")
    return key


def _task(name: str) -> str:
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r} (known: {', '.join(TASKS)})")
    return name


class _Pitfall(DataModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    title: Annotated[str, AfterValidator(_plain)]
    why: Annotated[str, AfterValidator(_sentence)]
    question: Annotated[str, AfterValidator(_question)]
    signals: tuple[Annotated[str, Field(min_length=1), AfterValidator(_plain)], ...] = Field(min_length=1)
    tasks: tuple[Annotated[str, AfterValidator(_task)], ...] = ()
    parts: tuple[Annotated[str, AfterValidator(_part)], ...] = ()


class _PitfallsFile(DataModel):
    families: dict[Annotated[str, AfterValidator(_family)], Annotated[tuple[_Pitfall, ...], Field(min_length=1)]]

    @model_validator(mode="after")
    def _consistent(self) -> _PitfallsFile:
        problems: list[tuple[tuple[int | str, ...], str]] = []
        for family, entries in self.families.items():
            seen: set[str] = set()
            for i, pitfall in enumerate(entries):
                if pitfall.id in seen:
                    problems.append((("families", family, i, "id"), f"pitfall {pitfall.id!r} is listed twice"))
                seen.add(pitfall.id)
                for j, task in enumerate(pitfall.tasks):
                    if TASK_FAMILY.get(task) != family:
                        problems.append(
                            (("families", family, i, "tasks", j), f"task {task!r} is not of the {family} family")
                        )
        if problems:
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("pitfalls", "{problem}", {"problem": text}), loc=loc, input=None
                    )
                    for loc, text in problems
                ],
            )
        return self


@cache
def _pitfalls() -> tuple[Pitfall, ...]:
    data = load_data("pitfalls.yaml", _PitfallsFile)
    return tuple(
        Pitfall(p.id, family, p.title, p.why, p.question, p.signals, p.tasks, p.parts)
        for family, entries in data.families.items()
        for p in entries
    )


def pitfalls(family: str, task: str | None = None) -> tuple[Pitfall, ...]:
    """The pitfalls of a family, in the data file's order; with `task`, only those that apply to it."""
    return tuple(p for p in _pitfalls() if p.family == family and (task is None or not p.tasks or task in p.tasks))


def all_pitfalls() -> tuple[Pitfall, ...]:
    """Every pitfall of every family."""
    return _pitfalls()


@cache
def _pattern(signal: str) -> re.Pattern[str]:
    # Whole words, any case; a space and a hyphen between words match each other.
    words = [re.escape(w) for w in re.split(r"[\s\-]+", signal.strip()) if w]
    # A plural ending is allowed too: "threshold" finds "thresholds".
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?:e?s)?(?!\w)", re.IGNORECASE)


# The spec's parts that are searched, in search order: (key, how the explanation names it).
# Alternatives and candidates are left out: they describe options the design did not take.
PARTS: tuple[tuple[str, str], ...] = (
    ("data.sources", "data preparation (sources)"),
    ("data.labeling", "data preparation (labelling)"),
    ("data.sampling", "data preparation (sampling)"),
    ("data.splits", "data preparation (splits)"),
    ("data.imbalance", "data preparation (class imbalance)"),
    ("data.privacy", "data preparation (privacy)"),
    ("data.bias", "data preparation (bias)"),
    ("features", "feature engineering"),
    ("model.baseline", "model development (baseline)"),
    ("model.chosen", "model development (chosen model)"),
    ("model.loss", "model development (loss)"),
    ("model.training", "model development (training)"),
    ("serving.steps", "serving (steps)"),
    ("serving.fallback", "serving (fallback)"),
    ("serving.latency_budget", "serving (latency budget)"),
    ("testing.offline_gate", "online testing (offline gate)"),
    ("testing.online_experiment", "online testing (online experiment)"),
    ("testing.rollout", "online testing (rollout)"),
    ("monitoring.operational", "monitoring (operational metrics)"),
    ("monitoring.ml", "monitoring (ML metrics)"),
    ("monitoring.alerts", "monitoring (alerts)"),
    ("monitoring.retraining", "monitoring (retraining)"),
    ("scaling", "scaling"),
    ("metrics.business", "business metrics"),
    ("metrics.offline", "offline metrics"),
    ("metrics.online", "online metrics"),
    ("metrics.guardrail", "guardrail metrics"),
    ("framing.ml_objective", "framing (ML objective)"),
    ("framing.input", "framing (input)"),
    ("framing.output", "framing (output)"),
    ("framing.labels", "framing (labels)"),
    ("talking_points", "talking points"),
)
_WHERE = dict(PARTS)


def _values(spec: Spec, key: str) -> list[str]:
    section, _, name = key.partition(".")
    if section == "features":
        return [t for f in spec.features for t in (f.name, f.description) if t]
    if section == "metrics":
        return [t for m in getattr(spec.metrics, name) for t in (m.name, m.target, m.why) if t]
    value = getattr(getattr(spec, section), name) if name else getattr(spec, section)
    if isinstance(value, list):
        return [v for v in value if v]
    return [value] if value else []


def spec_texts(spec: Spec) -> tuple[tuple[str, str], ...]:
    """(part key, text) for every piece of the spec's own text that is searched, in search order."""
    return tuple((key, text) for key, _ in PARTS for text in _values(spec, key))


# Where a quoted phrase may start or end: after a sentence, at a semicolon or a dash.
_CLAUSE_BREAK = re.compile(r"(?<=[.;!?])\s+|\s+[—–]\s+|;\s*")
_COMMA = re.compile(r",\s+")


def _outside_brackets(text: str, breaks: re.Pattern[str]) -> list[re.Match[str]]:
    """The breaks of `text` not inside parentheses or brackets (a quote never cuts one open)."""
    depth, depths = 0, []
    for char in text:
        depth = max(depth + (char in "([") - (char in ")]"), 0)
        depths.append(depth)
    return [m for m in breaks.finditer(text) if depths[m.start()] == 0]


def _around(text: str, start: int, end: int, breaks: list[re.Match[str]]) -> tuple[int, int]:
    lo, hi = 0, len(text)
    for brk in breaks:
        if brk.end() <= start:
            lo = brk.end()
        elif brk.start() >= max(end, start + 1):
            hi = brk.start()
            break
    return lo, hi


def quote(text: str, start: int, end: int) -> str:
    """The spec's short phrase around text[start:end]: its clause, or the comma-separated
    part of a long clause, cut to `QUOTE_WORDS` words with '…' where it was cut."""
    clause_breaks = _outside_brackets(text, _CLAUSE_BREAK)
    lo, hi = _around(text, start, end, clause_breaks)
    # A clause of a word or two ("time-based; train on ..."), or a short one that ends with the
    # signal ("logs carry position bias; compare variants by ..."), names the problem but not
    # what is done about it: take the next clause too.
    later = [b for b in clause_breaks if b.start() > hi]
    words_in = len(text[lo:hi].split())
    if (words_in < 3 or (words_in <= 10 and len(text[end:hi].split()) < 2)) and hi < len(text):
        hi = later[0].start() if later else len(text)
    if len(text[lo:hi].split()) > QUOTE_WORDS:
        c_lo, c_hi = _around(text, start, end, [m for m in _outside_brackets(text, _COMMA) if lo <= m.start() < hi])
        c_lo, c_hi = max(c_lo, lo), min(c_hi, hi)
        if len(text[c_lo:c_hi].split()) >= 3:
            lo, hi = c_lo, c_hi
    words = [(w.start() + lo, w.end() + lo) for w in re.finditer(r"\S+", text[lo:hi])]
    if not words:
        return text.strip()
    first = next((i for i, (_, e) in enumerate(words) if e > start), 0)
    last = max((i for i, (b, _) in enumerate(words) if b < end), default=first)
    last = max(last, first)
    room = max(QUOTE_WORDS - (last - first + 1), 0)
    before = min(first, room // 3)
    after = min(len(words) - 1 - last, room - before)
    before = min(first, room - after)
    lo_word, hi_word = first - before, last + after
    shown = text[words[lo_word][0] : words[hi_word][1]].rstrip(".,;:")
    if lo_word > 0:
        shown = "… " + shown
    if hi_word < len(words) - 1:
        shown += " …"
    return shown


def evidence(pitfall: Pitfall, texts: tuple[tuple[str, str], ...]) -> Evidence | None:
    """Where the spec addresses the pitfall: a part written for it, else the first place, in
    search order, of its most telling signal found (the data file lists them most telling first),
    looking at the talking points only when the rest of the spec names none."""
    for key, text in texts:
        if key in pitfall.parts:
            flat = " ".join(text.split())
            if len(flat.split()) <= QUOTE_WORDS:
                return Evidence(_WHERE[key], flat.rstrip("."), _signal(pitfall, flat)[2])
            return Evidence(_WHERE[key], *_quoted(pitfall, flat, default=(0, 0)))
    flats = [(key, " ".join(text.split())) for key, text in texts]
    # What the design does comes before what it only lists as a topic to talk about.
    for tier in ([f for f in flats if f[0] != "talking_points"], [f for f in flats if f[0] == "talking_points"]):
        for signal in pitfall.signals:
            for key, flat in tier:
                match = _pattern(signal).search(flat)
                if match:
                    return Evidence(_WHERE[key], quote(flat, match.start(), match.end()), match.group(0))
    return None


def _signal(pitfall: Pitfall, text: str) -> tuple[int, int, str | None]:
    """The first of the pitfall's signals in `text`: its span and the words matched."""
    found = [m for m in (_pattern(s).search(text) for s in pitfall.signals) if m]
    if not found:
        return 0, 0, None
    first = min(found, key=lambda m: (m.start(), -m.end()))
    return first.start(), first.end(), first.group(0)


def _quoted(pitfall: Pitfall, text: str, default: tuple[int, int]) -> tuple[str, str | None]:
    start, end, signal = _signal(pitfall, text)
    if signal is None:
        start, end = default
    return quote(text, start, end), signal
