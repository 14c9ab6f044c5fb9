"""The architecture as a graph: roles of component kinds and the paths rules ask about.

Every function takes the spec and computes from `spec.edges`; specs are small,
so nothing is cached. Traversals visit edges in spec order, which keeps every
answer (and every message built from it) deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mlsd.model import Edge, Spec

# Kinds that host a model answering requests online (the request path must reach one).
ONLINE_MODEL_KINDS: tuple[str, ...] = (
    "inference-server",
    "ranking-service",
    "candidate-generation",
    "reranker",
    "llm",
    "embedding-service",
)
# Kinds that run a model offline over many entities.
BATCH_MODEL_KINDS: tuple[str, ...] = ("batch-scoring",)
SERVING_MODEL_KINDS: tuple[str, ...] = ONLINE_MODEL_KINDS + BATCH_MODEL_KINDS
# Stores built for bulk scans, not for per-request lookups.
OFFLINE_STORE_KINDS: tuple[str, ...] = (
    "data-warehouse",
    "data-lake",
    "object-store",
    "feature-store-offline",
)
# Kinds that produce trained models.
TRAINER_KINDS: tuple[str, ...] = ("training-cluster", "hpo")
# Kinds that read training data (the trainer, or the pipeline that feeds it).
TRAINING_READER_KINDS: tuple[str, ...] = ("training-cluster", "hpo", "orchestrator")
# Monitoring-stage kinds that watch the system; human review takes cases, not metrics.
WATCH_KINDS: tuple[str, ...] = ("monitoring", "drift-detection", "logging")
# Kinds that compute or hold features: sharing one of them keeps training and serving consistent.
FEATURE_PIPELINE_KINDS: tuple[str, ...] = (
    "feature-pipeline",
    "stream-processor",
    "batch-etl",
    "feature-store-offline",
    "feature-store-online",
)
LABEL_KINDS: tuple[str, ...] = ("label-store", "labeling")
# Components that call others on the online path.
CALLER_STAGES: tuple[str, ...] = ("client", "serving")


def of_kinds(spec: Spec, kinds: Iterable[str]) -> tuple[str, ...]:
    """Component ids whose kind is one of `kinds`, in spec order."""
    wanted = set(kinds)
    return tuple(cid for cid, comp in spec.components.items() if comp.kind in wanted)


def of_stages(spec: Spec, stages: Iterable[str]) -> tuple[str, ...]:
    """Component ids whose kind belongs to one of `stages`, in spec order."""
    wanted = set(stages)
    return tuple(cid for cid in spec.components if spec.stage(cid) in wanted)


def kind(spec: Spec, cid: str) -> str:
    """The kind of a component."""
    return spec.components[cid].kind


def entry_points(spec: Spec) -> tuple[str, ...]:
    """Where online requests start: `client` components.

    A spec without a `client` starts at the client-stage components (gateway,
    load balancer, app service) that no request edge reaches, so a design
    drawn from the backend inward still has a request path.
    """
    clients = of_kinds(spec, ("client",))
    if clients:
        return clients
    called = {e.target for e in spec.edges if e.kind == "request"}
    front = of_stages(spec, ("client",))
    return tuple(c for c in front if c not in called) or front


def reach(spec: Spec, starts: Iterable[str], follow: Callable[[Edge], bool]) -> dict[str, Edge | None]:
    """Components reachable from `starts` along edges `follow` accepts.

    The value is the edge that first reached each component (None for the
    starts), so callers can name the edge a path arrived by.
    """
    reached: dict[str, Edge | None] = dict.fromkeys(starts)
    frontier = list(reached)
    while frontier:
        current = set(frontier)
        frontier = []
        for edge in spec.edges:
            if edge.source in current and edge.target not in reached and follow(edge):
                reached[edge.target] = edge
                frontier.append(edge.target)
    return reached


def reach_back(spec: Spec, starts: Iterable[str], follow: Callable[[Edge], bool]) -> tuple[str, ...]:
    """Components from which `starts` can be reached along edges `follow` accepts
    (the starts included), in spec order."""
    found = set(starts)
    frontier = set(found)
    while frontier:
        frontier = {e.source for e in spec.edges if e.target in frontier and e.source not in found and follow(e)}
        found |= frontier
    return tuple(c for c in spec.components if c in found)


def on_request_path(spec: Spec, edge: Edge) -> bool:
    """Whether an edge continues the online request path from its source.

    Requests continue from anything; a features edge continues only out of a
    caller (a client- or serving-stage component, or an embedding service),
    because there it is a lookup, while out of a pipeline it is a write.
    """
    if edge.kind == "request":
        return True
    if edge.kind == "features":
        return spec.stage(edge.source) in CALLER_STAGES or kind(spec, edge.source) == "embedding-service"
    return False


def request_path(spec: Spec) -> tuple[dict[str, Edge | None], tuple[Edge, ...]]:
    """The components and the edges of the online request path, from the entry points."""
    reached = reach(spec, entry_points(spec), lambda e: on_request_path(spec, e))
    edges = tuple(e for e in spec.edges if e.source in reached and on_request_path(spec, e))
    return reached, edges


def is_delivery(spec: Spec, edge: Edge) -> bool:
    """Whether an edge can carry a trained model towards serving.

    Model edges always can; a data edge only when it leaves a training-stage
    component directly (trainer -> server), since data edges elsewhere move
    records, not models.
    """
    return edge.kind == "model" or (edge.kind == "data" and spec.stage(edge.source) == "training")


def carries_records(edge: Edge) -> bool:
    """Edges along which data, events, features or labels move (not calls, models, metrics)."""
    return edge.kind in ("data", "stream", "features", "feedback")


def touched(spec: Spec) -> set[str]:
    """Components that at least one edge touches."""
    return {e.source for e in spec.edges} | {e.target for e in spec.edges}


def first_edge(spec: Spec, test: Callable[[Edge], bool]) -> Edge | None:
    """The first edge, in spec order, that `test` accepts."""
    return next((e for e in spec.edges if test(e)), None)


def online_serving(spec: Spec) -> bool:
    """Whether the design answers requests online.

    `serving.mode` decides when written (online, hybrid and streaming do);
    without it, the design is online when its request path reaches a model.
    """
    mode = spec.serving.mode
    if mode is not None:
        return mode in ("online", "hybrid", "streaming")
    reached, _ = request_path(spec)
    return any(kind(spec, c) in ONLINE_MODEL_KINDS for c in reached)


def path_to(reached: dict[str, Edge | None], node: str) -> tuple[str, ...]:
    """The components from a start to `node`, following the edges `reach` recorded."""
    path = [node]
    edge = reached.get(node)
    while edge is not None:
        path.append(edge.source)
        edge = reached.get(edge.source)
    return tuple(reversed(path))
