"""Capacity estimates from `requirements.scale`, as SPEC-FORMAT.md "Capacity estimates" defines them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.explain.capacity import Capacity, Size, about, estimate, number, quantity

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
    assert (rate.average, rate.peak) == ("8,680", "26,000")
    assert (cap.factor, cap.factor_assumed) == ("3", False)
    assert rate.label == "Continuations"


def test_peak_to_average_defaults_to_two_and_says_so() -> None:
    cap = estimate({"payments_per_day": 400_000_000})
    assert (cap.factor, cap.factor_assumed) == ("2", True)
    (rate,) = cap.rates
    assert (rate.average, rate.peak) == ("4,630", "9,260")


def test_stated_peak_qps_wins_over_the_derived_peak() -> None:
    cap = estimate({"payments_per_day": 400_000_000, "peak_qps": 25_000})
    assert cap.stated_peak == "25,000"
    assert cap.derived_peak == "9,260"
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


def test_a_participle_after_the_thing_does_not_change_what_is_counted() -> None:
    cap = estimate({"searches_per_day": 1_000_000, "videos_uploaded_per_day": 864_000, "video_bytes": 1_000_000})
    (size,) = cap.sizes
    assert size.rate_thing == "videos uploaded" and size.matched_by_name


# ------------------------------------------------------------------ designs written for the pairing rule


def _sizes(cap: Capacity) -> dict[str, Size]:
    return {size.key: size for size in cap.sizes}


@pytest.mark.parametrize(
    "rates",
    [
        # 1,000 queries and 100 uploads per second on average: 2,000 and 200 at the assumed factor 2.
        {"queries_per_day": 86_400_000, "uploads_per_day": 8_640_000},
        # Named as the gallery's visual search names them; the upload rate comes first this time.
        {"uploads_per_day": 8_640_000, "visual_searches_per_day": 86_400_000},
        # The image rate shares "image" with both sizes: it must go with neither.
        {"query_qps": 1_000, "new_images_per_day": 8_640_000, "uploads_per_day": 8_640_000},
    ],
)
def test_visual_search_each_image_goes_with_the_rate_of_its_own_thing(rates: dict[str, int]) -> None:
    sizes = _sizes(estimate({**rates, "query_image_bytes": 30_000, "upload_image_bytes": 2_000_000}))
    query, upload = sizes["query_image_bytes"], sizes["upload_image_bytes"]
    assert query.matched_by_name and query.peak_rate == "2,000"
    assert query.peak_total == "60 MB/s (480 Mbit/s)"  # 30,000 bytes × 2,000 per second
    assert upload.matched_by_name and upload.rate_thing == "uploads" and upload.peak_rate == "200"
    assert upload.peak_total == "400 MB/s (3.2 Gbit/s)"  # 2,000,000 bytes × 200 per second
    assert (upload.day_total, upload.year_total) == ("17.3 TB", "6.3 PB")  # × 8,640,000 a day


def test_the_gallery_visual_search_numbers() -> None:
    cap = estimate(
        {
            "daily_active_users": 100_000_000,
            "visual_searches_per_user_per_day": 4,
            "peak_to_average": 3,
            "new_images_per_day": 50_000_000,
            "indexed_images": 100_000_000_000,
            "query_image_bytes": 30_000,
        }
    )
    (size,) = cap.sizes
    # 400,000,000 a day ÷ 86,400 × 3 = 13,889 per second, not the 1,736 new images per second.
    assert (size.rate_thing, size.peak_rate, size.peak_rate_about) == ("visual searches", "13,900", "13,900")
    assert size.peak_total == "417 MB/s (3.3 Gbit/s)"
    assert (size.per_day_rate, size.day_total, size.year_total) == ("400,000,000", "12 TB", "4.4 PB")


def test_a_qualified_rate_of_the_same_thing_is_that_thing() -> None:
    cap = estimate({"image_views_per_day": 864_000_000, "new_images_per_day": 8_640_000, "image_bytes": 1_000_000})
    (size,) = cap.sizes
    assert size.rate_thing == "new images"  # image views count views, not images


@pytest.mark.parametrize(
    "scale",
    [
        {"image_searches_per_day": 86_400_000, "image_bytes": 1_000_000},  # counts searches
        {"image_views_per_day": 86_400_000, "image_bytes": 1_000_000},  # counts views
        {"videos_in_feed_per_day": 86_400_000, "feed_bytes": 1_000_000},  # counts videos
    ],
)
def test_a_word_shared_elsewhere_in_the_name_is_no_pairing(scale: dict[str, int]) -> None:
    cap = estimate(scale)
    assert cap.sizes == ()
    size_key = next(key for key in scale if key.endswith("_bytes"))
    assert [g.value for g in cap.given if g.key == size_key] == ["1,000,000 bytes"]


@pytest.mark.parametrize(
    ("rate_key", "size_key"),
    [
        ("searches_per_day", "query_bytes"),
        ("queries_per_day", "search_bytes"),
        ("calls_per_day", "request_bytes"),
        ("requests_per_day", "call_bytes"),
        ("uploads_per_day", "upload_bytes"),
        ("messages_per_day", "message_bytes"),
        ("predictions_per_day", "prediction_bytes"),
        ("impressions_per_day", "impression_bytes"),
        ("events_per_day", "event_bytes"),
        ("emails_received_per_day", "email_bytes"),
        ("number_of_orders_per_day", "order_bytes"),
    ],
)
def test_singular_plural_and_synonyms_name_the_same_thing(rate_key: str, size_key: str) -> None:
    # A first rate of something else, so that a pairing by position would show.
    cap = estimate({"sessions_per_day": 1_000, rate_key: 86_400_000, size_key: 1_000})
    (size,) = cap.sizes
    assert size.matched_by_name and size.rate_thing == rate_key.removesuffix("_per_day").replace("_", " ")
    assert size.peak_rate == "2,000" and size.peak_total == "2 MB/s (16 Mbit/s)"


def test_tokens_per_request_times_the_peak_request_rate() -> None:
    cap = estimate({"users_signed_up_per_day": 1_000, "requests_per_day": 86_400_000, "peak_to_average": 3})
    assert cap.sizes == ()
    cap = estimate({"requests_per_day": 86_400_000, "peak_to_average": 3, "tokens_per_request": 1_500})
    (size,) = cap.sizes
    assert (size.unit, size.per, size.rate_thing, size.peak_rate) == ("tokens", "request", "requests", "3,000")
    assert size.peak_total == "4,500,000 tokens per second"  # 1,500 × 3,000
    assert size.day_total == "129,600,000,000 tokens"  # 1,500 × 86,400,000, exact


def test_counts_per_request_use_the_request_rate_whatever_it_is_called() -> None:
    cap = estimate(
        {
            "new_images_per_day": 8_640_000,
            "visual_searches_per_day": 86_400_000,
            "candidates_per_request": 300,
            "features_per_request": 1_200,
        }
    )
    candidates, features = cap.sizes
    assert (candidates.unit, candidates.per, candidates.rate_thing) == ("candidates", "request", "visual searches")
    assert candidates.peak_total == "600,000 candidates per second"  # 300 × 2,000
    assert candidates.day_total is None  # a count has no storage
    assert features.peak_total == "2,400,000 features per second"  # 1,200 × 2,000


def test_a_count_per_thing_goes_with_the_rate_of_that_thing() -> None:
    cap = estimate({"searches_per_day": 86_400_000, "payments_per_day": 8_640_000, "features_per_payment": 400})
    (size,) = cap.sizes
    assert (size.rate_thing, size.peak_rate) == ("payments", "200")
    assert size.peak_total == "80,000 features per second"


def test_a_count_per_thing_without_a_rate_is_shown_as_written() -> None:
    cap = estimate({"searches_per_day": 86_400_000, "candidates_per_user": 1_000})
    assert cap.sizes == () and [(g.key, g.value) for g in cap.given] == [("candidates_per_user", "1,000")]


def test_a_latency_per_request_is_not_added_up() -> None:
    cap = estimate({"requests_per_day": 86_400_000, "latency_ms_per_request": 80})
    assert cap.sizes == () and [(g.key, g.value) for g in cap.given] == [("latency_ms_per_request", "80")]


def test_peak_qps_applies_to_counts_per_request() -> None:
    cap = estimate({"peak_qps": 5_000, "candidates_per_request": 500})
    (size,) = cap.sizes
    assert size.peak_rate == size.peak_rate_about == "5,000" and size.rate_label == "requests"
    assert size.peak_total == "2,500,000 candidates per second"


@pytest.mark.parametrize("key", ["corpus_bytes", "document_bytes", "pretraining_tokens", "model_bytes"])
def test_a_size_whose_thing_has_no_rate_stays_a_total(key: str) -> None:
    cap = estimate({"queries_per_day": 86_400_000, key: 2_000_000})
    assert cap.sizes == ()
    unit = key.rsplit("_", 1)[1]
    assert [(g.key, g.value) for g in cap.given] == [(key, f"2,000,000 {unit}")]


def test_a_document_size_goes_with_a_document_rate_when_there_is_one() -> None:
    cap = estimate({"queries_per_day": 86_400_000, "documents_indexed_per_day": 864_000, "document_bytes": 50_000})
    (size,) = cap.sizes
    assert size.rate_thing == "documents indexed" and size.peak_total == "1 MB/s (8 Mbit/s)"


def test_an_average_per_second_is_a_rate() -> None:
    cap = estimate({"query_qps": 500, "query_bytes": 1_000})
    (rate,) = cap.rates
    assert rate.per_second_written and (rate.average, rate.per_day, rate.peak) == ("500", "43,200,000", "1,000")
    (size,) = cap.sizes
    assert size.peak_total == "1 MB/s (8 Mbit/s)"


def test_a_peak_of_one_thing_is_not_taken_for_an_average() -> None:
    cap = estimate({"peak_search_qps": 9_000})
    assert cap.rates == () and [(g.key, g.value) for g in cap.given] == [("peak_search_qps", "9,000")]


# ------------------------------------------------------------------ candidates near the catalogue


@pytest.mark.parametrize(
    ("catalogue", "share"),
    [
        ("items", "25"),
        ("catalogue_size", "25"),
        ("videos", "25"),
        ("active_products", "25"),
        ("videos_in_catalogue", "25"),
    ],
)
def test_candidates_near_the_catalogue_size_are_flagged(catalogue: str, share: str) -> None:
    cap = estimate({"requests_per_day": 86_400_000, "candidates_per_request": 500, catalogue: 2_000})
    (warning,) = cap.warnings
    assert warning.args == ("Candidates per request", catalogue.replace("_", " ").capitalize())
    assert warning.text.startswith(f"{{0}} (500) is {share} % of {{1}} (2,000): retrieval hardly narrows")


def test_candidates_as_many_as_the_catalogue() -> None:
    cap = estimate({"requests_per_day": 1_000, "candidates_per_request": 5_000, "items": 4_000})
    (warning,) = cap.warnings
    assert "is as many as {1} (4,000)" in warning.text


@pytest.mark.parametrize(
    "scale",
    [
        {"candidates_per_request": 500, "items": 10_000},  # 5 %: retrieval does narrow
        {"candidates_per_request": 500, "events_in_sequence": 1_000},  # not a catalogue
        {"features_per_request": 500, "items": 1_000},  # not candidates
        # Several counts of items: the catalogue is the one named so.
        {"candidates_per_request": 500, "annotated_images": 1_000, "catalogue_images": 1_000_000},
    ],
)
def test_no_catalogue_warning_when_retrieval_narrows(scale: dict[str, int]) -> None:
    assert estimate({"requests_per_day": 86_400_000, **scale}).warnings == ()


# ------------------------------------------------------------------ rounding


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (32_407.4, "32,000"),  # two significant figures...
        (3_240.7, "3,200"),
        (13_888.9, "13,900"),  # ...three when the number starts with a 1
        (1_041_666.7, "1,040,000"),
        (208_333_333, "210,000,000"),
        (999_999, "1,000,000"),
        (450_000, "450,000"),
        (9.259, "9.3"),
        (0.0463, "0.046"),
        (25, "25"),
        (0, "0"),
    ],
)
def test_about(value: float, shown: str) -> None:
    assert about(value) == shown


def test_derived_per_second_figures_round_and_written_figures_do_not() -> None:
    cap = estimate(
        {"daily_active_users": 40_000, "questions_per_user_per_day": 5, "peak_to_average": 4, "prompt_tokens": 3_500}
    )
    (rate,) = cap.rates
    assert (rate.per_day, rate.average, rate.peak) == ("200,000", "2.31", "9.26")  # the arithmetic, as before
    (size,) = cap.sizes
    assert size.peak_total == "32,000 tokens per second"  # 3,500 × 9.259, not "32,407"
    assert size.day_total == "700,000,000 tokens"  # 3,500 × 200,000: exact
    assert cap.sizing_peak == size.peak_rate_about == "9.3"
    assert estimate({"requests_per_day": 86_400_000, "peak_qps": 25_123}).sizing_peak == "25,123"  # as written


def test_the_contract_example_keeps_its_arithmetic_and_plans_for_a_round_peak() -> None:
    cap = estimate({"daily_active_users": 250_000_000, "continuations_per_user_per_day": 3, "peak_to_average": 3})
    assert (cap.rates[0].average, cap.rates[0].peak) == ("8,680", "26,000")
    assert cap.sizing_peak == "26,000"


# ------------------------------------------------------------------ property: never a rate of another thing

# Each thing: its singular and plural spellings (synonyms share an id).
_THINGS = {
    "query": (("query", "queries"), ("search", "searches")),
    "request": (("request", "requests"), ("call", "calls")),
    "upload": (("upload", "uploads"),),
    "message": (("message", "messages"),),
    "prediction": (("prediction", "predictions"),),
    "impression": (("impression", "impressions"),),
    "event": (("event", "events"),),
    "image": (("image", "images"),),
    "video": (("video", "videos"),),
    "payment": (("payment", "payments"),),
    "document": (("document", "documents"),),
    "page": (("page", "pages"),),
    "view": (("view", "views"),),
    "ad": (("ad", "ads"),),
}
_ID = {form: thing for thing, spellings in _THINGS.items() for pair in spellings for form in pair}
_SINGULARS = sorted(pair[0] for spellings in _THINGS.values() for pair in spellings)
_PLURALS = sorted(pair[1] for spellings in _THINGS.values() for pair in spellings)
_QUALIFIERS = ["new", "visual", "mobile", "user", "daily"]
_PARTICIPLES = ["uploaded", "received", "indexed", "served"]
_PER_REQUEST_IDS = {"query", "request", "message", "prediction", "event"}
_REQUEST_IDS = {"query", "request", "prediction", "message"}

_rate_names = st.tuples(
    st.lists(st.sampled_from(_QUALIFIERS + _SINGULARS), max_size=2),
    st.sampled_from(_PLURALS),
    st.sampled_from(["", *_PARTICIPLES]),
    st.sampled_from(["_per_day", "_per_user_per_day"]),
).map(lambda t: "_".join([*t[0], t[1], *([t[2]] if t[2] else [])]) + t[3])
_size_names = st.one_of(
    st.tuples(
        st.lists(st.sampled_from(_SINGULARS), min_size=1, max_size=2), st.sampled_from(["_bytes", "_tokens"])
    ).map(lambda t: "_".join(t[0]) + t[1]),
    st.sampled_from(_SINGULARS).map(lambda s: f"candidates_per_{s}"),
)


def _ids(words: list[str]) -> tuple[str, ...]:
    return tuple(_ID.get(w, w) for w in words)


def _rate_ids(key: str) -> tuple[str, ...]:
    words = key.removesuffix("_per_day").removesuffix("_per_user").split("_")
    return _ids([w for w in words if w not in _PARTICIPLES])


def _thing_of(rate_key: str) -> str:
    return rate_key.removesuffix("_per_day").removesuffix("_per_user").replace("_", " ")


def _size_ids(key: str) -> tuple[tuple[str, ...], bool]:
    """What the size is of, and whether it may go with the rate of an owner."""
    if key.startswith("candidates_per_"):
        return _ids([key.removeprefix("candidates_per_")]), False
    return _ids(key.rsplit("_", 1)[0].split("_")), True


def _counts(rate: tuple[str, ...], thing: tuple[str, ...]) -> bool:
    """The rate counts `thing`, with or without qualifiers before it."""
    return len(rate) >= len(thing) and rate[-len(thing) :] == thing


def _of_the_same_thing(rate: tuple[str, ...], thing: tuple[str, ...], owner: bool) -> bool:
    return _counts(rate, thing) or (owner and len(thing) > 1 and _counts(rate, thing[:-1]))


@settings(max_examples=300, deadline=None)
@given(rates=st.lists(_rate_names, min_size=1, max_size=4), sizes=st.lists(_size_names, min_size=1, max_size=3))
def test_no_size_is_paired_with_a_rate_of_another_thing(rates: list[str], sizes: list[str]) -> None:
    scale: dict[str, int | float | str] = {"daily_active_users": 1_000_000}
    scale.update(dict.fromkeys(rates, 1_000_000))
    scale.update(dict.fromkeys(sizes, 100))
    cap = estimate(scale)
    rate_keys = list(dict.fromkeys(rates))
    paired = _sizes(cap)
    main = next((k for k in rate_keys if _rate_ids(k)[-1] in _REQUEST_IDS), rate_keys[0])
    for key in dict.fromkeys(sizes):
        thing, owner = _size_ids(key)
        own = [r for r in rate_keys if _of_the_same_thing(_rate_ids(r), thing, owner)]
        size = paired.get(key)
        if own:
            # A rate of the same thing exists: the size goes with one of them, by name.
            assert size is not None and size.matched_by_name, (key, rate_keys)
            assert size.rate_thing in {_thing_of(r) for r in own}, (key, size.rate_thing, rate_keys)
        elif {thing[0], thing[-1]} & _PER_REQUEST_IDS:
            # A thing of a request with no rate of its own: the request rate.
            assert size is not None and not size.matched_by_name, (key, rate_keys)
            assert size.rate_thing == _thing_of(main), (key, size.rate_thing, rate_keys)
        else:
            # No rate of its thing: a total, shown as written, never multiplied.
            assert size is None, (key, size.rate_thing if size else None, rate_keys)
            assert key in {g.key for g in cap.given}
