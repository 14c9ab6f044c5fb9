"""Make Graphviz's SVG self-contained: icons embedded, no path of this machine inside.

Every edit goes through an XML parser, never through the text, so it does not
depend on how one Graphviz version lays out its tags. The parser resolves no
entity and fetches nothing: spec text ends up inside the SVG.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TypeAlias

from lxml import etree  # type: ignore[import-untyped]  # no stubs in the dev dependencies

from mlsd.render.graph import HIDDEN_CLASS

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
G, IMAGE, TITLE = (f"{{{SVG_NS}}}{tag}" for tag in ("g", "image", "title"))
# SVG 1.1 links with xlink:href; SVG 2 allows a plain href.
_HREFS = (f"{{{XLINK_NS}}}href", "href")
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}
# What Graphviz writes; the callers encode the text as UTF-8.
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'

Tree: TypeAlias = etree._ElementTree


def parse(svg: str) -> Tree:
    """The SVG document as a tree, read without resolving entities or touching the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, encoding="utf-8")
    tree = etree.fromstring(svg.encode("utf-8"), parser).getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and (next(dtd.iterentities(), None) or next(dtd.iterelements(), None)):
        # Graphviz declares nothing itself; declarations would be lost on writing.
        raise ValueError("SVG with an internal DTD subset is not Graphviz output")
    return tree


def serialise(tree: Tree) -> str:
    """The document as text: declaration, DOCTYPE, top-level comments and the root, one per line."""
    root = tree.getroot()
    parts = [_DECLARATION]
    if tree.docinfo.doctype:
        parts.append(tree.docinfo.doctype)
    parts += reversed([_text(node) for node in root.itersiblings(preceding=True)])
    parts.append(_text(root))
    parts += [_text(node) for node in root.itersiblings()]
    return "\n".join(parts) + "\n"


def _text(node: etree._Element) -> str:
    return etree.tostring(node, encoding="unicode", with_tail=False)


def groups_with_class(tree: Tree, name: str) -> list[etree._Element]:
    """The `<g>` elements whose class list holds `name`, in document order."""
    return [g for g in tree.iter(G) if name in (g.get("class") or "").split()]


def inline_icons(tree: Tree, icons: dict[str, Path]) -> None:
    """Replace each icon reference with a data URI; drop any image that is not a known icon.

    `icons` maps the path written into the DOT source to the file to embed.
    """
    cache: dict[str, str] = {}
    for image in list(tree.iter(IMAGE)):
        attribute = next((name for name in _HREFS if name in image.attrib), None)
        href = image.get(attribute, "") if attribute else ""
        path = icons.get(href)
        if attribute is None or path is None:
            parent = image.getparent()
            assert parent is not None
            parent.remove(image)
            continue
        if href not in cache:
            mime = _MIME.get(path.suffix.lower(), "image/png")
            cache[href] = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        image.set(attribute, cache[href])


def hide_drawings(tree: Tree) -> None:
    """Empty each group render/graph.py marked hidden, but for its title.

    Graphviz writes transparent text as white in SVG, so hiding by colour is
    not enough there. The group and its title stay, so every frame names the
    same elements in the same order.
    """
    for group in groups_with_class(tree, HIDDEN_CLASS):
        for child in list(group):
            if child.tag != TITLE:
                group.remove(child)


def embed_icons(svg: str, icons: dict[str, Path]) -> str:
    """`svg` with icons inlined as data URIs (see `inline_icons`)."""
    tree = parse(svg)
    inline_icons(tree, icons)
    return serialise(tree)


def drop_hidden(svg: str) -> str:
    """`svg` without the drawing of the elements a reveal frame hides (see `hide_drawings`)."""
    tree = parse(svg)
    hide_drawings(tree)
    return serialise(tree)
