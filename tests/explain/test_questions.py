"""The open-question table: every question is a question, and task families sharpen them."""

from __future__ import annotations

import pytest

from mlsd.explain.glossary import FAMILIES
from mlsd.explain.questions import ask, parts


@pytest.mark.parametrize("part", parts())
def test_every_question_reads_as_one(part: str) -> None:
    for family in (None, *FAMILIES):
        text = ask(part, family, "ranking" if family else None)
        assert text[0].islower(), text
        assert "?" in text and text.rstrip(".").endswith(("?", "possible")), text
        assert "{" not in text and "}" not in text


def test_unknown_task_reads_as_this_task() -> None:
    assert ask("metrics.offline", None) == "which offline metric fits this task, and why?"


def test_family_overrides_the_general_question() -> None:
    assert ask("model.loss", "ranking") == "is the ranking loss pointwise, pairwise or listwise, and why?"
    assert ask("model.loss", "business") == ask("model.loss", None)
