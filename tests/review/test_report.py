"""The three output formats, the explanation summary, --list-rules and docs/rules.md."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mlsd.review import RULES, list_rules_text, review_summary, rules_markdown, run_check
from mlsd.review.report import file_uri

from .conftest import Variant

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
CONTRACT_FIELDS = {"rule", "severity", "message", "file", "line", "column", "components"}

# Errors, warnings and info at once, plus one silenced finding.
MIXED = """\
components: {metrics: null, spare: {kind: cache}}
features: null
scaling: null
metrics: {guardrail: null}
review: {ignore: {no-guardrail-metrics: the A/B platform adds its own guardrails}}
"""


# ---------------------------------------------------------------- text


def test_text_groups_by_severity_and_scores_sections(variant: Variant) -> None:
    text, status = run_check([variant(MIXED)], "text")
    assert status == 1
    headings = [line.strip() for line in text.splitlines() if line.startswith("  ") and not line.startswith("    ")]
    assert headings[:4] == ["errors (1)", "warnings (1)", "info (2)", "ignored (1)"]
    assert "[no-monitoring]" in text and "fix: Add a `monitoring` component" in text
    assert "reason: the A/B platform adds its own guardrails" in text
    assert "monitoring 5/6 ✗" in text
    assert "metrics 5/5 ✓" in text  # the silenced rule passes
    assert text.splitlines()[-1] == "1 spec checked: 1 error, 1 warning, 2 info, 1 ignored"


def test_text_lines_are_editor_friendly(variant: Variant) -> None:
    spec = variant(MIXED)
    text, _ = run_check([spec], "text")
    line = next(li for li in text.splitlines() if "[orphan-component]" in li)
    location, _, _ = line.strip().partition(": ")
    file, row, column = location.rsplit(":", 2)
    assert Path(file).name == "variant.yaml" and int(row) > 0 and int(column) > 0


def test_text_for_a_clean_spec(variant: Variant) -> None:
    text, status = run_check([variant()], "text")
    assert status == 0
    assert "no findings" in text
    assert text.endswith("1 spec checked: 0 errors, 0 warnings, 0 info, 0 ignored")


# ---------------------------------------------------------------- json


def test_json_shape(variant: Variant) -> None:
    text, _ = run_check([variant(MIXED)], "json")
    document = json.loads(text)
    assert set(document) == {"findings", "ignored"}
    assert document["findings"]
    for item in document["findings"] + document["ignored"]:
        assert set(item) >= CONTRACT_FIELDS
        assert item["severity"] in ("error", "warning", "info")
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert isinstance(item["components"], list)
        assert item["rule"] in {r.slug for r in RULES}
    assert "no-guardrail-metrics" not in {f["rule"] for f in document["findings"]}
    (ignored,) = document["ignored"]
    assert ignored["rule"] == "no-guardrail-metrics"
    assert ignored["reason"] == "the A/B platform adds its own guardrails"
    orphan = next(f for f in document["findings"] if f["rule"] == "orphan-component")
    assert orphan["components"] == ["spare"] and orphan["spec"] == "variant"


def test_json_for_a_clean_spec(variant: Variant) -> None:
    assert json.loads(run_check([variant()], "json")[0]) == {"findings": [], "ignored": []}


# ---------------------------------------------------------------- sarif


def sarif_of(variant: Variant) -> dict:
    return json.loads(run_check([variant(MIXED)], "sarif")[0])


def test_sarif_validates_against_the_official_schema(variant: Variant) -> None:
    # The OASIS SARIF 2.1.0 schema (errata 01), stored in tests/review/data.
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(sarif_of(variant)), key=str)
    assert not errors, errors[0]


def test_sarif_structure(variant: Variant) -> None:
    log = sarif_of(variant)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mlsd"
    assert [r["id"] for r in driver["rules"]] == [r.slug for r in RULES]
    assert driver["informationUri"].startswith("https://")
    for descriptor in driver["rules"]:
        assert descriptor["helpUri"].endswith("/docs/rules.md#" + descriptor["id"])
        assert descriptor["shortDescription"]["text"]
        assert descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["no-monitoring"] == "error"
    assert levels["orphan-component"] == "warning"
    assert levels["missing-framework-part"] == "note"
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    (suppressed,) = [r for r in run["results"] if "suppressions" in r]
    assert suppressed["ruleId"] == "no-guardrail-metrics"
    assert suppressed["suppressions"] == [
        {"kind": "inSource", "justification": "the A/B platform adds its own guardrails"}
    ]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("specs/fraud.yaml", "specs/fraud.yaml"),
        ("my specs/fraud #2.yaml", "my%20specs/fraud%20%232.yaml"),
        ("/abs/path/x.yaml", "file:///abs/path/x.yaml"),
    ],
)
def test_file_uri(path: str, uri: str) -> None:
    assert file_uri(path) == uri


# ---------------------------------------------------------------- explanation summary


def test_review_summary_is_plain_data(variant: Variant) -> None:
    summary = review_summary(variant(MIXED))
    json.dumps(summary)  # plain data only
    assert [item["severity"] for item in summary if item["ignored"] is None] == [
        "error",
        "warning",
        "info",
        "info",
    ]
    assert summary[-1]["rule"] == "no-guardrail-metrics"
    assert summary[-1]["ignored"] == "the A/B platform adds its own guardrails"
    assert set(summary[0]) == {
        "rule", "severity", "section", "message", "file", "line", "column", "components", "fix", "ignored",
    }  # fmt: skip


def test_review_summary_of_a_clean_spec(variant: Variant) -> None:
    assert review_summary(variant()) == []


# ---------------------------------------------------------------- rule reference


def test_list_rules_names_every_rule() -> None:
    text = list_rules_text()
    lines = text.splitlines()
    for item in RULES:
        line = next(li for li in lines if li.startswith(item.slug + " "))
        assert item.severity in line and item.summary in line


def test_docs_rules_md_is_current(update_golden: bool) -> None:
    path = ROOT / "docs" / "rules.md"
    expected = rules_markdown()
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(expected, encoding="utf-8")
    assert path.is_file(), "docs/rules.md is missing; run `python -m mlsd.review`"
    assert path.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale; run `python -m mlsd.review` (or pytest --update-golden)"
    )


def test_docs_cover_every_rule() -> None:
    text = rules_markdown()
    for item in RULES:
        assert f"\n### {item.slug}\n" in text
        assert item.rationale in text and item.fix in text


def test_every_sarif_help_uri_points_at_a_rule_entry_in_docs_rules_md(variant: Variant) -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    driver = sarif_of(variant)["runs"][0]["tool"]["driver"]
    for descriptor in driver["rules"]:
        anchor = descriptor["helpUri"].rsplit("#", 1)[1]
        assert f"\n### {anchor}\n" in doc
