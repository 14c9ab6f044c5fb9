"""Diffing architectures: what changed between two specs, as text, JSON and pictures.

`diff_specs` compares two loaded specs; `run_diff` is the `mlsd diff` command
as a function (sides may be `REV:PATH`); `mlsd.diff.picture.draw_diff` draws
the union picture (imported on demand: `diagrams` is slow to import);
`textconv` and `git_diff_driver` plug the diff into git. See docs/diff.md.
"""

from __future__ import annotations

from mlsd.diff.command import DiffRun, parse_renames, run_diff
from mlsd.diff.compare import (
    Changed,
    FieldChange,
    FlowRecord,
    PartDiff,
    Renamed,
    Replacement,
    SpecDiff,
    diff_specs,
)
from mlsd.diff.errors import DiffError, DiffSpecError
from mlsd.diff.git import canonical_text, git_diff_driver, textconv
from mlsd.diff.report import Names, to_json, to_markdown, to_text

__all__ = [
    "Changed",
    "DiffError",
    "DiffRun",
    "DiffSpecError",
    "FieldChange",
    "FlowRecord",
    "Names",
    "PartDiff",
    "Renamed",
    "Replacement",
    "SpecDiff",
    "canonical_text",
    "diff_specs",
    "git_diff_driver",
    "parse_renames",
    "run_diff",
    "textconv",
    "to_json",
    "to_markdown",
    "to_text",
]
