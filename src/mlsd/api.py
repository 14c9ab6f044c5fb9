"""The Python API: a loaded design and everything the CLI can make of it.

    >>> import mlsd
    >>> design = mlsd.load_spec("specs/fraud-detection.yaml")
    >>> design.render("output", formats=("svg", "md"), theme="dark")
    >>> design.explain("md"), design.check(), design.export("mermaid")

In Jupyter, a design displays as its picture. Every method goes through the
same functions as the CLI, so a format means the same thing in both.
"""

from __future__ import annotations

from pathlib import Path

from mlsd.export import export
from mlsd.load import load_spec as _load
from mlsd.model import Spec
from mlsd.outputs import write_spec_outputs
from mlsd.render import RenderOptions, svg_text
from mlsd.render.engine import DEFAULT_TIMEOUT
from mlsd.review import SpecReview, review_spec
from mlsd.vocabulary import DEFAULT_FORMATS, DEFAULT_THEME


class Design:
    """A validated spec and what can be made of it.

    The spec's own fields (`title`, `components`, `edges`, ...) read through:
    `design.title` is `design.spec.title`.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def __getattr__(self, name: str) -> object:
        # Only called for names Design itself lacks: the spec's data.
        return getattr(self.spec, name)

    def __repr__(self) -> str:
        return f"<mlsd.Design {self.spec.id!r}: {self.spec.title}>"

    def render(
        self,
        out_dir: str | Path = "output",
        *,
        formats: tuple[str, ...] = DEFAULT_FORMATS,
        theme: str = DEFAULT_THEME,
        preset: str = "default",
        transparent: bool = False,
        views: tuple[str, ...] = (),
        all_views: bool = False,
        steps: bool = False,
        templates: str | Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[Path]:
        """Write the design's files into `out_dir`, as `mlsd render` does; return their paths."""
        options = RenderOptions(
            formats=tuple(formats), theme=theme, preset=preset, transparent=transparent, timeout=timeout
        )
        written, _ = write_spec_outputs(
            self.spec,
            Path(out_dir),
            options,
            views=tuple(views),
            all_views=all_views,
            steps=steps,
            templates=Path(templates) if templates is not None else None,
        )
        return written

    def svg(self, theme: str = DEFAULT_THEME) -> str:
        """The architecture picture as a self-contained SVG document."""
        return svg_text(self.spec, theme)

    def explain(self, fmt: str = "md", *, templates: str | Path | None = None) -> str:
        """The written explanation, as `mlsd explain` prints it (without a picture)."""
        from mlsd.explain import explain

        return explain(self.spec, fmt, templates=Path(templates) if templates is not None else None)

    def check(self) -> SpecReview:
        """The design review, as `mlsd check` runs it."""
        return review_spec(self.spec)

    def export(self, to: str, *, theme: str = DEFAULT_THEME) -> str:
        """The architecture in another diagram language (`mermaid`, `d2`, `dot`)."""
        return export(self.spec, to, theme=theme)

    def _repr_svg_(self) -> str:
        # Jupyter shows a design as its picture.
        return self.svg()


def load_spec(path: str | Path) -> Design:
    """Load and validate a spec file; raises `mlsd.errors.SpecError` with every problem found."""
    return Design(_load(Path(path)))
