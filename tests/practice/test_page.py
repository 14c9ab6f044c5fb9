"""The practice page holds no name before a reveal; the payload holds them all; output is deterministic."""

from __future__ import annotations

import re

import lxml.html
import pytest

from mlsd.datafile import DATA_DIR
from mlsd.load import load_spec, spec_files
from mlsd.model import Spec
from mlsd.practice import page_name, practice
from mlsd.practice.diagram import component_names, node_key
from mlsd.practice.page import decode, payload_key
from mlsd.render import reveal_steps

from .conftest import GALLERY, gallery

GALLERY_SPECS = spec_files([GALLERY])
# mlsd's own words on the page (step titles, checks, questions): a component called
# "Metrics" does not leak through the heading "Choose the metrics".
OWN_WORDS = " ".join(
    (DATA_DIR / name).read_text(encoding="utf-8").lower()
    for name in ("practice.yaml", "questions.yaml", "pitfalls.yaml")
)


def _page(spec: Spec) -> str:
    return practice(spec).files[page_name(spec.id)].decode("utf-8")


def _shown_before_reveal(html: str) -> str:
    """Every text and attribute value of the page but the encoded payload."""
    doc = lxml.html.document_fromstring(html)
    payload = doc.get_element_by_id("payload")
    payload.getparent().remove(payload)
    parts = list(doc.itertext())
    parts += [value for element in doc.iter() for value in element.attrib.values()]
    return "\n".join(parts)


def _payload(html: str, spec: Spec) -> dict:
    doc = lxml.html.document_fromstring(html)
    found = decode(doc.get_element_by_id("payload").text, payload_key(spec.id))
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize("path", GALLERY_SPECS, ids=lambda p: p.stem)
def test_no_component_name_is_in_the_page_before_a_reveal(path) -> None:
    spec = load_spec(path)
    html = _page(spec)
    shown = _shown_before_reveal(html)
    doc = lxml.html.document_fromstring(html)
    pictures = " ".join([*(t for p in doc.find_class("pic") for t in p.itertext())])
    pictures += " ".join(v for p in doc.find_class("pic") for e in p.iter() for v in e.attrib.values())
    for name in component_names(spec):
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        assert not word.search(pictures), name
        # The page's own words and the spec's title (the interviewer's prompt) may use the word.
        if not word.search(OWN_WORDS + spec.title):
            assert not word.search(shown), name
    # Component ids (Graphviz writes them into titles, comments and element ids) are gone.
    for picture in doc.find_class("pic"):
        assert not [e for e in picture.iter() if not isinstance(e.tag, str) or e.tag.endswith("title")]
        assert not [e for e in picture.iter() if e.get("id")]
    payload = _payload(html, spec)

    # Wrapped lines, joined without spaces and hyphens: "Demon-" + "strations and preferences".
    def bare(text: str) -> str:
        return text.replace(" ", "").replace("-", "")

    for cid in spec.components:
        revealed = "".join(line["text"] for line in payload["names"][node_key(spec, cid)])
        assert bare(spec.label(cid)) in bare(revealed)


def test_the_payload_holds_every_name_answer_and_stage_title() -> None:
    spec = gallery("fraud-detection")
    html = _page(spec)
    payload = _payload(html, spec)
    assert set(payload["names"]) == {node_key(spec, c) for c in spec.components}
    assert payload["stages"] == [title for title, _ in reveal_steps(spec)]
    assert "Kafka" not in _shown_before_reveal(html)
    assert any("Kafka" in item for answer in payload["points"]["architecture"] for item in answer["items"])
    assert payload["cards"]["features"]["answers"][0]["label"] == "Features"


def test_the_stages_are_the_reveal_steps_of_the_one_layout() -> None:
    spec = gallery("fraud-detection")
    doc = lxml.html.document_fromstring(_page(spec))
    import json

    public = json.loads(doc.get_element_by_id("public").text)
    steps = reveal_steps(spec)
    assert len(public["stages"]) == len(steps)
    for stage, (_, shown) in zip(public["stages"], steps, strict=True):
        assert set(stage["nodes"]) == {node_key(spec, c) for c in shown}
    # Both themes show the same components at the same places: one layout.
    pictures = doc.find_class("pic")
    assert len(pictures) == 2
    places = [
        [(g.get("class"), g.find(".//{*}text").get("x")) for g in p.iter("{*}g") if "part" in (g.get("class") or "")]
        for p in pictures
    ]
    assert places[0] == places[1] and len(places[0]) == len(spec.components)


def test_the_page_is_offline_and_self_contained() -> None:
    html = _page(gallery("fraud-detection"))
    doc = lxml.html.document_fromstring(html)
    for element in doc.iter():
        for name in ("src", "href"):
            value = element.get(name) or element.get(f"{{http://www.w3.org/1999/xlink}}{name}")
            if value:
                assert value.startswith(("data:", "#")), value
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert "https://" not in html


def test_the_outputs_are_deterministic(sparse: Spec) -> None:
    first, second = practice(sparse), practice(sparse)
    assert first.files == second.files
    assert sorted(first.files) == ["sparse.practice.html", "sparse.practice.md", "sparse.practice.svg"]


def test_the_markdown_puts_the_answers_after_the_questions(sparse: Spec) -> None:
    text = practice(sparse, 30).files["sparse.practice.md"].decode("utf-8")
    questions, _, answers = text.partition("\n## Answers\n")
    assert "Risk scorer" not in questions and "Risk scorer (NVIDIA Triton)" in answers
    assert "30-minute rehearsal" in questions
    assert "The spec has no answer to this." in questions
    assert "Not in the spec (Online metrics):" in answers
    assert "![The architecture with its component names hidden](sparse.practice.svg)" in questions


def test_the_markdown_of_a_gallery_design_matches_its_golden(update_golden: bool) -> None:
    from pathlib import Path

    golden = Path(__file__).parent / "golden" / "fraud-detection.practice.md"
    produced = practice(gallery("fraud-detection")).files["fraud-detection.practice.md"].decode("utf-8")
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == produced
