"""mlsd: diagram-as-code for machine-learning system design.

>>> import mlsd
>>> spec = mlsd.load_spec("specs/fraud.yaml")
>>> spec.render("output", formats=("svg", "png"), theme="dark")
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "load_spec"]


def __getattr__(name: str) -> object:
    # Loaded on first use so that `mlsd --help` does not pay for pydantic.
    if name == "load_spec":
        from mlsd.load import load_spec

        return load_spec
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")
