"""URL parameter validation: bad values produce a notice naming the parameter; good values none."""
from __future__ import annotations

from app_pages.params import Param, check

PARAMS = [
    Param("year", "int", 2025, min=1950, max=2025),
    Param("country", "choice", "PER", ("PER", "DEU")),
    Param("layers", "multi", [], ("bases", "exercises")),
    Param("log", "bool", False),
]


def test_good_values_give_no_notice():
    q = {"year": ["1990"], "country": ["DEU"], "layers": ["bases", "exercises"], "log": ["true"]}
    assert check(q, PARAMS) == []
    assert check({}, PARAMS) == []


def test_bad_values_are_named_with_the_default():
    q = {"year": ["abc"], "country": ["XXX"], "layers": ["bases", "zzz"], "log": ["maybe"]}
    notices = {n.key: n for n in check(q, PARAMS)}
    assert set(notices) == {"year", "country", "layers", "log"}
    assert "`year=abc`" in notices["year"].message and "default (2025)" in notices["year"].message
    assert "`country=XXX`" in notices["country"].message and "default (PER)" in notices["country"].message
    assert notices["layers"].value == "zzz"
    assert "default (off)" in notices["log"].message


def test_out_of_range_year_and_code_span_cannot_be_escaped():
    notices = check({"year": ["1800"]}, PARAMS)
    assert len(notices) == 1 and "outside 1950–2025" in notices[0].message
    evil = check({"country": ["`<script>` [x](http://evil)\nmore" + "y" * 80]}, PARAMS)[0].message
    code = evil.split("`")[1]  # the value stays inside one code span
    assert "<script>" not in evil.split("`")[0] and "\n" not in evil and code.startswith("country=")
    assert len(code) < 60
