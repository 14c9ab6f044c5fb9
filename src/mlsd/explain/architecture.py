"""The architecture narrative, derived from the graph rather than copied from the spec.

Four readings of `spec.edges`, each in spec order so the text is deterministic:

1. the online request path: depth-first from the clients along request and
   feature-lookup edges, hop by hop, and who answers the client;
2. the offline pipelines: data, stream, feature, model and control edges off
   the request path, grouped by where each pipeline starts;
3. the feedback loops: declared `feedback` edges, and any path that leads from
   the client, serving or monitoring side back into data, features or training;
4. each component's role: its description, or its kind's role sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mlsd import topology
from mlsd.catalogue import KINDS, STAGES, tech
from mlsd.explain.phrase import Phrase, listing
from mlsd.model import Edge, Spec
from mlsd.topology import CALLER_STAGES, LOOP_FROM

STAGE_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "client": "Clients and entry points",
        "data": "Data",
        "features": "Features",
        "training": "Training",
        "serving": "Serving",
        "monitoring": "Monitoring",
    }
)


@dataclass(frozen=True)
class ComponentRole:
    """A component as the explanation introduces it."""

    id: str
    label: str
    kind: str
    stage: str
    tech: str | None  # the product's display name, or the tech as written
    description: str | None  # the spec's own words, preferred over `role`
    role: str  # the kind's role sentence from the catalogue
    role_clause: str  # the same sentence to follow the label: "is the one public front door..."


@dataclass(frozen=True)
class Stage:
    """The components of one stage, in spec order."""

    name: str
    title: str
    components: tuple[ComponentRole, ...]


@dataclass(frozen=True)
class GroupInfo:
    """A group (box) of the picture and what it holds."""

    label: str
    description: str | None
    members: tuple[str, ...]  # component labels


@dataclass(frozen=True)
class RequestPath:
    """The hops of one client's request, in the order they happen."""

    start: str
    hops: tuple[Phrase, ...]
    answer: Phrase
    servers: tuple[str, ...]  # labels of the serving components on the path


@dataclass(frozen=True)
class Pipeline:
    """One offline chain, from where it starts to where it ends."""

    title: Phrase
    hops: tuple[Phrase, ...]
    joins: Phrase | None  # when it flows into a pipeline described earlier


@dataclass(frozen=True)
class FeedbackLoop:
    """A way back from the live system into data, features or training."""

    declared: bool  # a `feedback` edge, rather than found by searching the graph
    hops: tuple[Phrase, ...]
    closure: Phrase


@dataclass(frozen=True)
class Architecture:
    """Everything the high-level architecture section says, derived from the graph."""

    title: str
    component_count: int
    flow_count: int
    group_count: int
    request_paths: tuple[RequestPath, ...]
    pipelines: tuple[Pipeline, ...]
    loops: tuple[FeedbackLoop, ...]
    loop_caution: Phrase | None
    telemetry: tuple[Phrase, ...]
    other_flows: tuple[Phrase, ...]
    stages: tuple[Stage, ...]
    groups: tuple[GroupInfo, ...]
    questions: tuple[Phrase, ...]
    request_path_ids: tuple[str, ...]  # components on any request path, in visit order

    def open_questions(self) -> tuple[Phrase, ...]:
        """The open questions this section raises."""
        return self.questions

    def roles(self) -> tuple[ComponentRole, ...]:
        """Every component, stage by stage."""
        return tuple(c for stage in self.stages for c in stage.components)


def component_role(spec: Spec, cid: str) -> ComponentRole:
    """How the explanation introduces one component."""
    comp = spec.components[cid]
    known = tech(comp.tech) if comp.tech else None
    return ComponentRole(
        id=cid,
        label=spec.label(cid),
        kind=comp.kind,
        stage=spec.stage(cid),
        tech=known.label if known else comp.tech,
        description=comp.description,
        role=KINDS[comp.kind].role,
        role_clause=KINDS[comp.kind].role[:1].lower() + KINDS[comp.kind].role[1:],
    )


def hop(spec: Spec, edge: Edge) -> Phrase:
    """One edge as a sentence: 'Risk service calls Scorer (score(payment))'."""
    text = _verb(spec, edge)
    args = [spec.label(edge.source), spec.label(edge.target)]
    if edge.label:
        text += f" ({{{len(args)}}})"
        args.append(edge.label)
    if edge.note:
        text += f"; {{{len(args)}}}"
        args.append(edge.note)
    return Phrase(text, tuple(args))


def _verb(spec: Spec, edge: Edge) -> str:
    source_stage, target_stage = spec.stage(edge.source), spec.stage(edge.target)
    target_kind = spec.components[edge.target].kind
    if edge.kind == "request":
        return "{0} calls {1}"
    if edge.kind == "features":
        if target_stage == "features":
            if source_stage in CALLER_STAGES:
                return "{0} looks up features in {1}"
            return "{0} writes features to {1}"
        return "{0} supplies features to {1}"
    if edge.kind == "model":
        if target_kind == "model-registry":
            return "{0} registers the model in {1}"
        if target_stage == "serving":
            return "{0} deploys the model to {1}"
        return "{0} hands the model to {1}"
    if edge.kind == "stream":
        if target_kind == "event-stream":
            return "{0} publishes events to {1}"
        return "{0} streams events to {1}"
    if edge.kind == "control":
        return "{0} triggers {1}"
    if edge.kind == "feedback":
        return "{0} feeds outcomes back to {1}"
    if edge.kind == "telemetry":
        return "{0} reports telemetry to {1}"
    return "{0} sends data to {1}"


def _labels_phrase(spec: Spec, ids: list[str], text: str) -> Phrase:
    """`text` with `{items}` replaced by the components' labels joined as prose."""
    return Phrase(text.replace("{items}", listing(len(ids))), tuple(spec.label(c) for c in ids))


def request_paths(spec: Spec) -> tuple[tuple[RequestPath, ...], list[int], list[Phrase]]:
    """The request path of every client, the edges on them, and the questions they leave."""
    edges = spec.edges
    paths: list[RequestPath] = []
    on_path: list[int] = []
    questions: list[Phrase] = []
    for start, order in topology.request_walks(spec):
        on_path += [i for i in order if i not in on_path]
        visited = list(dict.fromkeys(edges[i].target for i in order))
        servers = [cid for cid in visited if spec.stage(cid) == "serving"]
        label = spec.label(start)
        if not order:
            answer = Phrase("{0} calls no other component, so nothing answers it yet.", (label,))
            questions.append(
                Phrase(
                    "which component does {0} call, and which component makes the prediction it waits for?", (label,)
                )
            )
        elif not servers:
            answer = Phrase(
                "The path from {0} reaches no serving component, so no model answers the request yet.", (label,)
            )
            questions.append(Phrase("which serving component makes the prediction that {0} waits for?", (label,)))
        else:
            first = edges[order[0]].target
            makes = "makes the prediction" if len(servers) == 1 else "produce the result together"
            if first in servers and len(servers) == 1:
                answer = Phrase("{0} makes the prediction and answers {1} directly.", (spec.label(first), label))
            else:
                n = len(servers)
                answer = Phrase(
                    f"{listing(n)} {makes}; the answer travels back along the same hops, and "
                    f"{{{n}}} hands it back to {{{n + 1}}}.",
                    (*(spec.label(c) for c in servers), spec.label(first), label),
                )
        paths.append(
            RequestPath(label, tuple(hop(spec, edges[i]) for i in order), answer, tuple(spec.label(c) for c in servers))
        )
    return tuple(paths), on_path, questions


def pipelines(spec: Spec, on_path: list[int]) -> tuple[Pipeline, ...]:
    """Offline chains off the request path, one per starting component, in spec order."""
    edges = spec.edges
    result: list[Pipeline] = []
    for chain in topology.pipelines(spec, on_path):
        start, order = chain.start, chain.edges
        nodes = list(dict.fromkeys([start] + [edges[i].target for i in order]))
        # A live component that merely emits events or alerts does not make the pipeline
        # a "client" or "monitoring" pipeline.
        # (A flow from a component to itself leaves only the start to show.)
        shown = (nodes[1:] or nodes) if spec.stage(start) in LOOP_FROM else nodes
        stages = [s for s in STAGES if any(spec.stage(n) == s for n in shown)]
        title = Phrase(
            f"From {{0}}: a {_pipeline_name(spec, [edges[i] for i in order])} through the "
            f"{_join_words(stages)} stage{'s' if len(stages) > 1 else ''}.",
            (spec.label(start),),
        )
        joins = (
            Phrase("It then feeds into the pipeline that starts at {0}.", (spec.label(chain.joins),))
            if chain.joins
            else None
        )
        result.append(Pipeline(title, tuple(hop(spec, edges[i]) for i in order), joins))
    return tuple(result)


def _pipeline_name(spec: Spec, chain: list[Edge]) -> str:
    stages = {spec.stage(e.source) for e in chain} | {spec.stage(e.target) for e in chain}
    if all(e.kind == "control" for e in chain):
        trains = any(spec.stage(e.target) == "training" for e in chain)
        return "retraining trigger" if trains else "scheduled job chain"
    deploys = any(e.kind == "model" and spec.stage(e.target) == "serving" for e in chain)
    if deploys:
        return "training and deployment pipeline" if "training" in stages else "deployment pipeline"
    if "training" in stages:
        return "training pipeline"
    if any(spec.stage(e.target) == "features" for e in chain):
        return "feature pipeline"
    if any(spec.stage(e.target) == "serving" for e in chain):
        return "batch serving pipeline"
    return "data pipeline"


def _join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def feedback_loops(spec: Spec, on_path: list[int]) -> tuple[tuple[FeedbackLoop, ...], list[int], list[Phrase]]:
    """Declared feedback edges, then paths from the live side back into what trains the model."""
    edges = spec.edges
    questions: list[Phrase] = []
    loops: list[FeedbackLoop] = []
    used: list[int] = []
    for loop in topology.feedback_loops(spec, on_path):
        used += [i for i in loop.edges if i not in used]
        closure = _closure(spec, loop.closure, questions)
        loops.append(FeedbackLoop(loop.declared, tuple(hop(spec, edges[i]) for i in loop.edges), closure))
    return tuple(loops), used, questions


def _closure(spec: Spec, found: topology.Closure, questions: list[Phrase]) -> Phrase:
    """How what enters the loop's end gets back to serving, as a sentence."""
    start = found.start
    if found.server is not None:
        if not found.between:
            return Phrase(
                "From {0} it goes straight back to {1}, which closes the loop.",
                (spec.label(start), spec.label(found.server)),
            )
        n = len(found.between)
        return Phrase(
            f"From {{0}} it reaches {{1}} again through {listing(n, 2)}, which closes the loop.",
            (spec.label(start), spec.label(found.server), *(spec.label(c) for c in found.between)),
        )
    questions.append(
        Phrase(
            "how does what reaches {0} get into training and back to the model that serves? No flow "
            "leads from it to a serving component yet.",
            (spec.label(start),),
        )
    )
    return Phrase("Nothing leads from {0} back to a serving component yet, so the loop is open.", (spec.label(start),))


def telemetry(spec: Spec) -> tuple[Phrase, ...]:
    """'Scorer and Risk service report telemetry to Metrics', one sentence per receiver."""
    receivers: dict[str, list[str]] = {}
    for edge in spec.edges:
        if edge.kind == "telemetry":
            senders = receivers.setdefault(edge.target, [])
            if edge.source not in senders:
                senders.append(edge.source)
    result = []
    for target, senders in receivers.items():
        n = len(senders)
        verb = "reports" if n == 1 else "report"
        result.append(
            Phrase(
                f"{listing(n)} {verb} telemetry to {{{n}}}.", (*(spec.label(c) for c in senders), spec.label(target))
            )
        )
    return tuple(result)


def build_architecture(spec: Spec) -> Architecture:
    """The narrative of the architecture: paths, pipelines, loops and roles."""
    edges = spec.edges
    paths, on_path, questions = request_paths(spec)
    chains = pipelines(spec, on_path)
    loops, in_loops, loop_questions = feedback_loops(spec, on_path)
    questions += loop_questions
    in_chains = topology.pipeline_edges(spec, on_path)
    told = set(on_path) | set(in_chains) | set(in_loops)
    told |= {i for i, e in enumerate(edges) if e.kind == "telemetry"}
    other = tuple(hop(spec, edges[i]) for i in range(len(edges)) if i not in told)

    if not edges:
        questions.append(
            Phrase(
                "how do the components connect? The spec has no flows, so neither the request path "
                "nor the offline pipelines can be traced."
            )
        )
    elif not paths:
        questions.append(
            Phrase(
                "where do requests enter the system? No client, and no entry component without "
                "callers, is drawn, so the online request path has no start."
            )
        )
    if edges and not chains:
        questions.append(
            Phrase(
                "how are the models trained and deployed? No offline pipeline carries data, "
                "features or models toward training and serving."
            )
        )
    if edges and not loops:
        questions.append(
            Phrase(
                "how do the outcomes of predictions (labels, clicks, reviewer verdicts) get back into "
                "the data so the model can be retrained on them? No flow leads from the serving side "
                "back to data, features or training."
            )
        )
    touched = {e.source for e in edges} | {e.target for e in edges}
    if edges:
        for cid in spec.components:
            if cid not in touched:
                questions.append(
                    Phrase("how does {0} connect to the rest of the system? No flow touches it.", (spec.label(cid),))
                )

    stages = tuple(
        Stage(
            name, STAGE_TITLES[name], tuple(component_role(spec, c) for c in spec.components if spec.stage(c) == name)
        )
        for name in STAGES
    )
    groups = tuple(
        GroupInfo(spec.group_label(gid), group.description, tuple(spec.label(c) for c in spec.group_members(gid)))
        for gid, group in spec.groups.items()
    )
    caution = (
        Phrase(
            "Through these loops, what the system did in production shapes the next model. Because "
            "the model's own decisions decide what gets logged, the loops can also reinforce its "
            "mistakes: outcomes are only observed for what the system allowed or showed, so the "
            "training data needs some exploration traffic or a correction for that selection."
        )
        if loops
        else None
    )
    path_ids = list(dict.fromkeys(c for i in on_path for c in (edges[i].source, edges[i].target)))
    return Architecture(
        title="High-level architecture",
        component_count=len(spec.components),
        flow_count=len(edges),
        group_count=len(spec.groups),
        request_paths=paths,
        pipelines=chains,
        loops=loops,
        loop_caution=caution,
        telemetry=telemetry(spec),
        other_flows=other,
        stages=tuple(s for s in stages if s.components),
        groups=groups,
        questions=tuple(questions),
        request_path_ids=tuple(path_ids),
    )
