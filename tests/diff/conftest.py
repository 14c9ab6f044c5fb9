"""Fixtures for the diff tests: spec files, a git repository, the CLI."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest

from mlsd.load import load_spec
from mlsd.model import Spec

SPECS = Path(__file__).parent / "specs"
HEAD = "mlsd: 1\ntitle: A design\n"


def write_spec(folder: Path, name: str, body: str, head: str = HEAD) -> Path:
    """Write `folder/name.yaml` from a dedented body (after the usual two first lines)."""
    path = folder / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def spec_from(folder: Path, name: str, body: str) -> Spec:
    """A loaded spec from an inline body."""
    return load_spec(write_spec(folder, name, body))


@pytest.fixture
def specs() -> Path:
    """The folder of committed test specs."""
    return SPECS


@pytest.fixture
def cli() -> click.Group:
    """The real `mlsd` command group."""
    from mlsd.cli import main

    return main


@pytest.fixture
def mlsd_command() -> str:
    """How git should call mlsd (a shell command prefix)."""
    return f"{shlex.quote(sys.executable)} -m mlsd"


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An environment where git reads no configuration of this machine."""
    if shutil.which("git") is None:
        pytest.fail("git is not installed: run `make test` (or apt-get install git)")
    home = tmp_path / "home"
    home.mkdir()
    values = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GIT_EXTERNAL_DIFF", raising=False)
    monkeypatch.delenv("GIT_DIR", raising=False)
    return dict(os.environ)


def git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    """Run git in `repo`; its standard output."""
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout
