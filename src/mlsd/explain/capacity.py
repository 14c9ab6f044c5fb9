"""Back-of-the-envelope capacity estimates from `requirements.scale`.

The rules are those of SPEC-FORMAT.md, "Capacity estimates": daily volumes
come from `<thing>_per_day`, from `<thing>_per_user_per_day` times
`daily_active_users`, or from an average `<thing>_per_second` (`<thing>_qps`);
average per second is per day / 86,400; peak is average times
`peak_to_average` (2 when not given); a stated `peak_qps` wins over the derived
peak of the request rate. A size, `<thing>_bytes` or `<thing>_tokens`, is
multiplied by the rate of the same thing, and `<x>_per_<thing>` by the rate of
`<thing>`: which rate that is follows from the structure of the names (see
`_canonical` and `_rate_of`), never from a word the two keys merely share.
Everything is returned as data with numbers already formatted, so templates
only print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from mlsd.explain.phrase import Phrase
from mlsd.model import humanise

_R = TypeVar("_R", "Rate", "_RawRate")

SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365
DEFAULT_PEAK_TO_AVERAGE = 2
# Candidates per request at this share of the catalogue or more are worth a warning.
CATALOGUE_SHARE_WARNING = 0.1

_BYTE_UNITS = ("bytes", "kB", "MB", "GB", "TB", "PB", "EB")
_BIT_UNITS = ("bit", "kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit")


@dataclass(frozen=True)
class Rate:
    """A daily volume of one thing and what it means per second."""

    key: str  # the scale key it came from
    thing: str  # "payments"
    label: str  # "Payments"
    per_day: str
    average: str  # per second
    peak: str  # per second, at the peak-to-average factor
    users: str | None = None  # set when derived from daily_active_users
    per_user: str | None = None
    per_second_written: bool = False  # True when the spec gave the average per second


@dataclass(frozen=True)
class Size:
    """A per-item size or count multiplied by the rate of the items it belongs to.

    `<thing>_bytes` and `<thing>_tokens` are sizes of one thing; `<x>_per_<thing>`
    (`candidates_per_request`, `features_per_payment`) counts `x` in one thing,
    and `per` names that thing.
    """

    key: str
    thing: str  # "payment"
    label: str  # "Payment bytes"
    unit: str  # "bytes", "tokens", or what is counted ("candidates")
    size: str  # "2,000"
    rate_thing: str | None  # the rate it was multiplied by; None when only peak_qps is known
    matched_by_name: bool  # False: paired with the request rate for want of a rate of its own
    peak_rate: str | None  # items per second at peak, as in the rate's own line
    peak_total: str | None  # "50 MB/s (400 Mbit/s)", "32,000 tokens per second", "21,000,000 candidates per second"
    per_day_rate: str | None
    day_total: str | None  # "800 GB" or "200,000,000,000 tokens"; None for counts
    year_total: str | None  # bytes only: storage kept for a year
    per: str | None = None  # "request" for `candidates_per_request`; None for `<thing>_<unit>`
    peak_number: str = ""  # the peak total's number alone, rounded: "21,000,000"
    peak_rate_about: str = ""  # peak_rate rounded for prose ("about 13,900 per second")
    rate_label: str = "requests"  # what peak_rate counts: the rate's thing, or requests under peak_qps alone


@dataclass(frozen=True)
class Given:
    """A scale entry shown as written: text, or a number mlsd has no rule for."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Capacity:
    """Every estimate derived from `requirements.scale`."""

    users: str | None
    factor: str
    factor_assumed: bool
    rates: tuple[Rate, ...]
    stated_peak: str | None  # peak_qps
    derived_peak: str | None  # the main rate's derived peak, when peak_qps overrides it
    implied_factor: str | None  # peak_qps / main average
    sizes: tuple[Size, ...]
    given: tuple[Given, ...]
    missing_users: tuple[str, ...]  # per-user keys that need daily_active_users
    unpaired_sizes: tuple[str, ...]  # size keys with no rate to multiply
    # The peak requests per second to size for: stated (as written), else the
    # request rate's derived peak, rounded for prose.
    sizing_peak: str | None = None
    warnings: tuple[Phrase, ...] = ()  # e.g. candidates per request near the catalogue size

    @property
    def empty(self) -> bool:
        """True when the spec gives no scale at all."""
        return not (
            self.users
            or self.rates
            or self.stated_peak
            or self.sizes
            or self.given
            or self.missing_users
            or self.unpaired_sizes
            or self.warnings
        )


def number(value: float | int | Decimal) -> str:
    """A number with thousands separators: integers exactly, large values rounded half up."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    if exact == exact.to_integral_value():
        return f"{int(exact):,}"
    if abs(exact) >= 100:
        return f"{int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"
    step = Decimal("0.1") if abs(exact) >= 10 else Decimal("0.01")
    text = f"{exact.quantize(step, rounding=ROUND_HALF_UP):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def about(value: float | int | Decimal, figures: int | None = None) -> str:
    """A derived figure for prose: two significant figures, three when it starts with a 1.

    32,407 -> '32,000'; 13,889 -> '13,900'; 9.259 -> '9.3'; 0.0463 -> '0.046'.
    The error stays under 2.5 %, well inside what a back-of-the-envelope estimate means.
    The worked arithmetic asks for three `figures`, so that its steps still multiply out.
    """
    exact = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    if exact == 0:
        return "0"
    exponent = exact.adjusted()
    if figures is None:
        figures = 3 if int(abs(exact).scaleb(-exponent)) == 1 else 2
    rounded = exact.quantize(Decimal(1).scaleb(exponent - figures + 1), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,f}"


def quantity(value: float, units: tuple[str, ...]) -> str:
    """`value` scaled into decimal units: 50_000_000 bytes -> '50 MB'."""
    scaled = Decimal(str(value))
    index = 0
    while abs(scaled) >= 1000 and index < len(units) - 1:
        scaled /= 1000
        index += 1
    if abs(scaled) >= 100:
        shown = number(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        shown = number(scaled.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return f"{shown} {units[index]}"


def _number_or_none(value: object) -> int | float | None:
    """`value` when it is a number mlsd can compute with (not a bool), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def _thing(key: str, suffix: str) -> str:
    return key[: -len(suffix)].replace("_", " ").strip()


# ------------------------------------------------------------------ names
#
# A scale name is read as English: `visual_searches` counts searches (the last
# word is the head, the words before it qualify it), `emails_composed` counts
# emails (a trailing participle qualifies too), `videos_in_catalogue` counts
# videos (a preposition ends the head). `query_image_bytes` is the size of the
# image of one query: it goes with a rate of query images if there is one,
# else with the rate of its owner, the query. A size is never paired with a rate
# because the two names share a word somewhere else.

# Same thing, different words. Only well-established equivalents.
_SYNONYMS = {"search": "query", "call": "request"}
_IRREGULAR = {"people": "person", "children": "child", "indices": "index", "media": "media", "data": "data"}
# Words that end in "s" and are already singular (or have no singular).
_INVARIANT = frozenset(["news", "gps", "sms", "series", "species", "bus", "gas", "lens", "analytics"])
# Plurals in "ies" whose singular keeps the "ie".
_IE_PLURALS = frozenset(["movies", "cookies", "selfies", "zombies", "rookies", "hoodies", "calories", "pies", "ties"])
# Words in "ed" that are nouns, not participles.
_ED_NOUNS = frozenset(["feed", "seed", "speed", "need", "breed", "embed", "greed", "hundred"])
_IRREGULAR_PARTICIPLES = frozenset(
    ["sent", "shown", "seen", "made", "written", "built", "read", "done", "taken", "given", "sold", "bought", "kept"]
    + ["held", "won", "lost", "paid", "spent", "drawn", "known", "chosen", "hidden", "broken"]
)
_PREPOSITIONS = frozenset(["in", "of", "for", "on", "from", "to", "per", "by", "at", "with", "into", "across"])
# "number_of_requests" counts requests, not numbers.
_MEASURE_HEADS = frozenset(["number", "count", "amount", "total", "num"])

# The head nouns of a request rate ("search" and "call" are folded into these).
_REQUEST_HEADS = frozenset(["request", "query", "prediction", "question", "message"])
# Things that belong to one request: with no rate of their own they go with the request rate.
# Any other thing without a rate (a corpus, a model) is a total and shown as written.
_PER_REQUEST = frozenset(
    ["request", "response", "prompt", "completion", "query", "payload", "input", "output"]
    + ["message", "answer", "context", "event", "prediction", "question"]
)
# Counts per request that are drawn from the catalogue.
_CANDIDATE_WORDS = frozenset(["candidate", "retrieved", "ranked", "scored", "recalled", "shortlisted", "result"])
_CATALOGUE_WORDS = frozenset(["catalogue", "catalog", "corpus", "inventory", "item"])
_CATALOGUE_QUALIFIERS = frozenset(["active", "indexed", "total", "available", "live", "listed", "eligible", "all"])
_CATALOGUE_QUALIFIERS |= {"registered", "unique", "distinct", "size", "num", "number", "count"}
_NOT_ADDITIVE = frozenset(["latency", "p50", "p90", "p95", "p99", "p999"])
_RATE_MARKERS = frozenset(["peak", "max", "maximum", "average", "avg", "mean", "p50", "p95", "p99", "min", "minimum"])


def _singular(word: str) -> str:
    """`queries` -> `query`, `searches` -> `search`, `videos` -> `video`; lower case."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in _INVARIANT or len(w) <= 2 or not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return w
    if w in _IE_PLURALS:
        return w[:-1]
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return w[:-2]
    return w[:-1]


def _participle(word: str) -> bool:
    w = word.lower()
    return w in _IRREGULAR_PARTICIPLES or (w.endswith("ed") and len(w) > 4 and w not in _ED_NOUNS)


def _canonical(thing: str) -> tuple[str, ...]:
    """The words that name what `thing` counts, singular, synonyms folded, qualifiers after the head dropped.

    'visual searches' -> ('visual', 'query'); 'emails composed' -> ('email',);
    'videos in catalogue' -> ('video',); 'number of requests' -> ('request',).
    """
    words = [w for w in re.split(r"[_\s]+", thing.lower()) if w]
    if len(words) > 2 and words[0] in _MEASURE_HEADS and words[1] == "of":
        words = words[2:]
    cut = next((i for i, w in enumerate(words) if w in _PREPOSITIONS and i > 0), None)
    if cut is not None:
        words = words[:cut]
    while len(words) > 1 and _participle(words[-1]):
        words.pop()
    return tuple(_SYNONYMS.get(s, s) for s in (_singular(w) for w in words))


def _ends_with(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return bool(part) and len(whole) >= len(part) and whole[-len(part) :] == part


def _is_request_rate(key: str, thing: str) -> bool:
    canon = _canonical(thing)
    return key.endswith("_qps") or (bool(canon) and canon[-1] in _REQUEST_HEADS)


def main_rate(raw: Sequence[_R]) -> _R | None:
    """The request rate: the first whose thing is requests, queries, searches... else the first rate.

    Works on raw rates and on shown `Rate`s alike (both have `key` and `thing`).
    """
    named = [r for r in raw if _is_request_rate(r.key, r.thing)]
    if named:
        return named[0]
    return raw[0] if raw else None


def _rate_of(canon: tuple[str, ...], raw: Sequence[_RawRate], main: _RawRate | None, *, owner: bool) -> _RawRate | None:
    """The rate of the thing named `canon`, by structure.

    First a rate of that very thing, with or without qualifiers (`image` goes with
    `new_images`, `query image` with `query_images`); then, when `owner` is set and
    the thing has more than one word, a rate of its owner (`query image` goes with
    `queries` or `visual_searches`). An exact name beats a qualified one; among
    equals the request rate, then the first in the spec.
    """
    targets = [canon]
    if owner and len(canon) > 1:
        targets.append(canon[:-1])
    for target in targets:
        found = [r for r in raw if _ends_with(r.canon, target)]
        if found:
            exact = [r for r in found if r.canon == target] or found
            return main if main is not None and main in exact else exact[0]
    return None


def _belongs_to_a_request(canon: tuple[str, ...]) -> bool:
    return bool(canon) and (canon[0] in _PER_REQUEST or canon[-1] in _PER_REQUEST)


# ------------------------------------------------------------------ estimate


@dataclass(frozen=True)
class _RawRate:
    key: str
    thing: str
    per_day: float
    average: float
    peak: float
    canon: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Measure:
    """A size (`<thing>_<unit>`) or a count (`<x>_per_<thing>`) waiting for its rate."""

    key: str
    thing: str  # the thing it belongs to, as written: "query image", "request"
    unit: str  # "bytes", "tokens" or what is counted: "candidates"
    value: float
    per: bool  # True for `<x>_per_<thing>`


def estimate(scale: Mapping[str, int | float | str]) -> Capacity:
    """Capacity estimates for a `requirements.scale` mapping, in its key order."""
    # Text where a number is expected counts as absent; the loop below shows it as written.
    users = _number_or_none(scale.get("daily_active_users"))
    factor_value = _number_or_none(scale.get("peak_to_average"))
    factor_assumed = factor_value is None
    factor = DEFAULT_PEAK_TO_AVERAGE if factor_value is None else factor_value
    stated = _number_or_none(scale.get("peak_qps"))

    rates: list[Rate] = []
    raw: list[_RawRate] = []
    given: list[Given] = []
    missing_users: list[str] = []
    measures: list[_Measure] = []
    plain: dict[str, float] = {}  # numbers with no rule: catalogue sizes among them

    def add_rate(
        key: str, thing: str, per_day: float, average: float, *, per_user: float | None = None, written: bool = False
    ) -> None:
        peak = average * factor
        raw.append(_RawRate(key, thing, per_day, average, peak, _canonical(thing)))
        # Derived rates are rounded like every estimate in prose; a rate as written stays exact.
        shown = Rate(
            key,
            thing,
            humanise(thing),
            number(per_day),
            number(average) if written else about(average, 3),
            about(peak, 3),
        )
        if per_user is not None and users is not None:
            shown = replace(shown, users=number(users), per_user=number(per_user))
        rates.append(replace(shown, per_second_written=written))

    for key, written in scale.items():
        value = _number_or_none(written)
        if value is None:
            given.append(Given(key, humanise(key), str(written)))
            continue
        if key in ("daily_active_users", "peak_to_average", "peak_qps"):
            continue
        parsed = _parse(key)
        if parsed is None:
            given.append(Given(key, humanise(key), number(value)))
            plain[key] = value
            continue
        kind, thing, unit = parsed
        if kind == "per_user_per_day":
            if users is None:
                missing_users.append(key)
                continue
            per_day = users * value
            add_rate(key, thing, per_day, per_day / SECONDS_PER_DAY, per_user=value)
        elif kind == "per_day":
            add_rate(key, thing, value, value / SECONDS_PER_DAY)
        elif kind == "per_second":
            add_rate(key, thing, value * SECONDS_PER_DAY, value, written=True)
        else:
            measures.append(_Measure(key, thing, unit, value, per=kind == "per_thing"))

    derived_peak = implied = None
    main = main_rate(raw)
    if stated is not None and main is not None:
        derived_peak = about(main.peak, 3)
        implied = number(stated / main.average) if main.average else None

    sizes: list[Size] = []
    unpaired: list[str] = []
    for measure in measures:
        size = _size(measure, raw=raw, main=main, stated=stated)
        if size is not None:
            sizes.append(size)
        elif measure.per or raw or stated is not None:
            # A total (a corpus, a model size), or a count per thing that has no rate:
            # shown as written, not multiplied.
            shown = f"{number(measure.value)} {measure.unit}" if not measure.per else number(measure.value)
            given.append(Given(measure.key, humanise(measure.key), shown))
        else:
            unpaired.append(measure.key)

    if stated is not None:
        sizing_peak: str | None = number(stated)
    else:
        sizing_peak = about(main.peak) if main is not None else None

    return Capacity(
        users=number(users) if users is not None else None,
        factor=number(factor),
        factor_assumed=factor_assumed,
        rates=tuple(rates),
        stated_peak=number(stated) if stated is not None else None,
        derived_peak=derived_peak,
        implied_factor=implied,
        sizes=tuple(sizes),
        given=tuple(given),
        missing_users=tuple(missing_users),
        unpaired_sizes=tuple(unpaired),
        sizing_peak=sizing_peak,
        warnings=_catalogue_warnings(measures, plain),
    )


def _parse(key: str) -> tuple[str, str, str] | None:
    """What a scale name means by its structure; None for a number mlsd has no rule for.

    (kind, thing, unit): ('per_user_per_day', thing, ''), ('per_day', thing, ''),
    ('per_second', thing, ''), ('per_thing', thing, counted) or ('size', thing, unit).
    """
    for suffix, kind in (("_per_user_per_day", "per_user_per_day"), ("_per_day", "per_day")):
        if key.endswith(suffix) and len(key) > len(suffix):
            return kind, _thing(key, suffix), ""
    for suffix in ("_per_second", "_qps"):
        if key.endswith(suffix) and len(key) > len(suffix):
            thing = _thing(key, suffix)
            # `peak_search_qps`, `avg_qps`: which load is meant is not a rule mlsd has.
            if not {w.lower() for w in thing.split()} & _RATE_MARKERS:
                return "per_second", thing, ""
            return None
    counted, sep, per = key.rpartition("_per_")
    if sep and counted and per:
        if set(counted.lower().split("_")) & _NOT_ADDITIVE:
            return None  # `latency_ms_per_request`: a latency does not add up over requests
        unit = counted.split("_")[-1]
        shown = unit if unit in ("bytes", "tokens") else counted.replace("_", " ")
        return "per_thing", per.replace("_", " "), shown
    for unit in ("bytes", "tokens"):
        if key.endswith(f"_{unit}") and len(key) > len(unit) + 1:
            return "size", _thing(key, f"_{unit}"), unit
    return None


def _size(measure: _Measure, *, raw: list[_RawRate], main: _RawRate | None, stated: float | None) -> Size | None:
    """Multiply a size by the rate of its thing, else a thing of a request by the request rate."""
    canon = _canonical(measure.thing)
    # `<x>_per_<thing>` names the thing outright; `<owner>_<part>_bytes` may go with the owner.
    same = _rate_of(canon, raw, main, owner=not measure.per)
    per_request = _belongs_to_a_request(canon)
    rate = same or (main if per_request else None)
    # The stated peak_qps is the peak of the request rate, so it applies only there:
    # to a per-request thing without any rate, and to one paired with the request rate.
    # A stated peak is shown as written in prose; a derived one is rounded.
    if rate is None:
        if stated is None or not per_request:
            return None
        peak_rate, peak_is_stated = float(stated), True
    elif stated is not None and rate is main:
        peak_rate, peak_is_stated = float(stated), True
    else:
        peak_rate, peak_is_stated = rate.peak, False
    value = measure.value
    peak_total = peak_rate * value
    if measure.unit == "bytes":
        peak_number = quantity(peak_total, _BYTE_UNITS)
        peak_text = f"{peak_number}/s ({quantity(peak_total * 8, _BIT_UNITS)}/s)"
    else:
        peak_number = about(peak_total)
        peak_text = f"{peak_number} {measure.unit} per second"
    day_total = year_total = None
    if rate is not None and measure.unit in ("bytes", "tokens"):
        per_day = rate.per_day * value
        if measure.unit == "bytes":
            day_total = quantity(per_day, _BYTE_UNITS)
            year_total = quantity(per_day * DAYS_PER_YEAR, _BYTE_UNITS)
        else:
            day_total = f"{number(per_day)} tokens"
    return Size(
        key=measure.key,
        thing=measure.thing,
        label=humanise(measure.key),
        unit=measure.unit,
        size=number(value),
        rate_thing=rate.thing if rate is not None else None,
        matched_by_name=same is not None,
        peak_rate=number(peak_rate) if peak_is_stated else about(peak_rate, 3),
        peak_total=peak_text,
        per_day_rate=number(rate.per_day) if rate is not None and day_total is not None else None,
        day_total=day_total,
        year_total=year_total,
        per=measure.thing if measure.per else None,
        peak_number=peak_number,
        peak_rate_about=number(peak_rate) if peak_is_stated else about(peak_rate),
        rate_label=rate.thing if rate is not None else "requests",
    )


def _catalogue_warnings(measures: list[_Measure], plain: dict[str, float]) -> tuple[Phrase, ...]:
    """Warn when the candidates scored per request come near the size of the catalogue."""
    counts = [m for m in measures if m.per and {_singular(w) for w in m.unit.split()} & _CANDIDATE_WORDS]
    catalogues = {key: value for key, value in plain.items() if _is_catalogue(key) and value > 0}
    if not counts or not catalogues:
        return ()
    # Catalogue words name the catalogue outright; else the largest count of items is it.
    named = {k: v for k, v in catalogues.items() if {_singular(w) for w in k.split("_")} & _CATALOGUE_WORDS}
    key, size = max((named or catalogues).items(), key=lambda item: item[1])
    warnings = []
    for count in counts:
        share = count.value / size
        if share < CATALOGUE_SHARE_WARNING:
            continue
        if share >= 1:
            text = (
                f"{{0}} ({number(count.value)}) is as many as {{1}} ({number(size)}): every request "
                "scores the whole catalogue, so there is nothing for a retrieval stage to narrow."
            )
        else:
            text = (
                f"{{0}} ({number(count.value)}) is {about(share * 100)} % of {{1}} ({number(size)}): "
                "retrieval hardly narrows the catalogue, so ranking costs nearly as much as scoring all of it."
            )
        warnings.append(Phrase(text, (humanise(count.key), humanise(key))))
    return tuple(warnings)


def _is_catalogue(key: str) -> bool:
    """`items`, `catalogue_size`, `active_ads`, `videos_in_catalogue`, `pages_indexed`: a count of items."""
    words = [w.lower() for w in key.split("_") if w]
    if {_singular(w) for w in words} & _CATALOGUE_WORDS:
        return True
    if not words or set(words) & _PREPOSITIONS:
        return False
    if len(words) == 1:
        return _singular(words[0]) != words[0]  # a bare plural: `videos`, `products`
    qualifiers = [w for w in words if w in _CATALOGUE_QUALIFIERS or _participle(w)]
    rest = [w for w in words if w not in qualifiers]
    return len(rest) == 1 and len(qualifiers) == len(words) - 1 and _singular(rest[0]) != rest[0]
