"""Which offline metrics fit which ML task (reference/DOMAIN.md §4), by name.

Metric names are free text, so matching is by keyword: a metric fits a task
when its name mentions one of the task family's metrics. The tables err on
the side of accepting a name; `metric-task-mismatch` only speaks when no
offline metric fits at all, or when a heavily imbalanced classifier is judged
by accuracy or ROC-AUC alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from mlsd.review import rates, words

_CLASSIFICATION = (
    r"accuracy|precision|recall|\bf1\b|\bf-?beta\b|fβ|\bf[0-9.]+[- ]score|\bauc\b|\broc\b|auroc"
    r"|auprc|average precision|\bap\b|log[- ]?loss|cross[- ]?entropy|\bn?ce\b|\bne\b"
    r"|normali[sz]ed entropy|calibration|\bece\b|brier|confusion|\btpr\b|\bfpr\b"
    r"|false[- ]positive|false[- ]negative|true[- ]positive|specificity|sensitivity|\bmcc\b"
    r"|matthews|kappa|hamming|top-?\d+"
)
# List-aware metrics: what the order of a ranked list is judged by.
_RANKING = (
    r"ndcg|\bdcg\b|\bmap\b|mean average precision|\bmrr\b|reciprocal rank|@ ?k\b|@ ?\d+"
    r"|\bat k\b|\btop-?k\b|hit ?rate|\bhr\b|average rank|\barp\b|\baplt\b|coverage|diversity"
    r"|novelty|serendipity|kendall|spearman"
)
_REGRESSION = (
    r"\bmae\b|\bmse\b|rmse|rmsle|\bmape\b|smape|wape|\bmase\b|\br2\b|r²|r-squared|huber|quantile"
    r"|pinball|crps|absolute error|squared error|percentage error|\bwithin\b|\berror\b|\bbias\b"
    r"|interval coverage|\bwql\b"
)
_DETECTION = (
    r"\bmap\b|\bap\b|\bap ?@|\bap\d+|mean average precision|average precision|\biou\b|precision"
    r"|recall|\bf1\b|false[- ]?(positive|negative)|miss rate"
)
_SEGMENTATION = r"\biou\b|\bmiou\b|dice|jaccard|pixel accuracy|boundary|panoptic|\bpq\b|" + _DETECTION
_GENERATION = (
    r"bleu|rouge|meteor|cider|spice|perplexity|\bppl\b|\bfid\b|\bkid\b|inception|clip ?score|\bfvd\b"
    r"|lpips|faithful|grounded|relevan|exact ?match|win ?rate|human (eval|rating|preference|judg)"
    r"|judge|pass@|toxic|hallucinat|context (recall|precision)|correct|acceptance|bertscore"
    r"|mauve|diversity|safety|helpful"
)
_ANOMALY = _CLASSIFICATION + r"|detection (delay|latency|rate)|time to detect|false alarm"
_CLUSTERING = (
    r"silhouette|davies|calinski|\bnmi\b|mutual information|\bari\b|rand index|purity|modularity"
    r"|inertia|cohesion|separation|v-measure|homogeneity|completeness"
)

# Pointwise scores of a ranker are still ranking-quality measures: AUC is the
# chance a positive is ranked above a negative, and log loss / normalised
# entropy judge the calibrated probabilities feeds and ads sort by. Accuracy,
# precision or recall alone say nothing about the order.
_POINTWISE_RANKING = (
    r"|\bauc\b|\broc\b|auroc|log[- ]?loss|cross[- ]?entropy|\bne\b|\bnce\b"
    r"|normali[sz]ed (cross[- ])?entropy|calibration"
)

# task -> (pattern of fitting metric names, examples to suggest)
FITTING: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "binary-classification": (
            _CLASSIFICATION,
            "PR-AUC, ROC-AUC, precision/recall at a threshold, log loss",
        ),
        "multiclass-classification": (
            _CLASSIFICATION,
            "macro-F1, per-class precision and recall, top-k accuracy",
        ),
        "multilabel-classification": (
            _CLASSIFICATION,
            "micro/macro-F1, per-label PR-AUC, Hamming loss",
        ),
        "regression": (_REGRESSION, "MAE, RMSE, MAPE"),
        "forecasting": (_REGRESSION, "MAE, WAPE, quantile (pinball) loss"),
        "ranking": (_RANKING + _POINTWISE_RANKING, "nDCG@k, mAP, MRR, recall@k"),
        "recommendation": (_RANKING + _POINTWISE_RANKING, "recall@k, nDCG@k, mAP, coverage"),
        "retrieval": (_RANKING + r"|recall|precision", "recall@k, hit rate@k, MRR"),
        "object-detection": (_DETECTION, "mAP@[.5:.95], recall at IoU 0.5"),
        "segmentation": (_SEGMENTATION, "mIoU, Dice"),
        "generation": (_GENERATION, "faithfulness, answer relevance, BLEU/ROUGE, human win rate"),
        "anomaly-detection": (
            _ANOMALY,
            "PR-AUC, precision at k alerts, recall at a false-alarm budget",
        ),
        "clustering": (_CLUSTERING, "silhouette score, NMI against a labelled sample"),
    }
)

_WEAK_UNDER_IMBALANCE = re.compile(
    r"(top-?1 )?accuracy|(roc[- ]?)?auc|auroc|auc[- ]?roc|roc|area under (the )?(roc )?curve"
)
_HEAVY_WORDS = re.compile(
    r"\b(heav(y|ily)|high(ly)?|severe(ly)?|extreme(ly)?|strong(ly)?|rare|skew(ed)?|long[- ]tail"
    r"|needle)\b"
)
_NEGATED = re.compile(r"^\s*(none|no\b|not\b|n/?a\b|balanced|roughly balanced|about even)")


def normalise(name: str) -> str:
    """A metric name lower-cased, without remarks in parentheses, spaces collapsed."""
    name = re.sub(r"\([^)]*\)", " ", name.lower())
    return re.sub(r"\s+", " ", name).strip(" .,:;-")


def fits(task: str, name: str) -> bool:
    """Whether a metric called `name` measures a model of this task."""
    pattern, _ = FITTING[task]
    return re.search(pattern, normalise(name)) is not None


def informal(name: str) -> bool:
    """Whether a "metric" is a manual check ("spot checks", "eyeballing"), which measures nothing repeatably."""
    return words.cue("informal_check", name) is not None


def weak_under_imbalance(name: str) -> bool:
    """Accuracy or ROC-AUC, the metrics a rare positive class makes look good."""
    return _WEAK_UNDER_IMBALANCE.fullmatch(normalise(name)) is not None


def heavy_words(text: str | None) -> bool:
    """Whether a text calls the imbalance heavy in words ("heavy", "rare", "skewed"), unless it starts
    by saying there is none ("none", "no", "not", "balanced")."""
    if not text or _NEGATED.match(text.lower()):
        return False
    return _HEAVY_WORDS.search(text.lower()) is not None


def says_balanced(text: str | None) -> bool:
    """Whether a text starts by saying there is no imbalance ("none", "no", "not", "balanced")."""
    return text is not None and _NEGATED.match(text.lower()) is not None


def heavily_imbalanced(text: str | None) -> bool:
    """Whether a text describes a heavy imbalance: in words, or as a rate of one in ten or rarer
    (see `mlsd.review.rates`). A text starting with "none", "no", "not" or "balanced" says there is none."""
    if not text or _NEGATED.match(text.lower()):
        return False
    return heavy_words(text) or any(rates.rare(rate) for rate in rates.rates_in(text))
