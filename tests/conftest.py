"""Shared pytest options and fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests draw the same examples on every machine unless asked otherwise, so CI
# cannot fail by chance: `MLSD_HYPOTHESIS=random` draws new ones, `deep` many more (the
# fuzzers then run 2000 examples each). No example database is kept in the repository.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("random", print_blob=True)
settings.register_profile("deep", print_blob=True)
settings.load_profile(os.environ.get("MLSD_HYPOTHESIS", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected (golden) files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with --update-golden."""
    return bool(request.config.getoption("--update-golden"))
