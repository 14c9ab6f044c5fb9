"""`mlsd render -f mmd,d2` writes the exports next to the pictures."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.export import export
from mlsd.outputs import write_spec_outputs
from mlsd.render import RenderOptions
from mlsd.vocabulary import RENDER_FORMATS

from .conftest import spec

HOOKED = {"mmd": "mermaid", "d2": "d2"}


@pytest.mark.parametrize("fmt", sorted(HOOKED))
def test_render_writes_the_export_of_each_picture(tmp_path: Path, fmt: str) -> None:
    assert fmt in RENDER_FORMATS, f"mlsd render does not offer -f {fmt}"
    loaded = spec("fraud-detection")
    view = next(iter(loaded.views), None)
    views = (view,) if view else ()
    written, _ = write_spec_outputs(loaded, tmp_path, RenderOptions(formats=(fmt,), theme="dark"), views=views)
    main = tmp_path / f"{loaded.id}.{fmt}"
    assert main in written
    assert main.read_text(encoding="utf-8") == export(loaded, HOOKED[fmt], theme="dark")
    if view:
        include = loaded.resolve_ids(loaded.views[view].include)
        shown = (tmp_path / f"{loaded.id}.{view}.{fmt}").read_text(encoding="utf-8")
        assert shown == export(loaded, HOOKED[fmt], theme="dark", include=include)
