"""Fixtures for the slide tests: decks are built once per session (Graphviz is slow)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pptx import Presentation

from mlsd.load import load_spec
from mlsd.model import Spec
from mlsd.slides import Deck, build_deck

HERE = Path(__file__).parent
SPECS = HERE / "specs"
EXAMPLES = HERE.parents[1] / "specs"


def spec(name: str) -> Spec:
    """A spec by stem: tests/slides/specs/ first, then the example specs."""
    own = SPECS / f"{name}.yaml"
    return load_spec(own if own.exists() else EXAMPLES / f"{name}.yaml")


BuildDeck = Callable[..., tuple[Deck, object]]


@pytest.fixture(scope="session")
def deck() -> BuildDeck:
    """deck(name, theme=) -> (Deck, the opened python-pptx Presentation), cached; never modify."""
    cache: dict[tuple[str, str], tuple[Deck, object]] = {}

    def run(name: str, theme: str = "light") -> tuple[Deck, object]:
        if (name, theme) not in cache:
            built = build_deck(spec(name), theme=theme)
            cache[(name, theme)] = (built, Presentation(io.BytesIO(built.data)))
        return cache[(name, theme)]

    return run
