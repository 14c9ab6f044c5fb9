"""What `mlsd check` prints: text grouped by severity, JSON, SARIF 2.1.0, and the exit status."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from types import MappingProxyType
from urllib.parse import quote

from mlsd.model import Spec
from mlsd.review.engine import SEVERITIES, Finding, Rule, SpecReview, fails, review_with
from mlsd.review.rules import RULES
from mlsd.version import __version__

REPORT_FORMATS: tuple[str, ...] = ("text", "json", "sarif")
FAIL_ON: tuple[str, ...] = ("error", "warning", "never")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Where the rule reference is published: SARIF viewers link each rule to its entry there.
PROJECT_URL = "https://github.com/mlsd-dev/mlsd"
RULES_DOC_URL = PROJECT_URL + "/blob/main/docs/rules.md"
_SARIF_LEVEL: Mapping[str, str] = MappingProxyType({"error": "error", "warning": "warning", "info": "note"})
_PLURAL: Mapping[str, str] = MappingProxyType({"error": "errors", "warning": "warnings", "info": "info"})


def review_spec(spec: Spec) -> SpecReview:
    """Review one spec with every rule."""
    return review_with(RULES, spec)


def run_check(specs: Sequence[Spec], fmt: str = "text", fail_on: str = "error") -> tuple[str, int]:
    """Review `specs`; the report in `fmt` (text, json or sarif) and the exit status.

    The status is 1 when a finding that was not silenced is at or above
    `fail_on` (error, warning; never means always 0), else 0.
    """
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    reviews = [review_spec(spec) for spec in specs]
    render = {"text": text_report, "json": json_report, "sarif": sarif_report}[fmt]
    every = [f for r in reviews for f in r.findings]
    return render(reviews), int(fails(every, fail_on))


def review_summary(spec: Spec) -> list[dict[str, object]]:
    """The findings of one spec as plain data, for the explanation's "review" section.

    Each item has rule, severity, section, message, file, line, column,
    components, fix and ignored (the spec's reason, or None). Findings that
    count come first, most severe first; silenced ones follow.
    """
    review = review_spec(spec)
    return [
        {
            "rule": f.rule,
            "severity": f.severity,
            "section": f.section,
            "message": f.message,
            "file": f.location.file,
            "line": f.location.line,
            "column": f.location.column,
            "components": list(f.components),
            "fix": _rule(f.rule).fix,
            "ignored": f.ignored,
        }
        for f in review.counted + review.ignored
    ]


# ---------------------------------------------------------------- text


def text_report(reviews: Sequence[SpecReview]) -> str:
    """Findings per spec, grouped by severity, with a score per framework section."""
    blocks = [_text_block(review) for review in reviews]
    counted = [f for r in reviews for f in r.counted]
    ignored = sum(len(r.ignored) for r in reviews)
    tally = ", ".join(
        f"{n} {_PLURAL[s] if n != 1 or s == 'info' else s}"
        for s in SEVERITIES
        for n in [sum(f.severity == s for f in counted)]
    )
    noun = "spec" if len(reviews) == 1 else "specs"
    blocks.append(f"{len(reviews)} {noun} checked: {tally}, {ignored} ignored")
    report = "\n\n".join(blocks)
    # Spec text quoted in the report must not drive the terminal (escape sequences).
    return "".join(c if c.isprintable() or c == "\n" else "\ufffd" for c in report)


def _text_block(review: SpecReview) -> str:
    spec = review.spec
    lines = [f"{spec.source.shown} — {spec.title}"]
    hinted: set[str] = set()
    for severity in SEVERITIES:
        group = [f for f in review.counted if f.severity == severity]
        if not group:
            continue
        lines.append(f"  {_PLURAL[severity]} ({len(group)})")
        for finding in group:
            lines.append(f"    {finding.location}: {finding.message} [{finding.rule}]")
            if finding.rule not in hinted:  # one hint per rule is enough
                hinted.add(finding.rule)
                lines.append(f"      fix: {_rule(finding.rule).fix}")
    if review.ignored:
        lines.append(f"  ignored ({len(review.ignored)})")
        for finding in review.ignored:
            lines.append(f"    {finding.location}: [{finding.rule}] {finding.message}")
            lines.append(f"      reason: {finding.ignored}")
    if not review.counted:
        lines.append("  no findings")
    lines += _score_lines([f"{s.section} {s.passed}/{s.total} {'✓' if s.complete else '✗'}" for s in review.scores])
    return "\n".join(lines)


def _score_lines(items: list[str], width: int = 88) -> list[str]:
    """'  score: a · b · c' packed into lines of at most `width` characters."""
    lines: list[str] = []
    current = "  score: "
    for item in items:
        if current.strip() != "score:" and len(current) + len(" · ") + len(item) > width:
            lines.append(current)
            current = "         " + item
        elif current.strip() == "score:":
            current += item
        else:
            current += " · " + item
    return [*lines, current]


def _rule(slug: str) -> Rule:
    return next(r for r in RULES if r.slug == slug)


# ---------------------------------------------------------------- json


def finding_dict(spec: Spec, finding: Finding) -> dict[str, object]:
    """The JSON shape of one finding (the `check -f json` contract, plus spec, section, fix)."""
    data: dict[str, object] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "file": finding.location.file,
        "line": finding.location.line,
        "column": finding.location.column,
        "components": list(finding.components),
        "spec": spec.id,
        "section": finding.section,
        "fix": _rule(finding.rule).fix,
    }
    if finding.ignored is not None:
        data["reason"] = finding.ignored
    return data


def json_report(reviews: Sequence[SpecReview]) -> str:
    """`{"findings": [...], "ignored": [...]}`: silenced findings are listed apart, with their reason."""
    document = {
        "findings": [finding_dict(r.spec, f) for r in reviews for f in r.counted],
        "ignored": [finding_dict(r.spec, f) for r in reviews for f in r.ignored],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------- sarif


def sarif_report(reviews: Sequence[SpecReview]) -> str:
    """A SARIF 2.1.0 log with one run; silenced findings carry an in-source suppression."""
    index = {rule.slug: i for i, rule in enumerate(RULES)}
    results = []
    for review in reviews:
        for finding in review.findings:
            result: dict[str, object] = {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": file_uri(finding.location.file)},
                            "region": {
                                "startLine": finding.location.line,
                                "startColumn": finding.location.column,
                            },
                        },
                    }
                ],
                "properties": {"components": list(finding.components), "spec": review.spec.id},
            }
            if finding.ignored is not None:
                result["suppressions"] = [{"kind": "inSource", "justification": finding.ignored}]
            results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlsd",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_sarif_rule(rule) for rule in RULES],
                    },
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def _sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.slug,
        "name": "".join(part.capitalize() for part in rule.slug.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.fix, "markdown": rule.fix},
        "helpUri": f"{RULES_DOC_URL}#{rule.slug}",
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": list(rule.sections) or ["review"]},
    }


def file_uri(path: str) -> str:
    """A URI reference for a file as mlsd shows it: relative stays relative, absolute becomes file://."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix())
    return quote(re.sub(r"\\", "/", str(pure)))
