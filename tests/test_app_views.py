"""The dashboard through Streamlit's AppTest: values on each view, deep links, bad URL parameters, and a
missing or corrupt table (only the views that use it show an error naming the file)."""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apputil import open_link

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def needs(*files: str):
    missing = [f for f in files if not (DATA / f).exists()]
    return pytest.mark.skipif(bool(missing), reason=f"data not built yet: {', '.join(missing)}")


def run(page: str | None = None, **query) -> AppTest:
    return open_link(page, timeout=60, **query)


def html_bodies(at: AppTest) -> list[str]:
    """The HTML of every st.html element on the page (the tables of ui.show_table; the page style too)."""
    return [h.proto.body for h in at.get("html")]


def csv_buttons(at: AppTest) -> list:
    """The page's CSV downloads (each chart also has its image downloads, keyed img_...)."""
    return [b for b in at.get("download_button") if not b.proto.id.split("-")[-1].startswith("img_")
            and "img_" not in b.proto.id]


def image_buttons(at: AppTest) -> list:
    return [b for b in at.get("download_button") if "img_" in b.proto.id]


def share_links(at: AppTest) -> list[str]:
    """The "Share this view" link(s) on the page (an escaped HTML link, ui.share)."""
    import html as _html

    return [_html.unescape(m.group(1)) for b in html_bodies(at) if 'class="fp-share"' in b
            for m in [re.search(r'href="([^"]*)"', b)] if m]


def unmd(text: str) -> str:
    """Markdown-escaped text (ui.md) as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", text)


def source_lines(at: AppTest) -> list[str]:
    """Every source line on the page: a short one is a caption ("Source: ..."), a long one an HTML block whose
    further sources fold under "and N more" (ui.caption)."""
    out = [c.value for c in at.caption if c.value.startswith("Source:")]
    out += [re.sub(r"<[^>]+>", "", b) for b in html_bodies(at) if 'class="fp-caption"' in b]
    return out


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [str(e.value) for e in at.error] + \
            [str(w.value) for w in at.warning] + [str(i.value) for i in at.info] + source_lines(at)
    parts += ["\n".join(" | ".join(map(str, row)) for row in t.astype(str).values.tolist())
              for body in html_bodies(at) for t in html_tables(body)]
    return "\n".join(parts)


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(body: str) -> list[pd.DataFrame]:
    """The tables in ``body`` (as ui.html_table writes them), unescaped; whole numbers become ints and
    "not reported" None."""
    def value(c: str):
        if c == "not reported":
            return None
        return int(c.replace(",", "")) if re.fullmatch(r"-?\d{1,3}(,\d{3})*|-?\d+", c) else c

    parser = _TableParser()
    parser.feed(body)
    return [pd.DataFrame([[value(c) for c in r] for r in rows[1:]], columns=rows[0], dtype=object)
            for rows in parser.tables if rows]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page (st.dataframe, or an HTML table from ui.show_table) with ``column``."""
    for d in at.dataframe:
        if column in d.value.columns:
            return d.value
    for body in html_bodies(at):
        for t in html_tables(body):
            if column in t.columns:
                return t
    raise AssertionError(f"no table with column {column!r}")


def annual() -> pd.DataFrame:
    return pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, na_values=[""], dtype={"iso3": "str"})


@needs("troops_annual.csv")
def test_1968_map_top_host_is_south_vietnam():
    at = run(year="1968")
    assert at.slider(key="year").value == 1968
    top = frame_with(at, "Host")
    assert "Vietnam" in top.iloc[0]["Host"] and "South" in top.iloc[0]["Host"]
    a = annual()
    expected = a[(a["year"] == 1968) & (a["scope"] == "abroad")].sort_values("active_duty", ascending=False).iloc[0]
    assert int(top.iloc[0]["Troops"]) == int(expected["active_duty"])
    fig = at.get("plotly_chart")[0].proto.spec
    assert '"VNM"' in fig and "1968" in fig


@needs("troops_annual.csv")
@pytest.mark.parametrize("lang, words", [("en", ("Map of 1968", "South Vietnam", "Show as table")),
                                         ("es", ("Mapa de 1968", "Vietnam del Sur", "Ver como tabla"))])
def test_the_map_has_its_text_alternative_and_table_in_each_language(lang, words):
    at = run(year="1968", lang=lang)
    alt = [c.value for c in at.caption if c.value.startswith(words[0])]
    assert alt and words[1] in alt[0], [c.value for c in at.caption][:5]
    assert at.expander and at.expander[0].label == words[2]
    # the table behind it lists every place with a figure that year, largest first
    a = annual()
    year = a[(a["year"] == 1968) & (a["scope"] == "abroad") & a["active_duty"].notna()]
    tables = [t for b in html_bodies(at) for t in html_tables(b) if len(t) == len(year)]
    assert tables, "no table with a row per place of 1968"


@needs("troops_annual.csv")
def test_deep_link_year_1990_shows_1990_figures():
    at = run(year="1990")
    a = annual()
    abroad = a[(a["year"] == 1990) & (a["scope"] == "abroad")]
    total = int(abroad["active_duty"].sum())
    metric = [m for m in at.metric if "Troops abroad" in m.label][0]
    assert "1990" in metric.label and metric.value == f"{total:,}"
    hosts = [m for m in at.metric if "Host countries" in m.label][0]
    assert hosts.value == f"{int((abroad['active_duty'].fillna(0) > 0).sum()):,}"
    share = share_links(at)
    assert len(share) == 1 and share[0].endswith("/?year=1990&lang=en")
    # headings never skip a level after the page's h1: the side column's sections are h2, like the one below
    assert [h.value for h in at.header] == ["Latest reported", "Top hosts, 1990",
                                            "Reported figures vs what this data counts"]
    assert [h.value for h in at.subheader] == []


@needs("troops_annual.csv")
def test_one_service_says_so_beside_all_services():
    """?measure=Army: the headline figure is labelled as the Army's, with the all-services total beside it."""
    at = run(year="1968", measure="Army")
    a = annual()
    y = a[(a["year"] == 1968) & (a["scope"] == "abroad")]
    metric = [m for m in at.metric if "abroad, 1968" in m.label][0]
    assert metric.label == "Army personnel abroad, 1968" and metric.value == f"{int(y['army'].sum()):,}"
    # troopdata v1.0.4 gave 628,292 and 1,042,357: without Japan proper (Army 8,478; all 41,121) and the Republic of
    # Panama (Army 5; all 17), with South Korea's 153 Navy afloat (loaders.troops rules 8 and 9)
    assert metric.value == f"{628292 + 8478 + 5:,}"
    assert any(unmd(c.value).startswith(f"All services (active duty), 1968: {1042357 + 41121 + 17 - 153:,}.") for c in at.caption)
    at = run(year="1968")
    assert [m.label for m in at.metric][0] == "Troops abroad, 1968"
    hosts_note = [unmd(c.value) for c in at.caption if "places listed for 1968" in c.value]
    assert len(hosts_note) == 1 and "Figures from:" in hosts_note[0]


def test_peru_leads_with_its_congress_authorisations_beside_the_dmdc_count():
    at = run("app_pages/country.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = [t for t in spec["data"] if t["type"] == "bar"][0]
    line = [t for t in spec["data"] if t["type"] == "scatter"][0]
    # personnel authorised where a source gives a figure: 2023 (Resolute Sentinel 1,172 + jungle exchange 87),
    # 2024 (APEC), 2025 (the cutter Stone's crew)
    assert dict(zip(bars["x"], bars["y"])) == {2023: 1259, 2024: 600, 2025: 166}
    assert dict(zip(line["x"], line["y"]))[2023] == 47  # DMDC, September 2023
    counts = {a["x"]: a["text"] for a in spec["layout"]["annotations"] if a.get("xref") == "x"}
    # every year with a sourced decision (docs/peru-authorisations.md lists the years searched without one)
    assert counts == {2012: "<b>1</b>", 2015: "<b>1</b>", 2018: "<b>1</b>", 2023: "<b>4</b>", 2024: "<b>2</b>",
                      2025: "<b>2</b>"}
    assert any("They are not expected to match" in unmd(c.value) for c in at.caption)


@needs("troops_annual.csv")
def test_animation_shows_no_single_year_figures():
    """?play=true: the map plays every year, so no one year's total or top hosts sits beside it; the slider is off."""
    at = run(play="true")
    labels = [m.label for m in at.metric]
    assert labels == ["Troops abroad, peak year", "Years on the map"]
    a = annual()
    totals = a[a["scope"] == "abroad"].groupby("year")["active_duty"].sum()
    assert at.metric[0].value == f"{int(totals.max()):,} ({int(totals.idxmax())})"
    assert at.slider(key="year").disabled
    assert not [h for h in at.header if h.value.startswith("Top hosts")]
    assert len(at.get("plotly_chart")) == 1 and '"frames"' in at.get("plotly_chart")[0].proto.spec


@needs("troops_annual.csv")
def test_bad_parameters_warn_and_fall_back_to_defaults():
    at = run(year="abc", measure="zzz", layers="nope", log="maybe")
    warned = " ".join(w.value for w in at.warning)
    for key in ("year=abc", "measure=zzz", "layers=nope", "log=maybe"):
        assert key in warned
    assert at.slider(key="year").value == int(annual()["year"].max())
    assert at.selectbox(key="measure").value == "Active duty"
    at = run(year="1800")
    assert "year=1800" in " ".join(w.value for w in at.warning) and at.slider(key="year").value == int(annual()["year"].max())


def test_bad_country_warns_and_shows_peru():
    at = run("app_pages/country.py", country="XXX")
    assert any("country=XXX" in w.value for w in at.warning)
    assert at.selectbox(key="country").value == "Peru"


def test_peru_profile_lists_resolute_sentinel_23_with_1172():
    at = run("app_pages/country.py", section="Deployments and events")
    assert at.selectbox(key="country").value == "Peru"
    deps = frame_with(at, "Personnel (reported)")
    row = deps[deps["Name"].str.contains("Resolute Sentinel 23")]
    assert len(row) == 1 and int(row.iloc[0]["Personnel (reported)"]) == 1172
    dets = frame_with(at, "Detachment")
    assert dets["Personnel"].tolist() == [970, 42, 160]
    assert "El Peruano" in dets["Attributed to"].iloc[0]
    sources = [b for b in html_bodies(at) if 'class="fp-sources"' in b and "Implications of New US Troop Arrivals" in b]
    assert sources, "the profile's source list cites the Whitney article"
    assert 'href="https://www.counterpunch.org/2023/06/09/the-implications-of-new-us-troop-arrivals-in-peru/"' in sources[0]


def _in_order(node) -> list:
    """The page's elements in the order a reader sees them (depth first through columns and containers)."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return [e for k in sorted(children) for e in _in_order(children[k])]
    return [node]


@needs("troops_annual.csv")
@pytest.mark.parametrize("page,query", [(None, {"year": "1968"}),
                                        ("app_pages/country.py", {"section": "Deployments and events"})])
def test_every_table_names_its_sources_right_below(page, query):
    at = run(page, **query)
    items = _in_order(at.main)
    tables = [i for i, e in enumerate(items) if e.type == "html" and "fp-table" in e.proto.body]
    assert len(tables) >= 2
    for i in tables:
        after = " ".join(str(getattr(e, "value", "")) for e in items[i + 1:i + 4])
        assert "Source" in after, f"no source line after table {html_tables(items[i].proto.body)[0].columns.tolist()}"


def test_cost_page_shows_fy2024_official_and_reported_with_attribution():
    at = run("app_pages/cost.py", section="FY2024")
    body = texts(at)
    assert "a recent analysis cited by W\\. T\\. Whitney Jr\\." in body or "a recent analysis cited by W. T. Whitney Jr." in body
    omb = pd.read_csv(DATA / "budget_omb.csv", keep_default_na=False)
    v = omb[(omb.series == "national_defense") & (omb.unit == "usd_m_current") & (omb.fiscal_year == 2024)]["value"].iloc[0]
    spec = [c.proto.spec for c in at.get("plotly_chart")][-1]
    assert f"${float(v) / 1000:,.1f} billion" in spec and "$1.50 trillion" in spec
    assert len(at.get("plotly_chart")) == 1 and len(csv_buttons(at)) == 1  # the FY2024 tab only
    # and its image downloads: PNG for articles, PNG for social media, SVG
    assert sorted(b.proto.label for b in image_buttons(at)) == ["PNG, 1080 × 1080 (social media)", "PNG, 1200 × 675",
                                                                "SVG (vector)"]
    assert not at.error


@pytest.mark.parametrize("section,title", [(None, "Outlays, current dollars"), ("Outlays", "Outlays, current dollars"),
                                           ("Budget authority", "DoD budget authority, current dollars"),
                                           ("Other countries", "SIPRI 2024: Current dollars"),
                                           ("FY2024", "FY2024: official vs reported")])
def test_cost_tabs_run_only_the_open_section(section, title):
    """The four sections are lazy tabs bound to ?section=: one chart, its caption and its download per load, and
    the share link names the open tab."""
    at = run("app_pages/cost.py", **({"section": section} if section else {}))
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and title in charts[0].proto.spec
    assert len(csv_buttons(at)) == 1
    assert source_lines(at)
    share = share_links(at)[0]
    assert ("section=" in share) == (section not in (None, "Outlays"))
    assert "Outlays (OMB)" in texts(at).replace("\\", "")  # the definitions are under every tab


@pytest.mark.parametrize("query,title", [({"gb": "By department"}, "DoD budget authority"),
                                         ({"syear": "2010"}, "SIPRI 2010"),
                                         ({"syear": "2010", "section": "Outlays"}, "Outlays")])
def test_cost_link_without_section_opens_the_tab_of_its_parameters(query, title):
    """A link made before the page had tabs (or naming only a later tab's choice) opens that tab."""
    at = run("app_pages/cost.py", **query)
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and title in charts[0].proto.spec


def test_cost_bad_section_falls_back_with_a_notice():
    at = run("app_pages/cost.py", section="Everything")
    assert "section" in " ".join(w.value for w in at.warning) and "Outlays" in " ".join(w.value for w in at.warning)
    assert "Outlays, current dollars" in at.get("plotly_chart")[0].proto.spec


def _copy_data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".build-*"))
    return copy


def test_corrupt_budget_table_errors_only_on_cost_view(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path)
    path = copy / "budget_omb.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("omb_hist", "").replace(",17.5,", ",lots,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    at = run("app_pages/cost.py")
    errors = " ".join(e.value for e in at.error)
    assert "budget\\_omb\\.csv" in errors or "budget_omb.csv" in errors
    assert "line" not in errors or ":2" in errors
    assert not at.get("plotly_chart")  # the outlays tab has nothing else to draw
    for section in ("Budget authority", "Other countries"):  # the other tabs still draw (the notice stays on top)
        at = run("app_pages/cost.py", section=section)
        assert len(at.get("plotly_chart")) == 1
        assert all("budget\\_omb" in e.value for e in at.error)
    at = run("app_pages/country.py", section="Deployments and events")
    assert not at.error or all("budget" not in e.value for e in at.error)
    assert frame_with(at, "Personnel (reported)")["Name"].str.contains("Resolute Sentinel 23").any()


def test_missing_troop_table_errors_on_where_while_cost_works(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path)
    (copy / "troops_annual.csv").unlink(missing_ok=True)
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    at = run()
    errors = " ".join(e.value for e in at.error)
    assert "troops\\_annual\\.csv" in errors and "missing" in errors
    for section in ("Outlays", "Budget authority", "Other countries", "FY2024"):
        at = run("app_pages/cost.py", section=section)
        assert not at.error and len(at.get("plotly_chart")) == 1


@needs("troops_annual.csv")
@pytest.mark.parametrize("section,titles", [(None, ["Authorised entries and stationed", "Active-duty US troops, by year"]),
                                            ("Troops", ["Authorised entries and stationed", "Active-duty US troops, by year"]),
                                            ("Bases and places", ["Base sites and deployment places"]),
                                            ("Deployments and events", ["Deployments, exercises, events"])])
def test_country_tabs_run_only_the_open_section(section, titles):
    """The profile's three parts are lazy tabs (?section=): only the open tab's charts (Peru's troops tab leads
    with its Congress's authorisations beside the DMDC count, then the history), each with its source line and
    download; the profile's source list is under every tab, and the share link keeps the tab."""
    at = run("app_pages/country.py", **({"section": section} if section else {}))
    charts = at.get("plotly_chart")
    assert len(charts) == len(titles) and all(t in c.proto.spec for t, c in zip(titles, charts))
    assert source_lines(at)
    assert any('class="fp-sources"' in b and "Implications of New US Troop Arrivals in Peru" in b for b in html_bodies(at))
    share = share_links(at)[0]
    assert ("section=" in share) == (section not in (None, "Troops"))
    embed = [b for b in html_bodies(at) if 'class="fp-code"' in b][0]
    assert "embed=true" in embed and "show=chart" in embed and "@misc{footprint_country_" in embed
    assert re.search(r"data version [0-9a-f]{12}", embed)


def test_country_deployment_panels_fill_only_when_open():
    """Closed deployment panels send only their label (lazy expanders); the recent one with a reported size is
    open and filled. (Opening a closed one in a browser fills it: tests/browser/test_views.py.)"""
    at = run("app_pages/country.py", section="Deployments and events")
    panels = {e.label: len(e.children) for e in at.expander if e.label not in ("Embed this view or cite it", "Show as table")}
    from loaders import DATA_DIR
    from loaders.deployments import load_deployments

    per = load_deployments(DATA_DIR)[0].query("iso3 == 'PER'")  # the panels follow the data files
    assert len(panels) == len(per)
    open_ = per[per["personnel_max"].notna() & (per["start"].dt.year >= 2020)]
    assert len([k for k, n in panels.items() if n]) == len(open_)
    assert panels["Resolute Sentinel 23 \\(RS23\\) · 1,172 personnel (reported)"] > 0
    assert frame_with(at, "Detachment")["Personnel"].tolist() == [970, 42, 160]


@needs("troops_annual.csv")
def test_country_deep_link_by_name_shows_that_country():
    at = run("app_pages/country.py", country="Germany")
    assert at.selectbox(key="country").value == "Germany"
    assert any("Germany" in h.value for h in at.header)
    a = annual()
    de = a[a["iso3"] == "DEU"].dropna(subset=["active_duty"]).sort_values("active_duty")
    peak = [m for m in at.metric if m.label.startswith("Peak")][0]
    assert peak.value == f"{int(de.iloc[-1]['active_duty']):,}" and str(int(de.iloc[-1]["year"])) in peak.label


@pytest.mark.parametrize("query,title", [({}, "Active-duty troops abroad"),
                                         ({"section": "Deployments and exercises"}, "items, "),
                                         ({"view": "By region"}, "by region"),
                                         ({"gcountry": "Peru"}, "items, "),
                                         ({"gcountry": "Peru", "section": "Troops abroad"}, "Active-duty troops abroad")])
def test_when_tabs_run_only_the_open_section(query, title):
    """Troops over time and the timeline are lazy tabs (?section=); a link naming only a timeline choice opens
    the timeline tab. One chart per load, with its source line and download."""
    at = run("app_pages/when.py", **query)
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and title in charts[0].proto.spec
    assert len(csv_buttons(at)) == 1 and source_lines(at)


def test_when_item_deep_link_shows_resolute_sentinel_details():
    at = run("app_pages/when.py", item="Resolute Sentinel 23 (RS23), 2023")
    assert at.selectbox(key="item").value == "Resolute Sentinel 23 (RS23), 2023"
    dets = frame_with(at, "Detachment")
    assert dets["Personnel"].tolist() == [970, 42, 160] and dets["Aircraft"].tolist()[2] == 9
    body = texts(at)
    assert "1,172" in body and "El Peruano" in body


def test_text_from_data_is_escaped(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path)
    src = (copy / "deployments" / "resolute-sentinel-23.yaml").read_text(encoding="utf-8")
    evil = src.replace("name: Resolute Sentinel 23 (RS23)",
                       "name: 'Evil [click](https://e.vil) <b>x</b> **bold**'")
    assert evil != src
    (copy / "deployments" / "resolute-sentinel-23.yaml").write_text(evil, encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    at = run("app_pages/country.py", section="Deployments and events")
    shown = [m.value for m in at.markdown if "Evil" in m.value]
    assert shown, "the deployment name is shown"
    for md in shown:
        # every Markdown/HTML character from the data is backslash-escaped
        assert not re.search(r"(?<!\\)\]\(", md) and not re.search(r"(?<!\\)<b>", md) and "**bold**" not in md
        assert "\\[click\\]" in md and "\\<b\\>" in md
    gantt = [c.proto.spec for c in at.get("plotly_chart") if "Evil" in c.proto.spec]
    assert gantt and all("<b>x" not in g and "&lt;b&gt;x" in g for g in gantt)


def test_a_record_with_script_markup_is_left_out_with_a_warning(tmp_path, monkeypatch):
    """The data gate refuses an event handler in a name: the record is left out with a visible warning naming
    its file, and every other record still shows."""
    copy = _copy_data(tmp_path)
    path = copy / "deployments" / "resolute-sentinel-23.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Resolute Sentinel 23 (RS23)", "name: 'RS <img src=x onerror=alert(1)>'"), encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    at = run("app_pages/country.py", section="Deployments and events")
    assert not at.exception
    notes = (" ".join(w.value for w in at.warning) + " ".join(e.value for e in at.error)).replace("\\", "")
    assert "deployments/resolute-sentinel-23.yaml:5 name: markup or a script link is not allowed" in notes
    body = texts(at)
    assert "onerror" not in body and "authorises US troops for Resolute Sentinel 2023" in body


def chart_tables(at: AppTest, label: str) -> list[pd.DataFrame]:
    """The tables behind the page's "Show as table" expanders (``label`` in the page's language), in page order."""
    return [t for ex in at.expander if ex.label == label for e in _in_order(ex)
            if e.type == "html" and "fp-table" in e.proto.body for t in html_tables(e.proto.body)]


@needs("troops_annual.csv")
def test_the_animation_has_a_table_of_each_year_total_and_largest_host():
    at = run(play="true", lang="es")
    tables = chart_tables(at, "Ver como tabla")
    a = annual()
    ab = a[a["scope"] == "abroad"]
    assert len(tables) == 1 and list(tables[0].columns) == ["Año", "Tropas en el exterior", "Mayor anfitrión", "Su cifra"]
    t = tables[0]
    assert t["Año"].tolist() == sorted(ab["year"].unique().tolist())
    last = ab[ab["year"] == ab["year"].max()].sort_values("active_duty", ascending=False).iloc[0]
    assert t.iloc[-1].tolist() == [int(last["year"]), int(ab[ab["year"] == last["year"]]["active_duty"].sum()), "Japón",
                                   int(last["active_duty"])]


@needs("sipri_extract.csv")
def test_the_sipri_chart_has_its_table_ranked_with_the_missing_last():
    at = run("app_pages/cost.py", section="Other countries")
    s = pd.read_csv(DATA / "sipri_extract.csv", keep_default_na=False, na_values=[""])
    year = int(s.loc[s["value"].notna(), "year"].max())
    sel = s[(s["year"] == year) & (s["metric"] == "current_usd_m")]
    (t,) = chart_tables(at, "Show as table")
    assert list(t.columns) == ["Country", "US$ million, current"] and len(t) == len(sel)
    assert t.iloc[0].tolist() == ["United States", round(sel["value"].max())]
    assert t["US$ million, current"].isna().sum() == sel["value"].isna().sum()


def test_the_when_timeline_has_its_table_of_the_drawn_items():
    at = run("app_pages/when.py", section="Deployments and exercises")
    (t,) = chart_tables(at, "Show as table")
    assert list(t.columns) == ["Name", "Kind", "Place", "Start", "End"] and len(t) > 10
    starts = pd.to_datetime(t["Start"], format="%B %Y")
    assert starts.is_monotonic_increasing and starts.min().year >= 2000
    assert {"Host-country decision", "Exercise (reported)"} <= set(t["Kind"])


@pytest.mark.parametrize("section, lang, label, columns", [
    ("Bases and places", "en", "Show as table", ["Kind", "Place", "Listed in"]),
    ("Deployments and events", "es", "Ver como tabla", ["Nombre", "Tipo", "Inicio", "Fin"])])
def test_the_country_map_and_timeline_have_their_tables(section, lang, label, columns):
    at = run("app_pages/country.py", section=section, lang=lang)
    (t,) = chart_tables(at, label)
    assert list(t.columns) == columns
    if section == "Bases and places":
        bases = pd.read_csv(DATA / "bases.csv", keep_default_na=False, na_values=[""])
        located = bases[(bases["iso3"] == "PER") & bases["lat"].notna()]
        assert (t["Listed in"] == "David Vine's list").sum() == len(located) > 0
        assert (t["Kind"] == "Reported deployment place").sum() > 0
    else:
        assert "Decisión del país anfitrión" in set(t["Tipo"]) and t["Inicio"].str.contains(" de 20").all()
        assert (t["Fin"] == "sin dato").any()  # a decision has no end date: shown missing, not invented
