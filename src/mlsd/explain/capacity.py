"""Back-of-the-envelope capacity estimates from `requirements.scale`.

The rules are those of SPEC-FORMAT.md, "Capacity estimates": daily volumes
come from `<thing>_per_day` or from `<thing>_per_user_per_day` times
`daily_active_users`; average per second is per day / 86,400; peak is average
times `peak_to_average` (2 when not given); a stated `peak_qps` wins over the
derived peak; `<thing>_bytes` and `<thing>_tokens` turn rates into bandwidth,
storage and token throughput. Everything is returned as data with numbers
already formatted, so templates only print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from mlsd.model import humanise

_R = TypeVar("_R", "Rate", "_RawRate")

SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365
DEFAULT_PEAK_TO_AVERAGE = 2

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


@dataclass(frozen=True)
class Size:
    """A per-item size (`<thing>_bytes` / `<thing>_tokens`) multiplied by a rate."""

    key: str
    thing: str  # "payment"
    label: str  # "Payment bytes"
    unit: str  # "bytes" or "tokens"
    size: str  # "2,000"
    rate_thing: str | None  # the rate it was multiplied by; None without any rate
    matched_by_name: bool  # False: paired with the main rate for want of a same-named one
    peak_rate: str | None  # items per second at peak
    peak_total: str | None  # "50 MB/s (400 Mbit/s)" or "12,500,000 tokens per second"
    per_day_rate: str | None
    day_total: str | None  # "800 GB" or "200,000,000,000 tokens"
    year_total: str | None  # bytes only: storage kept for a year


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
        )

    @property
    def sizing_peak(self) -> str | None:
        """The peak requests per second to size for: stated, else the request rate's."""
        if self.stated_peak is not None:
            return self.stated_peak
        main = main_rate(list(self.rates))
        return main.peak if main is not None else None


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


def _singular(thing: str) -> str:
    return thing[:-1] if thing.endswith("s") and not thing.endswith("ss") else thing


def _thing(key: str, suffix: str) -> str:
    return key[: -len(suffix)].replace("_", " ").strip()


@dataclass(frozen=True)
class _RawRate:
    key: str
    thing: str
    per_day: float
    average: float
    peak: float


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
    size_keys: list[tuple[str, str, str, float]] = []
    for key, written in scale.items():
        value = _number_or_none(written)
        if value is None:
            given.append(Given(key, humanise(key), str(written)))
            continue
        if key in ("daily_active_users", "peak_to_average", "peak_qps"):
            continue
        if key.endswith("_per_user_per_day") and len(key) > len("_per_user_per_day"):
            thing = _thing(key, "_per_user_per_day")
            if users is None:
                missing_users.append(key)
                continue
            per_day = users * value
            average = per_day / SECONDS_PER_DAY
            raw.append(_RawRate(key, thing, per_day, average, average * factor))
            rates.append(
                Rate(
                    key,
                    thing,
                    humanise(thing),
                    number(per_day),
                    number(average),
                    number(average * factor),
                    number(users),
                    number(value),
                )
            )
        elif key.endswith("_per_day") and len(key) > len("_per_day"):
            thing = _thing(key, "_per_day")
            average = value / SECONDS_PER_DAY
            raw.append(_RawRate(key, thing, value, average, average * factor))
            rates.append(Rate(key, thing, humanise(thing), number(value), number(average), number(average * factor)))
        elif key.endswith(("_bytes", "_tokens")):
            unit = "bytes" if key.endswith("_bytes") else "tokens"
            size_keys.append((key, _thing(key, f"_{unit}"), unit, value))
        else:
            given.append(Given(key, humanise(key), number(value)))

    derived_peak = implied = None
    main = main_rate(raw)
    if stated is not None and main is not None:
        derived_peak = number(main.peak)
        implied = number(stated / main.average) if main.average else None

    sizes: list[Size] = []
    unpaired: list[str] = []
    for key, thing, unit, value in size_keys:
        size = _size(key, thing, unit, value, raw=raw, stated=stated)
        if size is not None:
            sizes.append(size)
        elif raw or stated is not None:
            # A total (a corpus, a model size): shown as written, not multiplied.
            given.append(Given(key, humanise(key), f"{number(value)} {unit}"))
        else:
            unpaired.append(key)

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
    )


# Sizes of these things belong to one request, so they go with the request rate
# when no rate of the same name exists; any other unmatched size is a total
# (a corpus, a model) and is shown as written rather than multiplied.
_PER_REQUEST = frozenset(
    [
        "request",
        "response",
        "prompt",
        "completion",
        "query",
        "payload",
        "input",
        "output",
        "message",
        "answer",
        "context",
        "call",
        "event",
        "prediction",
    ]
)
_REQUEST_WORDS = ("request", "quer", "search", "call", "prediction", "question", "message", "qps")


def main_rate(raw: list[_R]) -> _R | None:
    """The request rate: one named like requests or queries, else the first rate.

    Works on raw rates and on shown `Rate`s alike (both have the scale `key`).
    """
    named = [r for r in raw if any(word in r.key for word in _REQUEST_WORDS)]
    if named:
        return named[0]
    return raw[0] if raw else None


def _words(thing: str) -> set[str]:
    return {_singular(word) for word in thing.split()}


def _size(key: str, thing: str, unit: str, value: float, *, raw: list[_RawRate], stated: float | None) -> Size | None:
    """Multiply a size by the rate of the same thing, else a per-request size by the request rate."""
    same = next((r for r in raw if _singular(r.thing) == _singular(thing)), None)
    same = same or next((r for r in raw if _words(r.thing) & _words(thing)), None)
    per_request = bool(_words(thing) & _PER_REQUEST)
    rate = same or (main_rate(raw) if per_request else None)
    # The stated peak_qps is the peak of the request rate, so it applies only there:
    # to a per-request size without any rate, and to a size paired with the request rate.
    if rate is None:
        if stated is None or not per_request:
            return None
        peak_rate = stated
    elif stated is not None and rate is main_rate(raw):
        peak_rate = stated
    else:
        peak_rate = rate.peak
    peak_total = peak_rate * value
    if unit == "bytes":
        peak_text = f"{quantity(peak_total, _BYTE_UNITS)}/s ({quantity(peak_total * 8, _BIT_UNITS)}/s)"
    else:
        peak_text = f"{number(peak_total)} tokens per second"
    day_total = year_total = None
    if rate is not None:
        per_day = rate.per_day * value
        if unit == "bytes":
            day_total = quantity(per_day, _BYTE_UNITS)
            year_total = quantity(per_day * DAYS_PER_YEAR, _BYTE_UNITS)
        else:
            day_total = f"{number(per_day)} tokens"
    return Size(
        key=key,
        thing=thing,
        label=humanise(key),
        unit=unit,
        size=number(value),
        rate_thing=rate.thing if rate is not None else None,
        matched_by_name=same is not None,
        peak_rate=number(peak_rate),
        peak_total=peak_text,
        per_day_rate=number(rate.per_day) if rate is not None else None,
        day_total=day_total,
        year_total=year_total,
    )
