"""Fuzzing every command with random specs: valid ones full of hostile text, and damaged ones.

For every example, each command (validate, render to svg and dot, explain md and html,
check -f json, diff) must end with a documented exit status and never with a traceback,
an internal error (70) or a stray exception; it must never hang (each example is
bounded by Graphviz's time limit) and never write outside the `-o` folder. A spec that
validates must also render, explain, check and diff successfully.

Specs are generated in tests/hardening/_strategies.py; the loader's own property
tests (tests/load/test_properties.py) cover `load_spec` alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from mlsd.load import load_spec

from ._strategies import mutated_specs, valid_specs
from ._support import LOCATED, assert_clean, check_html, dump, invoke, snapshot, svg_root

pytestmark = pytest.mark.slow

# The `deep` profile (MLSD_HYPOTHESIS=deep, see tests/conftest.py) hunts for rare failures.
EXAMPLES = 2000 if settings.get_current_profile_name() == "deep" else 30
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    # Each example runs every command (about a second); shrinking a failure would take
    # minutes, so failures are reported as found. Add Phase.shrink locally to minimise one.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
TIMEOUT = "20"  # seconds per spec for Graphviz: a hang fails the example instead of the run
EXAMPLE_LIMIT = 90  # seconds for all commands of one example, Python code included


class Hang(BaseException):
    """Raised when an example runs too long; a BaseException, so no `except Exception` hides it."""


def _too_long(signum, frame):
    raise Hang(f"one example took over {EXAMPLE_LIMIT} s: mlsd hangs")


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    """A fresh folder per example, with the working directory inside it and a time limit."""
    with tempfile.TemporaryDirectory(prefix="mlsd-fuzz-") as name:
        root = Path(name)
        (root / "cwd").mkdir()
        old = os.getcwd()
        os.chdir(root / "cwd")
        alarm = hasattr(signal, "setitimer")
        if alarm:
            previous = signal.signal(signal.SIGALRM, _too_long)
            signal.setitimer(signal.ITIMER_REAL, EXAMPLE_LIMIT)
        try:
            yield root
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            os.chdir(old)


def _valid(path: Path) -> bool:
    result = invoke("validate", path)
    assert_clean(result, (0, 1), "validate")
    if result.exit_code == 1:
        assert LOCATED.search(result.stderr), f"validate failed without a located error:\n{result.stderr}"
    else:
        assert "1 spec valid" in result.output
    return result.exit_code == 0


def _render(root: Path, path: Path, valid: bool, views: bool, steps: bool, look: tuple[str, str]) -> None:
    out = root / "out"
    before = snapshot(root, skip=[out])
    args = ["render", path, "-o", out, "-f", "svg,dot", "--timeout", TIMEOUT, "--theme", look[0], "--preset", look[1]]
    args += ["--all-views"] if views else []
    args += ["--steps"] if steps else []
    result = invoke(*args)
    assert_clean(result, (0,) if valid else (1,), "render")
    assert snapshot(root, skip=[out]) == before, "render wrote outside its -o folder"
    if not valid:
        assert LOCATED.search(result.stderr), result.stderr
        assert not out.exists() or not any(out.iterdir()), "an invalid spec wrote files"
        return
    spec_id = load_spec(path).id
    names = sorted(p.name for p in out.iterdir())
    assert f"{spec_id}.svg" in names and f"{spec_id}.dot" in names, names
    for name in names:
        assert name.startswith(f"{spec_id}.") and name.endswith((".svg", ".dot")), name
        if name.endswith(".svg"):
            svg_root((out / name).read_bytes())  # well-formed XML
    for name in names:
        (out / name).unlink()


def _explain(path: Path, valid: bool) -> None:
    for fmt in ("md", "html"):
        result = invoke("explain", path, "-f", fmt)
        assert_clean(result, (0,) if valid else (1,), f"explain -f {fmt}")
        if valid:
            assert result.stdout.strip(), f"explain -f {fmt} printed nothing"
            if fmt == "html":
                page = check_html(result.stdout)
                assert not page.bad, f"the explanation would run code: {page.bad}"
        else:
            assert LOCATED.search(result.stderr), result.stderr


def _check(path: Path, valid: bool) -> None:
    result = invoke("check", path, "-f", "json")
    assert_clean(result, (0, 1) if valid else (1,), "check")
    if valid:
        report = json.loads(result.stdout)
        for finding in report["findings"]:
            assert finding["severity"] in ("error", "warning", "info")
            assert finding["rule"] and finding["message"]
    else:
        assert LOCATED.search(result.stderr), result.stderr


def _diff(old: Path, new: Path, both_valid: bool, exit_code: bool, fmt: str) -> None:
    args = ["diff", old, new, "-f", fmt] + (["--exit-code"] if exit_code else [])
    result = invoke(*args)
    allowed = ((0, 1) if exit_code else (0,)) if both_valid else (2,)
    assert_clean(result, allowed, "diff")
    if both_valid and fmt == "json":
        report = json.loads(result.stdout)
        assert report["format"] == 1
        for part in ("components", "flows", "groups"):
            assert set(report[part]) >= {"added", "removed", "changed"}, report[part]


def _all_commands(root: Path, path: Path, other: Path, valid: bool | None, flags: tuple) -> None:
    views, steps, exit_code, fmt, look = flags
    # Printed with a failure: the files exactly as the commands read them.
    note(f"--- {path.name} ---\n{path.read_text(encoding='utf-8', errors='replace')}")
    if other != path:
        note(f"--- {other.name} ---\n{other.read_text(encoding='utf-8', errors='replace')}")
    start = snapshot(root)
    ok = _valid(path)
    if valid is not None:
        assert ok == valid, "a generated valid spec did not validate" if valid else "?"
    other_ok = _valid(other)
    _render(root, path, ok, views, steps, look)
    _explain(path, ok)
    _check(path, ok)
    _diff(path, other, ok and other_ok, exit_code, fmt)
    out = root / "out"
    assert snapshot(root, skip=[out]) == start, "a command changed files outside -o"


flags = st.tuples(
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["json", "text", "md"]),
    st.sampled_from([("light", "default"), ("dark", "slide-16x9"), ("light", "slide-4x3")]),
)


@SETTINGS
@given(spec=valid_specs(), other=valid_specs(max_components=4), flags=flags)
def test_valid_specs_through_every_command(spec: dict, other: dict, flags: tuple) -> None:
    with workspace() as root:
        path = root / "specs" / "spec.yaml"
        path.parent.mkdir()
        path.write_text(dump(spec), encoding="utf-8")
        second = root / "specs" / "other.yaml"
        second.write_text(dump(other), encoding="utf-8")
        _all_commands(root, path, second, True, flags)


@SETTINGS
@given(spec=mutated_specs(), other=valid_specs(max_components=3), flags=flags)
def test_damaged_specs_through_every_command(spec: dict, other: dict, flags: tuple) -> None:
    with workspace() as root:
        path = root / "specs" / "spec.yaml"
        path.parent.mkdir()
        path.write_text(dump(spec), encoding="utf-8")
        second = root / "specs" / "other.yaml"
        second.write_text(dump(other), encoding="utf-8")
        _all_commands(root, path, second, None, flags)


@settings(SETTINGS, max_examples=EXAMPLES * 5 // 6)
@given(spec=valid_specs(max_components=4), tail=st.binary(min_size=1, max_size=40), flags=flags)
def test_specs_with_random_bytes_appended(spec: dict, tail: bytes, flags: tuple) -> None:
    with workspace() as root:
        path = root / "specs" / "spec.yaml"
        path.parent.mkdir()
        path.write_bytes(dump(spec).encode("utf-8") + tail)
        _all_commands(root, path, path, None, flags)


@settings(SETTINGS, max_examples=EXAMPLES * 5 // 6)
@given(
    old=st.one_of(valid_specs(max_components=5), mutated_specs()),
    new=st.one_of(valid_specs(max_components=5), mutated_specs()),
    picture=st.booleans(),
    view=st.sampled_from(["overlay", "side-by-side"]),
)
def test_diff_of_two_random_specs(old: dict, new: dict, picture: bool, view: str) -> None:
    """diff follows diff(1): 0 same or different (without --exit-code), 1 different, 2 trouble."""
    with workspace() as root:
        specs = root / "specs"
        specs.mkdir()
        a = specs / "old.yaml"
        b = specs / "new.yaml"
        a.write_text(dump(old), encoding="utf-8")
        b.write_text(dump(new), encoding="utf-8")
        note(f"--- old.yaml ---\n{dump(old)}--- new.yaml ---\n{dump(new)}")
        both = _valid(a) & _valid(b)
        out = root / "pictures"
        before = snapshot(root, skip=[out])
        args = ["diff", a, b, "-f", "json", "--exit-code", "--view", view] + (["-o", out] if picture else [])
        result = invoke(*args)
        assert_clean(result, (0, 1) if both else (2,), "diff")
        assert snapshot(root, skip=[out]) == before, "diff wrote outside its -o folder"
        if both:
            report = json.loads(result.stdout)
            changed = any(report[p][k] for p in ("components", "flows", "groups") for k in report[p]) or bool(
                report.get("sections")
            )
            assert result.exit_code == (1 if changed else 0), (result.exit_code, report)
            if picture:
                for svg in out.glob("*.svg"):
                    svg_root(svg.read_bytes())
        else:
            assert LOCATED.search(result.stderr), result.stderr
            assert not out.exists() or not any(out.iterdir())
