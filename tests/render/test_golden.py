"""Golden DOT: the Graphviz source of each test spec, compared byte for byte.

Refresh with `pytest tests/render --update-golden`, then read the diff: a golden
file is only as good as the eye that approved it.
"""

from __future__ import annotations

import pytest

from mlsd.render import build_dot
from mlsd.render.theme import COLOURS

from ._helpers import GOLDEN, normalise_dot, spec

CASES = [
    ("fraud", "light"),  # the complete example of SPEC-FORMAT.md
    ("fraud", "dark"),
    ("nested", "light"),  # groups nested three deep
    ("same_label", "light"),  # two groups with one label
    ("hostile", "light"),  # markup, quotes, backslashes, DOT syntax, RTL and CJK
    ("all_kinds", "light"),  # every flow kind, so every style and legend cell
]


@pytest.mark.parametrize(("name", "theme"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_dot_matches_golden(name: str, theme: str, update_golden: bool) -> None:
    actual = normalise_dot(build_dot(spec(name), COLOURS[theme]))
    golden = GOLDEN / f"{name}.{theme}.dot"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing; run pytest tests/render --update-golden and review it"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"DOT of {name} ({theme}) changed; if intended, refresh with --update-golden"


@pytest.mark.parametrize(("name", "theme"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_normalised_dot_names_no_machine_path(name: str, theme: str) -> None:
    dot = normalise_dot(build_dot(spec(name), COLOURS[theme]))
    for marker in ("/work", "site-packages", "/home/", "/usr/", "file:"):
        assert marker not in dot
    assert "<icon:" in dot
