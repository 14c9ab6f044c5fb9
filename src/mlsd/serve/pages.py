"""The HTML pages of the preview: the templates in `templates/serve/`, autoescaped.

Every piece of spec text reaches a page through a template variable, so it is
escaped; the only markup let through unescaped is mlsd's own: the Graphviz
SVG (whose text Graphviz escapes), the style sheet, and the explanation, which
goes into a sandboxed iframe's `srcdoc` attribute (escaped as an attribute value).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from mlsd.explain.render import environment, inline_svg
from mlsd.load import load_spec
from mlsd.practice import page_name, practice
from mlsd.serve.paths import url_path
from mlsd.serve.results import DiffResult, SpecResult

FOLDER = "serve"


class Pages:
    """Renders the preview's pages; one per server (the Jinja environment caches templates)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        # The shipped templates only: a user's --templates folder changes explanations, not the preview.
        self._env = environment()
        self._env.filters["svg"] = inline_svg
        self._env.filters["urlpath"] = url_path
        self._style = Markup(_static(self._env, "preview.css"))
        self.script = _static(self._env, "live.js").encode("utf-8")

    def index(self, specs: Sequence[SpecResult], version: int, views: Sequence[str]) -> str:
        """Every spec with its title and status, and a form to compare two."""
        names = [r.name for r in specs]
        return self._render("index", watch=None, version=version, specs=specs, names=names, views=views)

    def spec(self, result: SpecResult, version: int) -> str:
        """One spec: picture (both themes), review, explanation; or its errors."""
        return self._render("spec", watch=[result.name], version=version, r=result)

    def diff(
        self,
        result: DiffResult | None,
        names: Sequence[str],
        old: str | None,
        new: str | None,
        view: str,
        views: Sequence[str],
        version: int,
    ) -> str:
        """The comparison of two specs, with the form to choose them."""
        watch = [n for n in (old, new) if n]
        return self._render(
            "diff", watch=watch, version=version, d=result, names=names, old=old, new=new, view=view, views=views
        )

    def practice(self, path: Path) -> str:
        """The practice page of the spec at `path`, as `mlsd practice` writes it (self-contained)."""
        spec = load_spec(path)
        return practice(spec).files[page_name(spec.id)].decode("utf-8")

    def message(self, heading: str, message: str, version: int = 0) -> str:
        """A short page for 400, 404 and friends."""
        return self._render("message", watch=[], version=version, heading=heading, message=message)

    def _render(self, name: str, **variables: object) -> str:
        template = self._env.get_template(f"{FOLDER}/{name}.html.j2")
        return template.render(style=self._style, folder=self.folder, **variables)


def _static(env: jinja2.Environment, name: str) -> str:
    """A file of `templates/serve/` as it is, read through the templates' loader."""
    if env.loader is None:
        raise RuntimeError("the templates environment has no loader")
    source, _, _ = env.loader.get_source(env, f"{FOLDER}/{name}")
    return source
