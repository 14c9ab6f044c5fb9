"""A large generated design (300 components, 20 groups, 400 flows) still renders."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

import mlsd.render.engine as engine
from mlsd.catalogue import KINDS
from mlsd.load import load_spec
from mlsd.render import RenderOptions, pictures, render_pictures

from ._helpers import image_positions, png_size

pytestmark = pytest.mark.slow


def big_spec(seed: int = 1234, components: int = 300, groups: int = 20, flows: int = 400) -> dict:
    """A random but seeded design; about a third of the groups nest inside another."""
    rng = random.Random(seed)
    kinds = sorted(KINDS)
    group_ids = [f"g{i:02d}" for i in range(groups)]
    group_map: dict[str, dict] = {}
    for i, gid in enumerate(group_ids):
        group_map[gid] = {"label": f"Group {i}"}
        if i >= 6 and rng.random() < 0.5:
            group_map[gid]["parent"] = group_ids[rng.randrange(i)]
    comps: dict[str, dict] = {}
    for i in range(components):
        comp = {"kind": rng.choice(kinds)}
        if rng.random() < 0.85:
            comp["group"] = rng.choice(group_ids)
        comps[f"c{i:03d}"] = comp
    ids = list(comps)
    seen: set[tuple[str, str]] = set()
    flow_list: list[dict] = []
    while len(flow_list) < flows:
        a, b = rng.sample(ids, 2)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        flow = {"from": a, "to": b}
        if rng.random() < 0.3:
            flow["label"] = f"flow {len(flow_list)}"
        flow_list.append(flow)
    return {"mlsd": 1, "id": "big", "title": "300 components", "components": comps,
            "groups": group_map, "flows": flow_list}  # fmt: skip


def test_300_components_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(json.dumps(big_spec(), indent=1), encoding="utf-8")  # JSON is YAML
    spec = load_spec(path)
    assert len(spec.components) == 300 and len(spec.groups) == 20 and len(spec.edges) == 400

    timings: list[tuple[str, float]] = []
    real_run = engine._run

    def timed(program, args, *rest, **kwargs):
        start = time.perf_counter()
        try:
            return real_run(program, args, *rest, **kwargs)
        finally:
            timings.append((f"{program} {args[-1]}", time.perf_counter() - start))

    monkeypatch.setattr(engine, "_run", timed)
    start = time.perf_counter()
    (main,) = render_pictures(spec, pictures(spec), RenderOptions(formats=("svg", "png")))
    total = time.perf_counter() - start

    svg = main.files["svg"]
    assert len(image_positions(svg)) == 300
    assert svg.count(b"<image") == 300
    width, height = png_size(main.files["png"])
    assert width > 0 and height > 0
    report = ", ".join(f"{what}: {seconds:.1f} s" for what, seconds in timings)
    with capsys.disabled():
        print(
            f"\n[300 components] total {total:.1f} s ({report}); svg {len(svg) / 1e6:.1f} MB,"
            f" png {width}x{height} px, {len(main.files['png']) / 1e6:.1f} MB; warnings: {len(main.warnings)}"
        )
