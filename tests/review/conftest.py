"""Fixtures for the review tests: specs derived from a clean design, or written inline."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from mlsd.load import load_spec
from mlsd.model import Spec

CLEAN = Path(__file__).parent / "specs" / "clean.yaml"

Variant = Callable[..., Spec]


@pytest.fixture
def variant(tmp_path: Path) -> Variant:
    """Build a spec that extends the clean design (tests/review/specs/clean.yaml).

    `child` is YAML applied on top (null removes a key or a component and its
    flows); `flows` replaces the flow list and `add_flows` appends to it.
    """

    def make(child: str = "", *, flows: Sequence[object] | None = None, add_flows: Sequence[object] = ()) -> Spec:
        shutil.copy(CLEAN, tmp_path / "clean.yaml")
        text = "extends: clean.yaml\n" + textwrap.dedent(child)
        if flows is not None or add_flows:
            base = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))["flows"]
            every = list(base if flows is None else flows) + list(add_flows)
            text += "\n" + yaml.safe_dump({"flows": every}, sort_keys=False, allow_unicode=True)
        path = tmp_path / "variant.yaml"
        path.write_text(text, encoding="utf-8")
        return load_spec(path)

    return make


@pytest.fixture
def inline(tmp_path: Path) -> Callable[[str], Spec]:
    """Load a spec written inline (dedented) as tmp_path/spec.yaml."""

    def make(text: str, name: str = "spec.yaml") -> Spec:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_spec(path)

    return make
