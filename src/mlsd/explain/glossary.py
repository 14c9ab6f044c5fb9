"""A glossary of ML and product metrics: what each measures and when it is the right choice.

The metrics and their families are `mlsd/data/glossary.yaml`, read and
validated on first use. Names are matched loosely, the way people write them
in specs: case, spaces, hyphens and `@k` / `at 10` suffixes do not matter, and
a few common aliases are known ("AUPRC" is PR-AUC, "recall at 0.1 % FPR" is
recall at a fixed FPR).
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


class _GlossaryFile(DataModel):
    families: tuple[str, ...] = Field(min_length=1)
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


@cache
def _glossary() -> tuple[tuple[str, ...], tuple[MetricInfo, ...]]:
    data = load_data("glossary.yaml", _GlossaryFile)
    infos = tuple(MetricInfo(m.name, m.family, m.definition, m.use_when, m.aliases) for m in data.metrics)
    return data.families, infos


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

    When a name means different metrics in different fields ("AP", "mAP"), the
    one that fits `task` wins.
    """
    family = TASK_FAMILY.get(task or "")
    tried = [name]
    # "fraud loss in basis points", "chargeback rate (90 days)": try without the qualifier.
    plain = re.sub(r"\([^)]*\)|\s+(?:in|over|within)\s+.*$", " ", name).strip()
    if plain and plain != name:
        tried.append(plain)
    by_exact, by_loose = _index()
    for written in tried:
        key_exact, key_loose = normalise(written)
        for table, key in ((by_exact, key_exact), (by_loose, key_loose)):
            found = table.get(key)
            if found:
                return next((m for m in found if m.family == family), found[0])
    return None
