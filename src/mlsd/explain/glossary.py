"""A glossary of ML and product metrics: what each measures and when it is the right choice.

The metrics and their families are `mlsd/data/glossary.yaml`, read and
validated on first use. Names are matched loosely, the way people write them
in specs: case, spaces, hyphens and `@k` / `at 10` suffixes do not matter, and
aliases are known ("AUPRC" is PR-AUC, "recall at 0.1 % FPR" is recall at a
fixed FPR).

A written name that is not a name or alias is matched through its head term
(`lookup`), in this order, each step only when the one before found nothing:

1. the name as written, without its parenthesised parts;
2. the name cut before each qualifier tail (" of ...", " per ...", " vs ...",
   ", ..."), longest first, each also without qualifier words such as
   "offline", "daily", "p99 *decision* latency" and bare numbers:
   "MRR of the supporting passage" is MRR, "p99 decision latency under 100 ms"
   is p99 latency;
3. the longest glossary name or alias contained as whole words, preferring the
   one that ends last (English puts the head of a noun phrase last: "dwell-time
   head MAE" is MAE), again on the longest cut first;
4. the parenthesised parts ("... (CRPS)", "... (concentration)").

Steps 2 to 4 never match on words that are generic on their own ("rate",
"time", "score", "share"). The word lists are data, under `matching:` in the
glossary file. `split_metric` splits an entry that names several metrics
("p99 latency and timeout rate") into one name per metric.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from mlsd.datafile import DataModel, load_data
from mlsd.vocabulary import TASK_FAMILY

if TYPE_CHECKING:
    # Provided by `__getattr__` below, so that importing this module reads no file.
    FAMILIES: tuple[str, ...]
    GLOSSARY: tuple[MetricInfo, ...]


@dataclass(frozen=True)
class MetricInfo:
    """One metric: its usual name, family, a one-line definition and when to pick it."""

    name: str
    family: str
    definition: str
    use_when: str
    aliases: tuple[str, ...] = ()


class _Metric(DataModel):
    name: str = Field(min_length=1)
    family: str
    definition: str = Field(min_length=1)
    use_when: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class _Matching(DataModel):
    # Words that start a qualifier tail: "MRR *of* the supporting passage".
    tail_words: tuple[str, ...] = Field(min_length=1)
    # Words dropped when the rest names a metric: "*offline* recall@k", "p99 *decision* latency".
    qualifier_words: tuple[str, ...] = ()
    # Words that never name a metric on their own, however the name is cut down.
    generic_words: tuple[str, ...] = ()


class _GlossaryFile(DataModel):
    families: tuple[str, ...] = Field(min_length=1)
    matching: _Matching
    metrics: tuple[_Metric, ...]

    @model_validator(mode="after")
    def _consistent(self) -> _GlossaryFile:
        problems: list[tuple[tuple[int | str, ...], str]] = []
        for i, family in enumerate(self.families):
            if family in self.families[:i]:
                problems.append((("families", i), f"family {family!r} is listed twice"))
        names: dict[str, int] = {}  # normalised name -> the metric that has it
        owners: dict[tuple[str, str], int] = {}  # (family, normalised name or alias) -> the metric
        for i, metric in enumerate(self.metrics):
            if metric.family not in self.families:
                known = ", ".join(self.families)
                problems.append((("metrics", i, "family"), f"unknown family {metric.family!r} (known: {known})"))
            for j, written in enumerate((metric.name, *metric.aliases)):
                loc: tuple[int | str, ...] = ("metrics", i, "name") if j == 0 else ("metrics", i, "aliases", j - 1)
                key = normalise(written)[0]
                if j == 0 and names.setdefault(key, i) != i:
                    first = self.metrics[names[key]].name
                    problems.append((loc, f"metric {written!r} is already in the glossary as {first!r}"))
                    continue
                # Metrics of different families may share an alias ("AP"): lookup lets the
                # task's family choose. Within one family nothing could choose.
                owner = owners.setdefault((metric.family, key), i)
                if owner != i:
                    owned = self.metrics[owner].name
                    problems.append((loc, f"{written!r} already names {owned!r}, of the same family"))
        if problems:
            # Raised as a ValidationError, each problem keeps its own location (the entry,
            # not the whole file), so the data file's error points at the line to fix.
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("glossary", "{problem}", {"problem": text}), loc=loc, input=None
                    )
                    for loc, text in problems
                ],
            )
        return self


@dataclass(frozen=True)
class _Rules:
    """The `matching:` word lists, as compiled patterns and normalised word sets."""

    tail: re.Pattern[str]  # the start of a qualifier tail
    qualifiers: frozenset[str]
    generic: frozenset[str]


@cache
def _load() -> _GlossaryFile:
    return load_data("glossary.yaml", _GlossaryFile)


@cache
def _glossary() -> tuple[tuple[str, ...], tuple[MetricInfo, ...]]:
    data = _load()
    infos = tuple(MetricInfo(m.name, m.family, m.definition, m.use_when, m.aliases) for m in data.metrics)
    return data.families, infos


@cache
def _rules() -> _Rules:
    matching = _load().matching
    words = "|".join(re.escape(w.lower()) for w in sorted(matching.tail_words, key=len, reverse=True))
    return _Rules(
        tail=re.compile(rf"\s*,\s*|\s+(?:{words})(?=\s)"),
        qualifiers=frozenset(normalise(w)[1] for w in matching.qualifier_words),
        generic=frozenset(normalise(w)[1] for w in matching.generic_words),
    )


def families() -> tuple[str, ...]:
    """The metric families, in the glossary's order."""
    return _glossary()[0]


def metrics() -> tuple[MetricInfo, ...]:
    """Every metric of the glossary, in its order."""
    return _glossary()[1]


def __getattr__(name: str) -> object:
    if name == "FAMILIES":
        return families()
    if name == "GLOSSARY":
        return metrics()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def normalise(name: str) -> tuple[str, str]:
    """Two lookup keys for a metric name: exact-ish, then with `@k` parameters dropped."""
    text = unicodedata.normalize("NFKC", name).lower().replace("β", "beta")
    text = re.sub(r"\bat\b", "@", text)
    text = re.sub(r"@\s*(?:\d[\d.,]*\s*%?|k\b)", "@k", text)
    exact = re.sub(r"[^a-z0-9@]+", "", text)
    loose = exact.replace("@k", "").replace("@", "")
    return exact, loose


@cache
def _index() -> tuple[Mapping[str, tuple[MetricInfo, ...]], Mapping[str, tuple[MetricInfo, ...]]]:
    exact: dict[str, list[MetricInfo]] = {}
    loose: dict[str, list[MetricInfo]] = {}
    for info in metrics():
        for written in (info.name, *info.aliases):
            key_exact, key_loose = normalise(written)
            for table, key in ((exact, key_exact), (loose, key_loose)):
                entries = table.setdefault(key, [])
                if info not in entries:
                    entries.append(info)
    return (
        MappingProxyType({k: tuple(v) for k, v in exact.items()}),
        MappingProxyType({k: tuple(v) for k, v in loose.items()}),
    )


def lookup(name: str, task: str | None = None) -> MetricInfo | None:
    """The glossary entry for a metric as written in a spec, or None if it is unknown.

    Qualified names match through their head term ("MRR of the supporting
    passage" is MRR; see the module's docstring for the steps). When a name
    means different metrics in different fields ("AP", "mAP"), the one that
    fits `task` wins.
    """
    found = _match(name)
    if not found:
        return None
    family = TASK_FAMILY.get(task or "")
    return next((m for m in found if m.family == family), found[0])


def split_metric(name: str, task: str | None = None) -> list[str]:
    """The metrics one written entry names: "p99 latency and timeout rate" is two.

    Splits at "and", "&", "/" and commas in the entry's head, never inside
    parentheses or a qualifier tail ("PR-AUC for spam and phishing classes" is
    one metric), nor where the whole is a glossary name ("profit and loss").
    A part that is only a modifier borrows the last part's head word: "p90 and
    p99 latency" is p90 latency and p99 latency, "hide, unfollow and report
    rate" is hide rate, unfollow rate and report rate. The entry stays whole
    unless every part is a known metric and they are not all the same one.
    """
    if _exact(name):
        return [name]
    rules = _rules()
    masked = _masked(name)
    tail = next((m for m in rules.tail.finditer(masked) if not m.group().strip().startswith(",")), None)
    head_end = tail.start() if tail else len(masked)
    cuts = [m for m in _SEPARATOR.finditer(masked) if m.start() < head_end]
    if not cuts:
        return [name]
    pieces: list[str] = []
    start = 0
    for cut in cuts:
        pieces.append(name[start : cut.start()])
        start = cut.end()
    pieces.append(name[start:])
    # "calibration ratio (...), per segment": a piece that starts a tail qualifies the one before.
    merged: list[str] = []
    for piece in pieces:
        if merged and rules.tail.match(" " + piece.strip() + " "):
            merged[-1] = f"{merged[-1]}, {piece.strip()}"
        elif piece.strip():
            merged.append(piece.strip())
    if len(merged) < 2:
        return [name]
    last = merged[-1]
    last_head = _outside(last[: _tail_start(last)])[0].split()
    head_word = last_head[-1] if last_head else ""
    first_words = _outside(merged[0])[0].split()
    lead = " ".join(first_words[:-1])
    parts: list[str] = []
    for i, piece in enumerate(merged):
        borrowed = f"{piece} {head_word}" if i < len(merged) - 1 and head_word else ""
        # "paper-trading P&L and hit rate": the second is "paper-trading hit rate" if that is a name.
        if i and lead and _exact(f"{lead} {piece}"):
            parts.append(f"{lead} {piece}")
        elif borrowed and _exact(borrowed, loose=False):  # "p90" and "p99 latency": p90 latency
            parts.append(borrowed)
        elif _match(piece):
            parts.append(piece)
        elif borrowed and _match(borrowed):
            parts.append(borrowed)
        else:
            return [name]
    if len({lookup(p, task) for p in parts}) == 1:
        return [name]
    return parts


# Splits an entry into metrics: "a and b", "a & b", "a / b", "a, b and c".
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+|\s+/\s+")
# "within ±2 minutes" is a tolerance, whatever the number.
_TOLERANCE = re.compile(r"±\s*[\d.,]+\s*(?:%|[^\W\d_]+)?")
# Bare numbers and periods: "80 %", "28-day", "24 h".
_NUMBER = re.compile(r"^(?:[\d.,]+(?:%|[a-z]{1,2})?|%|\d+-?(?:day|week|month|hour|minute|second)s?)$")
_WORD_EDGE = re.compile(r"^[^\w@%±&]+|[^\w@%&]+$")


def _masked(text: str) -> str:
    """`text` with the inside of every parenthesised part blanked out, keeping positions."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
            out.append(char if depth == 1 else "·")
        elif char == ")" and depth:
            depth -= 1
            out.append(char if depth == 0 else "·")
        else:
            out.append("·" if depth else char)
    return "".join(out)


def _outside(text: str) -> tuple[str, list[str]]:
    """`text` without its parenthesised parts, and those parts' insides."""
    masked = _masked(text)
    inner = [text[m.start() + 1 : m.end() - 1] for m in re.finditer(r"\(·*\)", masked)]
    main = "".join(c if m == c and c not in "()" else " " for c, m in zip(text, masked, strict=True))
    return re.sub(r"\s+", " ", main).strip(" ,;:"), inner


def _tail_start(text: str) -> int:
    found = _rules().tail.search(_masked(text))
    return found.start() if found else len(text)


def _exact(written: str, *, loose: bool = True) -> tuple[MetricInfo, ...]:
    """The entries `written` names as it stands; with `loose`, also ignoring `@k` ("recall@10")."""
    by_exact, by_loose = _index()
    key_exact, key_loose = normalise(written)
    return by_exact.get(key_exact) or (by_loose.get(key_loose) if loose else None) or ()


def _meaningful(words: list[str]) -> bool:
    """True if some word is more than a generic one: "hit rate" is, "rate" and "time to" are not."""
    generic = _rules().generic
    return any(key and key not in generic for key in (normalise(w)[1] for w in words))


def _words(text: str) -> list[str]:
    words = (_WORD_EDGE.sub("", w) for w in re.split(r"[\s/]+|(?<=\w)-(?=\w)", text))
    return [w for w in words if w]


@cache
def _match(name: str) -> tuple[MetricInfo, ...]:
    """Every entry `name` could mean, by the steps of the module's docstring; empty if none."""
    found = _exact(name)
    if found:
        return found
    main, inner = _outside(unicodedata.normalize("NFKC", name))
    main = _TOLERANCE.sub("tolerance", main)
    rules = _rules()
    # Longest first: the name, then cut before each qualifier tail from the last to the first.
    cuts = [main] + [main[: m.start()].strip(" ,;:") for m in reversed(list(rules.tail.finditer(main)))]
    cuts = [c for c in dict.fromkeys(cuts) if c]
    for cut in cuts:
        words = cut.split()
        kept = [w for w in words if normalise(w)[1] not in rules.qualifiers and not _NUMBER.match(w.lower())]
        # As cut, then without qualifier words (if that leaves out any).
        for candidate in (words, kept):
            if candidate and (candidate is words or len(kept) < len(words)) and _meaningful(candidate):
                found = _exact(" ".join(candidate))
                if found:
                    return found
    for cut in cuts:
        found = _contained(_words(cut))
        if found:
            return found
    for text in inner:
        for phrase in (text, *text.split(",")):
            if _meaningful(_words(phrase)):
                found = _exact(phrase.strip())
                if found:
                    return found
    return ()


def _contained(words: list[str]) -> tuple[MetricInfo, ...]:
    """The glossary entry named by a run of whole words: the run ending last, and of those the longest."""
    for end in range(len(words), 0, -1):
        for start in range(end):
            run = words[start:end]
            if _meaningful(run):
                found = _exact(" ".join(run))
                if found:
                    return found
    return ()
