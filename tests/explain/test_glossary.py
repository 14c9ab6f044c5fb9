"""The metric glossary: size, coverage of every family, and forgiving name matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.datafile import DATA_DIR, DataFileError, read_data
from mlsd.explain import glossary
from mlsd.explain.glossary import FAMILIES, GLOSSARY, lookup, normalise
from mlsd.vocabulary import TASK_FAMILY


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
