"""`export(spec, to)`: the architecture in another diagram language, as text.

- `mermaid`: a `flowchart LR` for Markdown pages (GitHub, GitLab, Notion, Obsidian).
- `d2`: a D2 diagram (containers, styled connections, a legend) to lay out with `d2`.
- `dot`: the Graphviz source of mlsd's own picture, exactly as `render -f dot` writes it.

Every target shows the same components, groups and flows as the picture, with
the flow kinds' line styles and colours.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlsd.model import Spec
from mlsd.vocabulary import DEFAULT_THEME, EXPORT_TARGETS, THEMES

__all__ = ["export"]


def export(spec: Spec, to: str, *, theme: str = DEFAULT_THEME, include: Iterable[str] | None = None) -> str:
    """The architecture of `spec` (or of the components in `include`) in language `to`.

    `to` is a key of `mlsd.vocabulary.EXPORT_TARGETS`, which also gives the file name ending.
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
    raise ValueError(f"unknown export target {to!r}; expected one of {', '.join(EXPORT_TARGETS)}")
