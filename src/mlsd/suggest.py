"""Did-you-mean suggestions for misspelt names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices most like `word`, best first."""
    options = list(dict.fromkeys(choices))
    lowered = word.lower()
    found = [c for c in options if c.lower() == lowered]
    found += [c for c in options if lowered and c.lower().startswith(lowered) and c not in found]
    found += [
        c for c in difflib.get_close_matches(lowered, options, n=limit, cutoff=0.6) if c not in found
    ]
    return found[:limit]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' (or 'x' or 'y'), or '' when nothing is close."""
    found = close_matches(word, choices)
    if not found:
        return ""
    quoted = [f"'{c}'" for c in found]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {joined}?"
