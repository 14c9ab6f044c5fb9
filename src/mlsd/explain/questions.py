"""The open questions a candidate should answer when a spec leaves a part out.

The questions are `mlsd/data/questions.yaml`, read and validated on first use.
Each part has a general question and, where the task changes what a good
answer looks like, a sharper one per metric family (see `mlsd.vocabulary.TASK_FAMILY`).
Questions start lower-case and end with '?'; templates put "Open question:" in
front. `{task}` is replaced by the task name ("a {task} task" by "this task" when
the task is unknown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Annotated

from pydantic import AfterValidator

from mlsd.datafile import DataModel, load_data
from mlsd.explain.glossary import families

# The question mark ends the text, or one closing sentence follows it
# ("... how fast is that growing? Without numbers no capacity estimate is possible.").
_ENDS_AS_QUESTION = re.compile(r"\?(?: [^?]*\.)?$")


def _question(text: str) -> str:
    if not text[:1].islower():
        raise ValueError(f"a question starts in lower case: {text!r}")
    if not _ENDS_AS_QUESTION.search(text):
        raise ValueError(f"a question ends with '?': {text!r}")
    return text


def _family(name: str) -> str:
    if name and name not in families():
        raise ValueError(f"unknown family {name!r} (glossary.yaml lists {', '.join(families())})")
    return name


def _has_general(table: dict[str, str]) -> dict[str, str]:
    if "" not in table:
        raise ValueError('no general question (key "")')
    return table


class _QuestionsFile(DataModel):
    # part -> {family or "": question}
    parts: dict[
        str,
        Annotated[
            dict[Annotated[str, AfterValidator(_family)], Annotated[str, AfterValidator(_question)]],
            AfterValidator(_has_general),
        ],
    ]


@cache
def _questions() -> Mapping[str, Mapping[str, str]]:
    data = load_data("questions.yaml", _QuestionsFile)
    return MappingProxyType({part: MappingProxyType(table) for part, table in data.parts.items()})


def ask(part: str, family: str | None, task: str | None = None) -> str:
    """The open question for a missing `part`, sharpened for the task's metric family."""
    table = _questions()[part]
    text = table.get(family or "", table[""])
    if task is None:
        text = text.replace("a {task} task", "this task")
    return text.replace("{task}", task or "this")


def parts() -> tuple[str, ...]:
    """Every part that has an open question."""
    return tuple(_questions())
