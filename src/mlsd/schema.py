"""The JSON Schema of the spec format, generated from the model."""

from __future__ import annotations

import json

from mlsd.model import Spec

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


def spec_schema() -> dict:
    """The JSON Schema (draft 2020-12) that editors use to check specs."""
    schema = Spec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    # `id` has a default (the file's stem) that the schema cannot express.
    schema["required"] = [name for name in schema.get("required", []) if name != "id"]
    defs = schema["$defs"]
    # The model reads a bare name as {name: ...}; the schema must accept both spellings.
    for group in ("business", "offline", "online", "guardrail"):
        _or_text(defs["Metrics"]["properties"][group])
    _or_text(schema["properties"]["features"])
    flow_items = schema["properties"]["flows"]["items"]
    flow_items.pop("discriminator", None)
    flow_items.setdefault("oneOf", flow_items.pop("anyOf", []))
    flow_items["anyOf"] = flow_items.pop("oneOf") + [_FLOW_PAIR]
    return schema


def _or_text(array_schema: dict) -> None:
    item = array_schema["items"]
    array_schema["items"] = {"anyOf": [_TEXT, item]}


def schema_text() -> str:
    """The schema as stable, pretty-printed JSON ending in a newline."""
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"
