"""`export(spec, to)`: the architecture in another diagram language or editor's format.

- `mermaid`: a `flowchart LR` for Markdown pages (GitHub, GitLab, Notion, Obsidian).
- `d2`: a D2 diagram (containers, styled connections, a legend) to lay out with `d2`.
- `dot`: the Graphviz source of mlsd's own picture, exactly as `render -f dot` writes it.
- `pptx`: one slide of native PowerPoint shapes, in the picture's own layout.
- `excalidraw`: an Excalidraw scene, in the picture's own layout.
- `drawio`: a draw.io (diagrams.net) file, in the picture's own layout.

Every target shows the same components, groups and flows as the picture, with
the flow kinds' line styles and colours. The last three keep the picture's
positions (`mlsd.export.layout`) and stay editable: flows are attached to the
components they join.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlsd.model import Spec
from mlsd.vocabulary import DEFAULT_THEME, EXPORT_TARGETS, THEMES

__all__ = ["BINARY_TARGETS", "export", "export_bytes"]

# Targets whose files are not text.
BINARY_TARGETS = frozenset({"pptx"})


def export(spec: Spec, to: str, *, theme: str = DEFAULT_THEME, include: Iterable[str] | None = None) -> str:
    """The architecture of `spec` (or of the components in `include`) in language `to`.

    `to` is a key of `mlsd.vocabulary.EXPORT_TARGETS`, which also gives the
    file name ending; a target in BINARY_TARGETS needs `export_bytes`.
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
    if to == "mermaid":
        from mlsd.export.mermaid import to_mermaid

        return to_mermaid(spec, theme=theme, include=include)
    if to == "d2":
        from mlsd.export.d2 import to_d2

        return to_d2(spec, theme=theme, include=include)
    if to == "dot":
        from mlsd.render.graph import build_dot
        from mlsd.render.theme import COLOURS

        return build_dot(spec, COLOURS[theme], include=include)
    if to in ("excalidraw", "drawio"):
        from mlsd.export.drawio import to_drawio
        from mlsd.export.excalidraw import to_excalidraw
        from mlsd.export.layout import lay_out

        scene = lay_out(spec, theme=theme, include=None if include is None else tuple(include))
        return to_excalidraw(spec, scene) if to == "excalidraw" else to_drawio(spec, scene)
    if to in BINARY_TARGETS:
        raise ValueError(f"export target {to!r} is not text; use export_bytes")
    raise ValueError(f"unknown export target {to!r}; expected one of {', '.join(EXPORT_TARGETS)}")


def export_bytes(spec: Spec, to: str, *, theme: str = DEFAULT_THEME, include: Iterable[str] | None = None) -> bytes:
    """The file of `spec` in export target `to`, as bytes (text targets in UTF-8)."""
    if to == "pptx":
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
        from mlsd.export.layout import lay_out
        from mlsd.export.pptx import to_pptx

        return to_pptx(spec, lay_out(spec, theme=theme, include=None if include is None else tuple(include)))
    return export(spec, to, theme=theme, include=include).encode("utf-8")
