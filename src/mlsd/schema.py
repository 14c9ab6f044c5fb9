"""The JSON Schema of the spec format, generated from the model.

It accepts what `mlsd validate` accepts, as an editor reads the file (YAML 1.2):
a spec, or a variant that `extends` a base. A variant is checked as an
overlay: every key is optional, a component may change one field without its
`kind`, and `null` removes what the base defined. Whether the merged design is
valid depends on the base, which a schema cannot see; `mlsd validate` checks it.
"""

from __future__ import annotations

import copy
import json
from typing import cast

from mlsd.model import MAX_COMPONENTS, MAX_GROUPS, MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_SCALE, Spec

_TEXT = {"type": "string", "minLength": 1}
# `- a -> b: label` is, to YAML, a mapping with one key: the chain.
_FLOW_PAIR = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "propertyNames": {"pattern": "->"},
    "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
    "description": "a -> b -> c: label",
}
_NULL = {"type": "null"}
_DEFS = "#/$defs/"


def spec_schema() -> dict:
    """The JSON Schema (draft 2020-12) that editors use to check specs and variants."""
    spec = Spec.model_json_schema(by_alias=True)
    defs = spec.pop("$defs")
    # `id` has a default (the file's stem) that the schema cannot express.
    spec["required"] = [name for name in spec.get("required", []) if name != "id"]
    # The model reads a bare name as {name: ...}; the schema must accept both spellings.
    for group in ("business", "offline", "online", "guardrail"):
        _or_text(defs["Metrics"]["properties"][group])
    _or_text(spec["properties"]["features"])
    flow_items = spec["properties"]["flows"]["items"]
    flow_items.pop("discriminator", None)
    flow_items.setdefault("oneOf", flow_items.pop("anyOf", []))
    flow_items["anyOf"] = flow_items.pop("oneOf") + [_FLOW_PAIR]
    spec_title = spec.pop("title")
    schema_id = spec.pop("$id")
    description = spec.pop("description", None)
    # Text fields take numbers too (`tech: 017` is the text '17'), as the model does.
    spec, defs = _numbers_as_text(spec), {name: _numbers_as_text(d) for name, d in defs.items()}
    _add_limits(spec, defs)
    overlay_defs: dict[str, dict] = {}
    overlay = _overlay(spec, defs, overlay_defs)
    overlay["required"] = ["mlsd", "extends"]
    overlay["description"] = "A variant: applied on top of the spec it extends; null removes a key of the base."
    spec["description"] = description
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": spec_title,
        "description": "An mlsd spec, or a variant that extends one (docs/spec-format.md).",
        "$defs": {**defs, **overlay_defs, "Spec": spec, "Variant": overlay},
        "if": {"type": "object", "required": ["extends"], "properties": {"extends": {"type": "string"}}},
        "then": {"$ref": f"{_DEFS}Variant"},
        "else": {"$ref": f"{_DEFS}Spec"},
    }


def _or_text(array_schema: dict) -> None:
    item = array_schema["items"]
    array_schema["items"] = {"anyOf": [_TEXT, item]}


def _add_limits(spec: dict, defs: dict) -> None:
    """The limits the loader states (mlsd.load.limits), where a schema can say them."""
    names = {"pattern": spec["properties"]["id"]["pattern"], "maxLength": MAX_ID_LENGTH}
    spec["properties"]["id"]["maxLength"] = MAX_ID_LENGTH
    for key, most in (("components", MAX_COMPONENTS), ("groups", MAX_GROUPS), ("views", None)):
        spec["properties"][key]["propertyNames"] = dict(names)
        if most is not None:
            spec["properties"][key]["maxProperties"] = most
    spec["properties"]["title"]["maxLength"] = MAX_LABEL_LENGTH
    for name, key in (("Component", "label"), ("Component", "tech"), ("Group", "label"), ("View", "title")):
        for option in defs[name]["properties"][key]["anyOf"]:
            if "string" in option.get("type", ()):
                option["maxLength"] = MAX_LABEL_LENGTH
    scale = defs["Requirements"]["properties"]["scale"]
    scale["additionalProperties"] = {
        "anyOf": [{"type": "number", "minimum": 0, "maximum": MAX_SCALE}, {"type": "string"}]
    }


def _numbers_as_text(node: dict) -> dict:
    return cast(dict, _numbers_in(node))


def _numbers_in(node: object) -> object:
    if isinstance(node, list):
        return [_numbers_in(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _numbers_in(value) for key, value in node.items()}
    if result.get("type") == "string" and "enum" not in result and "const" not in result:
        result["type"] = ["string", "number"]
    return result


def _overlay(node: dict, defs: dict, made: dict) -> dict:
    """`node` as a variant may write it: mappings merge key by key, so nothing in them is required."""
    if "$ref" in node:
        name = node["$ref"].removeprefix(_DEFS)
        overlay_name = f"{name}Overlay"
        if overlay_name not in made:
            made[overlay_name] = {}  # a placeholder, so a recursive definition terminates
            made[overlay_name] = _overlay(defs[name], defs, made)
        return {**{k: v for k, v in node.items() if k != "$ref"}, "$ref": f"{_DEFS}{overlay_name}"}
    result = copy.deepcopy(node)
    if "anyOf" in result:
        result["anyOf"] = [_overlay(option, defs, made) for option in result["anyOf"]]
    if result.get("type") != "object":
        return result  # a list or a value replaces the base's whole
    result.pop("required", None)
    result.pop("minProperties", None)
    for key, value in result.get("properties", {}).items():
        result["properties"][key] = _nullable(_overlay(value, defs, made))
    extra = result.get("additionalProperties")
    if isinstance(extra, dict):
        result["additionalProperties"] = _nullable(_overlay(extra, defs, made))
    return result


def _nullable(node: dict) -> dict:
    """`node`, or null: in a variant, null removes the key from the base."""
    options = node.get("anyOf")
    if isinstance(options, list):
        if _NULL not in options:
            node = {**node, "anyOf": [*options, _NULL]}
        return node
    return {"anyOf": [node, _NULL]}


def schema_text() -> str:
    """The schema as stable, pretty-printed JSON ending in a newline."""
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"
