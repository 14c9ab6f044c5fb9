"""One background thread that does every render, so request threads only read results."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable


class Worker:
    """A queue of jobs, each a hashable key, run one at a time by `run(key)`.

    A key already waiting is not queued twice (ten saves in a row render once);
    an urgent key (a page someone opened) jumps the queue.
    """

    def __init__(self, run: Callable[[Hashable], None], name: str = "mlsd-serve-worker") -> None:
        self._run = run
        self._cond = threading.Condition()
        self._pending: dict[Hashable, None] = {}  # insertion-ordered set
        self._running: Hashable | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def submit(self, key: Hashable, *, urgent: bool = False) -> None:
        """Queue `key` (once); urgent keys go first."""
        with self._cond:
            if urgent:
                self._pending.pop(key, None)
                self._pending = {key: None, **self._pending}
            else:
                self._pending.setdefault(key, None)
            self._cond.notify()

    def waiting(self, key: Hashable) -> bool:
        """True when `key` is queued (again): work for its present run may already be stale."""
        with self._cond:
            return key in self._pending

    def idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running; False on timeout (for tests and start-up)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and self._running is None, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Drop waiting jobs, let the running one finish (Graphviz has its own timeout), join."""
        with self._cond:
            self._stopped = True
            self._pending.clear()
            self._cond.notify_all()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopped)
                if self._stopped:
                    return
                key = next(iter(self._pending))
                del self._pending[key]
                self._running = key
            try:
                self._run(key)
            except Exception:
                pass
            finally:
                with self._cond:
                    self._running = None
                    self._cond.notify_all()
