"""How much of the gallery's explanations is boilerplate shared across designs.

Every spec in specs/ is explained as Markdown; the text is split into
sentences (headings, table rows and sentences under six words left out, list
markers and bold stripped), and a sentence counts as boilerplate when a
quarter or more of the designs contain it word for word. The pictures are
linked as the gallery build links them, so "No picture was rendered" does not
count against the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest

from mlsd.explain import explain
from mlsd.load import load_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"
# Issue #16's bar is 3 %. The gallery was at 7.6 % before that work and is at 2.0 %
# now: what remains shared is a metric's definition (the same metric in many designs)
# and the serving mode's gloss, said once per design. Never raise this to hide new
# boilerplate.
REACHED = 0.03

_MARKER = re.compile(r"^(?:[-*+]\s+|\d+\.\s+)")
_SPLIT = re.compile(r"(?<=[.!?])\s+")


def sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown document that the measurement counts."""
    found: list[str] = []
    for line in markdown.splitlines():
        text = line.strip()
        if not text or text.startswith(("#", "|", "![")):
            continue
        text = _MARKER.sub("", text).replace("**", "")
        for sentence in _SPLIT.split(text):
            if len(sentence.split()) >= 6:
                found.append(sentence.strip())
    return found


def shared_sentences() -> tuple[float, list[tuple[int, str]], int]:
    """(share of boilerplate sentences, the worst offenders with their counts, sentences in all)."""
    docs = {
        path.stem: sentences(explain(load_spec(path), "md", picture_name=f"{path.stem}.svg"))
        for path in sorted(SPECS.glob("*.yaml"))
    }
    designs = Counter(s for found in docs.values() for s in set(found))
    quorum = math.ceil(len(docs) / 4)
    common = {s for s, n in designs.items() if n >= quorum}
    hits = Counter(s for found in docs.values() for s in found if s in common)
    total = sum(len(found) for found in docs.values())
    return sum(hits.values()) / total, [(n, s) for s, n in hits.most_common(15)], total


def _report(share: float, worst: list[tuple[int, str]], total: int) -> str:
    lines = "\n".join(f"  {n:3d}x {s[:140]}" for n, s in worst)
    return f"{share:.2%} of {total} sentences are shared by a quarter of the designs; worst:\n{lines}"


def test_sentence_splitting_ignores_headings_tables_and_short_sentences() -> None:
    text = "## A heading with many words in it\n| a | table | row | with | six | cells |\n- Short one.\n"
    text += "1. **Scorer** calls the model for every payment. Then it answers the checkout page quickly.\n"
    assert sentences(text) == [
        "Scorer calls the model for every payment.",
        "Then it answers the checkout page quickly.",
    ]


@pytest.mark.slow
def test_gallery_repetition_stays_under_three_percent() -> None:
    share, worst, total = shared_sentences()
    assert share <= REACHED, _report(share, worst, total)
