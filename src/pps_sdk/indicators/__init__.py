"""Indicators: measured values in, derived values computed, each value judged against its
passport's target and critical corridor.

    from pps_sdk import load
    from pps_sdk.indicators import read_measurements, evaluate

    catalogue = load("examples/building-permit.json")
    readings = read_measurements(["measurements.csv"], catalogue)
    for value in evaluate(catalogue, readings).values:
        print(value.indicator, value.period.label, value.value, value.status)

How to write a passport, feed measurements and read the check: docs/indicators.md.
"""

from .evaluation import Alarm, EvaluatedValue, Evaluation, Status, describe_target, evaluate, judge
from .formula import FormulaError, compile_formula, evaluate_formula
from .periods import PERIOD_FORMS, Period, parse_period
from .report import write_report
from .tables import EVALUATED_COLUMNS, evaluated_rows, write_evaluated
from .cube import integrity_problems, write_cube
from .library import KINDS, Template, adopt, new_passport, templates
from .readings import COLUMNS, Breakdown, MeasurementsError, Reading, ReadingProblem, read_measurements
from .rollups import Method, RollUp, centre_figures, method, roll_up

__all__ = [
    "Alarm", "EvaluatedValue", "Evaluation", "Status", "describe_target", "evaluate", "judge",
    "COLUMNS", "PERIOD_FORMS", "Breakdown", "FormulaError", "MeasurementsError", "Period", "Reading", "ReadingProblem",
    "EVALUATED_COLUMNS", "evaluated_rows", "write_evaluated",
    "compile_formula", "evaluate_formula", "parse_period", "read_measurements",
    "KINDS", "Template", "adopt", "new_passport", "templates",
    "Method", "RollUp", "centre_figures", "method", "roll_up",
    "integrity_problems", "write_cube", "write_report",
]
