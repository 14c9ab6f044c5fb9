"""Save-to-browser latency of `mlsd serve`: from writing a spec to the new picture in the page.

    .venv/bin/python -m benchmarks.mlsd_bench.serve_latency specs/rag-chatbot-hybrid.yaml -n 7

The spec (with the specs it extends and its icons) is copied into a scratch
folder, `mlsd serve` runs on that folder as a subprocess (the real command, a
free port), and headless Chromium (Debian's /usr/bin/chromium through
Playwright; set MLSD_CHROMIUM for another binary) opens the spec's page. Each
run then rewrites the spec with a new label on one component and times the
interval from just before the write until the label is in the page's picture.
A MutationObserver in the page notes the moment the label appears, so the
time does not include Playwright's own round trips.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

MLSD = Path(sys.executable).parent / "mlsd"
# Playwright runs headless itself and makes a fresh profile per launch; these keep Chromium quiet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 30.0  # the server's first line, and the first picture in the page
RUN_TIMEOUT_S = 30.0  # one save until the picture shows it
SERVING = " at http://"  # in `mlsd: serving FOLDER at URL (Ctrl-C to stop)`
PROBE = "latency probe {}"  # the label each run writes; the runs' numbers keep every label new

# Installed before each write: notes when the picture first holds `label` (page clock, ms since epoch).
WATCH_SCRIPT = """label => {
  const shows = () => {
    const svg = document.querySelector('figure.picture svg');
    return svg !== null && svg.textContent.replace(/\\s+/g, ' ').includes(label);
  };
  window.__mlsdSeen = null;
  const observer = new MutationObserver(() => {
    if (window.__mlsdSeen === null && shows()) {
      window.__mlsdSeen = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true, characterData: true});
}"""


def save_to_browser(spec: Path, runs: int, work: Path) -> list[float]:
    """Seconds from saving `spec` to its new picture in the browser, once per run.

    Raises RuntimeError, saying why, when it cannot measure: no Playwright or
    Chromium, the server did not start, the page never showed the change.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    folder, target = _copy_spec(spec, work / "serve-latency")
    component, text = _probe_target(target)
    _write(target, text, component, PROBE.format(0))
    # The browser first: without one there is nothing to measure, and no server to start.
    with _page() as page, _server(folder) as (url, log):
        name = target.relative_to(folder).as_posix()
        page.goto(f"{url}spec/{name}")
        _wait_for_label(page, PROBE.format(0), START_TIMEOUT_S, log)
        page.wait_for_function("() => document.getElementById('connection').textContent === 'live'")
        seconds = []
        for run in range(1, runs + 1):
            label = PROBE.format(run)
            page.evaluate(WATCH_SCRIPT, label)
            written = time.time()
            _write(target, text, component, label)
            _wait_for_label(page, label, RUN_TIMEOUT_S, log)
            seen = page.evaluate("() => window.__mlsdSeen")
            seconds.append(max(0.0, seen / 1000 - written))
        return seconds


def _copy_spec(spec: Path, into: Path) -> tuple[Path, Path]:
    """Copy the spec, the specs it extends and its icons under `into`, keeping their relative places."""
    import mlsd

    design = mlsd.load_spec(spec)
    source = design.spec.source
    files = [p.resolve() for p in (*source.chain, *(icon for _, icon in source.icons))]
    root = Path(os.path.commonpath([p.parent for p in files]))
    for path in files:
        copy = into / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    target = into / spec.resolve().relative_to(root)
    return target.parent, target


def _probe_target(path: Path) -> tuple[str, dict[str, Any]]:
    """The component whose label the runs change (the first one drawn), and the spec file's data."""
    import mlsd

    design = mlsd.load_spec(path)
    if not design.spec.components:
        raise RuntimeError(f"{path}: has no components to change")
    component = next(iter(design.spec.components))
    text = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(text, dict):
        raise RuntimeError(f"{path}: not a mapping")
    return component, text


def _write(path: Path, data: dict[str, Any], component: str, label: str) -> None:
    """The spec with `component` labelled `label` (an override, so extended specs work too)."""
    changed = dict(data)
    components = dict(changed.get("components") or {})
    entry = components.get(component)
    components[component] = {**(entry if isinstance(entry, dict) else {}), "label": label}
    changed["components"] = components
    path.write_text(yaml.safe_dump(changed, sort_keys=False, allow_unicode=True), encoding="utf-8")


@contextmanager
def _server(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """`mlsd serve FOLDER --port 0` as a subprocess: its URL and what it prints; stopped on exit."""
    command = [str(MLSD), "serve", str(folder), "--port", "0"] if MLSD.is_file() else None
    if command is None:
        command = [sys.executable, "-m", "mlsd", "serve", str(folder), "--port", "0"]
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    log: list[str] = []
    started = threading.Event()
    url: list[str] = []

    def drain() -> None:
        # Read to the end, so the server never blocks on a full pipe.
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line.rstrip("\n"))
            if not url and SERVING in line:
                url.append(line.split(SERVING, 1)[1].split()[0])
                url[0] = "http://" + url[0]
                started.set()
        started.set()

    reader = threading.Thread(target=drain, name="serve-latency-log", daemon=True)
    reader.start()
    try:
        if not started.wait(START_TIMEOUT_S) or not url:
            raise RuntimeError(f"`{' '.join(command)}` did not start serving:\n" + "\n".join(log[-20:]))
        yield url[0], log
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(5)


@contextmanager
def _page() -> Iterator[Any]:
    """A tab of a fresh headless Chromium."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as err:
        raise RuntimeError(f"measuring serve needs Playwright (pip install playwright): {err}") from None
    executable = chromium()
    if executable is None:
        raise RuntimeError("measuring serve needs Chromium: apt-get install chromium (or set MLSD_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=30_000)
        except Error as err:
            raise RuntimeError(f"Chromium at {executable} did not start: {str(err).splitlines()[0]}") from None
        try:
            page = browser.new_context().new_page()
            page.set_default_timeout(START_TIMEOUT_S * 1000)
            yield page
        finally:
            browser.close()


def chromium() -> str | None:
    """The Chromium to drive: $MLSD_CHROMIUM, Debian's /usr/bin/chromium, or one on PATH."""
    for candidate in (
        os.environ.get("MLSD_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _wait_for_label(page: Any, label: str, timeout: float, log: list[str]) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """label => {
              const svg = document.querySelector('figure.picture svg');
              return svg !== null && svg.textContent.replace(/\\s+/g, ' ').includes(label);
            }""",
            arg=label,
            polling="raf",
            timeout=timeout * 1000,
        )
    except PlaywrightTimeout:
        raise RuntimeError(
            f"the page did not show '{label}' within {timeout:g} s; the server said:\n" + "\n".join(log[-20:])
        ) from None


def summary(seconds: list[float]) -> str:
    """`median 0.41 s (min–max 0.38–0.47 s, n=7)`."""
    return (
        f"median {statistics.median(seconds):.3f} s (min–max {min(seconds):.3f}–{max(seconds):.3f} s, n={len(seconds)})"
    )


def main(argv: list[str] | None = None) -> int:
    """The command line: measure and print the median and the range."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.mlsd_bench.serve_latency",
        description="Time from saving a spec to the updated picture in `mlsd serve`'s page.",
    )
    parser.add_argument("spec", type=Path, help="the spec to edit (copied; the original is not touched)")
    parser.add_argument("-n", "--runs", type=int, default=7, help="saves to time (median); default 7")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="mlsd-serve-latency-") as work:
        try:
            seconds = save_to_browser(args.spec, args.runs, Path(work))
        except RuntimeError as err:
            print(f"serve_latency: {err}", file=sys.stderr)
            return 1
    print(f"{args.spec}: save-to-browser {summary(seconds)}; load average {load:.2f} on {os.cpu_count()} CPUs")
    print("runs: " + ", ".join(f"{s:.3f}" for s in seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
