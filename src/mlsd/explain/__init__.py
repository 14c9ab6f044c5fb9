"""Written explanations: a spec walked through the ML system design framework.

`explain(spec, "md" | "html")` returns the whole document. The pipeline is
`Spec -> build_context -> ExplanationContext -> Jinja template -> text`; all
decisions happen in `build_context`, the templates only print.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from mlsd.explain.context import ExplanationContext, build_context
from mlsd.explain.render import (
    PictureLink,
    environment,
    inline_svg,
    md_escape,
    render,
    template_files,
)
from mlsd.model import Spec
from mlsd.vocabulary import DOCUMENT_FORMATS

__all__ = ["ExplanationContext", "build_context", "explain", "md_escape", "template_files"]


def explain(
    spec: Spec,
    fmt: str = "md",
    *,
    templates: Path | None = None,
    picture_svg: str | None = None,
    picture_name: str | None = None,
) -> str:
    """The explanation of `spec` as one Markdown or self-contained HTML document.

    Markdown links the picture as `picture_name` (a path relative to the
    document); HTML inlines `picture_svg`. `templates` is a folder whose
    `explanation.<fmt>.j2` replaces the built-in one; a template sees `ctx`
    (the prepared context), `picture` and `spec` (the validated spec), as
    docs/templates.md describes.
    """
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"unknown explanation format {fmt!r}; expected one of {', '.join(DOCUMENT_FORMATS)}")
    if fmt == "md":
        picture = PictureLink(name=quote(picture_name) if picture_name else None, svg=None)
    else:
        picture = PictureLink(name=None, svg=inline_svg(picture_svg) if picture_svg else None)
    text = render(
        environment(templates),
        f"explanation.{fmt}.j2",
        {"ctx": build_context(spec), "picture": picture, "spec": spec},
    )
    if fmt == "md":
        # Templates stay readable with generous blank lines; the output gets at most one.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text
