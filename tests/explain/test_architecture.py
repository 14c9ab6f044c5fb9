"""The architecture narrative: request path, offline pipelines, feedback loops and roles."""

from __future__ import annotations

from pathlib import Path

from mlsd.explain.architecture import build_architecture
from mlsd.explain.phrase import Phrase

from ._helpers import spec, write_spec


def plain(phrase: Phrase) -> str:
    return phrase.text.format(*phrase.args)


FUNNEL = """
mlsd: 1
title: Funnel
components:
  app:       {kind: client}
  gateway:   {kind: api-gateway}
  recs:      {kind: app-service}
  retrieval: {kind: candidate-generation}
  ann:       {kind: vector-index}
  ranker:    {kind: ranking-service}
  store:     {kind: feature-store-online}
  model:     {kind: inference-server}
  events:    {kind: event-stream}
  offline:   {kind: feature-store-offline}
  trainer:   {kind: training-cluster}
  registry:  {kind: model-registry}
flows:
  - app -> gateway -> recs: feed
  - recs -> ranker: candidates
  - recs -> retrieval -> ann: top-k
  - ranker -> store: features
  - ranker -> model: score
  - app -> events: clicks
  - events -> offline
  - offline -> trainer -> registry
  - registry -> model
"""


def test_request_path_is_depth_first_in_flow_order(tmp_path: Path) -> None:
    arch = build_architecture(write_spec(tmp_path, FUNNEL))
    (path,) = arch.request_paths
    assert [plain(h) for h in path.hops] == [
        "App calls Gateway (feed)",
        "Gateway calls Recs (feed)",
        "Recs calls Ranker (candidates)",
        "Ranker looks up features in Store (features)",
        "Ranker calls Model (score)",
        "Recs calls Retrieval (top-k)",
        "Retrieval calls ANN (top-k)",
    ]
    assert path.servers == ("Ranker", "Model", "Retrieval", "ANN")
    assert plain(path.answer).endswith("and Gateway hands it back to App.")


def test_request_path_of_the_spec_format_example() -> None:
    arch = build_architecture(spec("fraud"))
    (path,) = arch.request_paths
    assert [plain(h) for h in path.hops] == [
        "Checkout calls Gateway (payment)",
        "Gateway calls Risk service (payment)",
        "Risk service calls Scorer (score(payment))",
        "Scorer looks up features in Online store (feature lookup)",
    ]
    assert plain(path.answer) == (
        "Scorer makes the prediction; the answer travels back along the same hops, "
        "and Gateway hands it back to Checkout."
    )
    assert arch.request_path_ids == ("checkout", "gateway", "risk", "scorer", "online_store")


def test_client_calling_the_model_directly(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Direct
components:
  app: {kind: client}
  model: {kind: inference-server}
flows: [app -> model]
""",
        )
    )
    assert plain(arch.request_paths[0].answer) == "Model makes the prediction and answers App directly."


def test_without_a_client_the_entry_service_starts_the_path(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: No client
components:
  gateway: {kind: api-gateway}
  svc: {kind: app-service}
  model: {kind: inference-server}
flows: [gateway -> svc -> model]
""",
        )
    )
    (path,) = arch.request_paths
    assert path.start == "Gateway"
    assert len(path.hops) == 2


def test_path_without_a_serving_component_is_an_open_question(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Nowhere
components:
  app: {kind: client}
  svc: {kind: app-service}
flows: [app -> svc]
""",
        )
    )
    assert "reaches no serving component" in plain(arch.request_paths[0].answer)
    assert any("which serving component makes the prediction" in plain(q) for q in arch.questions)


def test_offline_pipelines_are_grouped_by_their_start(tmp_path: Path) -> None:
    arch = build_architecture(write_spec(tmp_path, FUNNEL))
    assert [plain(p.title) for p in arch.pipelines] == [
        "From App: a training and deployment pipeline through the data, features, training and serving stages.",
    ]
    assert [plain(h) for h in arch.pipelines[0].hops] == [
        "App publishes events to Events (clicks)",
        "Events writes features to Offline",
        "Offline supplies features to Trainer",
        "Trainer registers the model in Registry",
        "Registry deploys the model to Model",
    ]


def test_a_second_pipeline_that_joins_the_first_says_so(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Two sources
components:
  users: {kind: data-source}
  orders: {kind: data-source}
  etl: {kind: batch-etl}
  lake: {kind: data-lake}
flows: [users -> etl -> lake, orders -> etl]
""",
        )
    )
    assert [p.title.args[0] for p in arch.pipelines] == ["Users", "Orders"]
    assert [plain(h) for h in arch.pipelines[1].hops] == ["Orders sends data to ETL"]
    assert plain(arch.pipelines[1].joins) == "It then feeds into the pipeline that starts at Users."


def test_declared_feedback_edge_is_a_loop(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Declared
components:
  model: {kind: inference-server}
  review: {kind: human-review}
  labels: {kind: label-store}
  trainer: {kind: training-cluster}
  registry: {kind: model-registry}
flows:
  - {from: review, to: labels, kind: feedback, label: verdicts}
  - labels -> trainer -> registry -> model
""",
        )
    )
    (loop,) = arch.loops
    assert loop.declared
    # label-store -> training-cluster is inferred as feedback too, and continues the loop.
    assert [plain(h) for h in loop.hops] == [
        "Review feeds outcomes back to Labels (verdicts)",
        "Labels feeds outcomes back to Trainer",
    ]
    assert plain(loop.closure) == ("From Trainer it reaches Model again through Registry, which closes the loop.")


def test_loop_is_found_without_a_feedback_kind(tmp_path: Path) -> None:
    loaded = write_spec(
        tmp_path,
        """
mlsd: 1
title: Detected
components:
  app: {kind: client}
  model: {kind: inference-server}
  logs: {kind: object-store}
  trainer: {kind: training-cluster}
flows:
  - app -> model: predict
  - {from: model, to: logs, kind: data, label: predictions}
  - logs -> trainer
  - {from: trainer, to: model, kind: model}
""",
    )
    assert all(e.kind != "feedback" for e in loaded.edges)
    arch = build_architecture(loaded)
    (loop,) = arch.loops
    assert not loop.declared
    assert [plain(h) for h in loop.hops] == ["Model sends data to Logs (predictions)"]
    assert plain(loop.closure) == "From Logs it reaches Model again through Trainer, which closes the loop."
    assert arch.loop_caution is not None


def test_loop_through_monitoring_is_found(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Drift
components:
  model: {kind: inference-server}
  drift: {kind: drift-detection}
  orchestrator: {kind: orchestrator}
flows: [model -> drift -> orchestrator]
""",
        )
    )
    (loop,) = arch.loops
    assert [plain(h) for h in loop.hops] == [
        "Model reports telemetry to Drift",
        "Drift triggers Orchestrator",
    ]
    assert "the loop is open" in plain(loop.closure)
    assert any("back to the model that serves" in plain(q) for q in arch.questions)


def test_request_path_lookups_are_not_loops() -> None:
    arch = build_architecture(spec("fraud"))
    assert [plain(h) for loop in arch.loops for h in loop.hops] == [
        "Risk service publishes events to Payments (payment events)",
    ]


def test_no_loop_is_an_open_question(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Open loop
components:
  app: {kind: client}
  model: {kind: inference-server}
flows: [app -> model]
""",
        )
    )
    assert arch.loops == () and arch.loop_caution is None
    assert any("get back into the data" in plain(q) for q in arch.questions)


def test_isolated_components_and_missing_pipelines_are_open_questions(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Island
components:
  app: {kind: client}
  model: {kind: inference-server}
  cache: {kind: cache}
flows: [app -> model]
""",
        )
    )
    questions = [plain(q) for q in arch.questions]
    assert "how does Cache connect to the rest of the system? No flow touches it." in questions
    assert any("No offline pipeline" in q for q in questions)


def test_roles_prefer_the_description_and_name_the_product() -> None:
    roles = {r.id: r for r in build_architecture(spec("fraud")).roles()}
    assert roles["scorer"].description == "Scores each payment with the champion model."
    assert roles["scorer"].tech == "NVIDIA Triton"
    assert roles["payments"].tech == "Apache Kafka"
    assert roles["trainer"].tech is None
    assert roles["gateway"].role_clause[0].islower()
    assert [r.id for r in build_architecture(spec("fraud")).roles()][:3] == ["checkout", "gateway", "risk"]


def test_unknown_tech_is_shown_as_written(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Home-grown
components:
  model: {kind: inference-server, tech: our-own-server}
""",
        )
    )
    assert arch.roles()[0].tech == "our-own-server"


def test_telemetry_is_one_sentence_per_receiver() -> None:
    assert [plain(p) for p in build_architecture(spec("fraud")).telemetry] == [
        "Scorer and Risk service report telemetry to Metrics.",
    ]


def test_flows_outside_every_reading_are_listed(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Leftover
components:
  svc: {kind: app-service}
  other: {kind: app-service}
  model: {kind: inference-server}
flows: [svc -> model, other -> svc]
""",
        )
    )
    # `svc` has a caller, so only `other` starts a request path; nothing is left over.
    assert [p.start for p in arch.request_paths] == ["Other"]
    assert arch.other_flows == ()
