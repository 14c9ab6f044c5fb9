"""The JSON Schema of the spec format, generated from the model."""

from __future__ import annotations

import json

from mlsd.model import Spec


def spec_schema() -> dict:
    """The JSON Schema (draft 2020-12) that editors use to check specs."""
    schema = Spec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    # `id` has a default (the file's stem) that the schema cannot express.
    schema["required"] = [name for name in schema.get("required", []) if name != "id"]
    return schema


def schema_text() -> str:
    """The schema as stable, pretty-printed JSON ending in a newline."""
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"
