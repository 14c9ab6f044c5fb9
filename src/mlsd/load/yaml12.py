"""YAML 1.2 as mlsd reads it: the core schema's scalars, and one grammar with or without libyaml.

PyYAML implements YAML 1.1, where `no` is false, `1:30` is 90 and `017` is 15;
editors, JSON Schema tools and the YAML 1.2 reader in every other language see
the text `no`, the text `1:30` and the number 17. mlsd reads what they read.

PyYAML's pure-Python scanner also ends a plain scalar at `?` inside `{...}`
or `[...]`, which libyaml (and YAML 1.2) do not, so a spec read on a machine
without libyaml failed where it passed elsewhere. `PureLoader` closes that gap.
"""

from __future__ import annotations

import re

import yaml
from yaml.tokens import ScalarToken

TAG = "tag:yaml.org,2002:"

# The core schema of YAML 1.2 (section 10.3.2); anything else plain is text.
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# One addition to the core schema: `1_000_000` groups digits (as PyYAML always read it, and
# the gallery writes scale numbers); a YAML 1.2 reader sees text, which the schema also allows.
_INT_RE = re.compile(r"^[-+]?[0-9]+(?:_[0-9]+)*$")
_OCT_RE = re.compile(r"^0o[0-7]+$")
_HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF_RE = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN_RE = re.compile(r"^\.(?:nan|NaN|NAN)$")
# Python refuses to read longer digit strings as a number (it would be slow); so does mlsd.
MAX_INT_DIGITS = 4000

_BLANK = "\0 \t\r\n\x85\u2028\u2029"
_FLOW_INDICATORS = ",[]{}"


def core_tag(text: str) -> str:
    """The tag a YAML 1.2 core-schema reader gives the plain scalar `text`."""
    if _NULL_RE.match(text):
        return f"{TAG}null"
    if text in _BOOL:
        return f"{TAG}bool"
    if _INT_RE.match(text) or _OCT_RE.match(text) or _HEX_RE.match(text):
        return f"{TAG}int"
    if _FLOAT_RE.match(text) or _INF_RE.match(text) or _NAN_RE.match(text):
        return f"{TAG}float"
    return f"{TAG}str"


def core_value(text: str, tag: str) -> object:
    """The value of a scalar written as `text` with the (resolved or explicit) core `tag`.

    Raises ValueError when the text is not a value of that tag (`!!int abc`).
    """
    name = tag.removeprefix(TAG)
    if name == "null":
        if not _NULL_RE.match(text):
            raise ValueError(text)
        return None
    if name == "bool":
        if text not in _BOOL:
            raise ValueError(text)
        return _BOOL[text]
    if name == "int":
        if len(text) > MAX_INT_DIGITS:
            raise ValueError(text)
        if _OCT_RE.match(text):
            return int(text[2:], 8)
        if _HEX_RE.match(text):
            return int(text[2:], 16)
        if _INT_RE.match(text):
            return int(text.replace("_", ""), 10)
        raise ValueError(text)
    if name == "float":
        if _INF_RE.match(text):
            return float("-inf") if text.startswith("-") else float("inf")
        if _NAN_RE.match(text):
            return float("nan")
        if _FLOAT_RE.match(text):
            return float(text)
        raise ValueError(text)
    return text


def _folded(gap: str) -> str:
    """Whitespace between two parts of a plain scalar as YAML folds it."""
    breaks = gap.count("\n")
    if breaks == 0:
        return gap
    return " " if breaks == 1 else "\n" * (breaks - 1)


class PureLoader(yaml.SafeLoader):
    """PyYAML's pure-Python loader, reading plain scalars in `{...}` and `[...]` as libyaml does."""

    def scan_plain(self) -> ScalarToken:
        token = super().scan_plain()
        if not self.flow_level or self.peek() != "?":
            return token
        # PyYAML stops at '?' here; YAML 1.2 lets '?' continue a plain scalar.
        chunks = [token.value]
        end = token.end_mark
        after_mark = False
        while True:
            touching = self.pointer == end.pointer
            if self.peek() == "?" or (after_mark and touching and self.peek() == "#"):
                # PyYAML's own scan_plain would stop at either of them here.
                chunks.append(_folded(self.buffer[end.pointer : self.pointer]) + self.peek())
                self.forward()
                end = self.get_mark()
                after_mark = True
            elif after_mark and self._continues_plain():
                more = super().scan_plain()
                chunks.append(_folded(self.buffer[end.pointer : more.start_mark.pointer]) + more.value)
                end = more.end_mark
                after_mark = False
            else:
                break
            self.scan_plain_spaces(self.indent + 1, token.start_mark)
        return ScalarToken("".join(chunks), True, token.start_mark, end)

    def _continues_plain(self) -> bool:
        ch = self.peek()
        if ch in _BLANK or ch == "#" or ch in _FLOW_INDICATORS:
            return False
        return not (ch == ":" and self.peek(1) in _BLANK + _FLOW_INDICATORS)


def loader(*, libyaml: bool | None = None) -> type:
    """The loader class whose parser mlsd uses: libyaml's when available (or asked for), else `PureLoader`."""
    fast = getattr(yaml, "CSafeLoader", None)
    if libyaml is None:
        libyaml = fast is not None
    if libyaml:
        if fast is None:
            raise RuntimeError("PyYAML was built without libyaml")
        return fast
    return PureLoader
