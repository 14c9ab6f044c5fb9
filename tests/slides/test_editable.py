"""`mlsd slides --editable`: the picture slides in native shapes, everything else unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from mlsd.cli import main
from mlsd.slides import build_deck

from .conftest import SPECS, spec


def shapes_by_kind(slide) -> dict[str, dict[str, object]]:
    """The slide's shapes named by the editable drawing: component, flow, group, label."""
    found: dict[str, dict[str, object]] = {"Component": {}, "Flow": {}, "Group": {}}
    for shape in slide.shapes:
        kind, _, name = shape.name.partition(" ")
        if kind in found:
            found[kind][name] = shape
    return found


@pytest.fixture(scope="module")
def decks() -> dict[str, tuple[object, object, object]]:
    """name -> (editable Deck, its Presentation, the picture deck's Presentation)."""
    made = {}
    for name in ("steps", "hostile"):
        loaded = spec(name)
        editable = build_deck(loaded, editable=True)
        plain = build_deck(loaded)
        made[name] = (
            editable,
            Presentation(io.BytesIO(editable.data)),
            Presentation(io.BytesIO(plain.data)),
        )
    return made


@pytest.mark.parametrize("name", ["steps", "hostile"])
def test_same_slides_and_notes_as_the_picture_deck(decks, name: str) -> None:
    _, editable, plain = decks[name]
    assert len(editable.slides) == len(plain.slides)
    for ours, theirs in zip(editable.slides, plain.slides, strict=True):
        assert ours.notes_slide.notes_text_frame.text == theirs.notes_slide.notes_text_frame.text


@pytest.mark.parametrize("name", ["steps", "hostile"])
def test_each_picture_slide_draws_its_components_as_shapes(decks, name: str) -> None:
    built, prs, _ = decks[name]
    loaded = spec(name)
    slides = list(prs.slides)[1 : 1 + len(built.pictures)]
    for picture, slide in zip(built.pictures, slides, strict=True):
        found = shapes_by_kind(slide)
        assert set(found["Component"]) == set(picture.shown)
        # No picture of the whole design: the only pictures are the components' icons.
        whole = [s for s in slide.shapes if s.shape_type == 13]  # PICTURE
        assert whole == []
        flows = [e for e in loaded.edges if e.source in picture.shown and e.target in picture.shown]
        assert len(found["Flow"]) == len(flows)
        labels = {
            part.shape_id: cid
            for cid, group in found["Component"].items()
            for part in group.shapes  # type: ignore[attr-defined]
            if part.name.startswith("Label ")
        }
        attached = []
        for connector in found["Flow"].values():
            cnv = connector._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))  # type: ignore[attr-defined]
            start, end = cnv.find(qn("a:stCxn")), cnv.find(qn("a:endCxn"))
            attached.append((labels[int(start.get("id"))], labels[int(end.get("id"))]))
        assert sorted(attached) == sorted((e.source, e.target) for e in flows)
        assert picture.text_px > 0


def test_a_component_stays_put_from_step_to_step(decks) -> None:
    built, prs, _ = decks["steps"]
    places: dict[str, set[tuple[int, int]]] = {}
    for slide in list(prs.slides)[1 : 1 + len(built.pictures)]:
        for cid, group in shapes_by_kind(slide)["Component"].items():
            places.setdefault(cid, set()).add((Emu(group.left), Emu(group.top)))  # type: ignore[attr-defined]
    assert places and all(len(spots) == 1 for spots in places.values())


def test_same_input_same_bytes(decks) -> None:
    built, _, _ = decks["steps"]
    assert build_deck(spec("steps"), editable=True).data == built.data


def test_cli_flag(tmp_path: Path) -> None:
    target = tmp_path / "deck.pptx"
    result = CliRunner().invoke(main, ["slides", str(SPECS / "steps.yaml"), "-o", str(target), "--editable"])
    assert result.exit_code == 0, result.output
    slide = Presentation(io.BytesIO(target.read_bytes())).slides[1]
    assert shapes_by_kind(slide)["Component"]
