"""The spec format v1 as strict, frozen pydantic models: data only.

`Spec` is what every command after loading works with. Field-level rules live
here (types, enumerations, unknown keys); rules that relate one part of a spec
to another (flow endpoints, groups, views) live in `mlsd.load.references`,
which runs only once these models have accepted the document.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
)
from pydantic_core import PydanticCustomError

from mlsd.catalogue import FLOW_KINDS, KINDS, STAGES, infer_flow_kind
from mlsd.errors import Location, Problem
from mlsd.positions import Map, locate
from mlsd.suggest import ID_PATTERN_RE
from mlsd.vocabulary import DIRECTIONS, SERVING_MODES, TASKS

ID_RE = ID_PATTERN_RE
ID_PATTERN = ID_RE.pattern

# Stated limits, checked at load (mlsd.load.limits) and stated in the JSON Schema.
# An id names output files (`<spec>.<view>.svg`, `<old>--<new>.md`): two of them must fit in 255 bytes.
MAX_ID_LENGTH = 64
# Text drawn in a picture (labels, titles, techs): Graphviz fails far from the cause on huge labels
# (a label of 20,000 characters is a DOT syntax error; 5,000 still lays out), escaping can multiply
# the length by 5, and a picture shows a few dozen characters per box anyway.
MAX_LABEL_LENGTH = 1_000
MAX_COMPONENTS = 500
MAX_GROUPS = 200
MAX_FLOWS = 2_000
# Groups inside groups: Graphviz clusters nest, and so does every walk over them.
MAX_GROUP_DEPTH = 8

if TYPE_CHECKING:
    # The names come from the data files, so to a type checker they are text.
    Task = str
    KindName = str
    FlowKind = str
    ServingMode = str
    Direction = str
else:
    # At run time they are enumerations: pydantic checks them and the schema lists them.
    Task = Literal[tuple(TASKS)]
    KindName = Literal[tuple(KINDS)]
    FlowKind = Literal[tuple(FLOW_KINDS)]
    ServingMode = Literal[tuple(SERVING_MODES)]
    Direction = Literal[tuple(DIRECTIONS)]
Text = Annotated[str, Field(min_length=1)]
TextList = list[Text]


class _Strict(BaseModel):
    # Numbers written where text is expected (`latency: 50`) are taken as text;
    # everything else must have the documented type.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def _name_only(value: object) -> object:
    return {"name": value} if isinstance(value, (str, int, float)) else value


class Metric(_Strict):
    """A metric: its name, an optional target and why it was chosen."""

    name: Text
    target: str | None = None
    why: str | None = None


# Scale numbers are counts, rates and sizes: none is negative, and none a real system reaches is
# above 10**18 (a billion users times a billion); the estimates multiply them, so they stay bounded.
MAX_SCALE = 10**18


def _scale_number(value: int | float | str) -> int | float | str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("scale_number", "must be a finite number, not {value}", {"value": value})
    if value < 0:
        raise PydanticCustomError("scale_number", "must not be negative (found {value})", {"value": value})
    if value > MAX_SCALE:
        raise PydanticCustomError(
            "scale_number", "is larger than the limit of 10**18 (1e18); write it as text if it is not a count", {}
        )
    return value


ScaleValue = Annotated[
    int | float | str,
    AfterValidator(_scale_number),
]


class Requirements(_Strict):
    business_objective: str | None = None
    user_actions: TextList = []
    data: str | None = None
    scale: dict[str, ScaleValue] = Field(
        default_factory=dict,
        description="name -> number or text; numbers feed the capacity estimates",
    )
    latency: str | None = None
    constraints: TextList = []
    out_of_scope: TextList = []


class Framing(_Strict):
    ml_objective: str | None = None
    task: Task | None = None
    input: str | None = None
    output: str | None = None
    labels: str | None = None
    alternatives: TextList = []


MetricItem = Annotated[Metric, Field(description="a metric name, or {name, target?, why?}")]


class Metrics(_Strict):
    business: list[MetricItem] = []
    offline: list[MetricItem] = []
    online: list[MetricItem] = []
    guardrail: list[MetricItem] = []

    @field_validator("business", "offline", "online", "guardrail", mode="before")
    @classmethod
    def _names(cls, value: object) -> object:
        return [_name_only(item) for item in value] if isinstance(value, list) else value


class Data(_Strict):
    sources: TextList = []
    labeling: str | None = None
    sampling: str | None = None
    splits: str | None = None
    imbalance: str | None = None
    privacy: str | None = None
    bias: str | None = None


class Feature(_Strict):
    """A model input feature."""

    name: Text
    group: str | None = None
    freshness: Literal["batch", "streaming", "request"] | None = None
    description: str | None = None


class ModelDevelopment(_Strict):
    baseline: str | None = None
    candidates: TextList = []
    chosen: str | None = None
    loss: str | None = None
    training: str | None = None


class Serving(_Strict):
    mode: ServingMode | None = None
    latency_budget: str | None = None
    steps: TextList = []
    fallback: str | None = None


class Testing(_Strict):
    offline_gate: str | None = None
    online_experiment: str | None = None
    rollout: str | None = None


class Monitoring(_Strict):
    operational: TextList = []
    ml: TextList = []
    alerts: TextList = []
    retraining: str | None = None


class Component(_Strict):
    """One box of the architecture."""

    kind: KindName = Field(description="a kind from the catalogue (`mlsd kinds`)")
    label: str | None = Field(None, description="shown under the icon; default: the id humanised")
    tech: str | None = Field(None, description="a product, e.g. kafka or triton")
    group: str | None = Field(None, description="id of a group")
    description: str | None = Field(None, description="this component's role in this design")
    icon: str | None = Field(None, description="custom PNG or SVG, relative to the spec file, inside its folder tree")
    renamed_from: str | None = Field(
        None, description="the id this component had in the design it is compared with (mlsd diff)"
    )


class Group(_Strict):
    """A box around components; groups nest through `parent`."""

    label: str | None = None
    parent: str | None = None
    description: str | None = None


Endpoints = Text | Annotated[list[Text], Field(min_length=1)]


class FlowMapping(_Strict):
    """A flow written as a mapping; lists connect every pair."""

    model_config = ConfigDict(populate_by_name=True)

    source: Endpoints = Field(alias="from")
    target: Endpoints = Field(alias="to")
    label: str | None = None
    kind: FlowKind | None = None
    note: str | None = None


def _flow_shape(value: object) -> str:
    return "text" if isinstance(value, str) else "mapping"


Flow = Annotated[
    Annotated[Text, Tag("text")] | Annotated[FlowMapping, Tag("mapping")],
    Discriminator(_flow_shape),
    Field(description="'a -> b -> c: label' or {from, to, label?, kind?, note?}"),
]


class View(_Strict):
    """A named subset of the architecture, rendered as its own picture."""

    title: str | None = None
    include: list[Text] = Field(min_length=1, description="component, group or stage ids")


class Step(_Strict):
    """One reveal step: what it adds to the picture."""

    title: Text
    add: list[Text] = Field(min_length=1, description="component, group or stage ids")


@dataclass(frozen=True)
class Edge:
    """One directed edge after flows are expanded: chains and lists become pairs."""

    source: str
    target: str
    kind: str
    label: str | None
    note: str | None
    flow: int  # index of the flow that wrote this edge
    kind_inferred: bool


@dataclass(frozen=True)
class Source:
    """Where a spec came from: its file, the extends chain behind it, and where
    each key and value was written."""

    path: Path
    shown: str
    chain: tuple[Path, ...] = ()
    icons: tuple[tuple[str, Path], ...] = ()
    tree: Map | None = None
    # Located doubts that do not make the spec invalid (`mlsd validate` prints them).
    warnings: tuple[Problem, ...] = ()

    def locate(self, *path: str | int, at_key: bool = False) -> Location:
        """Where the value at `path` (e.g. "components", "scorer") was written."""
        if self.tree is None:
            return Location(self.shown, 1, 1)
        return locate(self.tree, path, at_key=at_key)


class LayoutHints(_Strict):
    """How the picture is laid out, where the automatic choice is not what you want."""

    direction: Direction | None = Field(
        None, description="LR: stages left to right; TB: top to bottom; default: whichever fits a 16:9 slide better"
    )


class Review(_Strict):
    """Settings for `mlsd check`."""

    ignore: dict[str, Text] = Field(
        default_factory=dict, description="rule slug -> the reason this design does not need it"
    )


class Spec(_Strict):
    """A validated ML system design. Build it with `mlsd.load.load_spec`."""

    model_config = ConfigDict(
        title="mlsd spec",
        json_schema_extra={"$id": "https://mlsd.dev/schema/v1.json"},
    )

    mlsd: Literal[1] = Field(description="format version")
    id: Annotated[str, Field(pattern=ID_PATTERN)] = Field(
        description="names every output file; default: the file's stem"
    )
    title: Text
    summary: str | None = None
    extends: str | None = Field(None, description="path of a base spec, relative to this file")
    requirements: Requirements = Requirements()
    framing: Framing = Framing()
    metrics: Metrics = Metrics()
    data: Data = Data()
    features: list[Feature] = []
    model: ModelDevelopment = ModelDevelopment()
    serving: Serving = Serving()
    testing: Testing = Testing()
    monitoring: Monitoring = Monitoring()
    scaling: TextList = []
    talking_points: TextList = []
    components: dict[str, Component] = Field(min_length=1)
    groups: dict[str, Group] = {}
    flows: list[Flow] = []
    views: dict[str, View] = {}
    steps: list[Step] = []
    review: Review = Review()
    layout: LayoutHints = LayoutHints()

    _source: Source | None = PrivateAttr(default=None)

    @field_validator("mlsd", mode="before")
    @classmethod
    def _no_yes_for_one(cls, value: object) -> object:
        # YAML reads `yes` and `true` as True, and True == 1.0 == 1 in Python.
        if isinstance(value, (bool, float)):
            raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
        return value

    @field_validator("features", mode="before")
    @classmethod
    def _feature_names(cls, value: object) -> object:
        return [_name_only(item) for item in value] if isinstance(value, list) else value

    @property
    def source(self) -> Source:
        """The file this spec was loaded from."""
        if self._source is None:
            raise RuntimeError("Spec was built without load_spec()")
        return self._source

    def label(self, component_id: str) -> str:
        """The component's label, or its id humanised."""
        given = self.components[component_id].label
        return given if given else humanise(component_id)

    def group_label(self, group_id: str) -> str:
        """The group's label, or its id humanised."""
        given = self.groups[group_id].label
        return given if given else humanise(group_id)

    def stage(self, component_id: str) -> str:
        """The stage of a component's kind."""
        return KINDS[self.components[component_id].kind].stage

    @functools.cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Every flow expanded into edges, with kinds inferred where absent."""
        result: list[Edge] = []
        for index, flow in enumerate(self.flows):
            for source, target, label, written, note in expand_flow(flow):
                kind = written or infer_flow_kind(self.components[source].kind, self.components[target].kind)
                result.append(Edge(source, target, kind, label, note, index, written is None))
        return tuple(result)

    def resolve_ids(self, ids: list[str]) -> tuple[str, ...]:
        """Component ids named by a list of component, group or stage ids, in spec order."""
        wanted: set[str] = set()
        for name in ids:
            if name in self.components:
                wanted.add(name)
            elif name in self.groups:
                wanted.update(self.group_members(name))
            elif name in STAGES:
                wanted.update(c for c in self.components if self.stage(c) == name)
        return tuple(c for c in self.components if c in wanted)

    def group_members(self, group_id: str) -> tuple[str, ...]:
        """Components in a group or any of its descendants."""
        inside = {group_id}
        changed = True
        while changed:
            changed = False
            for gid, group in self.groups.items():
                if group.parent in inside and gid not in inside:
                    inside.add(gid)
                    changed = True
        return tuple(c for c, comp in self.components.items() if comp.group in inside)


# Abbreviations that read wrong in sentence case ("Llm gateway").
_ACRONYMS = frozenset(
    [
        "ab",
        "ai",
        "ann",
        "api",
        "bm25",
        "cdn",
        "cpu",
        "ctr",
        "db",
        "dnn",
        "eta",
        "etl",
        "gnn",
        "gpu",
        "hpo",
        "id",
        "knn",
        "llm",
        "ml",
        "ocr",
        "pit",
        "pymk",
        "qa",
        "rag",
        "sql",
        "tpu",
        "ui",
        "ux",
    ]
)


def humanise(identifier: str) -> str:
    """`online_store` -> 'Online store'; `llm_gateway` -> 'LLM gateway'."""
    words = [w.upper() if w in _ACRONYMS else w for w in re.sub(r"[_-]+", " ", identifier).split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else identifier


# Arrows people write from other diagram languages and habits; the spec's arrow is `->`.
_OTHER_ARROWS = ("=>", "→", "⇒", "-->", "<-", "- >", "~>", "->>")


def looks_like_flow(text: str) -> bool:
    """Whether a mapping key is a flow chain (with `->`, or an arrow from another notation)."""
    return any(arrow in text for arrow in ("->", *_OTHER_ARROWS))


class FlowSyntaxError(ValueError):
    """A flow string is not `a -> b [-> c] [: label]`."""


def parse_flow_text(text: str) -> tuple[list[str], str | None]:
    """Split 'a -> b -> c: label' into its endpoints and label."""
    head, sep, label = text.partition(":")
    ends = [part.strip() for part in head.split("->")]
    if len(ends) < 2:
        other = next((arrow for arrow in _OTHER_ARROWS if arrow in head), None)
        if other is not None:
            raise FlowSyntaxError(f"flow '{text}' uses '{other}' as an arrow; did you mean '->'?")
        raise FlowSyntaxError(
            f"flow '{text}' has no arrow; write it as 'source -> target' or 'source -> target: label'"
        )
    if any(not end for end in ends):
        raise FlowSyntaxError(f"flow '{text}' has an empty endpoint around '->'")
    for end in ends:
        if not ID_RE.match(end):
            raise FlowSyntaxError(
                f"flow endpoint '{end}' is not a component id (lowercase letters, digits, '_' and '-')"
            )
    cleaned = label.strip() if sep else None
    return ends, cleaned or None


def expand_flow(flow: str | FlowMapping) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(source, target, label, kind, note) for every edge a flow writes."""
    if isinstance(flow, str):
        ends, label = parse_flow_text(flow)
        return [(a, b, label, None, None) for a, b in itertools.pairwise(ends)]
    sources = [flow.source] if isinstance(flow.source, str) else flow.source
    targets = [flow.target] if isinstance(flow.target, str) else flow.target
    return [(a, b, flow.label, flow.kind, flow.note) for a in sources for b in targets]
