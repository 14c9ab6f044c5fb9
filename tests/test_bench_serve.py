"""The serve benchmark: save-to-browser measured for real (`mlsd serve` + headless Chromium), and its parts."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest
from benchmarks.mlsd_bench import serve_latency

import mlsd

BASE = """\
mlsd: 1
title: Latency base
components:
  app: {kind: client, label: Mobile app}
  api: {kind: api-gateway, label: Front door}
  ranker: {kind: ranking-service, label: Ranker}
flows:
  - app -> api -> ranker: request
"""
CHILD = """\
extends: base/_small.yaml
title: Latency child
components:
  store: {kind: feature-store-online, label: Features}
flows:
  - ranker -> store: lookup
"""


@pytest.fixture
def child(tmp_path: Path) -> Path:
    """A small spec that extends a base in another folder."""
    folder = tmp_path / "src"
    (folder / "base").mkdir(parents=True)
    (folder / "base" / "_small.yaml").write_text(BASE, encoding="utf-8")
    (folder / "child.yaml").write_text(CHILD, encoding="utf-8")
    return folder / "child.yaml"


def _no_browser(reason: str) -> None:
    # As tests/serve/test_browser.py: CI sets MLSD_REQUIRE_BROWSER=1 to make this a failure.
    if os.environ.get("MLSD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MLSD_REQUIRE_BROWSER=1, but {reason}")
    pytest.skip(reason)


@pytest.mark.slow
def test_save_to_browser_measures_each_save(child: Path, tmp_path: Path) -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        _no_browser(f"the serve benchmark needs Playwright: {err}")
    if serve_latency.chromium() is None:
        _no_browser("the serve benchmark needs Chromium: apt-get install chromium (or set MLSD_CHROMIUM)")
    original = child.read_text(encoding="utf-8")
    seconds = serve_latency.save_to_browser(child, 2, tmp_path / "work")
    assert len(seconds) == 2
    assert all(0 < s < serve_latency.RUN_TIMEOUT_S for s in seconds)
    assert child.read_text(encoding="utf-8") == original  # the copy is edited, never the spec itself
    copy = tmp_path / "work" / "serve-latency" / "child.yaml"
    assert mlsd.load_spec(copy).components["app"].label == serve_latency.PROBE.format(2)
    assert (tmp_path / "work" / "serve-latency" / "base" / "_small.yaml").read_text(encoding="utf-8") == BASE


def test_the_copy_keeps_the_extends_chain_and_each_write_relabels_one_component(child: Path, tmp_path: Path) -> None:
    folder, target = serve_latency._copy_spec(child, tmp_path / "copy")
    assert target == folder / "child.yaml" and (folder / "base" / "_small.yaml").is_file()
    component, data = serve_latency._probe_target(target)
    assert component == "app"  # the first component, defined in the base: the child overrides its label
    for run in (1, 2):
        serve_latency._write(target, data, component, serve_latency.PROBE.format(run))
        design = mlsd.load_spec(target)
        assert design.components["app"].label == f"latency probe {run}"
        assert design.components["app"].kind == "client"
        assert design.components["store"].label == "Features"
        assert len(design.components) == 4


def test_a_server_that_does_not_start_is_a_clear_error(tmp_path: Path) -> None:
    # `serve` refuses a folder that is not there: the benchmark says so (with the server's words), not hangs.
    with (
        pytest.raises(RuntimeError, match=r"(?s)did not start serving:.*does not exist"),
        serve_latency._server(tmp_path / "missing"),
    ):
        pass


def test_no_chromium_is_a_clear_error(child: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        _no_browser(f"the message about Chromium comes after Playwright's: {err}")
    monkeypatch.setattr(serve_latency, "chromium", lambda: None)
    with pytest.raises(RuntimeError, match=r"needs Chromium: apt-get install chromium"):
        serve_latency.save_to_browser(child, 1, tmp_path / "work")


def test_summary_and_command_line(capsys: pytest.CaptureFixture[str], child: Path) -> None:
    assert serve_latency.summary([0.3, 0.1, 0.2]) == "median 0.200 s (min–max 0.100–0.300 s, n=3)"
    assert statistics.median([0.3, 0.1, 0.2]) == 0.2
    with pytest.raises(SystemExit) as exit_info:
        serve_latency.main([str(child), "-n", "0"])
    assert exit_info.value.code == 2
    assert "--runs must be at least 1" in capsys.readouterr().err
