"""Mermaid export: structure checked by a strict parser; hostile text survives intact."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd.export import export
from mlsd.export.outline import safe_keys, text_lines
from mlsd.render.theme import COLOURS, FLOW_STYLES

from ._mermaid import MermaidError, parse
from .conftest import HERE, SPEC_FILES, SPEC_IDS, group_chain, spec

ARROWS = {  # flow kind -> the arrow, written out by hand from FLOW_STYLES
    "request": "-->",
    "data": "-.->",
    "stream": "-->",
    "features": "-.->",
    "model": "==>",
    "feedback": "-.->",
    "telemetry": "-.-o",
    "control": "-.->",
}


@pytest.mark.parametrize("path", SPEC_FILES, ids=SPEC_IDS)
def test_structure_matches_the_spec(path: Path) -> None:
    loaded = spec(path.stem)
    chart = parse(export(loaded, "mermaid"))
    components, groups = safe_keys(loaded)
    assert chart.title == " ".join(text_lines(loaded.title))
    # Every component once, in its groups, with its label (and tech) as written.
    assert set(chart.nodes) == {components[c] for c in loaded.components}
    for cid, comp in loaded.components.items():
        lines, _ = chart.nodes[components[cid]]
        assert lines[: len(text_lines(loaded.label(cid)))] == text_lines(loaded.label(cid))
        expected_parents = tuple(groups[g] for g in group_chain(loaded, comp.group))
        assert chart.parents[components[cid]] == expected_parents
    # Groups: exactly those with members, nested by parent.
    assert set(chart.subgraphs) == {groups[g] for g in loaded.groups if loaded.group_members(g)}
    for gid in loaded.groups:
        if loaded.group_members(gid):
            assert chart.subgraphs[groups[gid]] == text_lines(loaded.group_label(gid))
            assert chart.parents[groups[gid]] == tuple(
                groups[g] for g in group_chain(loaded, loaded.groups[gid].parent)
            )
    # Every edge in spec order, with its label, its kind's arrow and colour.
    assert len(chart.edges) == len(loaded.edges)
    for (a, b, arrow, label), edge, index in zip(chart.edges, loaded.edges, range(len(loaded.edges)), strict=False):
        assert (a, b) == (components[edge.source], components[edge.target])
        assert label == text_lines(edge.label)
        assert arrow == ARROWS[edge.kind]
        assert f"stroke:{COLOURS['light'].flow_colours[edge.kind]}" in chart.link_styles[index]
        dashed = FLOW_STYLES[edge.kind].style in ("dashed", "dotted")
        assert ("stroke-dasharray" in chart.link_styles[index]) == dashed


def test_flow_kinds_differ_in_more_than_colour() -> None:
    looks = set()
    for kind in FLOW_STYLES:
        loaded_line = parse(export(_one_edge(kind), "mermaid"))
        ((_, _, arrow, _),) = loaded_line.edges
        style = re.sub(r"stroke:#[0-9A-Fa-f]{6},?", "", loaded_line.link_styles[0])
        looks.add((arrow, style))
    assert len(looks) == len(FLOW_STYLES)


def _one_edge(kind: str):
    from mlsd.model import Spec

    return Spec.model_validate(
        {
            "mlsd": 1,
            "id": "one",
            "title": "One edge",
            "components": {"a": {"kind": "app-service"}, "b": {"kind": "cache"}},
            "flows": [{"from": "a", "to": "b", "kind": kind}],
        }
    )


def test_hostile_labels_decode_to_the_text_written() -> None:
    chart = parse(export(spec("hostile"), "mermaid"))
    assert chart.title == "Hostile \"export\" %%{init: {'theme': 'dark'}}%% <b>#1</b> & ${title} `md` --> end"
    expected = {
        "c_end": ("end",),
        "c_graph": ("say \"hi\" & 'bye' -->|x| y", "v1; DROP TABLE \\ #quot;"),
        "c_subgraph": ("]; } subgraph evil [ x ] end",),
        "c_style": ("style c_end fill:#f00;",),
        "c_class": ("classDef x fill:#f00; direction LR",),
        "c_click": ("first line", "second line", "fourth \\ line"),
        "c_default": ("نموذج اللغة الكبير 向量索引 ベクトル 벡터 😀",),
        "c_direction": ('direction TB ${x} $${y} \\${z} \\\\ \\" \\n',),
        "c_linkstyle": ("%%{init: {'theme': 'forest'}}%% %% comment",),
        "c_o_x": ("`markdown **bold**` #35; #lt; &amp; &#60; ﬂ°°60¶ß ﬂ°lt¶ß",),
        "c_x": ("{braces} [brackets] (parens) <angles> |pipes| ; semi : colon", "control chars"),
        "c_o": ("@{ shape: circle } A@-->B",),
    }
    for key, lines in expected.items():
        assert chart.nodes[key][0] == lines, key
    labels = [label for *_, label in chart.edges]
    assert ('a "quoted" label -->',) in labels
    assert ("#quot; #35; & < >",) in labels
    assert ("line one", "line two") in labels
    assert chart.subgraphs["g_href"] == ("} {label: pwned} ${x} \\",)


def test_keyword_and_dashed_ids_are_made_safe() -> None:
    loaded = spec("hostile")
    components, groups = safe_keys(loaded)
    assert components["end"] == "c_end" and components["style"] == "c_style"
    # `a-b` and `a_b` would both be `c_a_b`: the later one gets a suffix.
    assert (components["a-b"], components["a_b"]) == ("c_a_b", "c_a_b_2")
    assert len(set(components.values()) | set(groups.values())) == len(components) + len(groups)
    assert all(re.fullmatch(r"[cg]_[a-z0-9_]+", key) for key in [*components.values(), *groups.values()])


def test_include_keeps_a_subset() -> None:
    loaded = spec("fraud-detection")
    chart = parse(export(loaded, "mermaid", include=["checkout", "gateway", "scorer", "online_store"]))
    assert set(chart.nodes) == {"c_checkout", "c_gateway", "c_scorer", "c_online_store"}
    assert set(chart.subgraphs) == {"g_online", "g_features"}
    assert [(a, b) for a, b, *_ in chart.edges] == [("c_checkout", "c_gateway"), ("c_scorer", "c_online_store")]


def test_dark_theme_uses_the_dark_colours() -> None:
    chart = parse(export(spec("fraud-detection"), "mermaid", theme="dark"))
    assert any(COLOURS["dark"].flow_colours["request"] in s for s in chart.link_styles.values())


@pytest.mark.parametrize(
    "broken",
    [
        'flowchart LR\n  a["x"]\n',  # no front matter
        '---\ntitle: "t"\n---\nflowchart LR\n  subgraph g_a["x"]\n',  # unclosed subgraph
        '---\ntitle: "t"\n---\nflowchart LR\n  c_a["x"]\n  c_a --> c_b\n',  # undeclared endpoint
        '---\ntitle: "t"\n---\nflowchart LR\n  c_a["say "hi""]\n',  # quote inside a label
        '---\ntitle: "t"\n---\nflowchart LR\n  c_a["a < b"]\n',  # raw HTML
        '---\ntitle: "t"\n---\nflowchart LR\n  end["x"]\n',  # keyword id
        '---\ntitle: "t"\n---\nflowchart LR\n  c_a["x"]\n  c_a --> c_a\n  linkStyle 1 stroke:#000\n',
        '---\ntitle: "t"\n---\nflowchart LR\n  c_a["go direction LR"]\n',
    ],
)
def test_the_checker_rejects_broken_mermaid(broken: str) -> None:
    with pytest.raises(MermaidError):
        parse(broken)


ROOT = HERE.parents[1]
NODE_MODULES = ROOT / ".venv" / "node" / "node_modules"
MMDC = NODE_MODULES / ".bin" / "mmdc"
INSTALL_HINT = "run `make test` (tools/install-system-deps.sh --test installs Node, Chromium, mermaid-cli and jsdom)"
# Drawn otherwise than written. c_direction: a written `\n` becomes a line break, as
# mlsd.export.mermaid does not escape it yet; title: Mermaid itself shows a title's
# `&` and `>` as `&amp;` and `&gt;`.
MISDRAWN = {"hostile": {"c_direction", "title"}}
Lines = tuple[str, ...]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    """Every spec's Mermaid export drawn to SVG by mmdc: spec stem -> the SVG root."""
    if not MMDC.exists():
        pytest.fail(f"mmdc (@mermaid-js/mermaid-cli) is missing at {MMDC}: {INSTALL_HINT}")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(f"chromium is not installed: {INSTALL_HINT}")
    folder = tmp_path_factory.mktemp("mmdc")
    config = {"executablePath": chromium, "args": ["--no-sandbox", "--headless", "--disable-gpu"]}
    (folder / "puppeteer.json").write_text(json.dumps(config), encoding="utf-8")
    # One Markdown file holding every export: mmdc starts Chromium once (1.3 to 2 s a
    # diagram on two cores) instead of once a file (about 4 s a diagram).
    blocks = [f"```mermaid\n{export(spec(path.stem), 'mermaid')}```\n" for path in SPEC_FILES]
    (folder / "all.md").write_text("\n".join(blocks), encoding="utf-8")
    done = subprocess.run(
        [str(MMDC), "-p", "puppeteer.json", "-i", "all.md", "-o", "drawn.md", "-q"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return {path.stem: ET.parse(folder / f"drawn-{n}.svg").getroot() for n, path in enumerate(SPEC_FILES, 1)}


def _lines(element: ET.Element) -> Lines:
    """The text drawn inside an element, split at its <br> elements."""
    lines = [""]

    def walk(node: ET.Element) -> None:
        if node.tag.rpartition("}")[2] == "br":
            lines.append("")
        else:
            lines[-1] += node.text or ""
        for child in node:
            walk(child)
            lines[-1] += child.tail or ""

    walk(element)
    return tuple(lines)


def _drawn_parts(root: ET.Element) -> tuple[str, dict[str, Lines], dict[str, Lines], list[str], list[Lines]]:
    """The title, nodes and clusters (key -> drawn lines), edge ids, and edge labels, as mmdc drew them."""
    prefix = re.escape(root.get("id", ""))
    title, nodes, clusters, edges, labels = "", {}, {}, [], []
    for element in root.iter():
        classes = (element.get("class") or "").split()
        if "flowchartTitleText" in classes:
            title = "".join(element.itertext())
        elif element.tag.endswith("}g") and classes[:1] == ["node"]:
            key = re.fullmatch(rf"{prefix}-flowchart-(\w+)-\d+", element.get("id", ""))
            assert key, element.get("id")
            nodes[key[1]] = _lines(element)
        elif element.tag.endswith("}g") and classes == ["cluster"]:
            clusters[element.get("id", "").removeprefix(f"{root.get('id')}-")] = _lines(element)
        elif element.tag.endswith("}g") and "edgeLabel" in classes:
            labels.append(_lines(element))
        elif "flowchart-link" in classes:
            edges.append(element.get("data-id"))
    return title, nodes, clusters, edges, labels


def _as_drawn(lines: Lines) -> Lines:
    """Lines as Mermaid shows them: its entity placeholders turned back into characters."""
    return tuple(_placeholders(line) for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("path", SPEC_FILES, ids=SPEC_IDS)
def test_mermaid_cli_draws_what_the_spec_says(drawn: dict[str, ET.Element], path: Path) -> None:
    ours = parse(export(spec(path.stem), "mermaid"))
    title, nodes, clusters, edges, labels = _drawn_parts(drawn[path.stem])
    misdrawn = MISDRAWN.get(path.stem, set())
    if "title" not in misdrawn:
        assert title == ours.title
    assert set(nodes) == set(ours.nodes)
    for key, (lines, _) in ours.nodes.items():
        if key not in misdrawn:
            assert nodes[key] == _as_drawn(lines), key
    assert clusters == {key: _as_drawn(lines) for key, lines in ours.subgraphs.items()}
    assert sorted(re.sub(r"_\d+$", "", edge) for edge in edges) == sorted(f"L_{a}_{b}" for a, b, *_ in ours.edges)
    assert sorted(labels) == sorted(_as_drawn(label) if label else ("",) for *_, label in ours.edges)


@pytest.mark.slow
def test_mermaid_cli_draws_a_written_backslash_n(drawn: dict[str, ET.Element]) -> None:
    _, nodes, *_ = _drawn_parts(drawn["hostile"])
    assert nodes["c_direction"] == ('direction TB ${x} $${y} \\${z} \\\\ \\" \\n',)


def _placeholders(text: str) -> str:
    # Mermaid keeps entity codes as private placeholders until it draws; one
    # pass, as Mermaid's own decoding does.
    return re.sub(
        r"\ufb02\u00b0(\u00b0)?(\w+)\u00b6\u00df",
        lambda m: chr(int(m[2])) if m[1] else html.unescape(f"&{m[2]};"),
        text,
    )


@pytest.mark.slow
def test_mermaids_own_parser_agrees(tmp_path: Path) -> None:
    """Mermaid's parser (under jsdom, from .venv/node or MLSD_MERMAID_NODE_MODULES) reads what ours reads."""
    modules, node = Path(os.environ.get("MLSD_MERMAID_NODE_MODULES", NODE_MODULES)), shutil.which("node")
    if node is None or not (modules / "mermaid").is_dir() or not (modules / "jsdom").is_dir():
        pytest.fail(f"node, or mermaid and jsdom in {modules}, are missing: {INSTALL_HINT}")
    files = []
    for path in SPEC_FILES:
        files.append(tmp_path / f"{path.stem}.mmd")
        files[-1].write_text(export(spec(path.stem), "mermaid"), encoding="utf-8")
    done = subprocess.run(
        [node, str(HERE / "mermaid_parse.mjs"), modules, *map(str, files)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    for result, path in zip(json.loads(done.stdout), SPEC_FILES, strict=False):
        assert "error" not in result, f"{path.stem}: {result.get('error')}"
        ours = parse(export(spec(path.stem), "mermaid"))
        theirs = {v[0]: tuple(_placeholders(v[1]).split("<br>")) for v in result["vertices"]}
        assert theirs == {key: lines for key, (lines, _) in ours.nodes.items()}, path.stem
        assert [(e[0], e[1]) for e in result["edges"]] == [(a, b) for a, b, *_ in ours.edges]
        assert [tuple(_placeholders(e[2]).split("<br>")) if e[2] else () for e in result["edges"]] == [
            label for *_, label in ours.edges
        ]
        assert {s[0]: _placeholders(s[1]) for s in result["subgraphs"]} == {
            key: "<br>".join(lines) for key, lines in ours.subgraphs.items()
        }
