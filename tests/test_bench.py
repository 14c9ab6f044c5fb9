"""The benchmark package: its specs are valid, its report reads fake timings, one real measurement runs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from benchmarks.mlsd_bench import __main__ as bench_cli
from benchmarks.mlsd_bench import peers, specs, suite
from benchmarks.mlsd_bench.measure import PYTHON, Case, Sample, compiled_bytecode, run_cases
from benchmarks.mlsd_bench.report import Results, issue20_targets, raw_json, render_report
from click.testing import CliRunner

import mlsd
from mlsd.cli import main as mlsd_main


def test_generated_specs_are_valid_and_repeatable(tmp_path: Path) -> None:
    paths = specs.write_specs(tmp_path, (12, 50))
    assert specs.generated_spec(50) == specs.generated_spec(50)
    small, big = mlsd.load_spec(paths[12]), mlsd.load_spec(paths[50])
    assert (len(small.components), len(small.edges)) == (12, 14)
    assert len(big.components) == 50 and len(big.edges) == round(specs.FLOWS_PER_COMPONENT * 50)


def test_the_folder_of_small_specs_is_valid_distinct_and_repeatable(tmp_path: Path) -> None:
    paths = specs.write_small_specs(tmp_path / "small", specs.FOLDER_SPECS)
    assert len(paths) == specs.FOLDER_SPECS == len({p.name for p in paths})
    result = CliRunner().invoke(mlsd_main, ["validate", str(tmp_path / "small")])
    assert result.exit_code == 0, result.output
    assert f"{specs.FOLDER_SPECS} specs valid" in result.output
    assert len({specs.small_spec(i)["id"] for i in range(specs.FOLDER_SPECS)}) == specs.FOLDER_SPECS
    assert specs.small_spec(7) == specs.small_spec(7) != specs.small_spec(8)
    sizes = {len(mlsd.load_spec(p).components) for p in paths[:40]}
    assert sizes <= {3, 4, 5, 6} and len(sizes) > 1


def test_plain_script_has_every_node_and_edge_of_the_dot(tmp_path: Path) -> None:
    design = mlsd.load_spec(specs.write_specs(tmp_path, (12,))[12])
    [dot] = design.render(tmp_path / "out", formats=("dot",))
    script = peers.plain_diagrams_script(dot.read_text(encoding="utf-8"), design.title, "plain")
    compile(script, "plain.py", "exec")
    assert script.count(" = Custom(") == len(design.components)
    assert ".png')" in script and ", '')" not in script  # every node has its icon
    assert script.count(">> Edge(") == len(design.edges)
    assert script.count("with Cluster(") == len(design.groups)
    assert "outformat=['png', 'svg']" in script


def test_the_svg_only_script_differs_from_the_png_and_svg_one_in_its_formats_alone(tmp_path: Path) -> None:
    design = mlsd.load_spec(specs.write_specs(tmp_path, (12,))[12])
    [dot] = design.render(tmp_path / "out", formats=("dot",))
    both = peers.plain_diagrams_script(dot.read_text(encoding="utf-8"), design.title, "plain")
    svg = peers.plain_diagrams_script(dot.read_text(encoding="utf-8"), design.title, "plain", outformat=("svg",))
    compile(svg, "plain.py", "exec")
    assert svg == both.replace("outformat=['png', 'svg']", "outformat=['svg']") != both


def test_prepare_writes_the_svg_only_script(tmp_path: Path) -> None:
    facts = suite.prepare(12, specs.write_specs(tmp_path / "specs", (12,))[12], tmp_path)
    assert "outformat=['svg']" in Path(facts["files"]["plain_svg"]).read_text(encoding="utf-8")
    names = [c.name for c in suite.render_cases(12, tmp_path / "specs" / "size-12.yaml", facts, 1)]
    assert suite.PLAIN_SVG in names and suite.PLAIN in names


def test_child_processes_keep_bytecode_in_the_cache_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "benchmod.py").write_text("X = 1\n", encoding="utf-8")
    with compiled_bytecode(tmp_path / "cache"):
        assert "PYTHONDONTWRITEBYTECODE" not in os.environ
        subprocess.run([PYTHON, "-c", "import benchmod"], cwd=tmp_path / "src", check=True)
    assert os.environ["PYTHONDONTWRITEBYTECODE"] == "1" and "PYTHONPYCACHEPREFIX" not in os.environ
    assert [p.name for p in (tmp_path / "cache").rglob("benchmod*.pyc")]
    assert not (tmp_path / "src" / "__pycache__").exists()


def test_save_to_browser_calls_serve_latency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def save_to_browser(spec: Path, runs: int, work: Path) -> list[float]:
        calls.append((spec, runs, work))
        return [0.4, 0.3, 0.5]

    fake = types.ModuleType("serve_latency")
    fake.save_to_browser = save_to_browser  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "benchmarks.mlsd_bench.serve_latency", fake)
    assert suite.save_to_browser(suite.BIG_SPEC, 3, tmp_path) == [0.4, 0.3, 0.5]
    assert calls == [(suite.BIG_SPEC, 3, tmp_path)]


@pytest.mark.parametrize(
    ("missing", "says"),
    [("benchmarks.mlsd_bench.serve_latency", "serve_latency.py is missing"), ("playwright", "cannot import")],
)
def test_save_to_browser_without_serve_latency_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str, says: str
) -> None:
    def import_module(name: str) -> None:
        raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)

    monkeypatch.setattr(suite.importlib, "import_module", import_module)
    with pytest.raises(RuntimeError, match=re.escape(says)):
        suite.save_to_browser(suite.BIG_SPEC, 1, tmp_path)


def test_big_cases_are_the_24_component_gallery_design() -> None:
    cases = suite.big_cases(2)
    assert [(c.name, c.size, c.runs) for c in cases] == [(suite.BIG_STEPS, 24, 2), (suite.BIG_SLIDES, 24, 2)]


def test_options_quick_and_build_specs() -> None:
    assert bench_cli.parse([]).build_specs == specs.FOLDER_SPECS
    assert bench_cli.parse(["--build-specs", "7"]).build_specs == 7
    quick = bench_cli.parse(["--quick"])
    assert (quick.build_specs, quick.output, quick.no_serve) == (100, None, False)
    assert bench_cli.parse(["--quick", "--build-specs", "5", "--no-serve"]).build_specs == 5


def test_build_default_jobs_is_read_from_the_help() -> None:
    assert suite.default_jobs()
    text = "  -o, --output DIRECTORY  [default: output]\n  -j, --jobs INTEGER RANGE  specs at once\n    [default: 2; 1<=x<=64]\n"
    assert suite.jobs_from_help(text) == "2"
    assert suite.jobs_from_help(text.replace("[default: 2; ", "[")) == "?"


def _case(name: str, size: int, wall: float, png_px: str = "", group: str = "render") -> Case:
    return Case(group, name, size, None, 3, png_px=png_px, samples=[Sample(wall * k, wall) for k in (0.9, 1, 1.2)])


def _pair(cold: float, unchanged: float, specs_count: int, valid: bool = True) -> dict:
    return {
        "cold": Sample(cold, cold * 0.8),
        "unchanged": Sample(unchanged, unchanged),
        "skipped": specs_count if valid else 0,
        "specs": specs_count,
        "valid": valid,
    }


def _fake_results(**more: object) -> Results:
    walls = {suite.CLI_BOTH: 1.0, suite.CLI_SVG: 0.4, suite.PLAIN: 2.0, suite.PLAIN_SVG: 0.5}
    walls |= {suite.DOT_SVG: 0.2, suite.DOT_PNG: 0.5}
    cases = [
        _case(name, size, wall * size / 12, "100x100" if name == suite.CLI_BOTH else "")
        for size in (12, 50)
        for name, wall in walls.items()
    ]
    cases.append(Case("render", suite.D2_DAGRE, 50, None, 3, failed="exit 2: panic"))
    facts = {s: {"components": s, "groups": 6, "edges": 65, "labelled": 30, "canvas": ["-Gdpi=72"]} for s in (12, 50)}
    machine = {"CPU": "Test CPU", "cores": "2", "bytecode": "compiled once into a temporary cache"}
    more.setdefault("load", [1.0, 2.5])
    return Results(3, False, machine | {"mlsd build default jobs": "2"}, facts, cases, **more)


def test_report_from_fake_timings() -> None:
    big = [_case(suite.BIG_STEPS, 24, 2.5, group="big"), _case(suite.BIG_SLIDES, 24, 3.5, group="big")]
    results = _fake_results(
        big=big,
        build=[_pair(10.0, 0.5, 22), _pair(11.0, 9.0, 22, valid=False)],
        folder_specs=1000,
        folder_build=[_pair(400.0, 2.0, 1000)],
        serve=[0.4, 0.6, 0.5],
    )
    text = render_report(results)
    assert "| mlsd render -f png,svg (CLI) | 1.000 [1.00] |" in text
    assert "| 50 | 0.50 PASS | 0.80 | 2.0 PASS | – | – | – |" in text  # the d2 row failed, so no ratio
    assert "FAILED (exit 2: panic)" in text
    assert "load average peaked at 2.50 (median 1.75)" in text and "| CPU | Test CPU |" in text
    busy = render_report(_fake_results(load=[2.5, 3.0, 2.2]))
    assert "was 2.50 at the median of the run" in busy and "other work competed" in busy
    assert "| bytecode | compiled once into a temporary cache |" in text
    assert "## Issue 20 targets" in text and "medians" in text
    rows = [line for line in text.splitlines() if line.endswith(("**PASS** |", "**FAIL** |", "MEASURED** |"))]
    issue20 = rows[:7]
    assert issue20[0].startswith("| `mlsd render -f svg` ÷ plain diagrams script writing SVG, 12 comp., ≤ 1.2 |")
    assert "| 0.80 (0.400 s ÷ 0.500 s) | **PASS** |" in issue20[0]
    assert "| 0.50 (1.000 s ÷ 2.000 s) | **PASS** |" in issue20[1]
    assert "| 0.050 | **PASS** |" in issue20[2]  # the pair whose source changed does not count
    assert "| 2.50 s | **PASS** |" in issue20[3] and "| 3.50 s | **FAIL** |" in issue20[4]
    assert "| 0.50 s | **PASS** |" in issue20[5]
    assert "1,000 small specs" in issue20[6] and "cold 400.0 s (2.5 specs/s), unchanged 2.00 s, ratio 0.005" in text
    assert "## Big design, 24 components (h)" in text and "| `mlsd slides` | 3.500 |" in text
    assert "no: mlsd's files changed in between" in text and "**2.5 specs/s**" in text
    assert "Median **0.500 s** of 3 saves (min–max 0.400–0.600 s)" in text


def test_report_compares_with_the_previous_results_json() -> None:
    def old(name: str, wall: float) -> dict:
        return {"name": name, "size": 12, "samples": [{"wall": wall, "cpu": wall}]}

    previous = {"machine": {"date": "yesterday"}, "samples": [old(suite.CLI_SVG, 0.1), old(suite.PLAIN, 2.0)]}
    text = render_report(_fake_results(previous=previous))
    assert "## Against the previous results.json" in text and "run of yesterday" in text
    assert "| mlsd render -f svg (CLI) | 12 | 0.100 | 0.400 | **4.00 slower** |" in text
    assert "| plain diagrams script png+svg | 12 | 2.000 | 2.000 | 1.00 |" in text
    assert "## Against the previous" not in render_report(_fake_results())


def test_report_says_what_was_not_measured() -> None:
    results = _fake_results(failures={"serve (i)": "cannot import serve_latency: no module"})
    text = render_report(results)
    targets = {t["target"].split(",")[0]: t for t in issue20_targets(results)}
    assert targets["`mlsd serve`: saved spec to updated picture"]["result"] == "NOT MEASURED"
    assert targets["`mlsd serve`: saved spec to updated picture"]["measured"].endswith("no module")
    assert targets["`mlsd render -f svg` ÷ plain diagrams script writing SVG"]["result"] == "PASS"
    assert "Not measured: cannot import serve_latency" in text
    assert "## Big design" not in text and "## Build (f)" not in text


def test_results_json_has_the_issue_20_targets_and_the_new_samples() -> None:
    big = [_case(suite.BIG_STEPS, 24, 2.5, group="big")]
    results = _fake_results(big=big, folder_specs=100, folder_build=[_pair(40.0, 1.0, 100)], serve=[0.7])
    raw = json.loads(raw_json(results))
    verdicts = [t["result"] for t in raw["issue_20_targets"]]
    assert verdicts == ["PASS", "PASS", "NOT MEASURED", "PASS", "NOT MEASURED", "PASS", "PASS"]
    assert raw["serve_save_to_browser"] == [0.7]
    assert raw["folder_build"]["specs"] == 100 and raw["folder_build"]["pairs"][0]["cold"]["wall"] == 40.0
    assert any(s["name"] == suite.BIG_STEPS for s in raw["samples"])


@pytest.mark.slow
def test_one_in_process_measurement_at_12_components(tmp_path: Path) -> None:
    path = specs.write_specs(tmp_path / "specs", (12,))[12]
    facts = suite.prepare(12, path, tmp_path)
    case = next(c for c in suite.render_cases(12, path, facts, 1) if c.name == suite.API_BOTH)
    run_cases([case], tmp_path)
    assert not case.failed and len(case.samples) == 1 and case.median() > 0


@pytest.mark.slow
def test_a_cold_then_unchanged_build_of_small_specs(tmp_path: Path) -> None:
    folder = specs.write_small_specs(tmp_path / "small", 3)[0].parent
    [pair] = suite.measure_build(folder, 1, tmp_path, retries=0)
    assert pair["valid"] and (pair["specs"], pair["skipped"]) == (3, 3)
    assert pair["unchanged"].wall < pair["cold"].wall


@pytest.mark.slow
def test_a_small_whole_run_writes_the_report_and_no_bytecode_into_the_repository(tmp_path: Path) -> None:
    report = tmp_path / "RESULTS.md"
    argv = [
        "--sizes",
        "12",
        "-n",
        "1",
        "--build-runs",
        "1",
        "--build-specs",
        "2",
        "--no-serve",
        "--output",
        str(report),
    ]
    assert bench_cli.main(argv) == 0
    text = report.read_text(encoding="utf-8")
    assert "## Issue 20 targets" in text and "| bytecode | compiled once into a temporary cache" in text
    raw = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert raw["folder_build"]["pairs"][0]["valid"] and len(raw["issue_20_targets"]) == 7
    assert not list(Path(mlsd.__file__).parent.rglob("__pycache__"))
