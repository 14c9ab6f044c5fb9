"""Did-you-mean suggestions for misspelt names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# The id syntax of the spec format (also in mlsd.model, which imports this module's users).
ID_PATTERN_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices most like `word`, best first."""
    options = list(dict.fromkeys(choices))
    lowered = word.lower()
    found = [c for c in options if c.lower() == lowered]
    found += [c for c in options if lowered and c.lower().startswith(lowered) and c not in found]
    if found:
        # A word that begins several names is a truncation: those names are the answer.
        return found[:limit]
    close = difflib.get_close_matches(lowered, options, n=limit, cutoff=0.6)
    # `member_app` for `app`: a name written with a word too many.
    inside = [c for c in options if len(c) >= 3 and c.lower() in lowered and c not in close]
    return (close + inside)[:limit]


def bad_id(noun: str, name: str) -> str:
    """Why an id is invalid, with a valid id made from it."""
    fixed = "".join(c if c.isalnum() or c in "_-" else "_" for c in name.lower()).strip("_-")
    fixed = "_".join(part for part in fixed.split("_") if part)
    hint = f"; for example '{fixed}'" if fixed and ID_PATTERN_RE.match(fixed) else ""
    return (
        f"{noun} id '{name}' is not valid: use lowercase letters, digits, '_' and '-',"
        f" starting with a letter or digit{hint}"
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' (or 'x' or 'y'), or '' when nothing is close."""
    return suggestion(close_matches(word, choices))


def suggestion(names: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the given names (or 'x' or 'y'), or '' when there are none."""
    quoted = [f"'{c}'" for c in names]
    if not quoted:
        return ""
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {joined}?"
