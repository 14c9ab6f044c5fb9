"""No network: the whole pipeline runs with every socket refused, and never even tries one."""

from __future__ import annotations

import json
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mlsd.cli import main

from ._support import REAL_DOT, assert_clean, invoke, svg_root

RENDER_SPECS = Path(__file__).parents[1] / "render" / "specs"


LOADING = {
    "img",
    "script",
    "link",
    "iframe",
    "source",
    "video",
    "audio",
    "image",
    "use",
    "object",
    "embed",
    "input",
    "track",
    "feimage",
}


def remote_resources(page: str) -> list[str]:
    """Everything a browser would fetch from elsewhere to show `page`."""
    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                loads = tag in LOADING and name in ("src", "href", "xlink:href", "data", "srcset") and value
                if loads and not value.startswith(("data:", "#")):
                    found.append(f"<{tag} {name}={value[:60]}>")
                if name == "style" and value and "url(" in value and "url(data:" not in value:
                    found.append(f"<{tag} style=...url(...)>")

    Parser().feed(page)
    return found


def test_the_socket_guard_works(no_network: list[str]) -> None:
    with pytest.raises(OSError, match="network disabled"):
        socket.create_connection(("example.com", 80))
    with pytest.raises(OSError, match="network disabled"):
        socket.socket()
    assert len(no_network) == 2
    no_network.clear()


@pytest.mark.slow
def test_the_whole_pipeline_runs_offline(no_network: list[str], tmp_path: Path) -> None:
    if REAL_DOT is None:
        pytest.fail("Graphviz is not installed: run `make setup` (or apt-get install graphviz)")
    specs = tmp_path / "specs"
    specs.mkdir()
    for name in ("walkthrough.yaml", "custom_icon.yaml", "fraud.yaml"):
        shutil.copy(RENDER_SPECS / name, specs / name)
    shutil.copytree(RENDER_SPECS / "icons", specs / "icons")
    walk, icon = specs / "walkthrough.yaml", specs / "custom_icon.yaml"
    out = tmp_path / "out"

    def ok(*args: object, allowed=(0,)) -> str:
        result = invoke(*args)
        assert_clean(result, allowed, str(args[0]))
        return result.stdout

    ok("validate", specs)
    ok("kinds", "-f", "json")
    ok("schema")
    ok("new", "starter", "--template", "rag", "-o", tmp_path / "new")
    ok("render", walk, icon, "-o", out, "-f", "png,svg,md,html", "--all-views", "--steps")
    for svg in out.glob("*.svg"):
        root = svg_root(svg.read_bytes())
        for element in root.iter():
            for name, value in element.attrib.items():
                if name.endswith("href"):
                    assert value.startswith(("data:", "#")), f"{svg.name} links {value[:60]}"
    ok("explain", walk, "-f", "md")
    page = ok("explain", icon, "-f", "html")
    assert not remote_resources(page), remote_resources(page)
    ok("explain", walk, "-f", "html", "-o", tmp_path / "walk.html")
    json.loads(ok("check", specs, "-f", "json", "--fail-on", "never"))
    json.loads(ok("check", walk, "-f", "sarif", "--fail-on", "never"))
    json.loads(ok("diff", specs / "fraud.yaml", walk, "-f", "json", "-o", tmp_path / "diff"))
    ok("diff", specs / "fraud.yaml", walk, "-f", "md", "--view", "side-by-side", "-o", tmp_path / "diff2")
    ok("build", specs, "-o", tmp_path / "site", "-j", "2")
    if "export" in main.commands:
        for target in ("mermaid", "d2", "dot"):
            ok("export", walk, "--to", target)
    if "slides" in main.commands:
        ok("slides", walk, "-o", tmp_path / "deck" / "walk.pptx")
        assert (tmp_path / "deck" / "walk.pptx").stat().st_size > 0
    assert not no_network, f"mlsd tried to use the network: {no_network}"
