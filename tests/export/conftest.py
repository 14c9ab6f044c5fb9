"""Specs for the export tests: every example spec, plus the hostile and nested ones here."""

from __future__ import annotations

from pathlib import Path

from mlsd.load import load_spec
from mlsd.model import Spec

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "specs"
SPEC_FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted((HERE / "specs").glob("*.yaml"))
SPEC_IDS = [p.stem for p in SPEC_FILES]


def spec(name: str) -> Spec:
    """A spec by file stem, from tests/export/specs/ or the examples."""
    own = HERE / "specs" / f"{name}.yaml"
    return load_spec(own if own.exists() else EXAMPLES / f"{name}.yaml")


def group_chain(loaded: Spec, group_id: str | None) -> tuple[str, ...]:
    """The groups around a component, outermost first (written out from `parent`)."""
    chain: list[str] = []
    while group_id is not None:
        chain.insert(0, group_id)
        group_id = loaded.groups[group_id].parent
    return tuple(chain)
