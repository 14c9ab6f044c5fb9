"""The review corpus: realistic designs with seeded flaws, and sound designs of varied shapes.

tests/review/corpus/flawed/ holds designs written like interview answers with one or
two flaws seeded in each (seeded.yaml names the rules that must report them);
tests/review/corpus/sound/ holds designs that must get no error and no warning. The
full list of findings is a golden file (refresh with --update-golden, read the diff).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlsd.load import load_spec
from mlsd.review import review_spec

CORPUS = Path(__file__).parent / "corpus"
SEEDED: dict[str, list[str]] = yaml.safe_load((CORPUS / "seeded.yaml").read_text(encoding="utf-8"))
FLAWED = sorted(p.name for p in (CORPUS / "flawed").glob("*.yaml"))
SOUND = sorted(p.name for p in (CORPUS / "sound").glob("*.yaml"))
GOLDEN = CORPUS / "golden-findings.txt"


def serious(path: Path) -> dict[str, list[str]]:
    """Rule -> messages of the warnings and errors `mlsd check` reports for a design."""
    found: dict[str, list[str]] = {}
    for finding in review_spec(load_spec(path)).counted:
        if finding.severity in ("error", "warning"):
            found.setdefault(finding.rule, []).append(finding.message)
    return found


def test_the_corpus_is_large_enough_and_every_flaw_is_listed() -> None:
    assert len(FLAWED) >= 20 and len(SOUND) >= 10
    assert sorted(SEEDED) == FLAWED
    assert all(1 <= len(slugs) <= 2 for slugs in SEEDED.values())


@pytest.mark.parametrize("name", FLAWED)
def test_every_seeded_flaw_is_named(name: str) -> None:
    found = serious(CORPUS / "flawed" / name)
    missed = [slug for slug in SEEDED[name] if slug not in found]
    assert not missed, f"{name}: {missed} not reported; got {sorted(found)}"


@pytest.mark.parametrize("name", SOUND)
def test_sound_designs_get_no_error_and_no_warning(name: str) -> None:
    assert serious(CORPUS / "sound" / name) == {}


def corpus_report() -> str:
    lines: list[str] = []
    for folder, names in (("flawed", FLAWED), ("sound", SOUND)):
        for name in names:
            review = review_spec(load_spec(CORPUS / folder / name))
            lines.append(f"{folder}/{name}")
            lines += [f"  {f.severity} {f.rule}: {f.message}" for f in review.counted] or ["  no findings"]
    return "\n".join(lines) + "\n"


def test_findings_match_the_golden_file(update_golden: bool) -> None:
    report = corpus_report()
    if update_golden:
        GOLDEN.write_text(report, encoding="utf-8")
    assert report == GOLDEN.read_text(encoding="utf-8"), "corpus findings changed; refresh with --update-golden"
