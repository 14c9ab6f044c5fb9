"""A reader for rates written in prose: "0.1 %", "1 in 1,000", "one order in a thousand".

`rates_in(text)` finds every rate in a text and gives its share (a fraction
between 0 and 1) with the words that wrote it, so a rule can quote them. Forms:

- a percentage: "0.1 %", "4 percent", "2 per cent";
- N in M: "1 in 1,000", "1 fraud in 1,000 payments", "one order in a
  thousand", "2 clicks per 100 impressions", "1 out of 10k";
- a ratio: "1:1000", "1/500", "1000:1" (the rarer side first or last).

Number words ("ten thousand", "a million") come from mlsd/data/review-words.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from mlsd.review import words


@dataclass(frozen=True)
class Rate:
    """One rate found in a text: its share (0..1) and the words that wrote it."""

    share: float
    text: str


_DIGITS = r"\d[\d,_]*(?:\.\d+)?|\.\d+"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    spelled = "|".join(sorted(map(re.escape, words.numbers()), key=len, reverse=True))
    scale = "|".join(sorted(map(re.escape, words.scales()), key=len, reverse=True))
    spelled_run = rf"(?:(?:{spelled}|{scale})[\s-]+)*(?:{spelled}|{scale})"
    quantity = rf"(?:(?:{_DIGITS})(?:\s*(?:{scale}))?|{spelled_run})"
    percent = re.compile(rf"(?<![\w.])({_DIGITS})\s*(?:%|percent\b|per cent\b)")
    n_in_m = re.compile(
        rf"(?<![\w.,])({quantity})(?:\s+[a-z][a-z-]*){{0,3}}?\s+(?:in|per|out of|every)\s+({quantity})(?![\w])"
    )
    ratio = re.compile(rf"(?<![\w.,])({_DIGITS})\s*[:/]\s*({_DIGITS})(?![\w.]|/)")
    return percent, n_in_m, ratio


def quantity(text: str) -> float | None:
    """The value of a written quantity: "1,000", "10k", "ten thousand", "a million"; None if it is not one."""
    text = text.strip().lower()
    numbers, scales = words.numbers(), words.scales()
    digits = re.fullmatch(rf"({_DIGITS})\s*([a-z]+)?", text)
    if digits:
        value = float(digits.group(1).replace(",", "").replace("_", ""))
        unit = digits.group(2)
        if unit is None:
            return value
        return value * scales[unit] if unit in scales else None
    total = current = 0.0
    for word in re.split(r"[\s-]+", text):
        if word == "hundred":
            current = max(current, 1) * 100
        elif word in scales:
            total += max(current, 1) * scales[word]
            current = 0
        elif word in numbers:
            current += numbers[word]
        else:
            return None
    return total + current or None


def rates_in(text: str | None) -> tuple[Rate, ...]:
    """Every rate written in `text`, in the order they appear."""
    if not text:
        return ()
    lower = text.lower()
    percent, n_in_m, ratio = _patterns()
    found: list[tuple[int, Rate]] = []
    for match in percent.finditer(lower):
        value = float(match.group(1).replace(",", "").replace("_", ""))
        if value <= 100:
            found.append((match.start(), Rate(value / 100, text[match.start() : match.end()])))
    for match in n_in_m.finditer(lower):
        part, whole = quantity(match.group(1)), quantity(match.group(2))
        if part is not None and whole and part < whole:
            found.append((match.start(), Rate(part / whole, text[match.start() : match.end()])))
    for match in ratio.finditer(lower):
        left, right = quantity(match.group(1)), quantity(match.group(2))
        if left and right and left != right:
            share = min(left, right) / (right if ":" not in match.group(0) else left + right)
            if "/" in match.group(0) and left > right:
                continue  # "80/10" is a split, not a rate
            found.append((match.start(), Rate(share, text[match.start() : match.end()])))
    return tuple(rate for _, rate in sorted(found, key=lambda pair: pair[0]))


def rare(rate: Rate) -> bool:
    """Whether a rate describes a rare class: one in ten or rarer, or nine in ten or more."""
    return rate.share <= 0.1 or rate.share > 0.9
