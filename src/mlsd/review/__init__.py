"""`mlsd check`: the ML system design rubric as lint rules.

    from mlsd.review import run_check, review_spec, review_summary
    text, status = run_check(specs, fmt="json", fail_on="warning")

`RULES` is the rule table (an immutable tuple, in the order rules run); each
`Rule` has a stable slug, a severity, its framework section(s), a rationale, a
fix hint and a check function. `review_spec` runs them all on one spec and
applies its `review.ignore`.
"""

from __future__ import annotations

from mlsd.review.docs import list_rules_text, rules_markdown
from mlsd.review.engine import (
    SEVERITIES,
    Finding,
    Hit,
    Rule,
    SectionScore,
    SpecReview,
    fails,
    review_with,
)
from mlsd.review.report import (
    FAIL_ON,
    REPORT_FORMATS,
    json_report,
    review_spec,
    review_summary,
    run_check,
    sarif_report,
    text_report,
)
from mlsd.review.rules import RULES, rule

__all__ = [
    "FAIL_ON",
    "REPORT_FORMATS",
    "RULES",
    "SEVERITIES",
    "Finding",
    "Hit",
    "Rule",
    "SectionScore",
    "SpecReview",
    "fails",
    "json_report",
    "list_rules_text",
    "review_spec",
    "review_summary",
    "review_with",
    "rule",
    "rules_markdown",
    "run_check",
    "sarif_report",
    "text_report",
]
