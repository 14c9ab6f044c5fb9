"""The open-question table: every question is a question, and task families sharpen them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.datafile import DATA_DIR, DataFileError, read_data
from mlsd.explain import questions
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


# ---------------------------------------------------------------- the data file


def test_the_shipped_file_loads() -> None:
    data = read_data(DATA_DIR / "questions.yaml", questions._QuestionsFile)
    assert tuple(data.parts) == parts()
    assert all("" in table for table in data.parts.values())


@pytest.mark.parametrize(
    ("old", "new", "at", "column", "message"),
    [
        (
            "the design stays focused?\n",
            "the design stays focused.\n",
            "the design stays focused.",
            9,
            "a question ends with '?'",
        ),
        ("    generation: what time", "    generatoin: what time", "generatoin", 17, "unknown family 'generatoin'"),
        (
            '    "": what exactly comes out',
            "    business: what exactly comes out",
            "business: what exactly comes out",
            5,
            'parts.framing.output: Value error, no general question (key "")',
        ),
    ],
    ids=["not a question", "unknown family", "no general question"],
)
def test_a_broken_file_is_reported_at_the_entry(
    tmp_path: Path, old: str, new: str, at: str, column: int, message: str
) -> None:
    text = (DATA_DIR / "questions.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    broken = tmp_path / "questions.yaml"
    broken.write_text(text, encoding="utf-8")
    line = text[: text.index(at)].count("\n") + 1
    with pytest.raises(DataFileError) as caught:
        read_data(broken, questions._QuestionsFile)
    problems = str(caught.value).splitlines()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{broken}:{line}:{column}: error: ")
    assert message in problems[0]
