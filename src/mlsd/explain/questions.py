"""The open questions a candidate should answer when a spec leaves a part out.

Each part has a general question and, where the task changes what a good
answer looks like, a sharper one per metric family (see `glossary.TASK_FAMILY`).
Questions start lower-case and end with '?'; templates put "Open question:" in
front. `{task}` is replaced by the task name ("a {task} task" by "this task" when
the task is unknown).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# part -> {family or "": question}; "" is the general question. Frozen below.
_TABLE: dict[str, dict[str, str]] = {
    "summary": {
        "": "what does the system do, for whom, and what is deliberately left out, in one paragraph?",
    },
    # ---------------------------------------------------------------- requirements
    "requirements.business_objective": {
        "": "which business outcome should this system move, and how will the business know that it worked?",
    },
    "requirements.user_actions": {
        "": "which actions can users take, and which of them can later serve as labels?",
        "ranking": "how do users interact with the results (click, watch, save, buy, hide), and "
        "which interactions count as positive or negative signals?",
        "generation": "what do users do with the generated output (accept, edit, regenerate, "
        "rate), and which of those reactions can become feedback?",
    },
    "requirements.data": {
        "": "what data exists today, how much of it is labelled, and how quickly do labels arrive?",
    },
    "requirements.scale": {
        "": "how many users, requests and items must the system handle per day, and how fast is "
        "that growing? Without numbers no capacity estimate is possible.",
    },
    "requirements.latency": {
        "": "how fast must an answer be: is the model on the user's critical path, or can "
        "predictions be computed ahead of time?",
        "generation": "what time to first token and total response time will users accept?",
    },
    "requirements.constraints": {
        "": "which constraints bind the design: compute or cost budget, cloud or on-device, "
        "regulation, explainability?",
    },
    "requirements.out_of_scope": {
        "": "what is explicitly out of scope, so that the design stays focused?",
    },
    # ---------------------------------------------------------------- framing
    "framing.ml_objective": {
        "": "which quantity does the model optimise, and why does improving it serve the business objective?",
    },
    "framing.task": {
        "": "which kind of ML task is this (classification, ranking, regression, generation, "
        "...), and why that framing rather than another?",
    },
    "framing.input": {
        "": "what exactly goes into the model for one prediction: which entities, context and raw content?",
    },
    "framing.output": {
        "": "what exactly comes out of the model, and how does the product act on it?",
        "classification": "does the model return a probability per class, a label, or a score "
        "that a threshold turns into an action, and who sets the threshold?",
        "ranking": "does the model return an ordered list, how long is it, and does each item carry a score?",
        "regression": "does the model return a single number, or a range such as a percentile band?",
        "generation": "what form does the output take (free text, structured fields, citations), "
        "and how long may it be?",
    },
    "framing.labels": {
        "": "what is the ground truth, where does it come from, and how long until it is known?",
        "classification": "where do the positive and negative labels come from, how noisy are "
        "they, and how long until they are known?",
        "ranking": "which logged interactions count as positives and which as negatives "
        "(for example, impressions without a click)?",
        "regression": "what is the true target value, and when is it observed?",
        "detection": "who draws the boxes or masks, to what guidelines, and how is their quality checked?",
        "generation": "what are the reference outputs or preference judgements, and who produces them?",
    },
    "framing.alternatives": {
        "": "which other framings were considered, such as a rule-based heuristic or a different "
        "task type, and why were they rejected?",
    },
    # ---------------------------------------------------------------- metrics
    "metrics.business": {
        "": "which business metric should this system ultimately improve (revenue, losses, "
        "retention, time saved), and how is it measured?",
    },
    "metrics.offline": {
        "": "which offline metric fits a {task} task, and why?",
        "classification": "which offline metric fits a {task} task (for example PR-AUC, ROC-AUC, "
        "recall at a fixed false-positive rate or log loss), and why, given how "
        "rare the positive class is?",
        "ranking": "which offline metric fits a {task} task (for example nDCG@k, MAP, recall@k "
        "for the retrieval stage, or MRR), and why, given whether relevance is binary "
        "or graded?",
        "regression": "which offline metric fits a {task} task (for example MAE, RMSE, MAPE or a "
        "quantile loss), and why, given what a large error costs?",
        "detection": "which offline metric fits a {task} task (for example mAP over IoU "
        "thresholds or mIoU), and which IoU threshold counts as a hit?",
        "generation": "how are generated outputs judged offline (for example faithfulness, "
        "pairwise win rate, LLM-as-judge scores or overlap with references), and "
        "why is that trustworthy?",
        "clustering": "how is cluster quality judged without labels (for example the silhouette "
        "score), and against which reference groupings, if any?",
    },
    "metrics.online": {
        "": "which metric will an A/B test read to decide that the new model is better for users?",
        "classification": "which online metric shows that the model works in production, such as "
        "the real-world rate of the outcome it prevents or the approval rate?",
        "ranking": "which online metric shows that users are better served: click-through rate, "
        "conversion, watch time or session success?",
        "regression": "which online metric shows that the predictions help in production, such "
        "as the live error on observed outcomes or an on-time rate?",
        "generation": "which online metric shows that users are helped: acceptance rate, "
        "thumbs-up rate or task resolution?",
    },
    "metrics.guardrail": {
        "": "which metrics must not get worse while the primary ones improve, such as p99 "
        "latency, error rate and cost, and at what threshold is an experiment stopped?",
        "classification": "which metrics must not get worse while the primary ones improve, such "
        "as the false-positive rate on legitimate users, manual-review load and "
        "p99 latency, and at what threshold is an experiment stopped?",
        "ranking": "which metrics must not get worse while engagement rises, such as hide or "
        "report rate, diversity and p99 latency, and at what threshold is an "
        "experiment stopped?",
        "generation": "which metrics must not get worse while helpfulness rises, such as "
        "hallucination rate, toxicity, time to first token and cost per query?",
    },
    # ---------------------------------------------------------------- data
    "data.sources": {
        "": "which sources provide the examples and features: which entities (users, items, "
        "interactions, context), and where do they live today?",
    },
    "data.labeling": {
        "": "how are labels produced, from user behaviour or by annotators, with what delay and how much noise?",
        "detection": "who annotates the images, with which tool and guidelines, and how is "
        "annotation quality measured?",
        "generation": "who writes reference answers or preference judgements, and how is their agreement checked?",
    },
    "data.sampling": {
        "": "how are training examples sampled so that the training set stays representative of live traffic?",
        "classification": "how are negatives sampled or down-weighted, and how are predicted "
        "probabilities corrected for that sampling afterwards?",
        "ranking": "how are negatives chosen: random, in-batch, or hard negatives from "
        "impressions that were not engaged with?",
    },
    "data.splits": {
        "": "how is data split into training, validation and test sets, and is the split by "
        "time so that the future cannot leak into training?",
    },
    "data.imbalance": {
        "": "how skewed is the data, and what is done about it?",
        "classification": "how rare is the positive class, and how is the imbalance handled "
        "(resampling, class weights, a focal loss, threshold tuning)?",
        "ranking": "how concentrated are interactions on popular items, and how is that skew corrected in training?",
        "regression": "how skewed is the target, and do rare extreme values matter most?",
    },
    "data.privacy": {
        "": "which personal or sensitive data is used, and how is it protected (minimisation, "
        "anonymisation, retention limits, consent)?",
    },
    "data.bias": {
        "": "which biases can the data carry, and how are they measured and reduced?",
        "classification": "which biases can the labels carry, for example outcomes observed only "
        "for cases the current system let through, and how is that corrected?",
        "ranking": "how are position, selection and popularity bias in the logged interactions handled?",
        "generation": "which groups, languages or topics are under-represented in the training and evaluation data?",
    },
    # ---------------------------------------------------------------- features
    "features": {
        "": "which features describe each entity (user, item, context) and their "
        "interactions, and how is each one represented (embeddings, buckets, counts)?",
        "generation": "what context goes into each request (retrieved passages, conversation "
        "history, user profile), and how is it selected and truncated?",
    },
    "features.freshness": {
        "": "which of these features must be fresh at request time, and which can be computed in batch?",
    },
    # ---------------------------------------------------------------- model
    "model.baseline": {
        "": "which simple baseline (a heuristic, a rule, a linear model) must the model beat?",
    },
    "model.candidates": {
        "": "which model families are worth comparing, and what are their trade-offs?",
        "classification": "which model families are worth comparing (gradient-boosted trees, a "
        "deep network over raw sequences), and what are their trade-offs in "
        "quality, latency and explainability?",
        "ranking": "which architecture fits each stage of the funnel (for example a two-tower "
        "model for retrieval and a heavier model for ranking)?",
        "generation": "should the system prompt an existing model, fine-tune one, or train its own, and why?",
    },
    "model.chosen": {
        "": "which candidate is chosen, and which trade-off (quality, latency, cost, explainability) decides it?",
    },
    "model.loss": {
        "": "which loss function trains the model, and why does it match the metric?",
        "classification": "which loss trains the model: plain cross-entropy, or a weighted or "
        "focal version for the rare class?",
        "ranking": "is the ranking loss pointwise, pairwise or listwise, and why?",
        "regression": "which loss trains the model (MSE, MAE, Huber or quantile), and why does "
        "the shape of the error matter here?",
        "generation": "which objective trains or adapts the model (next-token prediction, "
        "preference optimisation), and on which data?",
    },
    "model.training": {
        "": "how is the training set built and refreshed (time window, point-in-time joins), "
        "and does training need to be distributed?",
    },
    # ---------------------------------------------------------------- serving
    "serving.mode": {
        "": "are predictions made online per request, ahead of time in batch, or on a stream, and why?",
    },
    "serving.latency_budget": {
        "": "what latency budget does each step of the prediction path get?",
    },
    "serving.steps": {
        "": "what happens, step by step, between the incoming request and the returned prediction?",
        "ranking": "what happens at each stage of the funnel, from candidate retrieval through "
        "ranking to re-ranking and business rules, and how many items survive each?",
        "generation": "what happens between the user's message and the answer: retrieval, "
        "prompt assembly, generation, safety checks?",
    },
    "serving.fallback": {
        "": "what answers the caller when the model or a feature lookup is slow or down: a "
        "cached result, a rule, a default?",
    },
    # ---------------------------------------------------------------- testing
    "testing.offline_gate": {
        "": "which offline check must a new model pass before it may take traffic: which metric, "
        "against which baseline, on which slices?",
    },
    "testing.online_experiment": {
        "": "how is a new model tested on live traffic (A/B test, shadow mode, interleaving), "
        "with which metric, sample size and duration?",
        "ranking": "how is a new model tested on live traffic (A/B test or interleaving), with "
        "which metric, sample size and duration?",
    },
    "testing.rollout": {
        "": "how does a new model roll out (canary, gradual ramp), and how is it rolled back if a guardrail fires?",
    },
    # ---------------------------------------------------------------- monitoring
    "monitoring.operational": {
        "": "which operational signals are watched: p99 latency, throughput, error rate, resource use?",
    },
    "monitoring.ml": {
        "": "how are feature drift, prediction drift and performance on delayed labels tracked, overall and per slice?",
    },
    "monitoring.alerts": {
        "": "which conditions page someone, and at what thresholds?",
    },
    "monitoring.retraining": {
        "": "how often is the model retrained, on a schedule or when drift is detected, and how "
        "is the new model promoted?",
    },
    # ---------------------------------------------------------------- the rest
    "scaling": {
        "": "how does the system scale: which parts are replicated or sharded, where is the "
        "bottleneck at peak load, and what does it cost?",
    },
    "talking_points": {
        "": "which extensions and risks are worth raising beyond the core design?",
        "classification": "which extensions are worth raising: adversaries who adapt to the "
        "model, explanations for decisions, and the feedback loop created by "
        "acting on predictions?",
        "ranking": "which extensions are worth raising: cold start for new users and items, "
        "position bias, exploration versus exploitation, several objectives at once?",
        "regression": "which extensions are worth raising: uncertainty estimates, rare events, "
        "and how predictions change the behaviour they predict?",
        "generation": "which extensions are worth raising: hallucination, prompt injection, "
        "cost per request, and keeping evaluation sets fresh?",
    },
}
_QUESTIONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {part: MappingProxyType(by_family) for part, by_family in _TABLE.items()}
)
del _TABLE


def ask(part: str, family: str | None, task: str | None = None) -> str:
    """The open question for a missing `part`, sharpened for the task's metric family."""
    table = _QUESTIONS[part]
    text = table.get(family or "", table[""])
    if task is None:
        text = text.replace("a {task} task", "this task")
    return text.replace("{task}", task or "this")


def parts() -> tuple[str, ...]:
    """Every part that has an open question."""
    return tuple(_QUESTIONS)
