"""What a rehearsal holds, drawn from a spec: the talk track, its time budget and the cards.

The steps, their weights, points and self-checks, and the question cards are
`mlsd/data/practice.yaml`, read and validated on first use. Everything here is
text and numbers, no picture: `mlsd.practice.diagram` draws the hidden-name
picture, `mlsd.practice.page` writes the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from mlsd.datafile import DataModel, load_data
from mlsd.explain import questions
from mlsd.explain.pitfalls import evidence, pitfalls, spec_texts
from mlsd.model import Spec, humanise
from mlsd.render import reveal_steps
from mlsd.vocabulary import SECTIONS, SERVING_MODES, TASK_FAMILY, TASKS

# `architecture` is the drawing: its points are the picture's reveal steps.
ARCHITECTURE = "architecture"
# The budget is handed out in half minutes, so every step gets some time.
UNIT_SECONDS = 30
_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


def _part(key: str) -> str:
    if key != ARCHITECTURE and key not in questions.parts():
        raise ValueError(f"unknown spec part {key!r} (questions.yaml's parts, or {ARCHITECTURE!r})")
    return key


def _section(name: str) -> str:
    if name not in SECTIONS:
        raise ValueError(f"unknown section {name!r} (vocabulary.yaml lists {', '.join(SECTIONS)})")
    return name


def _asked(text: str) -> str:
    if not text[:1].isupper() or not text.endswith("?"):
        raise ValueError(f"a card's question starts upper-case and ends with '?': {text!r}")
    return text


Part = Annotated[str, AfterValidator(_part)]
Text = Annotated[str, Field(min_length=1)]


class _Step(DataModel):
    id: str = Field(pattern=_ID)
    title: Text
    sections: tuple[Annotated[str, AfterValidator(_section)], ...] = Field(min_length=1)
    weight: int = Field(gt=0, le=100)
    points: tuple[Part, ...] = Field(min_length=1)
    checks: tuple[Text, ...] = Field(min_length=1)


class _Card(DataModel):
    id: str = Field(pattern=_ID)
    step: str
    question: Annotated[str, AfterValidator(_asked)]
    answers: tuple[Part, ...] = Field(min_length=1)


class _PracticeFile(DataModel):
    default_minutes: int = Field(gt=0, le=600)
    steps: tuple[_Step, ...] = Field(min_length=1)
    cards: tuple[_Card, ...] = ()
    pitfalls_step: str

    @model_validator(mode="after")
    def _consistent(self) -> _PracticeFile:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError("two steps share one id")
        covered = [name for s in self.steps for name in s.sections]
        missing = [name for name in SECTIONS if name not in covered]
        if missing or len(covered) != len(set(covered)):
            raise ValueError(f"every section belongs to exactly one step (missing: {', '.join(missing) or 'none'})")
        card_ids = [c.id for c in self.cards]
        if len(set(card_ids)) != len(card_ids):
            raise ValueError("two cards share one id")
        unknown = [c.step for c in self.cards if c.step not in ids] + [s for s in (self.pitfalls_step,) if s not in ids]
        if unknown:
            raise ValueError(f"unknown step {unknown[0]!r} (steps: {', '.join(ids)})")
        return self


@cache
def _data() -> _PracticeFile:
    return load_data("practice.yaml", _PracticeFile)


@dataclass(frozen=True)
class Answer:
    """A part of the spec as a card or a talk-track step shows it: its name and its text."""

    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Missing:
    """A part the spec leaves out, and the open question a candidate should answer instead."""

    label: str
    question: str


@dataclass(frozen=True)
class Card:
    """A question, the spec's own answer, and what the spec leaves unanswered."""

    id: str
    question: str
    answers: tuple[Answer, ...]
    missing: tuple[Missing, ...]
    why: str | None = None  # a pitfall's reason

    @property
    def unanswered(self) -> bool:
        """True when the spec has nothing to say to this card."""
        return not self.answers


@dataclass(frozen=True)
class TrackStep:
    """One framework step of the talk track, with its slot of the interview."""

    id: str
    title: str
    start: int  # seconds from the start of the interview
    seconds: int
    points: tuple[Answer, ...]
    checks: tuple[str, ...]
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Plan:
    """The whole rehearsal of one spec, without its picture."""

    spec_id: str
    title: str
    minutes: int
    steps: tuple[TrackStep, ...]

    @property
    def cards(self) -> tuple[Card, ...]:
        """Every card, in talk-track order."""
        return tuple(card for step in self.steps for card in step.cards)


def default_minutes() -> int:
    """How long an interview is when no length is given."""
    return _data().default_minutes


def min_minutes() -> int:
    """The shortest interview that gives every step at least one half minute."""
    return -(-len(_data().steps) * UNIT_SECONDS // 60)


def budget(weights: list[int], minutes: int) -> list[int]:
    """Seconds per step, in half minutes, proportional to `weights` and summing to `minutes`.

    Largest remainders first (ties to the earlier step); a step that would get
    nothing takes a half minute from the step with the most.
    """
    units = minutes * 60 // UNIT_SECONDS
    total = sum(weights)
    exact = [units * w / total for w in weights]
    given = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - given[i]), i))
    for i in order[: units - sum(given)]:
        given[i] += 1
    for i, value in enumerate(given):
        if value == 0:
            richest = max(range(len(given)), key=lambda j: (given[j], -j))
            if given[richest] > 1:
                given[richest] -= 1
                given[i] = 1
    return [g * UNIT_SECONDS for g in given]


def label(key: str) -> str:
    """How a card names a spec part: `metrics.offline` is 'Offline metrics'."""
    section, _, name = key.partition(".")
    if not name:
        return "Reveal steps" if key == ARCHITECTURE else humanise(section)
    return f"{humanise(name)} metrics" if section == "metrics" else humanise(name)


def items(spec: Spec, key: str) -> tuple[str, ...]:
    """The spec's own text for a part, one item per line it would be read out as."""
    section, _, name = key.partition(".")
    if key == ARCHITECTURE:
        return tuple(title for title, _ in reveal_steps(spec))
    if section == "features":
        return tuple(
            f.name + (f" ({f.freshness})" if f.freshness else "") + (f": {f.description}" if f.description else "")
            for f in spec.features
        )
    if section == "metrics":
        return tuple(
            m.name + (f" (target {m.target})" if m.target else "") + (f": {' '.join(m.why.split())}" if m.why else "")
            for m in getattr(spec.metrics, name)
        )
    if key == "requirements.scale":
        return tuple(f"{k.replace('_', ' ')}: {v}" for k, v in spec.requirements.scale.items())
    if key == "framing.task" and spec.framing.task:
        return (TASKS[spec.framing.task].prose,)
    if key == "serving.mode" and spec.serving.mode:
        return (f"{spec.serving.mode}: {SERVING_MODES[spec.serving.mode]}",)
    value = getattr(getattr(spec, section), name) if name else getattr(spec, section)
    if isinstance(value, list):
        return tuple(" ".join(str(v).split()) for v in value if v)
    return (" ".join(str(value).split()),) if value else ()


def build_plan(spec: Spec, minutes: int) -> Plan:
    """The talk track of `spec` for an interview of `minutes`, with its question cards."""
    data = _data()
    task = spec.framing.task
    family = TASK_FAMILY.get(task) if task else None
    seconds = budget([s.weight for s in data.steps], minutes)
    steps = []
    start = 0
    for step, slot in zip(data.steps, seconds, strict=True):
        cards = [_card(spec, c.id, c.question, c.answers, family, task) for c in data.cards if c.step == step.id]
        if step.id == data.pitfalls_step:
            cards += _pitfall_cards(spec, family, task)
        points = tuple(Answer(label(k), found) for k in step.points if (found := items(spec, k)))
        steps.append(TrackStep(step.id, step.title, start, slot, points, step.checks, tuple(cards)))
        start += slot
    return Plan(spec.id, spec.title, minutes, tuple(steps))


def _card(spec: Spec, card_id: str, asked: str, keys: tuple[str, ...], family: str | None, task: str | None) -> Card:
    answers = tuple(Answer(label(k), found) for k in keys if (found := items(spec, k)))
    missing = tuple(Missing(label(k), _open(k, family, task)) for k in keys if not items(spec, k))
    return Card(card_id, asked, answers, missing)


def _open(key: str, family: str | None, task: str | None) -> str:
    text = questions.ask(key, family, task) if key in questions.parts() else "what would you draw here?"
    return text[:1].upper() + text[1:]


def _pitfall_cards(spec: Spec, family: str | None, task: str | None) -> list[Card]:
    if family is None:
        # Without a task there is no family, so no pitfalls to probe: say so on a card.
        return [
            Card(
                "pitfalls",
                "Which pitfalls of this task will the interviewer probe?",
                (),
                (Missing(label("framing.task"), _open("framing.task", None, None)),),
            )
        ]
    texts = spec_texts(spec)
    cards = []
    for pitfall in pitfalls(family, task):
        found = evidence(pitfall, texts)
        asked = f"{pitfall.title}: {pitfall.question[:1].upper()}{pitfall.question[1:]}"
        if found is None:
            # The card's question is the open question: nothing more to ask.
            cards.append(Card(f"pitfall-{pitfall.id}", asked, (), (), pitfall.why))
        else:
            answer = Answer(found.where[:1].upper() + found.where[1:], (found.quote,))
            cards.append(Card(f"pitfall-{pitfall.id}", asked, (answer,), (), pitfall.why))
    return cards
