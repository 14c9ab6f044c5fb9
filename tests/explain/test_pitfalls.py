"""Pitfalls per task family (data/pitfalls.yaml) and the option tables of framing and model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlsd.datafile import DATA_DIR, DataFileError, read_data
from mlsd.explain import explain
from mlsd.explain import pitfalls as pitfalls_module
from mlsd.explain.context import build_context
from mlsd.explain.glossary import families
from mlsd.explain.pitfalls import all_pitfalls, evidence, pitfalls, quote, spec_texts
from mlsd.load import load_spec
from mlsd.vocabulary import TASK_FAMILY, TASKS

from ._helpers import write_spec

ROOT = Path(__file__).parents[2]
PITFALLS = DATA_DIR / "pitfalls.yaml"

HOSTILE = "<script>alert(1)</script> | *bold* _u_ {{ x }} {0} back\\slash"


def _spec_text(task: str | None = None, **sections: str) -> str:
    lines = ["mlsd: 1", "title: Case"]
    if task:
        lines.append(f"framing:\n  task: {task}")
    for body in sections.values():
        lines.append(body)
    lines.append("components:\n  app: {kind: app-service}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the data file


def test_the_data_file_loads_and_covers_every_family() -> None:
    loaded = all_pitfalls()
    # Every family a task has is covered; the glossary may know families no task has.
    assert set(TASK_FAMILY.values()) <= {p.family for p in loaded} <= set(families())
    for p in loaded:
        assert p.question[:1].islower() and p.question.endswith("?"), p.id
        assert p.signals, p.id
    # Every task of a family gets at least three pitfalls.
    for task, family in TASK_FAMILY.items():
        assert len(pitfalls(family, task)) >= 3, task


def test_task_specific_pitfalls_are_kept_to_their_tasks() -> None:
    retrieval = {p.id for p in pitfalls("ranking", "retrieval")}
    ranking = {p.id for p in pitfalls("ranking", "ranking")}
    assert "ann-recall" in retrieval and "ann-recall" not in ranking
    assert "cold-start" in ranking and "cold-start" not in retrieval


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        (
            "how rare is the positive class,",
            "How rare is the positive class,",
            "question: >-\n        How rare is",
            "a question starts in lower case",
        ),
        # A bad key is reported at its entries.
        ("  clustering:\n", "  clustring:\n", "    - id: no-ground-truth", "unknown family 'clustring'"),
        (
            "    - id: calibration\n",
            "    - id: class-imbalance\n",
            "id: class-imbalance\n      title: Calib",
            "listed twice",
        ),
        ("      tasks: [retrieval]\n", "      tasks: [regression]\n", "regression]", "not of the ranking family"),
    ],
    ids=["question case", "unknown family", "duplicate id", "task of another family"],
)
def test_a_broken_copy_is_reported_at_file_line_column(
    tmp_path: Path, old: str, new: str, at: str, message: str
) -> None:
    text = PITFALLS.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    broken = tmp_path / "pitfalls.yaml"
    broken.write_text(text, encoding="utf-8")
    line = text[: text.index(at)].count("\n") + 1
    with pytest.raises(DataFileError) as caught:
        read_data(broken, pitfalls_module._PitfallsFile)
    problems = str(caught.value).splitlines()
    assert len(problems) == 1, problems
    assert re.match(rf"{re.escape(str(broken))}:{line}:\d+: error: ", problems[0]), problems[0]
    assert message in problems[0]


def test_a_question_without_a_question_mark_is_refused(tmp_path: Path) -> None:
    text = PITFALLS.read_text(encoding="utf-8").replace("and learn\n        them?", "and learn them.")
    broken = tmp_path / "pitfalls.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"pitfalls\.yaml:\d+:\d+: error: .*ends with '\?'"):
        read_data(broken, pitfalls_module._PitfallsFile)


# ------------------------------------------------------------------ matching


def test_signals_match_whole_words_in_any_case_and_plural(tmp_path: Path) -> None:
    ranking = {p.id: p for p in pitfalls("ranking", "ranking")}
    found = write_spec(tmp_path, _spec_text("ranking", data="data:\n  bias: Strong POSITION-BIASES in clicks"))
    assert evidence(ranking["position-bias"], spec_texts(found)) is not None
    # "repositioned biasing" holds the letters, not the words.
    missed = write_spec(tmp_path, _spec_text("ranking", data="data:\n  bias: repositioned biasing"), "b.yaml")
    assert evidence(ranking["position-bias"], spec_texts(missed)) is None


def test_requirements_and_alternatives_do_not_count_as_addressing(tmp_path: Path) -> None:
    text = _spec_text(
        "ranking",
        requirements="requirements:\n  constraints: [cold start for new items]",
        framing_more="",
    ).replace("  task: ranking", "  task: ranking\n  alternatives: [popularity only (cold start is poor)]")
    found = write_spec(tmp_path, text)
    cold = next(p for p in pitfalls("ranking", "ranking") if p.id == "cold-start")
    assert evidence(cold, spec_texts(found)) is None


def test_a_part_written_for_the_pitfall_answers_it(tmp_path: Path) -> None:
    found = write_spec(tmp_path, _spec_text("binary-classification", data="data:\n  imbalance: about 1 in 1,000"))
    imbalance = next(p for p in pitfalls("classification") if p.id == "class-imbalance")
    hit = evidence(imbalance, spec_texts(found))
    assert hit is not None
    assert (hit.where, hit.quote) == ("data preparation (class imbalance)", "about 1 in 1,000")


def test_the_quote_is_the_clause_around_the_signal() -> None:
    text = "keep all clicks; downsample non-click impressions to 10 %, then correct predictions with p / (p + q)"
    start = text.index("downsample")
    assert quote(text, start, start + len("downsample")) == "downsample non-click impressions to 10 %"
    # A clause never ends inside parentheses, and a two-word clause takes the next one along.
    text = "position bias (log position; train with it, serve with a fixed value)"
    assert quote(text, 0, 13) == text
    text = "time-based; train on the past, test on the last week"
    assert quote(text, 0, 10) == text


# ------------------------------------------------------------------ the explanation


def test_a_ranking_spec_that_names_position_bias_shows_it_addressed(tmp_path: Path) -> None:
    found = write_spec(
        tmp_path, _spec_text("ranking", data="data:\n  bias: position bias (log the slot; train with it)")
    )
    section = build_context(found).pitfalls
    assert section is not None
    assert section.title == "Pitfalls for a ranking design"
    by_id = {p.id: p for p in section.pitfalls}
    position = by_id["position-bias"]
    assert position.question is None and position.addressed is not None
    assert position.addressed.args == ("position bias (log the slot; train with it)",)
    others = [p for p in section.pitfalls if p.id != "position-bias"]
    assert others and all(p.addressed is None and p.question for p in others)
    md = explain(found, "md")
    assert "### Pitfalls for a ranking design" in md
    assert (
        "- Addressed: **Position bias** — in data preparation (bias): “position bias (log the slot; train with it)”."
        in md
    )
    assert "- To ask: **Negative sampling** — where do the negatives come from" in md
    html = explain(found, "html")
    assert "Addressed: <strong>Position bias</strong>" in html


def test_the_pitfalls_follow_the_talking_points_and_reach_the_slide_notes(tmp_path: Path) -> None:
    found = write_spec(tmp_path, _spec_text("ranking", talking="talking_points: [exploration budget]"))
    md = explain(found, "md")
    assert md.index("## Other talking points") < md.index("### Pitfalls for a ranking design")
    assert md.index("### Pitfalls for a ranking design") < md.index("## Design review")
    # Pitfall questions are not framework parts: the open-question count stays the framework's.
    assert md.count("Open question:") == build_context(found).open_question_count


def test_an_article_fits_the_task_name(tmp_path: Path) -> None:
    found = write_spec(tmp_path, _spec_text("object-detection"))
    section = build_context(found).pitfalls
    assert section is not None and section.title == "Pitfalls for an object detection design"


@pytest.mark.parametrize("task", [None, "other"])
def test_no_task_of_a_known_family_no_pitfalls(tmp_path: Path, task: str | None) -> None:
    found = write_spec(tmp_path, _spec_text(task))
    assert build_context(found).pitfalls is None
    for fmt in ("md", "html"):
        assert "Pitfalls for" not in explain(found, fmt)


# ------------------------------------------------------------------ option tables


def test_two_or_more_alternatives_make_a_table(tmp_path: Path) -> None:
    found = write_spec(
        tmp_path,
        _spec_text(
            "ranking",
            model="model:\n  candidates: [GBDT, two-tower]",
        ).replace(
            "  task: ranking",
            "  task: ranking\n  alternatives:\n"
            "    - 'rules: cheap but brittle'\n"
            "    - two-tower — fast, weak on crosses\n"
            "    - GBDT over pair features (strong, ignores structure)\n"
            "    - plain popularity",
        ),
    )
    table = build_context(found).comparisons.framing
    assert table is not None and table.label == "Alternatives considered"
    assert [(r.name, r.note) for r in table.rows] == [
        ("rules", "cheap but brittle"),
        ("two-tower", "fast, weak on crosses"),
        ("GBDT over pair features", "strong, ignores structure"),
        ("plain popularity", None),
    ]
    md = explain(found, "md")
    assert "| Option | Note |" in md
    assert "| GBDT over pair features | strong, ignores structure |" in md
    assert "| plain popularity | — |" in md
    assert "  - rules: cheap but brittle" not in md  # the table replaces the list
    html = explain(found, "html")
    assert "<tr><td>two-tower</td><td>fast, weak on crosses</td></tr>" in html
    assert "<tr><td>GBDT</td><td>—</td></tr>" in html  # model candidates too


def test_one_alternative_stays_a_list(tmp_path: Path) -> None:
    found = write_spec(
        tmp_path, _spec_text("ranking").replace("  task: ranking", "  task: ranking\n  alternatives: [x]")
    )
    assert build_context(found).comparisons.framing is None
    assert "| Option |" not in explain(found, "md")


def test_hostile_text_stays_escaped_in_tables_and_quotes(tmp_path: Path) -> None:
    text = (
        "mlsd: 1\ntitle: Case\nframing:\n  task: ranking\n  alternatives:\n"
        f"    - '{HOSTILE}'\n"
        f"    - 'name: {HOSTILE}'\n"
        "data:\n"
        f"  bias: 'position bias {HOSTILE}'\n"
        "components:\n  app: {kind: app-service}\n"
    )
    found = write_spec(tmp_path, text)
    md = explain(found, "md")
    html = explain(found, "html")
    assert "<script>" not in md and "<script>" not in html
    assert "\\<script\\>alert(1)\\</script\\> \\| \\*bold\\* \\_u\\_ \\{\\{ x \\}\\} \\{0\\} back\\\\slash" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | *bold* _u_ {{ x }} {0} back\\slash" in html
    # The quoted phrase in the pitfall line is escaped too, and its braces are not a format slot.
    assert "“position bias \\<script\\>" in md
    assert "“position bias &lt;script&gt;" in html
    # Every table row has exactly three unescaped pipes: spec pipes cannot add a column.
    rows = [line for line in md.splitlines() if line.startswith("| ") and "script" in line]
    assert len(rows) == 2
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 3 for row in rows)


# ------------------------------------------------------------------ the gallery


GALLERY = ("ad-click-prediction", "rag-chatbot", "visual-search")


@pytest.mark.parametrize("name", GALLERY)
def test_gallery_explanations_name_task_specific_pitfalls(name: str) -> None:
    found = load_spec(ROOT / "specs" / f"{name}.yaml")
    task = found.framing.task
    assert task is not None
    md = explain(found, "md", picture_name=f"{name}.svg")
    heading = f"### Pitfalls for a{'n' if TASKS[task].prose[0] in 'aeiou' else ''} {TASKS[task].prose} design"
    assert heading in md
    block = md.split(heading, 1)[1].split("\n## ", 1)[0]
    lines = [line for line in block.splitlines() if line.startswith("- ")]
    titles = {p.title for p in pitfalls(TASK_FAMILY[task], task)}
    named = [line for line in lines if re.match(r"- (Addressed|To ask): \*\*(.+?)\*\* — ", line)]
    assert len(named) >= 3, block
    for line in named:
        title = re.match(r"- (?:Addressed|To ask): \*\*(.+?)\*\*", line)
        assert title is not None and title[1] in titles
        # Addressed: where, with the spec's own words; to ask: an open question.
        assert re.search(r" — in [^:]+: “.+”\.$", line) or line.endswith("?"), line
    addressed = [line for line in named if line.startswith("- Addressed")]
    assert len(addressed) >= 3, block
    # The committed gallery says the same.
    assert heading in (ROOT / "output" / f"{name}.md").read_text(encoding="utf-8")
