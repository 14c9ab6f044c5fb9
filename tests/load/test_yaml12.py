"""Specs read as YAML 1.2 reads them, with the same result with and without libyaml."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.errors import SpecError
from mlsd.load import load_spec
from mlsd.load.reader import parse_text
from mlsd.load.yaml12 import PureLoader, core_tag, core_value, loader
from mlsd.positions import mapping_to_plain

ROOT = Path(__file__).parents[2]
BOTH = pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])


def plain(text: str, *, libyaml: bool) -> object:
    tree, problems = parse_text(text, "t.yaml", libyaml=libyaml)
    assert problems == []
    return mapping_to_plain(tree)


def test_libyaml_is_there_to_compare_with() -> None:
    # Without it the "libyaml" half of these tests would test the pure loader twice.
    assert loader(libyaml=True) is yaml.CSafeLoader
    assert loader(libyaml=False) is PureLoader


@BOTH
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1:30", "1:30"),
        ("017", 17),
        ("on", "on"),
        ("no", "no"),
        ("yes", "yes"),
        ("NO", "NO"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("0o17", 15),
        ("0x1F", 31),
        ("1e3", 1000.0),
        ("-2.5", -2.5),
        ("1_000_000", 1_000_000),
        ("2026-01-01", "2026-01-01"),
        ("'017'", "017"),
        ("!!str 12", "12"),
        ("!!float 1", 1.0),
    ],
)
def test_scalars_read_as_yaml_1_2(written: str, value: object, libyaml: bool) -> None:
    assert plain(f"x: {written}\n", libyaml=libyaml) == {"x": value}


@BOTH
def test_special_floats(libyaml: bool) -> None:
    found = plain("a: .inf\nb: -.Inf\nc: .NaN\n", libyaml=libyaml)
    assert found["a"] == math.inf and found["b"] == -math.inf and math.isnan(found["c"])  # type: ignore[index]


@BOTH
def test_ids_on_no_yes_are_ids(tmp_path: Path, libyaml: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "mlsd: 1\ntitle: yes\nrequirements: {latency: 1:30}\n"
        "components:\n  on: {kind: client, tech: 017, label: NO}\n  no: {kind: api-gateway}\n  yes: {kind: data-warehouse}\n"
        "flows:\n  - on -> no -> yes\n",
        encoding="utf-8",
    )
    # load_spec takes the default parser; force the one under test.
    monkeypatch.setattr("mlsd.load.reader.loader", lambda **_: loader(libyaml=libyaml))
    spec = load_spec(path)
    assert spec.title == "yes"
    assert spec.requirements.latency == "1:30"
    assert list(spec.components) == ["on", "no", "yes"]
    assert spec.components["on"].label == "NO" and spec.components["on"].tech == "17"
    assert [(e.source, e.target) for e in spec.edges] == [("on", "no"), ("no", "yes")]


def test_a_bad_explicit_tag_value_is_located() -> None:
    with pytest.raises(SpecError, match=r"t.yaml:1:4: error: cannot read 'abc' as int"):
        parse_text("x: !!int abc\n", "t.yaml")


def test_core_value_refuses_text_of_another_tag() -> None:
    with pytest.raises(ValueError):
        core_value("yes", core_tag("true"))


FLOW_SCALARS = [
    "available?",
    "is it? yes",
    "x?y",
    "a ? b",
    "a?#c",
    "what?!",
    "a?\n    b",
]


@pytest.mark.parametrize("scalar", FLOW_SCALARS)
def test_a_question_mark_inside_flow_collections_reads_alike(scalar: str) -> None:
    for text in (f"x: {{q: {scalar}}}\n", f"x: [{scalar}, z]\n", f"x: {{{scalar}: v}}\n"):
        try:
            fast = plain(text, libyaml=True)
        except SpecError:
            with pytest.raises(SpecError):
                plain(text, libyaml=False)
            continue
        assert plain(text, libyaml=False) == fast, text


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.text(alphabet="ab?#: ", min_size=1, max_size=6).filter(lambda s: s.strip() and s[0] not in "?#: "),
        min_size=1,
        max_size=3,
    )
)
def test_flow_sequences_read_alike_with_and_without_libyaml(items: list[str]) -> None:
    text = "x: [" + ", ".join(items) + "]\n"
    try:
        fast = plain(text, libyaml=True)
    except SpecError:
        return  # both parsers reject some of these; their wording differs, not the outcome
    assert plain(text, libyaml=False) == fast, text


def _every_yaml_text() -> list[tuple[str, str]]:
    found = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "specs").glob("*.yaml"))]
    found += [
        (str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "tests" / "load" / "valid").rglob("*.yaml"))
    ]
    return found


@pytest.mark.parametrize(("name", "text"), _every_yaml_text(), ids=lambda v: v if "/" in v else "")
def test_every_spec_reads_the_same_with_and_without_libyaml(name: str, text: str) -> None:
    assert plain(text, libyaml=False) == plain(text, libyaml=True), name
