"""Rendering: Markdown escaping, hostile spec text, template overrides and template errors."""

from __future__ import annotations

import os
import re
from pathlib import Path

import jinja2
import pytest
from pydantic import BaseModel

from mlsd.errors import InputError, MlsdError, TemplateError
from mlsd.explain import explain
from mlsd.explain.phrase import Phrase
from mlsd.explain.render import (
    default_templates,
    environment,
    inline_svg,
    md_escape,
    template_files,
)
from mlsd.model import Spec

from ._helpers import PICTURE_SVG, spec

# Pieces of the hostile payload that must never survive into the output as written.
RAW_MARKDOWN = [
    "<script>",
    "</script>",
    "*bold*",
    "_u_",
    "[link](",
    "| pipes |",
    "{{ x }}",
    "{% if %}",
    "back\\slash",
    # Parentheses stay: without an unescaped `]` before them they form no link.
]
# (Newlines need no care in HTML: they are plain whitespace there.)
RAW_HTML = ["<script>", "</script>", '"q"', "'q'"]

# Fields that are identifiers, enumerations or file paths, not prose the explanation prints.
NOT_PRINTED = {
    ("Spec", "id"),
    ("Spec", "extends"),
    ("Spec", "flows"),
    ("Spec", "views"),
    ("Spec", "steps"),
    ("Component", "group"),
    ("Component", "icon"),
    ("Component", "renamed_from"),
    ("Group", "parent"),
    ("Spec", "review"),
    ("Review", "ignore"),
}


def _text_fields(model: type[BaseModel]) -> list[tuple[str, str]]:
    """(model, field) for every field of the spec models that can hold free text."""
    found = []
    for name, info in model.model_fields.items():
        if (model.__name__, name) in NOT_PRINTED:
            continue
        annotation = str(info.annotation)
        if "str" in annotation:
            found.append((model.__name__, name))
    return found


def _strings(value: object, owner: str = "Spec", field: str = "") -> list[str]:
    """Every printed string in a loaded spec, walking models, lists and mappings."""
    if (owner, field) in NOT_PRINTED:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        out: list[str] = []
        for name in type(value).model_fields:
            out += _strings(getattr(value, name), type(value).__name__, name)
        return out
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item, owner, field)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item, owner, field)]
    return []


def _tokens(hostile: Spec) -> list[str]:
    return sorted({m.group(0) for s in _strings(hostile) for m in re.finditer(r"\bH\d\d\b", s)})


def test_hostile_spec_sets_every_text_field() -> None:
    hostile = spec("hostile")
    seen: set[tuple[str, str]] = set()

    def walk(value: object) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                field_value = getattr(value, name)
                if field_value not in (None, [], {}, ""):
                    seen.add((type(value).__name__, name))
                walk(field_value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(hostile)
    models = {type(m) for m in _models(hostile)}
    wanted = {pair for model in models for pair in _text_fields(model)}
    missing = sorted(wanted - seen)
    assert not missing, f"add hostile text for {missing} to specs/hostile.yaml"


def _models(value: object) -> list[BaseModel]:
    if isinstance(value, BaseModel):
        return [value] + [m for name in type(value).model_fields for m in _models(getattr(value, name))]
    if isinstance(value, (list, tuple)):
        return [m for item in value for m in _models(item)]
    if isinstance(value, dict):
        return [m for item in value.values() for m in _models(item)]
    return []


def test_hostile_text_is_escaped_in_markdown() -> None:
    hostile = spec("hostile")
    text = explain(hostile, "md", picture_name="hostile.svg")
    for raw in RAW_MARKDOWN:
        assert raw not in text, f"unescaped {raw!r} reached the Markdown"
    # Newlines inside spec text are collapsed, so no line can start a list or heading.
    assert not re.search(r"^\s*(- next|# h|next)", text, flags=re.MULTILINE)
    for token in _tokens(hostile):
        assert token in text, f"{token} is missing: a field of the hostile spec is not printed"


def test_every_hostile_value_appears_exactly_as_md_escape_makes_it() -> None:
    hostile = spec("hostile")
    text = explain(hostile, "md")
    for value in _strings(hostile):
        if re.match(r"H\d\d ", value):
            assert md_escape(value) in text, f"{value[:3]} is printed without md escaping"


def test_hostile_text_is_escaped_in_html() -> None:
    hostile = spec("hostile")
    text = explain(hostile, "html", picture_svg=PICTURE_SVG)
    for raw in RAW_HTML:
        assert raw not in text, f"unescaped {raw!r} reached the HTML"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for token in _tokens(hostile):
        assert token in text, f"{token} is missing: a field of the hostile spec is not printed"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("*bold*", r"\*bold\*"),
        ("_u_", r"\_u\_"),
        ("[link](http://x)", r"\[link\](http://x)"),
        ("<b>", r"\<b\>"),
        ("a | b", r"a \| b"),
        ("{{ x }}", r"\{\{ x \}\}"),
        ("back\\slash", r"back\\slash"),
        ("`code`", r"\`code\`"),
        ("# heading", r"\# heading"),
        ("1. item", r"1\. item"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("![img](x)", r"!\[img\](x)"),
        ("~~gone~~", r"\~\~gone\~\~"),
        ("&amp;", r"\&amp;"),
        ("line one\nline two\r\n\tthree", "line one line two three"),
        ("plain words, 42 and 'quotes'", "plain words, 42 and 'quotes'"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_say_escapes_only_the_arguments() -> None:
    env = environment()
    phrase = Phrase("{0} calls *{1}*", ("<a>", "b_c"))
    md = env.from_string("{{ p|say }}").render(p=phrase)
    assert md == r"\<a\> calls *b\_c*"
    html_env = jinja2.Environment(autoescape=True)
    html_env.filters.update(env.filters)
    assert html_env.from_string("{{ p|say }}").render(p=phrase) == "&lt;a&gt; calls *b_c*"


def test_say_refuses_plain_strings() -> None:
    with pytest.raises(TypeError, match="expects a Phrase"):
        environment().from_string("{{ 'x'|say }}").render()


def test_default_templates_ship_both_formats() -> None:
    folder = default_templates()
    assert (folder / "explanation.md.j2").is_file()
    assert (folder / "explanation.html.j2").is_file()


def test_inline_svg_keeps_only_the_svg_element() -> None:
    assert str(inline_svg(PICTURE_SVG)).startswith('<svg width="8pt"')


def test_inline_svg_rejects_other_documents() -> None:
    with pytest.raises(InputError, match="not an SVG"):
        inline_svg("<html></html>")


# ---------------------------------------------------------------- --templates


def test_user_template_with_the_same_name_wins(tmp_path: Path) -> None:
    (tmp_path / "explanation.md.j2").write_text("custom: {{ ctx.title|md }}\n", encoding="utf-8")
    text = explain(spec("fraud"), "md", templates=tmp_path)
    assert text == "custom: Real-time card fraud detection\n"


def test_other_formats_fall_back_to_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "explanation.md.j2").write_text("custom\n", encoding="utf-8")
    text = explain(spec("fraud"), "html", templates=tmp_path)
    assert text.startswith("<!DOCTYPE html>")


def test_user_template_may_include_its_own_files(tmp_path: Path) -> None:
    (tmp_path / "explanation.md.j2").write_text('{% include "title.md.j2" %}', encoding="utf-8")
    (tmp_path / "title.md.j2").write_text("# {{ ctx.title|md }}\n", encoding="utf-8")
    assert explain(spec("empty"), "md", templates=tmp_path) == "# A first sketch\n"


def test_user_html_template_is_autoescaped(tmp_path: Path) -> None:
    (tmp_path / "explanation.html.j2").write_text("<p>{{ ctx.title }}</p>\n", encoding="utf-8")
    text = explain(spec("hostile"), "html", templates=tmp_path)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_one_environment_per_folder_compiles_each_template_once(tmp_path: Path) -> None:
    assert environment() is environment()
    assert environment(tmp_path) is environment(tmp_path) is not environment()
    template = environment().get_template("explanation.md.j2")
    explain(spec("fraud"), "md")
    assert environment().get_template("explanation.md.j2") is template


def test_a_template_edited_between_two_explanations_is_used(tmp_path: Path) -> None:
    path = tmp_path / "explanation.md.j2"
    path.write_text("first: {{ ctx.title|md }}\n", encoding="utf-8")
    assert explain(spec("fraud"), "md", templates=tmp_path).startswith("first:")
    path.write_text("second: {{ ctx.title|md }}\n", encoding="utf-8")
    # An editor's save within the same second as the first write still counts.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert explain(spec("fraud"), "md", templates=tmp_path).startswith("second:")


def test_missing_templates_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="templates folder not found"):
        explain(spec("fraud"), "md", templates=tmp_path / "nope")


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "explanation.md.j2"
    path.write_text("# {{ ctx.title|md }}\n\n{% if ctx.title %}\nno end\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        explain(spec("fraud"), "md", templates=tmp_path)
    message = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}:\d+: error: ", message), message
    assert isinstance(caught.value, MlsdError)


def test_undefined_name_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "explanation.md.j2"
    path.write_text("# {{ ctx.title|md }}\n\n{{ ctx.no_such_part }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        explain(spec("fraud"), "md", templates=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: error: undefined name: "), message
    assert "no_such_part" in message


def test_undefined_name_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "explanation.md.j2").write_text('line\n{% include "part.md.j2" %}\n', encoding="utf-8")
    part = tmp_path / "part.md.j2"
    part.write_text("ok\nok\n{{ nothing_here }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=rf"^{re.escape(str(part))}:3: error: undefined name"):
        explain(spec("fraud"), "md", templates=tmp_path)


def test_runtime_error_in_a_template_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "explanation.md.j2"
    path.write_text("a\n{{ 1 // 0 }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=rf"^{re.escape(str(path))}:2: error: ZeroDivisionError"):
        explain(spec("fraud"), "md", templates=tmp_path)


def test_filter_misuse_is_a_template_error(tmp_path: Path) -> None:
    path = tmp_path / "explanation.md.j2"
    path.write_text("{{ ctx.title|say }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=rf"^{re.escape(str(path))}:1: error: TypeError"):
        explain(spec("fraud"), "md", templates=tmp_path)


def test_template_files_lists_the_user_folder_first(tmp_path: Path) -> None:
    (tmp_path / "explanation.md.j2").write_text("x\n", encoding="utf-8")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "title.md.j2").write_text("y\n", encoding="utf-8")
    files = template_files(tmp_path)
    assert files[:2] == [tmp_path / "explanation.md.j2", tmp_path / "parts" / "title.md.j2"]
    defaults = ["explanation.html.j2", "explanation.md.j2", "index.html.j2", "index.md.j2"]
    assert [p.name for p in files[2:]] == defaults
    assert [p.name for p in template_files()] == defaults
