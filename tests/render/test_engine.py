"""The Graphviz runner's parallel helpers: how many cores, and results in order."""

from __future__ import annotations

import threading
import time

import pytest

from mlsd.render import engine


def test_usable_cores_follows_the_cpu_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda pid: {0, 5}, raising=False)
    assert engine.usable_cores() == 2


def test_usable_cores_without_affinity_uses_the_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(engine.os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(engine.os, "cpu_count", lambda: None)
    assert engine.usable_cores() == 1


def test_in_parallel_keeps_the_order_and_runs_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "usable_cores", lambda: 4)
    running, most = set(), []
    lock = threading.Lock()

    def work(item: int) -> int:
        with lock:
            running.add(item)
            most.append(len(running))
        time.sleep(0.05 * (4 - item))  # the first item finishes last
        with lock:
            running.discard(item)
        return item * 10

    assert engine.in_parallel(work, [0, 1, 2, 3]) == [0, 10, 20, 30]
    assert max(most) > 1


def test_in_parallel_passes_the_first_error_on() -> None:
    def work(item: int) -> int:
        if item == 1:
            raise ValueError("no")
        return item

    with pytest.raises(ValueError, match="no"):
        engine.in_parallel(work, [0, 1, 2])
