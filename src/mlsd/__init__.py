"""mlsd: diagram-as-code for machine-learning system design.

    >>> import mlsd
    >>> design = mlsd.load_spec("specs/fraud-detection.yaml")
    >>> design.render("output", formats=("svg", "png"), theme="dark")

`load_spec` returns an `mlsd.Design` (see `mlsd.api`); in Jupyter it displays
as its picture.
"""

from __future__ import annotations

from mlsd.version import __version__

__all__ = ["Design", "__version__", "load_spec"]


def __getattr__(name: str) -> object:
    # Loaded on first use so that `import mlsd` (and `mlsd --help`) stays cheap.
    if name in ("load_spec", "Design"):
        from mlsd import api

        return getattr(api, name)
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")
