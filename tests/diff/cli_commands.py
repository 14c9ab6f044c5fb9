"""The `diff`, `git-textconv` and `git-diff-driver` commands, as they go into mlsd/cli.py.

Until they are pasted there, the tests drive them through this stand-in group,
which uses the real CLI's error handling (`mlsd.cli._Group`). Run as a script,
it is the command git calls in the git integration tests.

Everything between the BEGIN and END markers is the code for cli.py, verbatim.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mlsd.cli import _Group


@click.group(cls=_Group)
def main() -> None:
    """Stand-in for `mlsd.cli.main`."""


# ----- BEGIN code for cli.py -------------------------------------------------------------


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="also draw the diff picture (SVG and PNG) into this folder",
)
@click.option(
    "--view",
    type=click.Choice(["overlay", "side-by-side"]),
    default="overlay",
    show_default=True,
    help="one picture of both designs, or the old and the new design cut from one layout",
)
@click.option("--exit-code", is_flag=True, help="exit 1 when the designs differ, as git diff --exit-code")
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="pair the old component OLD with the new component NEW (repeatable)",
)
@click.option("--color/--no-color", default=False, show_default=True, help="ANSI colours in text output")
def diff(
    old: str,
    new: str,
    fmt: str,
    out_dir: Path | None,
    view: str,
    exit_code: bool,
    renames: tuple[str, ...],
    color: bool,
) -> None:
    """Compare two specs; OLD and NEW are files or REV:PATH (a git revision).

    Exit status as diff(1): 0 no differences (or any without --exit-code),
    1 differences with --exit-code, 2 trouble (invalid spec, unknown revision).
    """
    from mlsd.diff import run_diff

    result = run_diff(old, new, fmt, out_dir, view, exit_code, renames, color)
    for line in result.messages:
        click.echo(f"mlsd: {line}", err=True)
    # color=True keeps the codes when piped (e.g. into less -R); click strips them otherwise.
    click.echo(result.text, nl=False, color=color)
    sys.exit(result.status)


@main.command("git-textconv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def git_textconv(file: Path) -> None:
    """Print a spec as sorted facts, one per line: git's textconv for specs (docs/diff.md)."""
    from mlsd.diff import textconv

    click.echo(textconv(file), nl=False)


@main.command("git-diff-driver", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def git_diff_driver(args: tuple[str, ...]) -> None:
    """The diff report as a git external diff (GIT_EXTERNAL_DIFF); git passes the arguments."""
    from mlsd.diff import git_diff_driver as driver

    click.echo(driver(list(args)), nl=False)


# ----- END code for cli.py ---------------------------------------------------------------


if __name__ == "__main__":
    main()
