"""Rendering: the Jinja environment, Markdown escaping, and template errors as `TemplateError`.

Templates are looked up in the user's folder first (`--templates DIR`), then
in the defaults that ship with mlsd, so a user file with the same name wins.
"""

from __future__ import annotations

import importlib.resources
import re
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from mlsd.errors import InputError, TemplateError
from mlsd.explain.phrase import Phrase

# Characters that are Markdown syntax wherever they stand: emphasis, code,
# links and images (`[` and `]`; without them `(`, `)` and `!` are inert),
# HTML, table cells, GFM strikethrough and entities; braces too, because the
# site generators that serve design docs read `{{ }}` and `{% %}`. A backslash
# before any ASCII punctuation is a valid escape in CommonMark.
_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]<>|~&])")
# Characters that are syntax only at the start of a line: headings, list
# markers, block quotes (`>` is escaped anyway), setext underlines, and the
# `.` or `)` of an ordered-list marker.
_MD_LEADING = re.compile(r"^([#+\-=]|\d+(?=[.)]))")
_SVG_START = re.compile(r"<svg[\s>]", re.IGNORECASE)


def md_escape(value: object) -> str:
    """Spec text made inert in Markdown: one line, every active character backslash-escaped.

    Newlines are collapsed so text can never open a heading, list, table row or
    code block; a leading list marker or `#` is escaped too, because templates
    may place the text at the start of a line.
    """
    # Control characters (a terminal escape, say) are shown as U+FFFD.
    visible = "".join(c if c.isprintable() else "\ufffd" for c in " ".join(str(value).split()))
    one_line = _MD_ACTIVE.sub(r"\\\1", visible)
    leading = _MD_LEADING.match(one_line)
    if leading is None:
        return one_line
    if leading.group(1)[0].isdigit():
        end = leading.end()
        return one_line[:end] + "\\" + one_line[end:]
    return "\\" + one_line


@jinja2.pass_eval_context
def say(eval_ctx: jinja2.nodes.EvalContext, phrase: Phrase) -> str:
    """Print a `Phrase`: mlsd's words as they are, the spec text in it escaped for the format."""
    if not isinstance(phrase, Phrase):
        raise TypeError(f"the 'say' filter expects a Phrase, got {type(phrase).__name__}")
    if eval_ctx.autoescape:
        return escape(phrase.text).format(*phrase.args) if phrase.args else escape(phrase.text)
    if not phrase.args:
        return phrase.text
    return phrase.text.format(*(md_escape(a) for a in phrase.args))


def default_templates() -> Path:
    """The folder of the templates that ship with mlsd."""
    packaged = importlib.resources.files("mlsd") / "templates"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    # Running from a source checkout without the package data in place.
    return Path(__file__).resolve().parents[3] / "templates"


def template_files(templates: Path | None = None) -> list[Path]:
    """Every file an explanation can be rendered from: the user's folder, then the defaults.

    `mlsd build` hashes them to know when an explanation must be rebuilt.
    """
    user = (
        [p for p in sorted(templates.rglob("*")) if p.is_file()] if templates is not None and templates.is_dir() else []
    )
    defaults = default_templates()
    # The preview's and the practice pages live beside the explanation templates but never shape an explanation.
    own = [
        p
        for p in sorted(defaults.rglob("*"))
        if p.is_file() and p.relative_to(defaults).parts[0] not in ("serve", "practice")
    ]
    return user + own


def environment(templates: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: user folder first, strict about undefined names.

    One environment per folder for the whole process, so a template is compiled
    once however many specs a build or a preview explains.
    """
    if templates is not None and not templates.is_dir():
        raise InputError(f"{templates}: templates folder not found")
    return _environment(str(templates) if templates is not None else None)


@cache
def _environment(templates: str | None) -> jinja2.Environment:
    folders = [str(default_templates())] if templates is None else [templates, str(default_templates())]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2", "html", "htm", "xml"),
            default_for_string=False,
            default=False,
        ),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # The environment lives as long as the process: a template edited meanwhile
        # (the preview watches them) is compiled again on its next use.
        auto_reload=True,
    )
    env.filters["md"] = md_escape
    env.filters["say"] = say
    return env


@dataclass(frozen=True)
class PictureLink:
    """The architecture picture: linked (Markdown), inlined (HTML), or absent."""

    name: str | None  # a relative link for Markdown, URL-escaped
    svg: Markup | None  # the SVG element for HTML, without its XML prologue

    @property
    def present(self) -> bool:
        """True when there is something to show."""
        return bool(self.name or self.svg)


def inline_svg(document: str) -> Markup:
    """An SVG document reduced to its `<svg>` element, ready to inline in HTML."""
    found = _SVG_START.search(document)
    if found is None:
        raise InputError("the picture is not an SVG document: no <svg> element found")
    return Markup(document[found.start() :].strip())


def render(env: jinja2.Environment, name: str, variables: dict[str, object]) -> str:
    """Render one template; template mistakes become `TemplateError` with FILE:LINE."""
    try:
        template = env.get_template(name)
        return template.render(variables)
    except jinja2.TemplateSyntaxError as err:
        where = err.filename or err.name or name
        raise TemplateError(f"{where}:{err.lineno}: error: {err.message}") from err
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"{err.name}: error: template not found") from err
    except Exception as err:
        frame = _template_frame(err, env)
        if frame is None:
            raise
        kind = "undefined name" if isinstance(err, jinja2.UndefinedError) else type(err).__name__
        raise TemplateError(f"{frame[0]}:{frame[1]}: error: {kind}: {err}") from err


def _template_frame(err: BaseException, env: jinja2.Environment) -> tuple[str, int] | None:
    """The innermost traceback frame that belongs to a template file, if any."""
    # Jinja rewrites tracebacks so template code appears with the template's own
    # file name and line number.
    loader = env.loader
    folders = [Path(p).resolve() for p in getattr(loader, "searchpath", [])]
    found = None
    for frame in traceback.extract_tb(err.__traceback__):
        path = Path(frame.filename)
        if frame.lineno and any(_inside(path, folder) for folder in folders):
            found = (frame.filename, frame.lineno)
    return found


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder)
    except OSError:
        return False
