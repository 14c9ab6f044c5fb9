"""The catalogue: component kinds, stages, flow kinds, traits and known techs.

The data is `mlsd/data/catalogue.yaml`, validated here when this module is
first imported; this module adds the lookups. It must not import `diagrams`
(the CLI imports it for `validate`, where start-up time matters): icons are
described by their file location and only resolved to a path on request.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from mlsd.datafile import DataModel, load_data

Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


@dataclass(frozen=True)
class Icon:
    """Where an icon comes from: a `diagrams` resource or a glyph mlsd draws itself."""

    resource: str | None = None  # relative to the `resources` dir the diagrams wheel installs
    diagrams_class: str | None = None  # e.g. "diagrams.onprem.queue.Kafka"
    glyph: str | None = None  # file name under src/mlsd/icons/

    def __post_init__(self) -> None:
        if (self.resource is None) == (self.glyph is None):
            raise ValueError("an Icon needs exactly one of resource and glyph")
        if self.diagrams_class is not None and self.resource is None:
            raise ValueError("diagrams_class only makes sense with a resource")

    def path(self) -> pathlib.Path:
        """Absolute path of the PNG (it exists when diagrams is installed)."""
        if self.glyph is not None:
            return pathlib.Path(__file__).parent / "icons" / self.glyph
        assert self.resource is not None
        return _resources_dir() / self.resource


def _resources_dir() -> pathlib.Path:
    # Resolve `resources/` next to the diagrams package, exactly as
    # diagrams.Node._load_icon does. Looking up the top-level name "resources"
    # instead could pick up an unrelated folder of that name in the current
    # directory. find_spec on a top-level name locates it without importing it.
    spec = importlib.util.find_spec("diagrams")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("`diagrams` is not installed, so its icons are missing")
    return pathlib.Path(spec.origin).parent.parent / "resources"


@dataclass(frozen=True)
class Kind:
    """A component kind: its stage, role sentence, default icon, common products and traits."""

    name: str
    stage: str
    role: str
    icon: Icon
    techs: tuple[str, ...] = ()  # keys of TECHS
    traits: frozenset[str] = frozenset()  # keys of TRAITS


@dataclass(frozen=True)
class Tech:
    """A product users can name with `tech:`."""

    name: str  # the key users write: lowercase, e.g. "kafka", "vertex-ai"
    label: str  # display name: "Apache Kafka", "Vertex AI"
    icon: Icon | None  # None: diagrams has no fitting icon, the label is shown instead


# ---------------------------------------------------------------- the data file's shape


class _IconEntry(DataModel):
    diagrams: str | None = Field(None, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*\.[A-Za-z0-9_]+$")
    file: str | None = Field(None, pattern=r"^[a-z0-9_/.-]+\.png$")
    glyph: str | None = Field(None, pattern=r"^[a-z0-9-]+\.png$")

    @model_validator(mode="after")
    def _one_source(self) -> _IconEntry:
        if (self.glyph is None) == (self.diagrams is None or self.file is None):
            raise ValueError("an icon is either {glyph: NAME.png} or {diagrams: CLASS, file: PATH}")
        return self

    def icon(self) -> Icon:
        if self.glyph is not None:
            return Icon(glyph=self.glyph)
        return Icon(resource=self.file, diagrams_class=f"diagrams.{self.diagrams}")


class _KindEntry(DataModel):
    stage: Name
    role: str = Field(min_length=1)
    icon: _IconEntry
    techs: tuple[Name, ...] = ()
    traits: tuple[Name, ...] = ()


class _TechEntry(DataModel):
    label: str = Field(min_length=1)
    icon: _IconEntry | None = None


class _CatalogueFile(DataModel):
    stages: tuple[Name, ...]
    flow_kinds: tuple[Name, ...]
    traits: dict[Name, str]
    kinds: dict[Name, _KindEntry]
    techs: dict[Name, _TechEntry]
    aliases: dict[str, Name]
    kind_aliases: dict[Name, tuple[Name, ...]]
    vendor_prefixes: tuple[str, ...]
    flow_kind_rules: tuple[tuple[str, str, Name], ...]

    @model_validator(mode="after")
    def _references(self) -> _CatalogueFile:
        # Every name a entry refers to must be defined in this file.
        problems = []
        for name, entry in self.kinds.items():
            if entry.stage not in self.stages:
                problems.append(f"kind {name!r}: unknown stage {entry.stage!r}")
            problems += [f"kind {name!r}: unknown tech {t!r}" for t in entry.techs if t not in self.techs]
            problems += [f"kind {name!r}: unknown trait {t!r}" for t in entry.traits if t not in self.traits]
        problems += [f"alias {a!r}: unknown tech {t!r}" for a, t in self.aliases.items() if t not in self.techs]
        for word, meant in self.kind_aliases.items():
            problems += [f"kind alias {word!r}: unknown kind {k!r}" for k in meant if k not in self.kinds]
            if word in self.kinds:
                problems.append(f"kind alias {word!r} is a kind itself")
        for source, target, flow_kind in self.flow_kind_rules:
            for pattern in (source, target):
                if not self._pattern_known(pattern):
                    problems.append(f"flow-kind rule: unknown pattern {pattern!r}")
            if flow_kind not in self.flow_kinds:
                problems.append(f"flow-kind rule: unknown flow kind {flow_kind!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _pattern_known(self, pattern: str) -> bool:
        if pattern == "*":
            return True
        if pattern.startswith("stage:"):
            return pattern[len("stage:") :] in self.stages
        return pattern in self.kinds


_DATA = load_data("catalogue.yaml", _CatalogueFile)

STAGES: tuple[str, ...] = _DATA.stages
FLOW_KINDS: tuple[str, ...] = _DATA.flow_kinds
TRAITS: Mapping[str, str] = MappingProxyType(dict(_DATA.traits))
TECHS: Mapping[str, Tech] = MappingProxyType(
    {name: Tech(name, entry.label, entry.icon.icon() if entry.icon else None) for name, entry in _DATA.techs.items()}
)
KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        name: Kind(name, entry.stage, entry.role, entry.icon.icon(), entry.techs, frozenset(entry.traits))
        for name, entry in _DATA.kinds.items()
    }
)
# What people call a kind (`ranker`, `vector db`) -> the kinds they mean, likeliest first.
KIND_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(dict(_DATA.kind_aliases))
# (source, target, flow kind); a pattern is a kind name, "stage:<stage>" or "*".
FLOW_KIND_RULES: tuple[tuple[str, str, str], ...] = _DATA.flow_kind_rules


def kinds_meant(word: str) -> tuple[str, ...]:
    """The kinds a word that is not a kind name usually means (`ranker` -> ranking-service), or ()."""
    return KIND_ALIASES.get(re.sub(r"[\s_-]+", "-", word.strip().lower()).strip("-"), ())


def kind(name: str) -> Kind:
    """The kind called `name`; KeyError if there is none."""
    return KINDS[name]


def kinds_with(trait: str) -> frozenset[str]:
    """The names of the kinds that have `trait` (a key of TRAITS; KeyError otherwise)."""
    if trait not in TRAITS:
        raise KeyError(trait)
    return frozenset(name for name, k in KINDS.items() if trait in k.traits)


def has_trait(kind_name: str, trait: str) -> bool:
    """Whether the kind called `kind_name` has `trait` (a key of TRAITS; KeyError otherwise,
    so a misspelt trait cannot quietly match nothing)."""
    if trait not in TRAITS:
        raise KeyError(trait)
    found = KINDS.get(kind_name)
    return found is not None and trait in found.traits


# ---------------------------------------------------------------- tech lookup

_ALIASES: Mapping[str, str] = MappingProxyType(dict(_DATA.aliases))
_VENDOR_PREFIXES: tuple[str, ...] = _DATA.vendor_prefixes
_COMPACT: Mapping[str, str] = MappingProxyType({k.replace("-", ""): k for k in TECHS})


def _normalise(name: str) -> str:
    return re.sub(r"[\s_-]+", "-", name.strip().lower()).strip("-")


def _find(key: str) -> Tech | None:
    key = _ALIASES.get(key, key)
    if key in TECHS:
        return TECHS[key]
    compact = _COMPACT.get(key.replace("-", ""))
    return TECHS[compact] if compact else None


def tech(name: str) -> Tech | None:
    """The known tech for a user-written name, or None.

    Case-insensitive; spaces and underscores count as hyphens, hyphens are
    optional, a few synonyms are accepted ("postgres", "k8s") and a vendor
    prefix may be dropped ("apache-kafka", "amazon-s3").
    """
    key = _normalise(name)
    found = _find(key)
    if found is None:
        for prefix in _VENDOR_PREFIXES:
            if key.startswith(prefix) and (found := _find(key[len(prefix) :])) is not None:
                break
    return found


# ---------------------------------------------------------------- flow kinds


def _matches(pattern: str, kind_name: str) -> bool:
    if pattern == "*":
        return True
    if pattern.startswith("stage:"):
        found = KINDS.get(kind_name)
        return found is not None and found.stage == pattern[len("stage:") :]
    return pattern == kind_name


def infer_flow_kind(source_kind: str, target_kind: str) -> str:
    """The flow kind for an edge whose kind was not written (FLOW_KIND_RULES, first match wins).

    An unknown kind name matches only "*" patterns.
    """
    for source, target, flow_kind in FLOW_KIND_RULES:
        if _matches(source, source_kind) and _matches(target, target_kind):
            return flow_kind
    return "data"
