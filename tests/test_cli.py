"""The command line contract (CLI.md) for the foundation: validate, schema, kinds, new."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from mlsd import __version__
from mlsd.catalogue import FLOW_KINDS, KINDS
from mlsd.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path(__file__).parent / "load" / "valid" / "fraud.yaml"
TEMPLATES = ["blank", "recommendation", "classifier", "rag"]

# The kinds SPEC-FORMAT.md says the catalogue must contain at least.
DOCUMENTED_KINDS = [
    "client",
    "api-gateway",
    "load-balancer",
    "app-service",
    "data-source",
    "object-store",
    "event-stream",
    "stream-processor",
    "batch-etl",
    "data-lake",
    "data-warehouse",
    "data-validation",
    "labeling",
    "label-store",
    "graph-store",
    "document-parser",
    "chunker",
    "feature-pipeline",
    "feature-store-offline",
    "feature-store-online",
    "embedding-service",
    "orchestrator",
    "training-cluster",
    "hpo",
    "experiment-tracking",
    "model-registry",
    "evaluation-gate",
    "model-compression",
    "llm-eval",
    "inference-server",
    "batch-scoring",
    "vector-index",
    "search-index",
    "candidate-generation",
    "ranking-service",
    "reranker",
    "rules-engine",
    "cache",
    "prediction-store",
    "ab-testing",
    "prompt-builder",
    "guardrails",
    "llm-gateway",
    "llm",
    "monitoring",
    "drift-detection",
    "logging",
    "human-review",
]

BROKEN = """\
mlsd: 1
title: Broken
components:
  app: {kind: clent}
flows:
  - app -> nowhere
"""


def run(*args: str | Path) -> Result:
    """Invoke the CLI; never a traceback, whatever happens."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / "fraud.yaml"))


# --- global options -------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mlsd, version {__version__}\n"
    assert run("-V").stdout == result.stdout


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_the_commands(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage:")
    for command in ("validate", "schema", "kinds", "new"):
        assert command in result.stdout


def test_no_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.exit_code == 2
    assert "no-such-command" in result.stderr


def test_module_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "mlsd", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"mlsd, version {__version__}"


# --- validate ----------------------------------------------------------------------------------


def test_validate_valid_file(example: Path) -> None:
    result = run("validate", example)
    assert result.exit_code == 0
    assert result.stdout == "1 spec valid\n"
    assert result.stderr == ""


def test_validate_folder_is_recursive_and_skips_underscore_files(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.yaml")
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(EXAMPLE, tmp_path / "nested" / "deeper" / "b.yaml")
    (tmp_path / "_draft.yaml").write_text(BROKEN)
    (tmp_path / "nested" / "_wip.yaml").write_text(BROKEN)
    (tmp_path / "notes.txt").write_text(BROKEN)
    result = run("validate", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2 specs valid\n"


def test_validate_folder_reports_nested_invalid_spec(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.yaml")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "bad.yaml").write_text(BROKEN)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert str(tmp_path / "nested" / "bad.yaml") + ":4:" in result.stderr
    assert result.stderr.rstrip("\n").endswith("1 of 2 specs invalid, 2 errors")


def test_validate_invalid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(BROKEN)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "bad.yaml:4:15: error: unknown kind 'clent' in component 'app'; did you mean 'client'?",
        "bad.yaml:6:12: error: flow 1 names unknown component 'nowhere'; known components: app",
        "1 of 1 spec invalid, 2 errors",
    ]


def test_validate_several_files_reports_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(BROKEN)
    (tmp_path / "empty.yaml").write_text("")
    shutil.copy(EXAMPLE, tmp_path / "good.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "bad.yaml", "empty.yaml", "good.yaml")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["bad.yaml", "bad.yaml", "empty.yaml"]
    assert lines[-1] == "2 of 3 specs invalid, 3 errors"


def test_validate_json_on_invalid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(BROKEN)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "-f", "json", "bad.yaml")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document) == ["errors"]
    assert document["errors"] == [
        {
            "file": "bad.yaml",
            "line": 4,
            "column": 15,
            "message": "unknown kind 'clent' in component 'app'; did you mean 'client'?",
        },
        {
            "file": "bad.yaml",
            "line": 6,
            "column": 12,
            "message": "flow 1 names unknown component 'nowhere'; known components: app",
        },
    ]
    for error in document["errors"]:
        assert list(error) == ["file", "line", "column", "message"]


def test_validate_json_on_valid_file(example: Path) -> None:
    result = run("validate", "--format", "json", example)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"errors": []}


def test_validate_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nowhere.yaml")
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.stderr


def test_validate_without_arguments_is_a_usage_error() -> None:
    assert run("validate").exit_code == 2


def test_validate_unknown_format_is_a_usage_error(example: Path) -> None:
    assert run("validate", "-f", "xml", example).exit_code == 2


def test_internal_error_is_one_line_and_exit_70(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.load

    def explode(path: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mlsd.load, "load_spec", explode)
    result = run("validate", example)
    assert result.exit_code == 70
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("mlsd: internal error: RuntimeError: boom")
    # No address that does not exist: whom to tell, and with what.
    assert "report it to the mlsd maintainers with this message" in lines[0]
    assert "http" not in lines[0]


# --- schema ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict:
    result = run("schema")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_schema_is_a_valid_json_schema(schema: dict) -> None:
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


MINIMAL = {"mlsd": 1, "title": "T", "components": {"app": {"kind": "client"}}}


def test_schema_accepts_the_example(schema: dict) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_schema_accepts_the_long_forms(schema: dict) -> None:
    data = {
        **MINIMAL,
        "id": "fraud",
        "requirements": {"scale": {"payments_per_day": 400_000_000, "note": "text"}},
        "components": {
            "app": {"kind": "client", "label": "App"},
            "scorer": {"kind": "inference-server", "tech": "triton", "group": "online"},
        },
        "groups": {"online": {"label": "Online"}},
        "metrics": {"offline": [{"name": "PR-AUC", "why": "imbalance"}]},
        "features": [{"name": "amount", "freshness": "request"}],
        "flows": ["app -> scorer: score", {"from": ["app"], "to": "scorer", "kind": "request"}],
        "views": {"serving": {"include": ["app", "scorer"]}},
        "steps": [{"title": "All", "add": ["app", "scorer"]}],
    }
    jsonschema.validate(data, schema)


@pytest.mark.parametrize(
    "change",
    [
        {"flows": [{"app -> app": "label"}]},
        {"metrics": {"offline": ["PR-AUC"]}},
        {"features": ["amount"]},
    ],
    ids=["flow-as-one-key-mapping", "metric-as-text", "feature-as-text"],
)
def test_schema_accepts_the_short_forms(schema: dict, change: dict) -> None:
    jsonschema.validate({**MINIMAL, **change}, schema)


@pytest.mark.parametrize(
    "change",
    [
        {"sumary": "misspelt"},
        {"mlsd": 2},
        {"components": {"app": {"kind": "client", "lable": "App"}}},
        {"components": {"app": {"kind": "feature-stor"}}},
        {"components": {}},
        {"flows": [{"from": "app"}]},
    ],
    ids=[
        "unknown-top-key", "version", "unknown-component-key", "unknown-kind",
        "empty-components", "flow-without-to",
    ],
)  # fmt: skip
def test_schema_rejects_invalid_specs(schema: dict, change: dict) -> None:
    jsonschema.validate(MINIMAL, schema)  # valid before the change, so the change is what fails
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**MINIMAL, **change}, schema)


def test_schema_requires_the_documented_keys(schema: dict) -> None:
    assert set(schema["$defs"]["Spec"]["required"]) == {"mlsd", "title", "components"}


def test_committed_schema_is_up_to_date() -> None:
    committed = ROOT / "specs" / "mlsd.schema.json"
    current = run("schema").stdout
    assert committed.exists(), f"{committed} is missing; run `make schema` to write it"
    assert committed.read_text(encoding="utf-8") == current, (
        "specs/mlsd.schema.json is stale; run `make schema` and commit the result"
    )


# --- kinds ---------------------------------------------------------------------------------------


def test_kinds_text_lists_every_kind() -> None:
    result = run("kinds")
    assert result.exit_code == 0
    words = set(result.stdout.split())
    missing = [name for name in KINDS if name not in words]
    assert not missing
    for flow_kind in FLOW_KINDS:
        assert flow_kind in result.stdout


def test_kinds_text_has_an_icon_column_aligned_across_stages() -> None:
    lines = run("kinds").stdout.splitlines()
    header = next(line for line in lines if line.startswith("KIND"))
    assert header.split() == ["KIND", "STAGE", "ICON", "ROLE"]
    rows = {line.split()[0]: line for line in lines[lines.index(header) + 1 :][: len(KINDS)]}
    assert set(rows) == set(KINDS)
    assert rows["client"].split()[2] == "onprem.client.Users"
    assert rows["api-gateway"].split()[2] == "mlsd:api-gateway.png"
    role_column = header.index("ROLE")
    assert all(line[role_column - 2 : role_column] == "  " and line[role_column] != " " for line in rows.values())


def test_slides_without_output_says_where_the_deck_went(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "tiny.yaml"
    spec.write_text("mlsd: 1\ntitle: Tiny\ncomponents:\n  app: {kind: client}\n  api: {kind: api-gateway}\n"
                    "flows: [app -> api]\n", encoding="utf-8")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = run("slides", spec)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "tiny.pptx").is_file()
    assert "wrote output/tiny.pptx (" in result.stderr
    assert result.stderr.rstrip().endswith("slides) (no -o given: the default is output/<id>.pptx)")
    named = run("slides", spec, "-o", tmp_path / "deck.pptx")
    assert "no -o given" not in named.stderr


def test_catalogue_has_every_documented_kind() -> None:
    assert not [name for name in DOCUMENTED_KINDS if name not in KINDS]


def test_kinds_json() -> None:
    result = run("kinds", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"kinds", "techs", "flow_kinds"} <= set(data)
    assert [k["name"] for k in data["kinds"]] == list(KINDS)
    for kind in data["kinds"]:
        assert {"name", "stage", "role", "icon"} <= set(kind)
        assert kind["role"]
    assert data["flow_kinds"] == list(FLOW_KINDS)
    assert data["techs"] and all(t["name"] for t in data["techs"])
    assert {"kafka", "redis", "triton"} <= {t["name"] for t in data["techs"]}


# --- new -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_new_writes_a_valid_spec(template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "my-design", "-t", template)
    assert result.exit_code == 0, result.stderr
    spec = tmp_path / "my-design.yaml"
    assert spec.is_file()
    assert f"wrote {Path('my-design.yaml')}" in result.stdout
    check = run("validate", spec)
    assert check.exit_code == 0, check.stderr
    assert check.stdout == "1 spec valid\n"
    # A starter is a sketch (the review lists what it still lacks), but never a wrong one.
    review = run("check", spec, "-f", "json")
    assert review.exit_code == 0, review.stdout
    assert not [f for f in json.loads(review.stdout)["findings"] if f["severity"] == "error"]


def test_new_writes_into_an_output_folder(tmp_path: Path) -> None:
    result = run("new", "feed", "--template", "recommendation", "-o", tmp_path / "specs")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "specs" / "feed.yaml").is_file()
    assert run("validate", tmp_path / "specs" / "feed.yaml").exit_code == 0


def test_new_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "mine.yaml"
    spec.write_text("my own work\n")
    result = run("new", "mine")
    assert result.exit_code == 1
    assert "mine.yaml" in result.stderr and "--force" in result.stderr
    assert spec.read_text() == "my own work\n"


def test_new_force_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "mine.yaml"
    spec.write_text("my own work\n")
    result = run("new", "mine", "-t", "rag", "--force")
    assert result.exit_code == 0, result.stderr
    assert spec.read_text() != "my own work\n"
    assert run("validate", spec).exit_code == 0


@pytest.mark.parametrize("name", ["Bad Name", "UPPER", "-leading-dash", "a/b", "dots.in.name"])
def test_new_rejects_an_invalid_name(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "--", name)
    assert result.exit_code == 1
    assert "not a valid" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_rejects_an_unknown_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "x", "-t", "nope")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
