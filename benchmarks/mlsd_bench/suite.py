"""The cases: render time (a-d), start-up (e), `mlsd build` (f), peak memory (g), big design (h), serve (i)."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import mlsd

from . import peers, specs
from .measure import MLSD, PYTHON, Case, Sample, png_size, run, timed, tree_memory

ROOT = Path(__file__).resolve().parents[2]
CLI_BOTH, CLI_SVG = "mlsd render -f png,svg (CLI)", "mlsd render -f svg (CLI)"
API_BOTH, API_SVG = "design.render png+svg (in-process)", "design.render svg (in-process)"
PLAIN, PLAIN_SVG = "plain diagrams script png+svg", "plain diagrams script svg"
DOT_SVG, DOT_PNG, DOT_LAYOUT = "dot -Tsvg (mlsd's DOT)", "dot -Tpng (mlsd's DOT)", "dot -Tdot (layout only)"
D2_DAGRE, D2_ELK = "d2 svg (dagre, default layout)", "d2 svg (elk)"
LOAD, EXPORT_DOT, API_SVG_TEXT = "mlsd.load_spec", "design.export('dot')", "design.svg()"
DOT_PNG_NO_ICONS = "dot -Tpng, icons removed"
BIG_SPEC = ROOT / "specs" / "rag-chatbot-hybrid.yaml"  # the gallery's 24-component design
BIG_STEPS, BIG_SLIDES = "mlsd render --steps --all-views (CLI)", "mlsd slides (CLI)"


def prepare(size: int, spec_path: Path, work: Path) -> dict:
    """Write one spec's inputs for the peers (DOT, plain script, D2) into `work`; return facts about them."""
    design = mlsd.load_spec(spec_path)
    # Once, untimed: mlsd's own DOT (in the direction it chose) and its PNG, whose size sets
    # the dpi dot draws at; this also warms the page cache.
    out = Path(tempfile.mkdtemp(dir=work))
    written = {p.suffix: p for p in design.render(out, formats=("png", "dot"))}
    dot, mlsd_px = written[".dot"].read_text(encoding="utf-8"), png_size(written[".png"])
    shutil.rmtree(out)
    files = {name: work / f"{name}-{size}{ext}" for name, ext in (("dot", ".dot"), ("bare", ".dot"), ("d2", ".d2"))}
    files |= {"plain": work / f"plain-{size}.py", "plain_svg": work / f"plain-svg-{size}.py"}
    files["defaults"] = work / f"plain-defaults-{size}.py"
    files["dot"].write_text(dot, encoding="utf-8")
    files["bare"].write_text(peers.strip_icons(dot), encoding="utf-8")
    files["d2"].write_text(design.export("d2"), encoding="utf-8")
    files["plain"].write_text(peers.plain_diagrams_script(dot, design.title, "plain"), encoding="utf-8")
    svg_only = peers.plain_diagrams_script(dot, design.title, "plain", outformat=("svg",))
    files["plain_svg"].write_text(svg_only, encoding="utf-8")
    defaults = peers.plain_diagrams_script(dot, design.title, "plain", graph_attr=None)
    files["defaults"].write_text(defaults, encoding="utf-8")
    return {
        "components": len(design.components),
        "groups": len(design.groups),
        "edges": len(design.edges),
        "labelled": sum(1 for e in design.edges if e.label),
        "stem": written[".png"].stem,
        "canvas": peers.dot_flags(files["dot"], mlsd_px),
        "files": {name: str(path) for name, path in files.items()},
    }


def render_cases(size: int, spec_path: Path, facts: dict, runs: int) -> list[Case]:
    """Cases (a)-(d) for one spec, and the in-process and `dot` steps that show where the time goes."""
    design = mlsd.load_spec(spec_path)
    files, flags, spec = facts["files"], facts["canvas"], str(spec_path)

    def dot(fmt: str, source: str = files["dot"]):
        return lambda out: run(["dot", *flags, f"-T{fmt}", source, "-o", str(out / f"x.{fmt}")])

    def api(formats: tuple[str, ...]):
        return lambda out: timed(lambda: design.render(out, formats=formats))

    cases = [
        Case("render", CLI_BOTH, size, lambda out: run([MLSD, "render", spec, "-o", str(out), "-f", "png,svg"]), runs),
        Case("render", CLI_SVG, size, lambda out: run([MLSD, "render", spec, "-o", str(out), "-f", "svg"]), runs),
        Case("render", API_BOTH, size, api(("png", "svg")), runs),
        Case("render", API_SVG, size, api(("svg",)), runs),
        Case("render", PLAIN, size, lambda out: run([PYTHON, files["plain"]], cwd=out), runs, png="plain.png"),
        Case("render", PLAIN_SVG, size, lambda out: run([PYTHON, files["plain_svg"]], cwd=out), runs),
        Case("render", DOT_SVG, size, dot("svg"), runs),
        Case("render", DOT_PNG, size, dot("png"), runs, png="x.png"),
        Case(
            "render", DOT_LAYOUT, size, lambda out: run(["dot", "-Tdot", files["dot"], "-o", str(out / "x.dot")]), runs
        ),
    ]
    cases[0].png = f"{facts['stem']}.png"
    d2 = peers.d2_binary()
    if d2:
        cases.append(Case("render", D2_DAGRE, size, lambda out: run([d2, files["d2"], str(out / "x.svg")]), runs))
        elk = [d2, "--layout", "elk", files["d2"]]
        cases.append(Case("render", D2_ELK, size, lambda out: run([*elk, str(out / "x.svg")]), runs))
    return cases + [
        Case("stage", LOAD, size, lambda out: timed(lambda: mlsd.load_spec(spec_path)), runs),
        Case("stage", EXPORT_DOT, size, lambda out: timed(lambda: design.export("dot")), runs),
        Case("stage", API_SVG_TEXT, size, lambda out: timed(design.svg), runs),
        Case("stage", DOT_PNG_NO_ICONS, size, dot("png", files["bare"]), runs),
    ]


def startup_cases(spec_paths: dict[int, Path], runs: int) -> list[Case]:
    """Case (e): start-up of the light commands, with an interpreter baseline."""
    small, big = spec_paths[min(spec_paths)], spec_paths[max(spec_paths)]
    commands = {
        "python -c pass (baseline)": [PYTHON, "-c", "pass"],
        "python -c 'import diagrams'": [PYTHON, "-c", "import diagrams"],
        "mlsd --help": [MLSD, "--help"],
        f"mlsd validate {small.name}": [MLSD, "validate", str(small)],
        f"mlsd validate {big.name}": [MLSD, "validate", str(big)],
    }
    return [Case("startup", name, 0, lambda out, cmd=cmd: run(cmd), runs) for name, cmd in commands.items()]


def import_check(args: list[str]) -> dict:
    """Does `mlsd ARGS` import diagrams (or graphviz)? Its slowest imports, from `python -X importtime`."""
    done = subprocess.run([PYTHON, "-X", "importtime", MLSD, *args], capture_output=True, text=True, check=True)
    found = (re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line) for line in done.stderr.splitlines())
    rows = [(m[4], int(m[2]), len(m[3])) for m in found if m]
    names = {name for name, _, _ in rows}
    top = sorted((r for r in rows if r[2] == 1), key=lambda r: -r[1])[:8]
    return {
        "imports_diagrams": any(n == "diagrams" or n.startswith("diagrams.") for n in names),
        "imports_graphviz": any(n == "graphviz" or n.startswith("graphviz.") for n in names),
        "modules": len(names),
        "top_level_ms": [(name, round(us / 1000, 1)) for name, us, _ in top],
    }


def build_counts(sample: Sample) -> tuple[int, int]:
    """(built, skipped) from `mlsd build`'s summary: "built N specs, M unchanged, into DIR"."""
    found = re.search(r"built (\d+) specs?, (\d+) unchanged", sample.output)
    if found is None:
        raise RuntimeError(f"cannot read mlsd build's summary from: {sample.output[-300:]}")
    return int(found[1]), int(found[2])


def measure_build(folder: Path, runs: int, work: Path, retries: int = 2) -> list[dict]:
    """Case (f): `mlsd build FOLDER -o FRESH` with the default jobs, then again unchanged, `runs` times.

    The build hash covers mlsd's own source, so an edit under src/ between the
    two runs makes the second rebuild: such a pair is kept but not counted, and
    another is tried (at most `retries` extra).
    """
    pairs: list[dict] = []
    while sum(p["valid"] for p in pairs) < runs and len(pairs) < runs + retries:
        out = Path(tempfile.mkdtemp(prefix="build-", dir=work))
        command = [MLSD, "build", str(folder), "-o", str(out / "out")]
        try:
            cold, unchanged = run(command), run(command)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        built, skipped = build_counts(unchanged)
        pairs.append({"cold": cold, "unchanged": unchanged, "skipped": skipped, "specs": built + skipped})
        pairs[-1]["valid"] = built == 0
        print(f"  pair {len(pairs)}: cold {cold.wall:.1f} s, unchanged {unchanged.wall:.2f} s, {skipped} skipped")
    return pairs


def default_jobs() -> str:
    """How many specs `mlsd build` renders at once by default, from its help ("?" when it does not say)."""
    return jobs_from_help(subprocess.run([MLSD, "build", "--help"], capture_output=True, text=True).stdout)


def jobs_from_help(text: str) -> str:
    """The default of `--jobs` in `mlsd build --help`'s text, "?" when it shows none."""
    found = re.search(r"--jobs\b.*?\[default:\s*([^;\]]+)", " ".join(text.split()))
    return found[1].strip() if found else "?"


def big_cases(runs: int, spec: Path = BIG_SPEC) -> list[Case]:
    """Case (h): every picture of a 24-component design (views, reveal steps) and its slide deck, by the CLI."""
    size = len(mlsd.load_spec(spec).components)
    steps = [MLSD, "render", str(spec), "--steps", "--all-views", "-o"]
    return [
        Case("big", BIG_STEPS, size, lambda out: run([*steps, str(out)]), runs),
        Case("big", BIG_SLIDES, size, lambda out: run([MLSD, "slides", str(spec), "-o", str(out / "deck.pptx")]), runs),
    ]


def save_to_browser(spec: Path, runs: int, work: Path) -> list[float]:
    """Case (i): seconds from saving a changed spec to the new picture in `mlsd serve`'s page, `runs` times.

    The measurement itself lives in `serve_latency` (Playwright driving Chromium);
    RuntimeError when it is missing or cannot measure.
    """
    name = f"{__package__}.serve_latency"
    try:
        module = importlib.import_module(name)
    except ImportError as err:
        if isinstance(err, ModuleNotFoundError) and err.name == name:
            raise RuntimeError("benchmarks/mlsd_bench/serve_latency.py is missing") from err
        raise RuntimeError(f"cannot import serve_latency: {err}") from err
    seconds = module.save_to_browser(spec, runs, work)
    if not seconds:
        raise RuntimeError("serve_latency measured nothing")
    return [float(x) for x in seconds]


def warm_up(spec: Path, facts: dict, work: Path) -> None:
    """Run each measured program once, untimed, so that no timed run compiles bytecode or reads a cold disk.

    Every mlsd module is compiled (serve's included), then each command runs once.
    """
    out = Path(tempfile.mkdtemp(dir=work))
    small = specs.write_small_specs(out / "small", 1)[0].parent
    commands = [
        [PYTHON, "-m", "compileall", "-q", "-j", "0", str(Path(mlsd.__file__).parent)],
        [PYTHON, "-c", "pass"],
        [PYTHON, "-c", "import diagrams"],
        [MLSD, "--help"],
        [MLSD, "validate", str(spec)],
        [MLSD, "render", str(spec), "-o", str(out / "render"), "-f", "png,svg"],
        [MLSD, "render", str(BIG_SPEC), "-o", str(out / "big"), "--steps", "--all-views"],
        [MLSD, "slides", str(BIG_SPEC), "-o", str(out / "deck.pptx")],
        [MLSD, "build", str(small), "-o", str(out / "build")],
        [PYTHON, facts["files"]["plain"]],
    ]
    try:
        for command in commands:
            run(command, cwd=out)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def peak_memory(spec_path: Path, facts: dict, out: Path) -> dict:
    """Case (g): peak memory of the largest render by mlsd, the plain diagrams script and D2 (elk).

    A run that fails is recorded as failed (a dict with "failed") rather than ending the benchmark.
    """
    files, d2 = facts["files"], peers.d2_binary()
    commands = {
        CLI_BOTH: ([MLSD, "render", str(spec_path), "-o", str(out), "-f", "png,svg"], None),
        PLAIN: ([PYTHON, files["plain"]], Path(tempfile.mkdtemp(dir=out))),
    }
    if d2:
        commands[D2_ELK] = ([d2, "--layout", "elk", files["d2"], str(out / "d2.svg")], None)
    tools = {}
    for name, (cmd, cwd) in commands.items():
        try:
            tools[name] = tree_memory(cmd, cwd=cwd)
        except RuntimeError as err:
            tools[name] = {"failed": str(err).splitlines()[0][-120:]}
    png, svg = out / f"{facts['stem']}.png", out / f"{facts['stem']}.svg"
    if not (png.is_file() and svg.is_file()):
        return {"tools": tools}
    icons = re.findall(r'xlink:href="(data:[^"]*)"', svg.read_text(encoding="utf-8"))
    return {
        "tools": tools,
        "png_bytes": png.stat().st_size,
        "png_px": png_size(png),
        "svg_bytes": svg.stat().st_size,
        "svg_icons": len(icons),
        "svg_distinct_icons": len(set(icons)),
        "svg_icon_bytes": sum(len(i) for i in icons),
    }
