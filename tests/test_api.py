"""The Python API: `mlsd.load_spec` and what a `Design` makes, through the same code as the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.render._helpers import SPECS, svg_root

import mlsd
from mlsd.errors import SpecError
from mlsd.review import SpecReview

GALLERY = Path(__file__).parents[1] / "specs"


def test_load_spec_reads_through_to_the_spec() -> None:
    design = mlsd.load_spec(SPECS / "same_label.yaml")
    assert isinstance(design, mlsd.Design)
    assert design.title == design.spec.title
    assert design.components is design.spec.components
    assert repr(design).startswith("<mlsd.Design 'same-label'")


def test_load_spec_reports_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("mlsd: 1\ntitle: x\ncomponents: {a: {kind: nope}}\nflows: [a -> b]\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        mlsd.load_spec(broken)
    assert len(caught.value.problems) >= 2


def test_render_writes_an_svg(tmp_path: Path) -> None:
    written = mlsd.load_spec(SPECS / "same_label.yaml").render(tmp_path / "out", formats=("svg",))
    assert [p.name for p in written] == ["same-label.svg"]
    assert written[0].is_file()
    svg_root(written[0].read_bytes())


def test_render_writes_every_format_asked_for(tmp_path: Path) -> None:
    # Explanations and diagram languages come out of the API exactly as out of `mlsd render`.
    design = mlsd.load_spec(GALLERY / "fraud-detection.yaml")
    written = design.render(tmp_path, formats=("svg", "md", "html", "mmd", "d2"))
    assert sorted(p.name for p in written) == [f"fraud-detection.{ext}" for ext in ("d2", "html", "md", "mmd", "svg")]
    assert (tmp_path / "fraud-detection.md").read_text(encoding="utf-8").startswith("# ")
    assert (tmp_path / "fraud-detection.mmd").read_text(encoding="utf-8") == design.export("mermaid")


def test_repr_svg_is_a_self_contained_svg() -> None:
    design = mlsd.load_spec(SPECS / "same_label.yaml")
    text = design._repr_svg_()
    root = svg_root(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert text.count("data:image/png;base64,") == len(design.components)
    assert "/work" not in text and "site-packages" not in text
    assert design.svg() == text
    assert design.svg("dark") != text


def test_explain_check_and_export() -> None:
    design = mlsd.load_spec(GALLERY / "fraud-detection.yaml")
    assert "## " in design.explain("md")
    assert design.explain("html").lstrip().lower().startswith("<!doctype html>")
    review = design.check()
    assert isinstance(review, SpecReview)
    assert design.export("d2").strip()
    assert json.dumps([f.rule for f in review.findings])
