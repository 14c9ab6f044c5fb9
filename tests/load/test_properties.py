"""Property tests for loading: valid specs load, anything else is a located SpecError.

(a) random structurally valid specs always load, with the expected number of edges;
(b) random mutations of a valid spec load or give located problems, never another exception;
(c) random bytes and text load or give located problems, never another exception.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsd.catalogue import FLOW_KINDS, KINDS
from mlsd.errors import SpecError
from mlsd.load import load_spec
from mlsd.model import Spec

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).parent / "valid" / "fraud.yaml"
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting also the text that YAML 1.2 (mlsd's reading) takes for a number."""


# PyYAML writes `08`, `0o17` and `1e3` plain (text in YAML 1.1); YAML 1.2 reads them as numbers.
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?[0-9]+(?:[eE][-+]?[0-9]+)?|0o[0-7]+)$"),
    list("-+0123456789"),
)


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def check_outcome(path: Path) -> Spec | None:
    """Load `path`; a SpecError is fine if every problem is located and says something.

    A spec that loads must be usable: its edges expand and name known components.
    """
    try:
        spec = load_spec(path)
    except SpecError as err:
        assert err.problems, "a SpecError must carry at least one problem"
        for problem in err.problems:
            assert problem.location.line >= 1, problem
            assert problem.location.column >= 1, problem
            assert problem.location.file, problem
            assert problem.message.strip(), problem
        return None
    for edge in spec.edges:
        assert edge.source in spec.components and edge.target in spec.components
        assert edge.kind in FLOW_KINDS
    for component in spec.components.values():
        assert component.group is None or component.group in spec.groups
    return spec


# --- (a) valid specs -----------------------------------------------------------------------

ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,11}", fullmatch=True)
# any unicode text (hypothesis leaves out surrogates, which UTF-8 cannot encode)
# (control characters are refused at load: see test_reader)
labels = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=24)


@st.composite
def valid_specs(draw: st.DrawFn) -> tuple[dict, int]:
    """A structurally valid spec as plain data, and the number of edges it must have."""
    component_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    group_ids = [g for g in draw(st.lists(ids, max_size=4, unique=True)) if g not in component_ids]
    groups: dict[str, dict] = {}
    for index, gid in enumerate(group_ids):
        group: dict = {}
        if index and draw(st.booleans()):  # a parent defined earlier: no cycles
            group["parent"] = draw(st.sampled_from(group_ids[:index]))
        if draw(st.booleans()):
            group["label"] = draw(labels)
        groups[gid] = group

    components: dict[str, dict] = {}
    for cid in component_ids:
        comp: dict = {"kind": draw(st.sampled_from(sorted(KINDS)))}
        if draw(st.booleans()):
            comp["label"] = draw(labels)
        if groups and draw(st.booleans()):
            comp["group"] = draw(st.sampled_from(group_ids))
        if draw(st.booleans()):
            comp["tech"] = draw(st.sampled_from(["kafka", "redis", "triton", "my own thing"]))
        if draw(st.booleans()):
            comp["description"] = draw(labels)
        components[cid] = comp

    endpoint = st.sampled_from(component_ids)
    flows: list = []
    edges = 0
    for _ in range(draw(st.integers(0, 8))):
        shape = draw(st.sampled_from(["text", "yaml-mapping", "mapping"]))
        if shape == "mapping":
            sources = draw(st.lists(endpoint, min_size=1, max_size=3))
            targets = draw(st.lists(endpoint, min_size=1, max_size=3))
            flow: dict = {
                "from": sources[0] if len(sources) == 1 and draw(st.booleans()) else sources,
                "to": targets[0] if len(targets) == 1 and draw(st.booleans()) else targets,
            }
            if draw(st.booleans()):
                flow["label"] = draw(labels)
            if draw(st.booleans()):
                flow["kind"] = draw(st.sampled_from(FLOW_KINDS))
            flows.append(flow)
            edges += len(sources) * len(targets)
            continue
        chain = draw(st.lists(endpoint, min_size=2, max_size=4))
        arrow = draw(st.sampled_from([" -> ", "->", "  ->  "]))
        head = arrow.join(chain)
        label = draw(st.none() | labels)
        if shape == "text":  # "a -> b: label" as one (quoted) string
            flows.append(head if label is None else f"{head}: {label}")
        else:  # - a -> b: label, which YAML reads as a one-key mapping
            flows.append({head: label})
        edges += len(chain) - 1

    spec: dict = {
        "mlsd": 1,
        "title": draw(st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)),
    }
    if draw(st.booleans()):
        spec["id"] = draw(ids)
    spec["components"] = components
    if groups:
        spec["groups"] = groups
    if flows:
        spec["flows"] = flows
    return spec, edges


@SETTINGS
@given(case=valid_specs())
def test_valid_specs_always_load(case: tuple[dict, int], workdir: Path) -> None:
    data, edge_count = case
    path = workdir / "valid.yaml"
    text = dump(data)
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    assert list(spec.components) == list(data["components"])
    # what PyYAML itself reads back (a raw U+0085 in a quoted scalar is a line break to YAML)
    plain = yaml.safe_load(text)
    assert spec.title == plain["title"]
    for cid, comp in plain["components"].items():
        assert spec.components[cid].label == comp.get("label")
        assert spec.components[cid].group == comp.get("group")
    assert spec.id == data.get("id", "valid")
    assert len(spec.edges) == edge_count
    for edge in spec.edges:
        assert edge.source in spec.components and edge.target in spec.components
        assert edge.kind in FLOW_KINDS
    for cid in spec.components:
        assert isinstance(spec.label(cid), str)


# --- (b) mutations of a valid spec ---------------------------------------------------------

BASE = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

junk_text = st.text(max_size=12)
junk = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    junk_text,
    st.lists(st.one_of(st.integers(), junk_text), max_size=3),
    st.dictionaries(junk_text, st.one_of(st.integers(), junk_text, st.none()), max_size=3),
)
KNOWN_KEYS = sorted(
    set(Spec.model_fields) | {"from", "to", "kind", "label", "tech", "group", "parent", "icon", "include", "add"}
)
new_keys = st.one_of(junk_text, st.sampled_from(KNOWN_KEYS))


def _containers(node: object, path: tuple = ()) -> list[tuple]:
    """Paths of every mapping and list in the document (the places a mutation can hit)."""
    found = []
    if isinstance(node, dict):
        found.append(path)
        for key, value in node.items():
            found += _containers(value, path + (key,))
    elif isinstance(node, list):
        found.append(path)
        for index, value in enumerate(node):
            found += _containers(value, path + (index,))
    return found


def _at(node: object, path: tuple) -> object:
    for part in path:
        node = node[part]  # type: ignore[index]
    return node


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in _containers(data) if _at(data, p)]
        if not places:
            break
        holder = _at(data, draw(st.sampled_from(places)))
        keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["delete", "duplicate", "retype", "rename"]))
        if action == "delete":
            del holder[key]
        elif action == "retype":
            holder[key] = draw(junk)
        elif action == "duplicate":
            if isinstance(holder, list):
                holder.insert(key, copy.deepcopy(holder[key]))
            else:
                holder[draw(new_keys)] = copy.deepcopy(holder[key])
        elif isinstance(holder, dict):  # rename, keeping the order of the other keys
            new = draw(new_keys)
            items = [(new if k == key else k, v) for k, v in holder.items()]
            holder.clear()
            holder.update(items)
        else:  # "rename" in a list: move the item to the end
            holder.append(holder.pop(key))
    return data


@SETTINGS
@given(data=mutated_specs())
def test_mutated_specs_load_or_report_located_problems(data: dict, workdir: Path) -> None:
    path = workdir / "mutated.yaml"
    path.write_text(dump(data), encoding="utf-8")
    check_outcome(path)


@SETTINGS
@given(data=mutated_specs(), line=st.integers(0, 200), action=st.sampled_from(["dup", "del"]))
def test_mutated_text_loads_or_reports_located_problems(data: dict, line: int, action: str, workdir: Path) -> None:
    """Line-level damage (a repeated or lost line) reaches the reader's own checks."""
    lines = dump(data).splitlines(keepends=True)
    index = line % len(lines)
    if action == "dup":
        lines.insert(index, lines[index])
    else:
        del lines[index]
    path = workdir / "mutated_text.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    check_outcome(path)


def test_the_unmutated_base_loads(workdir: Path) -> None:
    """The mutation tests start from a spec that is valid as plain data."""
    path = workdir / "base.yaml"
    path.write_text(dump(BASE), encoding="utf-8")
    assert check_outcome(path) is not None


# --- (c) random bytes and text -------------------------------------------------------------

TOKENS = [
    "mlsd: 1\n", "title: x\n", "components:\n", "  a: {kind: client}\n", "flows:\n",
    "  - a -> a\n", "groups:\n", "extends: x.yaml\n", "icon: x.png\n", "- ", "  ", "\t",
    "{", "}", "[", "]", ",", ": ", "&a ", "*a", "<<: ", "!!str ", "!!python/name:x ",
    "---\n", "...\n", "? ", "'", '"', "#", "\n", "\\", "->", "é", "\ufeff", "\x85", "%YAML 1.1\n",
]  # fmt: skip


@SETTINGS
@given(content=st.binary(max_size=400))
def test_random_bytes_load_or_report_located_problems(content: bytes, workdir: Path) -> None:
    path = workdir / "bytes.yaml"
    path.write_bytes(content)
    check_outcome(path)


@SETTINGS
@given(content=st.text(max_size=400))
def test_random_text_loads_or_reports_located_problems(content: str, workdir: Path) -> None:
    path = workdir / "text.yaml"
    path.write_text(content, encoding="utf-8")
    check_outcome(path)


@SETTINGS
@given(content=st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_yaml_like_token_soup_loads_or_reports_located_problems(content: str, workdir: Path) -> None:
    path = workdir / "soup.yaml"
    path.write_text(content, encoding="utf-8")
    check_outcome(path)
