"""Label text that fits its place: measured in ems, wrapped at spaces, never split inside a word.

A line breaks at a space; a word too long for a line breaks after a hyphen,
slash or underscore it already has; a word still too long is hyphenated at a
syllable boundary with a visible hyphen; a word with no such boundary stays
whole. East Asian wide characters may break anywhere, as those scripts do.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from pydantic import Field

from mlsd.datafile import DataModel, load_data

_VOWELS = frozenset("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûüÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")
# Consonant pairs that stand for one sound and are never split.
_DIGRAPHS = frozenset({"ch", "ck", "gh", "ph", "sh", "th", "wh", "qu"})
# The shortest piece of a word a hyphen may leave on either side.
_MIN_PIECE = 3
HYPHEN = "-"


class _FontWidths(DataModel):
    font: str
    wide: float = Field(gt=0, le=2)
    other: float = Field(gt=0, le=2)
    advances: dict[str, float] = Field(min_length=1)


@functools.cache
def _widths() -> tuple[Mapping[str, float], float, float]:
    data = load_data("font-widths.yaml", _FontWidths)
    return MappingProxyType(data.advances), data.wide, data.other


def ems(text: str) -> float:
    """Width of `text` in ems of DejaVu Sans, the label font, as Graphviz measures it."""
    advances, wide, other = _widths()
    return sum(advances.get(c, wide if _wide(c) else other) for c in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def wrap(text: str, width: float) -> list[str]:
    """The lines of `text`, each at most `width` ems where the words allow."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if ems(candidate) <= width:
                current = candidate
                continue
            pieces = _pieces(word, width)
            # The first piece may still join the line so far.
            if current and ems(f"{current} {pieces[0]}") <= width:
                lines.append(f"{current} {pieces[0]}")
                pieces = pieces[1:]
            elif current:
                lines.append(current)
            lines += pieces[:-1]
            current = pieces[-1] if pieces else ""
        lines.append(current)
    return [line for line in lines if line] or [""]


def _pieces(word: str, width: float) -> list[str]:
    """A word too long for one line, as line-sized pieces; each but the last ends in a break mark."""
    if ems(word) <= width:
        return [word]
    if any(_wide(c) for c in word):
        return _by_character(word, width)
    # Marks the word already has come first: "feature-store/online" breaks after them;
    # then the seams between words and punctuation: "<script>alert(1)" after ">".
    parts = [
        seam
        for part in re.findall(r"[^-/_]+[-/_]*|[-/_]+", word)
        for seam in (re.findall(r"\W*\w+\W*|\W+", part) if ems(part) > width else [part])
    ]
    pieces: list[str] = []
    current = ""
    for part in parts:
        if ems(current + part) <= width:
            current += part
            continue
        if current:
            pieces.append(current)
            current = ""
        if ems(part) <= width:
            current = part
            continue
        *whole, last = _hyphenate(part, width) if part.isalpha() else [part]
        pieces += whole
        current = last
    if current:
        pieces.append(current)
    return pieces


def _hyphenate(part: str, width: float) -> list[str]:
    """`part` cut at syllable boundaries into pieces that fit, each but the last ending in a hyphen."""
    pieces = []
    rest = part
    while ems(rest) > width:
        strong, weak = _boundaries(rest)
        # A cut between two consonants is the surer syllable boundary; prefer it.
        cuts = [i for i in strong if ems(rest[:i] + HYPHEN) <= width] or [
            i for i in weak if ems(rest[:i] + HYPHEN) <= width
        ]
        if not cuts:
            break  # no boundary fits: the rest stays whole, wider than the line
        cut = cuts[-1]
        pieces.append(rest[:cut] + HYPHEN)
        rest = rest[cut:]
    return [*pieces, rest]


def _boundaries(word: str) -> tuple[list[int], list[int]]:
    """Positions inside `word` where a hyphen may go: the surer ones between two
    consonants after a vowel (com-mon, win-dow) or at a camelCase step, then the
    weaker ones before a single consonant between vowels (mo-del)."""
    strong: list[int] = []
    weak: list[int] = []
    for i in range(_MIN_PIECE, len(word) - _MIN_PIECE + 1):
        before, after = word[i - 1], word[i]
        if not (before.isalpha() and after.isalpha()):
            continue
        if word[i - 1 : i + 1].lower() in _DIGRAPHS:
            continue
        two_consonants = before not in _VOWELS and after not in _VOWELS and word[i - 2] in _VOWELS
        open_syllable = before in _VOWELS and after not in _VOWELS and i + 1 < len(word) and word[i + 1] in _VOWELS
        camel = before.islower() and after.isupper()
        if two_consonants or camel:
            strong.append(i)
        elif open_syllable:
            weak.append(i)
    return strong, weak


def _by_character(word: str, width: float) -> list[str]:
    """A word with East Asian wide characters: it may break beside any of them, while a
    run of other characters between them is kept, or cut, as a word of its own."""
    units: list[str] = []
    for char in word:
        if _wide(char) or not units or _wide(units[-1][-1]):
            units.append(char)
        else:
            units[-1] += char
    lines: list[str] = []
    current = ""
    for unit in units:
        if ems(current + unit) <= width:
            current += unit
            continue
        if current:
            lines.append(current)
        *whole, current = _pieces(unit, width) if not _wide(unit[0]) else [unit]
        lines += whole
    return [*lines, current]
