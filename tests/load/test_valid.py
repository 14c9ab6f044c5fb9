"""Every valid shape SPEC-FORMAT.md documents loads, and loads into the right values."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlsd.errors import SpecError
from mlsd.load import load_spec
from mlsd.model import FlowMapping, Spec

VALID = Path(__file__).parent / "valid"

HEAD = """\
mlsd: 1
title: Test spec
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def pairs(spec: Spec) -> list[tuple[str, str]]:
    return [(e.source, e.target) for e in spec.edges]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return [str(p) for p in caught.value.problems]


# --- the complete example -------------------------------------------------------------


def test_complete_example_loads() -> None:
    spec = load_spec(VALID / "fraud.yaml")
    assert spec.mlsd == 1
    assert spec.id == "fraud"
    assert spec.title == "Real-time card fraud detection"
    assert list(spec.components) == [
        "checkout", "gateway", "risk", "payments", "stream_feats", "online_store",
        "offline_store", "trainer", "registry", "scorer", "metrics",
    ]  # fmt: skip
    assert list(spec.groups) == ["online", "data", "features", "training"]
    assert spec.components["online_store"].kind == "feature-store-online"
    assert spec.components["scorer"].description == "Scores each payment with the champion model."
    assert spec.label("online_store") == "Online store"
    assert spec.label("risk") == "Risk service"
    assert spec.framing.task == "binary-classification"
    assert spec.requirements.user_actions == ["pay by card", "dispute a charge"]
    assert len(spec.flows) == 10
    assert len(spec.edges) == 13
    assert pairs(spec)[:2] == [("checkout", "gateway"), ("gateway", "risk")]
    assert pairs(spec)[-2:] == [("scorer", "metrics"), ("risk", "metrics")]
    assert spec.source.path == (VALID / "fraud.yaml").resolve()
    assert spec.source.chain == ((VALID / "fraud.yaml").resolve(),)


def test_example_numbers_with_underscores_read_as_int() -> None:
    scale = load_spec(VALID / "fraud.yaml").requirements.scale
    assert scale["payments_per_day"] == 400_000_000
    assert type(scale["payments_per_day"]) is int
    assert scale["peak_qps"] == 25_000 and type(scale["peak_qps"]) is int


def test_example_edge_kinds_and_labels() -> None:
    edges = {(e.source, e.target): e for e in load_spec(VALID / "fraud.yaml").edges}
    champion = edges[("registry", "scorer")]
    assert (champion.kind, champion.label, champion.kind_inferred) == ("model", "champion alias", False)
    assert edges[("scorer", "metrics")].kind == "telemetry"
    assert edges[("scorer", "online_store")].kind == "features"
    assert edges[("scorer", "online_store")].kind_inferred
    assert edges[("checkout", "gateway")].label == "payment"
    assert edges[("payments", "stream_feats")].label is None


# --- flows ------------------------------------------------------------------------------

COMPONENTS = """\
components:
  a: {kind: client}
  b: {kind: app-service}
  c: {kind: inference-server}
  d: {kind: monitoring}
"""


def test_string_flows_chains_and_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "flows.yaml",
        HEAD
        + COMPONENTS
        + """\
flows:
  - a -> b -> c -> d: every hop
  - "a -> c"
  - a->d
  - "b -> d: ratio 1:2"
  - c -> d:
""",
    )
    spec = load_spec(path)
    assert [(e.source, e.target, e.label, e.flow) for e in spec.edges] == [
        ("a", "b", "every hop", 0),
        ("b", "c", "every hop", 0),
        ("c", "d", "every hop", 0),
        ("a", "c", None, 1),
        ("a", "d", None, 2),
        ("b", "d", "ratio 1:2", 3),
        ("c", "d", None, 4),
    ]


def test_mapping_flows_with_lists_on_both_sides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "flows.yaml",
        HEAD
        + COMPONENTS
        + """\
flows:
  - {from: [a, b], to: [c, d], kind: control, label: config, note: pushed hourly}
  - {from: a, to: [b, c]}
  - from: [b, c]
    to: d
""",
    )
    spec = load_spec(path)
    assert isinstance(spec.flows[0], FlowMapping)
    assert [(e.source, e.target) for e in spec.edges] == [
        ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"),
        ("a", "b"), ("a", "c"),
        ("b", "d"), ("c", "d"),
    ]  # fmt: skip
    first = spec.edges[0]
    assert (first.kind, first.label, first.note, first.kind_inferred) == (
        "control", "config", "pushed hourly", False,
    )  # fmt: skip
    assert all(e.kind == "telemetry" and e.kind_inferred for e in spec.edges[-2:])


def test_string_and_mapping_flows_mix(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mixed.yaml",
        HEAD + COMPONENTS + "flows:\n  - a -> b\n  - {from: b, to: c}\n  - c -> d: logs\n",
    )
    assert pairs(load_spec(path)) == [("a", "b"), ("b", "c"), ("c", "d")]


# --- extends ------------------------------------------------------------------------------


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    """grand.yaml <- mid.yaml <- leaf.yaml; returns the folder."""
    write(
        tmp_path,
        "grand.yaml",
        """\
        mlsd: 1
        id: grand-id
        title: Grand
        summary: Kept from the grand base.
        requirements:
          business_objective: Kept from grand.
          user_actions: [browse, buy, return]
        components:
          app: {kind: client, label: App}
          scorer: {kind: inference-server, tech: triton, label: Scorer, group: online}
          old_cache: {kind: cache, group: online}
          metrics: {kind: monitoring}
        groups:
          online: {label: Online}
        flows:
          - app -> old_cache -> scorer: lookup
          - app -> scorer: score
          - {from: [scorer, old_cache], to: metrics}
          - {from: old_cache, to: metrics}
        views:
          serving: {include: [app, old_cache, scorer]}
        steps:
          - {title: Request, add: [app, old_cache]}
          - {title: Rest, add: [scorer, metrics]}
        """,
    )
    write(
        tmp_path,
        "mid.yaml",
        """\
        extends: grand.yaml
        id: mid-id
        title: Mid
        requirements:
          latency: p99 under 20 ms
        components:
          scorer: {tech: torchserve}
        """,
    )
    write(
        tmp_path,
        "leaf.yaml",
        """\
        extends: mid.yaml
        title: Leaf
        requirements:
          user_actions: [browse]
        components:
          old_cache: null
          ranker: {kind: ranking-service, group: online}
        """,
    )
    return tmp_path


def test_extends_three_levels_merge_key_by_key(chain: Path) -> None:
    spec = load_spec(chain / "leaf.yaml")
    assert spec.title == "Leaf"
    assert spec.summary == "Kept from the grand base."
    # mappings merge key by key, at every depth and across all three files
    assert spec.requirements.business_objective == "Kept from grand."
    assert spec.requirements.latency == "p99 under 20 ms"
    scorer = spec.components["scorer"]
    assert (scorer.kind, scorer.tech, scorer.label, scorer.group) == (
        "inference-server", "torchserve", "Scorer", "online",
    )  # fmt: skip
    assert spec.components["app"].label == "App"
    assert "ranker" in spec.components
    assert spec.source.chain == tuple((chain / n).resolve() for n in ("leaf.yaml", "mid.yaml", "grand.yaml"))


def test_extends_lists_replace(chain: Path) -> None:
    spec = load_spec(chain / "leaf.yaml")
    assert spec.requirements.user_actions == ["browse"]


def test_extends_child_replaces_flows_list(chain: Path) -> None:
    write(chain, "own_flows.yaml", "extends: mid.yaml\nflows:\n  - scorer -> metrics\n")
    assert pairs(load_spec(chain / "own_flows.yaml")) == [("scorer", "metrics")]


def test_extends_null_removes_component_and_what_touches_it(chain: Path) -> None:
    spec = load_spec(chain / "leaf.yaml")
    assert "old_cache" not in spec.components
    assert all("old_cache" not in (e.source, e.target) for e in spec.edges)
    # the chain through old_cache loses both hops; the list flow keeps its other source
    assert [(e.source, e.target, e.label) for e in spec.edges] == [
        ("app", "scorer", "score"),
        ("scorer", "metrics", None),
    ]
    assert spec.views["serving"].include == ["app", "scorer"]
    assert [s.add for s in spec.steps] == [["app"], ["scorer", "metrics"]]


def test_extends_null_keeps_the_rest_of_a_chain(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.yaml",
        HEAD + COMPONENTS + "flows:\n  - a -> b -> c -> d: hop\n",
    )
    write(tmp_path, "child.yaml", "extends: base.yaml\ncomponents:\n  b: null\n")
    spec = load_spec(tmp_path / "child.yaml")
    assert [(e.source, e.target, e.label) for e in spec.edges] == [("c", "d", "hop")]


def test_extends_null_drops_views_and_steps_left_empty(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.yaml",
        HEAD
        + COMPONENTS
        + """\
views:
  only_c: {include: [c]}
  rest: {include: [a, b]}
steps:
  - {title: C, add: [c]}
  - {title: Rest, add: [a, b, d]}
""",
    )
    write(tmp_path, "child.yaml", "extends: base.yaml\ncomponents:\n  c: null\n")
    spec = load_spec(tmp_path / "child.yaml")
    assert list(spec.views) == ["rest"]
    assert [s.title for s in spec.steps] == ["Rest"]


def test_extends_child_id_comes_from_its_own_stem(chain: Path) -> None:
    assert load_spec(chain / "leaf.yaml").id == "leaf"
    assert load_spec(chain / "mid.yaml").id == "mid-id"
    assert load_spec(chain / "grand.yaml").id == "grand-id"


def test_extends_error_in_child_points_at_child(chain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        chain,
        "bad_leaf.yaml",
        """\
        extends: mid.yaml
        title: Bad leaf
        components:
          scorer: {kind: inference-servr}
        flows:
          - app -> scorr
        """,
    )
    monkeypatch.chdir(chain)
    assert problems_of(Path("bad_leaf.yaml")) == [
        "bad_leaf.yaml:4:18: error: unknown kind 'inference-servr' in component 'scorer';"
        " did you mean 'inference-server'?",
        "bad_leaf.yaml:6:12: error: flow 1 names unknown component 'scorr'; did you mean 'scorer'?",
    ]


def test_extends_error_in_middle_base_points_at_that_base(chain: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(chain, "mid.yaml", "extends: grand.yaml\ncomponents:\n  scorer: {tech: [a, b]}\n")
    monkeypatch.chdir(chain)
    assert problems_of(Path("leaf.yaml")) == [
        "mid.yaml:3:18: error: 'tech' in component 'scorer' must be text, found a list; text with ': ', or starting with '[' or '{', must be in quotes"
    ]


def test_extends_base_in_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path, "bases/base.yaml", HEAD + COMPONENTS)
    write(tmp_path, "variant.yaml", "extends: bases/base.yaml\ntitle: Variant\n")
    spec = load_spec(tmp_path / "variant.yaml")
    assert (spec.id, spec.title, len(spec.components)) == ("variant", "Variant", 4)


# --- ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("fraud.yaml", "fraud"),
        ("feed-ranking_v2.yaml", "feed-ranking_v2"),
        ("Fraud Detection.yaml", "fraud-detection"),
    ],
)
def test_id_defaults_to_the_file_stem(tmp_path: Path, file_name: str, expected: str) -> None:
    path = write(tmp_path, file_name, HEAD + COMPONENTS)
    assert load_spec(path).id == expected


def test_explicit_id_wins_over_the_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "fraud.yaml", HEAD + "id: card-fraud\n" + COMPONENTS)
    assert load_spec(path).id == "card-fraud"


# --- written parts ------------------------------------------------------------------------


def test_metrics_as_strings_and_mappings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        HEAD
        + COMPONENTS
        + """\
metrics:
  business: [revenue]
  offline:
    - PR-AUC
    - {name: recall at 1% FPR, target: ">= 0.8", why: catch most fraud}
  online:
    - name: approval rate
  guardrail: [p99 latency]
""",
    )
    metrics = load_spec(path).metrics
    assert [m.name for m in metrics.offline] == ["PR-AUC", "recall at 1% FPR"]
    assert metrics.offline[0].target is None
    assert (metrics.offline[1].target, metrics.offline[1].why) == (">= 0.8", "catch most fraud")
    assert [m.name for m in metrics.business] == ["revenue"]
    assert [m.name for m in metrics.online] == ["approval rate"]
    assert [m.name for m in metrics.guardrail] == ["p99 latency"]


def test_features_as_strings_and_mappings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "f.yaml",
        HEAD
        + COMPONENTS
        + """\
features:
  - amount
  - {name: txn_count_1h, group: velocity, freshness: streaming, description: card velocity}
  - name: device_id
    freshness: request
  - {name: merchant_risk, freshness: batch}
""",
    )
    features = load_spec(path).features
    assert [f.name for f in features] == ["amount", "txn_count_1h", "device_id", "merchant_risk"]
    assert [f.freshness for f in features] == [None, "streaming", "request", "batch"]
    assert features[1].group == "velocity"
    assert features[1].description == "card velocity"


def test_all_written_parts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "full.yaml",
        HEAD
        + COMPONENTS
        + """\
summary: One paragraph.
requirements:
  business_objective: b
  user_actions: [u]
  data: d
  scale: {daily_active_users: 1000000, item_bytes: 2.5, note: about a million}
  latency: 50
  constraints: [c]
  out_of_scope: [o]
framing: {ml_objective: m, task: ranking, input: i, output: o, labels: l, alternatives: [a]}
data: {sources: [s], labeling: l, sampling: s, splits: s, imbalance: i, privacy: p, bias: b}
model: {baseline: b, candidates: [c], chosen: c, loss: l, training: t}
serving: {mode: hybrid, latency_budget: 10 ms, steps: [s], fallback: f}
testing: {offline_gate: o, online_experiment: o, rollout: r}
monitoring: {operational: [o], ml: [m], alerts: [a], retraining: weekly}
scaling: [shard by user]
talking_points: [t]
""",
    )
    spec = load_spec(path)
    assert spec.requirements.scale == {
        "daily_active_users": 1_000_000, "item_bytes": 2.5, "note": "about a million",
    }  # fmt: skip
    assert spec.requirements.latency == "50"  # a number where text is expected is taken as text
    assert spec.serving.mode == "hybrid"
    assert spec.monitoring.retraining == "weekly"
    assert spec.talking_points == ["t"]


# --- YAML features ------------------------------------------------------------------------


def test_anchors_aliases_and_merge_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "anchors.yaml",
        HEAD
        + """\
requirements:
  user_actions: &actions [search, buy]
  constraints: *actions
components:
  api: &service {kind: app-service, group: online, tech: fastapi}
  worker:
    <<: *service
    label: Worker
    tech: celery
  other: {<<: [*service], group: offline}
groups:
  online: {}
  offline: {}
""",
    )
    spec = load_spec(path)
    assert spec.requirements.constraints == ["search", "buy"]
    worker = spec.components["worker"]
    assert (worker.kind, worker.group, worker.label, worker.tech) == (
        "app-service", "online", "Worker", "celery",
    )  # fmt: skip
    assert spec.components["other"].group == "offline"
    assert spec.components["other"].kind == "app-service"


def test_utf8_bom_and_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    text = HEAD.replace("Test spec", "Détection de fraude — 検出") + COMPONENTS
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_spec(path).title == "Détection de fraude — 検出"


def test_quoted_numbers_stay_text_and_dates_are_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        HEAD + COMPONENTS + "requirements:\n  scale: {a: '400_000_000', b: 2024-01-01, c: 1_000}\n",
    )
    scale = load_spec(path).requirements.scale
    assert scale == {"a": "400_000_000", "b": "2024-01-01", "c": 1000}


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_scale_numbers_must_be_finite(tmp_path: Path, value: str) -> None:
    # No estimate can use them, and read as text they would slip through as words.
    path = write(
        tmp_path,
        "t.yaml",
        HEAD + f"requirements:\n  scale:\n    requests_per_day: {value}\ncomponents:\n  a: {{kind: client}}\n",
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:5:")
    assert "'requests_per_day' in 'requirements.scale' must be a finite number" in problem
