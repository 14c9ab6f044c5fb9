"""The rule reference, generated from the rule table: `--list-rules` and docs/rules.md.

Run `python -m mlsd.review` from the repository root to rewrite
docs/rules.md; a test fails while the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mlsd.review.engine import Rule
from mlsd.review.rules import RULES
from mlsd.vocabulary import REVIEWED_SECTIONS

DOC_PATH = Path("docs") / "rules.md"


def section_label(rule: Rule) -> str:
    """The section(s) a rule belongs to, as a reader sees them."""
    if not rule.sections:
        return "review settings"
    if len(rule.sections) > 1:
        return "every written part"
    return rule.sections[0]


def list_rules_text() -> str:
    """The rules as a plain table for `mlsd check --list-rules`, in the order they run."""
    width = max(len(rule.slug) for rule in RULES)
    sections = max(len(section_label(rule)) for rule in RULES)
    lines = [
        f"{rule.slug:<{width}}  {rule.severity:<7}  {section_label(rule):<{sections}}  {rule.summary}" for rule in RULES
    ]
    lines.append("")
    lines.append(
        'Silence a rule in a spec with `review: {ignore: {SLUG: "reason"}}`; docs/rules.md explains each rule.'
    )
    return "\n".join(lines)


def rules_markdown() -> str:
    """docs/rules.md: every rule with its severity, section, rationale and fix."""
    out = [
        "<!-- Generated from the rule table by mlsd.review.docs.rules_markdown();"
        " do not edit by hand. Refresh with `python -m mlsd.review`. -->",
        "",
        "# `mlsd check` rules",
        "",
        "`mlsd check SPEC...` reviews a design against the ML system design interview "
        "framework: each rule below is one item of the rubric. A finding names the rule, "
        "points at the file, line and column of the component, flow or key involved, and "
        "says how to fix it.",
        "",
        "- **error**: the design is broken in a way an interviewer would not let pass. "
        "`mlsd check` exits 1 when any error remains (`--fail-on error`, the default).",
        "- **warning**: an item interviewers reliably expect is missing or weak. "
        "`--fail-on warning` makes these fail too.",
        "- **info**: worth a sentence in the design; never makes `mlsd check` fail.",
        "",
        "The text report ends each spec with a score per framework section: the number of "
        "the section's rules the spec passes. `-f json` and `-f sarif` give the same findings "
        "for tools; every SARIF rule links to its entry on this page (`helpUri`).",
        "",
        "## How the review reads a design",
        "",
        "- **The wiring, not only the boxes.** The request path runs from the clients through "
        "gateways, app services and the feature computations they call (a feature pipeline that "
        "hands its result straight to a model) to the models. Where no client is drawn, a "
        "scheduler, orchestrator or batch job is a legitimate start. An evaluation gate or an "
        "A/B test counts only where it sits between the registry (or training) and serving, and "
        "a drift detector only where it receives what serving sees.",
        "- **The text as a reader would.** Base rates are read wherever the framing or the data "
        "describe them, in any of the usual forms: `0.1 %`, `1 in 1,000`, `one order in a "
        "thousand`, `1:1000`. Other cues (late labels, adversaries, a random split, click labels, "
        "position-bias handling, an evaluation set) are word lists in mlsd's data, matched at "
        "the start of a word.",
        "- **Findings say why.** A finding quotes the hop or the words that triggered it, so it "
        "can be checked against the spec.",
        "",
        "## Silencing a rule",
        "",
        "A spec can state why a rule does not apply to it:",
        "",
        "```yaml",
        "review:",
        "  ignore:",
        "    no-fallback: nightly batch job; a failed run keeps yesterday's predictions",
        "```",
        "",
        "Silenced findings are not counted, but the report lists them with the reason. "
        "An unknown slug is itself an error (`unknown-ignore`), and an entry that silences "
        "nothing is reported as `unused-ignore`.",
        "",
        "## All rules",
        "",
        "| rule | severity | section | finds |",
        "|---|---|---|---|",
    ]
    out += [f"| [`{r.slug}`](#{r.slug}) | {r.severity} | {section_label(r)} | {_cell(r.summary)} |" for r in RULES]
    for heading, rules in _grouped():
        out += ["", f"## {heading}"]
        for rule in rules:
            out += [
                "",
                f"### {rule.slug}",
                "",
                f"**{rule.severity}** · {section_label(rule)}" + ("" if rule.silenceable else " · cannot be silenced"),
                "",
                rule.summary,
                "",
                f"**Why.** {rule.rationale}",
                "",
                f"**Fix.** {rule.fix}",
            ]
    return "\n".join(out) + "\n"


def _grouped() -> list[tuple[str, list[Rule]]]:
    """Rules under framework-section headings, in framework order, then the rest."""
    groups: list[tuple[str, list[Rule]]] = []
    for section in REVIEWED_SECTIONS:
        members = [r for r in RULES if r.sections == (section,)]
        if members:
            groups.append((section.capitalize(), members))
    spanning = [r for r in RULES if len(r.sections) > 1]
    if spanning:
        groups.append(("Every part of the framework", spanning))
    settings = [r for r in RULES if not r.sections]
    if settings:
        groups.append(("Review settings", settings))
    return groups


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    """Write the rule reference to the given path (default docs/rules.md)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DOC_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {path}")
    return 0
