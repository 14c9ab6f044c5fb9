"""`build_context`: every missing part becomes a specific open question, section by section."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from mlsd.explain import build_context, explain
from mlsd.explain.phrase import Phrase

from ._helpers import spec, write_spec
from .test_explain import SECTION_TITLES


def plain(phrase: Phrase) -> str:
    return phrase.text.format(*phrase.args)


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


# One question a candidate should answer per section of an empty spec.
EXPECTED = {
    "Summary": "what does the system do, for whom",
    "Clarifying requirements": "which business outcome should this system move",
    "Framing as an ML task": "which kind of ML task is this",
    "Metrics": "which offline metric fits this task",
    "High-level architecture": "how do the components connect?",
    "Data preparation": "how is data split into training, validation and test sets",
    "Feature engineering": "which features describe each entity",
    "Model development": "which simple baseline",
    "Serving": "what answers the caller when the model or a feature lookup is slow",
    "Online testing and deployment": "how is a new model tested on live traffic",
    "Monitoring and maintenance": "how often is the model retrained",
    "Scaling": "how does the system scale",
    "Other talking points": "which extensions and risks are worth raising",
}


@pytest.mark.parametrize("title", SECTION_TITLES)
def test_missing_parts_are_open_questions_in_every_section(title: str) -> None:
    sections = _sections(explain(spec("empty"), "md"))
    assert f"_Open question:_ {EXPECTED[title]}" in sections[title]


@pytest.mark.parametrize("title", SECTION_TITLES)
def test_every_section_of_an_empty_spec_has_open_questions_in_its_context(title: str) -> None:
    context = build_context(spec("empty"))
    (section,) = [s for s in context.sections() if s.title == title]
    questions = section.open_questions()
    assert questions
    for question in questions:
        text = plain(question)
        assert text[0].islower() and "?" in text, text


def test_every_part_of_an_empty_spec_is_a_question() -> None:
    context = build_context(spec("empty"))
    for section in context.sections():
        for part in getattr(section, "parts", ()):
            assert part.question is not None, f"{section.title}: {part.label}"
            assert part.text is None and part.items == ()


def test_given_parts_are_printed_not_asked() -> None:
    context = build_context(spec("video_recs"))
    assert context.open_question_count == 0
    for section in context.sections():
        assert section.open_questions() == (), section.title
        for part in getattr(section, "parts", ()):
            assert part.text or part.items, f"{section.title}: {part.label}"


def test_open_question_count_matches_the_document() -> None:
    for name in ("fraud", "empty", "hostile"):
        context = build_context(spec(name))
        text = explain(spec(name), "md")
        assert text.count("Open question:") == context.open_question_count, name
        assert f"{context.open_question_count} open question" in text


def test_questions_are_specific_to_the_task() -> None:
    fraud = build_context(spec("fraud"))
    guardrail = next(g for g in fraud.metrics.groups if g.key == "guardrail")
    assert "false-positive rate on legitimate users" in plain(guardrail.question)
    loss = next(p for p in fraud.model.parts if p.label == "Loss")
    assert "focal" in plain(loss.question)


def test_offline_metric_question_names_the_task(tmp_path: Path) -> None:
    loaded = write_spec(
        tmp_path,
        """
mlsd: 1
title: Fraud sketch
framing: {task: binary-classification}
components: {scorer: {kind: inference-server}}
""",
    )
    offline = next(g for g in build_context(loaded).metrics.groups if g.key == "offline")
    assert plain(offline.question) == (
        "which offline metric fits a binary-classification task (for example PR-AUC, ROC-AUC, "
        "recall at a fixed false-positive rate or log loss), and why, given how rare the "
        "positive class is?"
    )


def test_questions_quote_what_the_spec_does_say() -> None:
    fraud = build_context(spec("fraud"))
    budget = next(p for p in fraud.serving.parts if p.label == "Latency budget")
    assert budget.question.args == ("p99 under 50 ms for the whole risk decision",)
    assert any(q.args == ("chargebacks reported within 90 days",) for q in fraud.data.questions)


def test_metrics_carry_glossary_definitions() -> None:
    fraud = build_context(spec("fraud"))
    offline = next(g for g in fraud.metrics.groups if g.key == "offline")
    pr_auc, recall = offline.metrics
    assert pr_auc.why == "heavy class imbalance (about 0.1 % fraud)"
    assert pr_auc.definition and pr_auc.known_as is None
    assert recall.known_as == "Recall at a fixed false-positive rate"


def test_unknown_metric_is_shown_as_written(tmp_path: Path) -> None:
    loaded = write_spec(
        tmp_path,
        """
mlsd: 1
title: Odd metric
metrics: {online: [happiness of the on-call engineer]}
components: {svc: {kind: app-service}}
""",
    )
    online = next(g for g in build_context(loaded).metrics.groups if g.key == "online")
    (metric,) = online.metrics
    assert metric.name == "happiness of the on-call engineer"
    assert metric.definition is None and metric.use_when is None
    # Printed as written, with no sentence about the glossary.
    text = explain(loaded, "md")
    assert "- **happiness of the on-call engineer**\n" in text and "glossary" not in text


def test_capacity_questions_for_unusable_scale(tmp_path: Path) -> None:
    loaded = write_spec(
        tmp_path,
        """
mlsd: 1
title: Half numbers
requirements:
  scale: {searches_per_user_per_day: 4, page_bytes: 1000}
components: {svc: {kind: app-service}}
""",
    )
    questions = [plain(q) for q in build_context(loaded).requirements.capacity_questions]
    assert questions == [
        "how many daily active users are there? searches_per_user_per_day is given per user, so "
        "without that number it has no daily volume.",
        "which rate does page_bytes apply to? Give a daily volume or peak_qps so that it can "
        "become bandwidth, storage or token throughput.",
    ]


def test_scaling_section_plans_for_the_peak() -> None:
    notes = [plain(n) for n in build_context(spec("fraud")).scaling.notes]
    assert notes[0] == "Plan the online path for about 25,000 requests per second at peak, as stated."
    assert "(Gateway, Risk service, Scorer and Online store)" in notes[1]


def test_context_is_frozen() -> None:
    context = build_context(spec("fraud"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.metrics.groups[0].metrics[0].name = "changed"  # type: ignore[misc]


def test_context_is_deterministic() -> None:
    assert build_context(spec("video_recs")) == build_context(spec("video_recs"))
