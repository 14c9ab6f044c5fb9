"""The rule table: every rule `mlsd check` runs, in the order it runs them.

The table is a plain tuple assembled here, so what runs is visible in one place
and importing a module never registers anything as a side effect.
"""

from __future__ import annotations

from mlsd.model import Spec
from mlsd.review import architecture as arch
from mlsd.review import written
from mlsd.review.engine import Hit, Rule
from mlsd.suggest import did_you_mean

# ---------------------------------------------------------------- review settings


def _unknown_ignore(spec: Spec) -> list[Hit]:
    known = {rule.slug: rule for rule in RULES}
    hits = []
    for slug in spec.review.ignore:
        where = spec.source.locate("review", "ignore", slug, at_key=True)
        rule = known.get(slug)
        if rule is None:
            hint = did_you_mean(slug, known)
            hits.append(Hit(f"review.ignore names an unknown rule '{slug}'{hint}", where))
        elif not rule.silenceable:
            hits.append(Hit(f"rule '{slug}' cannot be silenced; fix what it reports instead", where))
    return hits


UNKNOWN_IGNORE = Rule(
    slug="unknown-ignore",
    severity="error",
    sections=(),
    summary="`review.ignore` names a rule that does not exist (or cannot be silenced).",
    rationale=(
        "A misspelt slug in `review.ignore` silences nothing, so the author believes a finding "
        "is handled while it is still reported, or will be once the rule runs. Failing loudly, "
        "with the closest rule name, keeps the ignore list honest."
    ),
    fix="Correct the slug (`mlsd check --list-rules` lists them all) or remove the entry.",
    detect=_unknown_ignore,
    silenceable=False,
)


def _unused_ignore(spec: Spec) -> list[Hit]:
    ignore = spec.review.ignore
    if not ignore:
        return []
    fired = {rule.slug for rule in RULES if rule.silenceable and rule.slug in ignore and rule.detect(spec)}
    known = {rule.slug for rule in RULES if rule.silenceable}
    return [
        Hit(
            f"review.ignore silences '{slug}', which finds nothing in this spec; remove the entry",
            spec.source.locate("review", "ignore", slug, at_key=True),
        )
        for slug in ignore
        if slug in known and slug not in fired
    ]


UNUSED_IGNORE = Rule(
    slug="unused-ignore",
    severity="info",
    sections=(),
    summary="`review.ignore` silences a rule that finds nothing in this spec.",
    rationale=(
        "Ignore entries outlive the problems they were written for. A stale entry would hide the "
        "problem if it came back later, so the review points out entries that no longer silence "
        "anything."
    ),
    fix="Remove the entry from `review.ignore`.",
    detect=_unused_ignore,
    silenceable=False,
)

# ---------------------------------------------------------------- the table

# Framework order (requirements first, monitoring and scaling last), then the
# review-settings rules, which look at the others.
RULES: tuple[Rule, ...] = (
    written.NO_BUSINESS_OBJECTIVE,
    written.NO_CAPACITY_NUMBERS,
    written.NO_LATENCY_TARGET,
    written.NO_TASK,
    written.MISSING_OFFLINE_METRICS,
    written.MISSING_ONLINE_METRICS,
    written.METRIC_TASK_MISMATCH,
    written.NO_GUARDRAIL_METRICS,
    arch.ORPHAN_COMPONENT,
    arch.UNREACHABLE_MODEL,
    written.NO_LABELS,
    written.RANDOM_SPLIT_LEAKAGE,
    written.POSITION_BIAS_IGNORED,
    arch.LABEL_STORE_UNUSED,
    arch.TRAINING_SERVING_SKEW,
    written.NO_BASELINE,
    arch.OFFLINE_STORE_ON_REQUEST_PATH,
    arch.SYNC_CALL_WITHOUT_FALLBACK,
    written.NO_FALLBACK,
    arch.BATCH_SERVING_FOR_LIVE_DECISION,
    arch.NO_CANDIDATE_GENERATION,
    written.LLM_WITHOUT_GUARDRAILS,
    arch.NO_MODEL_REGISTRY,
    arch.NO_DEPLOYMENT_PATH,
    arch.NO_EVALUATION_GATE,
    written.NO_ONLINE_EXPERIMENT,
    written.LLM_WITHOUT_EVALUATION,
    arch.NO_MONITORING,
    arch.SERVING_NOT_MONITORED,
    written.NO_DRIFT_MONITORING,
    written.NO_RETRAINING_PLAN,
    arch.NO_FEEDBACK_LOOP,
    written.MISSING_FRAMEWORK_PART,
    UNKNOWN_IGNORE,
    UNUSED_IGNORE,
)


def rule(slug: str) -> Rule:
    """The rule with this slug; KeyError if there is none."""
    for candidate in RULES:
        if candidate.slug == slug:
            return candidate
    raise KeyError(slug)
