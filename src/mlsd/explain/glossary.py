"""A glossary of ML and product metrics: what each measures and when it is the right choice.

Names are matched loosely, the way people write them in specs: case, spaces,
hyphens and `@k` / `at 10` suffixes do not matter, and a few common aliases
are known ("AUPRC" is PR-AUC, "recall at 0.1 % FPR" is recall at a fixed FPR).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

FAMILIES: tuple[str, ...] = (
    "classification",
    "ranking",
    "regression",
    "detection",
    "generation",
    "clustering",
    "online",
    "business",
    "operational",
)

# Which metric family suits each `framing.task`; used to settle ambiguous names
# ("AP" means something else to a detector than to a fraud classifier).
TASK_FAMILY: Mapping[str, str] = MappingProxyType(
    {
        "binary-classification": "classification",
        "multiclass-classification": "classification",
        "multilabel-classification": "classification",
        "anomaly-detection": "classification",
        "regression": "regression",
        "forecasting": "regression",
        "ranking": "ranking",
        "recommendation": "ranking",
        "retrieval": "ranking",
        "object-detection": "detection",
        "segmentation": "detection",
        "generation": "generation",
        "clustering": "clustering",
    }
)


@dataclass(frozen=True)
class MetricInfo:
    """One metric: its usual name, family, a one-line definition and when to pick it."""

    name: str
    family: str
    definition: str
    use_when: str
    aliases: tuple[str, ...] = ()


def _m(name: str, family: str, definition: str, use_when: str, *aliases: str) -> MetricInfo:
    return MetricInfo(name, family, definition, use_when, aliases)


GLOSSARY: tuple[MetricInfo, ...] = (
    # ------------------------------------------------------------ classification
    _m(
        "Accuracy",
        "classification",
        "the share of all predictions that are correct.",
        "classes are roughly balanced and every kind of mistake costs the same; under heavy "
        "imbalance it rewards a model that always predicts the majority class.",
        "acc",
    ),
    _m(
        "Balanced accuracy",
        "classification",
        "recall averaged over the classes, so each class counts equally.",
        "classes are imbalanced but each class matters as much as the others.",
    ),
    _m(
        "Precision",
        "classification",
        "of everything the model flags as positive, the share that really is positive.",
        "false alarms are expensive, such as blocking a good customer or removing a legitimate post.",
        "positive predictive value",
        "PPV",
    ),
    _m(
        "Recall",
        "classification",
        "of all truly positive cases, the share the model catches.",
        "misses are expensive, such as fraud that gets through or harmful content that stays up.",
        "sensitivity",
        "true positive rate",
        "TPR",
    ),
    _m(
        "Specificity",
        "classification",
        "of all truly negative cases, the share the model correctly leaves alone.",
        "disturbing negatives has a real cost, as in medical or security screening.",
        "true negative rate",
        "TNR",
        "selectivity",
    ),
    _m(
        "False positive rate",
        "classification",
        "the share of true negatives that the model wrongly flags.",
        "you need to bound how many legitimate cases are hit; it is the x-axis of the ROC curve.",
        "FPR",
        "fall-out",
        "false alarm rate",
    ),
    _m(
        "False negative rate",
        "classification",
        "the share of true positives that the model misses (one minus recall).",
        "a regulator or contract caps the miss rate.",
        "FNR",
        "miss rate",
    ),
    _m(
        "F1 score",
        "classification",
        "the harmonic mean of precision and recall at one threshold.",
        "you need one number for a fixed operating point and both error types matter about equally.",
        "F1",
        "F-score",
        "F1-score",
        "F-measure",
    ),
    _m(
        "F-beta score",
        "classification",
        "a weighted harmonic mean of precision and recall; beta above 1 favours recall, below 1 favours precision.",
        "one error type is known to matter more than the other by a rough ratio.",
        "F-beta",
        "Fβ",
        "F2",
        "F0.5",
    ),
    _m(
        "Macro-F1",
        "classification",
        "F1 computed for each class separately, then averaged with equal weight.",
        "a multiclass problem has rare classes that must not be drowned out by common ones.",
        "macro F1",
        "macro-averaged F1",
    ),
    _m(
        "Micro-F1",
        "classification",
        "F1 computed from the true and false positives pooled over all classes.",
        "each class should count in proportion to how often it occurs, as in multilabel tagging.",
        "micro F1",
        "micro-averaged F1",
    ),
    _m(
        "ROC-AUC",
        "classification",
        "the probability that a random positive gets a higher score than a random negative; "
        "the area under the true-positive-rate versus false-positive-rate curve.",
        "classes are not extremely skewed and you want to compare models independently of a threshold.",
        "AUC",
        "AUROC",
        "ROC AUC",
        "area under the ROC curve",
    ),
    _m(
        "PR-AUC",
        "classification",
        "the area under the precision-recall curve, i.e. precision averaged over every recall level.",
        "positives are rare (fraud, spam, abuse): unlike ROC-AUC it is not flattered by the huge "
        "number of easy negatives.",
        "average precision",
        "AUPRC",
        "AUC-PR",
        "PR AUC",
        "area under the precision-recall curve",
        "AP",
    ),
    _m(
        "Log loss",
        "classification",
        "the average negative log of the probability the model assigned to the true label.",
        "the predicted probabilities are used directly downstream, for example multiplied by a "
        "bid or an expected loss.",
        "cross-entropy",
        "cross entropy",
        "binary cross-entropy",
        "BCE",
        "logistic loss",
        "negative log-likelihood",
        "NLL",
    ),
    _m(
        "Normalized entropy",
        "classification",
        "log loss divided by the log loss of always predicting the average positive rate.",
        "click or conversion models are compared across slices or periods whose base rates differ.",
        "NE",
        "normalized cross-entropy",
        "normalised cross-entropy",
        "NCE",
    ),
    _m(
        "Expected calibration error",
        "classification",
        "the average gap between predicted probabilities and observed frequencies, measured in probability bins.",
        "scores feed thresholds, auctions or expected-value decisions and must mean what they say.",
        "ECE",
        "calibration",
        "calibration error",
        "calibration curve",
        "reliability",
    ),
    _m(
        "Brier score",
        "classification",
        "the mean squared difference between the predicted probability and the 0/1 outcome.",
        "you want one proper scoring rule that reflects both calibration and separation.",
        "Brier",
    ),
    _m(
        "Recall at a fixed false-positive rate",
        "classification",
        "the share of positives caught when the threshold is set so that only a chosen share of negatives is flagged.",
        "there is a hard budget on false alarms, such as declined good payments or customer friction.",
        "recall@FPR",
        "TPR@FPR",
        "recall at fixed FPR",
        "TPR at fixed FPR",
        "recall at fixed false positive rate",
    ),
    _m(
        "Precision at a fixed recall",
        "classification",
        "precision at the threshold that reaches a required recall.",
        "a minimum catch rate is mandated and the question is how few false alarms it can cost.",
        "precision@recall",
        "precision at recall",
    ),
    _m(
        "Matthews correlation coefficient",
        "classification",
        "the correlation between predicted and true labels, using all four cells of the confusion matrix.",
        "you need one balanced number for a skewed binary problem.",
        "MCC",
        "phi coefficient",
    ),
    _m(
        "Confusion matrix",
        "classification",
        "a table counting each true class against each predicted class.",
        "you are doing error analysis and need to see which classes get mistaken for which.",
        "confusion matrices",
    ),
    _m(
        "Hamming loss",
        "classification",
        "the share of individual label decisions that are wrong, over all labels.",
        "a multilabel model makes many independent yes/no decisions per input.",
    ),
    _m(
        "Top-k accuracy",
        "classification",
        "the share of inputs whose true class is among the k highest-scored classes.",
        "there are many classes and the product shows several suggestions at once.",
        "top-5 accuracy",
        "top-1 accuracy",
    ),
    # ------------------------------------------------------------ ranking and retrieval
    _m(
        "Precision@k",
        "ranking",
        "the share of the top k results that are relevant.",
        "users only look at the first k slots and order inside them matters little.",
        "P@k",
        "precision at k",
    ),
    _m(
        "Recall@k",
        "ranking",
        "the share of all relevant items that appear somewhere in the top k.",
        "you evaluate candidate generation or retrieval, where later stages only need the "
        "relevant items to be in the pool.",
        "R@k",
        "recall at k",
    ),
    _m(
        "Hit rate@k",
        "ranking",
        "the share of queries with at least one relevant item in the top k.",
        "one good result is enough, as for a retrieval stage or the context of a RAG answer.",
        "hit rate",
        "HR@k",
        "hits@k",
        "success@k",
        "top-k hit rate",
    ),
    _m(
        "MRR",
        "ranking",
        "the mean over queries of one divided by the rank of the first relevant result.",
        "each query has essentially one right answer: navigational search, question answering, autocomplete.",
        "mean reciprocal rank",
    ),
    _m(
        "MAP",
        "ranking",
        "the mean over queries of the precision averaged at each position where a relevant item appears.",
        "relevance is binary and the order of all relevant items in the list matters.",
        "mean average precision",
        "mAP@k",
        "MAP@k",
        "mAP",
    ),
    _m(
        "nDCG",
        "ranking",
        "the gain of each relevant item discounted by the log of its position, divided by the best achievable value.",
        "relevance is graded (for example purchase > click > view, or 0-4 ratings) and higher positions matter more.",
        "NDCG",
        "nDCG@k",
        "NDCG@k",
        "normalized discounted cumulative gain",
        "DCG",
    ),
    _m(
        "Average rank of the target",
        "ranking",
        "the mean position at which a known target item, such as the one eventually booked, appears.",
        "you evaluate from sessions in which only one item is known to be right.",
        "mean rank",
        "average rank",
        "average position",
        "mean rank of target",
    ),
    _m(
        "Catalogue coverage",
        "ranking",
        "the share of the catalogue that is recommended to anyone over a period.",
        "you must guard against a recommender that only ever shows the head of the catalogue.",
        "coverage",
        "catalog coverage",
        "item coverage",
    ),
    _m(
        "Intra-list diversity",
        "ranking",
        "the average dissimilarity between items shown in the same list.",
        "users should see variety rather than near-duplicates.",
        "diversity",
        "ILD",
    ),
    _m(
        "Novelty",
        "ranking",
        "how unpopular, and so probably unseen, the recommended items are on average.",
        "discovery is a product goal and the popular items are already familiar.",
    ),
    _m(
        "Average recommendation popularity",
        "ranking",
        "the mean popularity of the items recommended.",
        "you need to detect a degenerate feedback loop that concentrates exposure on popular items.",
        "ARP",
        "popularity bias",
    ),
    _m(
        "Long-tail share",
        "ranking",
        "the share of recommended items that come from the long tail of the catalogue.",
        "niche items and new creators need exposure.",
        "APLT",
        "average percentage of long tail items",
        "long tail coverage",
    ),
    _m(
        "Group AUC",
        "ranking",
        "ROC-AUC computed within each user's impressions, then averaged with impression weights.",
        "the order within each user's feed matters more than a global ordering across users.",
        "GAUC",
        "per-user AUC",
    ),
    # ------------------------------------------------------------ regression and forecasting
    _m(
        "MAE",
        "regression",
        "the average absolute difference between prediction and truth, in the target's units.",
        "errors should count linearly and be easy to explain, as in 'three minutes off on average'.",
        "mean absolute error",
        "L1 error",
    ),
    _m(
        "MSE",
        "regression",
        "the average squared difference between prediction and truth.",
        "large errors hurt disproportionately; it is also the usual training loss.",
        "mean squared error",
        "L2 error",
    ),
    _m(
        "RMSE",
        "regression",
        "the square root of MSE, back in the target's units.",
        "you want MSE's extra penalty on big misses but a number in readable units.",
        "root mean squared error",
        "root mean square error",
    ),
    _m(
        "RMSLE",
        "regression",
        "RMSE computed on log(1 + value).",
        "targets span orders of magnitude and relative error matters more than absolute error.",
        "root mean squared log error",
        "MSLE",
    ),
    _m(
        "MAPE",
        "regression",
        "the average absolute error as a share of the true value.",
        "errors must be compared across series of very different scale and true values stay well away from zero.",
        "mean absolute percentage error",
    ),
    _m(
        "sMAPE",
        "regression",
        "the absolute error relative to the mean of prediction and truth, averaged.",
        "you want a percentage error that does not explode near zero.",
        "symmetric MAPE",
        "symmetric mean absolute percentage error",
    ),
    _m(
        "WAPE",
        "regression",
        "the total absolute error divided by the total actual volume.",
        "you forecast demand and high-volume items should weigh more than slow movers.",
        "WMAPE",
        "weighted absolute percentage error",
        "weighted MAPE",
    ),
    _m(
        "MASE",
        "regression",
        "MAE divided by the MAE of a naive forecast that repeats the last season.",
        "you must check, across many series, that a forecast beats the trivial baseline.",
        "mean absolute scaled error",
    ),
    _m(
        "Huber loss",
        "regression",
        "squared error for small residuals and absolute error for large ones.",
        "the training data has outliers that should not dominate the fit.",
        "smooth L1",
        "Huber",
    ),
    _m(
        "Quantile loss",
        "regression",
        "an absolute error that weighs under- and over-prediction differently, so the model "
        "learns a chosen percentile.",
        "you need a percentile such as the P90 delivery time, or being late costs more than being early.",
        "pinball loss",
        "quantile",
        "pinball",
    ),
    _m(
        "R²",
        "regression",
        "the share of the target's variance that the model explains.",
        "you compare regressors quickly on the same data; it means little to the business.",
        "R2",
        "R squared",
        "coefficient of determination",
    ),
    _m(
        "Within-tolerance rate",
        "regression",
        "the share of predictions within a stated tolerance of the truth.",
        "the product makes a promise such as 'arrives within five minutes of the estimate'.",
        "% within tolerance",
        "accuracy within tolerance",
        "within tolerance",
    ),
    _m(
        "Tail absolute error",
        "regression",
        "a high percentile (often the 90th) of the absolute errors.",
        "the worst experiences matter more than the average one.",
        "p90 absolute error",
        "p95 absolute error",
        "P90 error",
        "tail error",
    ),
    _m(
        "Forecast bias",
        "regression",
        "the average signed error, prediction minus truth.",
        "systematic over- or under-forecasting leads to waste or stock-outs.",
        "mean error",
        "bias",
    ),
    # ------------------------------------------------------------ detection and segmentation
    _m(
        "IoU",
        "detection",
        "the area where predicted and true regions overlap, divided by the area of their union.",
        "you must decide whether a predicted box or mask matches a ground-truth one.",
        "intersection over union",
        "Jaccard index",
    ),
    _m(
        "Average precision (detection)",
        "detection",
        "the area under one class's precision-recall curve, where a detection counts as correct "
        "above an IoU threshold.",
        "you judge a detector one class at a time.",
        "AP",
        "average precision",
        "AP50",
        "AP@0.5",
        "AP@IoU",
        "box AP",
    ),
    _m(
        "Mean average precision (detection)",
        "detection",
        "detection AP averaged over classes, and often over IoU thresholds from 0.5 to 0.95.",
        "you compare object detectors and want the field's standard single number.",
        "mAP",
        "mAP@0.5",
        "mAP@[.5:.95]",
        "COCO mAP",
        "mAP@IoU",
        "mean average precision",
    ),
    _m(
        "mIoU",
        "detection",
        "IoU computed per class, then averaged over the classes.",
        "the task is semantic segmentation.",
        "mean IoU",
        "mean intersection over union",
    ),
    _m(
        "Dice coefficient",
        "detection",
        "twice the overlap divided by the sum of the two region sizes.",
        "small structures are segmented, as in medical images, where it is gentler than IoU.",
        "Dice",
        "Dice score",
        "Sørensen-Dice",
    ),
    _m(
        "Panoptic quality",
        "detection",
        "segmentation quality of matched segments times how well segments are recognised.",
        "panoptic segmentation must get both countable objects and background regions right.",
        "PQ",
    ),
    # ------------------------------------------------------------ generation and LLM apps
    _m(
        "Perplexity",
        "generation",
        "the exponential of the average negative log-likelihood per token.",
        "you track how well a language model fits held-out text; it is a health check rather "
        "than a judgement of usefulness.",
        "PPL",
    ),
    _m(
        "Exact match",
        "generation",
        "the share of outputs identical to the reference after light normalisation.",
        "the answer is a short string with one correct form, as in extraction or factual QA.",
        "EM",
        "exact match rate",
    ),
    _m(
        "ExactMatch@N",
        "generation",
        "the share of suggested N-word continuations that match what the user typed next.",
        "the product suggests text completions inline.",
        "exact match@N",
        "EM@N",
    ),
    _m(
        "BLEU",
        "generation",
        "n-gram precision against reference texts, with a penalty for outputs that are too short.",
        "the task is machine translation and good human references exist.",
    ),
    _m(
        "ROUGE",
        "generation",
        "n-gram or longest-common-subsequence overlap with references, weighted toward recall.",
        "summaries are judged against reference summaries.",
        "ROUGE-N",
        "ROUGE-L",
        "ROUGE-1",
        "ROUGE-2",
    ),
    _m(
        "METEOR",
        "generation",
        "unigram matching that also accepts stems and synonyms, combining precision and recall.",
        "translations are judged and correct wording can legitimately vary.",
    ),
    _m(
        "BERTScore",
        "generation",
        "the similarity of contextual token embeddings between output and reference.",
        "outputs are compared with references and paraphrase should not be punished.",
    ),
    _m(
        "CIDEr",
        "generation",
        "TF-IDF-weighted n-gram agreement with several reference captions.",
        "the task is image captioning.",
    ),
    _m(
        "FID",
        "generation",
        "the distance between the feature distributions of real and generated images.",
        "you judge the realism and variety of an image generator.",
        "Fréchet inception distance",
        "Frechet inception distance",
    ),
    _m(
        "KID",
        "generation",
        "a kernel-based alternative to FID that stays unbiased on small samples.",
        "the evaluation set of images is small.",
        "kernel inception distance",
    ),
    _m(
        "Inception score",
        "generation",
        "how confident and how varied a classifier's predictions are on generated images.",
        "you compare with older image-generation results; FID has largely replaced it.",
        "IS",
    ),
    _m(
        "CLIPScore",
        "generation",
        "CLIP similarity between a text prompt and a generated image.",
        "text-to-image output must match its prompt.",
        "CLIP score",
    ),
    _m(
        "FVD",
        "generation",
        "the FID idea applied to features of video clips.",
        "the task is text-to-video generation.",
        "Fréchet video distance",
        "Frechet video distance",
    ),
    _m(
        "LPIPS",
        "generation",
        "a learned perceptual distance between two images.",
        "you evaluate super-resolution or image editing, or measure variety among samples.",
        "learned perceptual image patch similarity",
    ),
    _m(
        "Context relevance",
        "generation",
        "the share of retrieved context that actually bears on the question.",
        "you judge the retrieval half of a RAG system.",
        "context precision",
        "retrieval relevance",
    ),
    _m(
        "Faithfulness",
        "generation",
        "the share of claims in an answer that the retrieved context supports.",
        "answers must not invent facts beyond their sources.",
        "groundedness",
        "factual consistency",
    ),
    _m(
        "Answer relevance",
        "generation",
        "how directly the answer addresses the question that was asked.",
        "answers can be faithful yet evasive or off-topic.",
        "answer relevancy",
    ),
    _m(
        "Answer correctness",
        "generation",
        "agreement of the answer with a reference answer.",
        "a golden set of question-answer pairs exists.",
        "correctness",
    ),
    _m(
        "Win rate",
        "generation",
        "the share of head-to-head comparisons a model wins against a baseline, as judged by people.",
        "output is open-ended and no single reference answer exists.",
        "pairwise win rate",
        "human preference",
        "preference rate",
        "human eval",
        "human evaluation",
    ),
    _m(
        "LLM-as-judge score",
        "generation",
        "a grade given by a strong model that scores outputs against a rubric.",
        "evaluation must scale cheaply, once its agreement with human raters has been checked.",
        "LLM as a judge",
        "LLM judge",
        "model-graded eval",
    ),
    _m(
        "pass@k",
        "generation",
        "the share of problems where at least one of k sampled programs passes the tests.",
        "generated code can be run against tests.",
        "pass at k",
    ),
    _m(
        "Toxicity rate",
        "generation",
        "the share of outputs flagged as harmful by a classifier or by reviewers.",
        "a generator faces users; it is the standard safety guardrail.",
        "toxicity",
        "safety violation rate",
        "harmful output rate",
    ),
    _m(
        "Hallucination rate",
        "generation",
        "the share of answers that contain unsupported or false claims.",
        "assistants or RAG systems must not fabricate with confidence.",
        "hallucinations",
    ),
    # ------------------------------------------------------------ clustering
    _m(
        "Silhouette score",
        "clustering",
        "how much closer each point is to its own cluster than to the nearest other cluster.",
        "you choose the number of clusters and there are no labels.",
        "silhouette",
    ),
    _m(
        "Adjusted Rand index",
        "clustering",
        "the agreement between two groupings, corrected for agreement by chance.",
        "reference groupings exist to compare against.",
        "ARI",
    ),
    _m(
        "Normalized mutual information",
        "clustering",
        "the information shared by a clustering and reference labels, scaled to 0-1.",
        "clusterings with different numbers of clusters are compared against labels.",
        "NMI",
    ),
    # ------------------------------------------------------------ online (A/B test) metrics
    _m(
        "Click-through rate",
        "online",
        "clicks divided by impressions.",
        "you measure engagement with what was shown (ads, feeds, search results, "
        "recommendations); pair it with a quality metric, because it rewards clickbait.",
        "CTR",
    ),
    _m(
        "Conversion rate",
        "online",
        "the share of sessions or clicks that end in the desired action, such as a purchase, sign-up or booking.",
        "the product goal is an action beyond the click.",
        "CVR",
        "conversion",
    ),
    _m(
        "Watch time",
        "online",
        "the total time users spend consuming the recommended content.",
        "the product is video or a feed, where clicks alone reward misleading thumbnails.",
        "total watch time",
        "time spent",
    ),
    _m(
        "Dwell time",
        "online",
        "the time a user spends on an item after opening it.",
        "you need to separate satisfying clicks from quick bounces.",
        "time on page",
    ),
    _m(
        "Session success rate",
        "online",
        "the share of sessions that end in a success event, such as a long click, a purchase or an accepted answer.",
        "search or assistants need an end-to-end measure of success.",
        "successful session rate",
        "session success",
    ),
    _m(
        "Acceptance rate",
        "online",
        "the share of shown suggestions that the user accepts.",
        "the product offers completions, smart replies or code suggestions.",
        "suggestion acceptance rate",
        "accept rate",
    ),
    _m(
        "Approval rate",
        "online",
        "the share of attempted payments or applications that are approved.",
        "every decline costs revenue and goodwill, as in payments or credit.",
        "authorization rate",
        "authorisation rate",
    ),
    _m(
        "Chargeback rate",
        "online",
        "the share of approved payments later disputed as fraud.",
        "you need to read, in production, how much fraud gets through.",
        "chargebacks",
        "fraud chargeback rate",
    ),
    _m(
        "False-decline rate",
        "online",
        "the share of legitimate transactions that are wrongly declined.",
        "a fraud system's cost to good customers must stay bounded.",
        "false decline rate",
        "false declines",
        "incorrect block rate",
        "wrongful block rate",
        "insult rate",
    ),
    _m(
        "Manual review rate",
        "online",
        "the share of cases sent to human review.",
        "reviewer capacity and the cost of the human step must be planned.",
        "review rate",
        "manual-review rate",
    ),
    _m(
        "Hide or report rate",
        "online",
        "the share of impressions that users hide, report or mark as not interesting.",
        "feeds, ads or recommendations need a counter-metric to engagement.",
        "hide rate",
        "report rate",
        "negative feedback rate",
        "not interested rate",
    ),
    _m(
        "Prevalence",
        "online",
        "the share of views that land on violating content.",
        "what users actually see matters more than what was removed, as in trust and safety.",
        "harmful prevalence",
        "violating view rate",
    ),
    _m(
        "Abandonment rate",
        "online",
        "the share of queries or sessions that end with no engagement.",
        "search quality needs a guardrail.",
        "search abandonment",
        "zero-click rate",
    ),
    _m(
        "Query reformulation rate",
        "online",
        "the share of queries quickly followed by a rewritten query.",
        "you want a sign that the first results missed.",
        "reformulation rate",
    ),
    _m(
        "Zero-result rate",
        "online",
        "the share of queries that return nothing.",
        "the coverage of search or retrieval must be checked.",
        "no-result rate",
        "zero results rate",
    ),
    _m(
        "Thumbs-up rate",
        "online",
        "the share of responses users rate positively.",
        "assistants and chatbots can ask users directly how they did.",
        "CSAT",
        "user satisfaction",
        "satisfaction",
        "thumbs up rate",
    ),
    _m(
        "Deflection rate",
        "online",
        "the share of support conversations resolved without a human agent.",
        "an assistant answers customer-support questions.",
        "resolution rate",
        "self-service rate",
    ),
    _m(
        "Escalation rate",
        "online",
        "the share of conversations handed over to a human.",
        "an assistant may fail silently and hand users over.",
        "handoff rate",
    ),
    _m(
        "Retention",
        "online",
        "the share of users who come back after a given period.",
        "long-term value matters; it moves slowly, so it rarely decides an A/B test alone.",
        "retention rate",
        "user retention",
        "DAU",
        "daily active users",
        "MAU",
        "D7 retention",
    ),
    # ------------------------------------------------------------ business
    _m(
        "Revenue lift",
        "business",
        "the extra revenue attributable to a change, compared with a control group.",
        "the business case is stated in money.",
        "revenue",
        "incremental revenue",
    ),
    _m(
        "RPM",
        "business",
        "revenue per thousand impressions.",
        "you compare the monetisation of ad pages and formats.",
        "revenue per mille",
        "revenue per thousand impressions",
        "eCPM",
    ),
    _m(
        "ROAS",
        "business",
        "advertiser revenue per unit of ad spend.",
        "the advertiser side of an ads marketplace must stay healthy.",
        "return on ad spend",
        "advertiser ROI",
    ),
    _m(
        "Fraud loss",
        "business",
        "money lost to fraud, often in basis points of payment volume.",
        "the system fights payment fraud; it is the north-star of such a system.",
        "fraud losses",
        "fraud loss rate",
        "fraud loss in basis points",
        "fraud loss in bps",
        "fraud bps",
    ),
    _m(
        "Gross merchandise value",
        "business",
        "the total value of goods sold through the platform.",
        "the platform is a marketplace.",
        "GMV",
    ),
    _m(
        "Customer lifetime value",
        "business",
        "the revenue expected from a customer over the whole relationship.",
        "decisions trade short-term revenue against loyalty.",
        "LTV",
        "CLV",
        "lifetime value",
    ),
    _m(
        "Churn rate",
        "business",
        "the share of customers lost in a period.",
        "the product is sold by subscription.",
        "churn",
        "attrition rate",
    ),
    _m(
        "Cost savings",
        "business",
        "money or effort saved, for example by automating manual work.",
        "the system replaces or assists a manual process.",
        "cost reduction",
    ),
    # ------------------------------------------------------------ operational
    _m(
        "Latency",
        "operational",
        "the time from request to response, reported at percentiles such as p50 and p99.",
        "a user or service waits for the answer; the tail (p99) usually decides the design.",
        "p99 latency",
        "p95 latency",
        "p50 latency",
        "response time",
        "tail latency",
        "serving latency",
        "end-to-end latency",
    ),
    _m(
        "Time to first token",
        "operational",
        "the time until the first generated token reaches the user.",
        "answers stream token by token, so it sets how fast the answer feels.",
        "TTFT",
    ),
    _m(
        "Throughput",
        "operational",
        "requests, items or tokens served per second.",
        "you plan capacity and autoscaling.",
        "QPS",
        "requests per second",
        "RPS",
        "tokens per second",
    ),
    _m(
        "Error rate",
        "operational",
        "the share of requests that fail.",
        "you watch service health.",
        "failure rate",
        "5xx rate",
    ),
    _m(
        "Availability",
        "operational",
        "the share of time the service answers correctly within its objective.",
        "reliability is promised to users or other teams.",
        "uptime",
    ),
    _m(
        "Cost per query",
        "operational",
        "infrastructure or API spend per served request.",
        "the system runs on GPUs or paid LLM APIs, so margins depend on it.",
        "cost per request",
        "cost per prediction",
        "inference cost",
        "cost per 1k tokens",
    ),
    _m(
        "Population stability index",
        "operational",
        "how far a feature's or score's distribution has moved from a reference window.",
        "inputs and outputs must be watched for drift before labels arrive.",
        "PSI",
        "feature drift",
        "prediction drift",
        "drift",
    ),
)


def normalise(name: str) -> tuple[str, str]:
    """Two lookup keys for a metric name: exact-ish, then with `@k` parameters dropped."""
    text = unicodedata.normalize("NFKC", name).lower().replace("β", "beta")
    text = re.sub(r"\bat\b", "@", text)
    text = re.sub(r"@\s*(?:\d[\d.,]*\s*%?|k\b)", "@k", text)
    exact = re.sub(r"[^a-z0-9@]+", "", text)
    loose = exact.replace("@k", "").replace("@", "")
    return exact, loose


def _index() -> tuple[Mapping[str, tuple[MetricInfo, ...]], Mapping[str, tuple[MetricInfo, ...]]]:
    exact: dict[str, list[MetricInfo]] = {}
    loose: dict[str, list[MetricInfo]] = {}
    for info in GLOSSARY:
        for written in (info.name, *info.aliases):
            key_exact, key_loose = normalise(written)
            for table, key in ((exact, key_exact), (loose, key_loose)):
                entries = table.setdefault(key, [])
                if info not in entries:
                    entries.append(info)
    return (
        MappingProxyType({k: tuple(v) for k, v in exact.items()}),
        MappingProxyType({k: tuple(v) for k, v in loose.items()}),
    )


_EXACT, _LOOSE = _index()


def lookup(name: str, task: str | None = None) -> MetricInfo | None:
    """The glossary entry for a metric as written in a spec, or None if it is unknown.

    When a name means different metrics in different fields ("AP", "mAP"), the
    one that fits `task` wins.
    """
    family = TASK_FAMILY.get(task or "")
    tried = [name]
    # "fraud loss in basis points", "chargeback rate (90 days)": try without the qualifier.
    plain = re.sub(r"\([^)]*\)|\s+(?:in|over|within)\s+.*$", " ", name).strip()
    if plain and plain != name:
        tried.append(plain)
    for written in tried:
        key_exact, key_loose = normalise(written)
        for table, key in ((_EXACT, key_exact), (_LOOSE, key_loose)):
            found = table.get(key)
            if found:
                return next((m for m in found if m.family == family), found[0])
    return None
