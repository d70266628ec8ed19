"""loaders.schema: every kind of bad cell is reported as file:row field: rule, and good tables round-trip."""
from __future__ import annotations

import pandas as pd
import pytest

from loaders.schema import Col, DataError, Problem, TableSpec, load_table, read_table, write_table

SPEC = TableSpec(
    name="demo",
    file="demo.csv",
    columns=(
        Col("iso3", pattern=r"[A-Z]{3}"),
        Col("date", "date"),
        Col("count", "int", min=0),
        Col("share", "float", required=False, max=100),
        Col("estimate", "bool"),
        Col("kind", allowed=frozenset({"dmdc", "kane"})),
    ),
    key=("iso3", "date"),
)


def _problems(text: str) -> list[str]:
    frame, problems = read_table(text.encode("utf-8"), SPEC)
    assert (frame is None) == bool(problems)
    return [str(p) for p in problems]


def test_valid_table_is_typed():
    frame, problems = read_table(b"iso3,date,count,share,estimate,kind\nJPN,2020-09-30,53732,,false,dmdc\n", SPEC)
    assert problems == []
    assert frame.loc[2, "count"] == 53732
    assert pd.isna(frame.loc[2, "share"])
    assert frame.loc[2, "estimate"] == False  # noqa: E712
    assert frame.loc[2, "date"] == pd.Timestamp("2020-09-30")


@pytest.mark.parametrize(
    "row, expected",
    [
        ("JPN,2023-13-01,1,,false,dmdc", "demo.csv:2 date: not a real date: '2023-13-01'"),
        ("JPN,2023-01-01,-5,,false,dmdc", "demo.csv:2 count: must be at least 0, got -5"),
        ("JPN,2023-01-01,1.5,,false,dmdc", "demo.csv:2 count: must be a whole number, got '1.5'"),
        ("JPN,2023-01-01,1,101,false,dmdc", "demo.csv:2 share: must be at most 100, got 101"),
        ("JPN,2023-01-01,1,,yes,dmdc", "demo.csv:2 estimate: must be true or false, got 'yes'"),
        ("JPN,2023-01-01,1,,false,guess", "demo.csv:2 kind: must be one of dmdc, kane; got 'guess'"),
        ("jp,2023-01-01,1,,false,dmdc", "demo.csv:2 iso3: must match [A-Z]{3}; got 'jp'"),
        (",2023-01-01,1,,false,dmdc", "demo.csv:2 iso3: required"),
        ("JPN,2023-01-01,1e99,,false,dmdc", "demo.csv:2 count: must be a whole number, got '1e99'"),
        ("JPN,2023-01-01,99999999999999999,,false,dmdc", "demo.csv:2 count: implausibly large number 99999999999999999"),
        ("JPN,2023-01-01,1,nan,false,dmdc", "demo.csv:2 share: must be a finite number, got 'nan'"),
        ("JPN,2023-01-01,1,,false", "demo.csv:2: has 5 fields, the header has 6"),
    ],
)
def test_bad_cells_name_file_row_field_and_rule(row, expected):
    assert _problems("iso3,date,count,share,estimate,kind\n" + row + "\n") == [expected]


def test_duplicate_key_names_the_later_row():
    text = "iso3,date,count,share,estimate,kind\nJPN,2020-09-30,1,,false,dmdc\nJPN,2020-09-30,2,,false,dmdc\n"
    assert _problems(text) == ["demo.csv:3 iso3/date: duplicate key (iso3=JPN, date=2020-09-30 00:00:00)"]


def test_whole_file_problems():
    assert _problems("") == ["demo.csv: file is empty (no header)"]
    assert _problems("iso3,date\nJPN,2020-01-01\n")[0] == "demo.csv:1 count: column is missing from the header"
    frame, problems = read_table(b"\xff\xfe\x00bad", SPEC)
    assert frame is None and problems[0].rule == "not valid UTF-8 text"


def test_missing_file(tmp_path):
    frame, problems = read_table(tmp_path / "nope.csv", SPEC)
    assert frame is None and str(problems[0]) == "demo.csv: file is missing"
    with pytest.raises(DataError) as info:
        load_table(tmp_path / "nope.csv", SPEC)
    assert info.value.problems == [Problem("demo.csv", None, "", "file is missing")]


def test_write_then_read_round_trips(tmp_path):
    frame = pd.DataFrame({
        "iso3": ["JPN", "PER"], "date": pd.to_datetime(["2020-09-30", "2000-09-30"]), "count": [53732, 425],
        "share": [None, 2.5], "estimate": [False, True], "kind": ["dmdc", "kane"],
    })
    write_table(frame, tmp_path / "demo.csv", SPEC)
    text = (tmp_path / "demo.csv").read_text()
    assert text.splitlines()[1] == "JPN,2020-09-30,53732,,false,dmdc"
    assert text.splitlines()[2] == "PER,2000-09-30,425,2.5,true,kane"
    back = load_table(tmp_path / "demo.csv", SPEC)
    assert list(back["count"]) == [53732, 425]
