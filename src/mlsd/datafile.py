"""mlsd's own data files (the catalogue, the vocabulary, the glossary, the questions).

Each file in `mlsd/data/` is YAML validated by a pydantic model when it is
first read. A broken file is a defect of mlsd, not of the user's spec, but it
is reported the same way, `FILE:LINE:COL: error: ...`, so whoever edits it
finds the line at once (the test suite loads every file).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mlsd.errors import Location, Problem, SpecError

DATA_DIR = Path(__file__).parent / "data"

Model = TypeVar("Model", bound=BaseModel)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, refusing a key written twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is written twice in this mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_LOADER = _Loader


class DataModel(BaseModel):
    """Base of the models of mlsd's data files: strict, frozen, no unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DataFileError(SpecError):
    """A data file of mlsd does not match its model."""


def read_data(path: Path, model: type[Model]) -> Model:
    """Read the YAML file at `path` and validate it as `model`, with located errors."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)
        raise DataFileError([Problem(where, str(err.problem or err))]) from None
    except OSError as err:
        raise DataFileError([Problem(Location(shown, 1, 1), f"cannot read: {err.strerror or err}")]) from None
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        # Composed again only now: positions are needed only to report a problem.
        node = yaml.compose(text, Loader=_LOADER)
        problems = [
            Problem(_locate(node, error["loc"], shown), f"{'.'.join(map(str, error['loc']))}: {error['msg']}")
            for error in err.errors()
        ]
        raise DataFileError(problems) from None


def load_data(name: str, model: type[Model]) -> Model:
    """The data file `name` of `mlsd/data/`, validated as `model`."""
    return read_data(DATA_DIR / name, model)


def _locate(node: yaml.Node | None, loc: tuple[int | str, ...], shown: str) -> Location:
    # Walk the composed node tree as far as the pydantic location goes; the
    # deepest node found is where the problem was written.
    found = node
    for part in loc:
        child = None
        if isinstance(found, yaml.MappingNode):
            child = next((value for key, value in found.value if key.value == str(part)), None)
        elif isinstance(found, yaml.SequenceNode) and isinstance(part, int) and part < len(found.value):
            child = found.value[part]
        if child is None:
            break
        found = child
    if found is None:
        return Location(shown, 1, 1)
    return Location(shown, found.start_mark.line + 1, found.start_mark.column + 1)
