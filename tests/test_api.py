"""The Python API: `mlsd.load_spec` and what a `Design` makes, through the same code as the CLI."""

from __future__ import annotations

import doctest
import json
import os
import re
import subprocess
import sys
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


# --- the module-level functions (docs/api.md) ------------------------------------------------

ROOT = Path(__file__).parents[1]


def test_the_examples_in_docs_api_md_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every ```pycon block of the page, in order, as one doctest sharing its names.
    monkeypatch.chdir(ROOT)
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```pycon\n(.*?)^```$", page, flags=re.M | re.S)
    assert len(blocks) >= 3
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "docs/api.md", "docs/api.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10 and result.failed == 0


def test_functions_take_a_design_a_path_or_a_spec(tmp_path: Path) -> None:
    path = GALLERY / "fraud-detection.yaml"
    design = mlsd.load_spec(path)
    assert mlsd.explain(path) == mlsd.explain(design) == mlsd.explain(design.spec) == design.explain()
    assert isinstance(mlsd.check(path), SpecReview)
    written = mlsd.render(design.spec, tmp_path, formats=("svg",))
    assert [p.name for p in written] == ["fraud-detection.svg"]
    change = mlsd.diff(path, GALLERY / "fraud-detection-scaled.yaml", renames=None)
    assert change.components.removed == ("batch_feats",)
    assert mlsd.diff(design, design).components.added == ()


def test_all_names_the_api() -> None:
    assert set(mlsd.__all__) == {"Design", "__version__", "check", "diff", "explain", "load_spec", "render"}
    for name in mlsd.__all__:
        assert getattr(mlsd, name) is not None


@pytest.mark.parametrize("first", ["mlsd.render", "mlsd.explain", "mlsd.diff", "mlsd"])
def test_subpackages_stay_callable_whatever_was_imported_first(first: str) -> None:
    # A fresh interpreter: importing a subpackage first sets `mlsd.<name>` to it.
    code = (
        f"import {first}\nimport mlsd\n"
        "assert all(callable(getattr(mlsd, n)) for n in ('render', 'explain', 'diff'))\n"
        "assert mlsd.render.svg_text and mlsd.diff.diff_specs and mlsd.explain.explain\n"
        "print(mlsd.diff('specs/fraud-detection.yaml', 'specs/fraud-detection.yaml').components.added)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "()\n"


def test_text_form_is_one_short_line() -> None:
    design = mlsd.load_spec(GALLERY / "fraud-detection.yaml")
    shown: list[str] = []

    class Printer:
        def text(self, value: str) -> None:
            shown.append(value)

    design._repr_pretty_(Printer(), False)
    assert shown == [repr(design)]
    assert len(repr(design)) < 120 and "\n" not in repr(design)
    # Display hooks a notebook looks up are Design's own, never the spec model's.
    assert getattr(design, "_repr_html_", None) is None
    with pytest.raises(AttributeError):
        design._private  # noqa: B018
