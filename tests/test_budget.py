"""Budget loaders: OMB Historical Tables, DoD Green Book, SIPRI.

Parser tests use small workbooks written here with openpyxl in the upstream layouts (see the helpers); check-figure
tests read the real upstream files through the ``raw_dir`` fixture."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from loaders import budget
from loaders.schema import DataError, read_table

# ------------------------------------------------------------------------------------------------- helpers

def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def omb_31(path: Path, defense_row=None, header=True) -> Path:
    """A Table 3.1 in OMB's layout: title, header (years, TQ, 'YYYY estimate'), three sections."""
    years = ["1968", "1975", "1976", "TQ", "1977", "2025", "2026 estimate", "2027 estimate"]
    rows = [["Table 3.1 - OUTLAYS BY SUPERFUNCTION AND FUNCTION:  1940 - 2031"]]
    if header:
        rows.append(["Superfunction and Function"] + years)
    rows += [
        ["In millions of dollars:"],
        defense_row or ["National Defense", 81926, 86509, 89619, 22269, 97241, 916140, 966396, 1205028],
        ["Human resources", 59375, 1, 2, 3, 4, 5, 6, 7],
        ["Total, Federal outlays", 178134, 1, 2, 3, 4, 5, 6, 7],
        ["As percentages of outlays:"],
        ["National defense", 46, 26, 24.1, 23.2, 23.8, 13.1, 12.8, 14.9],
        ["As percentages of GDP:"],
        ["National defense", 9.1, 5.4, 5.1, 4.9, 4.8, 3, 3, "*"],
        ["* 0.05 percent or less"],
    ]
    return _xlsx(path, {"Table": rows})


def omb_32(path: Path) -> Path:
    years = ["1968", "TQ", "2027 estimate", "2028 estimate", "2029 estimate", "2030 estimate"]
    rows = [
        ["Table 3.2 - OUTLAYS BY FUNCTION AND SUBFUNCTION:  1962 - 2031"],
        ["(in millions of dollars)"],
        ["Function and Subfunction"] + years,
        ["050 National Defense:"],
        ["051 Department of Defense-Military:"],
        ["Military Personnel", 19961, 8268, 200, "N/A", "N/A", "N/A"],
        ["Operation and Maintenance", 22227, 7232, 300, "N/A", "N/A", "N/A"],
        ["Procurement", 23283, 3766, 100, "N/A", "N/A", "N/A"],
        ["Research, Development, Test, and Evaluation", 7747, 2206, 100, "N/A", "N/A", "N/A"],
        ["Military Construction", 1281, 376, 10, "N/A", "N/A", "N/A"],
        ["Family Housing", 495, 296, 10, "N/A", "N/A", "N/A"],
        ["Other", 5361, -338, 5, "N/A", "N/A", "N/A"],
        ["051 Subtotal, Department of Defense-Military", 80355, 21807, 725, 900, 950, 960],
        ["053 Atomic energy defense activities", 1468, 435, 20, 21, 22, 23],
        ["054 Defense-related activities", 103, 27, 5, 5, 5, 5],
        ["Total, National Defense", 81926, 22269, 750, 926, 977, 988],
        ["150 International Affairs:"],
        ["Other", 1, 1, 1, 1, 1],
    ]
    return _xlsx(path, {"Table": rows})


def greenbook(path: Path, army_1968=75000, total_1968=130000, extra_row=None) -> Path:
    """A Table 6-10 in the Green Book layout (title rows, 'FY' header, Current / Constant / Real growth blocks)."""
    head = ["Military Department", None, None, "FY 1968", "FY 2020", "FY 2021", "FY 2022", "FY 1990"]
    rows = [
        ["Table 6-10:  DEPARTMENT OF DEFENSE BUDGET AUTHORITY BY MILITARY DEPARTMENT"],
        ["(Discretionary and Mandatory Dollars in Millions)"],
        [],
        [],
        head,
        ["Current Dollars"],
        ["Army  ..................", None, " ", army_1968, 186300, 174206, 172611, 78479],
        ["Navy  ..................", None, " ", "25000", 213811, 207124, 211885, 99977],
        ["Air Force  .............", None, " ", 25000, 205895, 203740, 212493, 92890],
        ["Defense-Wide  ..........", None, " ", 5000, 132749, 128781, 130890, None],
        [None, "Total Current Dollars  .........", " ", total_1968, 738755, 713852, 727880, 271346],
        ["FY 2022 Constant Dollars"],
        ["Army  ..................", None, " ", 500000, 194175, 178124, 172611, 140000],
        ["Navy  ..................", None, " ", 150000, 222319, 211821, 211885, 170000],
        ["Air Force  .............", None, " ", 150000, 213702, 208339, 212493, 160000],
        ["Defense-Wide  ..........", None, " ", 30000, 138585, 131812, 130890, 40000],
        [None, "Total Constant Dollars  ........", " ", 830000, 768782, 730097, 727880, 510000],
        ["Percent Real Growth (%)"],
        ["Army  ..................", None, " ", 0, -0.1, -8.3, -3.1, 1],
        [None, "Total Real Growth  ...........", " ", 0, 1.7, -5, -0.3, 1],
        [],
        ["NOTE:  War and supplemental funding is included."],
    ]
    if extra_row:
        rows.insert(10, extra_row)
    return _xlsx(path, {"6-10": rows})


def sipri(path: Path, us_2023="916014.7", drop_sheet=None, header=True) -> Path:
    """A SIPRI Milex workbook with the three sheets the loader reads (title lines, header in row 6, region
    headings, country rows with '...' / 'xxx' codes); 'Constant' has SIPRI's extra empty column."""
    def sheet(title, values, extra_col=False):
        head = ["Country"] + ([""] if extra_col else []) + ["Notes", 1990, 1991, 2022, 2023, 2024]
        pad = [None] if extra_col else []
        rows = [[title], ["Figures are in US $m."], ["Figures in blue are SIPRI estimates."],
                ['". ." = data unavailable. "xxx" = country did not exist'], [""]]
        rows.append(head if header else ["Algeria"] + pad + ["", 1, 2, 3, 4, 5])
        rows += [[None], ["Americas"], ["North America"]]
        for name, note, vals in values:
            rows.append([name] + pad + [note] + vals)
        return rows
    current = [
        ("United States of America", "44", [325129.0, 335000.0, 860692.2, float(us_2023) if us_2023.replace(".", "").isdigit() else us_2023, 997309]),
        ("Peru", "50", ["...", "...", 2799.19, 3308.6118, 2565.27]),
        ("USSR", "", [200000.0, "xxx", "xxx", "xxx", "xxx"]),
        ("European Union", "", ["...", "...", 1.0, 2.0, 3.0]),
    ]
    constant = [(n, note, [v if isinstance(v, str) else v * 1.1 for v in vals]) for n, note, vals in current]
    share = [
        ("United States of America", "44", [0.051, 0.049, 0.0340452, 0.0330445, 0.0341922]),
        ("Peru", "50", ["...", "...", 0.0113513, 0.0123586, 0.0090929]),
        ("USSR", "", ["...", "xxx", "xxx", "xxx", "xxx"]),
        ("European Union", "", ["...", "...", "...", "...", "..."]),
    ]
    sheets = {"Front page": [["SIPRI"]],
              "Current US$": sheet("Military expenditure by country, in millions of US$ at current prices", current),
              "Constant (2023) US$": sheet("Military expenditure by country, in constant (2023) US$ m.", constant, True),
              "Share of GDP": sheet("Military expenditure by country as percentage of gross domestic product", share)}
    if drop_sheet:
        del sheets[drop_sheet]
    return _xlsx(path, sheets)


def _problems(fn, *args) -> list:
    with pytest.raises(DataError) as info:
        fn(*args)
    return info.value.problems


def _value(frame, **where):
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, where
    return sel.iloc[0]["value" if "value" in sel.columns else "value_usd_m"]


# ------------------------------------------------------------------------------------------------- OMB

def test_omb_31_parses_sections_estimates_and_drops_tq(tmp_path):
    frame = budget.parse_omb_table(omb_31(tmp_path / "hist03z1.xlsx"), "3.1")
    assert set(frame["unit"]) == {"usd_m_current", "pct_federal_outlays", "pct_gdp"}
    assert _value(frame, fiscal_year=1968, unit="usd_m_current") == 81926
    assert _value(frame, fiscal_year=1976, unit="usd_m_current") == 89619  # not the TQ's 22,269
    assert 22269 not in set(frame["value"])
    assert _value(frame, fiscal_year=1968, unit="pct_federal_outlays") == 46
    assert _value(frame, fiscal_year=2025, unit="pct_gdp") == 3
    # "*" (0.05 percent or less) is left out, not written as 0
    assert frame[(frame["fiscal_year"] == 2027) & (frame["unit"] == "pct_gdp")].empty
    est = frame.set_index(["fiscal_year", "unit"])["is_estimate"]
    assert not est[(2025, "usd_m_current")]
    assert bool(est[(2026, "usd_m_current")]) and bool(est[(2027, "usd_m_current")])
    assert set(frame["series"]) == {"national_defense"} and set(frame["omb_table"]) == {"3.1"}
    assert {spec.series for specs in budget.OMB_ROWS.values() for spec in specs} == set(budget.SERIES_LABELS)
    assert set(frame["label"]) == {"National Defense", "National defense"}


def test_omb_32_subfunctions_and_na(tmp_path):
    frame = budget.parse_omb_table(omb_32(tmp_path / "hist03z2.xlsx"), "3.2")
    assert _value(frame, fiscal_year=1968, series="dod_military") == 80355
    assert _value(frame, fiscal_year=1968, series="dod_other") == 5361  # "Other" under 051, not under 150
    assert _value(frame, fiscal_year=2029, series="national_defense") == 977
    # "N/A" component estimates are left out
    assert frame[(frame["fiscal_year"] == 2028) & (frame["series"] == "procurement")].empty
    assert set(frame["fiscal_year"]) == {1968, 2027, 2028, 2029, 2030}


def test_omb_text_in_number_cell_names_file_row_field(tmp_path):
    path = omb_31(tmp_path / "hist03z1.xlsx",
                  defense_row=["National Defense", 81926, "lots", 89619, 22269, 97241, 916140, 966396, 1205028])
    problems = _problems(budget.parse_omb_table, path, "3.1")
    assert [(p.file, p.row, p.field) for p in problems] == [("hist03z1.xlsx[Table]", 4, "C (1975)")]
    assert "'lots'" in problems[0].rule


def test_omb_missing_header_row(tmp_path):
    problems = _problems(budget.parse_omb_table, omb_31(tmp_path / "h.xlsx", header=False), "3.1")
    assert (problems[0].file, problems[0].field) == ("h.xlsx[Table]", "header")


def test_omb_missing_series_row(tmp_path):
    path = omb_31(tmp_path / "h.xlsx", defense_row=["Defence spending", 1, 2, 3, 4, 5, 6, 7, 8])
    problems = _problems(budget.parse_omb_table, path, "3.1")
    assert [(p.field, p.row) for p in problems] == [("national_defense", None)]
    assert "In millions of dollars" in problems[0].rule


def test_not_a_workbook(tmp_path):
    path = tmp_path / "hist03z1.xlsx"
    path.write_text("fiscal_year,value\n1968,81926\n", encoding="utf-8")
    problems = _problems(budget.parse_omb_table, path, "3.1")
    assert problems[0].file == "hist03z1.xlsx" and "not a readable .xlsx" in problems[0].rule
    assert _problems(budget.parse_omb_table, tmp_path / "nope.xlsx", "3.1")[0].rule == "file is missing"


# ------------------------------------------------------------------------------------------------- Green Book

def test_greenbook_parses_blocks_status_and_blanks(tmp_path):
    frame = budget.parse_greenbook_table(greenbook(tmp_path / "t.xlsx"), "budget_authority", "military_department")
    assert set(frame["dollars"]) == {"current", "constant_fy2022"}  # "Percent Real Growth" is not read
    assert _value(frame, fiscal_year=1968, category="army", dollars="current") == 75000
    assert _value(frame, fiscal_year=1968, category="navy", dollars="current") == 25000  # numeric text
    assert _value(frame, fiscal_year=2022, category="defense_wide", dollars="constant_fy2022") == 130890
    status = dict(zip(frame["fiscal_year"], frame["status"]))
    assert status == {1968: "actual", 1990: "actual", 2020: "actual", 2021: "enacted", 2022: "request"}
    # an empty upstream cell is left out, never 0
    assert frame[(frame["fiscal_year"] == 1990) & (frame["category"] == "defense_wide")
                 & (frame["dollars"] == "current")].empty
    assert set(frame["measure"]) == {"budget_authority"} and set(frame["breakdown"]) == {"military_department"}


def test_greenbook_total_mismatch(tmp_path):
    problems = _problems(budget.parse_greenbook_table, greenbook(tmp_path / "t.xlsx", total_1968=140000),
                         "budget_authority", "military_department")
    assert [(p.file, p.row, p.field) for p in problems] == [("t.xlsx[6-10]", 11, "D (FY 1968)")]
    assert "differs from the sum" in problems[0].rule


def test_greenbook_text_in_number_cell(tmp_path):
    problems = _problems(budget.parse_greenbook_table, greenbook(tmp_path / "t.xlsx", army_1968="n.a."),
                         "budget_authority", "military_department")
    assert [(p.row, p.field) for p in problems] == [(7, "D (FY 1968)")]
    assert "'n.a.'" in problems[0].rule


def test_greenbook_unknown_row(tmp_path):
    path = greenbook(tmp_path / "t.xlsx", extra_row=["Space Force  .......", None, " ", 0, 1, 2, 3, 4])
    problems = _problems(budget.parse_greenbook_table, path, "budget_authority", "military_department")
    assert [(p.row, p.field) for p in problems] == [(11, "A")]
    assert "Space Force" in problems[0].rule


def test_greenbook_missing_header(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", {"6-8": [["Table 6-8"], ["Current Dollars"], ["Army", None, " ", 1, 2]]})
    problems = _problems(budget.parse_greenbook_table, path, "budget_authority", "title")
    assert (problems[0].file, problems[0].field) == ("t.xlsx[6-8]", "header")


# ------------------------------------------------------------------------------------------------- SIPRI

def test_sipri_reads_three_sheets_long(tmp_path):
    frame = budget.read_sipri_workbook(sipri(tmp_path / "milex.xlsx"))
    assert list(frame.columns) == [c.name for c in budget.SIPRI.columns]
    assert len(frame) == 4 * 5 * 3  # 4 countries x 5 years x 3 metrics; region headings skipped
    assert _value(frame, iso3="USA", year=2023, metric="current_usd_m") == 916014.7
    assert _value(frame, iso3="USA", year=2024, metric="share_of_gdp_pct") == pytest.approx(3.4192)
    assert _value(frame, iso3="PER", year=2023, metric="current_usd_m") == pytest.approx(3308.6)
    # the constant sheet has an extra empty column before Notes
    assert _value(frame, iso3="USA", year=1990, metric="constant_2023_usd_m") == pytest.approx(325129 * 1.1)
    peru_1990 = frame[(frame["iso3"] == "PER") & (frame["year"] == 1990) & (frame["metric"] == "current_usd_m")].iloc[0]
    assert pd.isna(peru_1990["value"]) and peru_1990["note"] == "..."
    ussr = frame[(frame["country"] == "USSR") & (frame["year"] == 1991) & (frame["metric"] == "current_usd_m")].iloc[0]
    assert ussr["iso3"] == "SUN" and ussr["note"] == "xxx" and pd.isna(ussr["value"])
    assert set(frame.loc[frame["country"] == "European Union", "iso3"]) == {""}  # not a country: no code
    assert set(frame["source_id"]) == {"sipri_milex"}


def test_sipri_missing_sheet_is_not_the_workbook(tmp_path):
    problems = _problems(budget.read_sipri_workbook, sipri(tmp_path / "milex.xlsx", drop_sheet="Share of GDP"))
    assert [(p.file, p.field) for p in problems] == [("milex.xlsx", "sheet")]
    assert "'Share of GDP'" in problems[0].rule
    # an OMB workbook given by mistake: all three sheets missing
    problems = _problems(budget.read_sipri_workbook, omb_31(tmp_path / "hist.xlsx"))
    assert len(problems) == 3 and all(p.field == "sheet" for p in problems)


def test_sipri_text_in_number_cell(tmp_path):
    problems = _problems(budget.read_sipri_workbook, sipri(tmp_path / "milex.xlsx", us_2023="n/a"))
    # the same bad cell is in Current US$ and (copied) in Constant (2023) US$
    found = {(p.file, p.row, p.field) for p in problems}
    assert ("milex.xlsx[Current US$]", 10, "F (2023)") in found
    assert ("milex.xlsx[Constant (2023) US$]", 10, "G (2023)") in found
    assert all("United States of America" in p.rule for p in problems)


def test_sipri_missing_header_row(tmp_path):
    problems = _problems(budget.read_sipri_workbook, sipri(tmp_path / "milex.xlsx", header=False))
    assert {p.file for p in problems} == {"milex.xlsx[Current US$]", "milex.xlsx[Constant (2023) US$]",
                                          "milex.xlsx[Share of GDP]"}
    assert all(p.field == "header" for p in problems)


def test_sipri_selection_and_limit(tmp_path):
    frame = budget.read_sipri_workbook(sipri(tmp_path / "milex.xlsx"))
    with pytest.raises(DataError):  # Ecuador etc. are not in the small workbook
        budget.sipri_extract(frame)
    extract = budget.sipri_extract(frame, ["USA", "PER"])
    assert set(extract["iso3"]) == {"USA", "PER"}
    problems = budget._sipri_checks(pd.DataFrame({"iso3": [f"A{i:02d}" for i in range(21)],
                                                  "value": [1.0] * 21, "note": [""] * 21}), "x.csv")
    assert [p.field for p in problems] == ["iso3"]


# ------------------------------------------------------------------------------------------------- definitions

def test_definitions_cover_the_measures():
    assert {"outlays", "budget_authority", "toa", "sipri", "fiscal_year", "constant_dollars"} <= set(budget.DEFINITIONS)
    assert all(len(v) > 80 for v in budget.DEFINITIONS.values())
    assert "doi.org/10.55163/CQGC9685" in budget.SIPRI_ATTRIBUTION
    assert "fiscal year" in budget.DEFINITIONS["sipri"]  # SIPRI's US figures are by fiscal year (footnote 44)


# ------------------------------------------------------------------------------------------------- real files

@pytest.fixture(scope="module")
def real(raw_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("budget")
    budget.build(raw_dir, out)
    tables = {}
    for spec in budget.TABLES:
        frame, problems = read_table(out / spec.file, spec)
        assert problems == []
        tables[spec.name] = frame
    return tables


def test_omb_check_figures(real):
    omb = real["budget_omb"]

    def v(year, unit="usd_m_current", table="3.1", series="national_defense"):
        return _value(omb, fiscal_year=year, unit=unit, omb_table=table, series=series)

    assert (v(1968), v(1990), v(2020), v(2024), v(2026)) == (81926, 299321, 724589, 873523, 966396)
    assert (v(2020, "pct_gdp"), v(2020, "pct_federal_outlays")) == (3.4, 11.1)
    assert (v(1968, "pct_gdp"), v(1968, "pct_federal_outlays")) == (9.1, 46.0)
    assert v(1968, table="3.2", series="dod_military") == 80355
    assert v(2020, table="3.2", series="dod_military") == 690364
    assert v(1968, table="3.2") == 81926  # 3.2's total agrees with 3.1
    both = omb[(omb["series"] == "national_defense") & (omb["unit"] == "usd_m_current")]
    wide = both.pivot(index="fiscal_year", columns="omb_table", values="value").dropna()
    assert len(wide) == 70 and (wide["3.1"] == wide["3.2"]).all()
    assert v(2024, "usd_b_constant_fy2017", "6.1") == 689.7
    rng = omb.groupby(["omb_table", "unit"])["fiscal_year"].agg(["min", "max", "count"])
    assert tuple(rng.loc[("3.1", "usd_m_current")]) == (1940, 2031, 92)  # the TQ is not a year
    assert tuple(rng.loc[("3.2", "usd_m_current")])[:2] == (1962, 2031)
    assert tuple(rng.loc[("6.1", "usd_b_constant_fy2017")]) == (1940, 2031, 92)
    est = omb.groupby("fiscal_year")["is_estimate"].agg(["min", "max"])
    assert not est.loc[:2025, "max"].any() and est.loc[2026:2031, "min"].all()


def test_greenbook_check_figures(real):
    gb = real["budget_greenbook"]
    ba = gb[(gb["measure"] == "budget_authority") & (gb["dollars"] == "current")]
    by_title = ba[ba["breakdown"] == "title"].groupby("fiscal_year")["value_usd_m"].sum()
    assert [round(by_title[y] / 1000, 1) for y in (1968, 1990, 2020, 2022)] == [76.3, 293.0, 738.8, 727.9]
    by_dept = ba[ba["breakdown"] == "military_department"].groupby("fiscal_year")["value_usd_m"].sum()
    assert (by_dept - by_title).abs().max() <= 9  # two breakdowns of the same total, rounding only
    toa = gb[(gb["measure"] == "toa") & (gb["breakdown"] == "military_department") & (gb["dollars"] == "current")]
    assert round(toa[toa["fiscal_year"] == 2020]["value_usd_m"].sum() / 1000, 1) == 725.8
    assert gb["fiscal_year"].min() == 1948 and gb["fiscal_year"].max() == 2022
    status = gb.groupby("fiscal_year")["status"].first()
    assert (status[2022], status[2021], status[2020]) == ("request", "enacted", "actual")
    assert set(gb["measure"]) == {"budget_authority", "toa", "outlays"}


def test_greenbook_matches_processed_csv(real, raw_dir):
    """Cross-check against the repo author's processed CSVs (amounts in dollars)."""
    gb = real["budget_greenbook"]
    folder = raw_dir / "dod-green-book/FY2022/processed"
    law = pd.read_csv(next(folder.glob("1_Public.Law*.csv")), dtype={"amount": "float64", "FY": "int64"})
    law = law[(law["budget.type"] == "BA")]
    theirs = law.groupby(["deflator.type", "FY"])["amount"].sum() / 1e6
    ours = gb[(gb["measure"] == "budget_authority") & (gb["breakdown"] == "title")]
    ours = ours.groupby(["dollars", "fiscal_year"])["value_usd_m"].sum()
    for (deflator, year), value in theirs.items():
        key = ("current" if deflator == "current" else "constant_fy2022", year)
        assert abs(ours[key] - value) < 1, (deflator, year)
    dept = pd.read_csv(next(folder.glob("3_Military.Dept*.csv")))
    assert {"army", "navy", "air.force", "defense.wide"} <= set(dept["military.dept"].str.lower())


def test_sipri_check_figures(real):
    s = real["sipri"]
    assert s["iso3"].nunique() == 20
    assert set(budget.PERU_AND_NEIGHBOURS) | {"USA", "CHN", "RUS"} <= set(s["iso3"])

    def v(iso3, year, metric="current_usd_m"):
        return _value(s, iso3=iso3, year=year, metric=metric)

    assert round(v("USA", 2023)) == 916015
    assert round(v("CHN", 2023)) == 296821
    assert round(v("PER", 2023)) == 3309
    assert round(v("USA", 2024, "share_of_gdp_pct"), 2) == 3.42
    assert round(v("USA", 1968, "constant_2023_usd_m")) == 738696
    assert s["year"].min() == 1949 and s["year"].max() == 2024
    assert (s["value"].isna() == s["note"].isin(["...", "xxx"])).all()
    # SIPRI marks Ukraine before independence as "..." (no data), not "xxx"
    assert s.loc[(s["iso3"] == "UKR") & (s["year"] == 1980), "note"].tolist() == ["..."] * 3
    assert set(s["note"].fillna("")) == {"", "..."}


def test_sipri_selection_is_top_spenders_plus_peru_neighbours(raw_dir):
    frame = budget.read_sipri_workbook(raw_dir / budget.SIPRI_FILE)
    assert len(frame) == 174 * 76 * 3  # every entity, year and metric of the full workbook
    assert budget.sipri_selection(frame) == [
        "USA", "CHN", "RUS", "DEU", "IND", "GBR", "SAU", "UKR", "FRA", "JPN", "KOR", "ISR", "POL", "ITA",
        "PER", "ECU", "COL", "BRA", "BOL", "CHL"]
