"""The file watcher: `watchfiles` (OS notifications, polling where there are none) on a thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

# How often the watcher wakes when nothing happens: bounds how long start-up waits
# for it to be ready and how long stopping takes.
TICK_MS = 100
# Changes closer together than this are one batch (an editor's write, rename, chmod).
QUIET_MS = 50


class Watcher:
    """Calls `on_change(paths)` from its own thread with each batch of changed paths (resolved)."""

    def __init__(
        self,
        folders: Iterable[Path],
        on_change: Callable[[set[Path]], None],
        log: Callable[[str], None] = lambda line: None,
    ) -> None:
        self._folders = tuple(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
        self._on_change = on_change
        self._log = log
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mlsd-serve-watcher", daemon=True)

    @property
    def folders(self) -> tuple[Path, ...]:
        """What is watched (recursively)."""
        return self._folders

    def start(self, timeout: float = 5.0) -> bool:
        """Start watching; True once changes from now on are sure to be seen."""
        self._thread.start()
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and join the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        import watchfiles

        polling: bool | None = None  # watchfiles decides (and honours WATCHFILES_FORCE_POLLING)
        while not self._stop.is_set():
            try:
                for changes in watchfiles.watch(
                    *self._folders,
                    debounce=1600,
                    step=QUIET_MS,
                    rust_timeout=TICK_MS,
                    # The first (empty) batch on a timeout says the watcher is in place.
                    yield_on_timeout=True,
                    stop_event=self._stop,
                    raise_interrupt=False,
                    force_polling=polling,
                ):
                    self._ready.set()
                    if changes:
                        self._deliver({Path(path).resolve() for _, path in changes})
                return
            except Exception as err:
                if polling:
                    self._log(f"file watcher failed ({err}); live reload is off")
                    self._ready.set()
                    return
                self._log(f"file watcher failed ({err}); polling for changes instead")
                polling = True

    def _deliver(self, paths: set[Path]) -> None:
        try:
            self._on_change(paths)
        except Exception as err:
            self._log(f"internal error while handling changed files: {type(err).__name__}: {err}")
