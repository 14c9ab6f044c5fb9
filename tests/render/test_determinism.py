"""The same spec always gives the same bytes: DOT, SVG and PNG."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mlsd.render import RenderOptions, pictures, render_pictures

from ._helpers import SPECS, spec


@pytest.mark.parametrize(
    ("name", "formats", "steps", "all_views"),
    [
        ("fraud", ("svg", "dot", "png"), False, False),
        ("walkthrough", ("svg", "dot", "png"), True, True),
        ("hostile", ("svg", "dot"), False, False),
    ],
)
@pytest.mark.slow
def test_render_twice_gives_identical_bytes(name: str, formats, steps: bool, all_views: bool) -> None:
    loaded = spec(name)
    todo = pictures(loaded, steps=steps, all_views=all_views)
    options = RenderOptions(formats=formats)
    first = render_pictures(loaded, todo, options)
    # A fresh load too: nothing may depend on object identity or cached state.
    second = render_pictures(spec(name), pictures(spec(name), steps=steps, all_views=all_views), options)
    assert [r.picture.stem for r in first] == [r.picture.stem for r in second]
    for a, b in zip(first, second, strict=False):
        assert set(a.files) == set(formats)
        for fmt in formats:
            assert a.files[fmt] == b.files[fmt], f"{a.picture.stem}.{fmt} differs between two renders"


_DIGEST = """
import hashlib, sys
from mlsd.load import load_spec
from mlsd.render import build_dot, pictures
from mlsd.render.theme import COLOURS
h = hashlib.sha256()
for path in sys.argv[1:]:
    spec = load_spec(path)
    for p in pictures(spec, steps=True, all_views=True):
        h.update(build_dot(spec, COLOURS["light"], include=p.include, frame=p.frame).encode())
print(h.hexdigest())
"""


@pytest.mark.slow
def test_dot_does_not_depend_on_hash_seed() -> None:
    paths = [str(SPECS / f"{n}.yaml") for n in ("walkthrough", "nested", "hostile", "fraud", "all_kinds")]
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST, *paths], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        digests.add(done.stdout.strip())
    assert len(digests) == 1, digests
