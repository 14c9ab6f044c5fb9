"""Timing: one run of a command or a call, cases repeated round-robin, medians, peak memory, load."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = sys.executable
MLSD = str(Path(sys.executable).parent / "mlsd")
SLOW_SAMPLE_S = 10.0  # a case whose first sample takes longer than this ...
SLOW_RUNS = 3  # ... is repeated at most this many times, to keep the run short


@contextmanager
def compiled_bytecode(cache: Path) -> Iterator[None]:
    """Let the child processes started inside the block keep compiled bytecode, in `cache` only.

    This machine sets PYTHONDONTWRITEBYTECODE, so every `mlsd` process would
    compile mlsd's modules from source while diagrams in site-packages has its
    .pyc files; an installed mlsd has them too. PYTHONPYCACHEPREFIX puts every
    .pyc (mlsd's, the standard library's, diagrams') under `cache`, so nothing
    is written into the repository and the first run of each program pays the
    compiling: warm each program once before timing it.
    """
    saved = {name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Sample:
    """One run: wall seconds and CPU seconds."""

    wall: float
    cpu: float
    output: str = ""  # what it printed (the start and the end when long)


def run(cmd: list[str], cwd: Path | None = None) -> Sample:
    """Run `cmd` to completion and time it; raise RuntimeError if it fails.

    `os.wait4` gives the CPU time of exactly this child, including the
    grandchildren it waited for (dot, neato).
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


def timed(fn: Callable[[], object]) -> Sample:
    """Time an in-process call (CPU is this process's only, not Graphviz's)."""
    cpu0, start = time.process_time(), time.perf_counter()
    fn()
    return Sample(time.perf_counter() - start, time.process_time() - cpu0)


def failure_summary(message: str) -> str:
    """One short line saying why a command failed."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    status = re.search(r"failed \((-?\d+)\)", lines[0]) if lines else None
    cause = next(
        (x for x in lines if re.match(r"(panic|Error|error|Traceback|.*Assertion)", x)), lines[-1] if lines else ""
    )
    return f"exit {status.group(1) if status else '?'}: {cause[:80]}"


@dataclass
class Case:
    """One thing measured at one spec size; `step` runs it once into a fresh folder."""

    group: str  # "render" (the time table), "stage" (where the time goes) or "startup"
    name: str
    size: int
    step: Callable[[Path], Sample] | None
    runs: int
    png: str | None = None  # the PNG it writes, relative to its folder, to record its size
    png_px: str = ""
    failed: str = ""
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str = "wall") -> float | None:
        return statistics.median(getattr(s, attr) for s in self.samples) if self.samples else None

    def spread(self) -> str:
        if not self.samples:
            return self.failed or "–"
        walls = [s.wall for s in self.samples]
        return f"{min(walls):.3f}–{max(walls):.3f}" + (f"; then failed: {self.failed}" if self.failed else "")


def run_cases(cases: list[Case], scratch: Path) -> None:
    """Run every case `runs` times, round-robin, each time in a fresh folder.

    Round-robin spreads machine noise over all cases alike. A case that fails
    is recorded as failed and not run again.
    """
    most = max(c.runs for c in cases)
    for rep in range(most):
        print(f"  repetition {rep + 1}/{most}", flush=True)
        for case in cases:
            if rep >= case.runs or case.failed or case.step is None:
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


def png_size(path: Path) -> str:
    """Width x height of a PNG, from its header."""
    head = path.read_bytes()[16:24]
    return f"{int.from_bytes(head[:4], 'big')}x{int.from_bytes(head[4:], 'big')}"


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
        names[int(entry.name)] = stat[stat.index("(") + 1 : stat.rindex(")")]
        children.setdefault(int(stat[stat.rindex(")") + 2 :].split()[1]), []).append(int(entry.name))
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in names:
            tree[pid] = names[pid]
        todo += children.get(pid, [])
    return tree


def tree_memory(cmd: list[str], cwd: Path | None = None, interval: float = 0.01) -> dict:
    """Peak memory of `cmd` and its children (dot, neato), sampling /proc every `interval` s.

    The peak of their summed RSS and each program's own peak; sampling can
    miss a spike shorter than the interval, so these are lower bounds.
    """
    page_mb = os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_sum, by_program = 0.0, {}
    while proc.poll() is None:
        total = 0.0
        for pid, name in process_tree(proc.pid).items():
            try:
                rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_mb
            except (OSError, IndexError, ValueError):
                continue
            total += rss
            by_program[name] = max(by_program.get(name, 0.0), rss)
        peak_sum = max(peak_sum, total)
        time.sleep(interval)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode})")
    return {"sum_mb": peak_sum, "by_program": by_program}


class LoadWatch:
    """Samples the 1-minute load average every `interval` s in a thread while in a `with` block."""

    def __init__(self, interval: float = 5.0) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> LoadWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
