"""Make Graphviz's SVG self-contained: icons embedded, no path of this machine inside."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

_IMAGE = re.compile(r'<image\b[^>]*?xlink:href="([^"]*)"[^>]*/>')
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def embed_icons(svg: str, icons: dict[str, Path]) -> str:
    """Replace each icon reference with a data URI; drop any image that is not a known icon.

    `icons` maps the path written into the DOT source to the file to embed.
    """
    cache: dict[str, str] = {}

    def inline(match: re.Match[str]) -> str:
        href = match.group(1)
        path = icons.get(html.unescape(href))
        if path is None:
            return ""
        if href not in cache:
            mime = _MIME.get(path.suffix.lower(), "image/png")
            cache[href] = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        return match.group(0).replace(f'xlink:href="{href}"', f'xlink:href="{cache[href]}"')

    return _IMAGE.sub(inline, svg)


_HIDDEN_START = re.compile(r'<g id="[^"]*" class="(?:node|edge|cluster) mlsd_hidden">')


def drop_hidden(svg: str) -> str:
    """Remove the drawing of elements a reveal frame hides, keeping their groups.

    Graphviz writes transparent text as white in SVG, so hiding by colour is
    not enough there. It writes one tag per line, and a node's group may hold
    a nested group (its tooltip link), so groups are followed by depth.
    """
    kept: list[str] = []
    depth = 0
    for line in svg.splitlines(keepends=True):
        if depth == 0:
            kept.append(line)
            if _HIDDEN_START.search(line):
                depth = 1
            continue
        depth += len(re.findall(r"<g\b", line)) - line.count("</g>")
        if depth == 0 or line.lstrip().startswith("<title>"):
            kept.append(line)
    return "".join(kept)
