"""Each value against its passport: derived values computed, a status from the target and the
critical corridor, an alarm when critical, and the change against earlier periods."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Catalogue
from ..model.enums import TargetKind, ZoneLevel
from ..model.indicator import Indicator, Target
from .formula import FormulaError, evaluate_formula
from .numbers import shown as _shown
from .periods import Period, enclosing
from .readings import Breakdown, Reading
from .rollups import PERIODS, Method, method


class Status(StrEnum):
    """How a value stands against its passport."""

    GOOD = "good"
    WARNING = "warning"
    CRITICAL = "critical"
    NO_TARGET = "no target"


@dataclass(frozen=True)
class Alarm:
    """A critical value: what is wrong, the passport's alarm procedure and who analyses it."""

    indicator: str
    period: Period
    breakdown: Breakdown
    value: float
    reason: str
    procedure: str | None
    analysed_by: str | None

    def __str__(self) -> str:
        procedure = self.procedure or "the passport gives no alarm procedure"
        who = self.analysed_by or "the passport names no one who analyses it"
        return (f"{self.indicator} {self.period.label} ({self.breakdown.label}): {_shown(self.value)} {self.reason}. "
                f"Alarm procedure: {procedure} Analysed by: {who}.")


@dataclass(frozen=True)
class EvaluatedValue:
    """One value of an indicator for a period and breakdown, judged against its passport."""

    indicator: str
    unit: str
    period: Period
    breakdown: Breakdown
    value: float
    derived: bool
    status: Status
    reason: str
    target: str
    alarm: Alarm | None = None
    previous: float | None = None
    year_earlier: float | None = None
    source: str = ""

    @property
    def change_from_previous(self) -> float | None:
        """The value minus the previous period's (same indicator and breakdown), if it has one."""
        return _change(self.value, self.previous)

    @property
    def change_from_year_earlier(self) -> float | None:
        """The value minus the value of the same period a year earlier, if it has one."""
        return _change(self.value, self.year_earlier)


def _change(value: float, earlier: float | None) -> float | None:
    """`value` minus `earlier`, when there is an earlier value and the difference is a finite number."""
    if earlier is None:
        return None
    change = value - earlier
    return change if math.isfinite(change) else None


@dataclass
class Evaluation:
    """Every value judged, in passport order, then by breakdown and period; and the derived
    values that could not be computed, with the reason."""

    values: list[EvaluatedValue]
    not_computed: list[str] = field(default_factory=list)

    @property
    def alarms(self) -> list[Alarm]:
        return [v.alarm for v in self.values if v.alarm is not None]

    @property
    def critical(self) -> bool:
        """True when any value is critical."""
        return any(v.status is Status.CRITICAL for v in self.values)

    def alarms_first(self) -> list[EvaluatedValue]:
        """The values with the critical ones first, then the warnings, then the rest; otherwise in order."""
        rank = {Status.CRITICAL: 0, Status.WARNING: 1}
        return sorted(self.values, key=lambda v: rank.get(v.status, 2))


def evaluate(catalogue: Catalogue, readings: Iterable[Reading]) -> Evaluation:
    """Judge every reading against the catalogue's passports, with the derived indicators'
    values computed for each period and breakdown whose inputs are all measured.

    A derived indicator's measured value, when there is one, is taken as measured and not
    recomputed. A formula that refers to an unknown indicator or takes part in a cycle raises
    FormulaError (a catalogue read with `pps_sdk.load` has been checked for both already); a
    division by zero in one period is listed in `not_computed` and does not stop the rest.
    """
    indicators = {ind.id: ind for service in catalogue.services for ind in service.indicators}
    readings = list(readings)
    derived, not_computed = derive(indicators, readings)
    values = {r.key: r for r in [*readings, *derived]}
    derived_keys = {r.key for r in derived}
    order = {id: index for index, id in enumerate(indicators)}
    # Worked out once each: many values share an indicator, a breakdown or a period.
    parts = {b: b.sort_key for b in {key[2] for key in values}}
    targets = {id: describe_target(indicator) for id, indicator in indicators.items()}
    summed = {id for id, indicator in indicators.items()  # volumes whose plan is for the reporting period
              if method(indicator) is Method.SUM and indicator.reporting_frequency in PERIODS}
    judged = []
    for key in sorted(values, key=lambda k: (order.get(k[0], len(order)), k[0], parts[k[2]], k[1])):
        reading, indicator = values[key], indicators[key[0]]
        if key[0] in summed and enclosing(reading.period, indicator.reporting_frequency) != reading.period:
            status, reason = Status.NO_TARGET, "no target for this period"  # a month's volume against a yearly plan
        else:
            status, reason = judge(indicator, reading.value)
        previous = values.get((reading.indicator, reading.period.previous(), reading.breakdown))
        year_earlier = values.get((reading.indicator, reading.period.year_earlier(), reading.breakdown))
        judged.append(EvaluatedValue(
            reading.indicator, indicator.unit, reading.period, reading.breakdown, reading.value, key in derived_keys,
            status, reason, targets[indicator.id],
            _alarm(indicator, reading, reason) if status is Status.CRITICAL else None,
            previous.value if previous else None, year_earlier.value if year_earlier else None, reading.source))
    return Evaluation(judged, not_computed)


def derive(indicators: dict[str, Indicator], readings: list[Reading]) -> tuple[list[Reading], list[str]]:
    """The derived indicators' values for every period and breakdown that has all their inputs,
    and a note for each value that could not be computed (a division by zero…)."""
    groups: dict[tuple[Period, Breakdown], dict[str, float]] = defaultdict(dict)
    for r in readings:
        groups[(r.period, r.breakdown)][r.indicator] = r.value
    computed, notes = [], []
    for id in formula_order(indicators):
        formula, needs = indicators[id].formula or "", indicators[id].references
        for (period, breakdown), known in groups.items():
            if id in known or not all(ref in known for ref in needs):
                continue
            try:
                known[id] = evaluate_formula(formula, known)
            except FormulaError as exc:
                notes.append(f"{id} {period.label} ({breakdown.label}) not computed: {exc}")
                continue
            computed.append(Reading(id, period, known[id], breakdown, f"formula {formula}"))
    return computed, notes


def formula_order(indicators: dict[str, Indicator]) -> list[str]:
    """The derived indicators, each after those its formula uses. Raises FormulaError for a
    reference to an unknown indicator or for formulas that refer to each other in a cycle."""
    order: list[str] = []
    state: dict[str, str] = {}  # "open" while its references are visited, "done" after

    def visit(id: str, trail: list[str]) -> None:
        if state.get(id) == "done":
            return
        if state.get(id) == "open":
            raise FormulaError("formulas refer to each other in a cycle: " + " → ".join([*trail[trail.index(id):], id]))
        state[id] = "open"
        for ref in indicators[id].references:
            if ref not in indicators:
                raise FormulaError(f"the formula of {id!r} refers to unknown indicator {ref!r}")
            if indicators[ref].formula:
                visit(ref, [*trail, id])
        state[id] = "done"
        order.append(id)

    for id, indicator in indicators.items():
        if indicator.formula:
            visit(id, [])
    return order


def judge(indicator: Indicator, value: float) -> tuple[Status, str]:
    """The status of `value` under the indicator's critical corridor and target, and why.

    Outside the critical corridor is critical, whatever the target. Otherwise: minimum,
    maximum and range targets give good inside their bounds and warning outside; zones give
    the level of the zone the value is in (warning when it is in none); a rating scale gives
    good at or above its target value and warning below it. No target (or a scale without a
    target value) gives no target.
    """
    corridor = indicator.critical_corridor
    if corridor is not None and not corridor.contains(value):
        if corridor.lower is not None and value < corridor.lower:
            return Status.CRITICAL, f"is below the critical corridor's lower bound {_shown(corridor.lower)}"
        return Status.CRITICAL, f"is above the critical corridor's upper bound {_shown(corridor.upper or 0)}"
    target = indicator.target
    if target is None:
        return Status.NO_TARGET, "no target"
    return _against_target(target, value)


def _against_target(target: Target, value: float) -> tuple[Status, str]:
    low, high = target.minimum, target.maximum
    if target.kind is TargetKind.ZONES:
        for zone in target.zones:
            if (zone.lower is None or value >= zone.lower) and (zone.upper is None or value < zone.upper):
                return _ZONE_STATUS[zone.level], f"is in the {zone.level.value} zone {_span(zone.lower, zone.upper)}"
        return Status.WARNING, "is in none of the target's zones"
    if target.kind is TargetKind.SCALE:
        if target.value is None:
            return Status.NO_TARGET, "a rating scale without a target value"
        if value >= target.value:
            return Status.GOOD, f"is at or above the target {_shown(target.value)}"
        return Status.WARNING, f"is below the target {_shown(target.value)}"
    if low is not None and target.kind in (TargetKind.MINIMUM, TargetKind.RANGE) and value < low:
        return Status.WARNING, f"is below the minimum {_shown(low)}"
    if high is not None and target.kind in (TargetKind.MAXIMUM, TargetKind.RANGE) and value > high:
        return Status.WARNING, f"is above the maximum {_shown(high)}"
    return Status.GOOD, {TargetKind.MINIMUM: f"is at or above the minimum {_shown(low or 0)}",
                         TargetKind.MAXIMUM: f"is at or below the maximum {_shown(high or 0)}"}.get(
        target.kind, f"is within {_shown(low or 0)}…{_shown(high or 0)}")


_ZONE_STATUS = {ZoneLevel.GOOD: Status.GOOD, ZoneLevel.WARNING: Status.WARNING, ZoneLevel.CRITICAL: Status.CRITICAL}


def describe_target(indicator: Indicator) -> str:
    """The target and the critical corridor in a few symbols: `≥ 75 (aim 85)`, `zones: good < 21, …; corridor ≤ 30`."""
    parts = []
    target = indicator.target
    if target is not None:
        text = {
            TargetKind.MINIMUM: f"≥ {_shown(target.minimum or 0)}",
            TargetKind.MAXIMUM: f"≤ {_shown(target.maximum or 0)}",
            TargetKind.RANGE: f"{_shown(target.minimum or 0)}…{_shown(target.maximum or 0)}",
            TargetKind.SCALE: f"scale {_shown(target.minimum or 0)}…{_shown(target.maximum or 0)}",
            TargetKind.ZONES: "zones: " + ", ".join(f"{z.level.value} {_span(z.lower, z.upper)}" for z in target.zones),
        }[target.kind]
        parts.append(text + (f" (aim {_shown(target.value)})" if target.value is not None else ""))
    corridor = indicator.critical_corridor
    if corridor is not None:
        parts.append("corridor " + _span(corridor.lower, corridor.upper, closed=True))
    return "; ".join(parts) or "none"


def _alarm(indicator: Indicator, reading: Reading, reason: str) -> Alarm:
    who = None
    if indicator.analysed_by is not None:
        who = indicator.analysed_by.role.get()
        if indicator.analysed_by.organisation:
            who += f" ({indicator.analysed_by.organisation})"
    procedure = indicator.alarm_procedure.get() if indicator.alarm_procedure is not None else None
    return Alarm(indicator.id, reading.period, reading.breakdown, reading.value, reason, procedure, who)


def _span(lower: float | None, upper: float | None, closed: bool = False) -> str:
    """A zone's span (lower bound included, upper excluded) or, `closed`, a corridor's (both included)."""
    if lower is None:
        return f"{'≤' if closed else '<'} {_shown(upper or 0)}"
    if upper is None:
        return f"≥ {_shown(lower)}"
    return f"{_shown(lower)}…{_shown(upper)}"


