"""The metric glossary: size, coverage of every family, and forgiving name matching."""

from __future__ import annotations

import pytest

from mlsd.explain.glossary import FAMILIES, GLOSSARY, TASK_FAMILY, lookup, normalise


def test_glossary_has_at_least_sixty_metrics() -> None:
    assert len(GLOSSARY) >= 60


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
        ("p99 latency", "Latency"),
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
