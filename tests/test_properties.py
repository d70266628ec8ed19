"""Property-based tests (hypothesis): whatever bytes a data file holds, the loaders answer with their own
problems naming file, row and field, never another exception, and never write anything half-way."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.schema import Problem, read_table
from tests.test_schema import SPEC

GOOD = "iso3,date,count,share,estimate,kind\nJPN,2020-09-30,53732,,false,dmdc\nPER,2000-09-30,425,2.5,true,kane\n"

# How many examples: the reader's rule (problems, never an exception) is the same for every input, and the inputs
# are short (a few rows, a 400-byte file); 120-150 examples reach the odd cells below (NUL, BOM, overflow, formula
# starts) many times each, which the earlier 300-400 only repeated.
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "1e309", "nan", "inf", "9" * 40, "2023-13-01", "2023-02-30", "true", "NA",
                     "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "\u202e", "\x00", '"', "\r\n"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _check(problems: list[Problem], text_lines: int | None = None):
    for p in problems:
        assert isinstance(p, Problem)
        assert p.file == "demo.csv"
        assert p.rule
        assert p.row is None or p.row >= 1
        assert str(p).startswith("demo.csv")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_problems_not_exceptions(data):
    frame, problems = read_table(data, SPEC)
    assert (frame is None) == bool(problems)
    _check(problems)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, min_size=0, max_size=8), min_size=0, max_size=6), st.booleans())
def test_mutated_rows_give_problems_not_exceptions(rows, keep_header):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if keep_header:
        writer.writerow(["iso3", "date", "count", "share", "estimate", "kind"])
    writer.writerows(rows)
    frame, problems = read_table(buf.getvalue().encode("utf-8", "surrogatepass"), SPEC)
    assert (frame is None) == bool(problems)
    _check(problems)
    if frame is not None:
        assert (frame["count"].dropna() >= 0).all()


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOOD)), st.integers(min_value=0, max_value=len(GOOD)), cells)
def test_truncated_and_spliced_files(cut, at, insert):
    text = GOOD[:cut]
    text = text[:at] + insert + text[at:]
    frame, problems = read_table(text.encode("utf-8", "surrogatepass"), SPEC)
    assert (frame is None) == bool(problems)
    _check(problems)
