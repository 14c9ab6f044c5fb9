"""The practice page in a real browser: Playwright driving Chromium (Debian's /usr/bin/chromium),
opened from file:// with a fake clock.

Skipped, with the reason, only when no browser can be launched; MLSD_REQUIRE_BROWSER=1 (CI)
makes that a failure. MLSD_CHROMIUM names another Chromium binary.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlsd.datafile import DATA_DIR
from mlsd.load import load_spec, spec_files
from mlsd.practice import page_name, write_practice
from mlsd.practice.diagram import component_names

from .conftest import GALLERY, gallery

pytestmark = pytest.mark.slow
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
OWN_WORDS = " ".join((DATA_DIR / name).read_text(encoding="utf-8") for name in ("practice.yaml", "pitfalls.yaml"))
SPEC = "fraud-detection"


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
        _no_browser(f"browser test needs Playwright: {err}")
    candidates = (os.environ.get("MLSD_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"))
    executable = next((c for c in candidates if c and Path(c).is_file()), None)
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


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("practice")
    write_practice([gallery(SPEC)], out)
    return out / page_name(SPEC)


@pytest.fixture
def page(browser: object, page_file: Path) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="light")  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    tab.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    tab.clock.install(time=0)
    tab.goto(page_file.as_uri())
    yield tab
    context.close()
    assert errors == []


def _names_in(text: str) -> list[str]:
    spec = gallery(SPEC)
    found = []
    for name in component_names(spec):
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        if word.search(text) and not word.search(OWN_WORDS + spec.title):
            found.append(name)
    return found


def _svg_text(page) -> str:
    """The pictures' text, one line per SVG text element (a name may span several)."""
    return page.evaluate("Array.from(document.querySelectorAll('.pic text')).map(t => t.textContent).join(' ')")


def test_names_are_neither_in_the_visible_text_nor_in_the_accessibility_tree(page) -> None:
    assert _names_in(page.locator("body").inner_text()) == []
    assert _names_in(_svg_text(page)) == []
    assert _names_in(page.locator("body").aria_snapshot()) == []
    # Not in any stage either, nor in the dark picture.
    page.keyboard.press("p")
    page.keyboard.press("d")
    assert _names_in(page.locator("body").inner_text()) == []
    assert page.get_attribute("html", "data-theme") == "dark"
    assert page.locator(".pic.dark").is_visible() and not page.locator(".pic.light").is_visible()


def test_clicking_a_component_reveals_its_name_and_reveal_all_reveals_every_name(page) -> None:
    scorer = page.locator(".pic.light g.part.n5")
    assert scorer.get_attribute("aria-label") == "Hidden component 5: reveal its name"
    scorer.click()
    assert "Fraud model" in (scorer.text_content() or "")
    assert "Fraud model" in (scorer.get_attribute("aria-label") or "")
    assert page.locator("#revealed").inner_text() == "1 of 20 named"
    page.locator(".pic.light g.part.n1").focus()
    page.keyboard.press("Enter")
    assert page.locator("#revealed").inner_text() == "2 of 20 named"
    page.click("#reveal-all")
    assert "Velocity" in (page.locator(".pic.light g.part.n7").text_content() or "")
    assert page.locator("#revealed").inner_text() == "20 of 20 named"
    assert len(_names_in(_svg_text(page))) > 10
    page.click("#hide-all")
    assert _names_in(page.locator("body").inner_text()) == []
    assert _names_in(_svg_text(page)) == []


def test_the_stages_reveal_the_design_step_by_step(page) -> None:
    assert page.locator("#stage").inner_text() == "Stage 6 of 6"
    for _ in range(5):
        page.keyboard.press("p")
    assert page.locator("#stage").inner_text() == "Stage 1 of 6"
    assert page.locator(".pic.light g.part:not(.off)").count() == 5  # the request path
    page.click("#stage-name")
    assert "request path" in page.locator("#stage-title").inner_text()
    page.keyboard.press("n")
    assert page.locator(".pic.light g.part:not(.off)").count() == 8
    page.keyboard.press("s")
    assert page.evaluate("document.body.classList.contains('skeleton')")
    icon = page.locator(".pic.light g.part.n1 use")
    assert icon.evaluate("e => getComputedStyle(e).display") == "none"


def test_a_card_shows_the_spec_answer_only_when_asked(page) -> None:
    answer = page.locator("#answer-labels")
    assert answer.inner_text() == ""
    page.click('.reveal-card[data-card="labels"]')
    assert "90-day maturity" in answer.inner_text()
    page.click('.reveal-card[data-card="labels"]')
    assert answer.inner_text() == ""
    page.click('.reveal-points[data-step="architecture"]')
    assert "Kafka" in page.locator("#points-architecture").inner_text()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    assert page.locator("#answer-objective").inner_text() != ""


def test_the_timer_shows_the_step_you_should_be_in(page) -> None:
    assert page.locator("#clock").inner_text() == "0:00"
    assert "Clarify the requirements" in page.locator("#now").inner_text()
    page.click("#start")
    # The page redraws the clock every 250 ms: a little more than six minutes shows 6:00.
    page.clock.run_for(6 * 60 * 1000 + 300)
    assert page.locator("#clock").inner_text() == "6:00"
    assert "Frame it as an ML problem (3:00 left" in page.locator("#now").inner_text()
    assert page.locator("#step-framing").get_attribute("class") == "step current"
    assert "done" in (page.locator("#step-requirements").get_attribute("class") or "")
    page.keyboard.press("t")  # pause
    page.clock.run_for(60 * 1000)
    assert page.locator("#clock").inner_text() == "6:00"
    page.keyboard.press("t")
    page.clock.run_for(40 * 60 * 1000)
    assert page.locator("#clock").inner_text() == "45:00"
    assert "Time is up" in page.locator("#now").inner_text()
    page.click("#reset")
    assert page.locator("#clock").inner_text() == "0:00"


def test_the_self_check_is_scored(page) -> None:
    boxes = page.locator("input.check")
    total = boxes.count()
    assert page.locator("#score").inner_text() == f"0 / {total} (0%)"
    step = page.locator("#step-metrics")
    for i in range(3):
        step.locator("input.check").nth(i).check()
    assert page.locator("#score").inner_text() == f"3 / {total} ({round(300 / total)}%)"
    assert step.locator(".step-score").inner_text() == f"3 / {step.locator('input.check').count()}"
    step.locator("input.check").nth(0).uncheck()
    assert page.locator("#score").inner_text().startswith("2 / ")


@pytest.fixture(scope="module")
def gallery_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gallery")
    write_practice([load_spec(path) for path in spec_files([GALLERY])], out)
    return out


@pytest.mark.parametrize("path", spec_files([GALLERY]), ids=lambda p: p.stem)
def test_every_canonical_case_gives_a_page_for_a_full_rehearsal(browser, gallery_pages: Path, path: Path) -> None:
    spec = load_spec(path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    tab.clock.install(time=0)
    tab.goto((gallery_pages / page_name(spec.id)).as_uri())
    try:
        hidden = [
            name
            for name in component_names(spec)
            if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", OWN_WORDS + spec.title, re.IGNORECASE)
        ]
        for text in (tab.locator("body").inner_text(), tab.locator("body").aria_snapshot(), _svg_text(tab)):
            assert [n for n in hidden if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)] == []
        count = len(spec.components)
        tab.keyboard.press("a")
        assert tab.locator("#revealed").inner_text() == f"{count} of {count} named"
        for button in tab.locator(".reveal-card").all():
            button.click()
            assert tab.locator(f"#answer-{button.get_attribute('data-card')}").inner_text().strip()
        for button in tab.locator(".reveal-points").all():
            button.click()
            assert tab.locator(f"#points-{button.get_attribute('data-step')}").inner_text().strip()
        tab.keyboard.press("t")
        for step in tab.locator(".step").all():
            minutes, seconds = step.locator(".slot").inner_text().split(" min")[0].split(":")
            half = (int(minutes) * 60 + int(seconds)) * 500
            tab.clock.run_for(half)  # halfway through its slot, the step is the one to be in
            assert "current" in (step.get_attribute("class") or "")
            tab.clock.run_for(half)
        tab.clock.run_for(300)
        assert tab.locator("#clock").inner_text() == "45:00"
        assert "Time is up" in tab.locator("#now").inner_text()
        assert errors == []
    finally:
        context.close()
