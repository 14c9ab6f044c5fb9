"""`mlsd export` and `mlsd render` write the same bytes in every process, whatever the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, HERE

pytestmark = pytest.mark.slow

SPECS = [EXAMPLES / "fraud-detection.yaml", HERE / "specs" / "hostile.yaml"]
SEEDS = ("1", "4242")
FORMATS = ("svg", "dot", "mmd", "d2", "md")


def mlsd(seed: str, *args: str | Path) -> bytes:
    """Run `python -m mlsd ARGS` in a fresh process with this hash seed; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "mlsd", *map(str, args)],
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
@pytest.mark.parametrize("to", ["mermaid", "d2", "dot", "pptx", "excalidraw", "drawio"])
def test_export_does_not_depend_on_the_hash_seed(path: Path, to: str) -> None:
    first, second = (mlsd(seed, "export", path, "--to", to) for seed in SEEDS)
    assert first, "nothing exported"
    assert first == second


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_render_does_not_depend_on_the_hash_seed(path: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in SEEDS:
        out = tmp_path / seed
        mlsd(seed, "render", path, "-f", ",".join(FORMATS), "--all-views", "-o", out)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    first, second = outputs
    assert {name.rpartition(".")[2] for name in first} >= set(FORMATS), sorted(first)
    assert sorted(first) == sorted(second)
    for name, data in first.items():
        assert data == second[name], f"{name} differs between hash seeds {SEEDS[0]} and {SEEDS[1]}"
