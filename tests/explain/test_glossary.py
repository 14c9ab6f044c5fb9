"""The metric glossary: size, coverage of every family, and forgiving name matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.datafile import DATA_DIR, DataFileError, read_data
from mlsd.explain import glossary
from mlsd.explain.glossary import FAMILIES, GLOSSARY, lookup, normalise, split_metric
from mlsd.vocabulary import TASK_FAMILY


def test_glossary_has_at_least_two_hundred_metrics() -> None:
    assert len(GLOSSARY) >= 200


@pytest.mark.parametrize(
    "name",
    [
        # LLM and RAG
        "Faithfulness",
        "Answer relevance",
        "Context relevance",
        "Context recall",
        "Hallucination rate",
        "Toxicity rate",
        "Refusal rate",
        "Win rate",
        "pass@k",
        "BLEU",
        "ROUGE",
        "BERTScore",
        "Perplexity",
        "Cost per query",
        "Tokens per second",
        "Time to first token",
        # ranking
        "MRR",
        "MAP",
        "nDCG",
        "Recall@k",
        "Hit rate@k",
        "Precision@k",
        "Catalogue coverage",
        "Intra-list diversity",
        "Novelty",
        "Serendipity",
        # calibration
        "Expected calibration error",
        "Brier score",
        # fairness
        "Demographic parity difference",
        "Equal opportunity difference",
        "Disparate impact ratio",
        # regression and forecasting
        "MAE",
        "RMSE",
        "MAPE",
        "sMAPE",
        "WAPE",
        "Quantile loss",
        "CRPS",
        "Prediction interval coverage",
        # detection and segmentation
        "Mean average precision (detection)",
        "IoU",
        "Dice coefficient",
        "Recall at a fixed precision",
        # operational
        "p50 latency",
        "p95 latency",
        "p99 latency",
        "Throughput",
        "Error rate",
        "Timeout rate",
        "Availability",
        "GPU utilisation",
        "Freshness lag",
        # product and business
        "Click-through rate",
        "Conversion rate",
        "Dwell time",
        "Retention",
        "Active users",
        "Session length",
        "RPM",
        "Gross merchandise value",
        "Churn rate",
        "Complaint rate",
        "Appeal overturn rate",
    ],
)
def test_the_usual_metrics_are_there(name: str) -> None:
    assert name in {m.name for m in GLOSSARY}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_metrics(family: str) -> None:
    assert sum(m.family == family for m in GLOSSARY) >= 3


def test_every_entry_is_complete() -> None:
    for metric in GLOSSARY:
        assert metric.family in FAMILIES, metric.name
        for text in (metric.definition, metric.use_when):
            # Both follow other words in the explanation ("PR-AUC: the area ...", "Pick it
            # when ..."), so they start in lower case unless with an acronym such as F1.
            first = text.split()[0]
            assert first.islower() or sum(c.isupper() or c.isdigit() for c in first) >= 2, metric.name
            assert text.endswith("."), metric.name


def test_names_are_unique() -> None:
    names = [normalise(m.name)[0] for m in GLOSSARY]
    assert len(names) == len(set(names))


def test_every_task_maps_to_a_family() -> None:
    assert set(TASK_FAMILY.values()) <= set(FAMILIES)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("PR-AUC", "PR-AUC"),
        ("pr auc", "PR-AUC"),
        ("average precision", "PR-AUC"),
        ("AUPRC", "PR-AUC"),
        ("nDCG@k", "nDCG"),
        ("NDCG", "nDCG"),
        ("ndcg@10", "nDCG"),
        ("NDCG at 20", "nDCG"),
        ("recall at 0.1 % FPR", "Recall at a fixed false-positive rate"),
        ("Recall@FPR", "Recall at a fixed false-positive rate"),
        ("TPR @ 1% FPR", "Recall at a fixed false-positive rate"),
        ("recall@k", "Recall@k"),
        ("Recall@100", "Recall@k"),
        ("recall", "Recall"),
        ("Precision@5", "Precision@k"),
        ("precision", "Precision"),
        ("MRR@10", "MRR"),
        ("ROC AUC", "ROC-AUC"),
        ("auc", "ROC-AUC"),
        ("log-loss", "Log loss"),
        ("Cross Entropy", "Log loss"),
        ("F1", "F1 score"),
        ("Fβ", "F-beta score"),
        ("R²", "R²"),
        ("r-squared", "R²"),
        ("CTR", "Click-through rate"),
        ("click through rate", "Click-through rate"),
        ("p99 latency", "p99 latency"),
        ("latency", "Latency"),
        ("DAU", "Active users"),
        ("tokens per second", "Tokens per second"),
        ("precision-recall AUC", "PR-AUC"),
        ("fraud loss in basis points", "Fraud loss"),
        ("chargeback rate (90 days)", "Chargeback rate"),
        ("false-decline rate", "False-decline rate"),
        ("TTFT", "Time to first token"),
        ("pass@1", "pass@k"),
        ("ROUGE-L", "ROUGE"),
        ("hit rate@10", "Hit rate@k"),
    ],
)
def test_lookup_matches_aliases(written: str, name: str) -> None:
    found = lookup(written)
    assert found is not None, written
    assert found.name == name


def test_unknown_metric_is_none() -> None:
    assert lookup("happiness of the on-call engineer") is None


@pytest.mark.parametrize(
    ("written", "name"),
    [
        # a qualifier tail: of, on, by, per, at, vs, under, after, a comma...
        ("MRR of the supporting passage", "MRR"),
        ("click-through rate on results", "Click-through rate"),
        ("recall@10 on held-out week", "Recall@k"),
        ("NDCG@10 by query segment", "nDCG"),
        ("ROC-AUC per cohort (new users, new events)", "ROC-AUC"),
        ("precision at the operating threshold", "Precision"),
        ("answer correctness vs reference answers", "Answer correctness"),
        ("p95 latency under 300 ms", "p95 latency"),
        ("mAP@0.5 IoU, per class", "Mean average precision (detection)"),
        ("context recall@6 after re-ranking", "Context recall"),
        # qualifier words, anywhere, and bare numbers
        ("p99 end-to-end latency", "p99 latency"),
        ("p99 decision latency under 100 ms", "p99 latency"),
        ("offline recall@k", "Recall@k"),
        ("daily time spent in the feed", "Time spent"),
        ("28-day retention", "Retention"),
        ("calibration of the 80 % interval per market", "Prediction interval coverage"),
        # the head term inside a longer name: the longest run of words, the last one first
        ("carousel click-through rate", "Click-through rate"),
        ("advertiser return on ad spend", "ROAS"),
        ("dwell-time head MAE", "MAE"),
        ("ticket revenue per DAU", "Revenue per user"),
        ("share of trips within ±2 minutes", "Within-tolerance rate"),
        # a parenthesised name when the rest says nothing
        ("share of signals from a few tickers (concentration)", "Concentration"),
    ],
)
def test_qualified_names_match_their_head_term(written: str, name: str) -> None:
    found = lookup(written)
    assert found is not None, written
    assert found.name == name


@pytest.mark.parametrize(
    "written",
    [
        "rate",
        "time",
        "score",
        "happiness rate",
        "rate of happiness",
        "time of day",
        "time to happiness",
        "share of users",
        "average time",
        "total score per user",
        "overall rate",
    ],
)
def test_a_shared_word_alone_does_not_match(written: str) -> None:
    assert lookup(written) is None


def test_the_matching_words_are_data() -> None:
    data = read_data(DATA_DIR / "glossary.yaml", glossary._GlossaryFile)
    assert {"of", "on", "by", "per", "at", "for", "in"} <= set(data.matching.tail_words)
    assert {"offline", "online", "overall", "weighted", "daily", "mean"} <= set(data.matching.qualifier_words)
    assert {"rate", "time", "score"} <= set(data.matching.generic_words)


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("p99 latency and timeout rate", ["p99 latency", "timeout rate"]),
        ("precision and recall at the operating threshold", ["precision", "recall at the operating threshold"]),
        ("time to first token and tokens per second", ["time to first token", "tokens per second"]),
        (
            "context recall / hit rate@5 of the supporting passage",
            ["context recall", "hit rate@5 of the supporting passage"],
        ),
        # a bare modifier borrows the last metric's head word
        ("p90 and p99 latency", ["p90 latency", "p99 latency"]),
        ("hide, unfollow and report rate", ["hide rate", "unfollow rate", "report rate"]),
        ("query reformulation and abandonment rate", ["query reformulation rate", "abandonment rate"]),
        # a shared leading qualifier, when it makes a known name
        ("paper-trading P&L and hit rate", ["paper-trading P&L", "paper-trading hit rate"]),
    ],
)
def test_several_metrics_in_one_entry_are_split(written: str, parts: list[str]) -> None:
    assert split_metric(written) == parts
    assert all(lookup(part) for part in parts)


@pytest.mark.parametrize(
    "written",
    [
        "precision-recall AUC",  # "and" or a hyphen inside one metric's name
        "profit and loss",
        "hide and report rate",  # an alias as a whole
        "PR-AUC for spam and phishing classes",  # "and" inside the qualifier tail
        "conversion on the store page and checkout",
        "ROC-AUC per cohort (new users, new events)",  # inside parentheses
        "calibration ratio (sum of predicted ÷ observed clicks), per segment",  # a comma before a tail
        "report and hide rate on results",  # both parts are the same metric
        "privacy complaints and regulator requests",  # one part is unknown
        "likes and dislikes",
        "MRR",
    ],
)
def test_one_metric_is_not_split(written: str) -> None:
    assert split_metric(written) == [written]


@pytest.mark.parametrize(
    ("written", "task", "family"),
    [
        ("AP", "object-detection", "detection"),
        ("AP", "binary-classification", "classification"),
        ("mAP", "object-detection", "detection"),
        ("mAP", "recommendation", "ranking"),
        ("average precision", "segmentation", "detection"),
    ],
)
def test_ambiguous_names_follow_the_task(written: str, task: str, family: str) -> None:
    found = lookup(written, task)
    assert found is not None and found.family == family


# ---------------------------------------------------------------- the data file


def test_the_shipped_file_loads_once() -> None:
    data = read_data(DATA_DIR / "glossary.yaml", glossary._GlossaryFile)
    assert tuple(m.name for m in data.metrics) == tuple(m.name for m in GLOSSARY)
    assert data.families == FAMILIES
    assert glossary.metrics() is glossary.metrics()


def test_an_alias_may_be_shared_across_families() -> None:
    # Deliberate: the task's family decides (see test_ambiguous_names_follow_the_task).
    sharing = {m.family for m in GLOSSARY if "AP" in m.aliases}
    assert sharing == {"classification", "detection"}


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of glossary.yaml with the first `old` line replaced by `new`, and the line number of `new`."""
    text = (DATA_DIR / "glossary.yaml").read_text(encoding="utf-8").replace(old, new, 1)
    assert text.count(new) == 1, new
    broken = tmp_path / "glossary.yaml"
    broken.write_text(text, encoding="utf-8")
    return broken, text[: text.index(new)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        ("    family: ranking\n", "    family: rankng\n", 13, "unknown family 'rankng'"),
        (
            "  - name: Balanced accuracy\n",
            "  - name: accuracy\n",
            11,
            "metric 'accuracy' is already in the glossary as 'Accuracy'",
        ),
        ("  - name: Balanced accuracy\n", "  - name: 'Accuracy'\n", 11, "metric 'Accuracy' is already in the glossary"),
        ("      - sensitivity\n", "      - ppv\n", 9, "'ppv' already names 'Precision', of the same family"),
    ],
    ids=["unknown family", "duplicate name", "same name written twice", "alias of another metric"],
)
def test_a_broken_file_is_reported_at_the_entry(tmp_path: Path, old: str, new: str, column: int, message: str) -> None:
    broken, line = _broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as caught:
        read_data(broken, glossary._GlossaryFile)
    problems = str(caught.value).splitlines()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{broken}:{line}:{column}: error: ")
    assert message in problems[0]
