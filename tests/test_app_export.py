"""CSV downloads: spreadsheet formulas in text cells are neutralised, numbers stay numbers."""
from __future__ import annotations

import io
import re

import pandas as pd

from export.csvfile import neutralise, to_csv_bytes


def test_formula_prefixes_are_neutralised_in_text_columns():
    frame = pd.DataFrame({
        "name": pd.Series(["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "Peru", "a=b"], dtype="str"),
        "value": [1, -2, 3, 4, 5, 6, 7, 8],
    })
    out = neutralise(frame)
    assert out["name"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "Peru", "a=b"]
    assert out["value"].tolist() == [1, -2, 3, 4, 5, 6, 7, 8]  # negative numbers untouched
    assert frame["name"].iloc[0].startswith("=")  # input not modified


def test_csv_keeps_numbers_numeric_and_missing_empty():
    frame = pd.DataFrame({"iso3": pd.Series(["NAM", "PER"], dtype="str"),
                          "troops": pd.Series([-5, None], dtype="Int64"),
                          "share": [1.5, float("nan")],
                          "date": pd.to_datetime(["2020-09-30", "2021-09-30"]),
                          "note": pd.Series(["-estimate", None], dtype="str")})
    text = to_csv_bytes(frame).decode("utf-8")
    assert text.splitlines() == ["iso3,troops,share,date,note", "NAM,-5,1.5,2020-09-30,'-estimate", "PER,,,2021-09-30,"]
    back = pd.read_csv(io.StringIO(text), dtype={"iso3": "str"}, keep_default_na=False, na_values=[""])
    assert back.loc[0, "troops"] == -5


def test_list_columns_are_flattened_and_neutralised():
    frame = pd.DataFrame({"sources": [[{"source_id": "whitney_2023", "attributed_to": "article"}], []],
                          "id": ["a", "b"]})
    text = to_csv_bytes(frame).decode("utf-8")
    assert "source_id: whitney_2023; attributed_to: article" in text
    evil = pd.DataFrame({"sources": [[{"source_id": "=cmd"}]]})
    # a flattened cell starting with a formula character is neutralised too
    assert to_csv_bytes(pd.DataFrame({"x": [["=1+1"]]})).decode().splitlines()[1] == "'=1+1"
    assert "source_id: =cmd" in to_csv_bytes(evil).decode()


def test_html_table_escapes_text_and_formats_numbers():
    import pandas as pd

    from app_pages.ui import html_table
    from tests.test_app_views import html_tables

    frame = pd.DataFrame({"Host": ["Vietnam, South", "a|b <script>alert(1)</script>", "[x](http://e.vil)"],
                          "Troops": [537377, None, -5], "<b>Kind</b>": ["&amp;", "x\ny", ""]})
    text = html_table(frame, numeric=("Troops",))
    assert text.startswith('<table class="fp-table"><thead><tr><th>Host</th><th class="num">Troops</th>'
                           "<th>&lt;b&gt;Kind&lt;/b&gt;</th></tr></thead><tbody>")
    assert ('<tr><td data-label="Host">Vietnam, South</td><td class="num" data-label="Troops">537,377</td>'
            '<td data-label="&lt;b&gt;Kind&lt;/b&gt;">&amp;amp;</td></tr>') in text
    # markup from data is text, never a tag: the only tags are the table's own
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert set(re.findall(r"</?([a-z]+)", text)) == {"table", "thead", "tbody", "tr", "th", "td"}
    assert '<td class="num" data-label="Troops">not reported</td>' in text
    assert '<td class="num" data-label="Troops">-5</td>' in text
    # three columns: a table on a phone too; more than four: cards there (each cell under its column's name)
    assert 'class="fp-table"' in text and "fp-cards" not in text
    wide = html_table(frame.assign(a=1, b=2), numeric=("Troops",))
    assert wide.startswith('<table class="fp-table fp-cards">')
    # read back, the table is the frame (numbers as numbers, a missing value as "not reported")
    back = html_tables(text)[0]
    assert back.columns.tolist() == ["Host", "Troops", "<b>Kind</b>"]
    assert back["Host"].tolist() == frame["Host"].tolist()
    assert back["Troops"].tolist() == [537377, None, -5]
    assert back["<b>Kind</b>"].tolist() == ["&amp;", "x\ny", ""]
