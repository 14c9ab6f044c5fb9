"""The names every part of mlsd shares, defined once in `mlsd/data/vocabulary.yaml`.

Tasks, framework sections, serving modes, themes, canvas presets, output
formats, export targets and diff views. The catalogue of component kinds and
flow kinds is `mlsd.catalogue`. Nothing here imports `diagrams` or any other
part of mlsd above the data loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from mlsd.datafile import DataModel, load_data

_Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


@dataclass(frozen=True)
class Task:
    """A `framing.task`: how prose names it, what it means, and what follows from it."""

    name: str
    prose: str
    meaning: str
    family: str | None  # the metric family (see the glossary), None for `other`
    supervised: bool
    imbalance_sensitive: bool


@dataclass(frozen=True)
class Preset:
    """A canvas: an aspect ratio to pad the drawing to, and the width in pixels."""

    name: str
    aspect: float | None  # width / height; None keeps the drawing's own shape
    width_px: int | None  # None keeps Graphviz's 96 dpi
    pad_inches: float


class _TaskEntry(DataModel):
    prose: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    family: _Name | None = None
    supervised: bool = False
    imbalance_sensitive: bool = False


class _ServingModeEntry(DataModel):
    prose: str = Field(min_length=1)
    answers_online: bool = False


class _SectionEntry(DataModel):
    name: _Name
    reviewed: bool = False


class _PresetEntry(DataModel):
    aspect: tuple[int, int] | None = None
    width_px: int | None = Field(None, gt=0, le=20_000)
    pad_inches: float = Field(ge=0, le=5)


class _Formats(DataModel):
    pictures: tuple[_Name, ...]
    documents: tuple[_Name, ...]
    diagram_languages: dict[_Name, _Name]
    default: tuple[_Name, ...]
    build: tuple[_Name, ...]


class _VocabularyFile(DataModel):
    tasks: dict[_Name, _TaskEntry]
    sections: tuple[_SectionEntry, ...]
    serving_modes: dict[_Name, _ServingModeEntry]
    directions: tuple[str, ...] = Field(min_length=1)
    themes: tuple[_Name, ...] = Field(min_length=1)
    presets: dict[_Name, _PresetEntry]
    formats: _Formats
    export_targets: dict[_Name, _Name]
    diff_views: tuple[_Name, ...] = Field(min_length=1)
    starters: dict[_Name, str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> _VocabularyFile:
        known = (*self.formats.pictures, *self.formats.documents, *self.formats.diagram_languages)
        problems = [
            f"format {f!r} is not a picture, document or diagram language" for f in self._chosen() if f not in known
        ]
        problems += [
            f"diagram language {ext!r}: {target!r} is not an export target"
            for ext, target in self.formats.diagram_languages.items()
            if self.export_targets.get(target) != ext
        ]
        names = [s.name for s in self.sections]
        if len(names) != len(set(names)):
            problems.append("a section is listed twice")
        if "default" not in self.presets:
            problems.append("the preset 'default' is missing")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _chosen(self) -> tuple[str, ...]:
        return (*self.formats.default, *self.formats.build)


_DATA = load_data("vocabulary.yaml", _VocabularyFile)

TASKS: Mapping[str, Task] = MappingProxyType(
    {
        name: Task(name, e.prose, e.meaning, e.family, e.supervised, e.imbalance_sensitive)
        for name, e in _DATA.tasks.items()
    }
)
# Which metric family suits each task; tasks without one (`other`) are absent.
TASK_FAMILY: Mapping[str, str] = MappingProxyType({t.name: t.family for t in TASKS.values() if t.family})

# The framework's sections in the order an explanation presents them.
SECTIONS: tuple[str, ...] = tuple(s.name for s in _DATA.sections)
# The sections `mlsd check` scores, in the same order.
REVIEWED_SECTIONS: tuple[str, ...] = tuple(s.name for s in _DATA.sections if s.reviewed)

# `serving.mode` -> how prose says it.
SERVING_MODES: Mapping[str, str] = MappingProxyType({name: e.prose for name, e in _DATA.serving_modes.items()})
# The serving modes in which the design answers requests as they come.
ONLINE_MODES: frozenset[str] = frozenset(name for name, e in _DATA.serving_modes.items() if e.answers_online)
DIRECTIONS: tuple[str, ...] = _DATA.directions
THEMES: tuple[str, ...] = _DATA.themes
DEFAULT_THEME: str = THEMES[0]
PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        name: Preset(name, e.aspect[0] / e.aspect[1] if e.aspect else None, e.width_px, e.pad_inches)
        for name, e in _DATA.presets.items()
    }
)

PICTURE_FORMATS: tuple[str, ...] = _DATA.formats.pictures
DOCUMENT_FORMATS: tuple[str, ...] = _DATA.formats.documents
# File name ending -> the export target that writes it.
DIAGRAM_LANGUAGES: Mapping[str, str] = MappingProxyType(dict(_DATA.formats.diagram_languages))
RENDER_FORMATS: tuple[str, ...] = PICTURE_FORMATS + DOCUMENT_FORMATS + tuple(DIAGRAM_LANGUAGES)
DEFAULT_FORMATS: tuple[str, ...] = _DATA.formats.default
BUILD_FORMATS: tuple[str, ...] = _DATA.formats.build

# Export target -> the file name ending it writes.
EXPORT_TARGETS: Mapping[str, str] = MappingProxyType(dict(_DATA.export_targets))
DIFF_VIEWS: tuple[str, ...] = _DATA.diff_views
# Starter spec name -> what it is; the first is the default.
STARTERS: Mapping[str, str] = MappingProxyType(dict(_DATA.starters))
