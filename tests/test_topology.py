"""The graph questions, asked of small designs written for the purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlsd import topology
from mlsd.load import load_spec
from mlsd.model import Spec


def design(tmp_path: Path, components: dict[str, str], flows: list[object], **extra: object) -> Spec:
    """A spec with the given components (id -> kind) and flows."""
    document = {
        "mlsd": 1,
        "id": "t",
        "title": "T",
        "components": {cid: {"kind": kind} for cid, kind in components.items()},
        "flows": flows,
        **extra,
    }
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return load_spec(path)


def path_ids(spec: Spec) -> list[str]:
    reached, _ = topology.request_path(spec)
    return list(reached)


def test_a_request_path_runs_from_the_client_to_the_model(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"user": "client", "app": "app-service", "model": "inference-server", "feats": "feature-store-online"},
        ["user -> app -> model", "model -> feats: lookup"],
    )
    assert path_ids(spec) == ["user", "app", "model", "feats"]
    assert topology.online_serving(spec)


def test_an_app_calling_a_feature_pipeline_that_feeds_the_model_is_a_request_path(tmp_path: Path) -> None:
    # app -> pipeline is a written request; pipeline -> model is inferred as data.
    spec = design(
        tmp_path,
        {"app": "app-service", "pipe": "feature-pipeline", "model": "inference-server"},
        [{"from": "app", "to": "pipe", "kind": "request"}, "pipe -> model"],
    )
    assert [e.kind for e in spec.edges] == ["request", "data"]
    assert path_ids(spec) == ["app", "pipe", "model"]
    ((start, order),) = topology.request_walks(spec)
    assert start == "app" and order == (0, 1)
    assert topology.online_serving(spec)


def test_writes_into_a_feature_store_are_not_on_the_request_path(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"user": "client", "model": "inference-server", "etl": "batch-etl", "store": "feature-store-online"},
        ["user -> model", "etl -> store", "model -> store"],
    )
    assert path_ids(spec) == ["user", "model", "store"]
    # The write from the batch job is a pipeline, not a request hop.
    (pipeline,) = topology.pipelines(spec, topology.request_edge_indices(spec))
    assert pipeline.start == "etl"
    assert [spec.edges[i].target for i in pipeline.edges] == ["store"]


def test_a_lookup_out_of_an_online_model_continues_the_path(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"user": "client", "embed": "embedding-service", "feats": "feature-store-online"},
        ["user -> embed", "embed -> feats"],
    )
    assert [e.kind for e in spec.edges] == ["request", "features"]
    assert path_ids(spec) == ["user", "embed", "feats"]


def test_without_a_client_the_uncalled_front_components_are_the_entries(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"gw": "api-gateway", "app": "app-service", "model": "inference-server"},
        ["gw -> app -> model"],
    )
    assert topology.entry_points(spec) == ("gw",)


def test_front_components_calling_each_other_in_a_cycle_are_all_entries(tmp_path: Path) -> None:
    spec = design(tmp_path, {"a": "app-service", "b": "api-gateway"}, ["a -> b", "b -> a"])
    assert topology.entry_points(spec) == ("a", "b")


def test_batch_only_design_does_not_answer_online(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"lake": "data-lake", "score": "batch-scoring", "preds": "prediction-store"},
        ["lake -> score -> preds"],
    )
    assert path_ids(spec) == []
    assert not topology.online_serving(spec)
    written = design(tmp_path, {"lake": "data-lake"}, [], serving={"mode": "streaming"})
    assert topology.online_serving(written)


def test_declared_feedback_edges_make_one_loop_that_closes_at_serving(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {
            "user": "client",
            "model": "inference-server",
            "review": "human-review",
            "labels": "label-store",
            "train": "training-cluster",
            "registry": "model-registry",
        },
        ["user -> model", "model -> review", "review -> labels -> train -> registry -> model"],
    )
    on_path = topology.request_edge_indices(spec)
    loops = topology.feedback_loops(spec, on_path)
    declared = [loop for loop in loops if loop.declared]
    assert len(declared) == 1
    assert [spec.edges[i].target for i in declared[0].edges] == ["labels", "train"]
    assert declared[0].closure.server == "model"
    assert declared[0].closure.between == ("registry",)


def test_an_open_loop_has_no_server(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"user": "client", "model": "inference-server", "logs": "data-lake"},
        ["user -> model", "model -> logs"],
    )
    loops = topology.feedback_loops(spec, topology.request_edge_indices(spec))
    assert [(loop.declared, loop.closure.server) for loop in loops] == [(False, None)]


def test_kinds_are_found_by_trait(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        {"train": "training-cluster", "hpo": "hpo", "model": "inference-server", "score": "batch-scoring"},
        [],
    )
    assert topology.with_trait(spec, "trainer") == ("train", "hpo")
    assert topology.with_trait(spec, "online-model", "batch-model") == ("model", "score")
    assert topology.is_a(spec, "score", "batch-model")
    with pytest.raises(KeyError):
        topology.with_trait(spec, "no-such-trait")
    with pytest.raises(KeyError):
        topology.is_a(spec, "score", "no-such-trait")


# ------------------------------------------------------------------ the request path through a feature computation

CREDIT = {
    "portal": "client",
    "api": "app-service",
    "calc": "feature-pipeline",
    "model": "inference-server",
    "bureau": "data-source",
}


def test_an_app_service_calling_a_feature_pipeline_that_feeds_the_model_is_on_the_request_path(tmp_path: Path) -> None:
    spec = design(tmp_path, CREDIT, ["portal -> api -> calc -> model", "bureau -> calc"])
    assert path_ids(spec) == ["portal", "api", "calc", "model"]
    assert topology.online_serving(spec)
    assert topology.sync_call(spec) == ("portal", "api", "calc", "model")


def test_a_feature_pipeline_that_only_writes_a_store_stays_off_the_request_path(tmp_path: Path) -> None:
    components = {**CREDIT, "store": "feature-store-online"}
    spec = design(tmp_path, components, ["portal -> api -> model", "api -> calc -> store", "model -> store"])
    assert "calc" not in path_ids(spec)
    assert not topology.computes_for_model(spec, "calc")
    assert not topology.computes_for_model(spec, "store")  # a store, even one that feeds a model


# ------------------------------------------------------------------ batch runs

BATCH = {"scheduler": "orchestrator", "job": "batch-scoring", "llm": "llm", "out": "data-warehouse"}


def test_a_scheduler_and_a_batch_job_are_where_batch_runs_start(tmp_path: Path) -> None:
    spec = design(
        tmp_path,
        BATCH,
        ["scheduler -> job", {"from": "job", "to": "llm", "kind": "request"}, "job -> out"],
    )
    assert topology.entry_points(spec) == ()
    assert topology.batch_entry_points(spec) == ("scheduler", "job")
    assert set(topology.batch_path(spec)) == {"scheduler", "job", "llm", "out"}
    assert not topology.online_serving(spec)  # no client: nothing online, no request rate to plan for
    assert topology.sync_call(spec) == ()


def test_a_batch_run_does_not_deploy_models(tmp_path: Path) -> None:
    components = {"scheduler": "orchestrator", "trainer": "training-cluster", "registry": "model-registry"}
    spec = design(
        tmp_path, {**components, "server": "inference-server"}, ["scheduler -> trainer -> registry -> server"]
    )
    assert "server" not in topology.batch_path(spec)


# ------------------------------------------------------------------ gates and experiments in between

GATED = {
    "trainer": "training-cluster",
    "registry": "model-registry",
    "gate": "evaluation-gate",
    "server": "inference-server",
}


def test_a_gate_between_registry_and_serving_is_not_bypassed(tmp_path: Path) -> None:
    spec = design(tmp_path, GATED, ["trainer -> registry -> gate -> server"])
    assert topology.bypasses(spec, ["trainer"], ["gate"], ["server"]) == ()
    assert topology.sits_between(spec, "gate", ["registry"], ["server"])


def test_a_model_flow_around_the_gate_is_a_bypass(tmp_path: Path) -> None:
    spec = design(tmp_path, GATED, ["trainer -> registry -> gate", "registry -> server"])
    assert topology.bypasses(spec, ["trainer"], ["gate"], ["server"]) == ("trainer", "registry", "server")
    assert not topology.sits_between(spec, "gate", ["registry"], ["server"])


def test_a_gate_before_the_registry_counts_when_the_registry_is_fed_only_through_it(tmp_path: Path) -> None:
    spec = design(tmp_path, GATED, ["trainer -> gate -> registry -> server"])
    assert topology.bypasses(spec, ["trainer"], ["gate"], ["server"]) == ()
    assert topology.sits_between(spec, "gate", ["trainer"], ["server"])


def test_an_experiment_counts_where_it_routes_traffic_to_a_model(tmp_path: Path) -> None:
    components = {"user": "client", "app": "app-service", "ab": "ab-testing", "model": "inference-server"}
    wired = design(tmp_path, components, ["user -> app -> ab -> model"])
    assert topology.routes_to_model(wired, "ab")
    ui_only = design(tmp_path, {**components, "log": "event-stream"}, ["user -> app -> model", "user -> ab -> log"])
    assert not topology.routes_to_model(ui_only, "ab")  # the client calls it, but the client is no router
    asked = design(tmp_path, components, ["user -> app -> model", "app -> ab: assignment"])
    assert topology.routes_to_model(asked, "ab")


# ------------------------------------------------------------------ what watches serving

WATCHED = {
    "app": "app-service",
    "model": "inference-server",
    "logs": "logging",
    "lake": "data-lake",
    "etl": "batch-etl",
    "drift": "drift-detection",
}


def test_a_drift_detector_fed_through_a_log_watches_serving(tmp_path: Path) -> None:
    spec = design(tmp_path, WATCHED, ["app -> model", "model -> logs -> drift", "app -> lake -> etl"])
    assert "drift" in topology.watched_from_serving(spec)


def test_a_drift_detector_fed_from_a_training_set_does_not(tmp_path: Path) -> None:
    spec = design(tmp_path, WATCHED, ["app -> model", "app -> lake -> etl -> drift", "model -> logs"])
    assert "drift" not in topology.watched_from_serving(spec)


def test_a_drift_detector_fed_by_outcomes_joined_to_what_was_served_watches_serving(tmp_path: Path) -> None:
    components = {"app": "app-service", "model": "inference-server", "events": "event-stream"}
    spec = design(
        tmp_path,
        {**components, "labels": "label-store", "drift": "drift-detection"},
        ["app -> model", "app -> events -> labels", {"from": "labels", "to": "drift", "kind": "telemetry"}],
    )
    assert "drift" in topology.watched_from_serving(spec)
