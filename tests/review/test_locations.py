"""Findings point at the line and column of the component, flow or key involved."""

from __future__ import annotations

import shutil
from pathlib import Path

from mlsd.load import load_spec
from mlsd.review import review_spec

SPEC = """\
mlsd: 1
title: Locations
metrics:
  online: [clicks]
components:
  user: {kind: client}
  scorer: {kind: inference-server}
  lonely: {kind: cache}
  lake: {kind: data-lake}
flows:
  - user -> scorer: predict
  - {from: scorer, to: lake, kind: features, label: history}
review:
  ignore:
    no-fallbak: batch only
"""


def located(path: Path) -> dict[str, tuple[str, int, int]]:
    review = review_spec(load_spec(path))
    return {f.rule: (f.location.file, f.location.line, f.location.column) for f in review.findings}


def test_locations(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    where = located(path)
    shown = str(path)
    assert where["orphan-component"] == (shown, 8, 3)  # the component's id
    assert where["offline-store-on-request-path"] == (shown, 12, 5)  # the flow
    assert where["unknown-ignore"] == (shown, 15, 5)  # the key inside review.ignore
    assert where["missing-offline-metrics"] == (shown, 3, 1)  # `metrics:`, as `offline` is absent
    assert where["no-latency-target"] == (shown, 1, 1)  # no `requirements` at all: the top of the file
    assert where["sync-call-without-fallback"] == (shown, 11, 5)  # the hop that waits on the model


def test_locations_follow_extends_into_the_base(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(SPEC.replace("    no-fallbak: batch only\n", "    no-fallback: x\n"))
    (tmp_path / "child.yaml").write_text(
        "extends: base.yaml\ntitle: Child\ncomponents:\n  extra: {kind: cache}\n", encoding="utf-8"
    )
    review = review_spec(load_spec(tmp_path / "child.yaml"))
    orphans = {f.components[0]: f.location for f in review.findings if f.rule == "orphan-component"}
    assert Path(orphans["lonely"].file).name == "base.yaml" and orphans["lonely"].line == 8
    assert Path(orphans["extra"].file).name == "child.yaml" and orphans["extra"].line == 4


def test_library_spec_location(tmp_path: Path) -> None:
    # A spec beside its base, copied from the clean design: a removed component's
    # flows disappear and the rule points at the component that remains.
    clean = Path(__file__).parent / "specs" / "clean.yaml"
    shutil.copy(clean, tmp_path / "clean.yaml")
    (tmp_path / "v.yaml").write_text("extends: clean.yaml\ncomponents: {api: null}\n")
    spec = load_spec(tmp_path / "v.yaml")
    (finding,) = [f for f in review_spec(spec).findings if f.rule == "unreachable-model"]
    lines = (tmp_path / "clean.yaml").read_text().splitlines()
    assert lines[finding.location.line - 1].strip().startswith("scorer:")
