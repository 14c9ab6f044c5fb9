"""The words the review reads in free text, from mlsd/data/review-words.yaml.

Rules ask `cue(name, text)` whether a text uses one of a cue's phrases
(matched at the start of a word, ignoring case); the rate reader asks for
the number words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from mlsd.datafile import DataModel, load_data


class _ReviewWords(DataModel):
    numbers: dict[str, int]
    scales: dict[str, int]
    cues: dict[str, list[str]]


@cache
def _data() -> _ReviewWords:
    return load_data("review-words.yaml", _ReviewWords)


def numbers() -> Mapping[str, int]:
    """Number words ("one", "ten", "hundred") and their values."""
    return _data().numbers


def scales() -> Mapping[str, int]:
    """Words that multiply what comes before them ("thousand", "k", "million")."""
    return _data().scales


@cache
def _pattern(name: str) -> re.Pattern[str]:
    phrases = sorted(_data().cues[name], key=len, reverse=True)
    # The rest of the word is taken along, so a finding quotes "spammers", not "spammer".
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p.lower()) for p in phrases) + r")[\w]*")


def cue_names() -> tuple[str, ...]:
    """The names of the cue lists."""
    return tuple(_data().cues)


def cue(name: str, text: str | None) -> str | None:
    """The first phrase of cue list `name` that `text` uses (as written there), or None."""
    if not text:
        return None
    match = _pattern(name).search(text.lower())
    return text[match.start() : match.end()] if match else None


def first_cue(name: str, texts: Iterable[tuple[str, str | None]]) -> tuple[str, str] | None:
    """(where, phrase) for the first (where, text) pair whose text uses cue list `name`."""
    for where, text in texts:
        found = cue(name, text)
        if found:
            return where, found
    return None


@cache
def _wait_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in _data().cues["label_wait"])
    return re.compile(rf"\b(?:\d+|a few|several|many)(?:\s*(?:to|-|–)\s*\d+)?[\s-]+(?:{units})s?\b")


def wait(text: str | None) -> str | None:
    """The first stretch of time ("12 months", "30 to 60 days", "a few weeks") a text names as a
    wait ("known after", "arrive", "later"), as written; None when there is none."""
    if not text or cue("wait_context", text) is None:
        return None
    match = _wait_pattern().search(text.lower())
    return text[match.start() : match.end()] if match else None
