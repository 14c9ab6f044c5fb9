"""The live preview's state: the specs of a folder, their results, and what keeps them fresh.

Request threads only read results (`spec`, `diff`, `specs`) and ask for work;
the worker thread renders; the watcher thread turns saved files into work. A
finished render bumps `version` and publishes an event naming what changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from pathlib import Path

from mlsd import vocabulary
from mlsd.serve.events import EventHub
from mlsd.serve.paths import SOURCE_SUFFIXES, inside, plain_relative
from mlsd.serve.results import (
    BROKEN,
    INVALID,
    VALID,
    DiffResult,
    SpecResult,
    diff_result,
    draw_result,
    explain_result,
    internal,
    load_result,
)
from mlsd.serve.watch import Watcher
from mlsd.serve.worker import Worker

# The preview opens a diff side by side (the CLI's default is the overlay); the rest follow.
DIFF_VIEWS: tuple[str, ...] = ("side-by-side", *(v for v in vocabulary.DIFF_VIEWS if v != "side-by-side"))
# Diff pages kept fresh at once; older ones are dropped (and re-made if opened again).
MAX_DIFFS = 8


class Preview:
    """Everything `mlsd serve` knows about one specs folder."""

    def __init__(
        self,
        specs_dir: Path,
        *,
        templates: Path | None = None,
        log: Callable[[str], None] = lambda line: None,
        watch: bool = True,
    ) -> None:
        self.folder = specs_dir  # as the user wrote it: error messages show paths under it
        self.root = specs_dir.resolve()
        self.templates = templates
        self.hub = EventHub()
        self._log = log
        self._lock = threading.Lock()
        self._version = 0
        self._names: tuple[str, ...] = ()
        self._results: dict[str, SpecResult] = {}
        self._wanted: set[str] = set()  # specs whose page was opened: these are rendered, not just loaded
        self._diffs: OrderedDict[tuple[str, str, str], DiffResult] = OrderedDict()
        self._scan_problems: list[str] = []  # logged once, not on every change
        self._worker = Worker(self._run)
        self._template_dirs = self._templates_watched()
        self._watcher = Watcher([self.root, *self._template_dirs], self.changed, log) if watch else None

    # ------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Load every spec in the background and start watching."""
        with self._lock:
            self._names = self._scan()
            self._results = {name: SpecResult(name) for name in self._names}
        self._worker.start()
        for name in self._names:
            self._worker.submit(("spec", name))
        if self._watcher is not None and not self._watcher.start():
            self._log("the file watcher did not start in time; live reload may miss the first saves")

    def stop(self) -> None:
        """End open event streams, stop watching, stop the worker."""
        self.hub.close()
        if self._watcher is not None:
            self._watcher.stop()
        self._worker.stop()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until no work is queued or running (tests, and the first page of `serve`)."""
        return self._worker.idle(timeout)

    # ------------------------------------------------------------ reads (request threads)

    @property
    def version(self) -> int:
        """Bumped whenever anything a page shows changed."""
        with self._lock:
            return self._version

    def specs(self) -> list[SpecResult]:
        """Every spec of the folder, in file order, as far as it is loaded."""
        with self._lock:
            return [self._results[name] for name in self._names]

    def spec(self, name: str) -> SpecResult | None:
        """The spec `name` (a listed spec, else None); asks for its rendering if it has none yet."""
        with self._lock:
            result = self._results.get(name)
            if result is None:
                return None
            first_look = name not in self._wanted
            self._wanted.add(name)
        if first_look or (result.status == VALID and not result.rendered):
            self._worker.submit(("spec", name), urgent=True)
        return result

    def diff(self, old: str, new: str, view: str) -> DiffResult | None:
        """The diff of two listed specs (pending at first), or None if a name or the view is unknown."""
        key = (old, new, view)
        with self._lock:
            if old not in self._results or new not in self._results or view not in DIFF_VIEWS:
                return None
            result = self._diffs.get(key)
            if result is not None:
                self._diffs.move_to_end(key)
                return result
            result = self._diffs[key] = DiffResult(old, new, view)
            while len(self._diffs) > MAX_DIFFS:
                self._diffs.popitem(last=False)
        self._worker.submit(("diff", *key), urgent=True)
        return result

    def source_file(self, name: str) -> Path | None:
        """A YAML file under the folder (a spec or a base spec) that `/source/NAME` may show."""
        if plain_relative(name) is None or not name.endswith(SOURCE_SUFFIXES):
            return None
        return inside(self.folder / name, self.root)

    # ------------------------------------------------------------ changes (watcher thread)

    def changed(self, paths: set[Path]) -> None:
        """Files changed: re-list the folder and queue every spec and diff that reads one of them."""
        templates = any(p.is_relative_to(d) for p in paths for d in self._template_dirs)
        names = self._scan()
        with self._lock:
            listed = names != self._names
            removed = set(self._names) - set(names)
            added = set(names) - set(self._names)
            self._names = names
            for name in removed:
                self._results.pop(name, None)
                self._wanted.discard(name)
            for name in names:
                self._results.setdefault(name, SpecResult(name))
            for key in [k for k in self._diffs if removed & {k[0], k[1]}]:
                del self._diffs[key]
            # An invalid spec has no known inputs (its extends chain may be what is broken): reload it on any change.
            specs = [
                name
                for name, r in self._results.items()
                if r.status != VALID or r.files & paths or (templates and r.rendered)
            ]
            # The specs that read a saved file go first: the one being edited is what someone watches.
            specs.sort(key=lambda name: not self._results[name].files & paths)
            diffs = [key for key, d in self._diffs.items() if d.status != VALID or d.files & paths]
            if listed:
                self._version += 1
                version = self._version
        if listed:
            self.hub.publish({"version": version, "names": sorted(removed | added), "list": True})
        for name in specs:
            self._worker.submit(("spec", name))
        for key in diffs:
            self._worker.submit(("diff", *key))

    # ------------------------------------------------------------ work (worker thread)

    def _run(self, key: Hashable) -> None:
        # The worker hands back the keys submitted above: ("spec", name) or ("diff", old, new, view).
        if not isinstance(key, tuple):
            raise TypeError(f"not a preview job: {key!r}")
        try:
            if key[0] == "spec":
                self._run_spec(key[1])
            else:
                self._run_diff(key[1], key[2], key[3])
        except Exception as err:
            self._log(f"{key[1]}: {internal(err)}")
            if key[0] == "spec":
                self._store_spec(SpecResult(key[1], BROKEN, error=internal(err)))

    def _run_spec(self, name: str) -> None:
        with self._lock:
            if name not in self._results:
                return  # deleted meanwhile
            wanted = name in self._wanted
        result, spec = load_result(name, self.folder / name, self.root)
        if spec is not None and wanted:
            # The picture is what the saver looks at: it is announced before the explanation is written.
            result = draw_result(result, spec)
            with self._lock:
                was = self._results.get(name)
            if was is None or not _same_drawing(result, was):
                self._store_spec(result)
            if self._worker.waiting(("spec", name)):
                return  # saved again meanwhile: the next run writes the explanation of the newer file
            result = explain_result(result, spec, self.templates)
        if self._store_spec(result):
            self._report(result)

    def _store_spec(self, result: SpecResult) -> bool:
        with self._lock:
            if result.name not in self._results or self._results[result.name] == result:
                return False
            was = self._results[result.name]
            self._results[result.name] = result
            self._version += 1
            version = self._version
        # The index shows titles and statuses; it needs to know only when those change.
        listed = _listing(was) != _listing(result)
        self.hub.publish({"version": version, "names": [result.name], "list": listed})
        return True

    def _run_diff(self, old: str, new: str, view: str) -> None:
        key = (old, new, view)
        with self._lock:
            if key not in self._diffs:
                return  # dropped meanwhile
        result = diff_result(old, new, view, (self.folder / old, self.folder / new), self.root)
        with self._lock:
            if key not in self._diffs or self._diffs[key] == result:
                return
            self._diffs[key] = result
            self._version += 1
            version = self._version
        self.hub.publish({"version": version, "names": [old, new], "list": False, "diff": True})

    # ------------------------------------------------------------ helpers

    def _scan(self) -> tuple[str, ...]:
        """The specs of the folder, relative to it; a symlink that leads out of it is not one."""
        from mlsd.load import find_specs

        if not self.folder.is_dir():  # being moved or deleted: show nothing until it is back
            found, problems = [], [f"cannot list {self.folder}: it is not a folder (any more)"]
        else:
            paths, trouble = find_specs([self.folder])
            found, problems = paths, [str(p) for p in trouble]
        if problems != self._scan_problems:
            for line in problems:
                self._log(line)
            self._scan_problems = problems
        names = []
        for path in found:
            if inside(path, self.root) is not None:
                names.append(path.relative_to(self.folder).as_posix())
        return tuple(names)

    def _templates_watched(self) -> tuple[Path, ...]:
        from mlsd.explain.render import default_templates

        folders = [default_templates()]
        if self.templates is not None:
            folders.insert(0, self.templates)
        return tuple(f.resolve() for f in folders if f.is_dir())

    def _report(self, result: SpecResult) -> None:
        if result.status == INVALID:
            count = len(result.problems)
            self._log(f"{result.name}: invalid, {count} error{'s' if count != 1 else ''}")
            for line in result.problems:
                self._log(f"  {line}")
        elif result.status == BROKEN:
            self._log(f"{result.name}: {result.error}")
        elif result.rendered:
            trouble = [e for e in (result.picture_error, result.explanation_error, result.review_error) if e]
            for line in trouble:
                self._log(f"{result.name}: {line}")
            if not trouble:
                self._log(f"{result.name}: rendered in {result.seconds:.1f} s")


def _same_drawing(drawn: SpecResult, shown: SpecResult) -> bool:
    """True when a drawn result differs from the one shown at most in its explanation (a save that changed nothing)."""
    return (
        replace(drawn, explained=True, explanation=shown.explanation, explanation_error=shown.explanation_error)
        == shown
    )


def _listing(result: SpecResult) -> tuple[object, ...]:
    """What the index page shows of a spec."""
    return (result.status, result.title, len(result.problems))
