"""One spec and the options of a run in, every output file of it out.

The one place that knows which part of mlsd makes which file: pictures come
from `mlsd.render`, explanations (`md`, `html`) from `mlsd.explain`, diagram
languages (`mmd`, `d2`) from `mlsd.export`. `render`, `build`, the preview and
the Python API all go through here, so a format means the same thing wherever
it is asked for.

Everything is produced in memory first and written only when all of it
succeeded, all or nothing (`mlsd.atomic.write_all`), so a failure leaves earlier
outputs as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mlsd.atomic import write_all
from mlsd.errors import Problem, SpecError
from mlsd.model import Spec
from mlsd.render import DEFAULT_OPTIONS, Arranged, RenderOptions, pictures, render_pictures
from mlsd.vocabulary import DIAGRAM_LANGUAGES, DOCUMENT_FORMATS


def spec_outputs(
    spec: Spec,
    out_dir: Path,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    views: tuple[str, ...] = (),
    all_views: bool = False,
    steps: bool = False,
    templates: Path | None = None,
    arranged: Mapping[tuple[str, ...] | None, Arranged] | None = None,
) -> tuple[dict[Path, bytes], tuple[str, ...]]:
    """Every file a run would write for `spec`, by path, in memory; and Graphviz's warnings.

    `templates` is a folder whose explanation templates replace the built-in ones;
    `arranged` holds placements made already (see `render_pictures`).
    """
    todo = pictures(spec, views=views, all_views=all_views, steps=steps)
    rendered = render_pictures(spec, todo, options, arranged)
    outputs: dict[Path, bytes] = {}
    for item in rendered:
        for fmt, data in item.files.items():
            outputs[out_dir / f"{item.picture.stem}.{fmt}"] = data
    main = rendered[0].files
    # The explanation and the exports (Jinja, the glossary) are imported only when asked for.
    for fmt in (f for f in options.formats if f in DOCUMENT_FORMATS):
        from mlsd.explain import explain

        # Markdown links the picture written beside it; HTML inlines the SVG.
        picture_name = next((f"{spec.id}.{ext}" for ext in ("svg", "png") if ext in main), None)
        svg = main["svg"].decode("utf-8") if "svg" in main else None
        text = explain(spec, fmt, templates=templates, picture_svg=svg, picture_name=picture_name)
        outputs[out_dir / f"{spec.id}.{fmt}"] = text.encode("utf-8")
    for fmt in (f for f in options.formats if f in DIAGRAM_LANGUAGES):
        from mlsd.export import export

        for picture in todo:
            if picture.frame.shown is None:  # the design and its views, not reveal frames
                text = export(spec, DIAGRAM_LANGUAGES[fmt], theme=options.theme, include=picture.include)
                outputs[out_dir / f"{picture.stem}.{fmt}"] = text.encode("utf-8")
    warnings = tuple(dict.fromkeys(w for item in rendered for w in item.warnings))
    return outputs, warnings


def check_unique_ids(specs: list[Spec], reserved: dict[str, str] | None = None) -> None:
    """Two specs of one run with one id would write the same files: an error naming both.

    `reserved` maps ids a command keeps for itself to the reason (build's index page).
    """
    seen: dict[str, Spec] = {}
    problems = []
    for spec in specs:
        if reserved and spec.id in reserved:
            problems.append(Problem(spec.source.locate("id"), reserved[spec.id]))
        elif spec.id in seen:
            first = seen[spec.id].source.shown
            problems.append(
                Problem(
                    spec.source.locate("id"),
                    f"spec id '{spec.id}' is also the id of {first}; give one of them another 'id:'",
                )
            )
        else:
            seen[spec.id] = spec
    if problems:
        raise SpecError(problems)


def write_spec_outputs(
    spec: Spec,
    out_dir: Path,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    views: tuple[str, ...] = (),
    all_views: bool = False,
    steps: bool = False,
    templates: Path | None = None,
) -> tuple[list[Path], tuple[str, ...]]:
    """Write every output of `spec` into `out_dir`; return the files written and Graphviz's warnings."""
    outputs, warnings = spec_outputs(
        spec, out_dir, options, views=views, all_views=all_views, steps=steps, templates=templates
    )
    return write_all(outputs), warnings


def write_run_outputs(
    specs: list[Spec],
    out_dir: Path,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    views: tuple[str, ...] = (),
    all_views: bool = False,
    steps: bool = False,
    templates: Path | None = None,
) -> list[tuple[Spec, list[Path], tuple[str, ...]]]:
    """Render every spec, then write all their outputs at once: one failure writes nothing.

    Returns each spec with the files written for it and Graphviz's warnings.
    """
    check_unique_ids(specs)
    files: dict[Path, bytes] = {}
    done = []
    for spec in specs:
        outputs, warnings = spec_outputs(
            spec, out_dir, options, views=views, all_views=all_views, steps=steps, templates=templates
        )
        files.update(outputs)
        done.append((spec, list(outputs), warnings))
    write_all(files)
    return done
