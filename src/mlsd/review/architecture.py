"""Rules about the drawn architecture: request paths, model delivery, monitoring, feedback."""

from __future__ import annotations

from mlsd.errors import Location
from mlsd.model import Edge, Spec
from mlsd.review import words
from mlsd.review.engine import Hit, Rule, quoted
from mlsd.topology import (
    CALLER_STAGES,
    batch_entry_points,
    batch_path,
    bypasses,
    carries_records,
    continues_request,
    entry_points,
    is_a,
    is_delivery,
    kind,
    of_kinds,
    of_stages,
    path_to,
    reach,
    reach_back,
    request_path,
    sits_between,
    sync_call,
    touched,
    watched_from_serving,
    with_trait,
)


def component_at(spec: Spec, cid: str) -> Location:
    """Where a component's id was written."""
    return spec.source.locate("components", cid, at_key=True)


def flow_at(spec: Spec, edge: Edge) -> Location:
    """Where the flow that wrote an edge was written."""
    return spec.source.locate("flows", edge.flow)


def _key_at(spec: Spec, key: str) -> Location:
    return spec.source.locate(key, at_key=True)


# ---------------------------------------------------------------- architecture


def _orphan_component(spec: Spec) -> list[Hit]:
    used = touched(spec)
    return [
        Hit(
            f"'{cid}' ({comp.kind}) has no flows: connect it to the design or remove it",
            component_at(spec, cid),
            (cid,),
        )
        for cid, comp in spec.components.items()
        if cid not in used
    ]


ORPHAN_COMPONENT = Rule(
    slug="orphan-component",
    severity="warning",
    sections=("architecture",),
    summary="A component that no flow touches.",
    rationale=(
        "A box with no arrows does nothing in the design: either a flow was forgotten, so the "
        "picture hides how it is used, or the component is left over from an earlier version. "
        "Either way the reader cannot tell what role it plays."
    ),
    fix="Add the flows that use the component, or delete it.",
    detect=_orphan_component,
)


def _unreachable_model(spec: Spec) -> list[Hit]:
    online = with_trait(spec, "online-model")
    batch = with_trait(spec, "batch-model")
    if not online and not batch:
        return [
            Hit(
                "no component serves a model: add an inference-server, llm, ranking-service or batch-scoring component",
                _key_at(spec, "components"),
            )
        ]
    entries = entry_points(spec)
    if spec.serving.mode == "batch" or not online:
        return _results_unread(spec, batch + online, entries)
    streaming = spec.serving.mode == "streaming"

    def follow(edge: Edge) -> bool:
        # A streaming design reaches its model through the event stream, not by a call.
        return continues_request(spec, edge) or (streaming and edge.kind in ("stream", "data"))

    reached = reach(spec, entries, follow)
    if any(m in reached for m in online):
        return []
    if streaming:
        # A stream processor may call the model on events from outside sources; then
        # its results, not a request, must reach the users.
        return _results_unread(spec, online + batch, entries)
    # A scheduler or a batch job may be what calls the models (a nightly LLM extraction):
    # then, as for batch designs, the request path must read what they produce.
    runs = batch_path(spec)
    if all(m in runs for m in online):
        return _results_unread(spec, online + batch, entries)
    missing = tuple(m for m in online if m not in runs)
    if entries:
        message = f"no request path from {quoted(entries)} reaches a model ({quoted(online)})"
        return [Hit(message, component_at(spec, online[0]), online)]
    starts = batch_entry_points(spec)
    if starts:
        message = f"neither a client nor a batch run from {quoted(starts)} reaches {quoted(missing)}"
    else:
        message = f"nothing calls {quoted(missing)}: the design has no client, entry point or batch job"
    return [Hit(message, component_at(spec, missing[0]), missing)]


def _results_unread(spec: Spec, models: tuple[str, ...], entries: tuple[str, ...]) -> list[Hit]:
    """Batch and streaming designs: the request path must read what the models produce.

    What a model produces flows on from the model itself and from whatever
    calls it (a stream processor or a batch job), through data, stream,
    feature and feedback flows.
    """
    if not entries:
        return []  # a purely offline design: nobody asks online
    reached, _ = request_path(spec)
    callers = tuple(e.source for e in spec.edges if e.target in models and e.kind == "request")
    # Results move on as records, or are pushed to the client side (an alert to a paging service).
    produced = reach(
        spec,
        models + callers,
        lambda e: carries_records(e) or (e.kind == "request" and spec.stage(e.target) == "client"),
    )
    # Reads of results are often drawn as plain data edges (app -> store or
    # store -> app), so any edge between the request path and the results counts.
    if any(c in reached for c in produced) or any(
        (e.source in reached and e.target in produced) or (e.source in produced and e.target in reached)
        for e in spec.edges
    ):
        return []
    return [
        Hit(
            f"no request path from {quoted(entries)} reads what {quoted(models)} produces",
            component_at(spec, models[0]),
            models,
        )
    ]


UNREACHABLE_MODEL = Rule(
    slug="unreachable-model",
    severity="error",
    sections=("architecture",),
    summary="Neither a client's request path nor a batch run reaches a serving model.",
    rationale=(
        "The point of the system is to put predictions in front of users. If no chain of "
        "request or feature-lookup flows leads from a client to an inference server, LLM, ranker "
        "or other serving model, the picture does not show how a prediction is made. For batch "
        "designs (`serving.mode: batch`, or only batch-scoring models) the request path must "
        "instead read what the batch models produce (a prediction store, a cache, a table); a "
        "batch design with no client at all is purely offline and passes. Streaming designs may "
        "reach the model through event-stream and data flows from a client, or, when the "
        "stream starts at outside sources, have the model's results (through the processor that "
        "calls it and the stores downstream) read by the request path. A scheduler, orchestrator "
        "or batch job is a legitimate start too: models that batch runs call need no client, "
        "but when a client is drawn, its request path must read what they produce."
    ),
    fix="Draw the online path: client -> gateway or app service -> model server, with flows of "
    "kind request; for batch, connect the store the batch job writes to the service that reads it.",
    detect=_unreachable_model,
)

# ---------------------------------------------------------------- serving


def _offline_store_on_request_path(spec: Spec) -> list[Hit]:
    reached, path_edges = request_path(spec)
    hits = []
    for edge in path_edges:
        if is_a(spec, edge.target, "offline-store"):
            hits.append(_offline_read(spec, edge, reader=edge.source, store=edge.target))
    for edge in spec.edges:
        # Reads drawn in the direction data moves: store -> caller.
        if (
            is_a(spec, edge.source, "offline-store")
            and edge.kind in ("request", "features")
            and edge.target in reached
            and spec.stage(edge.target) in CALLER_STAGES
            and not is_a(spec, edge.target, "batch-model")
        ):
            hits.append(_offline_read(spec, edge, reader=edge.target, store=edge.source))
    return hits


def _offline_read(spec: Spec, edge: Edge, reader: str, store: str) -> Hit:
    return Hit(
        f"'{reader}' reads '{store}' ({kind(spec, store)}) synchronously on the online request "
        "path; offline stores are built for scans, not millisecond lookups",
        flow_at(spec, edge),
        (reader, store),
    )


OFFLINE_STORE_ON_REQUEST_PATH = Rule(
    slug="offline-store-on-request-path",
    severity="error",
    sections=("serving",),
    summary="An online request waits on a warehouse, lake, object store or offline feature store.",
    rationale=(
        "Warehouses, data lakes, object stores and offline feature stores answer in seconds and "
        "are sized for large scans, not for thousands of point lookups a second. Reading one "
        "inside a request blows the latency budget and couples the product's uptime to analytics "
        "infrastructure. The request path here is every request or feature-lookup flow reachable "
        "from a client; bulk `data` flows are taken as asynchronous and do not count."
    ),
    fix="Materialise the values into a `feature-store-online`, `cache` or `prediction-store` and "
    "read that instead; keep the offline store for training sets.",
    detect=_offline_store_on_request_path,
)

# ---------------------------------------------------------------- testing (deployment)


def _no_model_registry(spec: Spec) -> list[Hit]:
    trainers = with_trait(spec, "trainer")
    models = with_trait(spec, "online-model", "batch-model")
    if not trainers or not models:
        return []
    registries = of_kinds(spec, ("model-registry",))
    if not registries:
        return [
            Hit(
                f"models trained by {quoted(trainers)} are served by {quoted(models)} with no "
                "model-registry in between",
                component_at(spec, trainers[0]),
                trainers + models,
            )
        ]
    # A hand-off that reaches a serving model without passing a registry bypasses it.
    reached = reach(spec, trainers, lambda e: is_delivery(spec, e) and e.source not in registries)
    hits = []
    for model in models:
        edge = reached.get(model)
        if model in reached and edge is not None:
            path = path_to(reached, model)
            hits.append(
                Hit(
                    f"'{path[0]}' hands a model to '{model}' without the registry ({' -> '.join(path)})",
                    flow_at(spec, edge),
                    path,
                )
            )
    return hits


NO_MODEL_REGISTRY = Rule(
    slug="no-model-registry",
    severity="error",
    sections=("testing",),
    summary="Trained models reach serving without a model registry.",
    rationale=(
        "A registry gives every model a version, its lineage (data, code, metrics) and an alias "
        "such as champion that serving follows, which is what makes promotion auditable and "
        "rollback a one-line change. Copying artefacts straight from a trainer to a server loses "
        "all of that. The rule applies when the design has a trainer (training-cluster or hpo) "
        "and a serving model; a design that trains nothing (hosted or pretrained models only) "
        "passes, because there is nothing of its own to version."
    ),
    fix="Add a `model-registry` component and route every model hand-off through it: "
    "trainer -> registry -> (gate ->) server.",
    detect=_no_model_registry,
)


def _no_deployment_path(spec: Spec) -> list[Hit]:
    trainers = with_trait(spec, "trainer")
    models = with_trait(spec, "online-model", "batch-model")
    if not trainers or not models:
        return []
    reached = reach(spec, trainers, lambda e: is_delivery(spec, e))
    if any(m in reached for m in models):
        return []
    return [
        Hit(
            f"no model flow leads from {quoted(trainers)} to {quoted(models)}: the picture does not "
            "show how a trained model gets deployed",
            component_at(spec, trainers[0]),
            trainers + models,
        )
    ]


NO_DEPLOYMENT_PATH = Rule(
    slug="no-deployment-path",
    severity="warning",
    sections=("testing",),
    summary="The design trains models but never shows them reaching serving.",
    rationale=(
        "Training and serving are two halves of one loop. When no model flow connects them, the "
        "design leaves out promotion, the gate and the rollout, which are exactly where many "
        "production incidents start."
    ),
    fix="Draw the hand-off: trainer -> model-registry -> serving model, with flows of kind model.",
    detect=_no_deployment_path,
)


def _no_evaluation_gate(spec: Spec) -> list[Hit]:
    registries = of_kinds(spec, ("model-registry",))
    if not registries or not with_trait(spec, "online-model", "batch-model"):
        return []
    gates = with_trait(spec, "gate")
    models = with_trait(spec, "online-model", "batch-model")
    if not gates:
        if spec.testing.offline_gate:
            return []
        return [
            Hit(
                f"{quoted(registries)} deploys models with no evaluation-gate component and no testing.offline_gate",
                component_at(spec, registries[0]),
                registries,
            )
        ]
    # A drawn gate counts only where every model on its way to serving passes it, from
    # wherever models start: a trainer, or the first component of a chain of model flows.
    delivering = [e for e in spec.edges if is_delivery(spec, e)]
    fed = {e.target for e in delivering}
    roots = tuple(
        dict.fromkeys(with_trait(spec, "trainer") + tuple(e.source for e in delivering if e.source not in fed))
    )
    # A registry the gate promotes into (trainer -> registry -> gate -> registry -> server)
    # serves only what the gate approved.
    promoted = tuple(e.target for e in delivering if e.source in gates and e.target in registries)
    way = bypasses(spec, roots, gates + promoted, models)
    if way:
        edge = next(e for e in spec.edges if e.source == way[-2] and e.target == way[-1])
        return [
            Hit(
                f"models reach '{way[-1]}' without passing {quoted(gates)}: {' -> '.join(way)} bypasses the gate",
                flow_at(spec, edge),
                way,
            )
        ]
    if any(sits_between(spec, g, roots + registries, models) for g in gates) or spec.testing.offline_gate:
        return []
    return [
        Hit(
            f"{quoted(gates)} is drawn, but no model flow runs from the registry or training through it to "
            f"{quoted(models)}",
            component_at(spec, gates[0]),
            gates,
        )
    ]


NO_EVALUATION_GATE = Rule(
    slug="no-evaluation-gate",
    severity="warning",
    sections=("testing",),
    summary="Models go from the registry to serving without an evaluation gate.",
    rationale=(
        "Automated retraining will sooner or later produce a worse model: a broken data "
        "partition, a label bug, a slice that regressed. A gate that compares the candidate with "
        "the current champion, overall and per slice, stops it before users see it. For LLM "
        "applications an `llm-eval` component counts as the gate. A drawn gate counts only "
        "where it sits between the registry (or training) and serving: a model flow from the "
        "registry straight to a server bypasses it, and the finding names that hop."
    ),
    fix="Add an `evaluation-gate` component between the registry and serving, or describe the "
    "promotion criteria in `testing.offline_gate`.",
    detect=_no_evaluation_gate,
)

# ---------------------------------------------------------------- features


def _training_serving_skew(spec: Spec) -> list[Hit]:
    readers = with_trait(spec, "training-reader")
    models = with_trait(spec, "online-model", "batch-model")
    if not readers or not models:
        return []
    feeds = [e for e in spec.edges if _feature_read(spec, e, models)]
    if not feeds:
        return []  # serving gets everything from the request itself: nothing to compare
    sources = [e.target if e.source in models else e.source for e in feeds]

    def follow(edge: Edge) -> bool:
        # Lineage runs through pipelines and stores, never back through a model or training.
        return (
            edge.kind in ("data", "stream", "features")  # labels (feedback) are not features
            and edge.source not in models
            and spec.stage(edge.source) != "training"
        )

    serving_side = reach_back(spec, sources, follow)
    serving_pipes = tuple(c for c in serving_side if is_a(spec, c, "feature-path"))
    training_side = tuple(c for c in reach_back(spec, readers, follow) if c not in readers)
    if not serving_pipes or not training_side or set(serving_pipes) & set(training_side):
        return []
    feeders = tuple(dict.fromkeys(e.source if e.source in models else e.target for e in feeds))
    # Name the training side's own pipelines, or else what the trainer reads directly.
    training_pipes = tuple(c for c in training_side if is_a(spec, c, "feature-path"))
    direct = tuple(dict.fromkeys(e.source for e in spec.edges if e.target in readers and follow(e)))
    return [
        Hit(
            f"serving gets features through {quoted(serving_pipes)} but training through "
            f"{quoted(training_pipes or direct)}; no feature pipeline or store is shared, so the "
            "same feature can be computed two different ways",
            flow_at(spec, feeds[0]),
            feeders + serving_pipes,
        )
    ]


def _feature_read(spec: Spec, edge: Edge, models: tuple[str, ...]) -> bool:
    """A serving model reading features or inputs from a data- or features-stage component."""

    def is_store(cid: str) -> bool:
        return spec.stage(cid) in ("data", "features") and kind(spec, cid) != "embedding-service"

    if edge.source in models:
        return edge.kind in ("features", "request") and is_store(edge.target)
    if edge.target in models:
        return edge.kind in ("features", "data", "stream") and is_store(edge.source)
    return False


TRAINING_SERVING_SKEW = Rule(
    slug="training-serving-skew",
    severity="warning",
    sections=("features",),
    summary="Training and serving get their features from pipelines that share nothing.",
    rationale=(
        "When the features a model is trained on and the features it sees in production are "
        "computed by separate code paths, they drift apart: a different window, a different "
        "default for missing values, a join that leaks the future. The model then scores inputs "
        "unlike anything it learnt from, and nothing fails loudly. A shared feature pipeline, or "
        "an offline and an online store filled by the same pipeline, removes the gap. The rule "
        "compares the feature pipelines and stores upstream of the serving models' feature reads "
        "with everything upstream of the trainer."
    ),
    fix="Feed both sides from one `feature-pipeline` (or stream processor) that writes to both "
    "the `feature-store-offline` and the `feature-store-online`, or log served features and "
    "train on the logs.",
    detect=_training_serving_skew,
)

# ---------------------------------------------------------------- monitoring


def _no_monitoring(spec: Spec) -> list[Hit]:
    if with_trait(spec, "watcher"):
        return []
    return [
        Hit(
            "no monitoring, drift-detection or logging component: nobody would notice the system degrading",
            _key_at(spec, "components"),
        )
    ]


NO_MONITORING = Rule(
    slug="no-monitoring",
    severity="error",
    sections=("monitoring",),
    summary="Nothing watches the running system.",
    rationale=(
        "Production ML systems fail in two ways: the service breaks (latency, errors) or the "
        "model quietly gets worse as data drifts. Neither is visible without a monitoring, "
        "drift-detection or logging component, and a design without one has no way to know it "
        "needs fixing. A human-review queue is in the monitoring stage but takes cases, not "
        "metrics, so it does not count."
    ),
    fix="Add a `monitoring` component (service metrics and alerts) and a `drift-detection` "
    "component, with telemetry flows from the serving path.",
    detect=_no_monitoring,
)


def _serving_not_monitored(spec: Spec) -> list[Hit]:
    watchers = with_trait(spec, "watcher")
    models = with_trait(spec, "online-model", "batch-model")
    if not watchers or not models:
        return []
    sent = watched_from_serving(spec)
    if any(w in sent for w in watchers):
        return []
    return [
        Hit(
            f"{quoted(watchers)} receives nothing from {quoted(models)} or the request path: the "
            "models in production are not watched",
            component_at(spec, models[0]),
            models + watchers,
        )
    ]


SERVING_NOT_MONITORED = Rule(
    slug="serving-not-monitored",
    severity="warning",
    sections=("monitoring",),
    summary="Monitoring exists, but no telemetry reaches it from the serving models.",
    rationale=(
        "A dashboard that only sees the training pipeline cannot tell that latency doubled or "
        "that the score distribution collapsed. The models in production, or the services on "
        "the request path, must send their metrics and predictions to monitoring, directly or "
        "through a log or event stream."
    ),
    fix="Add telemetry flows from the serving models (or the app service that calls them) to "
    "the monitoring, logging or drift-detection components.",
    detect=_serving_not_monitored,
)


def _no_feedback_loop(spec: Spec) -> list[Hit]:
    starts = of_stages(spec, CALLER_STAGES)
    if not starts:
        return []
    goals = set(of_stages(spec, ("training",))) | set(with_trait(spec, "labels"))

    def follow(edge: Edge) -> bool:
        if edge.kind in ("model", "control"):
            return False
        if edge.kind == "features":  # a lookup from the request path carries no outcome
            return spec.stage(edge.source) not in CALLER_STAGES
        if edge.kind == "request":  # calls stay on the online side (incl. review queues)
            return spec.stage(edge.target) in ("client", "serving", "monitoring")
        return True

    reached = reach(spec, starts, follow)
    if goals & set(reached):
        return []
    where = _key_at(spec, "flows") if spec.flows else _key_at(spec, "components")
    missing = "" if goals else "; the design has no label store and no training component"
    return [
        Hit(
            "nothing carries outcomes from users or serving back to labels or training, so the "
            f"model cannot learn from its own results{missing}",
            where,
        )
    ]


NO_FEEDBACK_LOOP = Rule(
    slug="no-feedback-loop",
    severity="warning",
    sections=("monitoring",),
    summary="Nothing carries outcomes or labels from serving back to data or training.",
    rationale=(
        "Most production labels are outcomes of the model's own decisions: clicks on what was "
        "ranked, chargebacks on what was approved, reviewer verdicts on what was flagged. "
        "Without a path from the client or serving side (events, logs, review queues) into a "
        "label store or the training pipeline, the model cannot be retrained on fresh data and "
        "its quality cannot be measured in production."
    ),
    fix="Draw the loop: client or app service -> event stream or logging -> label store or "
    "labelling -> training data, with flows of kind stream, data or feedback.",
    detect=_no_feedback_loop,
)

# ---------------------------------------------------------------- wiring: data


def _label_store_unused(spec: Spec) -> list[Hit]:
    hits = []
    for store in with_trait(spec, "labels"):
        if not is_a(spec, store, "store"):
            continue
        reached = reach(spec, (store,), carries_records)
        if any(spec.stage(c) == "training" for c in reached if c != store):
            continue
        readers = tuple(c for c in reached if c != store)
        onward = f" (its flows end at {quoted(readers)})" if readers else ""
        hits.append(
            Hit(
                f"'{store}' ({kind(spec, store)}) collects labels, but no flow takes them on to training or "
                f"evaluation{onward}: the outcomes are kept and never learnt from",
                component_at(spec, store),
                (store,),
            )
        )
    return hits


LABEL_STORE_UNUSED = Rule(
    slug="label-store-unused",
    severity="warning",
    sections=("data",),
    summary="A label store that no flow connects to training or evaluation.",
    rationale=(
        "Collecting outcomes (chargebacks, reviewer verdicts, clicks joined to impressions) is "
        "only half of a feedback loop; the labels must reach the training pipeline or the "
        "evaluation that gates a new model. A label store with no way on to a training-stage "
        "component (trainer, orchestrator, evaluation gate, LLM eval) means the model never "
        "learns from the outcomes the design took care to collect."
    ),
    fix="Draw the flow from the `label-store` to the trainer (or to the offline store the "
    "trainer reads) and to the evaluation gate.",
    detect=_label_store_unused,
)

# ---------------------------------------------------------------- wiring: serving

# A ranker that scores every item of a catalogue this large per request cannot meet a latency target.
LARGE_CATALOGUE = 100_000


def catalogue_size(spec: Spec) -> tuple[str, float] | None:
    """(scale key, size) of the largest catalogue `requirements.scale` counts, if any."""
    sizes = [
        (key, float(value))
        for key, value in spec.requirements.scale.items()
        if isinstance(value, (int, float))
        and not isinstance(value, bool)
        and "per_" not in key
        and (words.cue("catalogue", key.replace("_", " ")) or not words.cue("not_catalogue", key.replace("_", " ")))
    ]
    return max(sizes, key=lambda pair: pair[1]) if sizes else None


def _no_candidate_generation(spec: Spec) -> list[Hit]:
    reached, _ = request_path(spec)
    rankers = tuple(c for c in reached if is_a(spec, c, "ranker"))
    if not rankers or with_trait(spec, "retrieval"):
        return []
    # Candidates precomputed by a batch job and read on the request path are a candidate stage too.
    precomputed = reach(spec, with_trait(spec, "batch-model"), carries_records)
    if any(c in reached for c in precomputed) or any(words.cue("retrieval", step) for step in spec.serving.steps):
        return []
    size = catalogue_size(spec)
    if size is None or size[1] < LARGE_CATALOGUE:
        return []
    key, count = size
    return [
        Hit(
            f"'{rankers[0]}' ranks a catalogue of {count:,.0f} items (requirements.scale.{key}) with no "
            "candidate generation before it: no retrieval step narrows the catalogue to a few hundred "
            "candidates per request",
            component_at(spec, rankers[0]),
            rankers,
        )
    ]


NO_CANDIDATE_GENERATION = Rule(
    slug="no-candidate-generation",
    severity="warning",
    sections=("serving",),
    summary="A ranker on the request path faces a large catalogue with no candidate generation.",
    rationale=(
        "A heavy ranking model costs a millisecond or more per item, so it can score hundreds of "
        "candidates per request, not millions. Large-catalogue recommendation and search are "
        "funnels: a cheap retrieval stage (two-tower embeddings in a vector index, an inverted "
        "index, co-visitation lists) narrows the catalogue first. The rule applies when a "
        "ranking-service or reranker is on the request path, `requirements.scale` counts more "
        f"than {LARGE_CATALOGUE:,} items, no candidate-generation, vector-index or search-index "
        "component is drawn, no batch job's precomputed candidates reach the request path and "
        "`serving.steps` describes no retrieval step."
    ),
    fix="Add a `candidate-generation` component (or a `vector-index` / `search-index`) on the "
    "request path before the ranker, and say how many candidates it passes on.",
    detect=_no_candidate_generation,
)


def _sync_call_without_fallback(spec: Spec) -> list[Hit]:
    if spec.serving.fallback or spec.serving.mode == "batch":
        return []
    path = sync_call(spec)
    if len(path) < 2:
        return []
    edge = next(e for e in spec.edges if e.source == path[-2] and e.target == path[-1] and continues_request(spec, e))
    return [
        Hit(
            f"{' -> '.join(path)}: '{path[-2]}' waits on '{path[-1]}' inside the request and serving.fallback "
            "is empty, so when the model server is down the product is down",
            flow_at(spec, edge),
            path,
        )
    ]


SYNC_CALL_WITHOUT_FALLBACK = Rule(
    slug="sync-call-without-fallback",
    severity="warning",
    sections=("serving",),
    summary="A client waits on a model server inside the request, with no stated fallback.",
    rationale=(
        "When a request path calls a model synchronously, the model server's outages, "
        "timeouts and bad deployments become the product's. A defined degraded answer (a "
        "cached or popular result, a rules-only decision, failing open or closed) is what keeps "
        "an ML incident from being an outage. The finding names the request path that waits."
    ),
    fix="Describe the degraded path in `serving.fallback`: what answers (a cached result, a "
    "popularity list, rules), after which timeout, failing open or closed.",
    detect=_sync_call_without_fallback,
)


def _batch_serving_for_live_decision(spec: Spec) -> list[Hit]:
    mode = spec.serving.mode
    batch_models = with_trait(spec, "batch-model")
    reached, _ = request_path(spec)
    online_on_path = any(is_a(spec, c, "online-model") for c in reached)
    if not (mode == "batch" or (mode is None and batch_models and not online_on_path)):
        return []
    live = [f.name for f in spec.features if f.freshness == "request"]
    said = words.first_cue(
        "per_request",
        (
            ("requirements.latency", spec.requirements.latency),
            ("serving.latency_budget", spec.serving.latency_budget),
            ("framing.input", spec.framing.input),
            ("framing.ml_objective", spec.framing.ml_objective),
        ),
    )
    if not live and said is None:
        return []
    if said is not None:
        why = f"{said[0]} asks for '{said[1]}'"
    else:
        why = f"the feature '{live[0]}' exists only at request time"
    where = at_serving_mode(spec)
    return [
        Hit(
            f"predictions are computed in batch, but {why}: a score computed before the request cannot "
            "reflect it; score online (or hybrid: batch features plus an online model)",
            where,
            batch_models,
        )
    ]


def at_serving_mode(spec: Spec) -> Location:
    """Where `serving.mode` was written (or the deepest written ancestor)."""
    return spec.source.locate("serving", "mode", at_key=True)


BATCH_SERVING_FOR_LIVE_DECISION = Rule(
    slug="batch-serving-for-live-decision",
    severity="warning",
    sections=("serving",),
    summary="Predictions are precomputed in batch for a decision that depends on the live request.",
    rationale=(
        "A nightly score per user or account cannot see what the request itself carries: the "
        "amount and device of this payment, the query, the slot, the current session. When the "
        "decision must reflect the request (a feature with `freshness: request`, or a "
        "requirement that names the current request) the model has to run at request time; "
        "batch scores can still feed it as features. The rule applies when `serving.mode` is "
        "batch, or when only batch models serve and no request path reaches an online model."
    ),
    fix="Serve the model online (or hybrid: batch-computed features plus online scoring), or "
    "drop the request-time features and say why a precomputed score is enough.",
    detect=_batch_serving_for_live_decision,
)
