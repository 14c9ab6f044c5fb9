"""The preview's parts on their own: path rules, the event hub, the worker queue, `serve` and Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from mlsd.explain.render import default_templates, environment
from mlsd.serve import EventHub, is_loopback
from mlsd.serve.events import CLOSED
from mlsd.serve.paths import inside, plain_relative, url_path
from mlsd.serve.worker import Worker


@pytest.mark.parametrize("name", ["good.yaml", "sub/dir/spec.yaml", "a b&c.yaml", "ünï.yaml"])
def test_plain_relative_names_pass(name: str) -> None:
    assert plain_relative(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "..",
        "../x.yaml",
        "a/../b.yaml",
        "./a.yaml",
        "a//b.yaml",
        "/etc/passwd",
        "a\\b.yaml",
        "a\x00.yaml",
        "C:/x.yaml",
        "c:x.yaml",
        "a/",
    ],
)
def test_other_names_are_refused(name: str) -> None:
    assert plain_relative(name) is None


def test_inside_follows_symlinks_and_checks_the_target(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.yaml").write_text("x")
    (tmp_path / "out.yaml").write_text("x")
    (root / "out.yaml").symlink_to(tmp_path / "out.yaml")
    (root / "loop.yaml").symlink_to(root / "loop.yaml")
    assert inside(root / "a.yaml", root.resolve()) == (root / "a.yaml").resolve()
    assert inside(root / "out.yaml", root.resolve()) is None
    assert inside(root / "loop.yaml", root.resolve()) is None
    assert inside(root / "missing.yaml", root.resolve()) is None
    assert inside(root, root.resolve()) is None  # a folder is not a file


def test_url_path_keeps_slashes_and_encodes_the_rest() -> None:
    assert url_path("sub/a b&<c>.yaml") == "sub/a%20b%26%3Cc%3E.yaml"


def test_every_page_template_is_autoescaped() -> None:
    names = sorted(p.name for p in (default_templates() / "serve").glob("*.j2"))
    assert "base.html.j2" in names
    env = environment()
    for name in names:
        assert name.endswith(".html.j2") and env.autoescape(f"serve/{name}") is True, name


def test_loopback_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.com")


def test_hub_delivers_to_every_subscriber_and_closes_them() -> None:
    hub = EventHub()
    first, second = hub.subscribe(), hub.subscribe()
    hub.publish({"version": 1})
    assert first.get_nowait() == second.get_nowait() == {"version": 1}
    hub.unsubscribe(second)
    assert hub.count == 1
    hub.close()
    assert first.get_nowait() is CLOSED
    assert hub.subscribe().get_nowait() is CLOSED  # a late subscriber ends at once


def test_worker_runs_each_key_once_and_urgent_keys_first() -> None:
    busy, gate, done = threading.Event(), threading.Event(), []

    def run(key: object) -> None:
        if key == "first":
            busy.set()
            gate.wait(5)
        done.append(key)

    worker = Worker(run)
    worker.start()
    try:
        worker.submit("first")
        assert busy.wait(5)
        for key in ("a", "b", "a", "a"):
            worker.submit(key)
        worker.submit("b", urgent=True)
        gate.set()
        assert worker.idle(5)
        assert done == ["first", "b", "a"]
    finally:
        worker.stop()


def test_worker_says_whether_a_key_is_queued_again() -> None:
    seen: list[bool] = []
    worker: Worker

    def run(key: object) -> None:
        if key == "first":
            worker.submit("second")
            seen.append(worker.waiting("second"))
        seen.append(worker.waiting(key))  # type: ignore[arg-type]

    worker = Worker(run)
    worker.start()
    try:
        worker.submit("first")
        assert worker.idle(10)
    finally:
        worker.stop()
    assert seen == [True, False, False]  # queued while "first" ran; neither is queued while it runs


def test_worker_survives_a_failing_job() -> None:
    done = []

    def run(key: object) -> None:
        if key == "bad":
            raise RuntimeError("boom")
        done.append(key)

    worker = Worker(run)
    worker.start()
    try:
        worker.submit("bad")
        worker.submit("good")
        assert worker.idle(5) and done == ["good"]
    finally:
        worker.stop()


def test_serve_runs_until_ctrl_c_and_stops_cleanly(specs_dir: Path) -> None:
    code = "import sys; from pathlib import Path; from mlsd.serve import serve;serve(Path(sys.argv[1]), '127.0.0.1', 0)"
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(specs_dir)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)", line)
        assert found, line
        with urllib.request.urlopen(found.group(1), timeout=10) as reply:
            assert reply.status == 200 and "Live preview test" in reply.read().decode()
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "stopping" in rest and "Traceback" not in rest


def test_serve_stops_cleanly_on_sigterm(specs_dir: Path) -> None:
    code = "import sys; from pathlib import Path; from mlsd.serve import serve;serve(Path(sys.argv[1]), '127.0.0.1', 0)"
    process = subprocess.Popen([sys.executable, "-c", code, str(specs_dir)], stderr=subprocess.PIPE, text=True)
    try:
        assert "Ctrl-C to stop" in process.stderr.readline()
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0 and "Traceback" not in rest
