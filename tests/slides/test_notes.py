"""Speaker notes: present on every slide, and each holds its part of the explanation."""

from __future__ import annotations

import re

import pytest

from mlsd.slides.notes import plain, sections

from .conftest import spec

DECKS = ["fraud-detection", "steps", "bare", "hostile"]
# Headings the notes give each piece of the explanation (upper case).
HEADING = re.compile(r"^[A-Z][A-Z0-9 ,:/()-]+$", re.M)


def slide_notes(prs) -> list[str]:
    return [slide.notes_slide.notes_text_frame.text for slide in prs.slides]


@pytest.mark.parametrize("name", DECKS)
def test_every_slide_has_notes(deck, name: str) -> None:
    _, prs = deck(name)
    for index, text in enumerate(slide_notes(prs)):
        assert text.strip(), f"slide {index + 1} has no speaker notes"


@pytest.mark.parametrize("name", DECKS)
def test_notes_in_the_file_are_the_planned_notes(deck, name: str) -> None:
    built, prs = deck(name)
    planned = [built.notes.title, *built.notes.steps, *built.notes.metrics, built.notes.capacity]
    # python-pptx keeps line breaks as paragraphs and never loses text.
    assert slide_notes(prs) == [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", n) for n in planned]


@pytest.mark.parametrize("name", DECKS)
def test_no_section_is_told_twice(deck, name: str) -> None:
    _, prs = deck(name)
    headings = [h for text in slide_notes(prs) for h in HEADING.findall(text)]
    assert len(headings) == len(set(headings)), headings


def test_title_notes_hold_summary_requirements_and_framing(deck) -> None:
    _, prs = deck("fraud-detection")
    text = slide_notes(prs)[0]
    assert text.startswith("SUMMARY\nEvery card payment is scored inside the authorisation call")
    assert "\nCLARIFYING REQUIREMENTS\n" in text
    assert "\nFRAMING AS AN ML TASK\n" in text
    assert "SCALE AND CAPACITY" not in text  # that is the capacity slide's


def test_step_notes_follow_the_stages_they_reveal(deck) -> None:
    # fraud-detection is shown view by view: the notes follow the slides.
    built, prs = deck("fraud-detection")
    loaded = spec("fraud-detection")
    shown = built.pictures
    notes = slide_notes(prs)[1 : 1 + len(shown)]
    expected_first = {
        "HIGH-LEVEL ARCHITECTURE: ONLINE REQUEST PATH": "client",
        "SERVING": "serving",
        "ONLINE TESTING AND DEPLOYMENT": "serving",
        "DATA PREPARATION": "data",
        "HIGH-LEVEL ARCHITECTURE: OFFLINE PIPELINES": "data",
        "FEATURE ENGINEERING": "features",
        "MODEL DEVELOPMENT": "training",
        "MONITORING AND MAINTENANCE": "monitoring",
        "HIGH-LEVEL ARCHITECTURE: FEEDBACK LOOPS": "monitoring",
    }
    for heading, stage in expected_first.items():
        holders = [i for i, text in enumerate(notes) if f"\n{heading}\n" in text]
        assert len(holders) == 1, heading
        # ... on the first slide that shows a component of that stage (for the
        # request path: of the client or the serving stage, whichever is first).
        stages = {stage, "serving"} if stage == "client" else {stage}
        first = next(i for i, p in enumerate(shown) if any(loaded.stage(c) in stages for c in p.added))
        assert holders[0] == first, heading
    # The spec's own serving text is in the serving step's notes.
    serving = next(t for t in notes if "\nSERVING\n" in t)
    assert "On timeout or model error, a rules-only path decides" in serving


def test_step_notes_open_with_the_components_added(deck) -> None:
    built, prs = deck("steps")
    notes = slide_notes(prs)[1 : 1 + len(built.pictures)]
    assert notes[0].startswith("The request\nThis step adds:\n- Feed app (client)")
    assert "- Feed API (app-service)" in notes[0]
    assert notes[2] == "Nothing new\nThis step adds no new components."
    # Leftovers (here the groups) close the walk-through.
    assert "HIGH-LEVEL ARCHITECTURE: GROUPS" in notes[-1]
    assert "- Online serving: Feed API, Ranker, Candidates" in notes[-1]


def test_a_stage_no_step_reveals_still_gets_its_notes(deck) -> None:
    _, prs = deck("bare")  # one app-service: only the client stage
    (step,) = slide_notes(prs)[1:2]
    for heading in (
        "DATA PREPARATION",
        "FEATURE ENGINEERING",
        "MODEL DEVELOPMENT",
        "SERVING",
        "MONITORING AND MAINTENANCE",
    ):
        assert f"\n{heading}\n" in step


def test_metrics_notes_are_the_metrics_section(deck) -> None:
    _, prs = deck("steps")
    text = slide_notes(prs)[-2]
    assert text.startswith("METRICS\nBusiness metrics\n")
    assert "- NDCG@10 (nDCG), target >= 0.45:" in text
    assert "Why here: graded relevance and position matter." in text


def test_capacity_notes_hold_the_arithmetic_and_scaling(deck) -> None:
    _, prs = deck("steps")
    text = slide_notes(prs)[-1]
    assert text.startswith("CLARIFYING REQUIREMENTS: SCALE AND CAPACITY ESTIMATES\n")
    assert "10,000,000 daily users × 5 per user per day = 50,000,000 a day" in text
    assert "\nSCALING\n" in text and "\nOTHER TALKING POINTS\n" in text


def test_notes_are_plain_text_not_markdown(deck) -> None:
    _, prs = deck("hostile")
    text = "\n".join(slide_notes(prs))
    assert "**" not in text and "_Open question:_" not in text
    assert "\\<" not in text and "\\*" not in text and "\\_" not in text
    assert '- <User> & "friends" (client)' in text
    assert "API *v2* `x` (app-service): serves \\ everything" in text
    assert "- Fallback: 1. not a list & <i>x</i>" in text


@pytest.mark.parametrize(
    "markdown, text",
    [
        (r"\<b\> \& \*x\* \_y\_ \`z\` \\ \[a\]\(b\) \{\{ c \}\} \| \~", "<b> & *x* _y_ `z` \\ [a](b) {{ c }} | ~"),
        ("- **Label:** _Open question:_ why?", "- Label: Open question: why?"),
        ("`mlsd check` and peak_qps", "mlsd check and peak_qps"),
        (r"\# heading 1\. item", "# heading 1. item"),
    ],
)
def test_plain(markdown: str, text: str) -> None:
    assert plain(markdown) == text


def test_sections_split_at_headings() -> None:
    found = sections("# T\n\n## One\n\nintro\n\n### A\n\na\n\n## Two\n\n![x](y.svg)\n\ntwo\n")
    assert list(found) == ["One", "Two"]
    assert found["One"].intro == ("", "intro", "")
    assert dict(found["One"].parts) == {"A": ("", "a", "")}
    assert found["Two"].intro == ("", "", "two")
