"""The editable exports of every gallery spec opened by real clients.

- Excalidraw: the official `@excalidraw/excalidraw` package (bundled with esbuild, run
  in Chromium through Playwright) restores each file and draws it to SVG; every arrow
  is still bound at both ends, every label still in its container, every icon drawn.
- draw.io: mxGraph's own reader (the `mxgraph` package, in Chromium) decodes each
  model; every edge has its source and target cells, groups hold their children.
- PowerPoint: LibreOffice converts each deck to PDF; every label's words are on the
  page inside the box the file gives it.

The npm packages are installed by `tools/install-system-deps.sh --test` into
.venv/node (MLSD_NODE_MODULES names another node_modules folder).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from mlsd.export import export, export_bytes

from .conftest import EXAMPLES, spec

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
NODE_MODULES = Path(os.environ.get("MLSD_NODE_MODULES", ROOT / ".venv" / "node" / "node_modules"))
INSTALL_HINT = "run `make test` (tools/install-system-deps.sh --test installs them)"
GALLERY = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ENTRY = "export { restore, exportToSvg } from '@excalidraw/excalidraw';\n"


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} is missing at {path}: {INSTALL_HINT}")
    return path


@pytest.fixture(scope="module")
def excalidraw_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The official Excalidraw package as one script for the browser."""
    esbuild = _need(NODE_MODULES / ".bin" / "esbuild", "esbuild")
    _need(NODE_MODULES / "@excalidraw" / "excalidraw", "@excalidraw/excalidraw")
    folder = tmp_path_factory.mktemp("excalidraw")
    entry = folder / "entry.mjs"
    entry.write_text(ENTRY, encoding="utf-8")
    out = folder / "excalidraw.js"
    done = subprocess.run(
        [
            str(esbuild),
            str(entry),
            "--bundle",
            "--format=iife",
            "--global-name=ExcalidrawLib",
            "--define:process.env.NODE_ENV='production'".replace("'", '"'),
            "--define:import.meta.env={}",
            "--loader:.css=empty",
            "--loader:.woff2=empty",
            "--log-level=error",
            f"--outfile={out}",
        ],
        cwd=NODE_MODULES.parent,
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("MLSD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    _need(Path(executable), "Chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield launched
        finally:
            launched.close()


def _page(browser: object, script: Path, before: str = "") -> object:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.set_content(f"<html><body><div id='graph' style='width:1200px;height:800px'></div>{before}</body></html>")
    page.add_script_tag(path=str(script))
    assert errors == []
    return page


RESTORE = """async (text) => {
  const restored = ExcalidrawLib.restore(JSON.parse(text), null, null);
  const elements = restored.elements;
  const byId = new Map(elements.map(e => [e.id, e]));
  const arrows = elements.filter(e => e.type === 'arrow');
  const bound = (arrow, key) => {
    const binding = arrow[key];
    const target = binding && byId.get(binding.elementId);
    return Boolean(target && (target.boundElements || []).some(b => b.id === arrow.id));
  };
  const texts = elements.filter(e => e.type === 'text' && e.containerId);
  const svg = await ExcalidrawLib.exportToSvg({elements, appState: restored.appState, files: restored.files});
  return {
    arrows: arrows.length,
    boundBothEnds: arrows.filter(a => bound(a, 'startBinding') && bound(a, 'endBinding')).length,
    labelled: arrows.filter(a => (a.boundElements || []).some(b => b.type === 'text')).length,
    containedTexts: texts.filter(t => byId.has(t.containerId)).length,
    texts: texts.length,
    rewrapped: texts.filter(t => t.text !== t.originalText).map(t => t.originalText),
    frames: elements.filter(e => e.type === 'frame').length,
    images: svg.querySelectorAll('image').length,
    uses: svg.querySelectorAll('use').length,
    files: Object.keys(restored.files || {}).length,
  };
}"""


@pytest.mark.parametrize("name", GALLERY)
def test_excalidraw_loads_in_the_official_package(name: str, browser: object, excalidraw_bundle: Path) -> None:
    loaded = spec(name)
    text = export(loaded, "excalidraw")
    page = _page(browser, excalidraw_bundle)
    try:
        got = page.evaluate(RESTORE, text)  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]
    labelled = sum(1 for e in loaded.edges if e.label)
    assert got["arrows"] == got["boundBothEnds"] == len(loaded.edges)
    assert got["labelled"] == labelled
    assert got["texts"] == got["containedTexts"] >= len(loaded.components) + labelled
    assert got["rewrapped"] == [], "Excalidraw wrapped a label: its box is too narrow"
    icons = {e["fileId"] for e in json.loads(text)["elements"] if e["type"] == "image"}
    # Excalidraw draws each icon file once and places it with <use> for every component.
    assert got["files"] == got["images"] == len(icons)
    assert got["uses"] == len(loaded.components)
    assert got["frames"] == sum(
        1 for gid, group in loaded.groups.items() if group.parent is None and loaded.group_members(gid)
    )


DECODE = """(text) => {
  const doc = mxUtils.parseXml(text);
  const node = doc.documentElement.getElementsByTagName('mxGraphModel')[0];
  const graph = new mxGraph(document.getElementById('graph'));
  new mxCodec(node.ownerDocument).decode(node, graph.getModel());
  const cells = Object.values(graph.getModel().cells);
  const edges = cells.filter(c => c.edge);
  const vertices = cells.filter(c => c.vertex);
  return {
    vertices: vertices.map(v => v.id),
    edges: edges.map(e => [e.source ? e.source.id : null, e.target ? e.target.id : null, e.value || '']),
    children: Object.fromEntries(vertices.map(v => [v.id, v.getChildCount()])),
    drawnImages: document.querySelectorAll('#graph image').length,
  };
}"""
MXGRAPH_SETUP = (
    "<script>window.mxLoadResources=false;window.mxLoadStylesheets=false;"
    "window.mxForceIncludes=false;window.mxBasePath='/';</script>"
)


@pytest.mark.parametrize("name", GALLERY)
def test_drawio_decodes_with_mxgraph(name: str, browser: object) -> None:
    client = _need(NODE_MODULES / "mxgraph" / "javascript" / "mxClient.min.js", "mxgraph")
    loaded = spec(name)
    page = _page(browser, client, MXGRAPH_SETUP)
    try:
        got = page.evaluate(DECODE, export(loaded, "drawio"))  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]
    components = {f"component-{c}" for c in loaded.components}
    groups = {f"group-{g}" for g in loaded.groups if loaded.group_members(g)}
    assert set(got["vertices"]) == components | groups
    flows = sorted(
        (f"component-{e.source}", f"component-{e.target}", " ".join((e.label or "").split())) for e in loaded.edges
    )
    assert sorted((a, b, " ".join(v.split())) for a, b, v in got["edges"]) == flows
    for gid in loaded.groups:
        if loaded.group_members(gid):
            inside = [c for c in loaded.components.values() if c.group == gid]
            nested = [g for g, group in loaded.groups.items() if group.parent == gid and loaded.group_members(g)]
            assert got["children"][f"group-{gid}"] == len(inside) + len(nested)
    assert got["drawnImages"] >= len(loaded.components)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, Path]]:
    """Every gallery spec's .pptx and LibreOffice's PDF of it (one soffice run for all)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(f"LibreOffice (soffice) is missing: {INSTALL_HINT}")
    folder = tmp_path_factory.mktemp("pptx")
    decks = {}
    for name in GALLERY:
        data = export_bytes(spec(name), "pptx")
        (folder / f"{name}.pptx").write_bytes(data)
        decks[name] = data
    profile = folder / "profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(folder / f"{n}.pptx") for n in GALLERY),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return {name: (decks[name], folder / f"{name}.pdf") for name in GALLERY}


def _words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word on the PDF's first page with its box, in points from the top left."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail(f"pdftotext (poppler-utils) is missing: {INSTALL_HINT}")
    done = subprocess.run([tool, "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, check=True)
    root = ET.fromstring(done.stdout.decode("utf-8"))
    words = []
    for element in root.iter():
        if element.tag.endswith("word") and element.text:
            box = tuple(float(element.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))
            words.append((element.text, *box))
    return words


@pytest.mark.parametrize("name", GALLERY)
def test_libreoffice_draws_every_label_inside_its_box(name: str, pdfs: dict[str, tuple[bytes, Path]]) -> None:
    data, pdf = pdfs[name]
    assert pdf.exists(), "LibreOffice wrote no PDF"
    words = _words(pdf)
    slide = Presentation(io.BytesIO(data)).slides[0]
    misplaced = []
    boxes = [s for s in slide.shapes if s.name.startswith("Label ")]
    boxes += [
        p for s in slide.shapes if s.name.startswith("Component ") for p in s.shapes if p.name.startswith("Label ")
    ]
    for shape in boxes:
        left, top = Emu(shape.left).pt, Emu(shape.top).pt
        right, bottom = left + Emu(shape.width).pt, top + Emu(shape.height).pt
        for line in shape.text_frame.text.split("\n"):
            for word in line.split():
                if not any(
                    w == word and x0 >= left - 2 and x1 <= right + 2 and y0 >= top - 2 and y1 <= bottom + 2
                    for w, x0, y0, x1, y1 in words
                ):
                    misplaced.append((shape.name, word))
    assert misplaced == []
