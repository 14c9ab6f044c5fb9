"""mlsd: diagram-as-code for machine-learning system design.

    >>> import mlsd
    >>> design = mlsd.load_spec("specs/fraud-detection.yaml")
    >>> design.render("output", formats=("svg", "png"), theme="dark")
    >>> mlsd.explain(design), mlsd.check(design), mlsd.diff(design, "specs/fraud-detection-scaled.yaml")

`load_spec` returns an `mlsd.Design` (see `mlsd.api` and docs/api.md); in
Jupyter it displays as its picture.
"""

from __future__ import annotations

import importlib
import sys
import types

from mlsd.version import __version__

_API = ("Design", "check", "load_spec")
# Subpackages that the API makes callable: `mlsd.render(design)` (see mlsd.api).
_CALLABLE = ("diff", "explain", "render")
__all__ = ["Design", "__version__", "check", "diff", "explain", "load_spec", "render"]


def __getattr__(name: str) -> object:
    # Loaded on first use so that `import mlsd` (and `mlsd --help`) stays cheap.
    if name in _API:
        from mlsd import api

        return getattr(api, name)
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")


class _Package(types.ModuleType):
    """The `mlsd` package: `mlsd.render`, `mlsd.explain` and `mlsd.diff` are the callable subpackages.

    Importing `mlsd.render` anywhere sets the attribute to the plain subpackage;
    reading it through here makes sure mlsd.api has made it callable first.
    """

    def __getattribute__(self, name: str) -> object:
        if name in _CALLABLE:
            # While mlsd.api is still being imported, its table does not exist yet.
            packages = getattr(importlib.import_module("mlsd.api"), "API_PACKAGES", None)
            if packages is not None:
                return packages[name]
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _Package
