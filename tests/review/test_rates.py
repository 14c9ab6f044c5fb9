"""The rate reader (mlsd.review.rates) and the review's word lists (mlsd.review.words)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.review import rates, words


@pytest.mark.parametrize(
    ("text", "share", "written"),
    [
        ("0.1 %", 0.001, "0.1 %"),
        ("fraud is 0.1% of payments", 0.001, "0.1%"),
        ("about 4 percent default", 0.04, "4 percent"),
        ("1 in 1,000", 0.001, "1 in 1,000"),
        ("about 1 fraud in 1,000 payments", 0.001, "1 fraud in 1,000"),
        ("about one order in a thousand turns out abusive", 0.001, "one order in a thousand"),
        ("one in ten thousand windows", 0.0001, "one in ten thousand"),
        ("2 clicks per 100 impressions", 0.02, "2 clicks per 100"),
        ("1 out of 10k", 0.0001, "1 out of 10k"),
        ("a failure in a million readings", 1e-6, "a failure in a million"),
        ("1:1000", 1 / 1001, "1:1000"),
        ("1000:1 negatives to positives", 1 / 1001, "1000:1"),
        ("1/500", 0.002, "1/500"),
    ],
)
def test_reads_a_rate_as_a_reader_would(text: str, share: float, written: str) -> None:
    (rate,) = rates.rates_in(text)
    assert rate.share == pytest.approx(share)
    assert rate.text == written


@pytest.mark.parametrize(
    "text",
    [
        "p99 under 100 ms",
        "an 80/10/10 split",
        "open 24/7",
        "one of two models",
        "30 to 90 days later",
        "one week in a week",  # a whole, not a share
        "",
    ],
)
def test_reads_no_rate_where_there_is_none(text: str) -> None:
    assert rates.rates_in(text) == ()


def test_several_rates_come_in_the_order_written() -> None:
    found = rates.rates_in("positives are 2 %; after downsampling 1 in 5")
    assert [r.text for r in found] == ["2 %", "1 in 5"]


@pytest.mark.parametrize(("text", "value"), [("ten thousand", 10_000), ("a million", 1e6), ("two hundred", 200)])
def test_number_words(text: str, value: float) -> None:
    assert rates.quantity(text) == value


@given(st.integers(min_value=2, max_value=10**9))
def test_one_in_n_is_one_nth_however_the_digits_are_grouped(n: int) -> None:
    for written in (f"{n}", f"{n:,}", f"{n:_}"):
        (rate,) = rates.rates_in(f"about 1 in {written} cases")
        assert rate.share == pytest.approx(1 / n)


@given(st.decimals(min_value="0.01", max_value="100", places=2))
def test_a_percentage_is_its_share(percent: object) -> None:
    (rate,) = rates.rates_in(f"roughly {percent} % of events")
    assert rate.share == pytest.approx(float(str(percent)) / 100)


@given(st.integers(min_value=2, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_rare_is_one_in_ten_or_rarer(whole: int, part: int) -> None:
    if part >= whole:
        return
    (rate,) = rates.rates_in(f"{part} in {whole}")
    assert rates.rare(rate) is (part / whole <= 0.1 or part / whole > 0.9)


def test_cues_match_at_the_start_of_a_word_and_quote_the_whole_word() -> None:
    assert words.cue("drift", "spammers change wording every week") == "spammers"
    assert words.cue("engagement_labels", "a positive is a click-through") == "click"
    assert words.cue("position_bias", "positives only") is None  # "position" is not a prefix of "positive"
    assert words.cue("random_split", "a non-random split") is None  # after a hyphen is not a word start
    assert words.cue("random_split", None) is None


def test_every_cue_list_and_number_word_is_lower_case() -> None:
    for name in words.cue_names():
        assert all(phrase == phrase.lower() for phrase in words._data().cues[name])
    assert all(word == word.lower() for word in [*words.numbers(), *words.scales()])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a default is only known after 12 months", "12 months"),
        ("chargebacks arrive 30 to 60 days later", "30 to 60 days"),
        ("labels take a few weeks", "a few weeks"),
        ("verified by botanists within a few days", None),  # a wait, but not one the label waits for
        ("click within 30 minutes", None),
    ],
)
def test_a_label_wait_is_a_stretch_of_time_the_label_waits_for(text: str, found: str | None) -> None:
    assert words.wait(text) == found
