"""Errors of `mlsd diff`: every one is "trouble" in diff(1) terms, exit status 2."""

from __future__ import annotations

from mlsd.errors import MlsdError, SpecError


class DiffError(MlsdError):
    """A diff cannot be made: a bad revision or path, a bad `--rename`, Graphviz failing."""

    exit_code = 2


class DiffSpecError(SpecError):
    """One side (or both) is not a valid spec; the located problems of both sides."""

    exit_code = 2
