"""`export(spec, to)`: targets, the DOT target, the outline and its text cleaning."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mlsd.catalogue import KINDS, kinds_with
from mlsd.export import export
from mlsd.export.outline import _shape, outline, stroke, text_lines
from mlsd.load import load_spec
from mlsd.render.graph import build_dot
from mlsd.render.theme import COLOURS, FLOW_STYLES
from mlsd.vocabulary import EXPORT_TARGETS

from .conftest import EXAMPLES, SPEC_FILES, SPEC_IDS, spec


def test_targets() -> None:
    assert dict(EXPORT_TARGETS) == {
        "mermaid": "mmd",
        "d2": "d2",
        "dot": "dot",
        "pptx": "pptx",
        "excalidraw": "excalidraw",
        "drawio": "drawio",
    }


def test_unknown_target() -> None:
    with pytest.raises(ValueError, match="unknown export target 'svg'"):
        export(spec("fraud-detection"), "svg")


def test_unknown_theme() -> None:
    with pytest.raises(ValueError, match="unknown theme 'sepia'"):
        export(spec("fraud-detection"), "mermaid", theme="sepia")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_dot_is_the_pictures_source(theme: str) -> None:
    loaded = spec("fraud-detection")
    assert export(loaded, "dot", theme=theme) == build_dot(loaded, COLOURS[theme])


# The DOT target is mlsd.render's own source, bugs included: control characters
# in spec text reach Graphviz, which refuses them (render -f png fails the same way).
DOT_CASES = SPEC_FILES  # the hostile spec included: control characters must not break Graphviz


@pytest.mark.parametrize("path", DOT_CASES, ids=SPEC_IDS)
def test_dot_is_accepted_by_graphviz(path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.fail("Graphviz is not installed: run `make setup` (or apt-get install graphviz)")
    done = subprocess.run(
        [dot, "-Tcanon"], input=export(spec(path.stem), "dot"), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("path", SPEC_FILES, ids=SPEC_IDS)
def test_exports_are_deterministic(path) -> None:
    loaded = spec(path.stem)
    for to in ("mermaid", "d2"):
        assert export(loaded, to) == export(loaded, to)


def test_shapes_follow_the_kinds_traits() -> None:
    shapes = {name: _shape(name) for name in KINDS}
    assert shapes["client"] == "client"
    assert shapes["vector-index"] == shapes["feature-store-online"] == shapes["model-registry"] == "store"
    assert shapes["event-stream"] == "stream"
    assert shapes["inference-server"] == "box"
    assert {name for name, shape in shapes.items() if shape == "store"} == kinds_with("store")


@pytest.mark.parametrize(
    "text, lines",
    [
        (None, ()),
        ("", ()),
        ("  one  line  ", ("one line",)),
        ("first\nsecond\n\n\tthird", ("first", "second", "third")),
        ("a\x01b\x07c\x1f", ("a b c",)),
        ("crlf\r\nline\u2028sep", ("crlf", "line", "sep")),
    ],
)
def test_text_lines(text, lines) -> None:
    assert text_lines(text) == lines


def test_outline_of_nested_groups() -> None:
    shape = outline(spec("hostile"))
    (top,) = shape.boxes
    assert top.key == "g_flowchart"
    (middle,) = top.boxes
    (inner,) = middle.boxes
    assert [n.key for n in inner.nodes] == ["c_style", "c_class"]
    assert shape.paths["c_class"] == ("g_flowchart", "g_classdef", "g_href")
    assert shape.paths["c_end"] == ()


def test_strokes_keep_the_pictures_signals() -> None:
    light = COLOURS["light"]
    for kind, style in FLOW_STYLES.items():
        line = stroke(kind, light)
        assert line.colour == light.flow_colours[kind]
        assert line.dash == (style.style if style.style in ("dashed", "dotted") else "solid")
        assert line.bold == (style.style == "bold")
    assert stroke("telemetry", light).head == "circle" and not stroke("telemetry", light).filled
    assert stroke("model", light).head == "diamond" and stroke("model", light).filled


def test_docs_example_is_current() -> None:
    docs = (EXAMPLES.parent / "docs" / "slides-and-export.md").read_text(encoding="utf-8")
    block = docs.split("```mermaid\n", 1)[1].split("```", 1)[0]
    walkthrough = load_spec(EXAMPLES.parent / "tests" / "slides" / "specs" / "steps.yaml")
    assert block == export(walkthrough, "mermaid", include=["app", "api", "ranker", "features"])
