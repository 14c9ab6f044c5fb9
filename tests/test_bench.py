"""The benchmark package: its specs are valid, its report reads fake timings, one real measurement runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.mlsd_bench import peers, specs, suite
from benchmarks.mlsd_bench.measure import Case, Sample, run_cases
from benchmarks.mlsd_bench.report import Results, render_report

import mlsd


def test_generated_specs_are_valid_and_repeatable(tmp_path: Path) -> None:
    paths = specs.write_specs(tmp_path, (12, 50))
    assert specs.generated_spec(50) == specs.generated_spec(50)
    small, big = mlsd.load_spec(paths[12]), mlsd.load_spec(paths[50])
    assert (len(small.components), len(small.edges)) == (12, 14)
    assert len(big.components) == 50 and len(big.edges) == round(specs.FLOWS_PER_COMPONENT * 50)


def test_plain_script_has_every_node_and_edge_of_the_dot(tmp_path: Path) -> None:
    design = mlsd.load_spec(specs.write_specs(tmp_path, (12,))[12])
    [dot] = design.render(tmp_path / "out", formats=("dot",))
    script = peers.plain_diagrams_script(dot.read_text(encoding="utf-8"), design.title, "plain")
    compile(script, "plain.py", "exec")
    assert script.count(" = Custom(") == len(design.components)
    assert ".png')" in script and ", '')" not in script  # every node has its icon
    assert script.count(">> Edge(") == len(design.edges)
    assert script.count("with Cluster(") == len(design.groups)


def _case(name: str, size: int, wall: float, png_px: str = "") -> Case:
    return Case("render", name, size, None, 3, png_px=png_px, samples=[Sample(wall * k, wall) for k in (0.9, 1, 1.2)])


def test_report_from_fake_timings() -> None:
    walls = {suite.CLI_BOTH: 1.0, suite.CLI_SVG: 0.4, suite.PLAIN: 2.0, suite.DOT_SVG: 0.2, suite.DOT_PNG: 0.5}
    cases = [_case(name, 50, wall, "100x100" if name == suite.CLI_BOTH else "") for name, wall in walls.items()]
    cases.append(Case("render", suite.D2_DAGRE, 50, None, 3, failed="exit 2: panic"))
    facts = {50: {"components": 50, "groups": 6, "edges": 65, "labelled": 30, "canvas": ["-Gdpi=72"]}}
    machine = {"CPU": "Test CPU", "cores": "2"}
    text = render_report(Results(3, False, machine, facts, cases, load=[1.0, 2.5]))
    assert "| mlsd render -f png,svg (CLI) | 1.000 [1.00] |" in text
    assert "| 50 | 0.50 PASS | 2.0 PASS | – | – | – |" in text  # the d2 row failed, so no ratio
    assert "FAILED (exit 2: panic)" in text
    assert "load average rose to 2.50" in text and "| CPU | Test CPU |" in text


@pytest.mark.slow
def test_one_in_process_measurement_at_12_components(tmp_path: Path) -> None:
    path = specs.write_specs(tmp_path / "specs", (12,))[12]
    facts = suite.prepare(12, path, tmp_path)
    case = next(c for c in suite.render_cases(12, path, facts, 1) if c.name == suite.API_BOTH)
    run_cases([case], tmp_path)
    assert not case.failed and len(case.samples) == 1 and case.median() > 0
