"""Label wrapping: lines fit where the words allow, and no word is ever split without a hyphen."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from mlsd.render.labels import ems, wrap

WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/_.()<>:éü推荐"),
    min_size=1,
    max_size=24,
)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def rebuild(text: str, lines: list[str]) -> None:
    """Walk the lines along the text; fail where a break splits two letters without a hyphen."""
    original = " ".join(text.split())
    pos = 0
    for line in lines:
        if original.startswith(line, pos):
            pos += len(line)
            hyphen = False
        else:
            assert line.endswith("-"), (line, original[pos:])
            assert original.startswith(line[:-1], pos), (line, original[pos:])
            pos += len(line) - 1
            hyphen = True
        if pos < len(original):
            if original[pos] == " ":
                assert not hyphen, "a hyphen before a space"
                pos += 1
                continue
            before, after = original[pos - 1], original[pos]
            if before.isalpha() and after.isalpha() and not (_wide(before) or _wide(after)):
                assert hyphen, f"{line!r} splits a word without a hyphen"
    assert pos == len(original)


@given(words=st.lists(WORD, min_size=1, max_size=8), width=st.floats(min_value=3.0, max_value=14.0))
def test_no_word_is_ever_broken_without_a_visible_hyphen(words: list[str], width: float) -> None:
    text = " ".join(words)
    rebuild(text, wrap(text, width))


@given(words=st.lists(WORD, min_size=1, max_size=8), width=st.floats(min_value=3.0, max_value=14.0))
def test_a_line_is_over_width_only_when_one_piece_cannot_be_cut(words: list[str], width: float) -> None:
    for line in wrap(" ".join(words), width):
        if ems(line) > width:
            assert " " not in line, line


def test_known_labels() -> None:
    assert wrap("Jobs recommendation service", 6.6) == ["Jobs", "recommen-", "dation", "service"]
    assert wrap("Fraud model server", 6.6) == ["Fraud model", "server"]
    assert wrap("feature-store/online_index", 6.6) == ["feature-", "store/online_", "index"]
    assert wrap("<script>alert(1)</script>", 6.6) == ["<script>", "alert(1)</", "script>"]
    assert wrap("", 6.6) == [""]
