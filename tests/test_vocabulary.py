"""The shared vocabulary: one data file, validated, and agreeing with everything that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd import vocabulary
from mlsd.catalogue import KINDS, TRAITS
from mlsd.datafile import DATA_DIR, DataFileError, read_data
from mlsd.explain.context import ExplanationContext
from mlsd.explain.glossary import families
from mlsd.render.theme import COLOURS
from mlsd.review import metric_fit
from mlsd.vocabulary import _VocabularyFile

SRC = Path(vocabulary.__file__).parent


def test_the_shipped_file_loads() -> None:
    assert vocabulary.THEMES[0] == vocabulary.DEFAULT_THEME == "light"
    assert vocabulary.SECTIONS[0] == "summary" and "architecture" in vocabulary.REVIEWED_SECTIONS
    assert vocabulary.PRESETS["slide-16x9"].aspect == 16 / 9
    assert set(vocabulary.DIAGRAM_LANGUAGES.values()) <= set(vocabulary.EXPORT_TARGETS)
    assert set(vocabulary.BUILD_FORMATS) <= set(vocabulary.RENDER_FORMATS)


def test_task_families_are_glossary_families() -> None:
    assert set(vocabulary.TASK_FAMILY.values()) <= set(families())


def test_metric_fit_knows_only_real_tasks() -> None:
    assert set(metric_fit.FITTING) <= set(vocabulary.TASKS)


def test_every_theme_has_colours() -> None:
    assert tuple(COLOURS) == vocabulary.THEMES


def test_every_section_is_in_the_explanation() -> None:
    fields = set(ExplanationContext.__dataclass_fields__)
    assert set(vocabulary.SECTIONS) <= fields


def test_every_starter_has_a_file() -> None:
    for name in vocabulary.STARTERS:
        assert (SRC / "starters" / f"{name}.yaml").is_file(), name


def test_every_glyph_exists_and_every_trait_is_used() -> None:
    for k in KINDS.values():
        if k.icon.glyph is not None:
            assert k.icon.path().is_file(), k.name
    used = {t for k in KINDS.values() for t in k.traits}
    assert used == set(TRAITS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("    family: regression\n    supervised: true\n", "    family: regression\n    supervise: true\n"),
            "supervise",
        ),
        (("  build: [png, svg, md, html, mmd]\n", "  build: [png, svg, md, html, mmd, gif]\n"), "format 'gif'"),
        (("themes: [light, dark]\n", "themes: [light, dark]\nthemes: [light]\n"), "key 'themes' is written twice"),
    ],
)
def test_a_broken_vocabulary_is_reported_with_its_location(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    original = (DATA_DIR / "vocabulary.yaml").read_text(encoding="utf-8")
    assert change[0] in original
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_data(broken, _VocabularyFile)
    text = str(caught.value)
    assert message in text
    assert text.startswith(f"{broken}:") and ": error: " in text
