"""The talk track's budget and the question cards, from the data file and a spec."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mlsd.model import Spec
from mlsd.practice import default_minutes, min_minutes
from mlsd.practice.plan import UNIT_SECONDS, budget, build_plan
from mlsd.render import reveal_steps
from mlsd.vocabulary import SECTIONS

from .conftest import gallery


@given(
    weights=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=15),
    minutes=st.integers(min_value=8, max_value=240),
)
def test_the_budget_sums_to_the_minutes_and_leaves_no_step_empty(weights: list[int], minutes: int) -> None:
    seconds = budget(weights, minutes)
    assert sum(seconds) == minutes * 60
    assert all(s > 0 and s % UNIT_SECONDS == 0 for s in seconds)


def test_a_heavier_step_never_gets_less_time() -> None:
    seconds = budget([7, 2, 5], 45)
    assert seconds[0] >= seconds[2] >= seconds[1]


def test_the_default_interview_is_45_minutes_and_its_steps_follow_each_other() -> None:
    plan = build_plan(gallery("fraud-detection"), default_minutes())
    assert default_minutes() == 45
    assert sum(step.seconds for step in plan.steps) == 45 * 60
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.start == before.start + before.seconds
    assert min_minutes() * 60 >= len(plan.steps) * UNIT_SECONDS


def test_a_complete_design_answers_every_question_card() -> None:
    plan = build_plan(gallery("fraud-detection"), 45)
    questions = [card for card in plan.cards if not card.id.startswith("pitfall-")]
    assert len(questions) >= 9
    assert all(card.answers and not card.missing for card in questions)
    labels = next(card for card in plan.cards if card.id == "labels")
    assert any("90-day maturity" in item for answer in labels.answers for item in answer.items)


def test_the_cards_ask_what_the_issue_lists() -> None:
    asked = " ".join(card.question.lower() for card in build_plan(gallery("fraud-detection"), 45).cards)
    for topic in (
        "business objective",
        "offline and online metrics",
        "labels",
        "how fresh",
        "baseline",
        "latency budget",
        "monitored",
        "retrain",
        "ten times",
    ):
        assert topic in asked


def test_pitfalls_of_the_task_become_cards_answered_in_the_spec_own_words() -> None:
    plan = build_plan(gallery("fraud-detection"), 45)
    pitfalls = {card.id: card for card in plan.cards if card.id.startswith("pitfall-")}
    assert "pitfall-class-imbalance" in pitfalls
    delay = pitfalls["pitfall-label-delay"]
    assert delay.answers and delay.why


def test_a_design_that_lacks_a_part_says_the_part_is_missing(sparse: Spec) -> None:
    plan = build_plan(sparse, 45)
    cards = {card.id: card for card in plan.cards}
    assert cards["labels"].unanswered
    assert [m.label for m in cards["labels"].missing] == ["Labels", "Labeling"]
    assert all(m.question.endswith("?") or "?" in m.question for m in cards["labels"].missing)
    # Partly answered: the offline metric is there, the online ones are named as missing.
    metrics = cards["metrics"]
    assert [a.label for a in metrics.answers] == ["Offline metrics"]
    assert {m.label for m in metrics.missing} == {"Online metrics", "Guardrail metrics"}
    # Pitfalls the spec never addresses say so.
    assert any(card.unanswered for card in plan.cards if card.id.startswith("pitfall-"))


def test_a_design_without_a_task_gets_a_card_saying_so(sparse: Spec) -> None:
    spec = sparse.model_copy(update={"framing": sparse.framing.model_copy(update={"task": None})})
    spec._source = sparse._source
    card = next(c for c in build_plan(spec, 45).cards if c.id == "pitfalls")
    assert card.unanswered
    assert card.missing[0].label == "Task"


def test_every_section_has_a_step_and_the_architecture_points_are_the_reveal_steps() -> None:
    spec = gallery("fraud-detection")
    plan = build_plan(spec, 45)
    assert len(plan.steps) <= len(SECTIONS)
    architecture = next(step for step in plan.steps if step.id == "architecture")
    assert architecture.points[0].items == tuple(title for title, _ in reveal_steps(spec))
