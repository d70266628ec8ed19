"""MME exercises: parser behaviour on a small upstream-format fixture, malformed input, and the real file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from loaders import exercises as ex
from loaders.schema import DataError, read_table, write_table

FIXTURE = Path(__file__).parent / "fixtures" / "exercises" / "mme_small.csv"


@pytest.fixture(scope="module")
def small() -> tuple[pd.DataFrame, list[str]]:
    return ex.parse_mme(FIXTURE)


def _row(frame: pd.DataFrame, exercise_id: str) -> pd.Series:
    rows = frame[frame["exercise_id"] == exercise_id]
    assert len(rows) == 1, exercise_id
    return rows.iloc[0]


def test_keeps_only_us_exercises_in_1980_2010(small):
    frame, _ = small
    assert sorted(frame["exercise_id"]) == ["mme87", "mme88", "mme900", "mme901", "mme902", "mme905"]
    assert "mme903" not in set(frame["exercise_id"])  # no US
    assert "mme904" not in set(frame["exercise_id"])  # 2011


def test_exact_dates(small):
    r = _row(small[0], "mme87")
    assert (r["start"], r["end"], r["date_precision"], r["year"]) == (dt.date(1980, 1, 14), dt.date(1980, 1, 21), "day", 1980)
    assert r["kinds"] == "sea;amphibious;warfighting"
    assert (r["lat"], r["lon"]) == (18.1262854, -65.4400985)
    assert r["series"] == "Readex"


def test_unknown_day_widens_to_the_month(small):
    r = _row(small[0], "mme88")
    assert (r["start"], r["end"], r["date_precision"]) == (dt.date(1980, 1, 1), dt.date(1980, 1, 31), "month")


def test_unknown_month_widens_to_the_year_and_leap_february_ends_on_29(small):
    r = _row(small[0], "mme900")
    assert (r["start"], r["end"], r["date_precision"]) == (dt.date(1996, 1, 1), dt.date(1996, 2, 29), "year")
    r = _row(small[0], "mme905")
    assert (r["start"], r["end"]) == (dt.date(2008, 2, 1), dt.date(2008, 2, 29))


def test_end_before_start_is_left_empty(small):
    r = _row(small[0], "mme902")
    assert r["start"] == dt.date(1984, 6, 20)
    assert r["end"] is None


def test_participants_resolved_and_unresolved_kept_by_name(small):
    frame, unresolved = small
    r = _row(frame, "mme900")
    # -9 (unknown participant) is dropped; NATO has no code but is kept by name
    assert r["participants"] == "ESP;USA;PRT;NOR"
    assert r["participant_names"] == "Spain; NATO; United States; Portugal; Norway"
    assert r["n_participants"] == 5
    assert unresolved == ["NATO"]
    r = _row(frame, "mme901")
    assert r["participants"] == "POL;DEU;USA"  # "Federal Republic of Germany" -> DEU
    assert r["participant_names"] == "Poland; Germany; United States"


def test_host_from_location(small):
    frame, _ = small
    hosts = dict(zip(frame["exercise_id"], frame["host_iso3"]))
    assert hosts["mme88"] == "EGY"  # a country name
    assert hosts["mme902"] == "KOR"  # lower-case name
    assert hosts["mme901"] == "POL"  # "Vroclav, Poland"
    assert hosts["mme87"] == ""  # Vieques: not a country name
    assert hosts["mme900"] == ""  # three countries
    assert hosts["mme905"] == ""  # two countries


@pytest.mark.parametrize("location, code", [
    ("Kuwait", "KWT"),
    ("KORAT, Thailand", "THA"),
    ("Japan, Komatsu air base in ishikawa prefecture", "JPN"),
    ("Burgas, Bulgaria; western part of the Black Sea.", "BGR"),
    ("vicinity of the canal, Colombia and in the U.S. states of Florida and Virginia.", ""),
    ("greece's thessaly, macedonia and the western peloponnese", ""),
    ("Peruvian Waters", ""),
    ("Mediterranean Sea", ""),
    ("-9", ""),
    ("", ""),
])
def test_host_code_rules(location, code):
    assert ex.host_code(location) == code


def test_missing_markers_become_empty(small):
    r = _row(small[0], "mme900")
    assert r["name"] == "" and r["focus"] == "" and pd.isna(r["lat"]) and pd.isna(r["lon"])


def test_written_table_validates(small, tmp_path):
    frame, _ = small
    write_table(frame, tmp_path / "exercises.csv", ex.EXERCISES)
    back, problems = read_table(tmp_path / "exercises.csv", ex.EXERCISES)
    assert problems == []
    assert len(back) == 6
    assert back.loc[back["exercise_id"] == "mme902", "end"].isna().all()


def _mutate(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mme.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _problems(path) -> list:
    with pytest.raises(DataError) as info:
        ex.parse_mme(path, label="mme.csv")
    return info.value.problems


def test_missing_header_row_names_file_row_field(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "mme.csv"
    path.write_text("".join(lines[1:]), encoding="utf-8")
    problems = _problems(path)
    assert all(p.file == "mme.csv" and p.row == 1 for p in problems)
    assert "MMEID" in {p.field for p in problems}
    assert "missing from the header" in problems[0].rule


def test_text_in_coordinate_names_row_and_field(tmp_path):
    path = _mutate(tmp_path, "26.820553", "north")
    problems = _problems(path)
    assert [(p.row, p.field) for p in problems] == [(3, "lat")]
    assert "'north'" in problems[0].rule


def test_latitude_out_of_range(tmp_path):
    path = _mutate(tmp_path, "26.820553", "126.8")
    problems = _problems(path)
    assert [(p.row, p.field) for p in problems] == [(3, "lat")]
    assert "between -90 and 90" in problems[0].rule


def test_bad_month_and_day(tmp_path):
    path = _mutate(tmp_path, "1980,1,14,1/21/80", "1980,13,14,1/21/80")
    assert [(p.row, p.field) for p in _problems(path)] == [(2, "s.month")]
    path = _mutate(tmp_path, "1/21/80,1980,1,21", "1/21/80,1980,2,30")
    problems = _problems(path)
    assert [(p.row, p.field) for p in problems] == [(2, "e.day")]
    assert "not a real date" in problems[0].rule


def test_bad_flag(tmp_path):
    path = _mutate(tmp_path, "1980,1,21,0,0,0,1", "1980,1,21,0,0,0,yes")
    assert [(p.row, p.field) for p in _problems(path)] == [(2, "Sea")]


def test_empty_and_missing_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert "empty" in _problems(empty)[0].rule
    assert _problems(tmp_path / "nope.csv")[0].rule == "file is missing"


def test_real_file(raw_dir):
    frame, unresolved = ex.parse_mme(raw_dir / ex.MME_FILE)
    # 1,882 exercises list the US in the wide file; troopdata's long table has 1,871 because it keeps only the
    # first 24 participants of each exercise (11 large exercises lose the US).
    assert len(frame) == 1882
    long = pd.read_csv(raw_dir / "troopdata/master-3946bcf/mme-v7-long.csv", dtype=str, keep_default_na=False)
    long_us = set(long.loc[long["country"] == "United States", "MMEID"])
    assert len(long_us) == 1871 and long_us <= set(frame["exercise_id"])
    assert frame["year"].between(1980, 2010).all()
    assert (frame["participants"].str.split(";").map(lambda c: "USA" in c)).all()
    assert frame["participants"].str.contains("PER").sum() == 28
    # organisations never resolve; the two spellings of countries may once loaders.countries learns them
    assert {"Baltic States", "NATO"} <= set(unresolved) <= {"Baltic States", "NATO", "St. Vincent & Grenadines",
                                                            "st. christopher"}
    r = _row(frame, "mme1616")  # Strong Resolve 98: the US is the 25th participant
    assert r["n_participants"] == 25 and r["participants"].endswith("USA")
    assert frame["date_precision"].value_counts().to_dict() == {"day": 1255, "month": 627}
    assert frame["end"].isna().sum() == 2
    assert (frame["host_iso3"] != "").sum() >= 950  # 965 with the country names known today
    hosts = dict(zip(frame["exercise_id"], frame["host_iso3"]))
    assert (hosts["mme86"], hosts["mme87"], hosts["mme3415"]) == ("KOR", "", "POL")
    assert frame["exercise_id"].is_unique


def test_build_writes_valid_table(raw_dir, tmp_path):
    ex.build(raw_dir, tmp_path)
    frame, problems = read_table(tmp_path / "exercises.csv", ex.EXERCISES)
    assert problems == []
    assert len(frame) == 1882
