"""The command line: run every case, print the report and write RESULTS.md and results.json."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import peers, specs, suite
from .machine import machine, source_state
from .measure import SLOW_RUNS, LoadWatch, compiled_bytecode, failure_summary, run_cases
from .report import Results, raw_json, render_report

HERE = Path(__file__).resolve().parents[1]
SIZES = (12, 50, 150, 300)
QUICK_SIZES, QUICK_RUNS = (12, 50), 2
QUICK_BUILD_SPECS = 100
PYCACHE = "pycache"  # the bytecode cache of the measured programs, inside the work folder
BYTECODE = "compiled once into a temporary cache (PYTHONPYCACHEPREFIX), as an installed mlsd has it"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mlsd_bench", description=__doc__)
    parser.add_argument("-n", "--runs", type=int, default=5, help="runs per measurement (median); default 5")
    parser.add_argument("--build-runs", type=int, default=2, help="cold + unchanged `mlsd build` pairs; default 2")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma list of spec sizes")
    parser.add_argument(
        "--build-specs",
        type=int,
        default=specs.FOLDER_SPECS,
        help=f"small specs in the generated build folder; default {specs.FOLDER_SPECS}, 0 skips it",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes 12 and 50, N=2, one build pair, {QUICK_BUILD_SPECS} generated specs, prints only",
    )
    parser.add_argument("--no-build", action="store_true", help="skip the `mlsd build` measurements")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mlsd serve` save-to-browser measurement")
    parser.add_argument(
        "--compare",
        type=Path,
        help="an earlier results.json to compare with (default: the one this run replaces)",
    )
    parser.add_argument("--keep", type=Path, help="keep the generated specs, scripts, DOT and D2 in this folder")
    parser.add_argument("--output", type=Path, help="the report (default benchmarks/RESULTS.md; none with --quick)")
    args = parser.parse_args(argv)
    args.sizes = tuple(int(s) for s in args.sizes.split(","))
    if args.quick:
        args.sizes, args.runs, args.build_runs = QUICK_SIZES, QUICK_RUNS, 1
        args.build_specs = min(args.build_specs, QUICK_BUILD_SPECS)
    if args.output is None and not args.quick:
        args.output = HERE / "RESULTS.md"
    return args


def measure(args: argparse.Namespace, work: Path, info: dict[str, str]) -> Results:
    """Every measurement, in the order the report shows them."""
    scratch = work / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    spec_paths = specs.write_specs(work / "specs", args.sizes)
    facts = {s: suite.prepare(s, spec_paths[s], work) for s in args.sizes}
    # Untimed: compile bytecode into the cache and warm the page cache (modules, icons, Graphviz plugins).
    print("warming up: each program once, untimed")
    suite.warm_up(spec_paths[min(args.sizes)], facts[min(args.sizes)], scratch)
    warmed = len(list((work / PYCACHE).rglob("*.pyc")))
    cases = [c for s in args.sizes for c in suite.render_cases(s, spec_paths[s], facts[s], args.runs)]
    print("render (a-d) and where the time goes:")
    run_cases(cases, scratch)
    results = Results(args.runs, args.quick, info, facts, cases)

    print("plain diagrams with diagrams' defaults (one run each):")
    for s in args.sizes:
        facts[s]["defaults"] = peers.defaults_check(Path(facts[s]["files"]["defaults"]).read_text(), scratch)
        print(f"  {s}: {facts[s]['defaults']}")
    worst = max(args.sizes, key=lambda s: results.med(suite.DOT_PNG, s) or 0)
    shares = peers.png_profile(Path(facts[worst]["files"]["dot"]), facts[worst]["canvas"], scratch)
    results.profile = {"size": worst, "shares": shares}

    print("start-up (e):")
    results.startup = suite.startup_cases(spec_paths, args.runs)
    run_cases(results.startup, scratch)
    validate = ["validate", str(spec_paths[min(args.sizes)])]
    results.imports = {"mlsd validate": suite.import_check(validate), "mlsd --help": suite.import_check(["--help"])}
    svg = ["render", str(spec_paths[min(args.sizes)]), "-o", tempfile.mkdtemp(dir=scratch), "-f", "svg"]
    results.imports["mlsd render -f svg"] = suite.import_check(svg)
    print("big design (h):")
    results.big = suite.big_cases(args.runs)
    run_cases(results.big, scratch)
    if not args.no_build:
        measure_builds(args, work, results)
    if not args.no_serve:
        print("serve, save to browser (i):")
        try:
            results.serve = suite.save_to_browser(suite.BIG_SPEC, args.runs, Path(tempfile.mkdtemp(dir=scratch)))
        except RuntimeError as err:  # not a command that failed: its own words, first line
            results.failures["serve (i)"] = (str(err).strip().splitlines() or ["no reason given"])[0][:160]
            print(f"  FAILED: {results.failures['serve (i)']}")
    print("peak memory (g):")
    biggest = max(args.sizes)
    results.memory = suite.peak_memory(spec_paths[biggest], facts[biggest], Path(tempfile.mkdtemp(dir=scratch)))
    later = len(list((work / PYCACHE).rglob("*.pyc"))) - warmed
    info["bytecode"] = f"{BYTECODE}: {warmed} modules before timing, {later} more during the timed runs"
    return results


def measure_builds(args: argparse.Namespace, work: Path, results: Results) -> None:
    """Case (f): the gallery's specs/, then a generated folder of small specs; a failure keeps the rest."""
    print("build (f):")
    try:
        results.build = suite.measure_build(suite.ROOT / "specs", args.build_runs, work)
    except RuntimeError as err:  # keep the rest of a long run
        results.failures["build (f)"] = failure_summary(str(err))
        print(f"  FAILED: {results.failures['build (f)']}")
    if args.build_specs <= 0:
        return
    folder = specs.write_small_specs(work / f"small-{args.build_specs}", args.build_specs)[0].parent
    results.folder_specs = args.build_specs
    print(f"build of {args.build_specs} small specs (f), cold then unchanged (a cold build of 1,000 takes minutes):")
    try:
        results.folder_build = suite.measure_build(folder, 1, work, retries=1)
    except RuntimeError as err:
        results.failures[f"build of {args.build_specs} specs (f)"] = failure_summary(str(err))
        print(f"  FAILED: {failure_summary(str(err))}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started, before = time.perf_counter(), source_state()
    info = machine()
    info["bytecode"] = BYTECODE
    jobs = suite.default_jobs()
    usable = len(os.sched_getaffinity(0))
    info["mlsd build default jobs"] = jobs if jobs.isdigit() else f"{jobs}: {usable} for this benchmark"
    previous = args.compare or (args.output or HERE / "RESULTS.md").with_name("results.json")
    work = args.keep or Path(tempfile.mkdtemp(prefix="mlsd-bench-"))
    print(f"mlsd benchmark: sizes {args.sizes}, N={args.runs} ({SLOW_RUNS} for slow cases), inputs in {work}")
    try:
        with LoadWatch() as load, compiled_bytecode(work / PYCACHE):
            results = measure(args, work, info)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    results.load = load.samples
    if previous.is_file():
        results.previous = json.loads(previous.read_text(encoding="utf-8"))
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    after = source_state()
    changed = sorted(Path(p).name for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    info["mlsd source changed during the run"] = f"**yes**: {', '.join(changed[:6])}" if changed else "no"
    info["benchmark wall time"] = f"{time.perf_counter() - started:.0f} s"
    text = render_report(results)
    print("\n" + text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        args.output.with_name("results.json").write_text(raw_json(results) + "\n", encoding="utf-8")
        print(f"wrote {args.output} and {args.output.with_name('results.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
