"""Running Graphviz: one layout, then every format drawn from it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from mlsd.errors import RenderError

INSTALL_HINT = (
    "Graphviz is not installed (the 'dot' program was not found);"
    " install it with 'sudo apt-get install graphviz' (Debian/Ubuntu),"
    " 'brew install graphviz' (macOS) or from https://graphviz.org/download/,"
    " or run 'make setup'"
)
DEFAULT_TIMEOUT = 60.0
_BB = re.compile(r'\bbb="([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)"')


@dataclass(frozen=True)
class Budget:
    """A time limit shared by every Graphviz run of one spec."""

    limit: float
    start: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        """Seconds left; never below a small floor, so the last run still gets a chance to fail cleanly."""
        return max(self.limit - (time.monotonic() - self.start), 0.01)


@dataclass(frozen=True)
class Layout:
    """A laid-out graph: Graphviz's positioned DOT and its bounding box in points."""

    dot: str
    width: float
    height: float
    warnings: tuple[str, ...]


def _run(program: str, args: list[str], source: str, what: str, budget: Budget) -> tuple[bytes, str]:
    executable = shutil.which(program)
    if executable is None:
        raise RenderError(INSTALL_HINT)
    try:
        done = subprocess.run(
            [executable, *args],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=budget.remaining(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"{what}: Graphviz took longer than {budget.limit:g} s and was stopped") from None
    except OSError as err:
        raise RenderError(f"{what}: cannot run Graphviz ({err.strerror or err})") from None
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        if done.returncode < 0:
            detail = f"it crashed (signal {-done.returncode})"
        else:
            detail = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit status {done.returncode}"
        raise RenderError(f"{what}: Graphviz failed: {detail}")
    return done.stdout, stderr


def arrange(source: str, what: str, budget: Budget | None = None) -> bytes:
    """Lay `source` out once with `dot`: the positions of everything, as `dot -Tjson`."""
    out, _ = _run("dot", ["-Tjson0"], source, what, budget or Budget(DEFAULT_TIMEOUT))
    return out


def settle(positioned: str, what: str, budget: Budget | None = None) -> Layout:
    """Settle a source whose every element has its position; the result is drawn by `draw`.

    `neato -n2` measures the drawing again (slightly tighter than dot's box,
    and taking in what was added after layout, such as the legend); measuring
    through it once gives the box every format is drawn in, so canvas presets
    come out at their exact size.
    """
    budget = budget or Budget(DEFAULT_TIMEOUT)
    out, stderr = _run("neato", ["-n2", "-Tdot"], positioned, what, budget)
    text = out.decode("utf-8")
    x0, y0, x1, y1 = _box(text, what)
    return Layout(text, x1 - x0, y1 - y0, _warnings(stderr))


def _box(laid_out: str, what: str) -> tuple[float, float, float, float]:
    # The graph's own bb comes first in Graphviz's output, before any cluster's.
    match = _BB.search(laid_out)
    if match is None:
        raise RenderError(f"{what}: Graphviz returned no layout")
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return x0, y0, x1, y1


def draw(
    laid_out: Layout,
    formats: list[str],
    graph_attrs: dict[str, str],
    what: str,
    budget: Budget | None = None,
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Draw a layout in each format without moving anything (`neato -n2`).

    The formats are drawn at the same time, one Graphviz process each: a PNG
    costs several times an SVG, and the SVG need not wait for it.
    """
    budget = budget or Budget(DEFAULT_TIMEOUT)
    flags = [f"-G{key}={value}" for key, value in sorted(graph_attrs.items())]

    def one(fmt: str) -> tuple[bytes, str]:
        return _run("neato", ["-n2", *flags, f"-T{fmt}"], laid_out.dot, what, budget)

    drawn = in_parallel(one, formats)
    warnings = [line for _, stderr in drawn for line in _warnings(stderr)]
    return {fmt: out for fmt, (out, _) in zip(formats, drawn, strict=True)}, tuple(dict.fromkeys(warnings))


def usable_cores() -> int:
    """The CPU cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


Item = TypeVar("Item")
Result = TypeVar("Result")


def in_parallel(work: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """`work` on every item, in threads when there is more than one; results in order.

    For work that mostly waits on Graphviz processes, which run on separate cores.
    """
    if len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(len(items), usable_cores())) as pool:
        return list(pool.map(work, items))


def _warnings(stderr: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in stderr.splitlines() if line.strip())


def graphviz_version(timeout: float = 10.0) -> str:
    """`dot -V` as Graphviz prints it, for cache keys and bug reports."""
    _, stderr = _run("dot", ["-V"], "", "graphviz version (dot -V)", Budget(timeout))
    return stderr.strip()
