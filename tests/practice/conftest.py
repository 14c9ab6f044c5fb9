"""Specs for the practice tests: a gallery design and a design that leaves most parts out."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.load import load_spec
from mlsd.model import Spec

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "specs"

# Only the picture and a task: every card but a few must say the spec has no answer.
SPARSE = """\
mlsd: 1
id: sparse
title: A sparse design
framing:
  task: binary-classification
metrics:
  offline: [PR-AUC]
components:
  app: {kind: client, label: Shop front}
  scorer: {kind: inference-server, label: Risk scorer, tech: triton}
  store: {kind: feature-store-online, label: Hot features}
flows:
  - app -> scorer -> store
"""


def gallery(name: str) -> Spec:
    """A spec of the gallery, by file stem."""
    return load_spec(GALLERY / f"{name}.yaml")


@pytest.fixture
def sparse(tmp_path: Path) -> Spec:
    """A design with a picture, a task and one metric, and nothing else."""
    path = tmp_path / "sparse.yaml"
    path.write_text(SPARSE, encoding="utf-8")
    return load_spec(path)
