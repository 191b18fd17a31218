"""Service indicators (the passport of concept [278]) and their measurements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .base import PPSModel, RuleProblem, term
from .enums import ClientSegment, DataSource, Frequency, IndicatorKind, IndicatorScope, TargetKind, ZoneLevel
from .organisation import ResponsibleRole, period_problems
from .text import LangText
from .types import Day, Identifier, Number, ShortText

MAX_FORMULA = 2000
_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?)|\{(?P<ref>[A-Za-z0-9][A-Za-z0-9._~-]*)\}|(?P<op>[-+*/])|(?P<open>\()|(?P<close>\)))")


def formula_references(formula: str) -> list[str]:
    """Check a formula's syntax and return the indicator identifiers it refers to, in order.

    A formula is arithmetic over numbers and `{indicator-id}` references with `+ - * /` and
    parentheses, e.g. `{cases-online} / {cases-total} * 100`. Raises ValueError on bad syntax.
    Nothing is evaluated here.
    """
    if len(formula) > MAX_FORMULA:
        raise ValueError(f"formula longer than {MAX_FORMULA} characters")
    refs: list[str] = []
    depth, expect_operand, pos = 0, True, 0
    while pos < len(formula.rstrip()):
        match = _TOKEN.match(formula, pos)
        if not match:
            raise ValueError(f"unexpected {formula[pos:].strip()[:10]!r} at character {pos + 1}")
        pos = match.end()
        kind = match.lastgroup
        if expect_operand:
            if kind == "op" and match["op"] == "-":
                continue  # unary minus
            if kind == "open":
                depth += 1
                continue
            if kind not in ("num", "ref"):
                raise ValueError(f"expected a number or {{indicator}} at character {match.start(kind) + 1}")
            if kind == "ref":
                refs.append(match["ref"])
            expect_operand = False
        else:
            if kind == "close":
                depth -= 1
                if depth < 0:
                    raise ValueError(f"unbalanced ')' at character {match.start(kind) + 1}")
                continue
            if kind != "op":
                raise ValueError(f"expected an operator at character {match.start(kind) + 1}")
            expect_operand = True
    if expect_operand or depth:
        raise ValueError("formula ends early (missing operand or ')')")
    return refs


class TargetZone(PPSModel):
    """A band of values with a meaning: good, warning or critical."""

    rdf_class = "pps:TargetZone"
    label_lv = "vērtību zona"
    definition_lv = "Vērtību josla ar nozīmi: zaļā, dzeltenā vai sarkanā zona."

    level: ZoneLevel = term("pps:zoneLevel", "zona", "Good, warning or critical.", lv_doc="Zonas nozīme: zaļā, dzeltenā vai sarkanā.")
    lower: Number | None = term("pps:lowerBound", "no", "Lowest value in the zone (inclusive); empty for no limit.", default=None, lv_doc="Zemākā vērtība (zonā ieskaitot).")
    upper: Number | None = term("pps:upperBound", "līdz", "Highest value in the zone (exclusive); empty for no limit.", default=None, lv_doc="Augstākā vērtība.")

    def broken_rules(self) -> Iterator[RuleProblem]:
        if self.lower is None and self.upper is None:
            yield (), "a zone needs a lower or an upper bound"
        elif self.lower is not None and self.upper is not None and self.upper <= self.lower:
            yield ("upper",), f"upper bound {self.upper} is not above lower bound {self.lower}"


class Target(PPSModel):
    """Target values of an indicator, concept [278.10]."""

    rdf_class = "pps:Target"
    label_lv = "mērķa vērtības"
    definition_lv = "Rādītāja mērķa vērtības: minimums, maksimums, robežas, zonas vai skala [278.10]."

    kind: TargetKind = term("pps:targetKind", "mērķa vērtību veids", "Minimum, maximum, range, zones or rating scale.", lv_doc="Kā izteiktas mērķa vērtības: minimums, maksimums, robežas, zonas vai skala.")
    value: Number | None = term("pps:targetValue", "mērķa vērtība", "The value aimed at.", default=None, lv_doc="Vērtība, uz ko tiecas.")
    minimum: Number | None = term("pps:minimum", "minimālā vērtība", "Lowest acceptable value (or the scale's lowest point).", default=None, lv_doc="Mazākā pieņemamā vērtība (vai skalas zemākais punkts).")
    maximum: Number | None = term("pps:maximum", "maksimālā vērtība", "Highest acceptable value (or the scale's highest point).", default=None, lv_doc="Lielākā pieņemamā vērtība (vai skalas augstākais punkts).")
    zones: list[TargetZone] = term("pps:zone", "zonas", "Value bands, for kind 'zones'.", default_factory=list, lv_doc="Mērķa vērtību zona.")

    def broken_rules(self) -> Iterator[RuleProblem]:
        needs = {
            TargetKind.MINIMUM: ("minimum",),
            TargetKind.MAXIMUM: ("maximum",),
            TargetKind.RANGE: ("minimum", "maximum"),
            TargetKind.SCALE: ("minimum", "maximum"),
            TargetKind.ZONES: ("zones",),
        }[self.kind]
        for name in needs:
            if getattr(self, name) in (None, []):
                yield (name,), f"a target of kind '{self.kind.value}' needs {name}"
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and high < low:
            yield ("maximum",), f"maximum {high} is below minimum {low}"
        elif self.value is not None and self.kind in (TargetKind.RANGE, TargetKind.SCALE) and low is not None and high is not None:
            if not low <= self.value <= high:
                yield ("value",), f"target value {self.value} is outside {low}…{high}"
        yield from _overlapping_zones(self.zones)


def _overlapping_zones(zones: list[TargetZone]) -> Iterator[RuleProblem]:
    spans = sorted(
        ((z.lower if z.lower is not None else float("-inf"), z.upper if z.upper is not None else float("inf"), i) for i, z in enumerate(zones))
    )
    for (_, prev_high, _), (low, _, index) in zip(spans, spans[1:]):
        if low < prev_high:
            yield ("zones", index), "zone overlaps another zone"


class Corridor(PPSModel):
    """Critical corridor: values outside it call for immediate corrective action, [278.10.1]."""

    rdf_class = "pps:Corridor"
    label_lv = "kritiskais koridors"
    definition_lv = "Vērtības ārpus koridora prasa tūlītēju rīcību [278.10.1]."

    lower: Number | None = term("pps:lowerBound", "apakšējā robeža", "Values below it are critical.", default=None)
    upper: Number | None = term("pps:upperBound", "augšējā robeža", "Values above it are critical.", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        if self.lower is None and self.upper is None:
            yield (), "a corridor needs a lower or an upper bound"
        elif self.lower is not None and self.upper is not None and self.upper <= self.lower:
            yield ("upper",), f"upper bound {self.upper} is not above lower bound {self.lower}"

    def contains(self, value: float) -> bool:
        """True when `value` is inside the corridor (no corrective action needed)."""
        return (self.lower is None or value >= self.lower) and (self.upper is None or value <= self.upper)


class Indicator(PPSModel):
    """An indicator with its passport, concept [278]."""

    rdf_class = "pps:Indicator"
    label_lv = "pakalpojuma rādītājs"
    definition_lv = "Rādītājs ar rādītāja pasi: nosaukums, mērķis, veids, mērvienība, biežums, datu avots, mērķa vērtības [278]."

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique in the catalogue; formulas and measurements refer to it.")
    name: LangText = term("dct:title", "rādītāja nosaukums", "Name, [278.1].")
    goal: LangText = term("pps:goal", "mērķis", "What the indicator is used for, [278.2].", lv_doc="Kam rādītājs tiek izmantots [278.2].")
    description: LangText | None = term("dct:description", "īss apraksts", "Short description, [278.3].", default=None)
    kind: IndicatorKind = term("pps:indicatorKind", "rādītāja veids", "Result (volume, cost, quality, accessibility) or process kind, [277], [278.4].", lv_doc="Rezultāta (apjoma, izmaksu, kvalitātes, pieejamības) vai procesa rādītāja veids [277].")
    scope: IndicatorScope = term("pps:indicatorScope", "ārējais / iekšējais", "External (published) or internal, [278.4].", lv_doc="Ārējais (publicējams) vai iekšējais rādītājs [278.4].")
    unit: ShortText = term("pps:unit", "mērvienība", "Unit of measure, e.g. 'cases', 'days', '%', 'EUR', [278.5].", lv_doc="Mērvienība, piemēram, gadījumi, dienas, %, EUR [278.5].")
    formula: ShortText | None = term("pps:formula", "formula", "For derived indicators: arithmetic over {indicator-id} references, [278.6].", default=None, lv_doc="Atvasināta rādītāja aprēķina formula ar atsaucēm {rādītājs} [278.6].")
    measuring_frequency: Frequency = term("pps:measuringFrequency", "mērīšanas biežums", "How often it is measured, [278.7].", lv_doc="Cik bieži rādītāju mēra [278.7].")
    reporting_frequency: Frequency = term("pps:reportingFrequency", "atskaišu biežums", "How often it is reported and checked, [278.7].", lv_doc="Cik bieži par rādītāju atskaitās un to pārbauda [278.7].")
    start: Day = term("pps:measuringStart", "mērīšanas sākums", "When measuring starts, [278.8].", lv_doc="Rādītāja mērīšanas sākums [278.8].")
    end: Day | None = term("pps:measuringEnd", "mērīšanas beigas", "When measuring ends, [278.8].", default=None, lv_doc="Rādītāja mērīšanas beigas [278.8].")
    data_source: DataSource = term("pps:dataSource", "datu avots", "How data is obtained, [278.9].", lv_doc="Kā iegūst datus: uzskaite, izpildes kontrole, monitorings, aptaujas, auditi [278.9].")
    data_source_detail: LangText | None = term("pps:dataSourceDetail", "datu avota apraksts", "Which system or register, in words.", default=None, lv_doc="Kura sistēma vai reģistrs ir datu avots.")
    target: Target | None = term("pps:target", "mērķa vērtības", "Target values, [278.10].", default=None, lv_doc="Rādītāja mērķa vērtības [278.10].")
    critical_corridor: Corridor | None = term("pps:criticalCorridor", "kritiskais koridors", "Values needing immediate action, [278.10.1].", default=None, lv_doc="Rādītāja kritiskais koridors [278.10.1].")
    alarm_procedure: LangText | None = term("pps:alarmProcedure", "trauksmes kārtība", "What happens when a value leaves the corridor, [278.10.2].", default=None, lv_doc="Kas notiek, ja vērtība iziet ārpus koridora [278.10.2].")
    measured_by: ResponsibleRole | None = term("pps:measuredBy", "atbildīgais par mērīšanu", "Who measures and reports, [278.11].", default=None, lv_doc="Kas mēra rādītāju un par to atskaitās [278.11].")
    analysed_by: ResponsibleRole | None = term("pps:analysedBy", "atbildīgais par analīzi", "Who analyses, [278.12].", default=None, lv_doc="Kas analizē rādītāju [278.12].")

    @property
    def is_derived(self) -> bool:
        return self.formula is not None

    @property
    def references(self) -> list[str]:
        """Identifiers of the indicators the formula uses (empty when not derived)."""
        return formula_references(self.formula) if self.formula else []

    def broken_rules(self) -> Iterator[RuleProblem]:
        yield from period_problems(self.start, self.end, "end")
        if self.formula is not None:
            try:
                refs = formula_references(self.formula)
            except ValueError as exc:
                yield ("formula",), str(exc)
            else:
                if not refs:
                    yield ("formula",), "a formula must refer to at least one {indicator}"
                if self.id in refs:
                    yield ("formula",), "a formula may not refer to its own indicator"
        if self.critical_corridor is not None and self.alarm_procedure is None:
            yield ("alarm_procedure",), "an indicator with a critical corridor needs an alarm procedure"


class Measurement(PPSModel):
    """One measured value of an indicator for a period, optionally for a channel or segment."""

    rdf_class = "qb:Observation"

    indicator: Identifier = term("pps:indicator", "rādītājs", "The indicator measured.", ref="indicators", lv_doc="Rādītājs, kura vērtība izmērīta.")
    start: Day = term("pps:periodStart", "perioda sākums", "First day of the period.", lv_doc="Mērījuma perioda pirmā diena.")
    end: Day = term("pps:periodEnd", "perioda beigas", "Last day of the period.", lv_doc="Mērījuma perioda pēdējā diena.")
    value: Number = term("pps:value", "vērtība", "The measured value, in the indicator's unit.", lv_doc="Izmērītā vērtība rādītāja mērvienībā.")
    channel: Identifier | None = term("pps:channel", "kanāls", "The channel it was measured for.", ref="channels", default=None)
    segment: ClientSegment | None = term("pps:segment", "klientu segments", "The client segment it was measured for.", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        yield from period_problems(self.start, self.end, "end")

