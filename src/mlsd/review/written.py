"""Rules about the framework's written parts: requirements, framing, metrics and the rest."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel

from mlsd.errors import Location
from mlsd.model import Spec
from mlsd.review import metric_fit, rates, words
from mlsd.review.engine import WRITTEN_PARTS, Hit, Rule, quoted
from mlsd.topology import (
    batch_path,
    of_kinds,
    online_serving,
    request_path,
    routes_to_model,
    sync_call,
    watched_from_serving,
    with_trait,
)
from mlsd.vocabulary import TASKS


def at(spec: Spec, *path: str | int) -> Location:
    """Where the key at `path` was written; the deepest written ancestor when it is absent."""
    return spec.source.locate(*path, at_key=True)


def _names(metrics: list) -> list[str]:
    return [m.name for m in metrics]


def part_is_empty(spec: Spec, part: str) -> bool:
    """Whether a written part of the framework is absent or says nothing."""
    value = getattr(spec, part)
    if isinstance(value, BaseModel):
        return value == type(value)()
    return not value


# ---------------------------------------------------------------- requirements


def _no_business_objective(spec: Spec) -> list[Hit]:
    if spec.requirements.business_objective:
        return []
    return [
        Hit(
            "requirements.business_objective is missing: say what the system is for in business terms",
            at(spec, "requirements", "business_objective"),
        )
    ]


NO_BUSINESS_OBJECTIVE = Rule(
    slug="no-business-objective",
    severity="warning",
    sections=("requirements",),
    summary="The spec never says what the system is for in business terms.",
    rationale=(
        "Every later choice, from the ML objective to the online metric, is a translation of the "
        "business goal. Without it written down, nobody can tell whether the model optimises the "
        "right thing, and interviewers expect the candidate to pin it down before drawing boxes."
    ),
    fix="Add `requirements.business_objective`, one or two sentences such as "
    '"cut fraud losses without declining good customers".',
    detect=_no_business_objective,
)


def _no_capacity_numbers(spec: Spec) -> list[Hit]:
    scale = spec.requirements.scale
    if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in scale.values()):
        return []
    if scale:
        message = "requirements.scale has no numbers, only text: capacity cannot be estimated"
    else:
        message = "requirements.scale is missing: give users, requests or items per day as numbers"
    return [Hit(message, at(spec, "requirements", "scale"))]


NO_CAPACITY_NUMBERS = Rule(
    slug="no-capacity-numbers",
    severity="warning",
    sections=("requirements",),
    summary="`requirements.scale` gives no numbers, so nothing can be sized.",
    rationale=(
        "Scale decides the architecture: a few requests a second fit on one box, tens of thousands "
        "call for a funnel, caching and sharding. Numbers (daily users, requests per user, peak "
        "factor, item counts) let mlsd show the back-of-the-envelope arithmetic and let a reader "
        "check that the design can carry the load."
    ),
    fix="Add numeric entries under `requirements.scale`, e.g. `daily_active_users: 10_000_000` "
    "and `queries_per_user_per_day: 5`; text values are shown but not computed with.",
    detect=_no_capacity_numbers,
)


def _no_latency_target(spec: Spec) -> list[Hit]:
    if spec.requirements.latency or spec.serving.latency_budget:
        return []
    return [
        Hit(
            "neither requirements.latency nor serving.latency_budget says how fast an answer must be",
            at(spec, "requirements", "latency"),
        )
    ]


NO_LATENCY_TARGET = Rule(
    slug="no-latency-target",
    severity="warning",
    sections=("requirements",),
    summary="No latency or freshness target is stated.",
    rationale=(
        "Whether predictions are needed in 50 ms, in a second or by tomorrow morning splits "
        "designs into online, streaming and batch serving, and bounds how heavy the model may be. "
        "A latency budget is one of the first things an interviewer asks for."
    ),
    fix='Write `requirements.latency` (e.g. "p99 under 100 ms") or `serving.latency_budget`; '
    'for batch designs, state the freshness (e.g. "recomputed nightly").',
    detect=_no_latency_target,
)

# ---------------------------------------------------------------- framing


def _no_task(spec: Spec) -> list[Hit]:
    if spec.framing.task:
        return []
    return [
        Hit(
            "framing.task is missing: name the ML category (e.g. binary-classification, ranking)",
            at(spec, "framing", "task"),
        )
    ]


NO_TASK = Rule(
    slug="no-task",
    severity="warning",
    sections=("framing",),
    summary="The ML task category (`framing.task`) is not stated.",
    rationale=(
        "Framing the business problem as a specific ML task decides the labels, the loss and the "
        "metrics. Leaving the category open hides the most important modelling decision, and "
        "mlsd cannot check that the offline metrics fit the task."
    ),
    fix="Set `framing.task` to one of the documented categories, and mention rejected framings "
    "under `framing.alternatives`.",
    detect=_no_task,
)

# ---------------------------------------------------------------- data


def _no_labels(spec: Spec) -> list[Hit]:
    task = spec.framing.task
    if task is None or not TASKS[task].supervised:
        return []
    if spec.framing.labels or spec.data.labeling or with_trait(spec, "labels"):
        return []
    return [
        Hit(
            f"a {task} model needs labels, but neither framing.labels nor data.labeling says where they come from",
            at(spec, "data", "labeling"),
        )
    ]


NO_LABELS = Rule(
    slug="no-labels",
    severity="warning",
    sections=("data",),
    summary="A supervised task with no word on where its labels come from.",
    rationale=(
        "Labels are usually the hardest part of a supervised system: whether they are natural "
        "(clicks, chargebacks) or hand-made, how late they arrive and how noisy they are shapes "
        "the training pipeline and the feedback loop. A design that is silent on labels has not "
        "shown it can be trained."
    ),
    fix="Describe positives and negatives in `framing.labels` and how they are collected in "
    "`data.labeling`, or draw a `label-store` or `labeling` component.",
    detect=_no_labels,
)

# ---------------------------------------------------------------- metrics


def _missing_offline_metrics(spec: Spec) -> list[Hit]:
    if spec.metrics.offline:
        return []
    return [
        Hit(
            "metrics.offline is empty: name how a model is judged before it ships",
            at(spec, "metrics", "offline"),
        )
    ]


MISSING_OFFLINE_METRICS = Rule(
    slug="missing-offline-metrics",
    severity="warning",
    sections=("metrics",),
    summary="No offline metric judges a model before it ships.",
    rationale=(
        "Offline metrics on held-out data are how candidates are compared, how a retrained model "
        "is gated and how regressions are caught before users see them. Interviewers expect the "
        "candidate to pick one deliberately and say why it beats the alternatives."
    ),
    fix="List metrics under `metrics.offline`, each with a `why:` that ties it to the task and the cost of errors.",
    detect=_missing_offline_metrics,
)


def _missing_online_metrics(spec: Spec) -> list[Hit]:
    if spec.metrics.online:
        return []
    return [
        Hit(
            "metrics.online is empty: name what moves in production when the model works",
            at(spec, "metrics", "online"),
        )
    ]


MISSING_ONLINE_METRICS = Rule(
    slug="missing-online-metrics",
    severity="warning",
    sections=("metrics",),
    summary="No online metric shows the model's effect on users or the business.",
    rationale=(
        "A model can win offline and still lose in production, because offline metrics are "
        "proxies. Online metrics measured in an experiment (click-through, conversion, losses "
        "prevented) are what decides a launch, so a design needs them next to the offline ones."
    ),
    fix="List the metrics an A/B test would compare under `metrics.online`.",
    detect=_missing_online_metrics,
)


def base_rate_texts(spec: Spec) -> tuple[tuple[str, str | None], ...]:
    """(where, text) for every written text that may state how common the positive class is."""
    data, framing = spec.data, spec.framing
    texts: list[tuple[str, str | None]] = [
        ("data.imbalance", data.imbalance),
        ("framing.labels", framing.labels),
        ("framing.ml_objective", framing.ml_objective),
        ("framing.output", framing.output),
        ("requirements.data", spec.requirements.data),
        ("data.labeling", data.labeling),
        ("data.bias", data.bias),
    ]
    texts += [(f"data.sources[{i}]", text) for i, text in enumerate(data.sources)]
    texts.append(("summary", spec.summary))
    return tuple(texts)


def stated_base_rate(spec: Spec) -> tuple[str, rates.Rate] | None:
    """(where, rate) for the first rare rate the spec states, in the order of `base_rate_texts`."""
    for where, text in base_rate_texts(spec):
        for rate in rates.rates_in(text):
            if rates.rare(rate):
                return where, rate
    return None


def _share(rate: rates.Rate) -> str:
    percent = rate.share * 100 if rate.share <= 0.5 else (1 - rate.share) * 100
    return f"{percent:.2g} %"


def _metric_task_mismatch(spec: Spec) -> list[Hit]:
    task = spec.framing.task
    names = _names(spec.metrics.offline)
    if not names or task is None or task not in metric_fit.FITTING:
        return []
    where = at(spec, "metrics", "offline")
    _, examples = metric_fit.FITTING[task]
    shown = ", ".join(names)
    measured = [name for name in names if not metric_fit.informal(name)]
    if not measured:
        return [
            Hit(
                f"'{names[0]}' is a manual check, not a measurement: no offline metric judges the {task} model "
                f"repeatably; consider {examples}",
                where,
            )
        ]
    if not any(metric_fit.fits(task, name) for name in measured):
        return [
            Hit(
                f"no offline metric fits a {task} task ({shown}); consider {examples}",
                where,
            )
        ]
    if not TASKS[task].imbalance_sensitive or not all(metric_fit.weak_under_imbalance(n) for n in measured):
        return []
    if metric_fit.heavy_words(spec.data.imbalance):
        said = "data.imbalance describes a heavy imbalance"
    elif metric_fit.says_balanced(spec.data.imbalance):
        return []  # the author says the classes are balanced (often after resampling)
    else:
        found = stated_base_rate(spec)
        if found is None:
            return []
        rate = found[1]
        about = "" if rate.text.endswith("%") else f" (about {_share(rate)})"
        said = f"{found[0]} puts the positive class at '{rate.text}'{about}"
    return [
        Hit(
            f"{said}, but the offline metrics are only {shown}, which look good even for a useless model; "
            "add PR-AUC or recall at a fixed precision",
            where,
        )
    ]


METRIC_TASK_MISMATCH = Rule(
    slug="metric-task-mismatch",
    severity="warning",
    sections=("metrics",),
    summary="The offline metrics do not measure the kind of model `framing.task` names.",
    rationale=(
        "Each task has metrics that reflect what the product shows: a ranked list is judged by "
        "where the relevant items land (nDCG, mAP, MRR), not by per-item accuracy, and a rare "
        "positive class makes accuracy and ROC-AUC look excellent for a model that catches "
        "nothing. A metric that does not fit the task gives false confidence at every gate. The "
        "base rate is read wherever the framing or the data describe it, written as a share "
        '("0.1 %"), a count ("1 in 1,000", "one order in a thousand") or a ratio '
        '("1:1000"); one in ten or rarer is a heavy imbalance. A manual spot check is not a '
        "metric: it cannot be repeated at a gate."
    ),
    fix="Add at least one metric from the task's family (see reference/DOMAIN.md §4); for heavy "
    "imbalance prefer PR-AUC, recall at a fixed false-positive rate or precision at k.",
    detect=_metric_task_mismatch,
)


def _no_guardrail_metrics(spec: Spec) -> list[Hit]:
    if spec.metrics.guardrail:
        return []
    return [
        Hit(
            "metrics.guardrail is empty: name what must not get worse while the main metric improves",
            at(spec, "metrics", "guardrail"),
        )
    ]


NO_GUARDRAIL_METRICS = Rule(
    slug="no-guardrail-metrics",
    severity="warning",
    sections=("metrics",),
    summary="No counter or guardrail metric protects against winning the wrong way.",
    rationale=(
        "Optimising one number invites side effects: more clicks from clickbait, fewer fraud "
        "losses from declining good customers, faster answers that are wrong. Guardrail metrics "
        "(hide rate, false declines, latency, cost, safety violations) make those trade-offs "
        "visible and are part of any launch decision."
    ),
    fix="List the metrics that must not regress under `metrics.guardrail`, with targets where you can.",
    detect=_no_guardrail_metrics,
)

# ---------------------------------------------------------------- model


def _no_baseline(spec: Spec) -> list[Hit]:
    if spec.model.baseline:
        return []
    return [
        Hit(
            "model.baseline is missing: name the simple model or heuristic every candidate must beat",
            at(spec, "model", "baseline"),
        )
    ]


NO_BASELINE = Rule(
    slug="no-baseline",
    severity="warning",
    sections=("model",),
    summary="No baseline model or heuristic to beat.",
    rationale=(
        "A simple baseline (popularity, a rule, logistic regression) shows how much the complex "
        "model actually adds, gives a fallback and is often what ships first. Starting from a "
        "baseline and justifying each step up in complexity is what interviewers look for."
    ),
    fix="Write `model.baseline`, and list the heavier `model.candidates` with their trade-offs.",
    detect=_no_baseline,
)

# ---------------------------------------------------------------- serving


def _no_fallback(spec: Spec) -> list[Hit]:
    if spec.serving.fallback or not online_serving(spec):
        return []
    if spec.serving.mode != "batch" and len(sync_call(spec)) >= 2:
        return []  # sync-call-without-fallback names the waiting request path instead
    return [
        Hit(
            "online serving without serving.fallback: say what answers when the model is slow or down",
            at(spec, "serving", "fallback"),
        )
    ]


NO_FALLBACK = Rule(
    slug="no-fallback",
    severity="info",
    sections=("serving",),
    summary="Online serving with no stated fallback for when the model fails.",
    rationale=(
        "Model servers time out, feature stores miss and deployments go wrong. An online product "
        "needs a defined degraded answer (a cached result, a popularity list, a rules-only "
        "decision, failing open or closed) so an ML outage does not become a product outage. "
        "Serving counts as online when `serving.mode` is online, hybrid or streaming, or, with no "
        "mode written, when the request path reaches a model. When a request path waits on a "
        "model, `sync-call-without-fallback` reports it as a warning instead."
    ),
    fix="Describe the degraded path in `serving.fallback`; batch-only designs can silence this rule with a reason.",
    detect=_no_fallback,
)


def _llm_without_guardrails(spec: Spec) -> list[Hit]:
    reached, _ = request_path(spec)
    runs = batch_path(spec)
    # An LLM that only a batch run calls writes to a store, not to a user in a conversation.
    llms = tuple(c for c in of_kinds(spec, ("llm",)) if c in reached or c not in runs)
    if not llms or of_kinds(spec, ("guardrails",)) or spec.metrics.guardrail:
        return []
    return [
        Hit(
            f"{quoted(llms)} generates text for users with no guardrails component and no guardrail metrics",
            at(spec, "components", llms[0]),
            llms,
        )
    ]


LLM_WITHOUT_GUARDRAILS = Rule(
    slug="llm-without-guardrails",
    severity="warning",
    sections=("serving",),
    summary="An LLM answers users with no guardrails component and no guardrail metrics.",
    rationale=(
        "Generated text can leak personal data, follow injected instructions, hallucinate or turn "
        "unsafe. An LLM application needs input and output screening on the request path, and "
        "metrics that count violations, before it faces real users. An LLM that only a batch "
        "run (a scheduler or batch job) calls is not checked here."
    ),
    fix="Add a `guardrails` component on the request path (before and after the `llm`), and "
    "list safety and hallucination rates under `metrics.guardrail`.",
    detect=_llm_without_guardrails,
)

# ---------------------------------------------------------------- testing


def _no_online_experiment(spec: Spec) -> list[Hit]:
    if spec.testing.online_experiment:
        return []
    drawn = of_kinds(spec, ("ab-testing",))
    if any(routes_to_model(spec, c) for c in drawn):
        return []
    if drawn:
        return [
            Hit(
                f"{quoted(drawn)} routes no traffic to a model (no request path from it reaches one, no model "
                "flow reaches it) and testing.online_experiment is missing: nothing shows how a new model "
                "is proven on live traffic",
                at(spec, "components", drawn[0]),
                drawn,
            )
        ]
    return [
        Hit(
            "testing.online_experiment is missing and no ab-testing component is drawn: say how a "
            "new model is proven on live traffic",
            at(spec, "testing", "online_experiment"),
        )
    ]


NO_ONLINE_EXPERIMENT = Rule(
    slug="no-online-experiment",
    severity="warning",
    sections=("testing",),
    summary="No A/B test, shadow run or other online experiment before a model goes live.",
    rationale=(
        "Offline wins do not guarantee online wins. A/B tests, shadow deployments, canaries or "
        "interleaving are how a team learns a new model's real effect and limits the damage of a "
        "bad one; designing the experiment is a standard interview step. A drawn `ab-testing` "
        "component counts only where it can split traffic between models: a request path from "
        "it reaches a model, or model flows from the registry reach it; one that only runs UI "
        "tests does not."
    ),
    fix="Describe the experiment in `testing.online_experiment` (split, duration, decision "
    "metric) and the rollout in `testing.rollout`, or draw an `ab-testing` component.",
    detect=_no_online_experiment,
)

# ---------------------------------------------------------------- monitoring


def _no_drift_monitoring(spec: Spec) -> list[Hit]:
    if not with_trait(spec, "online-model", "batch-model"):
        return []
    if spec.monitoring.ml:
        return []
    detectors = of_kinds(spec, ("drift-detection",))
    watched = watched_from_serving(spec)
    if any(d in watched for d in detectors):
        return []
    if detectors:
        return [
            Hit(
                f"{quoted(detectors)} receives nothing from the serving models or the request path, and "
                "monitoring.ml is empty: the inputs and outputs the model sees in production go unwatched",
                at(spec, "components", detectors[0]),
                detectors,
            )
        ]
    return [
        Hit(
            "nothing watches the model's inputs and outputs: no drift-detection component and monitoring.ml is empty",
            at(spec, "monitoring", "ml"),
        )
    ]


NO_DRIFT_MONITORING = Rule(
    slug="no-drift-monitoring",
    severity="warning",
    sections=("monitoring",),
    summary="No ML monitoring: feature, prediction and label drift go unwatched.",
    rationale=(
        "Models fail quietly: the service stays up while the world the model learnt from moves "
        "away. Operational dashboards do not show that. Watching feature and prediction "
        "distributions, and quality by slice once labels arrive, is how decay is caught. A drawn "
        "`drift-detection` component counts only when it watches what serving sees: telemetry, "
        "a log or an event stream from the serving models or the request path, not a training set."
    ),
    fix="Add a `drift-detection` component fed by prediction logs, or list the ML signals under "
    "`monitoring.ml` (feature drift, score distribution, delayed-label accuracy by slice).",
    detect=_no_drift_monitoring,
)


def _no_retraining_plan(spec: Spec) -> list[Hit]:
    if not with_trait(spec, "trainer") or spec.monitoring.retraining:
        return []
    # A control edge into training (a schedule or a drift trigger) is a plan drawn.
    if any(e.kind == "control" and spec.stage(e.target) == "training" for e in spec.edges):
        return []
    return [
        Hit(
            "the design trains models but never says when they are retrained: monitoring.retraining "
            "is empty and no control flow starts training",
            at(spec, "monitoring", "retraining"),
        )
    ]


NO_RETRAINING_PLAN = Rule(
    slug="no-retraining-plan",
    severity="warning",
    sections=("monitoring",),
    summary="Models are trained once, with no cadence or trigger for retraining.",
    rationale=(
        "Data drifts, so a model starts ageing the day it ships. How often it is retrained (on a "
        "schedule, on drift, continuously) decides how fresh it stays and what the training "
        "pipeline must automate. Interviewers expect a cadence and a reason for it."
    ),
    fix='Write `monitoring.retraining` (e.g. "weekly, plus on drift alerts"), or draw a control '
    "flow from an orchestrator or a drift detector to the trainer.",
    detect=_no_retraining_plan,
)

# ---------------------------------------------------------------- every part


def _missing_framework_part(spec: Spec) -> list[Hit]:
    return [
        Hit(
            f"the framework part '{part}' is missing; {_PART_HINTS[part]}",
            at(spec, part),
            section=part,
        )
        for part in WRITTEN_PARTS
        if part_is_empty(spec, part)
    ]


_PART_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "requirements": "state the objective, scale and latency",
        "framing": "state the ML objective, the task, its input and output",
        "metrics": "list offline, online and guardrail metrics",
        "data": "describe sources, labels, splits and imbalance",
        "features": "list the main features with their freshness",
        "model": "give a baseline, candidates and the loss",
        "serving": "say online or batch, the steps and the latency budget",
        "testing": "describe the offline gate, the online experiment and the rollout",
        "monitoring": "list operational and ML signals and the retraining plan",
        "scaling": "say how the design grows (sharding, replicas, cost)",
    }
)

MISSING_FRAMEWORK_PART = Rule(
    slug="missing-framework-part",
    severity="info",
    sections=WRITTEN_PARTS,
    summary="A part of the interview framework is left out entirely (one finding per part).",
    rationale=(
        "The framework walks from requirements through metrics, data, model, serving, testing "
        "and monitoring to scaling. A design may start as a sketch, but every part that is still "
        "missing is a question an interviewer will ask, so the review names each one."
    ),
    fix="Add the missing top-level key with at least a sentence or two; the explanation shows "
    "what each part should cover.",
    detect=_missing_framework_part,
)


# ---------------------------------------------------------------- reading the text as a reader would


def written_texts(spec: Spec, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every string written in the framework's parts (summary included, the parts in `skip` left out)."""
    found: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                collect(getattr(value, name))
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)

    collect(spec.summary)
    for part in WRITTEN_PARTS:
        if part not in skip:
            collect(getattr(spec, part))
    return tuple(found)


def _random_split_leakage(spec: Spec) -> list[Hit]:
    splits = spec.data.splits
    random = words.cue("random_split", splits)
    if random is None or words.cue("time_split", splits):
        return []
    data, framing = spec.data, spec.framing
    labels = (("framing.labels", framing.labels), ("data.labeling", data.labeling))
    reason = words.first_cue("delayed_labels", labels)
    if reason is None:
        # A label that takes days, weeks or months to be known ("only known after 12 months").
        reason = next(((where, found) for where, text in labels if (found := words.wait(text))), None)
    problem = "labels arrive late"
    if reason is None:
        problem = "the problem drifts"
        texts = [
            ("framing.labels", framing.labels),
            ("data.bias", data.bias),
            ("data.imbalance", data.imbalance),
            ("requirements.business_objective", spec.requirements.business_objective),
            ("framing.ml_objective", framing.ml_objective),
        ]
        texts += [(f"requirements.constraints[{i}]", t) for i, t in enumerate(spec.requirements.constraints)]
        texts.append(("summary", spec.summary))
        reason = words.first_cue("drift", texts)
    if reason is None:
        return []
    return [
        Hit(
            f"data.splits splits at random ('{random}'), but {problem} ({reason[0]}: '{reason[1]}'): "
            "examples from after the test period train the model, so offline numbers overstate it; "
            "split by time",
            at(spec, "data", "splits"),
        )
    ]


RANDOM_SPLIT_LEAKAGE = Rule(
    slug="random-split-leakage",
    severity="warning",
    sections=("data",),
    summary="A random train/test split where labels arrive late or the problem drifts.",
    rationale=(
        "When labels mature weeks after the event (chargebacks, defaults, account closures) or "
        "the data moves under the model (fraudsters and spammers adapt, trends change), a random "
        "split puts tomorrow's patterns in the training set and yesterday's in the test set. "
        "The offline score then measures interpolation, not the forecast the model will make, "
        "and it overstates what production will see. The rule reads `data.splits` for a random "
        "split and the labels, the bias notes and the constraints for late labels or drift."
    ),
    fix="Split by time (train on older data, validate and test on the most recent, respecting "
    "label maturity), and write it in `data.splits`.",
    detect=_random_split_leakage,
)


def _position_bias_ignored(spec: Spec) -> list[Hit]:
    task = spec.framing.task
    if task not in ("ranking", "recommendation") and not with_trait(spec, "ranker"):
        return []
    labels = (("framing.labels", spec.framing.labels), ("data.labeling", spec.data.labeling))
    engaged = words.first_cue("engagement_labels", labels)
    if engaged is None:
        return []
    # Watching click-through by position in monitoring is not handling the bias in the labels.
    if any(words.cue("position_bias", text) for text in written_texts(spec, skip=("monitoring",))):
        return []
    where = at(spec, *engaged[0].split("."))
    return [
        Hit(
            f"the labels are '{engaged[1]}' on a ranked list ({engaged[0]}), but nothing handles position bias: "
            "items shown first get clicked because they are first, and the model learns its own ranking back",
            where,
        )
    ]


POSITION_BIAS_IGNORED = Rule(
    slug="position-bias-ignored",
    severity="warning",
    sections=("data",),
    summary="Clicks or engagement on a ranked list are the labels, and position bias is never handled.",
    rationale=(
        "Users click what is on top. Labels read from clicks, watches or likes on a ranked list "
        "mix relevance with position, so a model trained on them learns to reproduce the "
        "previous ranking (a feedback loop that entrenches it). Logging the position and using "
        "it as a training-only feature, inverse propensity weights from a small randomised "
        "experiment, or interleaving are the usual remedies; the design should name one."
    ),
    fix="Log the position of every impression and say how it is corrected (position as a "
    "feature set to a fixed value at serving, propensity weighting, randomised slots), in "
    "`data.labeling` or `framing.labels`.",
    detect=_position_bias_ignored,
)


def _llm_without_evaluation(spec: Spec) -> list[Hit]:
    llms = of_kinds(spec, ("llm",))
    if not llms or of_kinds(spec, ("llm-eval",)):
        return []
    texts: list[tuple[str, str | None]] = []
    for i, metric in enumerate(spec.metrics.offline):
        texts += [(f"metrics.offline[{i}]", metric.name), (f"metrics.offline[{i}].why", metric.why)]
    texts += [
        ("testing.offline_gate", spec.testing.offline_gate),
        ("data.splits", spec.data.splits),
        ("data.labeling", spec.data.labeling),
        ("model.training", spec.model.training),
    ]
    if words.first_cue("eval_set", texts):
        return []
    return [
        Hit(
            f"{quoted(llms)} is never evaluated offline: no llm-eval component, and neither metrics.offline, "
            "testing.offline_gate nor data.splits names an evaluation set, golden set, harness or judge",
            at(spec, "components", llms[0]),
            llms,
        )
    ]


LLM_WITHOUT_EVALUATION = Rule(
    slug="llm-without-evaluation",
    severity="warning",
    sections=("testing",),
    summary="An LLM application with no evaluation set or harness.",
    rationale=(
        "Prompts, retrieval settings and model versions change weekly in an LLM application, and "
        "each change can quietly make answers worse. Without a fixed evaluation set (questions "
        "with reference answers or rubrics) run by a harness or a judge before release, there "
        "is nothing to gate a change on and no way to tell a regression from noise."
    ),
    fix="Draw an `llm-eval` component fed by a golden set and logged conversations, or name the "
    "evaluation set and how it is scored in `metrics.offline` and `testing.offline_gate`.",
    detect=_llm_without_evaluation,
)
