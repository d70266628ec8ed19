"""loaders.troops: parser behaviour on small fixtures in the upstream format, and check figures on the real data."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from loaders import DATA_DIR, troop_report_lines, troops
from loaders.schema import DataError, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "troops"


@pytest.fixture(scope="module")
def small():
    return troops.build_tables(FIXTURES, DATA_DIR)


def row(tables, code, date, table="troops"):
    t = tables[table]
    hit = t[(t["iso3"] == code) & (pd.to_datetime(t["date"]) == pd.Timestamp(date))]
    assert len(hit) == 1, f"{code} {date}: {len(hit)} rows"
    return hit.iloc[0]


def blank(v) -> bool:
    return v is None or pd.isna(v)


# --- parser tests on the fixture --------------------------------------------------------------------------------

def test_dmdc_rows_2008_on_take_navy_and_reserve_from_the_raw_report(small):
    r = row(small, "JPN", "2020-09-30")
    assert (r["provenance"], r["source_id"], r["report"]) == ("dmdc", "dmdc", "September 2020")
    assert r["active_duty"] == 53732 and r["navy"] == 19886 and r["army"] == 2511
    assert r["coast_guard"] == 19 and r["reserve"] == 266 and r["civilian"] == 6922
    assert blank(r["space_force"])  # not in that report: empty, not 0
    assert r["scope"] == "abroad" and r["region"] == "East Asia & Pacific" and r["quarter"] == 3


def test_2025_comes_from_the_master_report_rows_only(small):
    r = row(small, "JPN", "2025-12-31")
    assert (r["active_duty"], r["navy"], r["space_force"], r["reserve"]) == (54288, 21236, 121, 476)
    # the master file's 2024 row is ignored (v1.0.4 is used for 1950-2024)
    assert not ((small["troops"]["iso3"] == "JPN") & (small["troops"]["year"] == 2024)).any()
    # Guam and the Northern Marianas share ccode 1008 but stay apart by ISO code
    # plus the 216 that the December 2025 report lists with the states (loaders/corrections, rule 11)
    assert row(small, "GUM", "2025-12-31")["active_duty"] == 6100 + 216
    assert row(small, "MNP", "2025-12-31")["scope"] == "us_territory"


def test_pre_2008_counts_from_long_table_and_no_reserve(small):
    r = row(small, "JPN", "1950-06-30")
    # the long table's Japan (115,306) plus the two lines of that report v1.0.4 drops (troopdata 1.1.0's rows,
    # loaders/corrections): Ryukyus (Okinawa) 21,248 (Army 11,909, Air Force 9,339) and Volcano Islands 134 (Air Force)
    assert (r["active_duty"], r["army"], r["navy"], r["air_force"], r["marine_corps"]) == (
        115306 + 21248 + 134, 91673 + 11909, 1941, 21324 + 9339 + 134, 368)
    assert "Ryukyus (Okinawa) (21,248)" in r["note"] and "Japan (115,306)" in r["note"]
    assert blank(r["reserve"]) and blank(r["civilian"]) and blank(r["coast_guard"])


def test_kane_and_imputed_rows(small):
    kane = row(small, "JPN", "1951-06-30")
    assert (kane["provenance"], kane["source_id"], kane["active_duty"]) == ("kane", "kane", 172861)
    assert blank(kane["army"])  # no breakdown: empty, not 0
    imp = row(small, "JPN", "1952-06-30")
    assert (imp["provenance"], imp["source_id"], imp["active_duty"]) == ("imputed", "troopdata", 172861)


def test_estimates(small):
    iraq06 = row(small, "IRQ", "2006-09-30")
    assert (iraq06["provenance"], iraq06["source_id"], iraq06["active_duty"]) == ("estimate", "troop_estimates", 141100)
    assert "shows 0" in iraq06["note"]
    iraq07 = row(small, "IRQ", "2007-06-30")
    assert iraq07["provenance"] == "estimate" and "Kane (2006) ends in 2005" in iraq07["note"]
    assert row(small, "AFG", "2019-06-30")["provenance"] == "estimate"


def test_no_data_rows_are_dropped_and_real_zeros_kept(small):
    t = small["troops"]
    assert not (t["iso3"] == "PRY").any()  # empty source, all 0: not in that report
    assert not ((t["iso3"] == "IRQ") & (t["year"] == 2005)).any()  # war-year 0 "See Deployment Section"
    peru = row(small, "PER", "1960-09-30")
    assert peru["active_duty"] == 0 and peru["provenance"] == "dmdc"  # in the report with 0: a real 0


def test_missing_report_has_no_rows_and_is_listed(small):
    t = small["troops"]
    assert not (pd.to_datetime(t["date"]) == pd.Timestamp("2022-12-31")).any()  # not even the US total
    rep = small["troop_reports"]
    dec22 = rep[pd.to_datetime(rep["date"]) == pd.Timestamp("2022-12-31")].iloc[0]
    assert dec22["status"] == "missing" and dec22["hosts"] == 0 and "1,151,458" in dec22["note"]
    jun50 = rep[pd.to_datetime(rep["date"]) == pd.Timestamp("1950-06-30")].iloc[0]
    assert (jun50["status"], jun50["hosts"]) == ("present", 1)


def test_same_entity_same_date_is_summed_once(small):
    prt = row(small, "PRT", "1960-09-30")
    assert prt["active_duty"] == 73 + 2165
    assert prt["army"] == 15 and prt["navy"] == 180
    assert "Azores" in prt["note"] and "Portugal" in prt["note"]
    assert row(small, "XSV", "1968-09-30")["active_duty"] == 537377


def test_annual_uses_september_else_latest(small):
    a = small["troops_annual"]
    assert set(a["method"]) == {troops.ANNUAL_METHOD}
    assert row(small, "JPN", "2020-09-30", "troops_annual")["year"] == 2020
    iraq07 = a[(a["iso3"] == "IRQ") & (a["year"] == 2007)].iloc[0]
    assert pd.Timestamp(iraq07["date"]) == pd.Timestamp("2007-06-30")
    assert not a.duplicated(["iso3", "year"]).any()


def test_written_tables_validate(small, tmp_path):
    troops.build(FIXTURES, tmp_path, DATA_DIR)
    for spec in (troops.TROOPS_SPEC, troops.ANNUAL_SPEC, troops.REPORTS_SPEC, troops.REGIONS_SPEC):
        frame, problems = read_table(tmp_path / spec.file, spec)
        assert problems == [], problems[:3]
    text = (tmp_path / "troops.csv").read_text(encoding="utf-8")
    assert ".0," not in text  # whole numbers without a decimal point


def _copy_fixture(tmp_path: Path) -> Path:
    dest = tmp_path / "raw"
    shutil.copytree(FIXTURES, dest)
    return dest


def test_bad_number_names_file_row_and_field(tmp_path):
    raw = _copy_fixture(tmp_path)
    path = raw / troops.LONG_FILE
    text = path.read_text(encoding="utf-8").replace("53732.0", "53.7x", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        troops.build_tables(raw, DATA_DIR)
    assert any(str(p).startswith(f"{troops.LONG_FILE}:5 troops_ad: must be a number") for p in err.value.problems)


def test_missing_column_and_file(tmp_path):
    raw = _copy_fixture(tmp_path)
    path = raw / troops.REPORTS_FILE
    text = path.read_text(encoding="utf-8").replace("Navy Active Duty", "Navy AD", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        troops.build_tables(raw, DATA_DIR)
    assert [str(p) for p in err.value.problems] == [f"{troops.REPORTS_FILE}:1 Navy Active Duty: column is missing from the header"]
    (raw / troops.MASTER_REPORTS_FILE).unlink()
    path.write_text(text.replace("Navy AD", "Navy Active Duty"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        troops.build_tables(raw, DATA_DIR)
    assert str(err.value.problems[0]) == f"{troops.MASTER_REPORTS_FILE}: file is missing"


def test_unknown_place_and_negative_count(tmp_path):
    raw = _copy_fixture(tmp_path)
    path = raw / troops.LONG_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('9999,,Atlantis,Europe & Central Asia,1960,September,September 1960,5.0,0,0,0,0,0,0,0,0')
    lines.append('135,PER,Peru,Latin America & Caribbean,1961,September,September 1961,-3.0,0,0,0,0,0,0,0,0')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        troops.build_tables(raw, DATA_DIR)
    messages = [str(p) for p in err.value.problems]
    assert any(m.startswith(f"{troops.LONG_FILE}:{len(lines)} troops_ad: must not be negative") for m in messages)
    raw2 = _copy_fixture(tmp_path / "b")
    path2 = raw2 / troops.LONG_FILE
    path2.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        troops.build_tables(raw2, DATA_DIR)
    assert any(f"{troops.LONG_FILE}:{len(lines) - 1} countryname: unknown place 'Atlantis'" in str(p)
               for p in err.value.problems)


def _append_rows(path: Path, rows: list[dict]) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame(rows)], ignore_index=True).fillna("")
    frame.to_csv(path, index=False)


def _kwajalein_fixture(tmp_path: Path, location: str) -> Path:
    raw = _copy_fixture(tmp_path)
    _append_rows(raw / troops.LONG_FILE, [{
        "ccode": "1011", "iso3c": "", "countryname": "Mariana Islands", "region": "East Asia & Pacific", "year": "1954",
        "month": "June", "source": "June 1954", "troops_ad": "2162.0", "army_ad": "0.0", "navy_ad": "1625.0",
        "air_force_ad": "482.0", "marine_corps_ad": "55.0"}])
    _append_rows(raw / troops.REPORTS_FILE, [{
        "ccode": "1011", "countryname": "Marshall Islands (Kwajelein)", "region": "East Asia & Pacific", "year": "1954",
        "month": "June", "source": "June 1954", "Location": location, "iso3c": "MHL", "troops_ad": "2162.0",
        "army_ad": "0.0", "navy_ad": "1625.0", "marine_corps_ad": "55.0", "air_force_ad": "482.0"}])
    return raw


def test_relocation_moves_the_row_and_says_so(tmp_path):
    tables = troops.build_tables(_kwajalein_fixture(tmp_path, "Marshall Islands (Kwajelein)"), DATA_DIR)
    r = row(tables, "MHL", "1954-06-30")
    assert (r["active_duty"], r["navy"], r["scope"], r["provenance"]) == (2162, 1625, "abroad", "dmdc")
    assert "kwajalein-1954-55" in r["note"] and "Trust Territory" in r["note"]
    t = tables["troops"]
    assert not ((t["iso3"] == "MNP") & (t["year"] == 1954)).any()


def test_relocation_stops_the_build_when_the_report_location_differs(tmp_path):
    with pytest.raises(DataError) as err:
        troops.build_tables(_kwajalein_fixture(tmp_path, "Mariana Islands"), DATA_DIR)
    assert any("correction kwajalein-1954-55 expects a report location" in str(p) and "'Mariana Islands'" in str(p)
               for p in err.value.problems)


def test_copied_year_must_be_a_copy(tmp_path):
    raw = _copy_fixture(tmp_path)
    text = (raw / troops.LONG_FILE).read_text(encoding="utf-8")
    (raw / troops.LONG_FILE).write_text(text.replace("1952,June,,172861.0", "1952,June,Kane 2006,172862.0"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        troops.build_tables(raw, DATA_DIR)
    assert any("1952 is treated as a copy of 1951" in str(p) for p in err.value.problems)


# --- check figures on the real upstream data --------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return troops.build_tables(raw_dir, DATA_DIR)


@pytest.mark.parametrize(
    "code, date, column, value",
    [
        ("JPN", "2020-09-30", "active_duty", 53732),
        ("JPN", "2020-09-30", "navy", 19886),
        ("XSV", "1968-09-30", "active_duty", 537377),
        ("PER", "2000-09-30", "active_duty", 425),
        ("JPN", "2025-12-31", "active_duty", 54288),
        ("DEU", "2000-09-30", "active_duty", 69203),
        ("KOR", "2000-09-30", "active_duty", 36565),
        ("JPN", "2000-09-30", "active_duty", 40159),
        ("KOR", "2025-12-31", "active_duty", 23495),
    ],
)
def test_check_figures(real, code, date, column, value):
    r = row(real, code, date)
    assert r[column] == value
    assert r["provenance"] == "dmdc"


def test_hosts_abroad_september_2025(real):
    t = real["troops"]
    sep25 = t[pd.to_datetime(t["date"]) == pd.Timestamp("2025-09-30")]
    abroad = int(sep25.loc[sep25["scope"] == "abroad", "active_duty"].sum())
    # PROVENANCE.md's 153,807 "excluding US & territories" still counts the US Virgin Islands (36; Footprint adds
    # the 9 the report lists with the states, rule 11)
    vir = int(sep25.loc[sep25["iso3"] == "VIR", "active_duty"].sum()) - 9
    assert vir == 36
    # Diego Garcia (234), absent from the development version's rows, comes from troopdata 1.1.0 (rule 11)
    assert row(real, "IOT", "2025-09-30")["active_duty"] == 234
    assert abroad + vir == 153807 + 234
    assert abroad == 153771 + 234


@pytest.mark.parametrize("date, total", [("2020-09-30", 166537 + 230),  # with Diego Garcia (230), missing upstream
                                         ("1990-09-30", 446826),
                                         # PROVENANCE.md's 1,042,357 leaves out Japan proper (41,121) and the
                                         # Republic of Panama (17), which v1.0.4 drops, and counts 153 Navy
                                         # personnel afloat in South Korea (troopdata 1.1.0 corrects all three)
                                         ("1968-09-30", 1042357 + 41121 + 17 - 153),
                                         # PROVENANCE.md's 209,142 has DMDC's 'Total - Former Soviet Union' (160) as
                                         # Russia; Russia's own line is 101 (troopdata 1.1.0, rule 12)
                                         ("2000-09-30", 209142 - 160 + 101)])
def test_abroad_totals_match_provenance_figures(real, date, total):
    t = real["troops"]
    day = t[(pd.to_datetime(t["date"]) == pd.Timestamp(date)) & (t["scope"] == "abroad")]
    assert int(day["active_duty"].sum()) == total


def test_russia_is_not_the_former_soviet_union_total(real):
    # Russia's own line (troopdata 1.1.0), not the subtotal 160 nor the subtotal less the other republics (93)
    r2000 = row(real, "RUS", "2000-09-30")
    assert r2000["active_duty"] == 101 and "in place of 'Total - Former Soviet Union' (160)" in r2000["note"]
    assert row(real, "RUS", "1992-09-30")["active_duty"] == 59  # its own row; the total row left out
    assert row(real, "UKR", "2000-09-30")["active_duty"] == 16
    assert row(real, "SUN", "1991-09-30")["name"] == "Soviet Union"


def test_zero_total_with_service_counts_is_repaired(real):
    usa = row(real, "USA", "1950-06-30")
    assert usa["active_duty"] == 364024 + 183654 + 335473 + 69449
    assert "sum of the report's service counts" in usa["note"]


def test_missing_reports_real(real):
    rep = real["troop_reports"]
    missing = sorted(str(d)[:10] for d in rep.loc[rep["status"] == "missing", "date"])
    # December 2013 comes from the development version's raw report rows (troops.MASTER_DATES)
    assert missing == ["2022-12-31", "2023-03-31", "2023-06-30"]
    t = real["troops"]
    assert not pd.to_datetime(t["date"]).isin(pd.to_datetime(missing)).any()
    assert int(t["year"].max()) == 2025 and int(t["year"].min()) == 1950


def test_one_row_per_entity_and_date_and_swaziland_not_doubled(real):
    t = real["troops"]
    assert not t.duplicated(["iso3", "date"]).any()
    swz = row(real, "SWZ", "2020-09-30")
    assert swz["active_duty"] == 7  # ccode 572 ('Eswatini' that quarter), not added to Botswana (571)
    assert row(real, "BWA", "2020-09-30")["active_duty"] == 13


def test_navy_nonzero_after_2008_and_empty_where_not_reported(real):
    t = real["troops"]
    jpn = t[(t["iso3"] == "JPN") & (t["year"] >= 2008)]
    assert (jpn["navy"] > 10000).all()
    old = t[t["year"] < 2008]
    assert old["reserve"].isna().all() and old["civilian"].isna().all()
    assert t.loc[t["year"] < 2008, "coast_guard"].isna().all()
    assert t.loc[t["year"] < 2020, "space_force"].isna().all()


def test_provenance_of_known_cases(real):
    assert row(real, "JPN", "1952-06-30")["provenance"] == "imputed"
    assert row(real, "JPN", "1951-06-30")["provenance"] == "kane"
    assert row(real, "IRQ", "2007-09-30")["provenance"] == "estimate"
    assert row(real, "AFG", "2020-09-30")["provenance"] == "estimate"
    assert row(real, "AFG", "2020-09-30")["active_duty"] == 8600
    assert row(real, "GBR", "2014-06-30")["active_duty"] == 8888  # the report, not troopdata's copy of September
    assert row(real, "CHN", "2020-09-30")["active_duty"] == 50  # Hong Kong apart
    assert row(real, "HKG", "2020-09-30")["active_duty"] == 19
    assert row(real, "SUN", "1980-09-30")["name"] == "Soviet Union"
    assert row(real, "PCZ", "1970-09-30")["scope"] == "abroad"


def test_committed_tables_match_a_rebuild(real):
    for name, spec in (("troops", troops.TROOPS_SPEC), ("troops_annual", troops.ANNUAL_SPEC),
                       ("troop_reports", troops.REPORTS_SPEC)):
        committed, problems = read_table(DATA_DIR / spec.file, spec)
        assert problems == []
        assert len(committed) == len(real[name])


# --- corrections from the audit of issue 10 (part 5) ------------------------------------------------------------

def _abroad_total(real, date) -> int:
    t = real["troops"]
    day = t[(pd.to_datetime(t["date"]) == pd.Timestamp(date)) & (t["scope"] == "abroad")]
    return int(day["active_duty"].sum())


def test_kwajalein_1954_55_is_the_marshall_islands_abroad(real):
    t = real["troops"]
    # DMDC's 'Marshall Islands (Kwajelein)' (2,162; 1,989) was filed under the Northern Marianas, a US territory
    assert not ((t["iso3"] == "MNP") & t["year"].isin([1954, 1955])).any()
    # personnel ashore (rule 8): Kwajalein's report line is 2,162 and 1,989 with 501 and 196 Navy personnel afloat
    for date, kwajalein, eniwetok in (("1954-06-30", 2162 - 501, 652), ("1955-06-30", 1989 - 196, 638)):
        r = row(real, "MHL", date)
        assert r["active_duty"] == kwajalein + eniwetok and r["scope"] == "abroad" and r["provenance"] == "dmdc"
        assert "kwajalein-1954-55" in r["note"] and "Marshall Islands (Kwajelein)" in r["note"]
    assert (row(real, "MHL", "1954-06-30")["navy"], row(real, "MHL", "1954-06-30")["army"]) == (1625 - 501, 652)
    assert "501 Navy personnel afloat" in row(real, "MHL", "1954-06-30")["note"]
    assert not ((real["troops"]["iso3"] == "MNP") & (real["troops"]["year"] == 1954)).any()


def test_leeward_islands_1966_74_is_antigua(real):
    t = real["troops"]
    assert not ((t["iso3"] == "VGB") & t["year"].between(1966, 1974)).any()
    figures = {1966: 215, 1967: 123, 1968: 126, 1969: 126, 1970: 121, 1971: 115, 1972: 139, 1973: 128, 1974: 123}
    for year, value in figures.items():
        r = row(real, "ATG", f"{year}-09-30")
        assert r["active_duty"] == value and r["provenance"] == "dmdc" and "leeward-islands-1966-74" in r["note"]
    # the same post under its later names, untouched
    assert row(real, "ATG", "1975-09-30")["active_duty"] == 121 and row(real, "ATG", "1977-09-30")["active_duty"] == 120
    assert row(real, "VGB", "1988-09-30")["active_duty"] == 1  # DMDC's own British Virgin Islands row stays
    regions = real["country_regions"].set_index("iso3")
    assert regions.at["ATG", "upstream_region"] == "Latin America & Caribbean"


COPIES_1952 = {"ABW": 2, "AUT": 11425, "BHR": 8, "BHS": 20, "BLZ": 2, "BMU": 2427, "CYP": 2, "DEU": 176084, "DZA": 3,
               "ERI": 406, "GRL": 3302, "HKG": 17, "MAR": 6953, "MLT": 183, "MYS": 7, "SGP": 4, "XBW": 826, "XSV": 74}


def test_1952_copies_of_1951_are_imputed_not_kane(real):
    t = real["troops"]
    y52 = t[t["year"] == 1952]
    assert set(y52["provenance"]) == {"imputed"} and set(y52["source_id"]) == {"troopdata"}
    for code, value in COPIES_1952.items():
        r = row(real, code, "1952-06-30")
        assert r["active_duty"] == value == row(real, code, "1951-06-30")["active_duty"]
        assert r["provenance"] == "imputed" and "carried forward, not a 1952 count" in r["note"]
        assert "labels this 'Kane 2006'" in r["note"]
    assert row(real, "DEU", "1951-06-30")["provenance"] == "kane"  # 1951 is Kane's
    assert _abroad_total(real, "1952-06-30") == _abroad_total(real, "1951-06-30")


def test_december_2013_from_the_development_version(real):
    rep = real["troop_reports"]
    dec13 = rep[pd.to_datetime(rep["date"]) == pd.Timestamp("2013-12-31")].iloc[0]
    assert (dec13["status"], dec13["hosts"]) == ("present", 168)
    assert "3946bcf" in dec13["note"] and "Japan 53,828 (52,972; 53,880)" in dec13["note"]
    assert "Yemen (248; 192)" in dec13["note"]  # places the development version leaves out, named
    for code, value in (("JPN", 53828), ("DEU", 35757), ("KOR", 29683), ("AFG", 37094), ("ITA", 10831), ("USA", 1160204)):
        r = row(real, code, "2013-12-31")
        assert r["active_duty"] == value and r["provenance"] == "dmdc" and troops.MASTER_NOTE in r["note"]
    # each with Diego Garcia (519; 451; 334), which neither the development version nor v1.0.4 has (rule 11)
    assert _abroad_total(real, "2013-12-31") == 218730 + 519
    assert _abroad_total(real, "2013-09-30") == 231447 + 451 and _abroad_total(real, "2014-03-31") == 221990 + 334
    a = real["troops_annual"]
    a13 = a[(a["year"] == 2013) & (a["scope"] == "abroad")]
    assert int(a13["active_duty"].sum()) == 231449 + 451  # September 2013, plus CAF 1, South Sudan 1, Comoros 0
    assert sorted(a13.loc[a13["report"] == "December 2013", "iso3"]) == ["CAF", "COM", "SSD"]


# --- the troop table against troopdata 1.1.0 (issue 19, part 4) -------------------------------------------------

SERVICES = ("army", "navy", "marine_corps", "air_force")


def test_japan_is_japan_proper_and_the_ryukyus(real):
    # September 1968: DMDC lists Japan 41,121 and the Ryukyu Islands 41,948; v1.0.4 kept only the Ryukyus
    r = row(real, "JPN", "1968-09-30")
    assert r["active_duty"] == 41121 + 41948 == 83069 and r["provenance"] == "dmdc"
    assert "Ryukyu Islands (41,948), Japan (41,121)" in r["note"] and troops.SECOND_LOCATIONS_LABEL in r["note"]
    both = {1964: 45760 + 38923 + 25 + 55,  # with the Bonin (25) and Volcano Islands (55)
            1966: 43981 + 36353 + 85, 1967: 40194 + 38560 + 70, 1969: 44226 + 40576, 1970: 44752 + 37512,
            1971: 43019 + 28466, 1972: 41171 + 20576, 1973: 28865 + 27375}
    for year, value in both.items():
        assert row(real, "JPN", f"{year}-09-30")["active_duty"] == value, year
    # 1953: Japan 185,829 + Ryukyus 23,325 + Bonin 14 + Volcano 283 (ashore; the report's afloat beside them)
    assert row(real, "JPN", "1953-06-30")["active_duty"] == 209451


def test_every_second_location_line_is_used_once(raw_dir):
    from loaders import countries
    reg = countries.load(DATA_DIR, with_regions=False)
    long = troops.read_upstream(raw_dir / troops.LONG_FILE, troops.LONG_FILE, troops.LONG_COLUMNS)
    reports = troops.read_upstream(raw_dir / troops.REPORTS_FILE, troops.REPORTS_FILE, troops.REPORT_COLUMNS)
    lines = troops.read_upstream(troops.CORRECTIONS_DIR / troops.SECOND_LOCATIONS_FILE, troops.SECOND_LOCATIONS_LABEL,
                                 troops.SECOND_LOCATION_COLUMNS)
    years = lines["year"].astype(int)
    early = lines[(years < 2008) & ~lines["ccode"].isin(list(troops.REPLACEMENTS))
                  & ~years.isin(list(troops.REPORT_LINE_YEARS))]
    rows, problems = troops.rows_from_second_locations(early, reports, long, troops.SECOND_LOCATIONS_LABEL, reg)
    assert problems == [] and len(rows) == len(early) == 92
    assert set(rows["iso3"]) == {"JPN", "PAN", "GBR", "FRA", "ITA", "ISR"}


@pytest.mark.parametrize("code, date, value, lines", [
    ("GBR", "1954-06-30", 44453 + 1508, ("England (& Wales) (44,453)", "Scotland (1,508)")),
    ("ITA", "1950-06-30", 4685 + 111, ("Trieste (4,685)", "Italy (111)")),
    ("ISR", "1950-06-30", 57 + 15, ("Jerusalem (57)", "Israel (15)")),
    ("ISR", "1960-09-30", 30 + 17, ("Israel (30)", "Jerusalem (17)")),
    # France's Mediterranean line is all afloat (3,415 Navy): 0 ashore, named in the note
    ("FRA", "1955-06-30", 51795, ("France (Mediterranean) (0)", "3,415 Navy personnel afloat")),
])
def test_second_locations_are_summed_and_named(real, code, date, value, lines):
    r = row(real, code, date)
    assert r["active_duty"] == value and r["provenance"] == "dmdc"
    for words in lines:
        assert words in r["note"]


def test_republic_of_panama_is_its_own_row_beside_the_canal_zone(real):
    pan, pcz = row(real, "PAN", "1960-09-30"), row(real, "PCZ", "1960-09-30")
    assert (pan["active_duty"], pan["army"], pan["marine_corps"], pan["air_force"]) == (31, 2, 5, 24)
    assert "Canal Zone" in pan["note"] and pan["scope"] == "abroad"
    assert pcz["active_duty"] == 7776
    t = real["troops"]
    assert len(t[(t["iso3"] == "PAN") & t["year"].between(1950, 1976)]) == 25


def test_personnel_afloat_are_not_counted_in_a_place(real):
    # Greece September 1960: 1,976 ashore; the report's 13,090 Navy afloat beside it were in v1.0.4's Navy (13,398)
    g = row(real, "GRC", "1960-09-30")
    assert (g["active_duty"], g["navy"]) == (1976, 308)
    assert "13,090 Navy personnel afloat" in g["note"] and "Navy 13,398" in g["note"]
    # June 1953: Brazil 269 ashore (v1.0.4's Navy 12,552 held 12,447 afloat); the United States 2,098,022 ashore
    assert (row(real, "BRA", "1953-06-30")["active_duty"], row(real, "BRA", "1953-06-30")["navy"]) == (269, 105)
    assert row(real, "USA", "1953-06-30")["active_duty"] == 2098022
    # 1954-58 the report's total holds the afloat: Greece September 1957 15,360 of which 13,926 afloat less 6
    # temporarily ashore
    assert row(real, "GRC", "1957-09-30")["active_duty"] == 1440


def test_no_branch_above_the_total(real):
    t = real["troops"]
    above = t[t[list(SERVICES)].gt(t["active_duty"], axis=0).any(axis=1)]
    # the only rows left are DMDC's own (Greenland, March and June 2022), kept as published and said so
    assert sorted(zip(above["iso3"], above["report"])) == [("GRL", "June 2022"), ("GRL", "March 2022")]
    assert above["note"].str.startswith("as DMDC published it").all()
    old = t[t["year"] <= 2007]
    assert not (old[list(SERVICES)].sum(axis=1, min_count=1) > old["active_duty"]).any()


def test_a_second_location_that_v104_has_stops_the_build(tmp_path):
    raw = _copy_fixture(tmp_path)
    _append_rows(raw / troops.REPORTS_FILE, [{
        "ccode": "740", "countryname": "Japan", "region": "East Asia & Pacific", "year": "1950", "month": "June",
        "source": "June 1950", "Location": "Ryukyus (Okinawa)", "iso3c": "", "troops_ad": "21248.0"}])
    with pytest.raises(DataError) as err:
        troops.build_tables(raw, DATA_DIR)
    assert any(str(p).startswith(f"{troops.SECOND_LOCATIONS_LABEL}:2 Location: 'Ryukyus (Okinawa)' (June 1950) is in "
                                 "troopdata v1.0.4's report rows now") for p in err.value.problems)


def test_congo_1960_62_is_the_former_belgian_congo(real):
    t = real["troops"]
    assert not ((t["iso3"] == "COG") & t["year"].between(1960, 1962)).any()
    for year, value in ((1960, 4), (1961, 56), (1962, 79)):
        r = row(real, "COD", f"{year}-09-30")
        assert r["active_duty"] == value and "congo-1960-62" in r["note"]
    assert row(real, "COG", "1963-09-30")["active_duty"] == 10  # 'Congo (Brazzaville)' from 1963, untouched


def test_kane_only_where_no_report_covers_the_year(real):
    t = real["troops"]
    kane = t[t["provenance"] == "kane"]
    dmdc = set(zip(t.loc[t["provenance"] == "dmdc", "iso3"], t.loc[t["provenance"] == "dmdc", "year"]))
    assert not any(k in dmdc for k in zip(kane["iso3"], kane["year"]))
    afg60 = t[(t["iso3"] == "AFG") & (t["year"] == 1960)]
    assert list(afg60["report"]) == ["September 1960"] and list(afg60["active_duty"]) == [23]
    assert row(real, "JPN", "1951-06-30")["provenance"] == "kane"  # no report in 1951: Kane's figure stays


def test_diego_garcia_from_2008_is_taken_from_troopdata_110(real):
    t = real["troops"]
    iot = t[(t["iso3"] == "IOT") & (t["year"] >= 2008)]
    # every report date from September 2008 to December 2025 that Footprint has, none of the missing quarters
    assert len(iot) == 52 and iot["provenance"].eq("dmdc").all()
    assert iot["note"].str.contains(troops.SECOND_LOCATIONS_LABEL, regex=False).all()
    r = row(real, "IOT", "2010-09-30")
    assert (r["active_duty"], r["navy"], r["air_force"], r["civilian"]) == (484, 449, 35, 2)
    assert row(real, "IOT", "2007-09-30")["active_duty"] == 260  # v1.0.4's own 'Diego Garcia' line, untouched
    assert troops.MASTER_NOTE not in row(real, "IOT", "2013-12-31")["note"]


def test_own_lines_replace_subtotals_and_the_continental_united_states(real):
    # the Soviet Union 1971-76: DMDC's own line, not "USSR and East Europe" (v1.0.4: 91, 88, 96, 99, 95, 65)
    for year, value in ((1971, 39), (1972, 37), (1973, 43), (1974, 44), (1975, 40), (1976, 26)):
        r = row(real, "SUN", f"{year}-09-30")
        assert r["active_duty"] == value and "USSR" in r["note"] and "East Europe" in r["note"]
    # the United States with Alaska and Hawaii (troopdata 1.1.0): September 1985 1,399,473, not 1,331,950
    usa = row(real, "USA", "1985-09-30")
    assert usa["active_duty"] == 1399473 and "Alaska and Hawaii" in usa["note"]
    assert row(real, "USA", "2007-09-30")["active_duty"] == 936447
    # June 1954, ashore (rule 8): 1,963,396; the 285,505 afloat left out
    assert row(real, "USA", "1954-06-30")["active_duty"] == 1963396
    assert row(real, "RUS", "1993-09-30")["active_duty"] == 70  # v1.0.4 has Russia's own line in 1992-93


def test_territories_listed_with_the_states_in_2025_are_counted(real):
    # from March 2025 DMDC lists Guam, Puerto Rico and the US Virgin Islands a second time inside the United States
    # block (Army personnel); troopdata 1.1.0 counts both lines in the territory: Guam 6,795 + 194, Puerto Rico 645 + 114
    for code, value, words in (("GUM", 6795 + 194, "GUAM (LISTED WITH STATES) (194)"),
                               ("PRI", 645 + 114, "PUERTO RICO (LISTED WITH STATES) (114)"),
                               ("VIR", 32 + 6, "VIRGIN ISLANDS (LISTED WITH STATES) (6)")):
        r = row(real, code, "2025-03-31")
        assert r["active_duty"] == value and words in r["note"] and r["scope"] == "us_territory"
    assert row(real, "GUM", "2024-12-31")["active_duty"] == 6725  # before March 2025: one line


def test_2003_and_2004_are_the_report_lines_with_their_services(real):
    # troopdata v1.0.4 lost every figure of 1,000 or more in these reports and gives Kane (2006)'s totals without
    # services; the report lines (troopdata 1.1.0) have the same totals with the services
    for code, date, counts in (("JPN", "2003-09-30", (40519, 1823, 6410, 17967, 14319)),
                               ("DEU", "2004-09-30", (76058, 59292, 284, 231, 16251)),
                               ("KOR", "2003-09-30", (41145, 31046, 353, 146, 9600))):
        r = row(real, code, date)
        assert (r["active_duty"], r["army"], r["navy"], r["marine_corps"], r["air_force"]) == counts
        assert r["provenance"] == "dmdc" and r["source_id"] == "dmdc"
        assert troops.SECOND_LOCATIONS_LABEL in r["note"] and "Kane (2006)" in r["note"]
    # places whose figures were all under 1,000 come from the development version's raw report rows
    can = row(real, "CAN", "2003-09-30")
    assert (can["active_duty"], can["army"], can["navy"], can["marine_corps"], can["air_force"]) == (141, 10, 42, 8, 81)
    assert troop_report_lines.MASTER_SOURCE in can["note"]
    chn = row(real, "CHN", "2003-09-30")  # DMDC's 'China (Includes Hong Kong)'
    assert (chn["active_duty"], chn["marine_corps"]) == (53, 26) and "China (Includes Hong Kong)" in chn["note"]
    # Kane's Russia is DMDC's 'Total - Former Soviet Union' (178 and 143): Russia's own line instead, as for 1994-2007
    for date, counts in (("2003-09-30", (78, 20, 4, 41, 13)), ("2004-09-30", (84, 26, 3, 44, 11))):
        r = row(real, "RUS", date)
        assert (r["active_duty"], r["army"], r["navy"], r["marine_corps"], r["air_force"]) == counts
        assert "Total - Former Soviet Union" in r["note"] and r["provenance"] == "dmdc"


def test_no_2003_2004_row_without_services_where_a_report_line_has_them(real):
    t = real["troops"]
    sep = t[t["year"].isin(list(troops.REPORT_LINE_YEARS)) & t["report"].str.startswith("September")]
    kane = sep[sep["provenance"] == "kane"]
    # Kuwait: the report's line is 0 ('See OIF Table'); Kosovo: no line in either report; 'Fiji and Tonga': the
    # report's line is Fiji alone
    assert set(zip(kane["iso3"], kane["year"])) == {(c, y) for c in ("KWT", "XKX", "XFT") for y in (2003, 2004)}
    dmdc = sep[sep["provenance"] == "dmdc"]
    assert len(dmdc) == 282 and dmdc["army"].notna().all() and dmdc["air_force"].notna().all()
    services = dmdc[["army", "navy", "marine_corps", "air_force"]]
    assert (services.sum(axis=1) == dmdc["active_duty"]).all()
    assert not (services.max(axis=1) > dmdc["active_duty"]).any()


def test_a_report_line_of_2003_that_the_development_version_has_stops_the_build(raw_dir):
    from loaders import countries
    reg = countries.load(DATA_DIR, with_regions=False)
    master = troops.read_upstream(raw_dir / troops.MASTER_REPORTS_FILE, troops.MASTER_REPORTS_FILE,
                                  troops.MASTER_COLUMNS)
    lines = troops.read_upstream(troops.CORRECTIONS_DIR / troops.SECOND_LOCATIONS_FILE, troops.SECOND_LOCATIONS_LABEL,
                                 troops.SECOND_LOCATION_COLUMNS)
    dated = lines[lines["year"].astype(int).isin(list(troops.REPORT_LINE_YEARS)) & (lines["ccode"] != "2")]
    index, problems = troops.report_lines(master, dated, reg)
    assert problems == [] and len(dated) == 31
    canada = master[(master["ccode"] == "20") & (master["year"] == "2003")]
    _, problems = troops.report_lines(master, pd.concat([dated, canada]), reg)
    assert [p.field for p in problems] == ["Location"] and "remove it from the corrections" in problems[0].rule
    broken = dated.copy()
    broken.loc[broken.index[0], "army_ad"] = "1"
    _, problems = troops.report_lines(master, broken, reg)
    assert [(p.row, p.field) for p in problems] == [(int(broken.index[0]), "troops_ad")]
