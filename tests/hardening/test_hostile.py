"""Hostile text end to end, and whether the installed fonts can draw every script.

tests/render and tests/explain check the DOT, SVG, Markdown and HTML builders with
hostile labels; here every hostile string goes into every text field of one spec and
through the command line to every format at once (all views and reveal frames too),
and the files written are checked as a browser, a Markdown renderer or Graphviz
would read them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mlsd.catalogue import FLOW_KINDS, KINDS, STAGES
from mlsd.load import load_spec

from ._strategies import HOSTILE
from ._support import (
    REAL_DOT,
    SVG_NS,
    assert_clean,
    check_html,
    invoke,
    snapshot,
    svg_groups,
    svg_root,
    write_yaml,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def hostile_spec(value: str) -> dict:
    """A spec with `value` in every text field, each prefixed by a token Fnn to find it again."""
    counter = iter(range(1, 1000))

    def t() -> str:
        return f"F{next(counter):02d} {value}"

    return {
        "mlsd": 1,
        "id": "hostile",
        "title": t(),
        "summary": t(),
        "requirements": {
            "business_objective": t(),
            "user_actions": [t(), t()],
            "data": t(),
            "scale": {"daily_active_users": 1000, "queries_per_user_per_day": 3, "notes": t()},
            "latency": t(),
            "constraints": [t()],
            "out_of_scope": [t()],
        },
        "framing": {
            "ml_objective": t(),
            "task": "ranking",
            "input": t(),
            "output": t(),
            "labels": t(),
            "alternatives": [t()],
        },
        "metrics": {
            "business": [t()],
            "offline": [{"name": t(), "target": t(), "why": t()}],
            "online": [t()],
            "guardrail": [{"name": t()}],
        },
        "data": {
            "sources": [t()],
            "labeling": t(),
            "sampling": t(),
            "splits": t(),
            "imbalance": t(),
            "privacy": t(),
            "bias": t(),
        },
        "features": [t(), {"name": t(), "group": t(), "freshness": "request", "description": t()}],
        "model": {"baseline": t(), "candidates": [t()], "chosen": t(), "loss": t(), "training": t()},
        "serving": {"mode": "online", "latency_budget": t(), "steps": [t()], "fallback": t()},
        "testing": {"offline_gate": t(), "online_experiment": t(), "rollout": t()},
        "monitoring": {"operational": [t()], "ml": [t()], "alerts": [t()], "retraining": t()},
        "scaling": [t()],
        "talking_points": [t()],
        "review": {"ignore": {"no-online-experiment": t()}},
        "components": {
            "graph": {"kind": "client", "label": t(), "description": t()},
            "node": {"kind": "app-service", "label": t(), "tech": t(), "group": "outer", "description": t()},
            "edge": {"kind": "inference-server", "label": t(), "tech": "triton", "group": "inner"},
            "subgraph": {"kind": "feature-store-online", "label": t(), "group": "inner"},
            "watch": {"kind": "monitoring", "label": t()},
        },
        "groups": {
            "outer": {"label": t(), "description": t()},
            "inner": {"label": t(), "parent": "outer", "description": t()},
        },
        "flows": [
            f"graph -> node: {t()}",
            {"node -> edge": t()},
            {"from": "edge", "to": "subgraph", "label": t(), "note": t(), "kind": "features"},
            {"from": ["edge", "node"], "to": "watch", "label": t()},
        ],
        "views": {"online": {"title": t(), "include": ["outer"]}},
        "steps": [{"title": t(), "add": ["client"]}, {"title": t(), "add": ["serving", "monitoring"]}],
    }


def _dot_objects(path: Path) -> tuple[set[str], set[str], int]:
    """(node names, cluster names, edge count) as Graphviz itself parses a DOT file."""
    done = subprocess.run([REAL_DOT, "-Tjson0", str(path)], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, f"Graphviz cannot read {path.name}: {done.stderr[-500:]!r}"
    graph = json.loads(done.stdout)
    objects = graph.get("objects", [])
    clusters = {o["name"] for o in objects if "nodes" in o or o["name"].startswith("cluster")}
    nodes = {o["name"] for o in objects if o["name"] not in clusters}
    return nodes, clusters, len(graph.get("edges", []))


UNESCAPED_MD = re.compile(
    r"(?<!\\)<(?:script|b>|/td|!--|!\[CDATA|img|a |\?xml|br/>)"
    r"|(?<!\\)\[link(?<!\\)\]\("
    r"|^(?:- item|# head|1\. one|> quote|\| a \| b \|)",
    re.M,
)


@pytest.mark.skipif(REAL_DOT is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("value", HOSTILE, ids=[f"h{i:02d}" for i in range(len(HOSTILE))])
def test_hostile_text_in_every_field_end_to_end(value: str, tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "specs" / "hostile.yaml", hostile_spec(value))
    assert_clean(invoke("validate", path), (0,), "validate")
    spec = load_spec(path)
    out = tmp_path / "out"
    before = snapshot(tmp_path, skip=[out])
    result = invoke("render", path, "-o", out, "-f", "svg,dot,md,html", "--all-views", "--steps")
    assert_clean(result, (0,), "render")
    assert snapshot(tmp_path, skip=[out]) == before

    # DOT: Graphviz reads exactly the spec's nodes, edges and group boxes, nothing injected.
    nodes, clusters, edges = _dot_objects(out / "hostile.dot")
    assert nodes == set(spec.components), nodes ^ set(spec.components)
    assert clusters == {"cluster_outer", "cluster_inner"}, clusters
    assert edges == len(spec.edges)
    view_nodes, view_clusters, view_edges = _dot_objects(out / "hostile.online.dot")
    inside = {c for c in spec.components if spec.components[c].group in ("outer", "inner")}
    assert view_nodes == inside
    assert view_clusters == {"cluster_outer", "cluster_inner"}
    assert view_edges == sum(e.source in inside and e.target in inside for e in spec.edges)

    # SVG: well-formed, the same counts, nothing that runs.
    svgs = sorted(out.glob("*.svg"))
    assert {p.name for p in svgs} >= {"hostile.svg", "hostile.online.svg", "hostile.step-1.svg"}
    for svg in svgs:
        root = svg_root(svg.read_bytes())
        assert not list(root.iter(f"{SVG_NS}script")), f"{svg.name} holds a script element"
        for element in root.iter():
            events = [name for name in element.attrib if name.lower().startswith("on")]
            assert not events, f"{svg.name}: event attribute {events} on {element.tag}"
    main_svg = svg_root((out / "hostile.svg").read_bytes())
    assert len(svg_groups(main_svg, "node")) == len(spec.components)
    assert len(svg_groups(main_svg, "edge")) == len(spec.edges)
    assert len(svg_groups(main_svg, "cluster")) == 2

    # HTML: parses, and nothing from the spec became markup.
    page = (out / "hostile.html").read_text(encoding="utf-8")
    checked = check_html(page)
    assert not checked.bad, checked.bad
    assert "<script" not in page.lower()
    assert "<img src=x" not in page and "<b>bold" not in page
    assert re.search(r"F01\b", page), "the title is not printed"

    # Markdown: the spec's text is escaped, and every field made it in.
    md = (out / "hostile.md").read_text(encoding="utf-8")
    found = UNESCAPED_MD.search(md)
    assert found is None, f"unescaped {found.group(0)!r} in the Markdown"
    for token in ("F01", "F02", "F03"):
        assert token in md, f"{token} is missing from the Markdown"


# --- characters Graphviz refuses ------------------------------------------------------------

CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x1f", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_either_refused_or_rendered(char: str, tmp_path: Path) -> None:
    """XML 1.0 and Graphviz's HTML labels refuse these; a spec that validates must still render."""
    spec = {
        "mlsd": 1,
        "title": f"title {char} x",
        "components": {
            "app": {"kind": "client", "label": f"label {char} x", "tech": f"t{char}", "group": "g"},
            "model": {"kind": "inference-server"},
        },
        "groups": {"g": {"label": f"group {char}"}},
        "flows": [{"from": "app", "to": "model", "label": f"flow {char}"}],
    }
    path = write_yaml(tmp_path / "ctl.yaml", spec)
    validated = invoke("validate", path)
    assert_clean(validated, (0, 1), "validate")
    if validated.exit_code == 1:
        return  # refused with a located error: fine
    out = tmp_path / "out"
    result = invoke("render", path, "-o", out, "-f", "svg,md,html")
    assert_clean(result, (0,), "render of a spec that validated")
    svg_root((out / "ctl.svg").read_bytes())


# --- terminal escape sequences --------------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07 \x1b[2J\x1b[31mRED\x1b[0m \x9b31m"


def _terminal_case(command: str, tmp_path: Path) -> list[str]:
    spec = {
        "mlsd": 1,
        "title": f"Title {ESCAPES}",
        "components": {
            "app": {"kind": "client", "label": f"App {ESCAPES}"},
            "model": {"kind": "inference-server", "description": f"Model {ESCAPES}"},
        },
        "flows": [f"app -> model: call {ESCAPES}"],
    }
    old = write_yaml(tmp_path / "old.yaml", spec)
    new = write_yaml(tmp_path / "new.yaml", {**spec, "title": f"Other {ESCAPES}"})
    bad = write_yaml(tmp_path / "bad.yaml", {**spec, "components": {"app": {"kind": f"x{ESCAPES}"}}})
    return {
        "check": ["check", old, "--fail-on", "never"],
        "diff": ["diff", old, new],
        "explain-md": ["explain", old, "-f", "md", "--no-picture"],
        "validate-error": ["validate", bad],
    }[command]


@pytest.mark.parametrize(
    "command",
    [
        "check",
        "diff",
        "explain-md",
        "validate-error",
    ],
)
def test_spec_text_cannot_send_escape_sequences_to_the_terminal(command: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mlsd.cli import main

    args = [str(a) for a in _terminal_case(command, tmp_path)]
    result = CliRunner().invoke(main, args, color=True)  # as on a terminal: nothing stripped
    # The loader refuses escape characters in a spec (a located error), so `diff` of two
    # such specs is trouble (2); what matters here is that none reaches the terminal.
    assert_clean(result, (0, 1, 2) if command == "diff" else (0, 1))
    text = result.output + result.stderr
    raw = sorted({f"U+{ord(c):04X}" for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0})
    assert not raw, f"control characters reach the terminal: {raw}"


# --- flows from a component to itself -------------------------------------------------------

ONE_KIND_PER_STAGE = [next(k for k in sorted(KINDS) if KINDS[k].stage == s) for s in STAGES]


def test_self_loop_flows_are_explained(tmp_path: Path) -> None:
    """One spec per stage; in it one component per flow kind, each with a flow to itself."""
    failures = []
    for kind in ONE_KIND_PER_STAGE:
        path = write_yaml(
            tmp_path / f"{kind}.yaml",
            {
                "mlsd": 1,
                "title": "Self loops",
                "components": {f"c_{k}": {"kind": kind} for k in FLOW_KINDS},
                "flows": [{"from": f"c_{k}", "to": f"c_{k}", "kind": k} for k in FLOW_KINDS],
            },
        )
        for fmt in ("md", "html"):
            result = invoke("explain", path, "-f", fmt, "--no-picture")
            if result.exit_code != 0:
                failures.append(f"{kind}, -f {fmt}: exit {result.exit_code}: {result.stderr.strip()[:120]}")
    assert not failures, "\n".join(failures)


# --- fonts ----------------------------------------------------------------------------------

FC_LIST = shutil.which("fc-list")
needs_fontconfig = pytest.mark.skipif(FC_LIST is None, reason="fontconfig (fc-list) is not installed")


def _families(query: str = ":") -> set[str]:
    args = [FC_LIST, query, "family"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    return {name.strip() for line in done.stdout.splitlines() for name in line.split(",") if name.strip()}


@needs_fontconfig
def test_the_font_mlsd_draws_with_is_installed() -> None:
    from mlsd.render.theme import FONT, FONT_FAMILY

    families = _families()
    print(f"installed font families ({len(families)}): {', '.join(sorted(families))}")
    assert FONT_FAMILY in families, f"{FONT_FAMILY} is missing; tools/install-system-deps.sh installs it"
    assert FONT.endswith(",sans-serif"), "viewers without the font fall back to a sans-serif"


# (script, a character of it, whether install-system-deps.sh promises it)
SCRIPTS = [
    ("Latin", "0041", True),
    ("Greek", "03b1", True),
    ("Cyrillic", "0434", True),
    ("Arabic", "0627", True),
    ("Hebrew", "05d0", True),
    ("CJK ideographs", "4e00", False),
    ("Hangul", "ac00", False),
    ("Kana", "30a2", False),
    ("Devanagari", "0915", False),
    ("Thai", "0e01", False),
    ("Emoji", "1f600", False),
]


@needs_fontconfig
@pytest.mark.parametrize(("script", "codepoint", "promised"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_an_installed_font_covers_the_script(script: str, codepoint: str, promised: bool) -> None:
    covering = _families(f":charset={codepoint}")
    if promised:
        assert covering, f"no installed font draws {script}, which install-system-deps.sh promises"
    elif not covering:
        pytest.skip(f"FINDING: no installed font draws {script} (U+{codepoint.upper()}); its labels render as boxes")


def _png_of_label(folder: Path, name: str, label: str):
    from PIL import Image

    path = write_yaml(
        folder / f"{name}.yaml",
        {
            "mlsd": 1,
            "id": name,
            "title": "Fonts",
            "components": {"app": {"kind": "client", "label": label}},
        },
    )
    result = invoke("render", path, "-o", folder / "out", "-f", "png")
    assert_clean(result, (0,), "render")
    return Image.open(folder / "out" / f"{name}.png").convert("L")


def _ink(image, box) -> tuple[int, int]:
    """Rows and columns inside `box` that hold a dark pixel."""
    crop = image.crop(box)
    width, height = crop.size
    px = crop.load()
    rows = sum(any(px[x, y] < 128 for x in range(width)) for y in range(height))
    cols = sum(any(px[x, y] < 128 for y in range(height)) for x in range(width))
    return rows, cols


@needs_fontconfig
@pytest.mark.skipif(REAL_DOT is None, reason="Graphviz is not installed")
def test_a_cjk_label_is_drawn_as_glyphs_not_boxes(tmp_path: Path) -> None:
    """一 is one horizontal stroke and 丨 one vertical stroke; a missing-glyph box is neither."""
    from PIL import ImageChops

    # (`fc-match ':lang=zh'` always names some font, DejaVu Sans included, so ask fc-list.)
    if not _families(":lang=zh-cn"):
        pytest.skip(
            "FINDING: no CJK font is installed (fc-list :lang=zh-cn is empty): "
            "CJK labels render as boxes; install-system-deps.sh installs fonts-dejavu-core only"
        )
    flat = _png_of_label(tmp_path, "flat", "一一一一")
    tall = _png_of_label(tmp_path, "tall", "丨丨丨丨")
    assert flat.size == tall.size, "the two labels should lay out the same"
    box = ImageChops.difference(flat, tall).getbbox()
    assert box is not None, "both labels drew the same pixels: boxes instead of glyphs"
    flat_rows, _ = _ink(flat, box)
    tall_rows, tall_cols = _ink(tall, box)
    assert flat_rows <= 3, f"一一一一 has ink on {flat_rows} rows: drawn as boxes, not strokes"
    assert tall_cols <= 12 and tall_rows >= 8, f"丨丨丨丨 has ink on {tall_rows} rows, {tall_cols} columns"


def test_install_script_installs_a_cjk_font() -> None:
    """fonts-dejavu-core has no CJK glyphs: without a CJK font such labels render as boxes."""
    script = (REPO / "tools" / "install-system-deps.sh").read_text(encoding="utf-8")
    assert re.search(r"fonts-noto-cjk|fonts-wqy|fonts-ipa|fonts-arphic|noto-sans-cjk|noto-fonts-cjk", script)
