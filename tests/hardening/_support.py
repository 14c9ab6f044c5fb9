"""Shared pieces of the hardening tests: running the CLI, snapshots, fake Graphviz, hostile text."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from mlsd.cli import main

REAL_DOT = shutil.which("dot")
# FILE:LINE:COL: error: MESSAGE, as CLI.md promises for every problem.
LOCATED = re.compile(r"^[^\n]+:[1-9]\d*:[1-9]\d*: error: \S.*$", re.M)
SVG_NS = "{http://www.w3.org/2000/svg}"

# Characters XML 1.0 forbids (and Graphviz's HTML-label parser refuses). The fuzzers leave
# them out; test_hostile.py::test_control_characters_* covers them on their own.
XML_FORBIDDEN = frozenset([chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\ufffe", "\uffff"])


# --- running the CLI in-process ----------------------------------------------------------


def invoke(*args: object, input: str | bytes | None = None) -> Result:
    """`mlsd ARGS` in-process; every argument is turned into text."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=True)


def everything(result: Result) -> str:
    """What the user saw on both streams."""
    try:
        stderr = result.stderr
    except ValueError:  # older Click without separate stderr
        stderr = ""
    return f"{result.output}\n{stderr}"


def assert_clean(result: Result, allowed: Iterable[int] = (0, 1), what: str = "") -> str:
    """No traceback, no internal error, no stray exception, and an exit status from `allowed`."""
    text = everything(result)
    where = f"{what}: " if what else ""
    assert "Traceback" not in text, f"{where}traceback in the output:\n{text}"
    assert result.exit_code != 70, f"{where}internal error (exit 70):\n{text}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{where}unexpected exception {result.exception!r}:\n{text}"
    )
    allowed = tuple(allowed)
    assert result.exit_code in allowed, f"{where}exit {result.exit_code}, expected one of {allowed}:\n{text}"
    return text


# --- files ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, also quoting text that YAML 1.2 (mlsd's reading) takes for a number."""


# PyYAML writes `08`, `0o17` and `1e3` plain (text in YAML 1.1); YAML 1.2 reads them as numbers.
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?[0-9]+(?:[eE][-+]?[0-9]+)?|0o[0-7]+)$"),
    list("-+0123456789"),
)


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def write_yaml(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return path


def snapshot(folder: Path, skip: Iterable[Path] = ()) -> dict[str, str]:
    """Every entry under `folder` (files by content digest, folders and links by kind)."""
    skipped = [s.resolve() for s in skip]
    found: dict[str, str] = {}
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        if any(path == s or s in path.parents for s in skipped):
            continue
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = f"link:{os.readlink(path)}"
        elif path.is_dir():
            found[name] = "dir"
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[name] = "special"
    return found


def temporaries(folder: Path) -> list[str]:
    """Left-over temporary files of atomic writes."""
    return [str(p) for p in folder.rglob("*") if p.name.endswith(".tmp")] if folder.exists() else []


def svg_root(data: bytes | str) -> ET.Element:
    """Parse an SVG: proves it is well-formed XML."""
    return ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)


def svg_groups(root: ET.Element, cls: str) -> list[ET.Element]:
    # The legend's samples are nodes and edges too, but not part of the design.
    return [
        g
        for g in root.iter(f"{SVG_NS}g")
        if cls in (g.get("class") or "").split() and "mlsd_legend" not in (g.get("class") or "").split()
    ]


class HTMLCheck(HTMLParser):
    """Collects what an HTML page would execute or load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("script", "iframe", "object", "embed"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=...>")
            linked = name in ("href", "src", "xlink:href", "action") and value
            if linked and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.bad.append(f"<{tag} {name}={value[:30]}>")


def check_html(text: str) -> HTMLCheck:
    parser = HTMLCheck()
    parser.feed(text)
    parser.close()
    return parser


# --- fake Graphviz -------------------------------------------------------------------------


def fake_graphviz(folder: Path, dot: str | None = None, neato: str | None = None) -> Path:
    """A folder with `dot` and `neato` shell scripts; None means the real program.

    A body gets its arguments as "$@" and the DOT source on standard input; `dot -V`
    always reaches the real Graphviz unless the body is given as `ALL:<body>`.
    """
    assert REAL_DOT is not None
    bin_dir = folder / "fake-bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, body in (("dot", dot), ("neato", neato)):
        script = bin_dir / name
        real = shutil.which(name) or REAL_DOT
        if body is None:
            text = f'#!/bin/sh\nexec "{real}" "$@"\n'
        elif body.startswith("ALL:"):
            text = f"#!/bin/sh\n{body[4:]}\n"
        else:
            text = f'#!/bin/sh\ncase "$*" in *-V*) exec "{REAL_DOT}" "$@";; esac\n{body}\n'
        script.write_text(text, encoding="utf-8")
        script.chmod(0o755)
    return bin_dir


def path_with(bin_dir: Path) -> str:
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


@dataclass
class Run:
    returncode: int | None  # None: killed after the time limit
    stdout: str
    stderr: str
    seconds: float


def run_mlsd(
    args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, limit: float = 30.0
) -> Run:
    """`python -m mlsd ARGS` as a child in its own session, killed (with its children) after `limit`."""
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlsd", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=limit)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group of the child started here
        out, err = process.communicate()
        code = None
    return Run(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - start)


def enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
