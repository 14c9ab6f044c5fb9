"""The file watcher: `watchfiles` (OS notifications, polling where there are none) on a thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

# How often the watcher wakes when nothing happens: bounds how long start-up waits
# for it to be ready and how long stopping takes.
TICK_MS = 100
# Changes closer together than this are one batch (an editor's write, rename, chmod come within a
# millisecond or two). A batch is handed on 1-2 of these after its last change: this is latency on
# every save, so it is kept short (watchfiles' default of 50 ms cost 50-100 ms of each save).
QUIET_MS = 20
# After the watcher failed, how long to wait before watching again.
RETRY_SECONDS = 1.0


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
        said = ""
        announce = False  # a folder came back: tell the preview once it is watched again
        while not self._stop.is_set():
            present = self._identities()
            watched = [f for f, identity in zip(self._folders, present, strict=True) if identity is not None]
            if not watched:
                self._ready.set()
                announce = True
                self._stop.wait(TICK_MS / 1000)
                continue
            try:
                for changes in watchfiles.watch(
                    *watched,
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
                    if announce:
                        announce = False
                        self._deliver(set(self._folders))
                    if changes:
                        self._deliver({_real(path) for _, path in changes})
                    if self._identities() != present:
                        # A watched folder was removed or replaced: its notifications went with it.
                        announce = True
                        self._deliver(set(self._folders))
                        break
                else:
                    return  # stopped
            except Exception as err:
                # A symlink loop, a vanished folder, too many watches: say so once, wait, and
                # watch again (alternating with polling), never giving up on live reload.
                message = f"file watcher failed ({err}); watching again"
                if message != said:
                    self._log(message)
                    said = message
                polling = None if polling else True
                announce = True
                self._ready.set()
                self._stop.wait(RETRY_SECONDS)

    def _identities(self) -> tuple[tuple[int, int] | None, ...]:
        """Which file each watched folder is now (None: gone), to notice one removed and made again."""
        found: list[tuple[int, int] | None] = []
        for folder in self._folders:
            try:
                info = os.stat(folder)
            except OSError:
                found.append(None)
            else:
                found.append((info.st_dev, info.st_ino))
        return tuple(found)

    def _deliver(self, paths: set[Path]) -> None:
        try:
            self._on_change(paths)
        except Exception as err:
            self._log(f"internal error while handling changed files: {type(err).__name__}: {err}")


def _real(path: str) -> Path:
    """`path` with its symlinks resolved as far as they go; a loop is not an error here."""
    return Path(os.path.realpath(path))
