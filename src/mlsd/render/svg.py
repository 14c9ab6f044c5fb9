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
