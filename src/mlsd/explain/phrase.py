"""`Phrase`: mlsd's own wording with spec text slotted in, escaped when it is printed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """A sentence whose `text` is trusted and whose `args` are spec text.

    `text` holds `{0}`, `{1}`... placeholders. Templates print a phrase with the
    `say` filter, which escapes every argument for the output format; mlsd's
    own words never need escaping, the user's always do.
    """

    text: str
    args: tuple[str, ...] = ()


def listing(count: int, start: int = 0) -> str:
    """Placeholders for `count` items joined as prose: '{0}, {1} and {2}'."""
    return prose_list([f"{{{i}}}" for i in range(start, start + count)])


def prose_list(words: list[str]) -> str:
    """Words joined as prose: 'a', 'a and b', 'a, b and c' ('' for none)."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
