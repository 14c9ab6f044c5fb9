"""Every rule: a spec that triggers it and a near miss that does not.

Cases derive from the clean design (specs/clean.yaml), which no rule fires on,
so each case shows the smallest change that makes a rule fire or keeps it quiet.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mlsd.model import Spec
from mlsd.review import RULES, review_spec

from .conftest import CLEAN, Variant


def fired(spec: Spec) -> set[str]:
    return {f.rule for f in review_spec(spec).counted}


def findings_of(spec: Spec, slug: str) -> list:
    return [f for f in review_spec(spec).counted if f.rule == slug]


CLEAN_FLOWS = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))["flows"]

# slug -> (trigger, near miss); each is keyword arguments for the `variant` fixture.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "no-business-objective": (
        {"child": "requirements: {business_objective: null}"},
        {"child": "requirements: {business_objective: Sell more.}"},
    ),
    "no-capacity-numbers": (
        {"child": "requirements: {scale: {daily_active_users: ten million, mails_per_user_per_day: null}}"},
        {"child": "requirements: {scale: {daily_active_users: ten million}}"},
    ),
    "no-latency-target": (
        {"child": "requirements: {latency: null}"},
        {"child": "requirements: {latency: null}\nserving: {latency_budget: 30 ms for the model}"},
    ),
    "no-task": (
        {"child": "framing: {task: null}"},
        {"child": "framing: {task: other}"},
    ),
    "missing-offline-metrics": (
        {"child": "metrics: {offline: null}"},
        {"child": "metrics: {offline: [recall]}"},
    ),
    "missing-online-metrics": (
        {"child": "metrics: {online: null}"},
        {"child": "metrics: {online: [complaint rate]}"},
    ),
    "metric-task-mismatch": (
        {"child": "metrics: {offline: [MAE]}"},
        {"child": "metrics: {offline: [MAE, recall at 1 % FPR]}"},
    ),
    "no-guardrail-metrics": (
        {"child": "metrics: {guardrail: null}"},
        {"child": "metrics: {guardrail: [p99 latency]}"},
    ),
    "orphan-component": (
        {"child": "components: {hot: {kind: cache}}"},
        {"child": "components: {hot: {kind: cache}}", "add_flows": ["api -> hot: cached verdicts"]},
    ),
    "unreachable-model": (
        {"child": "components: {api: null}"},
        {"child": "components: {api: null}", "add_flows": ["client -> scorer: classify(mail)"]},
    ),
    "no-labels": (
        {"child": "framing: {labels: null}\ncomponents: {labels: null}"},
        {"child": "framing: {labels: null}\ncomponents: {labels: null}\ndata: {labeling: user reports}"},
    ),
    "training-serving-skew": (
        {
            "child": "components: {batch: {kind: batch-etl}, lake: {kind: data-lake}}",
            "flows": [
                "client -> api -> scorer: classify(mail)",
                "scorer -> online_store: feature lookup",
                "api -> events -> pipeline -> online_store",
                "events -> lake -> batch -> offline_store",
                {"from": "client", "to": "labels", "kind": "feedback"},
                {"from": ["offline_store", "labels"], "to": "trainer", "kind": "data"},
                "trainer -> registry -> gate -> scorer",
                {"from": ["scorer", "api"], "to": "metrics", "kind": "telemetry"},
            ],
        },
        {
            "child": "components: {batch: {kind: batch-etl}, lake: {kind: data-lake}}",
            "flows": [
                "client -> api -> scorer: classify(mail)",
                "scorer -> online_store: feature lookup",
                "api -> events -> pipeline -> online_store",
                "events -> lake -> batch -> offline_store",
                "batch -> online_store: materialise",
                {"from": "client", "to": "labels", "kind": "feedback"},
                {"from": ["offline_store", "labels"], "to": "trainer", "kind": "data"},
                "trainer -> registry -> gate -> scorer",
                {"from": ["scorer", "api"], "to": "metrics", "kind": "telemetry"},
            ],
        },
    ),
    "no-baseline": (
        {"child": "model: {baseline: null, chosen: gradient-boosted trees}"},
        {"child": "model: {baseline: most frequent class, chosen: gradient-boosted trees}"},
    ),
    "offline-store-on-request-path": (
        {"add_flows": ["scorer -> offline_store: historical lookup"]},
        {"add_flows": [{"from": "api", "to": "offline_store", "kind": "data", "label": "archive"}]},
    ),
    "sync-call-without-fallback": (
        {"child": "serving: {fallback: null}"},
        {"child": "serving: {fallback: null, mode: batch}"},
    ),
    "no-fallback": (
        # Online, but no request path waits on the model (sync-call-without-fallback covers that).
        {"child": "serving: {fallback: null}\ncomponents: {api: null}"},
        {"child": "serving: {fallback: null, mode: batch}\ncomponents: {api: null}"},
    ),
    "batch-serving-for-live-decision": (
        {"child": "serving: {mode: batch}\nfeatures: [{name: words in this mail, freshness: request}]"},
        {"child": "serving: {mode: batch}\nfeatures: [{name: sender reputation, freshness: batch}]"},
    ),
    "no-candidate-generation": (
        {
            "child": "framing: {task: ranking}\nmetrics: {offline: [nDCG@10]}\n"
            "requirements: {scale: {catalogue_items: 5_000_000}}\ncomponents: {scorer: {kind: ranking-service}}"
        },
        {
            "child": "framing: {task: ranking}\nmetrics: {offline: [nDCG@10]}\n"
            "requirements: {scale: {catalogue_items: 5_000_000}}\n"
            "components: {scorer: {kind: ranking-service}, ann: {kind: vector-index}}",
            "add_flows": ["api -> ann: nearest 500"],
        },
    ),
    "llm-without-guardrails": (
        {
            "child": "metrics: {guardrail: null}\ncomponents: {writer: {kind: llm}}",
            "add_flows": ["api -> writer"],
        },
        {"child": "components: {writer: {kind: llm}}", "add_flows": ["api -> writer"]},
    ),
    "no-model-registry": (
        {"add_flows": ["trainer -> scorer: model file"]},
        {
            "child": "components: {tracking: {kind: experiment-tracking}}",
            "add_flows": ["trainer -> tracking -> registry"],
        },
    ),
    "no-deployment-path": (
        {"child": "components: {gate: null}"},
        {
            "child": "components: {gate: null}\ntesting: {offline_gate: null}",
            "add_flows": ["registry -> scorer: champion"],
        },
    ),
    "no-evaluation-gate": (
        {
            "child": "components: {gate: null}\ntesting: {offline_gate: null}",
            "add_flows": ["registry -> scorer"],
        },
        {"child": "components: {gate: null}", "add_flows": ["registry -> scorer"]},
    ),
    "no-online-experiment": (
        {"child": "testing: {online_experiment: null}"},
        {
            "child": "testing: {online_experiment: null}\ncomponents: {ab: {kind: ab-testing}}",
            "add_flows": ["api -> ab: assign variant"],
        },
    ),
    "no-monitoring": (
        {"child": "components: {metrics: null}"},
        {
            "child": "components: {metrics: null, logs: {kind: logging}}",
            "add_flows": ["scorer -> logs"],
        },
    ),
    "serving-not-monitored": (
        {
            "child": "components: {metrics: null, ops: {kind: monitoring}}",
            "add_flows": ["trainer -> ops: job metrics"],
        },
        {
            "child": "components: {metrics: null, ops: {kind: monitoring}}",
            "add_flows": ["api -> ops: request metrics"],
        },
    ),
    "no-drift-monitoring": (
        {"child": "monitoring: {ml: null}"},
        {
            "child": "monitoring: {ml: null}\ncomponents: {drift: {kind: drift-detection}}",
            "add_flows": ["scorer -> drift"],
        },
    ),
    "no-retraining-plan": (
        {"child": "monitoring: {retraining: null}"},
        {
            "child": "monitoring: {retraining: null}\ncomponents: {dag: {kind: orchestrator}}",
            "add_flows": ["dag -> trainer: weekly"],
        },
    ),
    "no-feedback-loop": (
        {
            "child": "components: {labels: null, mail_db: {kind: data-source}}",
            "flows": [
                "client -> api -> scorer: classify(mail)",
                "scorer -> online_store: feature lookup",
                "mail_db -> events -> pipeline -> online_store",
                "pipeline -> offline_store -> trainer",
                "trainer -> registry -> gate -> scorer",
                {"from": ["scorer", "api"], "to": "metrics", "kind": "telemetry"},
            ],
        },
        {
            "child": "components: {labels: null, mail_db: {kind: data-source}}",
            "flows": [
                "client -> api -> scorer: classify(mail)",
                "scorer -> online_store: feature lookup",
                "mail_db -> events -> pipeline -> online_store",
                "api -> events: verdicts and user actions",
                "pipeline -> offline_store -> trainer",
                "trainer -> registry -> gate -> scorer",
                {"from": ["scorer", "api"], "to": "metrics", "kind": "telemetry"},
            ],
        },
    ),
    "random-split-leakage": (
        {"child": "data: {splits: random 80/10/10}\nframing: {labels: 'spam reports, often days later'}"},
        {"child": "data: {splits: by week, latest week held out}\nframing: {labels: 'spam reports, often days later'}"},
    ),
    "position-bias-ignored": (
        {"child": "framing: {task: ranking, labels: a click on a result is a positive}\nmetrics: {offline: [nDCG@10]}"},
        {
            "child": "framing: {task: ranking, labels: a click on a result is a positive}\n"
            "metrics: {offline: [nDCG@10]}\ndata: {labeling: clicks weighted by inverse position propensity}"
        },
    ),
    "label-store-unused": (
        {
            "flows": [f for f in CLEAN_FLOWS if "labels" not in str(f)]
            + [{"from": "client", "to": "labels", "kind": "feedback"}]
        },
        {},
    ),
    "llm-without-evaluation": (
        {"child": "components: {writer: {kind: llm}}", "add_flows": ["api -> writer"]},
        {
            "child": "components: {writer: {kind: llm}}\ntesting: {offline_gate: faithfulness on a 500-mail golden set}",
            "add_flows": ["api -> writer"],
        },
    ),
    "missing-framework-part": (
        {"child": "scaling: null"},
        {"child": "scaling: [one more replica per 1,000 mails per second]"},
    ),
    "unknown-ignore": (
        {"child": "review: {ignore: {no-fallbak: batch only}}"},
        {"child": "review: {ignore: {no-fallback: batch only}}\nserving: {fallback: null}\ncomponents: {api: null}"},
    ),
    "unused-ignore": (
        {"child": "review: {ignore: {no-fallback: batch only}}"},
        {"child": "review: {ignore: {sync-call-without-fallback: batch only}}\nserving: {fallback: null}"},
    ),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == {rule.slug for rule in RULES}


def test_clean_design_has_no_findings(variant: Variant) -> None:
    assert review_spec(variant()).findings == ()


@pytest.mark.parametrize("slug", list(CASES))
def test_rule_fires(slug: str, variant: Variant) -> None:
    trigger, _ = CASES[slug]
    assert slug in fired(variant(**trigger))


@pytest.mark.parametrize("slug", list(CASES))
def test_rule_near_miss(slug: str, variant: Variant) -> None:
    _, near = CASES[slug]
    assert slug not in fired(variant(**near))


# ---------------------------------------------------------------- details per rule


def test_orphan_names_the_component(variant: Variant) -> None:
    (finding,) = findings_of(variant("components: {hot: {kind: cache}}"), "orphan-component")
    assert finding.components == ("hot",)
    assert "'hot' (cache) has no flows" in finding.message


def test_no_monitoring_ignores_human_review(variant: Variant) -> None:
    spec = variant("components: {metrics: null, queue: {kind: human-review}}", add_flows=["api -> queue"])
    assert "no-monitoring" in fired(spec)


@pytest.mark.parametrize("watcher", ["monitoring", "drift-detection", "logging"])
def test_no_monitoring_accepts_any_watcher(watcher: str, variant: Variant) -> None:
    spec = variant(f"components: {{metrics: null, w: {{kind: {watcher}}}}}", add_flows=["scorer -> w"])
    assert "no-monitoring" not in fired(spec)


def test_no_model_registry_without_any_registry(variant: Variant) -> None:
    (finding,) = findings_of(variant("components: {registry: null}"), "no-model-registry")
    assert finding.severity == "error"
    assert finding.components == ("trainer", "scorer")


def test_no_model_registry_bypass_names_the_path(variant: Variant) -> None:
    spec = variant(
        "components: {artefacts: {kind: object-store}}",
        add_flows=["trainer -> gate: candidate"],
    )
    (finding,) = findings_of(spec, "no-model-registry")
    assert finding.components == ("trainer", "gate", "scorer")
    assert "trainer -> gate -> scorer" in finding.message


def test_no_model_registry_passes_without_training(variant: Variant) -> None:
    # Only hosted or pretrained models: nothing of the design's own to version.
    spec = variant("components: {trainer: null, registry: null}")
    assert "no-model-registry" not in fired(spec)
    assert "no-deployment-path" not in fired(spec)


def test_data_flows_from_a_lake_do_not_count_as_model_delivery(variant: Variant) -> None:
    # The trainer writes reports to the lake and batch scoring reads inputs from
    # it: that is not a model bypassing the registry.
    spec = variant(
        "components: {lake: {kind: data-lake}, nightly: {kind: batch-scoring}}",
        add_flows=[
            "trainer -> lake: eval reports",
            "lake -> nightly: inputs",
            "registry -> nightly",
        ],
    )
    assert "no-model-registry" not in fired(spec)


@pytest.mark.parametrize(
    "flow",
    [
        {"from": "offline_store", "to": "scorer", "kind": "features", "label": "history"},
        {"from": "api", "to": "dw", "kind": "request", "label": "SQL per request"},
    ],
)
def test_offline_store_reads_in_either_direction(flow: dict, variant: Variant) -> None:
    spec = variant("components: {dw: {kind: data-warehouse}}", add_flows=[flow, "dw -> trainer"])
    assert "offline-store-on-request-path" in fired(spec)


def test_offline_store_off_the_request_path_is_fine(variant: Variant) -> None:
    # The trainer reads the offline store, but no client request reaches the trainer.
    spec = variant(add_flows=["trainer -> offline_store: write eval sets"])
    assert "offline-store-on-request-path" not in fired(spec)


def test_offline_store_finding_points_at_the_flow(variant: Variant) -> None:
    spec = variant(add_flows=["scorer -> offline_store: historical lookup"])
    (finding,) = findings_of(spec, "offline-store-on-request-path")
    assert finding.components == ("scorer", "offline_store")
    line = spec.source.path.read_text().splitlines()[finding.location.line - 1]
    assert "scorer -> offline_store" in line


@pytest.mark.parametrize(
    ("offline", "imbalance", "fires"),
    [
        (["accuracy", "ROC-AUC"], "about 1 spam mail in 1,000", True),
        (["accuracy"], "heavily skewed towards ham", True),
        (["ROC-AUC (overall)"], "0.2 % positives", True),
        (["accuracy", "PR-AUC"], "about 1 spam mail in 1,000", False),
        (["accuracy", "ROC-AUC"], "none: classes are balanced", False),
        (["accuracy", "ROC-AUC"], "about 1 in 3", False),
    ],
)
def test_metric_mismatch_under_imbalance(offline: list[str], imbalance: str, fires: bool, variant: Variant) -> None:
    spec = variant(f"metrics: {{offline: {offline}}}\ndata: {{imbalance: '{imbalance}'}}")
    assert ("metric-task-mismatch" in fired(spec)) is fires


@pytest.mark.parametrize(
    ("task", "offline", "fires"),
    [
        ("ranking", ["accuracy"], True),
        ("ranking", ["precision", "recall"], True),
        ("ranking", ["nDCG@10"], False),
        ("ranking", ["ROC-AUC per head", "normalised cross-entropy"], False),
        ("recommendation", ["recall@100", "coverage"], False),
        ("regression", ["accuracy"], True),
        ("regression", ["MAE in minutes"], False),
        ("object-detection", ["mAP@[.5:.95]"], False),
        ("generation", ["accuracy"], True),
        ("generation", ["faithfulness", "answer relevance"], False),
        ("clustering", ["silhouette score"], False),
        ("other", ["anything at all"], False),
    ],
)
def test_metric_fits_task(task: str, offline: list[str], fires: bool, variant: Variant) -> None:
    spec = variant(f"framing: {{task: {task}}}\nmetrics: {{offline: {offline}}}")
    assert ("metric-task-mismatch" in fired(spec)) is fires


def test_capacity_message_when_scale_is_missing(variant: Variant) -> None:
    (finding,) = findings_of(variant("requirements: {scale: null}"), "no-capacity-numbers")
    assert "requirements.scale is missing" in finding.message


def test_unreachable_when_no_model_at_all(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: No model
        components:
          app: {kind: app-service}
          db: {kind: data-source}
        flows: [app -> db]
    """)
    (finding,) = findings_of(spec, "unreachable-model")
    assert "no component serves a model" in finding.message


BATCH = """\
    mlsd: 1
    title: Nightly recommendations
    serving: {{mode: batch}}
    components:
      user: {{kind: client}}
      app: {{kind: app-service}}
      scorer: {{kind: batch-scoring}}
      recs: {{kind: prediction-store}}
      lake: {{kind: data-lake}}
    flows:
      - user -> app: open home page
      - lake -> scorer -> recs
      {extra}
"""


def test_batch_design_whose_predictions_nobody_reads(inline) -> None:
    spec = inline(BATCH.format(extra=""))
    (finding,) = findings_of(spec, "unreachable-model")
    assert finding.components == ("scorer",)


@pytest.mark.parametrize("extra", ["- app -> recs: read recommendations", "- recs -> app: precomputed list"])
def test_batch_design_read_by_the_app(extra: str, inline) -> None:
    assert "unreachable-model" not in fired(inline(BATCH.format(extra=extra)))


def test_batch_design_without_clients_is_offline_only(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: Offline blurring
        serving: {mode: batch}
        components:
          raw: {kind: object-store}
          detector: {kind: batch-scoring}
          public: {kind: object-store}
        flows: [raw -> detector -> public]
    """)
    assert "unreachable-model" not in fired(spec)


def test_streaming_design_reaches_the_model_through_the_stream(inline) -> None:
    text = """\
        mlsd: 1
        title: Streaming scorer
        serving: {{mode: {mode}}}
        components:
          app: {{kind: client}}
          events: {{kind: event-stream}}
          scorer: {{kind: inference-server}}
        flows: [app -> events -> scorer]
    """
    assert "unreachable-model" not in fired(inline(text.format(mode="streaming")))
    assert "unreachable-model" in fired(inline(text.format(mode="online"), name="online.yaml"))


def test_streaming_model_may_push_to_the_client_side(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: Trading signals
        serving: {mode: streaming}
        components:
          ticks: {kind: event-stream}
          model: {kind: inference-server}
          trader: {kind: app-service}
        flows: [ticks -> model -> trader]
    """)
    assert "unreachable-model" not in fired(spec)


SIGNALS = """\
    mlsd: 1
    title: Market signals
    serving: {{mode: streaming}}
    components:
      analyst: {{kind: client}}
      api: {{kind: app-service}}
      store: {{kind: prediction-store}}
      feed: {{kind: data-source}}
      topic: {{kind: event-stream}}
      nlp: {{kind: stream-processor}}
      sentiment: {{kind: inference-server}}
      features: {{kind: feature-store-online}}
    flows:
      - analyst -> api -> store: signals(ticker)
      - feed -> topic -> nlp
      - {{from: nlp, to: sentiment, kind: request, label: classify}}
      - nlp -> features: window aggregates
      {extra}
"""


def test_streaming_model_called_by_a_processor_whose_results_are_read(inline) -> None:
    # The stream starts at an outside feed, not at a client: the model is reached
    # by the stream processor, and its results reach the analyst through a store.
    spec = inline(SIGNALS.format(extra="- {from: features, to: store, kind: data, label: signals}"))
    assert "unreachable-model" not in fired(spec)


def test_streaming_model_whose_results_nobody_reads(inline) -> None:
    (finding,) = findings_of(inline(SIGNALS.format(extra="")), "unreachable-model")
    assert "no request path from 'analyst' reads what 'sentiment' produces" in finding.message


def test_entry_points_without_a_client(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: Backend only
        components:
          api: {kind: app-service}
          scorer: {kind: inference-server}
        flows: [api -> scorer]
    """)
    assert "unreachable-model" not in fired(spec)


def test_feedback_loop_through_a_review_queue(variant: Variant) -> None:
    spec = variant(
        "components: {labels: null, queue: {kind: human-review}, verdicts: {kind: label-store}}",
        flows=[
            "client -> api -> scorer: classify(mail)",
            "scorer -> online_store: feature lookup",
            "api -> queue: borderline mail",
            {"from": "queue", "to": "verdicts", "kind": "feedback"},
            "pipeline -> online_store",
            "pipeline -> offline_store -> trainer",
            "verdicts -> trainer",
            "trainer -> registry -> gate -> scorer",
            {"from": ["scorer", "api"], "to": "metrics", "kind": "telemetry"},
        ],
    )
    assert "no-feedback-loop" not in fired(spec)


def test_feature_lookups_are_not_a_feedback_loop(variant: Variant) -> None:
    # A request-path lookup from a store the trainer also reads carries no outcome.
    spec = variant(
        "components: {labels: null}",
        flows=[
            "client -> api -> scorer: classify(mail)",
            "scorer -> offline_store: bad lookup",
            "pipeline -> offline_store -> trainer",
            "trainer -> registry -> gate -> scorer",
            {"from": ["scorer", "api"], "to": "metrics", "kind": "telemetry"},
        ],
    )
    assert "no-feedback-loop" in fired(spec)


def test_llm_with_a_guardrails_component(variant: Variant) -> None:
    spec = variant(
        "metrics: {guardrail: null}\ncomponents: {writer: {kind: llm}, guard: {kind: guardrails}}",
        add_flows=["api -> guard -> writer"],
    )
    assert "llm-without-guardrails" not in fired(spec)


def test_missing_framework_part_one_finding_per_part(variant: Variant) -> None:
    spec = variant("scaling: null\nfeatures: null\ntesting: null")
    found = findings_of(spec, "missing-framework-part")
    assert [f.section for f in found] == ["features", "testing", "scaling"]


def test_unknown_ignore_suggests_the_closest_rule(variant: Variant) -> None:
    (finding,) = findings_of(variant("review: {ignore: {no-fallbak: batch only}}"), "unknown-ignore")
    assert finding.severity == "error"
    assert "unknown rule 'no-fallbak'; did you mean 'no-fallback'?" in finding.message


def test_review_setting_rules_cannot_be_silenced(variant: Variant) -> None:
    spec = variant("review: {ignore: {unknown-ignore: please, no-such-rule: x}}")
    found = findings_of(spec, "unknown-ignore")
    assert len(found) == 2
    assert "cannot be silenced" in found[0].message


# ---------------------------------------------------------------- wiring and text, as a reader sees them


def test_a_feature_pipeline_hop_on_the_request_path_reaches_the_model(variant: Variant) -> None:
    spec = variant(
        "components: {calc: {kind: feature-pipeline}}",
        flows=["client -> api -> calc -> scorer: features", "trainer -> registry -> gate -> scorer"],
    )
    assert "unreachable-model" not in fired(spec)


def test_a_batch_job_is_a_legitimate_start(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: Nightly extraction
        components:
          scheduler: {kind: orchestrator}
          job: {kind: batch-scoring}
          extractor: {kind: llm}
          out: {kind: data-warehouse}
        flows:
          - scheduler -> job
          - {from: job, to: extractor, kind: request}
          - job -> out
    """)
    assert not {"unreachable-model", "llm-without-guardrails"} & fired(spec)


def test_a_model_no_client_and_no_batch_run_reaches_is_still_unreachable(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: Nothing calls it
        components:
          scheduler: {kind: orchestrator}
          etl: {kind: batch-etl}
          model: {kind: inference-server}
        flows: [scheduler -> etl]
    """)
    (finding,) = findings_of(spec, "unreachable-model")
    assert "neither a client nor a batch run from 'scheduler' and 'etl' reaches 'model'" in finding.message


def test_a_bypassed_gate_names_the_hop(variant: Variant) -> None:
    spec = variant(add_flows=["registry -> scorer: hot fix"])
    (finding,) = findings_of(spec, "no-evaluation-gate")
    assert "trainer -> registry -> scorer bypasses the gate" in finding.message
    line = spec.source.path.read_text().splitlines()[finding.location.line - 1]
    assert "registry -> scorer" in line


def test_a_gate_off_the_model_path_does_not_count(variant: Variant) -> None:
    spec = variant(
        "testing: {offline_gate: null}",
        flows=["client -> api -> scorer", "trainer -> registry -> scorer", "trainer -> gate"],
    )
    assert "no-evaluation-gate" in fired(spec)


def test_an_ab_test_that_routes_no_traffic_to_a_model_is_named(variant: Variant) -> None:
    spec = variant(
        "testing: {online_experiment: null}\ncomponents: {ui: {kind: ab-testing}}",
        add_flows=["client -> ui: layout variant"],
    )
    (finding,) = findings_of(spec, "no-online-experiment")
    assert "'ui' routes no traffic to a model" in finding.message


def test_a_drift_detector_fed_by_training_data_does_not_count(variant: Variant) -> None:
    spec = variant(
        "monitoring: {ml: null}\ncomponents: {drift: {kind: drift-detection}}",
        add_flows=["offline_store -> drift"],
    )
    (finding,) = findings_of(spec, "no-drift-monitoring")
    assert "'drift' receives nothing from the serving models" in finding.message


@pytest.mark.parametrize(
    ("child", "quoted"),
    [
        (
            "framing: {labels: 'abuse, about one order in a thousand'}",
            "framing.labels puts the positive class at 'one order in a thousand'",
        ),
        (
            "requirements: {data: 'one in ten thousand mails is phishing'}",
            "requirements.data puts the positive class at 'one in ten thousand'",
        ),
        (
            "data: {imbalance: null, sources: ['mail logs, 1 phish in 5,000 mails']}",
            "data.sources[0] puts the positive class at '1 phish in 5,000'",
        ),
    ],
)
def test_the_base_rate_is_read_wherever_it_is_written(child: str, quoted: str, variant: Variant) -> None:
    imbalance = "" if child.startswith("data:") else "\ndata: {imbalance: null}"
    spec = variant(f"metrics: {{offline: [accuracy, ROC-AUC]}}{imbalance}\n{child}")
    (finding,) = findings_of(spec, "metric-task-mismatch")
    assert quoted in finding.message


def test_a_manual_spot_check_is_not_a_metric(variant: Variant) -> None:
    spec = variant("framing: {task: generation}\nmetrics: {offline: [manual spot checks for correctness]}")
    (finding,) = findings_of(spec, "metric-task-mismatch")
    assert "'manual spot checks for correctness' is a manual check" in finding.message


def test_sync_call_names_the_waiting_path(variant: Variant) -> None:
    (finding,) = findings_of(variant("serving: {fallback: null}"), "sync-call-without-fallback")
    assert finding.message.startswith("client -> api -> scorer: 'api' waits on 'scorer'")
    assert "no-fallback" not in fired(variant("serving: {fallback: null}"))  # one finding, not two


def test_random_split_quotes_the_drift_it_read(variant: Variant) -> None:
    spec = variant("data: {splits: shuffled at random, bias: spammers adapt their wording weekly}")
    (finding,) = findings_of(spec, "random-split-leakage")
    assert "(data.bias: 'spammers')" in finding.message


def test_batch_serving_quotes_the_request_time_requirement(variant: Variant) -> None:
    spec = variant("serving: {mode: batch}\nrequirements: {latency: 'must reflect the current request in 80 ms'}")
    (finding,) = findings_of(spec, "batch-serving-for-live-decision")
    assert "requirements.latency asks for 'current request'" in finding.message


def test_a_small_catalogue_needs_no_candidate_generation(variant: Variant) -> None:
    spec = variant(
        "framing: {task: ranking}\nmetrics: {offline: [nDCG@10]}\n"
        "requirements: {scale: {catalogue_items: 5_000}}\ncomponents: {scorer: {kind: ranking-service}}"
    )
    assert "no-candidate-generation" not in fired(spec)


def test_a_gate_that_promotes_into_the_registry_is_not_bypassed(variant: Variant) -> None:
    spec = variant(flows=["client -> api -> scorer", "trainer -> registry -> gate -> registry", "registry -> scorer"])
    assert "no-evaluation-gate" not in fired(spec)


def test_a_streaming_model_that_pushes_alerts_to_the_client_side_is_read(inline) -> None:
    spec = inline("""\
        mlsd: 1
        title: Alerts
        serving: {mode: streaming}
        components:
          oncall: {kind: client}
          paging: {kind: app-service}
          stream: {kind: event-stream}
          detector: {kind: inference-server}
        flows:
          - stream -> detector
          - detector -> paging -> oncall
    """)
    assert "unreachable-model" not in fired(spec)


def test_candidates_precomputed_by_a_batch_job_are_a_candidate_stage(variant: Variant) -> None:
    spec = variant(
        "framing: {task: ranking}\nmetrics: {offline: [nDCG@10]}\n"
        "requirements: {scale: {catalogue_items: 5_000_000}}\n"
        "components: {scorer: {kind: ranking-service}, job: {kind: batch-scoring}, hot: {kind: cache}}",
        add_flows=["job -> hot: 300 candidates per user", "api -> hot: candidates"],
    )
    assert "no-candidate-generation" not in fired(spec)


def test_a_model_only_a_batch_run_calls_is_fine_when_the_client_reads_its_results(inline) -> None:
    text = """\
        mlsd: 1
        title: Nightly extraction read by clerks
        components:
          clerks: {kind: client}
          ui: {kind: app-service}
          scheduler: {kind: orchestrator}
          job: {kind: batch-scoring}
          extractor: {kind: llm}
          fields: {kind: data-warehouse}
        flows:
          - scheduler -> job
          - {from: job, to: extractor, kind: request}
          - job -> fields
    """
    unread = inline(text)
    (finding,) = findings_of(unread, "unreachable-model")
    assert "reads what" in finding.message
    read = inline(text.rstrip(" ") + "          - clerks -> ui -> fields: extracted fields\n", name="read.yaml")
    assert "unreachable-model" not in fired(read)
