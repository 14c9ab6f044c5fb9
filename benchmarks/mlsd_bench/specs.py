"""The synthetic specs: the 12-component RAG platform, seeded random designs of any size, folders of small ones."""

from __future__ import annotations

import functools
import itertools
import json
import random
import subprocess
from pathlib import Path

import yaml

from .measure import MLSD

SEED = 8  # the issue number; any fixed value gives the same specs every run
FLOWS_PER_COMPONENT = 1.3
FOLDER_SPECS = 1000  # small specs in the generated build folder (issue 20)
FLOW_LABELS = ("requests", "events", "features", "scores", "batch", "labels", "vectors", "results")

# A trimmed real design: a RAG serving platform, as the peers' documentation draws it
# (12 components, 3 groups, 14 flows), written in mlsd's format.
RAG_PLATFORM = {
    "mlsd": 1,
    "id": "size-12",
    "title": "RAG serving platform",
    "components": {
        "user": {"kind": "client", "label": "Employees"},
        "gateway": {"kind": "api-gateway", "tech": "kong", "group": "serving"},
        "inference": {"kind": "app-service", "label": "Inference service", "tech": "fastapi", "group": "serving"},
        "cache": {"kind": "cache", "label": "Response cache", "tech": "redis", "group": "serving"},
        "llm": {"kind": "llm", "label": "LLM", "tech": "vllm", "group": "serving"},
        "docs": {"kind": "object-store", "label": "Documents", "tech": "s3", "group": "data"},
        "embedder": {"kind": "embedding-service", "label": "Passage embedder", "group": "data"},
        "vectordb": {"kind": "vector-index", "label": "Vector DB", "tech": "qdrant", "group": "data"},
        "trainer": {"kind": "training-cluster", "label": "Fine-tuning", "group": "training"},
        "evals": {"kind": "llm-eval", "label": "Evaluation harness", "tech": "ragas", "group": "training"},
        "registry": {"kind": "model-registry", "tech": "mlflow", "group": "training"},
        "metrics": {"kind": "monitoring", "tech": "prometheus"},
    },
    "groups": {
        "serving": {"label": "Serving"},
        "data": {"label": "Data"},
        "training": {"label": "Training"},
    },
    "flows": [
        "user -> gateway: question",
        "gateway -> inference",
        "inference -> cache: lookup",
        "inference -> vectordb: retrieve top-k",
        "inference -> llm: prompt",
        "docs -> embedder: documents",
        "embedder -> vectordb: vectors",
        "docs -> trainer: training data",
        "trainer -> evals: candidate",
        "evals -> registry: approved",
        "registry -> llm: load weights",
        "llm -> metrics",
        "inference -> metrics",
        {"from": "inference", "to": "docs", "kind": "data", "label": "sink"},
    ],
}


@functools.cache
def catalogue() -> dict[str, list[str]]:
    """Component kind -> its known techs, from `mlsd kinds -f json`."""
    done = subprocess.run([MLSD, "kinds", "-f", "json"], capture_output=True, text=True, check=True)
    return {kind["name"]: kind["techs"] for kind in json.loads(done.stdout)["kinds"]}


def generated_spec(size: int, seed: int = SEED) -> dict:
    """A valid spec of `size` components with random kinds, 4-20 groups and ~1.3 flows each.

    Components go into groups in runs, and 70 % of flows join components at
    most five places apart, like real pipelines; the rest join any two.
    Half the flows are labelled, 5 % are feedback.
    """
    rng = random.Random(seed * 1000 + size)
    techs = catalogue()
    kinds = sorted(techs)
    n_groups = min(20, max(4, size // 8))
    ids, components = [], {}
    for i in range(size):
        kind = rng.choice(kinds)
        cid = f"{kind.replace('-', '_')}_{i}"
        comp: dict = {"kind": kind}
        if i % 10 != 0:  # every tenth component stays outside any group
            comp["group"] = f"g{i * n_groups // size}"
        if techs[kind] and rng.random() < 0.4:
            comp["tech"] = rng.choice(techs[kind])
        components[cid] = comp
        ids.append(cid)
    pairs: set[tuple[int, int]] = set()
    flows: list = []
    while len(flows) < round(FLOWS_PER_COMPONENT * size):
        a = rng.randrange(size)
        b = a + rng.randint(-5, 5) if rng.random() < 0.7 else rng.randrange(size)
        if not 0 <= b < size or a == b or (a, b) in pairs:
            continue
        pairs.add((a, b))
        label = rng.choice(FLOW_LABELS) if rng.random() < 0.5 else None
        if rng.random() < 0.05:
            flows.append({"from": ids[a], "to": ids[b], "kind": "feedback", **({"label": label} if label else {})})
        else:
            flows.append(f"{ids[a]} -> {ids[b]}" + (f": {label}" if label else ""))
    return {
        "mlsd": 1,
        "id": f"size-{size}",
        "title": f"Generated design, {size} components",
        "components": components,
        "groups": {f"g{g}": {"label": f"Subsystem {g}"} for g in range(n_groups)},
        "flows": flows,
    }


def small_spec(index: int, seed: int = SEED) -> dict:
    """Small design number `index` of a folder: 3-6 components of random kinds in a chain, one shortcut flow.

    Its id, `small-NNNN`, differs for every index, so a folder of them builds without clashes.
    """
    rng = random.Random(f"small-{seed}-{index}")
    techs = catalogue()
    kinds = rng.sample(sorted(techs), rng.randint(3, 6))
    ids = [f"{kind.replace('-', '_')}_{i}" for i, kind in enumerate(kinds)]
    components: dict = {}
    for cid, kind in zip(ids, kinds, strict=True):
        components[cid] = {"kind": kind}
        if techs[kind] and rng.random() < 0.4:
            components[cid]["tech"] = rng.choice(techs[kind])
    flows = [
        f"{a} -> {b}" + (f": {rng.choice(FLOW_LABELS)}" if rng.random() < 0.5 else "")
        for a, b in itertools.pairwise(ids)
    ]
    flows.append(f"{ids[0]} -> {ids[-1]}: {rng.choice(FLOW_LABELS)}")
    return {
        "mlsd": 1,
        "id": f"small-{index:04d}",
        "title": f"Small design {index}",
        "components": components,
        "flows": flows,
    }


def write_small_specs(folder: Path, count: int) -> list[Path]:
    """Write `count` small specs, `small-0000.yaml` onwards, into `folder` (the folder of the build case)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"small-{i:04d}.yaml" for i in range(count)]
    for i, path in enumerate(paths):
        path.write_text(yaml.safe_dump(small_spec(i), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return paths


def write_specs(folder: Path, sizes: tuple[int, ...]) -> dict[int, Path]:
    """Write `size-N.yaml` per size into `folder`; size 12 is the RAG platform."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for size in sizes:
        data = RAG_PLATFORM if size == 12 else generated_spec(size)
        paths[size] = folder / f"size-{size}.yaml"
        paths[size].write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return paths
