"""Turn pydantic's validation errors into located messages a spec author can act on."""

from __future__ import annotations

import re
import typing

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from mlsd.catalogue import kinds_meant
from mlsd.errors import Problem
from mlsd.model import Spec
from mlsd.positions import Map, locate
from mlsd.suggest import bad_id, did_you_mean, suggestion

_NOUNS = {
    "components": "component",
    "groups": "group",
    "views": "view",
}
_ORDINAL_LISTS = {"flows": "flow", "steps": "step"}


def problems_from(error: ValidationError, tree: Map) -> list[Problem]:
    """One problem per pydantic error, located in the YAML tree."""
    problems = []
    by_place: dict[tuple, list[ErrorDetails]] = {}
    errors = error.errors(include_url=False)
    pairs = _renamed_keys(errors)
    paired = {id(item) for pair in pairs for item in pair}
    for unknown, missing in pairs:
        # `type: client` for `kind: client`: one problem, not "unknown 'type'" and "missing 'kind'".
        key, field = _clean(tuple(unknown["loc"])), _clean(tuple(missing["loc"]))
        where = locate(tree, tuple(unknown["loc"]), at_key=True)
        message = f"unknown key '{key[-1]}' {describe_place(key[:-1])}; did you mean '{field[-1]}'? (it is required)"
        problems.append(Problem(where, message))
    for item in errors:
        if id(item) in paired:
            continue
        by_place.setdefault(_clean(tuple(item["loc"])), []).append(item)
    for loc, items in by_place.items():
        type_errors = [i for i in items if i["type"] in _EXPECTED]
        if len(type_errors) > 1:
            # A union (number or text, say) reports once per member; say it once.
            expected = " or ".join(dict.fromkeys(_EXPECTED[i["type"]] for i in type_errors))
            where = locate(tree, tuple(type_errors[0]["loc"]))
            message = f"{_subject(loc)} must be {expected}, found {_found(type_errors[0].get('input'))}"
            problems.append(Problem(where, message))
            items = [i for i in items if i not in type_errors]
        for item in items:
            full = tuple(item["loc"])
            kind = item["type"]
            if kind == "missing":
                where = locate(tree, full[:-1], at_key=True)
            else:
                where = locate(tree, full, at_key=kind == "extra_forbidden")
            problems.append(Problem(where, _message(item, loc)))
    return problems


def _renamed_keys(errors: list[ErrorDetails]) -> list[tuple[ErrorDetails, ErrorDetails]]:
    """(unknown key, missing key) pairs of the mappings that have exactly one of each."""
    unknown: dict[tuple, list[ErrorDetails]] = {}
    missing: dict[tuple, list[ErrorDetails]] = {}
    for item in errors:
        holder = {"extra_forbidden": unknown, "missing": missing}.get(item["type"])
        if holder is not None:
            holder.setdefault(tuple(item["loc"])[:-1], []).append(item)
    return [
        (found[0], missing[place][0])
        for place, found in unknown.items()
        if len(found) == 1 and len(missing.get(place, [])) == 1
    ]


_EXPECTED = {
    "string_type": "text",
    "int_type": "a number",
    "float_type": "a number",
    "int_parsing": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def _clean(loc: tuple) -> tuple:
    """Drop the union tags pydantic adds to locations ('text', 'mapping', 'list[...]')."""
    return tuple(
        part
        for part in loc
        if isinstance(part, int) or not re.match(r"^(text|mapping|str|int|float|list\[.*|function-.*)$", part)
    )


def describe_place(loc: tuple) -> str:
    """Where in the spec a location is, in words: "component 'scorer'", "flow 3"."""
    if not loc:
        return "at the top level"
    head = loc[0]
    if head in _NOUNS and len(loc) >= 2:
        return f"in {_NOUNS[head]} '{loc[1]}'"
    if head in _ORDINAL_LISTS and len(loc) >= 2 and isinstance(loc[1], int):
        return f"in {_ORDINAL_LISTS[head]} {loc[1] + 1}"
    named = ".".join(str(p) for p in loc if isinstance(p, str))
    if isinstance(loc[-1], int):
        return f"in item {loc[-1] + 1} of '{named}'"
    return f"in '{named}'"


def _subject(loc: tuple) -> str:
    """What a location names, in words: "flow 4", "'latency' in 'requirements'"."""
    if len(loc) == 2 and loc[0] in _ORDINAL_LISTS and isinstance(loc[1], int):
        return f"{_ORDINAL_LISTS[loc[0]]} {loc[1] + 1}"
    if len(loc) == 2 and loc[0] in _NOUNS:
        return f"{_NOUNS[loc[0]]} '{loc[1]}'"
    if loc and isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of {describe_place(loc[:-1])[3:]}"
    if not loc:
        return "the spec"
    place = describe_place(loc[:-1])
    return f"'{loc[-1]}' {place}" if len(loc) > 1 else f"'{loc[-1]}'"


def _found(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_name(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "value"


def _message(item: ErrorDetails, loc: tuple) -> str:
    kind = item["type"]
    value = item.get("input")
    field = _field_name(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = allowed_keys(loc[:-1])
        hint = did_you_mean(key, allowed) or _higher_up(key, loc[:-1])
        if not hint and " " in key.strip():
            # `{label: top 1000, 200}` splits at the comma into a key of its own.
            hint = "; a ',' inside an unquoted value in {...} starts a new key: put that value in quotes"
        if not hint and allowed:
            hint = "; expected one of: " + ", ".join(allowed)
        return f"unknown key '{key}' {describe_place(loc[:-1])}{hint}"
    if kind == "missing":
        return f"missing required key '{field}' {describe_place(loc[:-1])}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'|(\d+)", item.get("ctx", {}).get("expected", ""))
        options = [a or b for a, b in choices]
        if field == "mlsd":
            written = _found(value) if isinstance(value, (bool, str)) else value
            return f"unsupported format version {written}; this mlsd reads 'mlsd: 1'"
        is_component_kind = field == "kind" and bool(loc) and loc[0] == "components"
        meant = kinds_meant(str(value)) if is_component_kind else ()
        hint = suggestion(meant) if meant else did_you_mean(str(value), options)
        if not hint and is_component_kind:
            # 48 kinds on one line help nobody; the command lists them with their roles.
            hint = f"; `mlsd kinds` lists the {len(options)} kinds with what each one does"
        elif not hint:
            hint = "; expected one of: " + ", ".join(options)
        noun = {"kind": "kind" if is_component_kind else "flow kind"}.get(field, field)
        return f"unknown {noun} {_found(value)} {describe_place(loc[:-1])}{hint}"
    if len(loc) == 2 and loc[0] == "flows" and kind in _EXPECTED:
        return (
            f"{_subject(loc)} must be text 'source -> target: label' or a mapping"
            f" {{from, to, label?, kind?}}, found {_found(value)}"
        )
    if kind in _EXPECTED:
        quote = ""
        if kind == "string_type" and isinstance(value, (dict, list)):
            # `- a: b` or `[x]` written as text: YAML read structure into it.
            quote = "; text with ': ', or starting with '[' or '{', must be in quotes"
        return f"{_subject(loc)} must be {_EXPECTED[kind]}, found {_found(value)}{quote}"
    if kind in ("string_too_short", "too_short"):
        return f"{_subject(loc)} must not be empty"
    if kind == "string_pattern_mismatch":
        return bad_id("spec", str(value))
    if kind == "scale_number":
        return f"{_subject(loc)} {item['msg']}"
    if kind == "union_tag_invalid":
        return f"'{field}' {describe_place(loc[:-1])} has an unexpected shape: found {_found(value)}"
    message = item["msg"].removeprefix("Value error, ")
    return f"{message} ({describe_place(loc)})"


def _higher_up(key: str, place: tuple) -> str:
    """A hint when `key` belongs to a mapping that encloses `place`: the line is indented too far."""
    for depth in range(len(place) - 1, -1, -1):
        if key in allowed_keys(place[:depth]):
            owner = "the top level" if depth == 0 else f"'{'.'.join(str(p) for p in place[:depth])}'"
            return f"; '{key}' is a key of {owner}: indent it as far as the other keys there"
    return ""


def allowed_keys(loc: tuple) -> list[str]:
    """The keys the model accepts at a location, for suggestions."""
    model: object = Spec
    for part in loc:
        model = _child_type(model, part)
        if model is None:
            return []
    for candidate in _unwrap(model):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return [f.alias or name for name, f in candidate.model_fields.items()]
    return []


def _child_type(annotation: object, part: object) -> object | None:
    """The type found one step down `annotation` along a location part."""
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
            for name, info in candidate.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
        origin = typing.get_origin(candidate)
        if origin is list and isinstance(part, int):
            return typing.get_args(candidate)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(candidate)[1]
    return None


def _unwrap(annotation: object) -> list[object]:
    """Flatten Optional, Union and Annotated into the plain candidate types."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def misplaced_keys(data: dict[str, object], tree: Map) -> list[Problem]:
    """Warnings: a key of `requirements` written inside `requirements.scale`.

    Scale takes any name, so an over-indented `latency:` is silently a scale
    value; it is almost always meant one level up.
    """
    requirements = data.get("requirements")
    scale = requirements.get("scale") if isinstance(requirements, dict) else None
    if not isinstance(scale, dict):
        return []
    siblings = set(allowed_keys(("requirements",))) - {"scale"}
    return [
        Problem(
            locate(tree, ("requirements", "scale", key), at_key=True),
            f"'{key}' is a key of 'requirements' but is written inside 'requirements.scale', where it is"
            " read as a scale value; if it is the requirement, indent it as far as 'scale:'",
        )
        for key in scale
        if key in siblings
    ]
