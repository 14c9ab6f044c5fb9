"""The architecture as a graph: the questions every reader of a design asks of it.

Where does a request enter and which components answer it (the online request
path)? Which offline pipelines feed training and serving? Which ways lead from
the live system back into what trains the model (feedback loops)? What feeds
training, what serves? The explanation, the review and the exports all ask
here, so they cannot give different answers.

Every function computes from `spec.edges`; specs are small, so nothing is
cached. Traversals visit edges in spec order, which keeps every answer (and
every sentence built from it) deterministic. Kinds are asked for by trait
(`mlsd.catalogue.TRAITS`), never by a list of names.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mlsd.catalogue import STAGES, has_trait
from mlsd.model import Edge, Spec
from mlsd.vocabulary import ONLINE_MODES

# Components that call others on the online path.
CALLER_STAGES: tuple[str, ...] = ("client", "serving")
# Flow kinds of the offline pipelines: bulk data, events, features, models, schedules.
PIPELINE_FLOW_KINDS: tuple[str, ...] = ("data", "stream", "features", "model", "control")
# A feedback loop leaves the live side of the system and comes back into what trains the model.
LOOP_FROM: tuple[str, ...] = ("client", "serving", "monitoring")
LOOP_INTO: tuple[str, ...] = ("data", "features", "training")


# ------------------------------------------------------------------ components


def kind(spec: Spec, cid: str) -> str:
    """The kind of a component."""
    return spec.components[cid].kind


def of_kinds(spec: Spec, kinds: Iterable[str]) -> tuple[str, ...]:
    """Component ids whose kind is one of `kinds`, in spec order."""
    wanted = set(kinds)
    return tuple(cid for cid, comp in spec.components.items() if comp.kind in wanted)


def of_stages(spec: Spec, stages: Iterable[str]) -> tuple[str, ...]:
    """Component ids whose kind belongs to one of `stages`, in spec order."""
    wanted = set(stages)
    return tuple(cid for cid in spec.components if spec.stage(cid) in wanted)


def with_trait(spec: Spec, *traits: str) -> tuple[str, ...]:
    """Component ids whose kind has any of `traits` (see `mlsd.catalogue.TRAITS`), in spec order."""
    return tuple(cid for cid, comp in spec.components.items() if any(has_trait(comp.kind, t) for t in traits))


def is_a(spec: Spec, cid: str, trait: str) -> bool:
    """Whether the kind of component `cid` has `trait`."""
    return has_trait(spec.components[cid].kind, trait)


def by_stage(spec: Spec) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(stage, its component ids in spec order) for every stage, in stage order."""
    return tuple((stage, of_stages(spec, (stage,))) for stage in STAGES)


# ------------------------------------------------------------------ edges


def outgoing(spec: Spec) -> dict[str, list[int]]:
    """Component id -> the indices of the edges leaving it, in spec order."""
    out: dict[str, list[int]] = {cid: [] for cid in spec.components}
    for index, edge in enumerate(spec.edges):
        out[edge.source].append(index)
    return out


def touched(spec: Spec) -> set[str]:
    """Components that at least one edge touches."""
    return {e.source for e in spec.edges} | {e.target for e in spec.edges}


def first_edge(spec: Spec, test: Callable[[Edge], bool]) -> Edge | None:
    """The first edge, in spec order, that `test` accepts."""
    return next((e for e in spec.edges if test(e)), None)


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


# ------------------------------------------------------------------ traversals


def reach(spec: Spec, starts: Iterable[str], follow: Callable[[Edge], bool]) -> dict[str, Edge | None]:
    """Components reachable from `starts` along edges `follow` accepts, breadth first.

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


def path_to(reached: dict[str, Edge | None], node: str) -> tuple[str, ...]:
    """The components from a start to `node`, following the edges `reach` recorded."""
    path = [node]
    edge = reached.get(node)
    while edge is not None:
        path.append(edge.source)
        edge = reached.get(edge.source)
    return tuple(reversed(path))


def walk(spec: Spec, start: str, keep: Callable[[int], bool], out: dict[str, list[int]] | None = None) -> list[int]:
    """Indices of the edges `keep` accepts, depth first from `start`, each component expanded once."""
    out = outgoing(spec) if out is None else out
    edges = spec.edges
    seen = {start}
    stack = [iter(out[start])]
    order: list[int] = []
    while stack:
        index = next(stack[-1], None)
        if index is None:
            stack.pop()
            continue
        if not keep(index):
            continue
        order.append(index)
        target = edges[index].target
        if target not in seen:
            seen.add(target)
            stack.append(iter(out[target]))
    return order


# ------------------------------------------------------------------ the online request path


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
    # When every front component is called by another (a cycle), all of them are entries.
    return tuple(c for c in front if c not in called) or front


def continues_request(spec: Spec, edge: Edge) -> bool:
    """Whether an edge, once the request path has reached its source, carries the request on.

    - a request edge always does;
    - a features edge does out of a caller (a client- or serving-stage
      component, or a kind that hosts a model online), where it is a lookup;
      out of a pipeline it is a write;
    - a data or stream edge does into a serving-stage component, and out of
      a caller into a feature computation (a feature-path component that is
      not a store) that hands its result straight to an online model: an app
      service that calls a feature pipeline, which hands the features to the
      model, is still answering the request.
    Models, schedules, telemetry and feedback never do.
    """
    if edge.kind == "request":
        return True
    if edge.kind == "features":
        return spec.stage(edge.source) in CALLER_STAGES or is_a(spec, edge.source, "online-model")
    if edge.kind not in ("data", "stream"):
        return False
    return spec.stage(edge.target) == "serving" or (
        spec.stage(edge.source) in CALLER_STAGES and computes_for_model(spec, edge.target)
    )


def computes_for_model(spec: Spec, cid: str) -> bool:
    """Whether `cid` computes features (not a store) and hands them straight to an online model."""
    if not is_a(spec, cid, "feature-path") or is_a(spec, cid, "store"):
        return False
    return any(e.source == cid and is_a(spec, e.target, "online-model") for e in spec.edges)


def request_walks(spec: Spec) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(entry point, the request path's edge indices from it, depth first) for every entry point."""
    out = outgoing(spec)
    edges = spec.edges
    return tuple(
        (start, tuple(walk(spec, start, lambda i: continues_request(spec, edges[i]), out)))
        for start in entry_points(spec)
    )


def request_path(spec: Spec) -> tuple[dict[str, Edge | None], tuple[Edge, ...]]:
    """The components (with the edge that reached each) and the edges of the online request path."""
    reached = reach(spec, entry_points(spec), lambda e: continues_request(spec, e))
    edges = tuple(e for e in spec.edges if e.source in reached and continues_request(spec, e))
    return reached, edges


def request_edge_indices(spec: Spec) -> tuple[int, ...]:
    """Indices of the edges on any entry point's request path, in the order the walks visit them."""
    return tuple(dict.fromkeys(i for _, order in request_walks(spec) for i in order))


def online_serving(spec: Spec) -> bool:
    """Whether the design answers requests online.

    `serving.mode` decides when written (online, hybrid and streaming do);
    without it, the design is online when its request path reaches a model.
    """
    mode = spec.serving.mode
    if mode is not None:
        return mode in ONLINE_MODES
    reached, _ = request_path(spec)
    return any(is_a(spec, c, "online-model") for c in reached)


def sync_call(spec: Spec) -> tuple[str, ...]:
    """The request path from an entry point to the first online model it reaches (empty when none does)."""
    reached, _ = request_path(spec)
    for cid in reached:
        if is_a(spec, cid, "online-model"):
            return path_to(reached, cid)
    return ()


# ------------------------------------------------------------------ batch runs


def batch_entry_points(spec: Spec) -> tuple[str, ...]:
    """Where offline runs start: schedulers and batch jobs (kinds with the batch-start trait)."""
    return with_trait(spec, "batch-start")


def runs_batch(spec: Spec, edge: Edge) -> bool:
    """Whether a batch run, once it has reached an edge's source, carries on along it.

    Schedules, calls and bulk data do; trained models and what leaves a
    trainer do not (that is deployment, not a run), nor telemetry or labels.
    """
    return edge.kind in ("control", "request", "data", "stream") and not (
        is_delivery(spec, edge) or is_a(spec, edge.source, "trainer")
    )


def batch_path(spec: Spec) -> dict[str, Edge | None]:
    """The components offline runs reach from the batch entry points, with the edge that reached each."""
    return reach(spec, batch_entry_points(spec), lambda e: runs_batch(spec, e))


# ------------------------------------------------------------------ models on their way to serving


def bypasses(spec: Spec, starts: Iterable[str], avoid: Iterable[str], ends: Iterable[str]) -> tuple[str, ...]:
    """A way a model travels from `starts` to one of `ends` without passing `avoid` (empty if none).

    Models travel along delivery edges (`is_delivery`); the way is returned as
    the components from a start to the end reached.
    """
    skip = set(avoid)
    reached = reach(spec, starts, lambda e: is_delivery(spec, e) and e.target not in skip and e.source not in skip)
    for end in ends:
        if end in reached and reached[end] is not None:
            return path_to(reached, end)
    return ()


def sits_between(spec: Spec, cid: str, starts: Iterable[str], ends: Iterable[str]) -> bool:
    """Whether delivery edges lead from one of `starts` to `cid` and from `cid` on to one of `ends`."""

    def follow(edge: Edge) -> bool:
        return is_delivery(spec, edge) or edge.kind == "control"  # a gate may trigger the deploy

    before = reach(spec, starts, follow)
    after = reach(spec, (cid,), follow)
    return cid in before and any(end in after and end != cid for end in ends)


# ------------------------------------------------------------------ what watches serving


def serving_subjects(spec: Spec) -> tuple[str, ...]:
    """What serving shows the world: the models (online and batch) and the request path's components."""
    models = with_trait(spec, "online-model", "batch-model")
    reached, _ = request_path(spec)
    return tuple(dict.fromkeys(models + tuple(reached)))


def watched_from_serving(spec: Spec) -> dict[str, Edge | None]:
    """The components that telemetry, stream, data or feedback edges reach from serving.

    The way may pass logs, event streams, stream processors and label stores
    (outcomes joined to what was served), but not training, an offline store
    or a batch job: what comes out of those is a training set, not what
    serving saw.
    """
    subjects = serving_subjects(spec)

    def follow(edge: Edge) -> bool:
        if edge.kind not in ("telemetry", "stream", "data", "feedback") or spec.stage(edge.source) == "training":
            return False
        return edge.source in subjects or not (
            is_a(spec, edge.source, "offline-store") or is_a(spec, edge.source, "batch-start")
        )

    return reach(spec, subjects, follow)


def routes_to_model(spec: Spec, cid: str) -> bool:
    """Whether `cid` sits where it can split traffic between models.

    It does when a request path from it reaches a model; when a service (not
    the client itself) that calls a model asks it or is called by it, as an
    assignment service is; or when model flows from the registry or training
    reach it.
    """
    models = with_trait(spec, "online-model", "batch-model")

    def calls_model(start: str) -> bool:
        onward = reach(spec, (start,), lambda e: continues_request(spec, e))
        return any(m in onward and m != start for m in models)

    if calls_model(cid):
        return True
    partners = {
        e.target if e.source == cid else e.source
        for e in spec.edges
        if e.kind == "request" and cid in (e.source, e.target)
    }
    if any(not is_a(spec, p, "person") and calls_model(p) for p in partners - {cid}):
        return True
    delivered = reach(
        spec, of_kinds(spec, ("model-registry",)) + with_trait(spec, "trainer", "gate"), lambda e: is_delivery(spec, e)
    )
    return cid in delivered


# ------------------------------------------------------------------ offline pipelines


@dataclass(frozen=True)
class Pipeline:
    """One offline chain: where it starts, its edges in order, and the earlier pipeline it flows into."""

    start: str
    edges: tuple[int, ...]
    joins: str | None  # start of an earlier pipeline this one reaches


def pipeline_edges(spec: Spec, on_path: Iterable[int]) -> tuple[int, ...]:
    """Indices of the edges that belong to offline pipelines: pipeline flow kinds off the request path."""
    skip = set(on_path)
    return tuple(i for i, e in enumerate(spec.edges) if e.kind in PIPELINE_FLOW_KINDS and i not in skip)


def pipelines(spec: Spec, on_path: Iterable[int]) -> tuple[Pipeline, ...]:
    """The offline chains off the request path, one per component they start from, in spec order."""
    edges = spec.edges
    out = outgoing(spec)
    members = set(pipeline_edges(spec, on_path))
    fed = {edges[i].target for i in members}
    sources = [c for c in spec.components if c not in fed and any(i in members for i in out[c])]
    owner: dict[str, str] = {}  # component id -> start of the first pipeline that reached it
    taken: set[int] = set()
    result: list[Pipeline] = []
    pending = sorted(members)
    while pending:
        start = sources.pop(0) if sources else edges[pending[0]].source
        order = walk(spec, start, lambda i: i in members and i not in taken, out)
        if not order:
            continue
        taken.update(order)
        pending = [i for i in pending if i not in taken]
        nodes = list(dict.fromkeys([start] + [edges[i].target for i in order]))
        joined = [owner[n] for n in nodes if n in owner and owner[n] != start]
        for node in nodes:
            owner.setdefault(node, start)
        result.append(Pipeline(start, tuple(order), joined[0] if joined else None))
    return tuple(result)


# ------------------------------------------------------------------ feedback loops


@dataclass(frozen=True)
class Closure:
    """How what enters a loop's end gets back to serving: the shortest offline way there."""

    start: str
    server: str | None  # the serving component reached again; None when the loop stays open
    between: tuple[str, ...]  # the components passed on the way


@dataclass(frozen=True)
class Loop:
    """A way from the live system back into data, features or training."""

    declared: bool  # made of `feedback` edges, rather than found by searching the graph
    edges: tuple[int, ...]
    closure: Closure


def feedback_loops(spec: Spec, on_path: Iterable[int]) -> tuple[Loop, ...]:
    """Declared feedback edges (consecutive ones make one loop), then paths found from the
    live side (client, serving, monitoring) back into data, features or training."""
    edges = spec.edges
    out = outgoing(spec)
    on = set(on_path)
    loops: list[Loop] = []
    entries: set[int] = set()
    chains: list[list[int]] = []
    chain_ending_at: dict[str, int] = {}
    for index, edge in enumerate(edges):
        if edge.kind != "feedback":
            continue
        entries.add(index)
        number = chain_ending_at.pop(edge.source, None)
        if number is None:
            number = len(chains)
            chains.append([])
        chains[number].append(index)
        chain_ending_at[edge.target] = number
    for chain in chains:
        loops.append(Loop(True, tuple(chain), closure(spec, edges[chain[-1]].target, on, out)))

    def searchable(i: int) -> bool:
        return i not in on and edges[i].kind not in ("request", "features")

    for source in spec.components:
        if spec.stage(source) not in LOOP_FROM:
            continue
        parent: dict[str, int] = {}
        queue = deque([source])
        seen = {source}
        while queue:
            node = queue.popleft()
            for index in out[node]:
                target = edges[index].target
                if not searchable(index) or target in seen:
                    continue
                seen.add(target)
                parent[target] = index
                if spec.stage(target) not in LOOP_INTO:
                    queue.append(target)
                    continue
                if index in entries:
                    continue
                entries.add(index)
                path = [index]
                while edges[path[0]].source != source:
                    path.insert(0, parent[edges[path[0]].source])
                loops.append(Loop(False, tuple(path), closure(spec, target, on, out)))
    return tuple(loops)


def closure(spec: Spec, start: str, on_path: set[int], out: dict[str, list[int]] | None = None) -> Closure:
    """The shortest way, off the request path along pipeline or feedback edges, from `start` to serving."""
    out = outgoing(spec) if out is None else out
    edges = spec.edges
    parent: dict[str, int] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        if spec.stage(node) == "serving" and node != start:
            between: list[str] = []
            step = node
            while step != start:
                step = edges[parent[step]].source
                if step != start:
                    between.insert(0, step)
            return Closure(start, node, tuple(between))
        for index in out[node]:
            edge = edges[index]
            if index in on_path or edge.target in seen:
                continue
            if edge.kind not in (*PIPELINE_FLOW_KINDS, "feedback"):
                continue
            seen.add(edge.target)
            parent[edge.target] = index
            queue.append(edge.target)
    return Closure(start, None, ())
