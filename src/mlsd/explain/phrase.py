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
    slots = [f"{{{i}}}" for i in range(start, start + count)]
    if len(slots) <= 1:
        return "".join(slots)
    return ", ".join(slots[:-1]) + " and " + slots[-1]
