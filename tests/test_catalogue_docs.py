"""docs/kinds.md is generated from the catalogue (`mlsd kinds -f md`); these tests keep it current."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from mlsd.catalogue import FLOW_KIND_RULES, FLOW_KINDS, KINDS, STAGES, TECHS
from mlsd.catalogue_report import kinds_markdown
from mlsd.cli import main

ROOT = Path(__file__).resolve().parent.parent
KINDS_MD = ROOT / "docs" / "kinds.md"
SPEC_FORMAT_MD = ROOT / "docs" / "spec-format.md"
REFRESH = "mlsd kinds -f md > docs/kinds.md"


def test_docs_kinds_md_is_current(update_golden: bool) -> None:
    expected = kinds_markdown()
    if update_golden:
        KINDS_MD.write_text(expected, encoding="utf-8")
    assert KINDS_MD.is_file(), f"docs/kinds.md is missing; create it with `{REFRESH}`"
    assert KINDS_MD.read_text(encoding="utf-8") == expected, (
        f"docs/kinds.md differs from the catalogue; refresh it with `{REFRESH}` (or pytest --update-golden)"
    )


def test_kinds_md_command_prints_the_page() -> None:
    result = CliRunner().invoke(main, ["kinds", "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == kinds_markdown()


def test_page_lists_the_whole_catalogue() -> None:
    text = kinds_markdown()
    for stage in STAGES:
        assert f"\n### {stage}\n" in text
    for item in KINDS.values():
        assert f"| `{item.name}` | " in text
    for product in TECHS.values():
        assert f"| `{product.name}` | " in text
    for flow_kind in FLOW_KINDS:
        assert f"`{flow_kind}`" in text
    rules = [line for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rules) == len(FLOW_KIND_RULES)


def test_table_rows_have_their_columns() -> None:
    # A '|' inside a role or a product name must not split its row.
    for line in kinds_markdown().splitlines():
        if line.startswith("| `"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) == 3, line


def test_spec_format_links_kinds_and_describes_every_flow_kind() -> None:
    # The kinds are not repeated in spec-format.md; the eight flow kinds are, with their meaning.
    text = SPEC_FORMAT_MD.read_text(encoding="utf-8")
    assert "](kinds.md)" in text
    for flow_kind in FLOW_KINDS:
        assert f"\n| `{flow_kind}` | " in text, f"docs/spec-format.md does not describe the flow kind {flow_kind!r}"
