"""Capacity estimates from `requirements.scale`, as SPEC-FORMAT.md "Capacity estimates" defines them."""

from __future__ import annotations

import pytest

from mlsd.explain.capacity import estimate, number, quantity

BYTES = ("bytes", "kB", "MB", "GB", "TB", "PB", "EB")


def test_the_spec_format_example() -> None:
    cap = estimate(
        {
            "daily_active_users": 250_000_000,
            "continuations_per_user_per_day": 3,
            "peak_to_average": 3,
        }
    )
    (rate,) = cap.rates
    assert (rate.users, rate.per_user, rate.per_day) == ("250,000,000", "3", "750,000,000")
    assert (rate.average, rate.peak) == ("8,681", "26,042")
    assert (cap.factor, cap.factor_assumed) == ("3", False)
    assert rate.label == "Continuations"


def test_peak_to_average_defaults_to_two_and_says_so() -> None:
    cap = estimate({"payments_per_day": 400_000_000})
    assert (cap.factor, cap.factor_assumed) == ("2", True)
    (rate,) = cap.rates
    assert (rate.average, rate.peak) == ("4,630", "9,259")


def test_stated_peak_qps_wins_over_the_derived_peak() -> None:
    cap = estimate({"payments_per_day": 400_000_000, "peak_qps": 25_000})
    assert cap.stated_peak == "25,000"
    assert cap.derived_peak == "9,259"
    assert cap.implied_factor == "5.4"
    assert cap.sizing_peak == "25,000"


def test_derived_peak_is_used_without_peak_qps() -> None:
    cap = estimate({"requests_per_day": 86_400_000, "peak_to_average": 4})
    assert cap.sizing_peak == "4,000"
    assert cap.derived_peak is None


def test_peak_qps_alone() -> None:
    cap = estimate({"peak_qps": 1200})
    assert cap.rates == () and cap.sizing_peak == "1,200" and cap.implied_factor is None


def test_bytes_become_bandwidth_and_storage() -> None:
    cap = estimate({"payments_per_day": 400_000_000, "peak_qps": 25_000, "payment_bytes": 2_000})
    (size,) = cap.sizes
    assert size.matched_by_name and size.rate_thing == "payments"
    assert size.peak_rate == "25,000"
    assert size.peak_total == "50 MB/s (400 Mbit/s)"
    assert (size.day_total, size.year_total) == ("800 GB", "292 TB")


def test_bytes_use_their_own_rate_when_names_match() -> None:
    cap = estimate(
        {
            "requests_per_day": 86_400_000,
            "images_per_day": 8_640_000,
            "image_bytes": 1_000_000,
            "peak_qps": 5000,
        }
    )
    (size,) = cap.sizes
    assert size.rate_thing == "images"
    assert size.peak_rate == "200"  # 100 per second on average, at the assumed factor 2
    assert size.peak_total == "200 MB/s (1.6 Gbit/s)"


def test_tokens_become_token_throughput() -> None:
    cap = estimate({"queries_per_day": 8_640_000, "prompt_tokens": 1_500, "peak_to_average": 3})
    (size,) = cap.sizes
    assert not size.matched_by_name and size.rate_thing == "queries"
    assert size.peak_total == "450,000 tokens per second"
    assert size.day_total == "12,960,000,000 tokens"
    assert size.year_total is None


def test_size_without_any_rate_is_reported_unpaired() -> None:
    cap = estimate({"document_bytes": 10_000})
    assert cap.sizes == () and cap.unpaired_sizes == ("document_bytes",)


def test_per_user_without_daily_active_users_is_reported() -> None:
    cap = estimate({"searches_per_user_per_day": 4})
    assert cap.rates == () and cap.missing_users == ("searches_per_user_per_day",)


def test_other_keys_are_shown_as_given() -> None:
    cap = estimate({"catalogue_items": 10_000_000, "growth": "20 % a year", "peak_qps": "unknown"})
    assert [(g.label, g.value) for g in cap.given] == [
        ("Catalogue items", "10,000,000"),
        ("Growth", "20 % a year"),
        ("Peak qps", "unknown"),
    ]
    assert cap.stated_peak is None


def test_empty_scale() -> None:
    assert estimate({}).empty
    assert not estimate({"growth": "fast"}).empty


def test_rates_keep_the_spec_order() -> None:
    cap = estimate({"b_per_day": 1, "daily_active_users": 10, "a_per_user_per_day": 1})
    assert [r.thing for r in cap.rates] == ["b", "a"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (750_000_000, "750,000,000"),
        (8680.5555, "8,681"),
        (26041.666, "26,042"),
        (100.5, "101"),  # half rounds up, not to even
        (5.4012, "5.4"),
        (12.25, "12.3"),
        (0.5, "0.5"),
        (0.046, "0.05"),
        (3.0, "3"),
        (1e16, "10,000,000,000,000,000"),
    ],
)
def test_number_formatting(value: float, shown: str) -> None:
    assert number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(950, "950 bytes"), (50_000_000, "50 MB"), (2.92e14, "292 TB"), (1_650_000_000, "1.7 GB")],
)
def test_quantity(value: float, shown: str) -> None:
    assert quantity(value, BYTES) == shown


def test_a_total_is_shown_as_written_not_multiplied_by_a_rate() -> None:
    # A pretraining corpus is not a per-request size: multiplying it by the
    # request rate gave "115,740,740,740,740,740 tokens per second".
    cap = estimate({"requests_per_day": 86_400_000, "pretraining_tokens": 10_000_000_000_000})
    assert cap.sizes == ()
    assert [(g.key, g.value) for g in cap.given] == [("pretraining_tokens", "10,000,000,000,000 tokens")]


def test_a_per_request_size_goes_with_the_request_rate_whatever_the_key_order() -> None:
    scale = {"emails_composed_per_day": 1_000_000, "suggestion_requests_per_day": 86_400_000, "prompt_tokens": 100}
    for ordered in (scale, dict(reversed(list(scale.items())))):
        (size,) = estimate(ordered).sizes
        assert size.rate_thing == "suggestion requests"
        assert size.peak_total == "200,000 tokens per second"


def test_a_size_matches_a_rate_that_shares_a_word() -> None:
    cap = estimate({"searches_per_day": 1_000_000, "videos_uploaded_per_day": 864_000, "video_bytes": 1_000_000})
    (size,) = cap.sizes
    assert size.rate_thing == "videos uploaded"
