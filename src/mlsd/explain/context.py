"""`build_context`: a spec turned into the typed, frozen tree that templates print.

All decisions live here: what each section says, which parts are missing and
which open question each missing part raises. Spec text stays in plain `str`
fields (templates escape it) or in `Phrase.args`; mlsd's own wording is in
`Phrase.text` and in the fixed titles and labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from mlsd.catalogue import has_trait
from mlsd.explain.architecture import Architecture, ComponentRole, agree, build_architecture, plural
from mlsd.explain.capacity import Capacity, estimate, main_rate
from mlsd.explain.glossary import MetricInfo, lookup, split_metric
from mlsd.explain.phrase import Phrase, listing, prose_list
from mlsd.explain.pitfalls import evidence, pitfalls, spec_texts
from mlsd.explain.questions import ask
from mlsd.model import Metric, Spec, humanise
from mlsd.topology import online_serving
from mlsd.vocabulary import SERVING_MODES, TASK_FAMILY, TASKS


@dataclass(frozen=True)
class Part:
    """One part of the framework: the spec's text or list, or the open question it leaves."""

    label: str
    text: str | None = None
    items: tuple[str, ...] = ()
    question: Phrase | None = None
    gloss: str | None = None  # mlsd's own explanation of `text`, e.g. what a task means


@dataclass(frozen=True, kw_only=True)
class Section:
    """A section of the explanation: parts, notes drawn from the architecture, open questions."""

    title: str
    parts: tuple[Part, ...] = ()
    notes: tuple[Phrase, ...] = ()
    questions: tuple[Phrase, ...] = ()

    def open_questions(self) -> tuple[Phrase, ...]:
        """Every open question this section raises, in reading order."""
        return tuple(p.question for p in self.parts if p.question) + self.questions


@dataclass(frozen=True, kw_only=True)
class SummarySection(Section):
    """The problem in one paragraph and the design at a glance."""

    text: str | None
    question: Phrase | None
    facts: tuple[Phrase, ...]

    def open_questions(self) -> tuple[Phrase, ...]:
        """The summary's own open question, if the spec has no summary."""
        return ((self.question,) if self.question else ()) + super().open_questions()


@dataclass(frozen=True, kw_only=True)
class RequirementsSection(Section):
    """Clarifying requirements, with the capacity estimates drawn from `scale`."""

    capacity: Capacity
    capacity_questions: tuple[Phrase, ...] = ()

    def open_questions(self) -> tuple[Phrase, ...]:
        """Missing parts, then questions the scale numbers leave."""
        return super().open_questions() + self.capacity_questions


@dataclass(frozen=True, kw_only=True)
class FramingSection(Section):
    """Framing as an ML task."""

    task: str | None
    task_name: str | None  # "binary classification"
    task_text: str | None  # what that task means


@dataclass(frozen=True)
class MetricEntry:
    """A metric the spec names, with the glossary's definition when it knows the name.

    An entry that names several metrics ("p99 latency and timeout rate") keeps the
    spec's name, target and why, has no definition of its own, and defines each
    metric in `parts` (which have neither target nor why).
    """

    name: str
    target: str | None
    why: str | None
    known_as: str | None  # the glossary's name, when the spec's name does not start with it
    definition: str | None
    use_when: str | None
    parts: tuple[MetricEntry, ...] = ()

    @property
    def defined(self) -> bool:
        """True if the glossary defines this metric, or every metric of a split entry."""
        return self.definition is not None or (bool(self.parts) and all(p.defined for p in self.parts))


@dataclass(frozen=True)
class MetricGroup:
    """Business, offline, online or guardrail metrics."""

    key: str
    title: str
    metrics: tuple[MetricEntry, ...]
    question: Phrase | None


@dataclass(frozen=True, kw_only=True)
class MetricsSection(Section):
    """The four kinds of metrics."""

    groups: tuple[MetricGroup, ...]

    def open_questions(self) -> tuple[Phrase, ...]:
        """One question per kind of metric the spec leaves out."""
        return tuple(g.question for g in self.groups if g.question) + super().open_questions()


@dataclass(frozen=True)
class FeatureEntry:
    """A model input feature."""

    name: str
    group: str | None
    freshness: str | None
    description: str | None


@dataclass(frozen=True, kw_only=True)
class FeaturesSection(Section):
    """Feature engineering."""

    features: tuple[FeatureEntry, ...]


@dataclass(frozen=True, kw_only=True)
class ScalingSection(Section):
    """Scaling: the load to plan for and the spec's scaling points."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class ReviewItem:
    """One `mlsd check` finding, as the explanation lists it."""

    severity: str
    rule: str
    message: str
    line: int
    fix: str
    ignored: str | None  # the spec's reason for silencing the rule


@dataclass(frozen=True)
class ReviewSection:
    """What `mlsd check` says a strong answer would still cover."""

    title: str
    findings: tuple[ReviewItem, ...]  # errors and warnings that count
    ignored: tuple[ReviewItem, ...]  # silenced, with the spec's reason
    info_count: int  # informational findings, mostly open framework parts


@dataclass(frozen=True)
class PitfallEntry:
    """A pitfall of the task's family: where the spec addresses it, or the open question it leaves."""

    id: str
    title: str
    why: str  # why it bites in this family
    addressed: Phrase | None  # "in data preparation (bias): “{0}”", the spec's own phrase in args
    question: Phrase | None  # when the spec says nothing about it


@dataclass(frozen=True, kw_only=True)
class PitfallsSection(Section):
    """What an interviewer probes in this task family, and what the design does about each."""

    task: str
    family: str
    pitfalls: tuple[PitfallEntry, ...]

    @property
    def addressed_count(self) -> int:
        """How many of the pitfalls the spec addresses."""
        return sum(p.addressed is not None for p in self.pitfalls)

    def open_questions(self) -> tuple[Phrase, ...]:
        """One question per pitfall the spec is silent on."""
        return tuple(p.question for p in self.pitfalls if p.question) + super().open_questions()


@dataclass(frozen=True)
class ComparisonRow:
    """An option as the spec writes it, split into a name and a note when it has the shape
    'name: note', 'name — note' or 'name (note)'."""

    text: str  # as written
    name: str
    note: str | None


@dataclass(frozen=True)
class ComparisonTable:
    """Two or more options of one list (alternatives or candidates), as rows of a table."""

    label: str  # the part it replaces: "Alternatives considered", "Candidates"
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class Comparisons:
    """The spec's option lists that are shown as tables: `framing.alternatives`, `model.candidates`."""

    framing: ComparisonTable | None = None
    model: ComparisonTable | None = None


@dataclass(frozen=True, kw_only=True)
class ExplanationContext:
    """Everything an explanation template can print, section by section, in reading order."""

    id: str
    title: str
    summary: SummarySection
    requirements: RequirementsSection
    framing: FramingSection
    metrics: MetricsSection
    architecture: Architecture
    data: Section
    features: FeaturesSection
    model: Section
    serving: Section
    testing: Section
    monitoring: Section
    scaling: ScalingSection
    talking_points: Section
    review: ReviewSection
    open_question_count: int = field(default=0)
    pitfalls: PitfallsSection | None = None  # None without a task of a known family
    comparisons: Comparisons = Comparisons()

    def sections(self) -> tuple[object, ...]:
        """The thirteen sections in the order the explanation presents them."""
        return (
            self.summary,
            self.requirements,
            self.framing,
            self.metrics,
            self.architecture,
            self.data,
            self.features,
            self.model,
            self.serving,
            self.testing,
            self.monitoring,
            self.scaling,
            self.talking_points,
        )


def build_context(spec: Spec) -> ExplanationContext:
    """Turn a spec into the explanation's context: every section, every open question."""
    task = spec.framing.task
    family = TASK_FAMILY.get(task or "")
    arch = build_architecture(spec)
    roles = arch.roles()
    requirements = _requirements(spec, family)
    framing = _framing(spec, family)
    metrics = _metrics(spec, family)
    data = _data(spec, family, roles)
    features = _features(spec, family, roles)
    model = _model(spec, family, roles)
    serving = _serving(spec, family, roles)
    testing = _testing(spec, family, roles)
    monitoring = _monitoring(spec, family, roles, arch)
    scaling = _scaling(spec, family, arch, requirements.capacity)
    talking_points = _talking_points(spec, family)
    sections: tuple[Section, ...] = (
        requirements,
        framing,
        metrics,
        data,
        features,
        model,
        serving,
        testing,
        monitoring,
        scaling,
        talking_points,
    )
    open_in = tuple(arch.title for _ in arch.open_questions()) + tuple(
        section.title for section in sections for _ in section.open_questions()
    )
    summary = _summary(spec, arch, open_in)
    return ExplanationContext(
        id=spec.id,
        title=spec.title,
        summary=summary,
        requirements=requirements,
        framing=framing,
        metrics=metrics,
        architecture=arch,
        data=data,
        features=features,
        model=model,
        serving=serving,
        testing=testing,
        monitoring=monitoring,
        scaling=scaling,
        talking_points=talking_points,
        review=_review(spec),
        open_question_count=len(open_in) + len(summary.open_questions()),
        pitfalls=_pitfalls(spec, family),
        comparisons=_comparisons(spec),
    )


# ------------------------------------------------------------------ helpers


def _review(spec: Spec) -> ReviewSection:
    # The typed findings, not `review_summary`'s plain dicts: the same data, in the same
    # order (counted, then silenced), with each rule's fix looked up the same way.
    from mlsd.review import review_spec, rule

    review = review_spec(spec)
    items = [
        ReviewItem(f.severity, f.rule, f.message, f.location.line, rule(f.rule).fix, f.ignored)
        for f in review.counted + review.ignored
    ]
    return ReviewSection(
        title="Design review",
        findings=tuple(i for i in items if i.ignored is None and i.severity != "info"),
        ignored=tuple(i for i in items if i.ignored is not None),
        info_count=sum(i.ignored is None and i.severity == "info" for i in items),
    )


def _text(label: str, value: str | None, part: str, family: str | None, *, question: Phrase | None = None) -> Part:
    if value:
        return Part(label, text=value)
    return Part(label, question=question or Phrase(ask(part, family)))


def _items(label: str, values: list[str], part: str, family: str | None) -> Part:
    if values:
        return Part(label, items=tuple(values))
    return Part(label, question=Phrase(ask(part, family)))


def _drawn(
    roles: tuple[ComponentRole, ...],
    wanted: Callable[[ComponentRole], bool],
    lead: str,
    *,
    freshness: tuple[str | None, ...] = (),
) -> tuple[Phrase, ...]:
    """'Data comes from and moves through Payments (Apache Kafka) and Lake.' for the matching components.

    `lead` names the stage ("In the architecture, the data stage holds"); each
    stage gets its own sentence, so the sections do not all open alike. The
    features sentence counts the listed features by `freshness`.
    """
    sentences = {
        "the data stage holds": "Data comes from and moves through {items}.",
        "the training stage holds": "The training side of the picture is {items}.",
        "the serving stage holds": "Serving runs on {items}.",
        "releases go through": "Releases go through {items}.",
        "the monitoring stage holds": "{items} {watch} the system in production.",
    }
    chosen = [r for r in roles if wanted(r)]
    if not chosen:
        return ()
    key = lead.removeprefix("In the architecture, ").strip()
    if key == "the features stage holds":
        return (_features_drawn(chosen, freshness),)
    joined, args = _named(chosen)
    many = len(chosen) > 1 or plural(chosen[0].label)
    text = sentences.get(key, f"{lead} {{items}}.")
    text = text.replace("{watch}", agree("watches", many)).replace("{items}", joined)
    return (Phrase(text[:1].upper() + text[1:], tuple(args)),)


def _features_drawn(chosen: list[ComponentRole], freshness: tuple[str | None, ...]) -> Phrase:
    """'Online store (Redis) keeps features: of the 8 listed, 4 are batch, 3 streaming and 1 at request time.'"""
    kept = [r for r in chosen if has_trait(r.kind, "store")]
    computed = [r for r in chosen if r not in kept]
    parts: list[str] = []
    args: list[str] = []
    if computed:
        joined, named = _named(computed)
        parts.append(f"{joined} {agree('computes', len(computed) > 1 or plural(computed[0].label))} features")
        args += named
    if kept:
        joined, named = _named(kept, len(args))
        verb = agree("keeps", len(kept) > 1 or plural(kept[0].label))
        parts.append(f"{joined} {verb} {'them' if computed else 'features'}")
        args += named
    text = " and ".join(parts)
    counts = Counter(f or "unstated" for f in freshness)
    if set(counts) - {"unstated"}:
        words = {"request": "request-time", "unstated": "without a stated freshness"}
        ordered = sorted(counts.most_common(), key=lambda item: item[0] == "unstated")
        told = [f"{n} {words.get(f, f)}" for f, n in ordered]
        told[0] = told[0].replace(" ", " is " if ordered[0][1] == 1 else " are ", 1)
        listed = prose_list(told)
        text += f": of the {len(freshness)} listed, {listed}"
    return Phrase(text[:1].upper() + text[1:] + ".", tuple(args))


def _named(chosen: list[ComponentRole], start: int = 0) -> tuple[str, list[str]]:
    """Placeholders for components with their products, joined as prose: '{0} ({1}) and {2}'."""
    slots: list[str] = []
    args: list[str] = []
    for role in chosen:
        at = start + len(args)
        if role.tech:
            slots.append(f"{{{at}}} ({{{at + 1}}})")
            args += [role.label, role.tech]
        else:
            slots.append(f"{{{at}}}")
            args.append(role.label)
    joined = prose_list(slots)
    return joined, args


# ------------------------------------------------------------------ sections


def _summary(spec: Spec, arch: Architecture, open_in: tuple[str, ...]) -> SummarySection:
    """The design at a glance; `open_in` names the section of each open question elsewhere."""
    facts: list[Phrase] = []
    task = spec.framing.task
    if task:
        # The task's meaning is glossed once, under Framing; here the design's own output says it.
        output = spec.framing.output
        if output:
            facts.append(Phrase(f"The problem is framed as {TASKS[task].prose}, with the output {{0}}.", (output,)))
        else:
            facts.append(Phrase(f"The problem is framed as {TASKS[task].prose}."))
    if spec.serving.mode:
        latency = (spec.requirements.latency or "").rstrip(". ")
        if latency:
            facts.append(Phrase(f"Serving is {spec.serving.mode} (latency target: {{0}}).", (latency,)))
        else:
            facts.append(Phrase(f"Serving is {spec.serving.mode}."))
    groups = f" in {arch.group_count} group{'s' if arch.group_count != 1 else ''}" if arch.group_count else ""
    flows = (
        f", connected by {arch.flow_count} flow{'s' if arch.flow_count != 1 else ''}"
        if arch.flow_count
        else " and no flows yet"
    )
    facts.append(
        Phrase(
            f"The architecture has {arch.component_count} component"
            f"{'s' if arch.component_count != 1 else ''}{groups}{flows}."
        )
    )
    answered = [p for p in arch.request_paths if p.servers]
    if answered:
        path = answered[0]
        n = len(path.hops)
        makes = "makes the prediction" if len(path.servers) == 1 else "produce the result"
        facts.append(
            Phrase(
                f"Online, a request from {{0}} takes {n} hop{'s' if n != 1 else ''}, and "
                f"{listing(len(path.servers), 1)} {makes}.",
                (path.start, *path.servers),
            )
        )
    offline = _offline_summary(arch)
    if offline:
        facts.append(offline)
    question = None if spec.summary else Phrase(ask("summary", None))
    sections = list(dict.fromkeys((("Summary",) if question else ()) + open_in))
    total = len(open_in) + (1 if question else 0)
    if total:
        where = f"across {len(sections)} sections" if len(sections) > 3 else "under " + prose_list(sections)
        facts.append(
            Phrase(
                f"{total} open question{'s remain' if total != 1 else ' remains'}, {where}.",
            )
        )
    return SummarySection(title="Summary", text=spec.summary, question=question, facts=tuple(facts))


def _offline_summary(arch: Architecture) -> Phrase | None:
    """'Offline, the flows trace a training and deployment pipeline, a feature pipeline and one feedback loop.'"""
    kinds = Counter(p.kind for p in arch.pipelines)
    told = [f"{'an' if k[0] in 'aeiou' else 'a'} {k}" if n == 1 else f"{n} {k}s" for k, n in kinds.items()]
    loops = len(arch.loops)
    if loops:
        told.append("one feedback loop" if loops == 1 else f"{loops} feedback loops")
    if not told:
        return None
    return Phrase(f"Offline, the flows trace {prose_list(told)}.")


def _requirements(spec: Spec, family: str | None) -> RequirementsSection:
    r = spec.requirements
    capacity = estimate(r.scale)
    parts = [
        _text("Business objective", r.business_objective, "requirements.business_objective", family),
        _items("User actions", r.user_actions, "requirements.user_actions", family),
        _text("Data available", r.data, "requirements.data", family),
    ]
    if capacity.empty:
        parts.append(Part("Scale", question=Phrase(ask("requirements.scale", family))))
    parts += [
        _text("Latency", r.latency, "requirements.latency", family),
        _items("Constraints", r.constraints, "requirements.constraints", family),
        _items("Out of scope", r.out_of_scope, "requirements.out_of_scope", family),
    ]
    questions = [
        Phrase(
            "how many daily active users are there? {0} is given per user, so without that "
            "number it has no daily volume.",
            (key,),
        )
        for key in capacity.missing_users
    ] + [
        Phrase(
            "which rate does {0} apply to? Give a daily volume or peak_qps so that it can "
            "become bandwidth, storage or token throughput.",
            (key,),
        )
        for key in capacity.unpaired_sizes
    ]
    return RequirementsSection(
        title="Clarifying requirements", parts=tuple(parts), capacity=capacity, capacity_questions=tuple(questions)
    )


def _framing(spec: Spec, family: str | None) -> FramingSection:
    f = spec.framing
    task = f.task
    ml_question = None
    if not f.ml_objective and spec.requirements.business_objective:
        ml_question = Phrase(
            "which quantity does the model optimise, and why does improving it serve the business objective ({0})?",
            (spec.requirements.business_objective,),
        )
    parts = (
        _text("ML objective", f.ml_objective, "framing.ml_objective", family, question=ml_question),
        Part("Task", text=task, gloss=TASKS[task].meaning)
        if task
        else Part("Task", question=Phrase(ask("framing.task", family))),
        _text("Input", f.input, "framing.input", family),
        _text("Output", f.output, "framing.output", family),
        _text("Labels", f.labels, "framing.labels", family),
        _items("Alternatives considered", f.alternatives, "framing.alternatives", family),
    )
    return FramingSection(
        title="Framing as an ML task",
        parts=parts,
        task=task,
        task_name=TASKS[task].prose if task else None,
        task_text=TASKS[task].meaning if task else None,
    )


METRIC_GROUPS = (
    ("business", "Business metrics"),
    ("offline", "Offline metrics"),
    ("online", "Online metrics"),
    ("guardrail", "Guardrail metrics"),
)


def _metric(metric: Metric, task: str | None) -> MetricEntry:
    names = split_metric(metric.name, task)
    if len(names) == 1:
        info = lookup(metric.name, task)
        return _defined(metric.name, info, target=metric.target, why=metric.why)
    # One part per glossary entry, in the spec's order: "hide, unfollow and report rate"
    # defines Hide or report rate once, for "hide rate and report rate".
    by_info: dict[MetricInfo | None, list[str]] = {}
    for name in names:
        by_info.setdefault(lookup(name, task), []).append(name)
    parts = tuple(_defined(_joined(written), info) for info, written in by_info.items())
    return MetricEntry(metric.name, metric.target, metric.why, None, None, None, parts)


def _defined(name: str, info: MetricInfo | None, *, target: str | None = None, why: str | None = None) -> MetricEntry:
    if info is None:
        return MetricEntry(name, target, why, None, None, None)
    # "MRR of the supporting passage" says which metric it is; "NDCG@10" is named nDCG.
    written, known = name.lower(), info.name.lower()
    said = written == known or written.startswith((f"{known} ", f"{known},")) or f"({known})" in written
    return MetricEntry(name, target, why, None if said else info.name, info.definition, info.use_when)


def _joined(names: list[str]) -> str:
    return prose_list(names)


def _metrics(spec: Spec, family: str | None) -> MetricsSection:
    task = spec.framing.task
    groups = []
    for key, title in METRIC_GROUPS:
        given = getattr(spec.metrics, key)
        question = None if given else Phrase(ask(f"metrics.{key}", family, task))
        groups.append(MetricGroup(key, title, tuple(_metric(m, task) for m in given), question))
    return MetricsSection(title="Metrics", groups=tuple(groups))


def _data(spec: Spec, family: str | None, roles: tuple[ComponentRole, ...]) -> Section:
    d = spec.data
    labeling_question = None
    if not d.labeling and spec.framing.labels:
        labeling_question = Phrase(
            "the labels are {0}: how are they collected, with what delay and noise, and how are "
            "they joined to the examples they describe?",
            (spec.framing.labels,),
        )
    parts = (
        _items("Sources", d.sources, "data.sources", family),
        _text("Labelling", d.labeling, "data.labeling", family, question=labeling_question),
        _text("Sampling", d.sampling, "data.sampling", family),
        _text("Splits", d.splits, "data.splits", family),
        _text("Class imbalance", d.imbalance, "data.imbalance", family),
        _text("Privacy", d.privacy, "data.privacy", family),
        _text("Bias", d.bias, "data.bias", family),
    )
    notes = _drawn(roles, lambda r: r.stage == "data", "In the architecture, the data stage holds")
    questions: list[Phrase] = []
    if not any(r.stage == "data" for r in roles):
        questions.append(
            Phrase("where is data collected, stored and moved? The architecture has no component in the data stage.")
        )
    label_path = any(has_trait(r.kind, "labels") for r in roles) or any(e.kind == "feedback" for e in spec.edges)
    if spec.framing.labels and not label_path:
        questions.append(
            Phrase(
                "where do the labels ({0}) enter the architecture? No labelling or label-store "
                "component and no feedback flow is drawn.",
                (spec.framing.labels,),
            )
        )
    return Section(title="Data preparation", parts=parts, notes=notes, questions=tuple(questions))


def _features(spec: Spec, family: str | None, roles: tuple[ComponentRole, ...]) -> FeaturesSection:
    features = tuple(FeatureEntry(f.name, f.group, f.freshness, f.description) for f in spec.features)
    questions: list[Phrase] = []
    if not features:
        questions.append(Phrase(ask("features", family)))
    elif not any(f.freshness for f in features):
        questions.append(Phrase(ask("features.freshness", family)))
    notes = _drawn(
        roles,
        lambda r: r.stage == "features",
        "In the architecture, the features stage holds",
        freshness=tuple(f.freshness for f in features),
    )
    if features:
        streaming = [f.name for f in features if f.freshness == "streaming"]
        if streaming and not any(r.kind == "stream-processor" for r in roles):
            n = min(len(streaming), 3)
            named = listing(n) if len(streaming) == n else ", ".join(f"{{{i}}}" for i in range(n))
            more = f" and {len(streaming) - n} more" if len(streaming) > n else ""
            questions.append(
                Phrase(
                    f"which component computes the streaming features ({named}{more})? None of kind "
                    "stream-processor is drawn.",
                    tuple(streaming[:n]),
                )
            )
    return FeaturesSection(title="Feature engineering", features=features, notes=notes, questions=tuple(questions))


def _model(spec: Spec, family: str | None, roles: tuple[ComponentRole, ...]) -> Section:
    m = spec.model
    parts = (
        _text("Baseline", m.baseline, "model.baseline", family),
        _items("Candidates", m.candidates, "model.candidates", family),
        _text("Chosen model", m.chosen, "model.chosen", family),
        _text("Loss", m.loss, "model.loss", family),
        _text("Training", m.training, "model.training", family),
    )
    notes = _drawn(roles, lambda r: r.stage == "training", "In the architecture, the training stage holds")
    return Section(title="Model development", parts=parts, notes=notes)


def _serving(spec: Spec, family: str | None, roles: tuple[ComponentRole, ...]) -> Section:
    s = spec.serving
    budget_question = None
    if not s.latency_budget and spec.requirements.latency:
        budget_question = Phrase(
            "how is the end-to-end target ({0}) split across the hops of the request path?",
            (spec.requirements.latency,),
        )
    parts = (
        Part("Mode", text=s.mode, gloss=SERVING_MODES[s.mode] + ".")
        if s.mode
        else Part("Mode", question=Phrase(ask("serving.mode", family))),
        _text("Latency budget", s.latency_budget, "serving.latency_budget", family, question=budget_question),
        _items("Steps", s.steps, "serving.steps", family),
        _text("Fallback", s.fallback, "serving.fallback", family),
    )
    notes = _drawn(roles, lambda r: r.stage == "serving", "In the architecture, the serving stage holds")
    return Section(title="Serving", parts=parts, notes=notes)


def _testing(spec: Spec, family: str | None, roles: tuple[ComponentRole, ...]) -> Section:
    t = spec.testing
    parts = (
        _text("Offline gate", t.offline_gate, "testing.offline_gate", family),
        _text("Online experiment", t.online_experiment, "testing.online_experiment", family),
        _text("Rollout", t.rollout, "testing.rollout", family),
    )
    notes = _drawn(roles, lambda r: has_trait(r.kind, "testing"), "In the architecture, releases go through")
    return Section(title="Online testing and deployment", parts=parts, notes=notes)


def _monitoring(spec: Spec, family: str | None, roles: tuple[ComponentRole, ...], arch: Architecture) -> Section:
    m = spec.monitoring
    parts = (
        _items("Operational metrics", m.operational, "monitoring.operational", family),
        _items("ML metrics", m.ml, "monitoring.ml", family),
        _items("Alerts", m.alerts, "monitoring.alerts", family),
        _text("Retraining", m.retraining, "monitoring.retraining", family),
    )
    notes = _drawn(roles, lambda r: r.stage == "monitoring", "In the architecture, the monitoring stage holds")
    questions: tuple[Phrase, ...] = ()
    if not any(r.stage == "monitoring" for r in roles):
        questions = (
            Phrase("which component collects metrics and raises alerts? None is drawn in the monitoring stage."),
        )
    return Section(title="Monitoring and maintenance", parts=parts, notes=notes + arch.telemetry, questions=questions)


def _scaling(spec: Spec, family: str | None, arch: Architecture, capacity: Capacity) -> ScalingSection:
    notes: list[Phrase] = []
    peak = capacity.sizing_peak
    main = main_rate(capacity.rates)
    served = [c for c in arch.request_path_ids if spec.components[c].kind != "client"]
    if peak and main is not None and not served and not online_serving(spec):
        # Nothing answers requests: the daily volume sizes the batch runs, not a request path.
        notes.append(
            Phrase(
                f"No request path is drawn and serving is not online, so the volume sizes the batch runs: "
                f"{main.per_day} {{0}} a day, about {main.average} per second if spread over the whole "
                "day, and proportionally more in a shorter batch window.",
                (main.thing,),
            )
        )
    elif peak:
        how = "as stated" if capacity.stated_peak else "as estimated under Clarifying requirements"
        notes.append(Phrase(f"Plan the online path for about {peak} requests per second at peak, {how}."))
        online = [c for c in arch.request_path_ids if spec.components[c].kind != "client"]
        if online:
            n = len(online)
            notes.append(
                Phrase(
                    f"Every component on the request path ({listing(n)}) has to "
                    "sustain that rate, or be shielded by a cache.",
                    tuple(spec.label(c) for c in online),
                )
            )
    for size in capacity.sizes:
        # Prose: the rate rounded (a stated peak_qps as written); the arithmetic is under Clarifying requirements.
        lead = f"{{0}} ({size.size} each) at about {size.peak_rate_about} per second"
        args: tuple[str, ...] = (humanise(size.key),)
        if size.unit == "bytes":
            keep = (
                f"; keeping them takes about {size.day_total} a day ({size.year_total} a year)"
                if size.day_total
                else ""
            )
            text = f"{lead} need about {size.peak_total} of bandwidth{keep}."
        elif size.unit == "tokens":
            text = f"{lead} come to about {size.peak_total}."
        else:  # a count per request, `candidates_per_request`: what it counts is spec text
            text = f"{lead} come to about {size.peak_number} {{1}} per second."
            args += (size.unit,)
        notes.append(Phrase(text, args))
    questions = () if spec.scaling else (Phrase(ask("scaling", family)),)
    return ScalingSection(title="Scaling", items=tuple(spec.scaling), notes=tuple(notes), questions=questions)


def _talking_points(spec: Spec, family: str | None) -> Section:
    parts = (_items("Talking points", spec.talking_points, "talking_points", family),)
    return Section(title="Other talking points", parts=parts)


def _pitfalls(spec: Spec, family: str | None) -> PitfallsSection | None:
    """The family's pitfalls: each addressed (where, in the spec's words) or an open question.

    Not counted in `open_question_count`: these are what a strong answer adds, not
    parts of the framework the spec leaves out.
    """
    task = spec.framing.task
    if not task or not family:
        return None
    texts = spec_texts(spec)
    entries = []
    for pitfall in pitfalls(family, task):
        found = evidence(pitfall, texts)
        entries.append(
            PitfallEntry(
                id=pitfall.id,
                title=pitfall.title,
                why=pitfall.why,
                addressed=Phrase(f"in {found.where}: “{{0}}”", (found.quote,)) if found else None,
                question=None if found else Phrase(pitfall.question),
            )
        )
    prose = TASKS[task].prose
    article = "an" if prose[:1] in "aeiou" else "a"
    return PitfallsSection(
        title=f"Pitfalls for {article} {prose} design", task=task, family=family, pitfalls=tuple(entries)
    )


# 'name: note' or 'name — note' (the name short), else 'name (note)' closing the item.
_NAMED = re.compile(r"^(?P<name>[^:—–]{1,60}?)(?::| [—–]| --) (?P<note>.+)$")
_TRAILING_NOTE = re.compile(r"^(?P<name>.+?) \((?P<note>[^()]*(?:\([^()]*\)[^()]*)*)\)$")


def _comparison_row(text: str) -> ComparisonRow:
    flat = " ".join(text.split())
    for pattern in (_NAMED, _TRAILING_NOTE):
        match = pattern.match(flat)
        if match and match["name"].count("(") == match["name"].count(")"):
            return ComparisonRow(text, match["name"].strip(), match["note"].strip())
    return ComparisonRow(text, flat, None)


def _comparison(label: str, options: list[str]) -> ComparisonTable | None:
    if len(options) < 2:
        return None
    return ComparisonTable(label, tuple(_comparison_row(o) for o in options))


def _comparisons(spec: Spec) -> Comparisons:
    """`framing.alternatives` and `model.candidates` as tables, when they list two or more options."""
    return Comparisons(
        framing=_comparison("Alternatives considered", spec.framing.alternatives),
        model=_comparison("Candidates", spec.model.candidates),
    )
