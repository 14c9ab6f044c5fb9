"""The architecture narrative, derived from the graph rather than copied from the spec.

Four readings of `spec.edges`, each in spec order so the text is deterministic:

1. the online request path: depth-first from the clients along request and
   feature-lookup edges, hop by hop, and who answers the client;
2. the offline pipelines: data, stream, feature, model and control edges off
   the request path, grouped by where each pipeline starts;
3. the feedback loops: declared `feedback` edges, and any path that leads from
   the client, serving or monitoring side back into data, features or training;
4. each component's role: its description, or its kind's role sentence.

The narrative names components as `name` does (the label, or a name from the
kind when the id is an abbreviation) and makes every verb agree with the
name it follows (`plural`): "Interaction logs feed", "Scorer calls".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mlsd import topology
from mlsd.catalogue import KINDS, STAGES, tech
from mlsd.explain.phrase import Phrase, listing, prose_list
from mlsd.model import Edge, Spec, humanise
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


# ------------------------------------------------------------------ names and agreement

# Kind-name words written as acronyms when a kind's name becomes a display name.
_KIND_ACRONYMS: Mapping[str, str] = MappingProxyType(
    {"ab": "A/B", "api": "API", "etl": "ETL", "hpo": "HPO", "llm": "LLM"}
)
# Words that end in "s" and are still singular; words ending in -ss, -us and -is are too.
_SINGULAR_S = frozenset(
    {"alias", "analytics", "atlas", "bias", "canvas", "chaos", "gas", "kubernetes", "lens", "mathematics"}
    | {"news", "physics", "series", "species"}
)
_PLURAL_WORDS = frozenset({"people", "children", "criteria"})
# What may follow a word to make a longer one without abbreviating it (label -> labeling).
_ENDINGS = frozenset({"s", "es", "ed", "er", "ers", "or", "ors", "ing", "ings", "ion", "ions"})
# ... or the second word of a compound (gate -> gateway, pipe -> pipeline).
_COMPOUND_TAILS = frozenset({"house", "line", "way"})


def kind_name(kind: str) -> str:
    """A kind's name as words: 'feature-store-online' -> 'Online feature store', 'llm-eval' -> 'LLM eval'."""
    words = kind.split("-")
    if words[-1] in ("online", "offline") and len(words) > 1:
        words = [words[-1], *words[:-1]]
    text = " ".join(_KIND_ACRONYMS.get(w, w) for w in words)
    return text[:1].upper() + text[1:]


def _vocabulary() -> frozenset[str]:
    return frozenset(w for k in KINDS for w in k.split("-")) | frozenset(STAGES)


_VOCABULARY = _vocabulary()


def abbreviated(words: str) -> bool:
    """Whether a humanised id reads as an abbreviation rather than words.

    A word is abbreviated when it has no vowel ('svc', 'db') or when it, or it
    without a plural 's', is a cut-off start of a word of the catalogue's kind
    names ('feat' of 'feature', 'reg' of 'registry'); a start followed only by
    an ending ('label' of 'labeling', 'log' of 'logging') or by the second half
    of a compound ('gate' of 'gateway') is a word. Acronyms
    humanise writes in capitals ('ANN', 'LLM') and words with digits are words.
    """
    for word in words.split():
        if not word.isalpha() or word.isupper():
            continue
        low = word.lower()
        if not set(low) & set("aeiouy"):
            return True
        for stem in {low, low[:-1] if low.endswith("s") else low}:
            for known in _VOCABULARY:
                if len(stem) >= 3 and known.startswith(stem) and known != stem:
                    rest = known[len(stem) :]
                    doubled = rest[:1] == stem[-1:] and rest[1:] in _ENDINGS
                    if rest not in _ENDINGS and rest not in _COMPOUND_TAILS and not doubled:
                        return True
    return False


def name(spec: Spec, cid: str) -> str:
    """How the explanation names a component: its label, else its id humanised.

    When the id reads as an abbreviation ('feat_online' -> 'Feat online') and
    no other component would share the name, the kind's name replaces it
    ('Online feature store').
    """
    comp = spec.components[cid]
    if comp.label:
        return comp.label
    plain = humanise(cid)
    if not abbreviated(plain):
        return plain
    candidate = kind_name(comp.kind)
    for other, o in spec.components.items():
        if other != cid and (o.kind == comp.kind or spec.label(other).lower() == candidate.lower()):
            return plain
    return candidate


def plural(label: str) -> bool:
    """Whether a name takes a plural verb: decided by its last word ('Interaction logs', 'Rules').

    A trailing parenthesis is left out ('ANN index (IVF-PQ shards)' is one
    index); an enumeration without 'and' ('Wiki, PDFs, forum') names several
    things, and so does a pair whose first word is a plural ('Ratings and
    golden set'). Capitals ending in S are acronyms ('GCS'), 'PDFs' is a plural; words
    ending in -ss, -us and -is ('process', 'status', 'analysis') and a few
    others ('news', 'series') are singular.
    """
    text = re.sub(r"\s*\([^()]*\)\s*$", "", label).strip() or label
    if "," in text and " and " not in text.rsplit(",", 1)[1] and "(" not in text:
        return True
    first = re.split(r" and | \+ ", text, maxsplit=1)
    if len(first) == 2 and " " not in first[0].strip() and plural(first[0]):
        return True  # 'Ratings and golden set', 'Counters and history': two things
    tokens = re.findall(r"[A-Za-z][A-Za-z']*", text)
    if not tokens:
        return False
    word = tokens[-1]
    low = word.lower()
    if low in _PLURAL_WORDS:
        return True
    if word.isupper() or low in _SINGULAR_S or low.endswith(("ss", "us", "is")) or len(low) < 3:
        return False
    return low.endswith("s")


_IRREGULAR = MappingProxyType({"is": "are", "has": "have", "does": "do", "goes": "go", "was": "were"})


def agree(verb: str, many: bool) -> str:
    """A third-person verb as it follows a plural subject when `many`: 'calls' -> 'call'."""
    if not many:
        return verb
    low = verb.lower()
    if low in _IRREGULAR:
        out = _IRREGULAR[low]
    elif low.endswith("ies") and len(low) > 4:
        out = low[:-3] + "y"
    elif low.endswith(("sses", "shes", "ches", "xes", "zes")):
        out = low[:-2]
    elif low.endswith("s") and not low.endswith("ss"):
        out = low[:-1]
    else:
        return verb
    return out[:1].upper() + out[1:] if verb[:1].isupper() else out


# The main verbs of the catalogue's role sentences: each role's first word, and the
# verbs joined to it by "and" ("Hosts trained models ... and answers requests").
_ROLE_VERBS = frozenset(
    {k.role.split()[0].lower() for k in KINDS.values()}
    | {"answers", "audits", "calls", "draws", "keeps", "lets", "measures", "raises", "retries", "saves", "stops"}
    | {"writes"}
)
# Words that open a subordinate clause: verbs after them have their own subject.
_CLAUSE_WORDS = frozenset(
    {"that", "which", "who", "whose", "when", "whenever", "so", "before", "while", "because", "until", "if", "where"}
)


def role_clause(role: str, many: bool) -> str:
    """A role sentence made to follow a name: 'Collects metrics...' -> 'collects metrics...' (or 'collect')."""
    words = role.split(" ")
    out: list[str] = []
    main = True
    for i, word in enumerate(words):
        bare = word.strip(",.;:").lower()
        if bare in _CLAUSE_WORDS:
            main = False
        joins = i == 0 or (i == 1 and words[0].lower().endswith("ly")) or words[i - 1] in ("and", "or")
        joins = joins or (i > 0 and words[i - 1].endswith(","))
        if main and joins and bare in _ROLE_VERBS:
            word = agree(word, many)
        out.append(word)
    text = " ".join(out)
    return text[:1].lower() + text[1:]


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
    wiring: Phrase | None = None  # ", called by Ranker, fed by Trainer," where the flows place it


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
    kind: str = "data pipeline"  # what it is named for: "training pipeline", "feature pipeline"...


@dataclass(frozen=True)
class FeedbackLoop:
    """A way back from the live system into data, features or training."""

    declared: bool  # a `feedback` edge, rather than found by searching the graph
    hops: tuple[Phrase, ...]
    closure: Phrase
    entries: Phrase | None = None  # the live components whose records run into this loop


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
    label = name(spec, cid)
    return ComponentRole(
        id=cid,
        label=label,
        kind=comp.kind,
        stage=spec.stage(cid),
        tech=known.label if known else comp.tech,
        description=comp.description,
        role=KINDS[comp.kind].role,
        role_clause=role_clause(KINDS[comp.kind].role, plural(label)),
        wiring=wiring(spec, cid),
    )


# How a flow places the component it touches, seen from that component: the flows
# into it, then the flows out of it. Telemetry out of a component says nothing of its role.
_INTO = {
    "request": "called by",
    "model": "receiving models from",
    "control": "triggered by",
    "telemetry": "with telemetry from",
}
_OUT_OF = {"request": "calling", "model": "passing models to", "control": "triggering"}


def wiring(spec: Spec, cid: str) -> Phrase | None:
    """Where the flows place a component: ', called by Ranker, fed by Click join,'.

    It grounds a kind's general role sentence in this design, so it is told
    with that sentence (for components the spec does not describe).
    """
    into: dict[str, list[str]] = {}
    out_of: dict[str, list[str]] = {}
    for edge in spec.edges:
        if edge.source == edge.target:
            continue
        lookup = edge.kind == "features" and spec.stage(edge.target) == "features"
        lookup = lookup and spec.stage(edge.source) in CALLER_STAGES
        if edge.target == cid:
            how = "read by" if lookup else _INTO.get(edge.kind, "fed by")
            into.setdefault(how, []).append(edge.source)
        elif edge.source == cid and edge.kind != "telemetry":
            how = "reading" if lookup else _OUT_OF.get(edge.kind, "feeding")
            out_of.setdefault(how, []).append(edge.target)
    parts = into | out_of
    if not parts:
        return None
    text: list[str] = []
    args: list[str] = []
    for how, ids in parts.items():
        ids = list(dict.fromkeys(ids))
        shown = ids[:3]
        if len(ids) > 3:
            slots = ", ".join(f"{{{len(args) + i}}}" for i in range(3))
            text.append(f"{how} {slots} and {len(ids) - 3} more")
        else:
            text.append(f"{how} {listing(len(shown), len(args))}")
        args += [name(spec, c) for c in shown]
    return Phrase(", " + ", ".join(text) + ",", tuple(args))


def hop(spec: Spec, edge: Edge) -> Phrase:
    """One edge as a sentence: 'Risk service calls Scorer (score(payment))'."""
    text = _verb(spec, edge)
    args = [name(spec, edge.source), name(spec, edge.target)]
    if edge.label:
        text += f" ({{{len(args)}}})"
        args.append(edge.label)
    if edge.note:
        text += f"; {{{len(args)}}}"
        args.append(edge.note)
    return Phrase(text, tuple(args))


def _verb(spec: Spec, edge: Edge) -> str:
    """The sentence pattern of an edge, its verb agreeing with the source's name."""
    verb, rest = _verb_words(spec, edge)
    return "{0} " + agree(verb, plural(name(spec, edge.source))) + rest


def _is_model(spec: Spec, cid: str) -> bool:
    """Whether a component runs a model (online or in batch), so a model edge into it deploys."""
    return topology.is_a(spec, cid, "online-model") or topology.is_a(spec, cid, "batch-model")


def _verb_words(spec: Spec, edge: Edge) -> tuple[str, str]:
    source_stage, target_stage = spec.stage(edge.source), spec.stage(edge.target)
    target_kind = spec.components[edge.target].kind
    if edge.kind == "request":
        return "calls", " {1}"
    if edge.kind == "features":
        if target_stage == "features":
            if source_stage in CALLER_STAGES:
                return "looks", " up features in {1}"
            return "writes", " features to {1}"
        return "supplies", " features to {1}"
    if edge.kind == "model":
        if target_kind == "model-registry":
            return "registers", " the model in {1}"
        if target_kind == "prompt-builder":
            # A registry hands a prompt builder its template; no model runs there.
            return "hands", " the prompt template to {1}"
        if _is_model(spec, edge.target):
            return "deploys", " the model to {1}"
        return "hands", " the model to {1}"
    if edge.kind == "stream":
        if target_kind == "event-stream":
            return "publishes", " events to {1}"
        return "streams", " events to {1}"
    if edge.kind == "control":
        return "triggers", " {1}"
    if edge.kind == "feedback":
        return "feeds", " outcomes back to {1}"
    if edge.kind == "telemetry":
        return "reports", " telemetry to {1}"
    return "sends", " data to {1}"


def _labels_phrase(spec: Spec, ids: list[str], text: str) -> Phrase:
    """`text` with `{items}` replaced by the components' labels joined as prose."""
    return Phrase(text.replace("{items}", listing(len(ids))), tuple(name(spec, c) for c in ids))


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
        label = name(spec, start)
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
            one = len(servers) == 1
            many = not one or plural(name(spec, servers[0]))
            makes = f"{agree('makes', many)} the prediction" if one else "produce the result together"
            if first in servers and one:
                answer = Phrase(
                    f"{{0}} {makes} and {agree('answers', many)} {{1}} directly.", (name(spec, first), label)
                )
            else:
                n = len(servers)
                answer = Phrase(
                    f"{listing(n)} {makes}; the answer travels back along the same hops, and "
                    f"{{{n}}} {agree('hands', plural(name(spec, first)))} it back to {{{n + 1}}}.",
                    (*(name(spec, c) for c in servers), name(spec, first), label),
                )
        paths.append(
            RequestPath(label, tuple(hop(spec, edges[i]) for i in order), answer, tuple(name(spec, c) for c in servers))
        )
    return tuple(paths), on_path, questions


def pipelines(spec: Spec, on_path: list[int]) -> tuple[Pipeline, ...]:
    """Offline chains off the request path, one per starting component, in spec order.

    A pipeline that flows into one described earlier says so, once per earlier
    pipeline: when several feed the same one, the first says it and the hops
    of the others show it.
    """
    edges = spec.edges
    result: list[Pipeline] = []
    joined: set[str] = set()
    for chain in topology.pipelines(spec, on_path):
        start, order = chain.start, chain.edges
        nodes = list(dict.fromkeys([start] + [edges[i].target for i in order]))
        # A live component that merely emits events or alerts does not make the pipeline
        # a "client" or "monitoring" pipeline.
        # (A flow from a component to itself leaves only the start to show.)
        shown = (nodes[1:] or nodes) if spec.stage(start) in LOOP_FROM else nodes
        stages = [s for s in STAGES if any(spec.stage(n) == s for n in shown)]
        kind, products = pipeline_name(spec, [edges[i] for i in order])
        n = len(products)
        title = Phrase(
            f"From {{0}}: {'an' if kind[0] in 'aeiou' else 'a'} {kind} for {listing(n, 1)}, through the "
            f"{_join_words(stages)} stage{'s' if len(stages) > 1 else ''}.",
            (name(spec, start), *(name(spec, c) for c in products)),
        )
        joins = None
        if chain.joins and chain.joins not in joined:
            joined.add(chain.joins)
            joins = Phrase("It then feeds into the pipeline that starts at {0}.", (name(spec, chain.joins),))
        result.append(Pipeline(title, tuple(hop(spec, edges[i]) for i in order), joins, kind))
    return tuple(result)


def pipeline_name(spec: Spec, chain: list[Edge]) -> tuple[str, tuple[str, ...]]:
    """A pipeline named after what it produces, and the components that hold the product.

    Models (a trainer: training pipeline, for the models it deploys or the
    registry or trainer it ends in, and the index too when the same chain
    builds one; a registry or a deployment without one:
    release pipeline), a vector or search index (indexing), batch predictions
    (scoring), features (feature pipeline), labels (labelling); a chain of
    schedules is a retraining trigger or a job chain. Otherwise it is named
    for where it ends.
    """
    targets = list(dict.fromkeys(e.target for e in chain))
    nodes = {e.source for e in chain} | set(targets)
    sources = {e.source for e in chain}
    ends = tuple(t for t in targets if t not in sources) or tuple(targets[-1:])

    def of_kinds(*kinds: str) -> tuple[str, ...]:
        return tuple(t for t in targets if spec.components[t].kind in kinds)

    def with_trait(trait: str, among: Iterable[str]) -> tuple[str, ...]:
        return tuple(c for c in among if topology.is_a(spec, c, trait))

    deployed = tuple(
        dict.fromkeys(
            e.target
            for e in chain
            if e.kind == "model" and (_is_model(spec, e.target) or spec.components[e.target].kind == "prompt-builder")
        )
    )
    trainers = with_trait("trainer", targets) or with_trait("trainer", nodes)
    registries = of_kinds("model-registry")
    if all(e.kind == "control" for e in chain):
        training = tuple(t for t in targets if spec.stage(t) == "training")
        if training:
            return "retraining trigger", trainers or training[:1]
        return "scheduled job chain", ends
    indexes = of_kinds("vector-index", "search-index")
    if trainers:
        if deployed and indexes:
            # One start feeding both the trainer and the index builder: both products are named.
            return "training and indexing pipeline", deployed + indexes
        if deployed:
            return "training and deployment pipeline", deployed
        return "training pipeline", registries or trainers
    if deployed or registries:
        return "release pipeline", deployed or registries
    if indexes:
        return "indexing pipeline", indexes
    scored = of_kinds("prediction-store") or with_trait("batch-model", targets)
    if scored:
        return "scoring pipeline", scored
    features = tuple(t for t in with_trait("feature-path", targets) if spec.stage(t) == "features")
    if features:
        return "feature pipeline", features
    labels = with_trait("labels", targets)
    if labels:
        return "labelling pipeline", labels
    if any(spec.stage(t) == "serving" for t in targets):
        return "batch serving pipeline", ends
    return "data pipeline", ends


def _join_words(words: list[str]) -> str:
    return prose_list(words)


def feedback_loops(spec: Spec, on_path: list[int]) -> tuple[tuple[FeedbackLoop, ...], list[int], list[Phrase]]:
    """Declared feedback edges, then paths from the live side back into what trains the model.

    A found path is told as a loop only when it is one (`is_loop`); declared
    feedback is always told, and an open one raises a question. A found path
    that joins a declared loop on its way back to the same server is that loop
    entered elsewhere, so it is told as one of the loop's entries; loops that
    share their whole way back are told together.
    """
    edges = spec.edges
    questions: list[Phrase] = []
    kept = [lp for lp in topology.feedback_loops(spec, on_path) if lp.declared or is_loop(spec, lp, on_path)]
    used = list(dict.fromkeys(i for lp in kept for i in lp.edges))
    entries: dict[int, list[tuple[str, ...]]] = {}
    told: list[list[topology.Loop]] = []
    for lp in kept:
        route = _route(spec, lp)
        host = None if lp.declared else next((n for n, g in enumerate(told) if _joins(route, g[0], spec)), None)
        if host is not None:
            inside = set(_route(spec, told[host][0]))
            cut = next(i for i, c in enumerate(route) if c in inside)
            if cut:  # a path that starts inside the loop adds nothing to it
                entries.setdefault(host, []).append(route[: cut + 1])
            continue
        twin = next((g for g in told if g[0].declared == lp.declared and g[0].closure == lp.closure), None)
        chained = next((g for g in told if lp.declared and g[0].declared and _chains(route, g, spec)), None)
        if twin is not None:
            twin.append(lp)
        elif chained is not None:
            # Declared feedback that leads into an earlier declared loop: one loop, told in flow order.
            if _suffix(_route(spec, chained[0]), route):
                chained.append(lp)
            else:
                chained.insert(0, lp)
        else:
            told.append([lp])
    loops = []
    for n, group in enumerate(told):
        closure = _closure(spec, group[-1].closure, questions)
        hops = tuple(hop(spec, edges[i]) for lp in group for i in lp.edges)
        loops.append(FeedbackLoop(group[0].declared, hops, closure, _entries(spec, entries.get(n, []))))
    return tuple(loops), used, questions


def _suffix(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return len(whole) > len(part) and whole[-len(part) :] == part


def _chains(route: tuple[str, ...], group: list[topology.Loop], spec: Spec) -> bool:
    """Whether one declared loop's route runs on through another's, or is run through by it."""
    first = _route(spec, group[0])
    last = _route(spec, group[-1])
    return _suffix(route, first) or _suffix(last, route)


def _joins(route: tuple[str, ...], declared: topology.Loop, spec: Spec) -> bool:
    """Whether a found route ends on a declared loop's way back: the same server, reached the same last way."""
    if not declared.declared or declared.closure.server is None:
        return False
    way = _route(spec, declared)
    shared = 0
    while shared < min(len(route), len(way)) and route[-1 - shared] == way[-1 - shared]:
        shared += 1
    return shared >= 2


def _route(spec: Spec, loop: topology.Loop) -> tuple[str, ...]:
    """Every component a loop passes, from where it starts to the server it reaches again."""
    edges = spec.edges
    back = (*loop.closure.between, loop.closure.server) if loop.closure.server is not None else ()
    return (edges[loop.edges[0]].source, *(edges[i].target for i in loop.edges), *back)


def _entries(spec: Spec, prefixes: list[tuple[str, ...]]) -> Phrase | None:
    """'Feed app and Ad server also feed this loop, through Impressions and clicks into Click join.'

    Each prefix runs from a live component to where it enters the loop; one
    clause per entry point.
    """
    if not prefixes:
        return None
    clauses: list[str] = []
    args: list[str] = []
    for into in dict.fromkeys(p[-1] for p in prefixes):
        mine = [p for p in prefixes if p[-1] == into]
        starts = list(dict.fromkeys(p[0] for p in mine))
        via = list(dict.fromkeys(c for p in mine for c in p[1:-1] if c not in starts))
        n, m = len(starts), len(via)
        at = len(args)
        verb = agree("feeds", n > 1 or plural(name(spec, starts[0])))
        through = f"through {listing(m, at + n)} " if via else ""
        clauses.append(f"{listing(n, at)} also {verb} this loop, {through}into {{{at + n + m}}}")
        args += [name(spec, c) for c in (*starts, *via, into)]
    return Phrase("; ".join(clauses) + ".", tuple(args))


def is_loop(spec: Spec, loop: topology.Loop, on_path: list[int]) -> bool:
    """Whether a path found from the live side is a feedback loop.

    It must start where the online system acts (a client, a component on the
    request path, or a monitor), carry records (data, events, features or
    labels; a chain of telemetry and schedules is a retraining trigger, told
    with the pipelines), and come back to a serving component (else it is a
    way out of the system, such as published results).
    """
    edges = spec.edges
    start = edges[loop.edges[0]].source
    live = {c for i in on_path for c in (edges[i].source, edges[i].target)}
    starts_live = spec.stage(start) in ("client", "monitoring") or start in live
    carries = any(topology.carries_records(edges[i]) for i in loop.edges)
    return starts_live and carries and loop.closure.server is not None


def model_driven(spec: Spec, on_path: list[int]) -> tuple[str, ...]:
    """Components whose records the models' own decisions shape, in spec order.

    The models (online or batch), the callers on a request path that reaches
    one (they act on its answer), and everything those reach along the flows
    that carry records or decisions (data, events, features, feedback and
    requests: a classifier calling an enforcement service that calls a review
    queue decides what gets reviewed), not models, schedules or telemetry.
    """
    edges = spec.edges
    models = [c for c in spec.components if _is_model(spec, c)]
    served = {edges[i].source for i in on_path} | {edges[i].target for i in on_path}
    callers = [c for c in served if spec.stage(c) == "client"] if any(c in served for c in models) else []
    reached = topology.reach(spec, [*models, *callers], lambda e: e.kind not in ("model", "control", "telemetry"))
    return tuple(c for c in spec.components if c in reached)


def loop_caution(spec: Spec, on_path: list[int], loops: tuple[topology.Loop, ...], shown: int) -> Phrase | None:
    """The selection-bias warning, where a trained model's decisions decide what is logged.

    Only in a design that trains (`trainer` trait) and only for loops that
    start from a model or from what the model's output drives; the sentence
    names the models and where their outcomes are logged, and speaks of one
    loop or several as the section shows them (`shown`).
    """
    if not topology.with_trait(spec, "trainer"):
        return None
    edges = spec.edges
    driven = set(model_driven(spec, on_path))
    live = {c for i in on_path for c in (edges[i].source, edges[i].target)}
    entries: list[str] = []  # where each loop records what happened: its first log or store
    for lp in loops:
        first = edges[lp.edges[0]]
        if first.source in driven:
            keeps = spec.stage(first.source) in ("data", "features") and first.source not in live
            entries.append(first.source if keeps else first.target)
    if not entries:
        return None
    entries = list(dict.fromkeys(entries))
    # The trained models: those a model is delivered to, else the models that answer requests.
    delivered = {e.target for e in edges if topology.is_delivery(spec, e)}
    served = {edges[i].target for i in on_path}
    models = [c for c in spec.components if _is_model(spec, c) and c in delivered]
    models = models or [c for c in spec.components if topology.is_a(spec, c, "online-model") and c in served]
    models = models or [c for c in spec.components if _is_model(spec, c)]
    m, n = len(models), len(entries)
    return Phrase(
        f"Through {'this loop' if shown == 1 else 'these loops'}, what {listing(m)} produced in production "
        f"shapes the next model. It also decides what reaches {listing(n, m)}, so "
        f"{'it' if shown == 1 else 'the loops'} can reinforce the model's mistakes: "
        "outcomes are only observed for what the system allowed or showed, and the training data needs "
        "some exploration traffic or a correction for that selection.",
        (*(name(spec, c) for c in models), *(name(spec, c) for c in entries)),
    )


def _closure(spec: Spec, found: topology.Closure, questions: list[Phrase]) -> Phrase:
    """How what enters the loop's end gets back to serving, as a sentence."""
    start = found.start
    if found.server is not None:
        if not found.between:
            return Phrase(
                "From {0} it goes straight back to {1}, which closes the loop.",
                (name(spec, start), name(spec, found.server)),
            )
        n = len(found.between)
        return Phrase(
            f"From {{0}} it reaches {{1}} again through {listing(n, 2)}, which closes the loop.",
            (name(spec, start), name(spec, found.server), *(name(spec, c) for c in found.between)),
        )
    questions.append(
        Phrase(
            "how does what reaches {0} get into training and back to the model that serves? No flow "
            "leads from it to a serving component yet.",
            (name(spec, start),),
        )
    )
    return Phrase("Nothing leads from {0} back to a serving component yet, so the loop is open.", (name(spec, start),))


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
        verb = agree("reports", n > 1 or plural(name(spec, senders[0])))
        result.append(
            Phrase(
                f"{listing(n)} {verb} telemetry to {{{n}}}.", (*(name(spec, c) for c in senders), name(spec, target))
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
                    Phrase("how does {0} connect to the rest of the system? No flow touches it.", (name(spec, cid),))
                )

    stages = tuple(
        Stage(
            name, STAGE_TITLES[name], tuple(component_role(spec, c) for c in spec.components if spec.stage(c) == name)
        )
        for name in STAGES
    )
    groups = tuple(
        GroupInfo(spec.group_label(gid), group.description, tuple(name(spec, c) for c in spec.group_members(gid)))
        for gid, group in spec.groups.items()
    )
    told_loops = tuple(lp for lp in topology.feedback_loops(spec, on_path) if lp.declared or is_loop(spec, lp, on_path))
    caution = loop_caution(spec, on_path, told_loops, len(loops))
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
