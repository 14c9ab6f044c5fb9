"""The live preview in a real browser: Playwright driving Chromium (Debian's /usr/bin/chromium).

Skipped, with the reason, only when no browser can be launched: Playwright is
not importable, or no Chromium is installed or it does not start. Set
MLSD_CHROMIUM to use another Chromium binary, and MLSD_REQUIRE_BROWSER=1 (CI)
to make those cases failures instead of skips.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.mlsd_bench.serve_latency import chromium

from mlsd.serve import PreviewServer
from mlsd.serve import preview as preview_module

from .conftest import GOOD, GOOD_KIND_LINE, Client, save

pytestmark = pytest.mark.slow
# Playwright runs headless itself and makes a fresh profile (--user-data-dir) per launch;
# these keep Chromium off the network, which this machine closes anyway.
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
TIMEOUT_MS = 15_000


def _no_browser(reason: str) -> None:
    if os.environ.get("MLSD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MLSD_REQUIRE_BROWSER=1, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium, or a skip that says why there is none."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as err:
        _no_browser(f"browser test needs Playwright (pip install playwright): {err}")
    executable = chromium()
    if executable is None:
        _no_browser("browser test needs Chromium: apt-get install chromium (or set MLSD_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=30_000)
        except Error as err:
            _no_browser(f"Chromium at {executable} did not start: {str(err).splitlines()[0]}")
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: object, specs_dir: Path) -> Iterator[tuple[object, PreviewServer, list[str]]]:
    """A fresh tab with the console and page errors collected, and a server for `specs_dir`."""
    log: list[str] = []
    server = PreviewServer(specs_dir, "127.0.0.1", 0, log=log.append).start()
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    tab.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    tab.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    try:
        yield tab, server, problems
    finally:
        context.close()
        server.close()


def picture_text(tab: object) -> str:
    # Labels wrap over several <text> lines: compare with the whitespace collapsed.
    return tab.evaluate(
        "() => (document.querySelector('figure.picture.light svg')?.textContent ?? '').replace(/\\s+/g, ' ')"
    )


def test_the_page_follows_edits_without_a_reload(page: tuple, specs_dir: Path) -> None:
    tab, server, problems = page
    spec = specs_dir / "good.yaml"
    tab.goto(f"{server.url}spec/good.yaml")
    tab.wait_for_selector("figure.picture.light svg")
    assert "Ranker Alpha" in picture_text(tab)
    tab.wait_for_function("() => document.getElementById('connection').textContent === 'live'")
    # A mark on the window survives only if the page is never reloaded.
    tab.evaluate("() => { window.untouched = true; }")

    save(spec, GOOD.replace("Ranker Alpha", "Ranker Bravo"))
    tab.wait_for_function(
        "() => (document.querySelector('figure.picture.light svg')?.textContent ?? '').replace(/\\s+/g, ' ').includes('Ranker Bravo')"
    )

    save(spec, GOOD.replace("Ranker Alpha", "Ranker Bravo").replace("kind: ranking-service", "kind: ranking-servic"))
    errors = tab.wait_for_selector("#errors pre")
    assert re.search(rf"good\.yaml:{GOOD_KIND_LINE}:\d+: error: unknown kind 'ranking-servic'", errors.text_content())
    assert tab.query_selector("figure.picture svg") is None

    save(spec, GOOD.replace("Ranker Alpha", "Ranker Charlie"))
    tab.wait_for_function(
        "() => (document.querySelector('figure.picture.light svg')?.textContent ?? '').replace(/\\s+/g, ' ').includes('Ranker Charlie')"
    )
    assert tab.query_selector("#errors") is None
    assert tab.evaluate("() => window.untouched") is True
    assert problems == []


def test_theme_toggle_explanation_and_index(page: tuple) -> None:
    tab, server, problems = page
    tab.goto(f"{server.url}spec/good.yaml")
    tab.wait_for_selector("figure.picture.light svg")
    assert tab.is_visible("figure.picture.light") and not tab.is_visible("figure.picture.dark")
    tab.click("#theme")
    assert tab.is_visible("figure.picture.dark") and not tab.is_visible("figure.picture.light")
    tab.reload()  # the choice is remembered
    tab.wait_for_selector("figure.picture.dark svg", state="visible")
    # The explanation is rendered in its sandboxed frame, and the frame is sized to it.
    frame = tab.frame_locator("iframe.explanation")
    assert frame.locator("h1").first.text_content().strip() == "Live preview test"
    tab.wait_for_function("() => document.querySelector('iframe.explanation').offsetHeight > 600")

    tab.goto(server.url)
    tab.click("text=Child design")
    tab.wait_for_url(re.compile(r"/spec/child\.yaml$"))
    tab.wait_for_selector("figure.picture.dark svg")
    assert problems == []


def test_diff_page_from_the_form(page: tuple) -> None:
    tab, server, problems = page
    tab.goto(server.url)
    tab.select_option("select[name=old]", "child.yaml")
    tab.select_option("select[name=new]", "good.yaml")
    tab.click("form.diff button")
    tab.wait_for_url(re.compile(r"/diff\?old=child\.yaml&new=good\.yaml"))
    tab.wait_for_function("() => document.querySelectorAll('.sides figure svg').length === 2")
    captions = tab.locator(".sides figcaption").all_text_contents()
    assert captions == ["before: child.yaml", "after: good.yaml"]
    assert problems == []


def test_a_save_updates_the_picture_first_and_keeps_the_explanation_until_the_new_one(
    page: tuple, specs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab, server, problems = page
    tab.goto(f"{server.url}spec/good.yaml")
    tab.wait_for_selector("iframe.explanation")
    tab.wait_for_function("() => document.getElementById('connection').textContent === 'live'")
    tab.evaluate(
        "() => { window.frameBefore = document.querySelector('iframe.explanation');"
        " window.titleBefore = document.querySelector('#live h1'); }"
    )
    release = threading.Event()
    slow = preview_module.explain_result

    def stuck(*args: object, **kwargs: object) -> object:
        release.wait(10)
        return slow(*args, **kwargs)

    monkeypatch.setattr(preview_module, "explain_result", stuck)
    try:
        save(specs_dir / "good.yaml", GOOD.replace("Ranker Alpha", "Ranker Bravo"))
        tab.wait_for_function(
            "() => (document.querySelector('figure.picture.light svg')?.textContent ?? '').includes('Bravo')"
        )
        # The server says the explanation is being written; the page keeps the one it has, unreloaded.
        assert "data-pending" in Client(server).get("/spec/good.yaml").body
        assert tab.evaluate("() => document.querySelector('iframe.explanation') === window.frameBefore")
        assert tab.query_selector("#explanation[data-pending]") is None
    finally:
        release.set()
    tab.wait_for_function("() => document.querySelector('iframe.explanation') !== window.frameBefore")
    tab.wait_for_function("() => document.querySelector('iframe.explanation').offsetHeight > 600")
    # Only what changed is swapped: the heading is the same element as before.
    assert tab.evaluate("() => document.querySelector('#live h1') === window.titleBefore")
    assert tab.query_selector("#explanation[data-pending]") is None
    assert problems == []
