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
        "Recs call Ranker (candidates)",  # 'Recs' ends in a plural
        "Ranker looks up features in Store (features)",
        "Ranker calls Model (score)",
        "Recs call Retrieval (top-k)",
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
        "From App: a training and deployment pipeline for Model, through the data, features, training and serving stages.",
    ]
    assert [plain(h) for h in arch.pipelines[0].hops] == [
        "App publishes events to Events (clicks)",
        "Events write features to Offline",
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
    assert [plain(h) for h in arch.pipelines[1].hops] == ["Orders send data to ETL"]
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
        "Labels feed outcomes back to Trainer",
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


def test_telemetry_and_a_trigger_are_not_a_loop(tmp_path: Path) -> None:
    # Monitoring that triggers a job carries no outcomes back: a retraining trigger, not a loop.
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
    assert arch.loops == () and arch.loop_caution is None
    assert [plain(p.title) for p in arch.pipelines] == [
        "From Drift: a retraining trigger for Orchestrator, through the training stage.",
    ]
    assert any("get back into the data" in plain(q) for q in arch.questions)


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


# ------------------------------------------------------------------ issue #16: true things, said once


def test_verbs_agree_with_plural_names(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Plurals
components:
  app:    {kind: client, label: Shop app}
  rules:  {kind: rules-engine, label: Diversity and licensing rules}
  model:  {kind: inference-server, label: Ranking model}
  logs:   {kind: event-stream, label: Interaction logs}
  lake:   {kind: data-lake, label: "Wiki, PDFs, forum"}
  status: {kind: data-source, label: Order status}
  ratings: {kind: label-store, label: Ratings and golden set}
  metrics: {kind: monitoring, label: Metrics}
flows:
  - app -> rules: query
  - rules -> model: candidates
  - {from: app, to: logs, kind: stream}
  - logs -> lake
  - status -> lake
  - {from: ratings, to: lake, kind: data}
  - {from: model, to: metrics, kind: telemetry}
""",
        )
    )
    hops = [plain(h) for p in arch.request_paths for h in p.hops] + [plain(h) for p in arch.pipelines for h in p.hops]
    assert "Diversity and licensing rules call Ranking model (candidates)" in hops
    assert "Interaction logs stream events to Wiki, PDFs, forum" in hops
    assert "Order status sends data to Wiki, PDFs, forum" in hops
    assert "Ratings and golden set send data to Wiki, PDFs, forum" in hops
    roles = {r.id: r for r in arch.roles()}
    assert roles["metrics"].role_clause.startswith("collect service metrics, draw dashboards and raise alerts when")
    assert roles["model"].role_clause.startswith("hosts trained models")
    assert [plain(p) for p in arch.telemetry] == ["Ranking model reports telemetry to Metrics."]


def test_plural_is_decided_by_the_last_word() -> None:
    from mlsd.explain.architecture import agree, plural

    many = ["Interaction logs", "Rules", "PDFs", "Wiki, PDFs, forum", "Counters and history", "LLM traces"]
    one = ["Analysis service", "Order status", "Message bus", "Process", "GCS", "News", "ANN index (IVF-PQ shards)"]
    one += ["Model and prompt registry", "ExactMatch, bias and latency gate", "Class", "Redis"]
    assert [label for label in many if not plural(label)] == []
    assert [label for label in one if plural(label)] == []
    assert [agree(v, True) for v in ("calls", "supplies", "publishes", "is", "Watches")] == [
        "call",
        "supply",
        "publish",
        "are",
        "Watch",
    ]
    assert agree("calls", False) == "calls"


def test_a_prompt_registry_hands_a_prompt_and_only_models_are_deployed_to(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Prompts
components:
  user:     {kind: client}
  prompts:  {kind: prompt-builder, label: Prompt builder}
  llm:      {kind: llm, label: Chat model}
  cache:    {kind: cache, label: Answer cache}
  evals:    {kind: llm-eval, label: Evaluation harness}
  registry: {kind: model-registry, label: Model and prompt registry}
flows:
  - user -> prompts -> llm: prompt
  - {from: evals, to: registry, kind: model}
  - {from: registry, to: prompts, kind: model, label: champion}
  - {from: registry, to: llm, kind: model}
  - {from: registry, to: cache, kind: model}
""",
        )
    )
    (pipeline,) = arch.pipelines
    assert [plain(h) for h in pipeline.hops] == [
        "Evaluation harness registers the model in Model and prompt registry",
        "Model and prompt registry hands the prompt template to Prompt builder (champion)",
        "Model and prompt registry deploys the model to Chat model",
        "Model and prompt registry hands the model to Answer cache",
    ]
    # Nothing is trained here: the registry releases what the harness approved.
    assert plain(pipeline.title).startswith(
        "From Evaluation harness: a release pipeline for Prompt builder and Chat model"
    )


def test_pipelines_are_named_after_what_they_produce(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Products
components:
  user:    {kind: client}
  api:     {kind: app-service}
  index:   {kind: vector-index, label: Passage index}
  dag:     {kind: orchestrator, label: Ingestion DAG}
  docs:    {kind: data-source, label: Documents}
  chunker: {kind: chunker}
  embed:   {kind: batch-scoring, label: Passage embedding}
  events:  {kind: event-stream, label: Click events}
  stream:  {kind: stream-processor, label: Click counters}
  online:  {kind: feature-store-online, label: Counter store}
  review:  {kind: data-source, label: Reviewer queue}
  labels:  {kind: label-store, label: Verdicts}
  users:   {kind: data-source, label: Users}
  scorer:  {kind: batch-scoring, label: Nightly scorer}
  preds:   {kind: prediction-store, label: Scores}
flows:
  - user -> api -> index: query
  - {from: dag, to: docs, kind: control}
  - docs -> chunker -> embed -> index
  - {from: api, to: events, kind: stream}
  - events -> stream -> online
  - {from: review, to: labels, kind: data}
  - users -> scorer -> preds
""",
        )
    )
    titles = [plain(p.title) for p in arch.pipelines]
    assert (
        "From Ingestion DAG: an indexing pipeline for Passage index, through the data, training and serving stages."
        in titles
    )
    assert "From API: a feature pipeline for Counter store, through the data and features stages." in titles
    assert "From Reviewer queue: a labelling pipeline for Verdicts, through the data stage." in titles
    assert "From Users: a scoring pipeline for Scores, through the data and serving stages." in titles
    assert not any("training pipeline" in t for t in titles)


def test_joining_an_earlier_pipeline_is_said_once(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Three sources
components:
  users:  {kind: data-source}
  orders: {kind: data-source}
  items:  {kind: data-source}
  etl:    {kind: batch-etl}
  lake:   {kind: data-lake}
flows: [users -> etl -> lake, orders -> etl, items -> etl]
""",
        )
    )
    assert [p.title.args[0] for p in arch.pipelines] == ["Users", "Orders", "Items"]
    assert [plain(p.joins) if p.joins else None for p in arch.pipelines] == [
        None,
        "It then feeds into the pipeline that starts at Users.",
        None,
    ]


LOOPS_WITHOUT_TRAINER = """
mlsd: 1
title: Retrieval only
components:
  user:     {kind: client}
  api:      {kind: app-service}
  index:    {kind: vector-index}
  llm:      {kind: llm}
  ratings:  {kind: label-store}
  evals:    {kind: llm-eval}
  registry: {kind: model-registry}
flows:
  - user -> api -> llm: question
  - api -> index: query
  - {from: user, to: ratings, kind: feedback, label: thumbs}
  - ratings -> evals -> registry
  - {from: registry, to: llm, kind: model}
"""


def test_no_selection_bias_warning_without_a_trained_model(tmp_path: Path) -> None:
    arch = build_architecture(write_spec(tmp_path, LOOPS_WITHOUT_TRAINER))
    assert arch.loops, "the ratings loop is still told"
    assert arch.loop_caution is None


def test_selection_bias_warning_names_the_trained_model_and_what_it_decides(tmp_path: Path) -> None:
    text = LOOPS_WITHOUT_TRAINER.replace("  evals:    {kind: llm-eval}", "  evals:    {kind: training-cluster}")
    arch = build_architecture(write_spec(tmp_path, text))
    assert arch.loop_caution is not None
    caution = plain(arch.loop_caution)
    assert caution.startswith("Through this loop, what LLM produced in production shapes the next model.")
    assert "It also decides what reaches Ratings," in caution


def test_paths_that_do_not_come_back_are_not_loops(tmp_path: Path) -> None:
    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: One way
components:
  viewer:   {kind: client}
  api:      {kind: app-service}
  detector: {kind: inference-server}
  public:   {kind: object-store, label: Published images}
  batch:    {kind: batch-scoring, label: Batch embedder}
  builder:  {kind: batch-etl, label: Index builder}
  index:    {kind: vector-index}
flows:
  - viewer -> api -> detector: image
  - api -> index: query
  - {from: detector, to: public, kind: data, label: blurred}
  - batch -> builder -> index
""",
        )
    )
    # Published results leave the system; an offline embedder feeding an index is a pipeline.
    assert arch.loops == () and arch.loop_caution is None
    assert [plain(p.title).split(":")[0] for p in arch.pipelines] == ["From Detector", "From Batch embedder"]


def test_an_abbreviated_id_without_label_is_named_after_its_kind(tmp_path: Path) -> None:
    from mlsd.explain.architecture import abbreviated, kind_name

    arch = build_architecture(
        write_spec(
            tmp_path,
            """
mlsd: 1
title: Short ids
components:
  app:         {kind: client}
  svc:         {kind: app-service}
  feat_online: {kind: feature-store-online}
  scorer:      {kind: inference-server}
  reg_a:       {kind: model-registry}
  reg_b:       {kind: model-registry}
  gate:        {kind: evaluation-gate}
flows:
  - app -> svc -> scorer: score
  - scorer -> feat_online: lookup
  - reg_a -> gate -> scorer
  - reg_b -> gate
""",
        )
    )
    names = {r.id: r.label for r in arch.roles()}
    assert names["feat_online"] == "Online feature store"
    assert names["svc"] == "App service"
    # Two registries would share the kind's name, so their ids stay; real words stay as written.
    assert (names["reg_a"], names["reg_b"]) == ("Reg a", "Reg b")
    assert (names["scorer"], names["gate"], names["app"]) == ("Scorer", "Gate", "App")
    assert "Scorer looks up features in Online feature store (lookup)" in [
        plain(h) for p in arch.request_paths for h in p.hops
    ]
    assert [kind_name(k) for k in ("feature-store-offline", "llm-eval", "ab-testing")] == [
        "Offline feature store",
        "LLM eval",
        "A/B testing",
    ]
    assert not any(abbreviated(w) for w in ("Labels", "Monitor", "Logging", "Gate", "Pipeline", "Events"))
    assert all(abbreviated(w) for w in ("Feat online", "Emb svc", "Pred store", "Orch"))


def test_framework_sections_name_their_stage_without_a_shared_opener() -> None:
    from mlsd.explain.context import build_context

    ctx = build_context(spec("fraud"))
    notes = [plain(n) for n in (*ctx.data.notes, *ctx.features.notes, *ctx.model.notes, *ctx.monitoring.notes)]
    assert not any(n.startswith("In the architecture") for n in notes)
    assert notes[0].startswith("Data comes from and moves through Payments (Apache Kafka)")
    assert "Metrics (Prometheus) watch the system in production." in notes


LOOP_ENTERED_TWICE = """
mlsd: 1
title: Loop entered from two live components
components:
  app:      {kind: client}
  server:   {kind: app-service}
  model:    {kind: inference-server}
  log:      {kind: event-stream}
  joiner:   {kind: stream-processor}
  labels:   {kind: label-store}
  trainer:  {kind: training-cluster}
  registry: {kind: model-registry}
  metrics:  {kind: monitoring}
flows:
  - app -> server -> model: score
  - app -> log: clicks
  - server -> log: impressions
  - log -> joiner
  - {from: joiner, to: labels, kind: feedback, label: click within 30 s}
  - labels -> trainer
  - {from: trainer, to: registry, kind: model}
  - {from: registry, to: model, kind: model}
  - {from: model, to: metrics, kind: telemetry}
"""


def test_found_paths_through_a_declared_loop_are_told_as_its_entries(tmp_path: Path) -> None:
    arch = build_architecture(write_spec(tmp_path, LOOP_ENTERED_TWICE))
    assert len(arch.loops) == 1, [plain(h) for lp in arch.loops for h in lp.hops]
    loop = arch.loops[0]
    assert loop.declared
    assert loop.entries is not None
    assert plain(loop.entries) == "App and Server also feed this loop, through Log into Joiner."
    assert arch.loop_caution is not None
    assert plain(arch.loop_caution).startswith("Through this loop, what Model produced")


def test_undescribed_components_are_placed_by_their_flows(tmp_path: Path) -> None:
    arch = build_architecture(write_spec(tmp_path, LOOP_ENTERED_TWICE))
    roles = {r.id: r for r in arch.roles()}
    wiring = {cid: plain(r.wiring) if r.wiring else None for cid, r in roles.items()}
    assert wiring["registry"] == ", receiving models from Trainer, passing models to Model,"
    assert wiring["model"] == ", called by Server, receiving models from Registry,"
    assert wiring["metrics"] == ", with telemetry from Model,"
    # Telemetry out of a component says nothing of its role.
    assert "Metrics" not in (wiring["model"] or "")
    assert wiring["app"] == ", calling Server, feeding Log,"


def test_a_hub_lists_three_neighbours_and_counts_the_rest(tmp_path: Path) -> None:
    text = "mlsd: 1\ntitle: Hub\ncomponents:\n  hub: {kind: monitoring}\n"
    text += "".join(f"  s{i}: {{kind: app-service}}\n" for i in range(5))
    text += "flows:\n" + "".join(f"  - {{from: s{i}, to: hub, kind: telemetry}}\n" for i in range(5))
    arch = build_architecture(write_spec(tmp_path, text))
    hub = next(r for r in arch.roles() if r.id == "hub")
    assert hub.wiring is not None
    assert plain(hub.wiring) == ", with telemetry from S0, S1, S2 and 2 more,"


def test_declared_feedback_into_one_label_store_is_one_loop(tmp_path: Path) -> None:
    text = LOOP_ENTERED_TWICE.replace(
        "  metrics:  {kind: monitoring}\n", "  metrics:  {kind: monitoring}\n  review:   {kind: human-review}\n"
    ).replace("  - labels -> trainer\n", "  - {from: labels, to: trainer, kind: data}\n")
    text += "  - {from: review, to: labels, kind: feedback, label: verdicts}\n"
    text += "  - {from: server, to: review, label: doubtful cases}\n"
    arch = build_architecture(write_spec(tmp_path, text))
    declared = [lp for lp in arch.loops if lp.declared]
    assert len(declared) == 1
    assert [plain(h) for h in declared[0].hops] == [
        "Joiner feeds outcomes back to Labels (click within 30 s)",
        "Review feeds outcomes back to Labels (verdicts)",
    ]


def test_chained_declared_feedback_is_told_in_flow_order(tmp_path: Path) -> None:
    text = """
mlsd: 1
title: Chained feedback
components:
  app:      {kind: client}
  model:    {kind: llm}
  ratings:  {kind: label-store}
  prefs:    {kind: label-store}
  trainer:  {kind: training-cluster}
flows:
  - app -> model: prompt
  - {from: prefs, to: trainer, kind: feedback, label: comparisons}
  - {from: ratings, to: prefs, kind: feedback, label: re-label}
  - {from: app, to: ratings, kind: feedback, label: thumbs}
  - {from: trainer, to: model, kind: model}
"""
    arch = build_architecture(write_spec(tmp_path, text))
    assert len(arch.loops) == 1
    assert [plain(h).split(" (")[0] for h in arch.loops[0].hops] == [
        "App feeds outcomes back to Ratings",
        "Ratings feed outcomes back to Prefs",
        "Prefs feed outcomes back to Trainer",
    ]
    assert plain(arch.loops[0].closure) == "From Trainer it goes straight back to Model, which closes the loop."
