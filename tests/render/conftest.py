"""Fixtures for the rendering tests: renders are cached per session (Graphviz is slow)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mlsd.render import Rendered, RenderOptions, pictures, render_pictures

from ._helpers import spec

RenderAll = Callable[..., list[Rendered]]


@pytest.fixture(scope="session")
def render_all() -> RenderAll:
    """render_all(name, formats, steps=, all_views=, **options) -> every picture, cached.

    The results are shared between tests: never modify them.
    """
    cache: dict[tuple, list[Rendered]] = {}

    def run(
        name: str,
        formats: tuple[str, ...] = ("svg",),
        *,
        steps: bool = False,
        all_views: bool = False,
        **options: object,
    ) -> list[Rendered]:
        key = (name, formats, steps, all_views, tuple(sorted(options.items())))
        if key not in cache:
            loaded = spec(name)
            todo = pictures(loaded, steps=steps, all_views=all_views)
            cache[key] = render_pictures(loaded, todo, RenderOptions(formats=formats, **options))  # type: ignore[arg-type]
        return cache[key]

    return run
