"""A link with hundreds of bad values shows a few notices, not hundreds: ``params.fold`` caps them and
names every bad parameter once; ``params.check`` still returns one notice per bad value."""
from __future__ import annotations

from app_pages.params import MAX_NOTICES, Param, check, fold
from tests.apputil import open_link

PARAMS = [
    Param("year", "int", 2025, min=1950, max=2025),
    Param("country", "choice", "PER", ("PER", "DEU")),
    Param("layers", "multi", [], ("bases", "exercises")),
    Param("log", "bool", False),
    Param("play", "bool", False),
]


def test_check_stays_one_notice_per_bad_value():
    notices = check({"layers": [f"bad{i}" for i in range(999)] + ["bases"]}, PARAMS)
    assert len(notices) == 999 and [n.value for n in notices[:2]] == ["bad0", "bad1"]


def test_many_bad_values_of_one_parameter_fold_into_one_notice():
    folded = fold(check({"layers": [f"bad{i}" for i in range(999)]}, PARAMS))
    assert len(folded) == 1
    msg = folded[0].message
    assert msg.startswith("The link's layers parameter `layers=bad0` is not one of the options; it was ignored.")
    assert msg.endswith("… and 998 more bad values of `layers`, all ignored.")
    two = fold(check({"layers": ["x", "y"]}, PARAMS))[0].message
    assert two.endswith("… and 1 more bad value of `layers`, also ignored.")


def test_few_bad_parameters_keep_their_own_notices():
    notices = check({"year": ["abc"], "country": ["XXX"]}, PARAMS)
    assert fold(notices) == notices  # nothing to fold: the same notices, in the same order


def test_more_bad_parameters_than_the_cap_share_the_last_notice():
    q = {"year": ["abc"], "country": ["XXX"], "layers": ["a", "b", "c"], "log": ["maybe"], "play": ["`<b>x</b>`"]}
    folded = fold(check(q, PARAMS))
    assert len(folded) == MAX_NOTICES == 3
    assert [n.key for n in folded] == ["year", "country", "layers"]
    assert "`year=abc`" in folded[0].message and "`country=XXX`" in folded[1].message
    last = folded[2].message
    assert last == ("The link's other bad values (5 in 3 parameters): `layers=a` and 2 more, `log=maybe`, "
                    "`play='<b>x</b>'`; each was ignored or replaced by its default.")
    named = " ".join(n.message for n in folded)
    assert all(f"`{k}=" in named for k in q)  # every bad parameter is still named


def test_a_link_with_999_bad_values_shows_at_most_three_notices():
    # 999 values in all (Streamlit ignores a query string of more than 1,000 parameters)
    at = open_link(layers=[f"bad{i}" for i in range(995)], year="abc", measure="nope", log="maybe", play="x")
    notices = [w.value for w in at.warning if w.value.startswith("The link's")]
    assert len(notices) == 3, notices
    text = " ".join(notices)
    for key in ("year", "measure", "log", "layers", "play"):
        assert f"`{key}=" in text, key
    assert "`year=abc`" in notices[0] and "`measure=nope`" in notices[1]
    assert notices[2] == ("The link's other bad values (997 in 3 parameters): `log=maybe`, `layers=bad0` and 994 more, "
                          "`play=x`; each was ignored or replaced by its default.")
    # the page itself still works, on its defaults
    assert at.slider(key="year").value == open_link().slider(key="year").value


def test_one_bad_parameter_with_999_values_is_one_notice_in_the_app():
    at = open_link(layers=[f"bad{i}" for i in range(999)])
    notices = [w.value for w in at.warning if w.value.startswith("The link's")]
    assert len(notices) == 1 and notices[0].endswith("… and 998 more bad values of `layers`, all ignored.")
