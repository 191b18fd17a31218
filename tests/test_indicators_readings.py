"""Measured values in: real CSV and XLSX tables written here, and a catalogue's measurements."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from pps_sdk import load
from pps_sdk.errors import FormatError, MalformedError
from pps_sdk.indicators import MeasurementsError, Period, parse_period, read_measurements
from pps_sdk.model.enums import Frequency
from conftest import ROOT

PERMIT = ROOT / "src" / "pps_sdk" / "examples" / "building-permit.json"


@pytest.fixture(scope="module")
def catalogue():
    return load(PERMIT)


def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def problems_of(error):
    return [(p.row, p.column, p.message) for p in error.value.problems]


# -- periods ---------------------------------------------------------------------------------

@pytest.mark.parametrize("label, start, end", [
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-W05", date(2026, 1, 26), date(2026, 2, 1)),
    ("2026-03-15", date(2026, 3, 15), date(2026, 3, 15)),
])
def test_a_period_label_names_its_days_and_is_given_back(label, start, end):
    period = parse_period(label)
    assert (period.start, period.end) == (start, end)
    assert period.label == label


@pytest.mark.parametrize("label", ["2026-Q5", "2026-13", "2026-02-30", "Q1 2026", "", "2026-W60"])
def test_a_label_that_names_no_period_is_refused(label):
    with pytest.raises(ValueError):
        parse_period(label)


def test_periods_fit_their_frequency_only():
    quarter = parse_period("2026-Q2")
    assert quarter.fits(Frequency.QUARTERLY) and quarter.fits(Frequency.CONTINUOUS)
    assert not quarter.fits(Frequency.MONTHLY) and not quarter.fits(Frequency.HALF_YEARLY)
    assert not Period(date(2026, 2, 1), date(2026, 4, 30)).fits(Frequency.QUARTERLY)
    assert parse_period("2026-W05").fits(Frequency.WEEKLY) and not parse_period("2026-03-15").fits(Frequency.WEEKLY)


def test_previous_and_year_earlier_periods():
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2026-03").previous().label == "2026-02"
    assert parse_period("2024-02").year_earlier().label == "2023-02"
    assert parse_period("2024-02-29").year_earlier().label == "2023-02-28"
    assert parse_period("2026-W01").previous().label == "2025-W52"


# -- tables ----------------------------------------------------------------------------------

def test_csv_and_xlsx_tables_are_read_with_the_catalogue_measurements(catalogue, tmp_path):
    csv_file = write_csv(tmp_path / "q3.csv", "indicator;period;value;unit;segment\n"
                         "ind-buvatlauja-ilgums;2026-Q3;31,5;dienas;\n"
                         "ind-buvatlauja-lietas;2026-07;20;;residents\n\n")
    xlsx_file = write_xlsx(tmp_path / "q4.xlsx", [["Indicator", "Start", "End", "Value", "Provider", "Centre"],
                                                  ["ind-buvatlauja-lietas", date(2026, 10, 1), date(2026, 12, 31), 61, "org-x", "vpvkac-ozolnieki"]])
    readings = read_measurements([csv_file, xlsx_file], catalogue)
    assert len(readings) == len(catalogue.measurements) + 3
    by_source = {r.source: r for r in readings}
    assert by_source[f"{csv_file}, row 2"].value == 31.5
    assert by_source[f"{csv_file}, row 3"].breakdown.segment == "residents"
    q4 = by_source[f"{xlsx_file}, row 2"]
    assert (q4.period.label, q4.value, q4.breakdown.centre, q4.breakdown.provider) == ("2026-Q4", 61.0, "vpvkac-ozolnieki", "org-x")
    assert by_source["catalogue, measurements[6]"].breakdown.channel == "ch-jelgava-vpvkac"


def test_every_wrong_row_is_reported_with_its_row_and_column_and_nothing_is_returned(catalogue, tmp_path):
    table = write_csv(tmp_path / "bad.csv", "indicator,period,value,unit,channel\n"
                      "ind-buvatlauja-lietas,2026-07,12,,\n"
                      "ind-buvatlauja-lietas,2026-07,13,,\n"
                      "ind-nope,2026-Q3,1,,\n"
                      "ind-buvatlauja-ilgums,2025-Q3,1,days,ch-x\n"
                      "ind-buvatlauja-ilgums,2026-02-03,1,,\n"
                      "ind-buvatlauja-ilgums,2026-Q4,abc,,\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], catalogue)
    found = problems_of(error)
    assert (3, None) == found[0][:2] and "already has a value for 2026-07" in found[0][2] and "row 2" in found[0][2]
    assert (4, "indicator") == found[1][:2] and "unknown indicator 'ind-nope'" in found[1][2]
    assert [(row, column) for row, column, _ in found[2:]] == [(5, "channel"), (5, "unit"), (5, "period"), (6, "period"), (7, "value")]
    assert "outside the measuring period" in found[4][2]
    assert "not one whole period" in found[5][2] and "measured monthly and reported quarterly" in found[5][2]
    assert str(table) in str(error.value) and "row 7, column 'value'" in str(error.value)


def test_a_value_repeating_a_catalogue_measurement_is_a_duplicate(catalogue, tmp_path):
    table = write_csv(tmp_path / "again.csv", "indicator,start,end,value\nind-buvatlauja-lietas,2026-01-01,2026-03-31,42\n")
    with pytest.raises(MeasurementsError, match=r"row 2: 'ind-buvatlauja-lietas' already has a value for 2026-Q1 \(all\) at catalogue, measurements\[0\]"):
        read_measurements([table], catalogue)
    assert len(read_measurements([table], catalogue, with_catalogue=False)) == 1


def test_a_header_that_lacks_columns_or_has_unknown_ones_is_reported_once(catalogue, tmp_path):
    table = write_csv(tmp_path / "header.csv", "indicator,vaule,period\nind-buvatlauja-lietas,1,2026-07\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], catalogue)
    assert problems_of(error) == [(1, "vaule", "unknown column; the columns are indicator, period, start, end, value, unit, "
                                                "channel, segment, provider, centre"), (1, None, "no 'value' column")]


def test_start_and_end_are_checked(catalogue, tmp_path):
    table = write_csv(tmp_path / "days.csv", "indicator,period,start,end,value\n"
                      "ind-buvatlauja-lietas,2026-07,2026-07-01,,1\n"
                      "ind-buvatlauja-lietas,,2026-07-31,2026-07-01,1\n"
                      "ind-buvatlauja-lietas,,31.07.2026,,1\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], catalogue)
    assert [(row, column) for row, column, _ in problems_of(error)] == [(2, "period"), (3, "end"), (4, "start"), (4, "end")]


def test_an_unknown_segment_and_a_value_off_the_rating_scale(catalogue, tmp_path):
    data = catalogue.model_dump(mode="json")
    data["services"][0]["indicators"][0]["target"] = {"kind": "scale", "minimum": 1, "maximum": 5, "value": 4}
    rated = type(catalogue).model_validate(data)
    table = write_csv(tmp_path / "scale.csv", "indicator,period,value,segment\nind-buvatlauja-lietas,2026-07,6,aliens\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], rated, with_catalogue=False)
    assert [(row, column) for row, column, _ in problems_of(error)] == [(2, "segment"), (2, "value")]
    assert "off the rating scale 1…5" in problems_of(error)[1][2]


def test_what_is_not_a_table_is_refused_as_unreadable(catalogue, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"indicator,period,value\n")
    broken_zip = tmp_path / "broken.xlsx"
    broken_zip.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("indicator,period,value\nind-buvatlauja-lietas,2026-07,1 \xe2\n".encode("latin-1"))
    for path in (fake, broken_zip, latin, tmp_path / "missing.csv", write_csv(tmp_path / "empty.csv", "\n\n"),
                 write_csv(tmp_path / "m.json", "{}")):
        with pytest.raises(FormatError):
            read_measurements([path], catalogue)
    with pytest.raises(MalformedError, match="not an XLSX workbook"):
        read_measurements([fake], catalogue)


def test_an_xlsx_formula_is_read_as_its_cached_value_never_computed(catalogue, tmp_path):
    table = write_xlsx(tmp_path / "formula.xlsx", [["indicator", "period", "value"], ["ind-buvatlauja-lietas", "2026-07", "=1+1"]])
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], catalogue)  # openpyxl saved no cached value: the cell is empty, not 2
    assert problems_of(error) == [(2, "value", "a formula without a saved value: open and save the workbook in a "
                                               "spreadsheet program")]


def test_hostile_cells_are_reported_not_crashed_on(catalogue, tmp_path):
    table = write_xlsx(tmp_path / "hostile.xlsx", [["indicator", "period", "value"],
                                                   ["ind-buvatlauja-lietas", "2026-07", "9" * 400],
                                                   ["x" * 10_000, "2026-08", 1], ["ind-buvatlauja-lietas", 2026, True]])
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], catalogue)
    found = problems_of(error)
    assert [(row, column) for row, column, _ in found] == [(2, "value"), (3, "indicator"), (4, "value")]
    assert "not a finite number" in found[0][2] and len(found[1][2]) < 200


def test_an_xlsx_that_claims_to_be_far_wider_than_its_cells_is_read_as_its_cells(catalogue, tmp_path):
    import zipfile

    from pps_sdk.indicators.readings import _xlsx_rows

    made = write_xlsx(tmp_path / "made.xlsx", [["indicator", "period", "value"], ["ind-buvatlauja-lietas", "2026-07", 5]])
    table = tmp_path / "wide.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(table, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD3001"/>')
                assert b"XFD3001" in data
            target.writestr(item, data)
    assert max(len(row) for row in _xlsx_rows(table)) <= 20
    assert [r.value for r in read_measurements([table], catalogue, with_catalogue=False)] == [5.0]


def test_values_too_large_for_an_indicator_are_refused_with_their_row(catalogue, tmp_path):
    table = write_csv(tmp_path / "huge.csv", "indicator,period,value\nind-buvatlauja-lietas,2026-07,1e308\n"
                                             "ind-buvatlauja-lietas,2026-08,-1.7e308\nind-buvatlauja-lietas,2026-09,1e15\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([table], catalogue)
    found = problems_of(error)
    assert [(row, column) for row, column, _ in found] == [(2, "value"), (3, "value")]
    assert all("too large for an indicator value" in message for _, _, message in found)


def test_a_change_between_values_is_given_only_when_it_is_finite():
    from pps_sdk.indicators.evaluation import EvaluatedValue, Status

    value = EvaluatedValue("x", "", parse_period("2026-07"), None, -1.7e308, False, Status.NO_TARGET, "", "",
                           previous=1.7e308, year_earlier=1.0)
    assert value.change_from_previous is None and value.change_from_year_earlier == -1.7e308


def test_the_year_earlier_week_has_the_same_number_and_week_53_may_have_none():
    assert parse_period("2021-W01").year_earlier().label == "2020-W01"  # 2020 has 53 weeks: 52 weeks back is 2020-W02
    assert parse_period("2026-W10").year_earlier().label == "2025-W10"
    assert parse_period("2020-W53").year_earlier() is None  # 2019 has 52 weeks


def test_a_decimal_comma_only_where_the_comma_separates_nothing_and_thousands_are_refused(catalogue, tmp_path):
    semicolons = write_csv(tmp_path / "lv.csv", "indicator;period;value\nind-buvatlauja-lietas;2026-07;12,5\n"
                                                "ind-buvatlauja-lietas;2026-08;1,000\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([semicolons], catalogue, with_catalogue=False)
    assert problems_of(error) == [(3, "value", "'1,000' may be a thousand or one: write a thousand as 1000, one as 1.0")]
    tabs = write_csv(tmp_path / "lv.txt", "indicator\tperiod\tvalue\nind-buvatlauja-lietas\t2026-07\t12,5\n")
    assert [r.value for r in read_measurements([tabs], catalogue, with_catalogue=False)] == [12.5]
    commas = write_csv(tmp_path / "en.csv", 'indicator,period,value\nind-buvatlauja-lietas,2026-07,"12,5"\n'
                                            'ind-buvatlauja-lietas,2026-08,"1,000"\n')
    with pytest.raises(MeasurementsError) as error:
        read_measurements([commas], catalogue, with_catalogue=False)
    assert [(row, column) for row, column, _ in problems_of(error)] == [(2, "value"), (3, "value")]
    assert "a decimal comma is read only in a table separated by semicolons or tabs" in problems_of(error)[0][2]


def test_a_column_twice_and_cells_beyond_the_header_are_refused(catalogue, tmp_path):
    twice = write_csv(tmp_path / "twice.csv", "indicator,period,value,value\nind-buvatlauja-lietas,2026-07,5,6\n")
    with pytest.raises(MeasurementsError) as error:
        read_measurements([twice], catalogue, with_catalogue=False)
    assert problems_of(error) == [(1, "value", "the column is there twice; keep one")]
    beyond = write_xlsx(tmp_path / "beyond.xlsx", [["indicator", "period", "value"], ["ind-buvatlauja-lietas", "2026-07", 5],
                                                   ["ind-buvatlauja-lietas", "2026-08", 5, None, "note"]])
    with pytest.raises(MeasurementsError) as error:
        read_measurements([beyond], catalogue, with_catalogue=False)
    assert problems_of(error) == [(3, "#5", "a cell beyond the header: name its column in the first row, or clear it")]
