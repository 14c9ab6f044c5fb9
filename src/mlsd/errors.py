"""The exception tree: every error a user can cause is an `MlsdError`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One located problem in a spec."""

    location: Location
    message: str

    def __post_init__(self) -> None:
        # One problem is one line: user text quoted in a message may hold line breaks.
        flat = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
        object.__setattr__(self, "message", flat)

    def __str__(self) -> str:
        return f"{self.location}: error: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `validate -f json`."""
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
        }


class MlsdError(Exception):
    """A problem the user can fix; the CLI prints it and exits 1."""

    exit_code = 1


class SpecError(MlsdError):
    """A spec is invalid; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.location, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(MlsdError):
    """A file or folder cannot be used (missing, unreadable, wrong type)."""


class OutputError(MlsdError):
    """An output file cannot be written (read-only or full folder, bad path)."""


class RenderError(MlsdError):
    """An external renderer (Graphviz) failed or is missing."""


class TemplateError(MlsdError):
    """An explanation template cannot be used: a syntax error or an undefined name."""
