"""The rule engine: what a rule is, what it finds, and how a spec is reviewed.

A rule is a frozen value with a `detect` function that looks at a spec and
returns `Hit`s (message, place, components). `Rule.check` stamps them with the
rule's slug, severity and section, which keeps those facts in one place: the
rule's definition. Reviewing a spec runs every rule in the order of the rule
table, applies the spec's `review.ignore` and scores each framework section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from mlsd.errors import Location
from mlsd.model import Spec
from mlsd.vocabulary import REVIEWED_SECTIONS

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")  # most severe first

# The sections a spec writes as top-level keys; the architecture is `components`
# and `flows`, which the format requires.
WRITTEN_PARTS: tuple[str, ...] = tuple(s for s in REVIEWED_SECTIONS if s != "architecture")


@dataclass(frozen=True)
class Hit:
    """What a rule's detector reports: a message, where, and the components involved."""

    message: str
    where: Location
    components: tuple[str, ...] = ()
    section: str | None = None  # only for rules that cover several sections


@dataclass(frozen=True)
class Finding:
    """One problem a rule found in one spec."""

    rule: str
    severity: Severity
    section: str | None
    message: str
    location: Location
    components: tuple[str, ...] = ()
    ignored: str | None = None  # the spec's stated reason, when it silenced this rule

    @property
    def counted(self) -> bool:
        """True unless the spec silenced this finding."""
        return self.ignored is None

    def sort_key(self) -> tuple[object, ...]:
        """By location, the order editors expect; ties keep the rule table's order (sorts are stable)."""
        return (self.location.file, self.location.line, self.location.column)


@dataclass(frozen=True)
class Rule:
    """One rubric item as a lint rule."""

    slug: str
    severity: Severity
    sections: tuple[str, ...]  # one section, except for rules about the framework as a whole
    summary: str  # one line: what the finding means
    rationale: str  # one paragraph: why an interviewer cares
    fix: str  # one or two sentences: how to resolve it
    detect: Callable[[Spec], Sequence[Hit]] = field(repr=False, compare=False)
    silenceable: bool = True  # review-setting rules cannot silence themselves

    def check(self, spec: Spec) -> list[Finding]:
        """The findings of this rule on `spec`, before `review.ignore` is applied."""
        section = self.sections[0] if len(self.sections) == 1 else None
        return [
            Finding(
                self.slug,
                self.severity,
                hit.section or section,
                hit.message,
                hit.where,
                hit.components,
            )
            for hit in self.detect(spec)
        ]


@dataclass(frozen=True)
class SectionScore:
    """How many of a section's checks a spec passes."""

    section: str
    passed: int
    total: int

    @property
    def complete(self) -> bool:
        return self.passed == self.total


@dataclass(frozen=True)
class SpecReview:
    """Every finding of one spec, silenced ones included, and its section scores."""

    spec: Spec
    findings: tuple[Finding, ...]
    scores: tuple[SectionScore, ...]

    @property
    def counted(self) -> tuple[Finding, ...]:
        """Findings that count (not silenced), most severe first, then by location."""
        return tuple(f for f in self.findings if f.counted)

    @property
    def ignored(self) -> tuple[Finding, ...]:
        """Findings the spec silenced, with their reasons."""
        return tuple(f for f in self.findings if not f.counted)


def review_with(rules: Sequence[Rule], spec: Spec) -> SpecReview:
    """Run `rules` on `spec`, apply `review.ignore` and score the sections."""
    ignore = spec.review.ignore
    findings: list[Finding] = []
    for rule in rules:
        for finding in rule.check(spec):
            reason = ignore.get(rule.slug) if rule.silenceable else None
            findings.append(replace(finding, ignored=reason) if reason else finding)
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (rank[f.severity], *f.sort_key()))
    return SpecReview(spec, tuple(findings), _scores(rules, findings))


def _scores(rules: Sequence[Rule], findings: list[Finding]) -> tuple[SectionScore, ...]:
    # A check is one (rule, section) pair; it passes when no counted finding
    # of that rule is in that section. Silenced findings pass: the spec gave
    # a reason.
    failed = {(f.rule, f.section) for f in findings if f.counted}
    scores = []
    for section in REVIEWED_SECTIONS:
        checks = [rule.slug for rule in rules if section in rule.sections]
        if checks:
            passed = sum((slug, section) not in failed for slug in checks)
            scores.append(SectionScore(section, passed, len(checks)))
    return tuple(scores)


def fails(findings: Sequence[Finding], fail_on: str) -> bool:
    """True when a counted finding is at or above `fail_on` (error, warning or never)."""
    if fail_on == "never":
        return False
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be error, warning or never, not {fail_on!r}")
    limit = SEVERITIES.index(fail_on)
    return any(f.counted and SEVERITIES.index(f.severity) <= limit for f in findings)


def quoted(ids: Sequence[str]) -> str:
    """'a', 'b' and 'c' — component ids as a message shows them."""
    shown = [f"'{i}'" for i in ids]
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
