"""The Python API: a loaded design and everything the CLI can make of it (docs/api.md).

    >>> import mlsd
    >>> design = mlsd.load_spec("specs/fraud-detection.yaml")
    >>> design.render("output", formats=("svg", "md"), theme="dark")
    >>> design.explain("md"), design.check(), design.export("mermaid")
    >>> mlsd.diff("specs/fraud-detection.yaml", "specs/fraud-detection-scaled.yaml")

In Jupyter, a design displays as its picture, and as one line of text where
only text is shown. Every function goes through the same code as the CLI, so a
format means the same thing in both.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mlsd.export import export
from mlsd.load import load_spec as _load
from mlsd.model import Spec
from mlsd.outputs import write_spec_outputs
from mlsd.render import RenderOptions, svg_text
from mlsd.render.engine import DEFAULT_TIMEOUT
from mlsd.review import SpecReview, review_spec
from mlsd.vocabulary import DEFAULT_FORMATS, DEFAULT_THEME

if TYPE_CHECKING:
    from mlsd.diff import SpecDiff


class Design:
    """A validated spec and what can be made of it.

    The spec's own fields (`title`, `components`, `edges`, ...) read through:
    `design.title` is `design.spec.title`.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def __getattr__(self, name: str) -> object:
        # Only called for names Design itself lacks: the spec's data. Private and special
        # names are not passed on, so notebooks find Design's own display methods, not the
        # model's (whose text form is the whole spec, thousands of characters).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.spec, name)

    def __repr__(self) -> str:
        spec = self.spec
        counts = f"{len(spec.components)} components, {len(spec.edges)} flows"
        if spec.groups:
            counts += f", {len(spec.groups)} groups"
        return f"<mlsd.Design {spec.id!r}: {spec.title} ({counts})>"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        # IPython's text form: the same single line as repr().
        printer.text(repr(self))  # type: ignore[attr-defined]

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


DesignLike = Design | Spec | str | Path


def _design(design: DesignLike) -> Design:
    if isinstance(design, Design):
        return design
    if isinstance(design, Spec):
        return Design(design)
    return load_spec(design)


def render(design: DesignLike, out_dir: str | Path = "output", **options: Any) -> list[Path]:
    """Write a design's files as `mlsd render` does (options as `Design.render`); their paths."""
    return _design(design).render(out_dir, **options)


def explain(design: DesignLike, fmt: str = "md", *, templates: str | Path | None = None) -> str:
    """The written explanation of a design (`md` or `html`), as `mlsd explain` prints it."""
    return _design(design).explain(fmt, templates=templates)


def check(design: DesignLike) -> SpecReview:
    """The design review of a design: its findings (`.counted`, `.ignored`) and section scores."""
    return _design(design).check()


def diff(old: DesignLike, new: DesignLike, *, renames: Mapping[str, str] | None = None) -> SpecDiff:
    """What changed between two designs, as data (`mlsd.diff.to_text` and friends print it).

    `renames` maps old component ids to new ones, as `mlsd diff --rename` does.
    """
    from mlsd.diff import diff_specs

    return diff_specs(_design(old).spec, _design(new).spec, renames)


def _callable_package(name: str, function: Callable[..., object]) -> ModuleType:
    """The subpackage `mlsd.<name>`, made callable as `function`.

    `mlsd.render`, `mlsd.explain` and `mlsd.diff` name subpackages as well as the
    API functions, and importing a subpackage sets the package's attribute to it;
    a callable package is the function however the imports went.
    """
    package = importlib.import_module(f"mlsd.{name}")
    if not callable(package):

        class _CallablePackage(type(package)):  # type: ignore[misc]
            __doc__ = function.__doc__

            def __call__(self, *args: object, **kwargs: object) -> object:
                return function(*args, **kwargs)

        package.__class__ = _CallablePackage
    return package


API_PACKAGES = {
    name: _callable_package(name, function)
    for name, function in (("render", render), ("explain", explain), ("diff", diff))
}
