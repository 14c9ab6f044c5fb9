"""The command line: parse options, call one function, map errors to exit codes.

Heavy modules (the renderer and `diagrams`) are imported inside the commands
that need them, so `mlsd --help` and `mlsd validate` start quickly.
"""

from __future__ import annotations

import errno
import json
import math
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from mlsd import vocabulary
from mlsd.errors import MlsdError, SpecError, TemplateError
from mlsd.version import __version__

EXIT_INTERNAL = 70

SpecPaths = click.Path(exists=True, path_type=Path)


class _Group(click.Group):
    """A group that turns errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except SpecError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            ctx.exit(err.exit_code)
        except TemplateError as err:
            click.echo(str(err), err=True)  # already FILE:LINE: error: ...
            ctx.exit(err.exit_code)
        except MlsdError as err:
            click.echo(f"mlsd: error: {err}", err=True)
            ctx.exit(err.exit_code)
        except OSError as err:
            if err.filename is not None or err.errno not in _STREAM_ERRORS:
                _internal(ctx, err)
            # Writing to standard output failed (a full disk, a closed pipe): say so once and
            # point the stream at /dev/null, so the flush at exit does not fail again.
            _silence_stdout()
            click.echo(f"mlsd: error: cannot write to standard output: {err.strerror or err}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("mlsd: interrupted", err=True)
            ctx.exit(130)
        except Exception as err:
            _internal(ctx, err)


# Failures of writing a stream (no file name): the reader went away or the disk is full.
_STREAM_ERRORS = frozenset({errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EFBIG, errno.EDQUOT})


def _internal(ctx: click.Context, err: Exception) -> NoReturn:
    where = _innermost_frame(err)
    click.echo(
        f"mlsd: internal error: {type(err).__name__}: {err} (at {where});"
        f" this is a bug in mlsd {__version__}; please report it to the mlsd maintainers"
        " with this message and the spec that caused it",
        err=True,
    )
    ctx.exit(EXIT_INTERNAL)


def _silence_stdout() -> None:
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test runner's buffer): nothing to flush at exit
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _innermost_frame(err: BaseException) -> str:
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mlsd")
def main() -> None:
    """mlsd: diagram-as-code for machine-learning system design.

    Describe an ML system in one YAML spec; mlsd checks it and turns it into
    pictures, explanations, diffs and design reviews.
    """


@main.command()
@click.argument("specs", nargs=-1, required=True, type=SpecPaths)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(specs: tuple[Path, ...], fmt: str) -> None:
    """Check SPECS (files or folders) and report every problem at once."""
    from mlsd.load import find_specs

    files, unusable = find_specs(list(specs))
    loaded, problems = _load_each(files)  # files already expanded: the folders are walked once
    problems = unusable + problems
    warnings = [w for spec in loaded for w in spec.source.warnings]
    invalid = len({p.location.file for p in problems})
    if fmt == "json":
        report = {"errors": [p.as_dict() for p in problems]}
        if warnings:
            report["warnings"] = [w.as_dict() for w in warnings]
        click.echo(json.dumps(report, indent=2))
    else:
        for warning in warnings:
            click.echo(f"{warning.location}: warning: {warning.message}", err=True)
        for problem in problems:
            click.echo(str(problem), err=True)
        noun = "spec" if len(files) == 1 else "specs"
        if problems:
            count = len(problems)
            click.echo(
                f"{invalid} of {len(files)} {noun} invalid, {count} error{'s' if count != 1 else ''}",
                err=True,
            )
        else:
            click.echo(f"{len(files)} {noun} valid")
    if problems:
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the spec format."""
    from mlsd.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
def kinds(fmt: str) -> None:
    """List the catalogue: component kinds (stage, icon, role), flow kinds and known techs.

    `-f md` prints docs/kinds.md.
    """
    from mlsd.catalogue_report import catalogue_json, catalogue_text, kinds_markdown

    if fmt == "md":
        click.echo(kinds_markdown(), nl=False)
        return
    click.echo(json.dumps(catalogue_json(), indent=2) if fmt == "json" else catalogue_text())


@main.command()
@click.argument("name")
@click.option(
    "-t",
    "--template",
    type=click.Choice(tuple(vocabulary.STARTERS)),
    default=next(iter(vocabulary.STARTERS)),
    show_default=True,
    help="blank; recommendation (retrieval and ranking funnel); classifier (real-time);"
    " rag (retrieval-augmented generation)",
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="folder to write NAME.yaml into",
)
@click.option("--force", is_flag=True, help="overwrite an existing NAME.yaml")
def new(name: str, template: str, folder: Path, force: bool) -> None:
    """Write a new spec NAME.yaml from a starter template."""
    from mlsd.starters import write_starter

    for path in write_starter(name, template, folder, force=force):
        click.echo(f"wrote {path}")


def _load_each(specs: tuple[Path, ...] | list[Path]) -> tuple[list, list]:
    """Every spec named (folders expanded) that loads, and the problems of the others."""
    from mlsd.load import find_specs, load_spec

    paths, problems = find_specs(list(specs))
    loaded = []
    for path in paths:
        try:
            loaded.append(load_spec(path))
        except SpecError as err:
            problems += err.problems
    return loaded, problems


def _load_all(specs: tuple[Path, ...]) -> list:
    """Every spec named, or a `SpecError` with all problems of all specs."""
    loaded, problems = _load_each(specs)
    if problems:
        raise SpecError(problems)
    return loaded


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in vocabulary.RENDER_FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(vocabulary.RENDER_FORMATS)}",
            param_hint="'-f' / '--formats'",
        )
    return chosen


def _emit(text: str, out_file: Path | None, shown: str) -> None:
    """Print a command's document, or write it atomically to `out_file`."""
    from mlsd.atomic import write_atomic

    if out_file is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out_file, text)
        click.echo(f"{shown}: wrote {out_file}", err=True)


def _warn(warnings: tuple[str, ...]) -> None:
    for line in warnings:
        click.echo(f"mlsd: graphviz: {line}", err=True)


_theme = click.option(
    "--theme", type=click.Choice(vocabulary.THEMES), default=vocabulary.DEFAULT_THEME, show_default=True
)
_preset = click.option(
    "--preset",
    type=click.Choice(tuple(vocabulary.PRESETS)),
    default="default",
    show_default=True,
    help="canvas shape and resolution; the slide presets fill a 1920x1080 or 1600x1200 frame",
)
_transparent = click.option("--transparent", is_flag=True, help="transparent background (for slides)")


class _FiniteRange(click.FloatRange):
    """A float range that also refuses `nan` (which compares false with either bound)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return number


MAX_TIMEOUT = 86_400.0  # a day: longer is not a limit, and larger numbers overflow the OS's timers

_timeout = click.option(
    "--timeout",
    type=_FiniteRange(min=0.1, max=MAX_TIMEOUT),
    default=60.0,
    show_default=True,
    help="seconds Graphviz may spend on one spec before it is stopped",
)
_templates = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="a folder of templates that wins over the defaults",
)


@main.command()
@click.argument("specs", nargs=-1, required=True, type=SpecPaths)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="folder to write into",
)
@click.option(
    "-f",
    "--formats",
    "formats",
    default="png,svg,md",
    show_default=True,
    help="comma list of png,svg,pdf,dot,md,html,mmd (Mermaid),d2",
)
@_theme
@_preset
@_transparent
@click.option("--view", "views", multiple=True, help="also render this view (repeatable)")
@click.option("--all-views", is_flag=True, help="also render every view")
@click.option("--steps", is_flag=True, help="also write one frame per reveal step")
@_templates
@_timeout
def render(
    specs: tuple[Path, ...],
    out_dir: Path,
    formats: str,
    theme: str,
    preset: str,
    transparent: bool,
    views: tuple[str, ...],
    all_views: bool,
    steps: bool,
    templates: Path | None,
    timeout: float,
) -> None:
    """Write the picture(s) and explanation of each spec into the output folder."""
    from mlsd.outputs import write_run_outputs
    from mlsd.render import RenderOptions

    options = RenderOptions(
        formats=_formats(formats), theme=theme, preset=preset, transparent=transparent, timeout=timeout
    )
    loaded = _load_all(specs)
    # All specs are rendered before anything is written: a failing one leaves every output as it was.
    done = write_run_outputs(
        loaded, out_dir, options, views=views, all_views=all_views, steps=steps, templates=templates
    )
    for spec, written, warnings in done:
        _warn(warnings)
        click.echo(f"{spec.source.shown}: wrote {len(written)} file{'s' if len(written) != 1 else ''} to {out_dir}")


@main.command()
@click.argument(
    "specs_dir",
    required=False,
    default=Path("specs"),
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="folder to write into",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="specs rendered at once  [default: the CPU cores this process may use]",
)
@click.option("--force", is_flag=True, help="rebuild specs whose inputs did not change")
@click.option(
    "--keep-going",
    is_flag=True,
    help="build the other specs when one is invalid or fails, then report a summary (exit 1)",
)
@_timeout
@_theme
@_templates
def build(
    specs_dir: Path,
    out_dir: Path,
    jobs: int | None,
    force: bool,
    keep_going: bool,
    timeout: float,
    theme: str,
    templates: Path | None,
) -> None:
    """Build pictures (all views), explanations and an index for every spec in SPECS_DIR."""
    from mlsd.build import build as build_all
    from mlsd.render import RenderOptions
    from mlsd.render.engine import usable_cores

    loaded, problems = _load_each((specs_dir,))
    if problems and not keep_going:
        raise SpecError(problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    results = build_all(
        loaded,
        out_dir,
        RenderOptions(theme=theme, timeout=timeout),
        templates=templates,
        jobs=jobs or min(usable_cores(), 64),
        force=force,
        keep_going=keep_going,
        note=lambda line: click.echo(f"mlsd: note: {line}", err=True),
    )
    for result in results:
        _warn(result.warnings)
        if result.error:
            click.echo(f"mlsd: error: {result.error}", err=True)
    failed = sum(r.error is not None for r in results) + len({p.location.file for p in problems})
    skipped = sum(r.skipped for r in results)
    built = len(results) - skipped - sum(r.error is not None for r in results)
    summary = f"built {built} spec{'s' if built != 1 else ''}, {skipped} unchanged"
    if keep_going:
        summary += f", {failed} failed"
    click.echo(f"{summary}, into {out_dir}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("spec_path", metavar="SPEC", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(vocabulary.DOCUMENT_FORMATS),
    default=vocabulary.DOCUMENT_FORMATS[0],
    show_default=True,
)
@_templates
@click.option(
    "-o",
    "--output",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="file to write; default: standard output",
)
@click.option("--no-picture", is_flag=True, help="neither inline (html) nor link (md) the picture")
def explain(spec_path: Path, fmt: str, templates: Path | None, out_file: Path | None, no_picture: bool) -> None:
    """Write the explanation of SPEC: the design walked through the ML system design framework.

    The HTML holds the picture inline; the Markdown links `<id>.svg` when that
    file is next to the output file.
    """
    from mlsd.explain import explain as explain_spec
    from mlsd.load import load_spec

    spec = load_spec(spec_path)
    svg = name = None
    if not no_picture:
        if fmt == "html":
            from mlsd.render import svg_text

            svg = svg_text(spec)
        elif out_file is not None and (out_file.parent / f"{spec.id}.svg").is_file():
            name = f"{spec.id}.svg"
    text = explain_spec(spec, fmt, templates=templates, picture_svg=svg, picture_name=name)
    _emit(text, out_file, spec.source.shown)


@main.command()
@click.argument("specs", nargs=-1, type=SpecPaths)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="exit 1 when findings at or above this severity remain",
)
@click.option("--list-rules", is_flag=True, help="print every rule and exit")
def check(specs: tuple[Path, ...], fmt: str, fail_on: str, list_rules: bool) -> None:
    """Review SPECS (files or folders) against the ML system design rubric."""
    from mlsd.review import list_rules_text, run_check

    if list_rules:
        click.echo(list_rules_text())
        return
    if not specs:
        raise click.UsageError("Missing argument 'SPECS...'.")
    report, status = run_check(_load_all(specs), fmt, fail_on)
    click.echo(report)
    if status:
        sys.exit(status)


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="also draw the diff picture (SVG and PNG) into this folder",
)
@click.option(
    "--view",
    type=click.Choice(vocabulary.DIFF_VIEWS),
    default=vocabulary.DIFF_VIEWS[0],
    show_default=True,
    help="one picture of both designs, or the old and the new design cut from one layout",
)
@click.option("--exit-code", is_flag=True, help="exit 1 when the designs differ, as git diff --exit-code")
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="pair the old component OLD with the new component NEW (repeatable)",
)
@click.option("--color/--no-color", default=False, show_default=True, help="ANSI colours in text output")
def diff(
    old: str,
    new: str,
    fmt: str,
    out_dir: Path | None,
    view: str,
    exit_code: bool,
    renames: tuple[str, ...],
    color: bool,
) -> None:
    """Compare two specs; OLD and NEW are files or REV:PATH (a git revision).

    Exit status as diff(1): 0 no differences (or any without --exit-code),
    1 differences with --exit-code, 2 trouble (invalid spec, unknown revision).
    """
    from mlsd.diff import run_diff

    result = run_diff(old, new, fmt, out_dir, view, exit_code, renames, color)
    for line in result.messages:
        click.echo(f"mlsd: {line}", err=True)
    # color=True keeps the codes when piped (e.g. into less -R); click strips them otherwise.
    click.echo(result.text, nl=False, color=color)
    sys.exit(result.status)


@main.command("git-textconv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def git_textconv(file: Path) -> None:
    """Print a spec as sorted facts, one per line: git's textconv for specs (docs/diff.md)."""
    from mlsd.diff import textconv

    click.echo(textconv(file), nl=False)  # bytes: a file that is not a spec passes through unchanged


@main.command("git-diff-driver", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def git_diff_driver(args: tuple[str, ...]) -> None:
    """The diff report as a git external diff (GIT_EXTERNAL_DIFF); git passes the arguments."""
    from mlsd.diff import git_diff_driver as driver

    click.echo(driver(list(args)), nl=False)


@main.command()
@click.argument("spec_path", metavar="SPEC", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="the .pptx file to write (its folder is created); default: output/<id>.pptx",
)
@_theme
@click.option(
    "--editable",
    is_flag=True,
    help="draw the architecture in native shapes (components, connectors, groups) instead of pictures",
)
def slides(spec_path: Path, out_file: Path | None, theme: str, editable: bool) -> None:
    """Write a 16:9 slide deck of SPEC: title, the architecture revealed step by step,
    metrics and capacity, with the explanation as speaker notes."""
    from mlsd.load import load_spec
    from mlsd.slides import write_deck

    spec = load_spec(spec_path)
    target = out_file if out_file is not None else Path("output") / f"{spec.id}.pptx"
    deck = write_deck(spec, target, theme=theme, editable=editable)
    _warn(deck.warnings)
    default = " (no -o given: the default is output/<id>.pptx)" if out_file is None else ""
    click.echo(f"{spec.source.shown}: wrote {target} ({deck.slide_count} slides){default}", err=True)


@main.command()
@click.argument("specs", nargs=-1, required=True, type=SpecPaths)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="folder to write into",
)
@click.option("--minutes", type=int, default=None, help="length of the interview in minutes  [default: 45]")
@click.option("--list", "list_only", is_flag=True, help="print the practice page of each spec, write nothing")
def practice(specs: tuple[Path, ...], out_dir: Path, minutes: int | None, list_only: bool) -> None:
    """Write a practice page for each spec (folders: every spec inside): the picture with
    its names hidden, question cards, and a timed talk track; plus a Markdown version."""
    from mlsd.practice import MAX_MINUTES, min_minutes, page_name, write_practice

    if minutes is not None and not min_minutes() <= minutes <= MAX_MINUTES:
        raise click.BadParameter(
            f"{minutes} is not between {min_minutes()} and {MAX_MINUTES}", param_hint="'--minutes'"
        )
    loaded = _load_all(specs)
    if list_only:
        for spec in sorted(loaded, key=lambda s: s.id):
            click.echo(f"{out_dir / page_name(spec.id)}\t{spec.title}")
        return
    for item in write_practice(loaded, out_dir, minutes):
        _warn(item.warnings)
        click.echo(f"{item.spec.source.shown}: wrote {len(item.files)} files to {out_dir}", err=True)


@main.command("export")
@click.argument("spec_path", metavar="SPEC", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    type=click.Choice(tuple(vocabulary.EXPORT_TARGETS)),
    required=True,
    help="mermaid (a flowchart for Markdown pages), d2, dot (the picture's Graphviz source),"
    " or an editable drawing in the picture's layout: pptx (PowerPoint shapes), excalidraw, drawio",
)
@_theme
@click.option(
    "-o",
    "--output",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="file to write; default: standard output",
)
def export(spec_path: Path, target: str, theme: str, out_file: Path | None) -> None:
    """Write the architecture of SPEC in another diagram language."""
    from mlsd.atomic import write_atomic
    from mlsd.export import BINARY_TARGETS, export_bytes
    from mlsd.export import export as export_spec
    from mlsd.load import load_spec

    spec = load_spec(spec_path)
    if target in BINARY_TARGETS:
        if out_file is None and sys.stdout.isatty():
            raise click.UsageError(f"--to {target} writes a binary file: give -o FILE.{target} or redirect the output")
        data = export_bytes(spec, target, theme=theme)
        if out_file is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_atomic(out_file, data)
            click.echo(f"{spec.source.shown}: wrote {out_file}", err=True)
        return
    text = export_spec(spec, target, theme=theme)
    _emit(text, out_file, spec.source.shown)


@main.command()
@click.argument(
    "specs_dir",
    required=False,
    default=Path("specs"),
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="address to listen on; anything but loopback lets others read the specs",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="port to listen on (0: any free port)",
)
@_templates
def serve(specs_dir: Path, host: str, port: int, templates: Path | None) -> None:
    """Preview every spec in SPECS_DIR in the browser, updating on every save (Ctrl-C stops)."""
    from mlsd.serve import serve as serve_folder

    serve_folder(specs_dir, host, port, templates=templates, log=lambda line: click.echo(f"mlsd: {line}", err=True))
