"""Roll-ups: one indicator's values for parts (providers, channels, one-stop centres, months)
made into the value for the whole.

How parts make a whole follows from the unit. Volumes, counts and money are summed. Shares
(%), durations (days, hours, minutes), rates (a unit with `/` or `per`) and ratings (a
target on a rating scale) are averaged, each part weighed by its volume: the service's first
measured volume indicator for the same period and part, or the one named in `weights`. A
derived indicator is not rolled up itself: `evaluate` computes it again from its rolled-up
inputs, which for a share is the share of the summed counts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from ..model import Catalogue
from ..model.enums import Frequency, IndicatorKind, TargetKind
from ..model.indicator import Indicator
from .numbers import shown
from .periods import Period, days, enclosing
from .readings import BREAKDOWN, Breakdown, Reading

PERIODS = (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY, Frequency.YEARLY)
_SHARE_UNITS = {"%", "procenti", "procents", "percent", "per cent", "procentpunkti"}
_DURATION_UNITS = {"dienas", "darba dienas", "kalendāra dienas", "days", "working days", "stundas", "hours", "h",
                   "minūtes", "minutes", "min", "sekundes", "seconds", "s", "nedēļas", "weeks"}
_RATING_UNITS = {"punkti", "points", "balles", "rating", "vērtējums"}


class Method(StrEnum):
    """How the parts of an indicator make its whole."""

    SUM = "sum"
    WEIGHTED_MEAN = "weighted mean"
    MEAN = "mean"  # a mean indicator whose service has no volume to weigh by
    DERIVED = "derived"  # computed again from its rolled-up inputs


@dataclass
class RollUp:
    """The values for the wholes, and a note for each whole that was not made, with why."""

    readings: list[Reading]
    notes: list[str] = field(default_factory=list)


def method(indicator: Indicator, weight: str | None = None) -> Method:
    """How `indicator`'s parts make a whole: derived indicators are computed again; shares,
    durations, rates and ratings are averaged (weighted when there is a `weight` indicator);
    everything else (volumes, counts, money) is summed."""
    if indicator.formula:
        return Method.DERIVED
    unit = indicator.unit.strip().casefold()
    scale = indicator.target is not None and indicator.target.kind is TargetKind.SCALE
    if unit in _SHARE_UNITS or unit in _DURATION_UNITS or unit in _RATING_UNITS or scale \
            or "/" in unit or " per " in f" {unit} ":
        return Method.WEIGHTED_MEAN if weight else Method.MEAN
    return Method.SUM


def weight_indicators(catalogue: Catalogue, weights: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """For each indicator, the volume indicator its parts are weighed by when averaged: the one
    `weights` names, else the first measured volume indicator of its service, else None."""
    chosen: dict[str, str | None] = {}
    for service in catalogue.services:
        volume = next((i.id for i in service.indicators if i.kind is IndicatorKind.VOLUME and not i.formula), None)
        for indicator in service.indicators:
            chosen[indicator.id] = (weights or {}).get(indicator.id, volume if indicator.id != volume else None)
    return chosen


def roll_up(catalogue: Catalogue, readings: Iterable[Reading], *, across: Collection[str] = (),
            period: Frequency | None = None, weights: Mapping[str, str] | None = None) -> RollUp:
    """The wholes of `readings`: first each part's values over time made into one value per
    `period` (months into a year, say), then the parts `across` the breakdown (`provider`,
    `channel`, `segment`, `centre`) made into one value without them.

    A value over time is made only when the parts' periods cover the whole period exactly
    (twelve months for a year); a value across parts from the parts that have one. A whole
    that already has a measured value keeps it (a note says when the parts disagree with it).
    Raises ValueError for an unknown breakdown name or a `period` that is not monthly,
    quarterly, half-yearly or yearly. The roll-up of one part is that part.
    """
    unknown = [name for name in across if name not in BREAKDOWN]
    if unknown:
        raise ValueError(f"cannot roll up across {', '.join(map(repr, unknown))}; across one of {', '.join(BREAKDOWN)}")
    if period is not None and period not in PERIODS:
        raise ValueError(f"cannot roll up to {period.value} periods; to one of {', '.join(p.value for p in PERIODS)}")
    indicators = {ind.id: ind for service in catalogue.services for ind in service.indicators}
    weighed_by = weight_indicators(catalogue, weights)
    measured = [r for r in readings if r.indicator in indicators and not indicators[r.indicator].formula]
    given = {r.key: r for r in measured}
    known = dict(given)  # measured and rolled-up values: the weights of means
    notes: list[str] = []
    parts, made = measured, []
    if period is not None:
        already = [r for r in measured if enclosing(r.period, period) == r.period]
        made = _combine(_over_time(measured, period, notes), indicators, weighed_by, known, given, notes) + already
        known.update({r.key: r for r in made})
        parts = made
    if across:
        kept = {r.key: r for r in parts}
        made += _combine(_across(parts, across), indicators, weighed_by, known, kept, notes, measured=given)
    return RollUp(sorted(made, key=lambda r: (r.indicator, r.period, r.breakdown.sort_key)), notes)


def centre_figures(catalogue: Catalogue, readings: Iterable[Reading], period: Frequency = Frequency.YEARLY) -> RollUp:
    """The one-stop centre network's figures: each centre's values per `period` (a year, as the
    yearly reports give them) and the network's, the sum or mean over its centres. Judge them
    against the plan, the passport's target, with `evaluate`."""
    return roll_up(catalogue, [r for r in readings if r.breakdown.centre], period=period, across=("centre",))


Key = tuple[str, Period, Breakdown]


def _over_time(readings: list[Reading], frequency: Frequency, notes: list[str]) -> dict[Key, list[Reading]]:
    """Each part's readings grouped by the period of `frequency` that holds them, for the
    groups whose periods cover it exactly."""
    groups: dict[Key, list[Reading]] = defaultdict(list)
    for r in readings:
        whole = enclosing(r.period, frequency)
        if whole is not None and whole != r.period:
            groups[(r.indicator, whole, r.breakdown)].append(r)
    complete = {}
    for key, parts in groups.items():
        spans = sorted({r.period for r in parts})
        covered = sum(days(p) for p in spans)
        gapless = all(later.start > earlier.end for earlier, later in zip(spans, spans[1:]))
        if gapless and covered == days(key[1]):
            complete[key] = sorted(parts, key=lambda r: r.period)
        else:
            notes.append(f"{key[0]} {key[1].label} ({key[2].label}) not rolled up: its values cover "
                         f"{covered} of its {days(key[1])} days" + ("" if gapless else ", some twice"))
    return complete


def _across(readings: list[Reading], across: Collection[str]) -> dict[Key, list[Reading]]:
    """The readings of parts (every field of `across` given) grouped by the whole they make."""
    cleared = {name: None for name in across}
    groups: dict[Key, list[Reading]] = defaultdict(list)
    for r in readings:
        if all(getattr(r.breakdown, name) for name in across):
            groups[(r.indicator, r.period, replace(r.breakdown, **cleared))].append(r)
    return groups


def _combine(groups: dict[Key, list[Reading]], indicators: dict[str, Indicator], weighed_by: dict[str, str | None],
             known: dict[Key, Reading], kept: dict[Key, Reading], notes: list[str],
             measured: Collection[Key] | None = None) -> list[Reading]:
    """The wholes of `groups`, but not those `kept` already has (the `measured` ones, all
    when None, noted when their parts disagree); `known` gives the weights of means."""
    measured = kept if measured is None else measured
    wholes = []
    for key, parts in groups.items():
        id, period, breakdown = key
        weight = weighed_by.get(id)
        how = method(indicators[id], weight)
        where = f"{id} {period.label} ({breakdown.label})"
        if how is Method.WEIGHTED_MEAN:
            weights = [known.get((weight, p.period, p.breakdown)) for p in parts]
            missing = [p for p, w in zip(parts, weights) if w is None]
            if missing:
                notes.append(f"{where} not rolled up: {missing[0].period.label} ({missing[0].breakdown.label}) "
                             f"has no value of {weight} to weigh it by")
                continue
            total = math.fsum(w.value for w in weights)  # type: ignore[union-attr]
            if total <= 0 or any(w.value < 0 for w in weights):  # type: ignore[union-attr]
                notes.append(f"{where} not rolled up: the weights ({weight}) are not positive")
                continue
            value = math.fsum(p.value * w.value for p, w in zip(parts, weights)) / total  # type: ignore[union-attr]
        elif how is Method.MEAN:
            value = math.fsum(p.value for p in parts) / len(parts)
        else:
            value = math.fsum(p.value for p in parts)
        if len(parts) == 1:
            value = parts[0].value  # one part is the whole, to the last digit
        whole = Reading(id, period, value, breakdown, f"{how.value} of {len(parts)} values")
        earlier = kept.get(key)
        if earlier is not None:
            if not math.isclose(earlier.value, value, rel_tol=1e-9, abs_tol=1e-9):
                kind = "measured" if key in measured else "rolled up from its own values,"
                notes.append(f"{where}: {kind} {shown(earlier.value)} kept; its parts make {shown(value)} ({how.value})")
            continue
        wholes.append(whole)
    return wholes
