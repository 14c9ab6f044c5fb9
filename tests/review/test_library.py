"""The spec library in specs/ passes the review with no error-level finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.load import load_spec, spec_files
from mlsd.review import review_spec

LIBRARY = Path(__file__).resolve().parents[2] / "specs"
SPECS = spec_files([LIBRARY]) if LIBRARY.is_dir() else []


@pytest.mark.skipif(not SPECS, reason="no specs in specs/")
@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_library_spec_has_no_errors(path: Path) -> None:
    errors = [f for f in review_spec(load_spec(path)).counted if f.severity == "error"]
    assert not errors, "\n".join(f"{f.location}: {f.message} [{f.rule}]" for f in errors)
