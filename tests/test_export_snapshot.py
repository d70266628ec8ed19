"""The static snapshot's files: every page with its chart, source line, CSV and citation; plotly.js and the map
outlines once (partial plotly.js bundles of the Python package's version, each page's trace types in its bundle);
snapshot.json; and the bad-input rules (OUT exists and is not empty, cannot be written, an unknown
country): a clear message naming the folder, exit code 2, and OUT left as it was."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from export import snapshot
from export.common import ExportError, data_version, git_commit, load_tables
from export.csvfile import to_csv_bytes
from prep import views
from prep.downloads import versioned

ROOT = Path(__file__).resolve().parent.parent
BUILT = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    out = tmp_path_factory.mktemp("snap") / "out"
    meta = snapshot.build(out, countries=["PER", "DEU"], built=BUILT)
    return out, meta


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_snapshot_json_records_version_date_commit_and_pages(snap):
    out, meta = snap
    recorded = json.loads((out / "snapshot.json").read_text(encoding="utf-8"))
    assert recorded["data_version"] == data_version() and re.fullmatch(r"[0-9a-f]{12}", recorded["data_version"])
    assert recorded["build_date"] == "2026-11-30" and recorded["built"] == "2026-11-30T12:00:00+00:00"
    assert recorded["git_commit"] == git_commit()
    paths = [p["path"] for p in recorded["pages"]]
    syear = views.sipri_latest_year(load_tables()["sipri"])
    english = ["world-map.html", "troops-total.html", "troops-by-region.html", "outlays-current.html",
               "outlays-constant.html", "outlays-percent-gdp.html", "budget-authority.html",
               f"sipri-{syear}.html", "fy2024.html", "country/DEU.html", "country/PER.html",
               "country/PER-authorisations.html"]  # Germany has no host-country decisions, Peru has
    # both languages, each page once in each, the Spanish ones under es/
    assert recorded["languages"] == {"en": "", "es": "es/"}
    assert paths == english + ["es/" + p for p in english]
    assert [p["lang"] for p in recorded["pages"]] == ["en"] * len(english) + ["es"] * len(english)
    for p in recorded["pages"]:
        assert (out / p["path"]).stat().st_size == p["bytes_html"]
        assert (out / p["csv"]).stat().st_size == p["bytes_csv"] > 0
    # nothing but the snapshot in OUT: no temporary folder left beside it either
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.tmp-")]


def test_snapshot_holds_the_atom_feed_in_both_languages(snap):
    out, _meta = snap
    for rel, lang in (("feed.atom", "en"), ("es/feed.atom", "es")):
        text = (out / rel).read_text(encoding="utf-8")
        assert f'xml:lang="{lang}"' in text and "/when?item=" in text and f"lang={lang}" in text


def test_plotly_and_outlines_ship_once_and_nothing_is_requested_outside(snap):
    out, meta = snap
    files = _files(out)
    # the two partial bundles, each once, unchanged from export/vendor; no full plotly.min.js when no page needs it
    assert [f for f in files if f.endswith(".js")] == ["plotly-basic.min.js", "plotly-geo.min.js"]
    for name in ("plotly-basic.min.js", "plotly-geo.min.js"):
        assert files[name] == (snapshot.VENDOR / name).read_bytes()
    assert meta["plotly_js_files"] == ["plotly-basic.min.js", "plotly-geo.min.js"]
    assert {p["path"]: p["js"] for p in meta["pages"]}["world-map.html"] == "plotly-geo.min.js"
    assert {p["js"] for p in meta["pages"] if not p["path"].endswith("world-map.html")} == {"plotly-basic.min.js"}
    for name in ("world_110m.json", "world_50m.json"):
        assert files[f"topojson/{name}"] == (ROOT / "static" / name).read_bytes()
    pages = {f: b.decode("utf-8") for f, b in files.items() if f.endswith(".html")}
    for name, text in pages.items():
        # every script, stylesheet and image comes from OUT (links to the sources are plain <a> links)
        assert re.findall(r'(?:src|srcset)="(?!(?:\.\./)*plotly-(?:basic|geo)\.min\.js")', text) == []
        assert not re.search(r'<link[^>]+href="(?!(?:\.\./)*favicon\.png")', text)
        assert "cdn.plot.ly" not in text and "MathJax.js" not in text and "cdn.jsdelivr" not in text
        assert not re.search(r"fetch\((?!\"(?:\.\./)*topojson/)", text)
    assert '<script src="plotly-geo.min.js"></script>' in pages["world-map.html"]
    assert 'src="../plotly-basic.min.js"' in pages["country/PER.html"]
    assert '"topojsonURL":"topojson/"' in pages["world-map.html"]
    assert 'fetch("topojson/world_110m.json")' in pages["world-map.html"]  # fetched while plotly.js loads
    assert '"showlakes":false' in pages["world-map.html"]  # the shipped outline has no lakes layer


def _blocks(text: str) -> dict[str, object]:
    return {m.group(1): json.loads(m.group(2)) for m in
            re.finditer(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', text, re.S)}


def test_vendored_bundles_match_the_python_packages_plotly_js_and_every_trace_type(snap):
    """A bundle of another plotly.js version, or one without a page's trace type, draws a blank chart: the
    vendored files must be the version plotly.py writes figures for (upgrade them with plotly, vendor/README.md),
    and each page's traces must be in the bundle it loads."""
    from plotly.offline import get_plotlyjs_version

    out, meta = snap
    for name, _ in snapshot.BUNDLES:
        assert snapshot._vendored_version(name) == get_plotlyjs_version(), name
    has = dict(snapshot.BUNDLES)
    for p in meta["pages"]:
        blocks = _blocks((out / p["path"]).read_text(encoding="utf-8"))
        types = {d.get("type", "scatter") for d in blocks["fp-figure"]["data"]}
        types |= {d.get("type", "scatter") for f in blocks.get("fp-frames", []) for d in f["data"]}
        assert types <= has[p["js"]], (p["path"], types)


def test_a_trace_type_outside_the_bundles_gets_the_full_plotly_js(tmp_path):
    import plotly.graph_objects as go

    b = snapshot.Builder(tmp_path, {}, "v", None, BUILT, None)
    assert b.bundle_for([{"type": "bar"}, {}]) == "plotly-basic.min.js"
    assert b.bundle_for([{"type": "choropleth"}]) == "plotly-geo.min.js"
    assert b.bundle_for([{"type": "heatmap"}]) == "plotly.min.js"
    assert (tmp_path / "plotly.min.js").read_text(encoding="utf-8").startswith("/**\n* plotly.js v")
    fig = go.Figure(go.Heatmap(z=[[1, 2]]))
    import pandas as pd
    page = b.page("h.html", fig, "Heat", "g", pd.DataFrame({"a": [1]}), [])
    assert page.js == "plotly.min.js" and '<script src="plotly.min.js"></script>' in (tmp_path / "h.html").read_text()


def test_the_map_opens_on_one_year_and_adds_the_others_after_drawing(snap):
    out, meta = snap
    text = (out / "world-map.html").read_text(encoding="utf-8")
    blocks = _blocks(text)
    first, last = (int(y) for y in meta["pages"][0]["title"].split(", ")[1].split("-"))
    assert [f["name"] for f in blocks["fp-frames"]] == [str(y) for y in range(first, last + 1)]
    # each year on its own colour scale: its frame's zmax is that year's largest figure (the colour bar's ticks,
    # automatic from zmin/zmax, follow), so 2025 reads as well as 1968; the figure drawn first is the latest year
    zmax = {f["name"]: f["data"][0]["zmax"] for f in blocks["fp-frames"]}
    for f in blocks["fp-frames"]:
        z = [v for v in f["data"][0]["z"] if v is not None]
        assert z and f["data"][0]["zmax"] == max(z), f["name"]
    assert zmax["1968"] > 5 * zmax[str(last)]
    assert blocks["fp-figure"]["data"][0]["zmax"] == zmax[str(last)]
    assert blocks["fp-figure"]["data"][0]["colorbar"].get("tickvals") is None
    assert "frames" not in blocks["fp-figure"]  # drawn first from one year; Plotly.addFrames after the draw
    assert "Plotly.addFrames" in text and "location.hash" in text
    # figure text cannot end its JSON block early
    assert all("<" not in m for m in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S))


def test_pages_carry_title_source_csv_and_citation(snap):
    out, meta = snap
    annual = load_tables()["troops_annual"]
    page = (out / "country" / "PER.html").read_text(encoding="utf-8")
    assert "<h1>Active-duty US troops in Peru, by year</h1>" in page
    assert re.search(r'<p class="caption">Source: <a href="https://[^"]+" target="_blank" rel="noopener noreferrer">DMDC personnel', page)
    version = meta["data_version"]  # in the CSV's last column and the name a saved copy gets (prep/downloads.py)
    assert (f'<a href="PER.csv" download="footprint-country-PER-{version}.csv">Download the data behind this chart '
            '(CSV)</a>') in page
    assert (out / "country" / "PER.csv").read_bytes() == to_csv_bytes(versioned(views.country_history(annual, "PER").hist,
                                                                                version))
    cite = re.search(r'<section class="cite">(.*?)</section>', page, re.S).group(1)
    assert "“Active-duty US troops in Peru, by year”, Footprint," in cite
    assert '<span id="fp-url" data-fixed="0">country/PER.html</span>' in cite
    assert f"data version {meta['data_version']}" in cite and "Static snapshot of 2026-11-30" in cite
    assert '<span id="fp-accessed">2026-11-30</span>' in cite
    if meta["git_commit"]:
        assert f"commit {meta['git_commit'][:12]}" in cite
    # the figure in the page is the one prep/views.py builds (the app's): Peru's yearly figures
    hist = views.country_history(annual, "PER").hist.dropna(subset=["active_duty"])
    fig = _blocks(page)["fp-figure"]
    built = views.country_history(annual, "PER").fig
    assert [d.get("y") for d in fig["data"]] == [list(d.y) if d.y is not None else None for d in built.data]
    # the chart's own title is the page's h1 (not drawn twice)
    assert fig["layout"]["title"]["text"] == "" and built.layout.title.text == "Active-duty US troops, by year"
    assert (out / "world-map.csv").read_bytes() == to_csv_bytes(versioned(views.all_years(annual, "active_duty")[0],
                                                                         version))
    assert len(hist) > 10
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in (p for p in meta["pages"] if p["lang"] == "en"):
        saved = f"footprint-{p['path'][:-5].replace('/', '-')}-{version}.csv"
        assert f'<a href="{p["path"]}">' in index and f'<a href="{p["csv"]}" download="{saved}">CSV</a>' in index
    assert "Static snapshot of 2026-11-30" in index and meta["data_version"] in index


def test_empty_folder_is_used_and_base_url_goes_into_the_citation(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    meta = snapshot.build(out, countries=0, base_url="https://example.org/footprint/", built=BUILT)
    assert not [p for p in meta["pages"] if p["path"].startswith("country/")]
    page = (out / "troops-total.html").read_text(encoding="utf-8")
    assert '<span id="fp-url" data-fixed="1">https://example.org/footprint/troops-total.html</span>' in page
    assert json.loads((out / "snapshot.json").read_text())["base_url"] == "https://example.org/footprint/"


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "export", "snapshot", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    before = _files(out)
    with pytest.raises(ExportError, match=re.escape(f"{out} exists and is not empty")):
        snapshot.build(out, countries=0)
    run = _cli(out, "--countries", "0")
    assert run.returncode == 2 and f"error: {out} exists and is not empty" in run.stderr
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_place_that_cannot_be_written_is_refused(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    run = _cli(a_file, "--countries", "0")
    assert run.returncode == 2 and f"{a_file} exists and is not a folder" in run.stderr
    assert a_file.read_text() == "x"
    inside_file = a_file / "out"
    run = _cli(inside_file)
    assert run.returncode == 2 and str(a_file) in run.stderr and "does not exist" in run.stderr
    run = _cli(tmp_path / "new", "--countries", "XXX,PER")
    assert run.returncode == 2 and "no troop figure for XXX" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_failed_build_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "fy2024", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="boom"):
        snapshot.build(out, countries=0)
    assert list(tmp_path.iterdir()) == []  # no OUT, no temporary folder


def test_sizes_counts_what_a_first_visit_loads(snap):
    out, meta = snap
    s = snapshot.sizes(out)
    geo, basic = ((out / n).stat().st_size for n in ("plotly-geo.min.js", "plotly-basic.min.js"))
    assert s["js"] == {"plotly-basic.min.js": basic, "plotly-geo.min.js": geo}
    page = s["pages"]["world-map.html"]
    assert page["raw"] == geo + (out / "world-map.html").stat().st_size + (out / "topojson" / "world_110m.json").stat().st_size
    assert s["pages"]["troops-total.html"]["raw"] == basic + (out / "troops-total.html").stat().st_size
    assert 0 < page["gzip"] < page["raw"]
    assert s["bytes_on_disk"] == sum(len(b) for b in _files(out).values())


def test_snapshot_holds_the_data_api_at_the_live_paths(snap):
    """OUT/api/v1/... are the API's answers without query parameters (the live app serves the same bytes at the
    same paths: tests/test_api.py), for the countries asked for."""
    from export import api

    out, meta = snap
    files = {rel: b for rel, b in _files(out).items() if rel.startswith("api/v1/")}
    assert meta["api_files"] == len(files) and "api/v1/openapi.json" in files
    assert {"api/v1/troops/PER.json", "api/v1/troops/DEU.csv", "api/v1/records/PER.json",
            "api/v1/authorisations/PER.csv", "api/v1/troops/years/2020.json", "api/v1/budget/omb.csv"} <= set(files)
    assert not [f for f in files if f.startswith("api/v1/troops/JPN")]  # only the countries asked for
    for rel, body in files.items():
        assert api.answer("/" + rel, []).body == body, rel
    assert json.loads(files["api/v1/troops/PER.json"])["data_version"] == meta["data_version"]


# English words of the pages (TEXTS["en"] and the app's sentences) that a Spanish page must not show
ENGLISH_WORDS = ["Source:", "Download the data", "Cite this chart", "accessed", "Static snapshot", "All charts",
                 "data version", "built ", "Active-duty", "troops abroad", "Annual method", "Latest:", "peak:",
                 "Shown:", "never zero", "Press Play", "Outlays", "Current dollars", "budget authority",
                 "official vs reported", "authorisations since", "Two different things", "Country profiles",
                 "World map", "Troops over time", "What it costs", "Also on this snapshot", ">Play", ">Pause",
                 '"Year: ', "Personnel", "Fiscal years", "Authorised", "stationed troops"]


def _visible(text: str) -> str:
    """The page's text outside scripts, styles and tags, and the figure's own words (its JSON blocks)."""
    return re.sub(r"<style>.*?</style>|<script>.*?</script>|<[^>]+>", " ", text, flags=re.S)


def test_every_page_is_in_spanish_under_es_with_a_link_to_its_twin(snap):
    out, meta = snap
    english = [p for p in meta["pages"] if p["lang"] == "en"]
    for p in english:
        en = (out / p["path"]).read_text(encoding="utf-8")
        es = (out / "es" / p["path"]).read_text(encoding="utf-8")
        up = "../" * p["path"].count("/")
        assert '<html lang="en">' in en and '<html lang="es">' in es
        assert f'<a href="{up}es/{p["path"]}" hreflang="es" lang="es">En español</a>' in en
        assert f'<a href="../{up}{p["path"]}" hreflang="en" lang="en">In English</a>' in es
        # the same rows behind both (SIPRI's country names in the page's language), the assets from OUT's top
        assert len((out / p["csv"]).read_bytes().splitlines()) == len((out / "es" / p["csv"]).read_bytes().splitlines())
        assert f'src="../{up}{p["js"]}"' in es
        words = _visible(es)
        assert [w for w in ENGLISH_WORDS if w in words] == [], p["path"]
        assert "Fuente:" in es and "Descargar los datos de este gráfico (CSV)" in es and "Citar este gráfico" in es
    index = (out / "es" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in index and '<a href="../index.html" hreflang="en" lang="en">In English</a>' in index
    assert '<a href="es/index.html" hreflang="es" lang="es">En español</a>' in (out / "index.html").read_text()
    assert "Copia estática del 30 de noviembre de 2026" in index and '<a href="../snapshot.json">' in index
    assert [w for w in ENGLISH_WORDS if w in _visible(index)] == []
    for p in english:
        assert f'<a href="{p["path"]}">' in index


def test_spanish_pages_have_spanish_titles_numbers_and_dates(snap):
    out, meta = snap
    annual = load_tables()["troops_annual"]
    page = (out / "es" / "country" / "PER.html").read_text(encoding="utf-8")
    assert "<h1>Tropas de EE. UU. en servicio activo en Perú, por año</h1>" in page
    hv = views.country_history(annual, "DEU", "es")
    deu = (out / "es" / "country" / "DEU.html").read_text(encoding="utf-8")
    import i18n

    assert f"Máximo: {i18n.num(hv.peak['active_duty'], 'es')} ({int(hv.peak['year'])})".lower() in deu.lower()
    assert "," in i18n.num(hv.peak["active_duty"], "es")  # es-419 groups thousands with a comma
    assert '<span id="fp-accessed" data-locale="es-419">30 de noviembre de 2026</span>' in page
    fig = _blocks((out / "es" / "world-map.html").read_text(encoding="utf-8"))["fp-figure"]
    buttons = [b["label"] for b in fig["layout"]["updatemenus"][0]["buttons"]]
    assert buttons == ["▶ Reproducir", "❚❚ Pausa"] or all("Play" not in b and "Pause" not in b for b in buttons)
    assert fig["layout"]["sliders"][0]["currentvalue"]["prefix"].startswith("Año")


def test_a_country_with_decisions_has_the_authorisations_chart(snap):
    """Peru's own authorisations beside the DMDC count, as the app's country profile shows them, on a page of its
    own (the one an article embeds) with its source line and CSV; each of Peru's pages links to the other; Germany,
    without decisions, has no such page."""
    from prep import records

    out, meta = snap
    tables = load_tables()
    from export.common import load_deployment_frame

    av = records.authorisations(load_deployment_frame(), tables["troops_annual"], "PER", records.RECENT_FROM)
    assert av is not None and av.n > 0
    page = (out / "country" / "PER-authorisations.html").read_text(encoding="utf-8")
    fig = _blocks(page)["fp-figure"]
    assert [d.get("y") for d in fig["data"]] == [list(d.y) if d.y is not None else None for d in av.fig.data]
    assert (out / "country" / "PER-authorisations.csv").read_bytes() == to_csv_bytes(versioned(av.table,
                                                                                               meta["data_version"]))
    assert '<a href="PER-authorisations.csv" download="footprint-country-PER-authorisations-' in page and 'Source: <a href="https://' in page
    assert "authorisations since 2012" in page
    assert '<a href="PER-authorisations.html">This chart on its own page (to embed)</a>' in (
        out / "country" / "PER.html").read_text(encoding="utf-8")
    assert '<a href="PER.html">' in page
    es = (out / "es" / "country" / "PER-authorisations.html").read_text(encoding="utf-8")
    assert "<h1>Perú: ingresos autorizados y tropas estacionadas, 2012-" in es and "autorizaciones desde 2012" in es
    assert not (out / "country" / "DEU-authorisations.html").exists()


# the authorisations chart's heading on the country page, by language
AUTH_HEADING = {"en": "Peru: authorised entries and stationed troops, 2012-",
                "es": "Perú: ingresos autorizados y tropas estacionadas, 2012-"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_country_page_shows_its_authorisations_chart_under_the_troop_history(snap, lang):
    """Peru's page itself (both languages) has the authorisations chart under the troop history: the same figure
    as its own page (Congress of Peru's 1,259, 600 and 166 personnel authorised in 2023, 2024 and 2025, and the
    DMDC count), its text alternative, its source line with the resolutions' sources, the CSV and a link to the
    chart's own page; plotly.js is loaded once for both charts; in an article's iframe only the troop history
    shows. Germany's page, without decisions, has one chart."""
    import i18n
    from export.common import load_deployment_frame
    from prep import alt, records

    out, meta = snap
    pre = "" if lang == "en" else "es/"
    av = records.authorisations(load_deployment_frame(), load_tables()["troops_annual"], "PER", records.RECENT_FROM,
                                lang)
    page = (out / pre / "country" / "PER.html").read_text(encoding="utf-8")
    blocks = _blocks(page)
    assert set(blocks) == {"fp-figure", "fp-config", "chart2-figure"}
    own = _blocks((out / pre / "country" / "PER-authorisations.html").read_text(encoding="utf-8"))["fp-figure"]
    fig = blocks["chart2-figure"]
    assert fig["data"] == own["data"]
    bars = next(d for d in fig["data"] if d["type"] == "bar")
    assert dict(zip(bars["x"], bars["y"]))[2023] == 1259 and dict(zip(bars["x"], bars["y"]))[2024] == 600
    assert dict(zip(bars["x"], bars["y"]))[2025] == 166
    assert [int(v) for v in av.auth.dropna(subset=["personnel_authorised"])["personnel_authorised"]][-3:] == [1259, 600, 166]
    # the text alternative, as the app's profile words it, read right under the chart
    _ = i18n.gettext_for(lang)
    summary = alt.series_summary(av.auth, _("US personnel authorised by {body}").format(body=av.body), lang,
                                 y="personnel_authorised")
    assert i18n.num(1259, lang) in summary and "2023" in summary
    assert f'<p class="alt" id="chart2-alt">{summary}</p>' in page and 'aria-describedby="chart2-alt"' in page
    # its source line: every source of the chart, linked, and the note on what is counted
    section = page[page.index('<section class="more"'):page.index("</section>")]
    assert f'<h2 id="chart2-h">{AUTH_HEADING[lang]}' in section
    assert section.count('target="_blank" rel="noopener noreferrer">') == len(dict.fromkeys(av.sources))
    assert ("authorisations since 2012" if lang == "en" else "autorizaciones desde 2012") in section
    assert (f'<a href="PER-authorisations.csv" download="footprint-country-PER-authorisations-{meta["data_version"]}.csv">'
            in section and '<a href="PER-authorisations.html">' in section)
    # one plotly.js for the page, and it has both charts' trace types
    assert page.count("<script src=") == 1 and page.count("plotly-basic.min.js") == 1
    assert [p["js"] for p in meta["pages"] if p["path"] == pre + "country/PER.html"] == ["plotly-basic.min.js"]
    # drawn on the page itself only; in an article's iframe (framed.js) the section is hidden and not drawn
    assert 'if (!/\\bframed\\b/.test(document.documentElement.className)) { fpDraw(document.getElementById("chart2")' in page
    assert re.search(r"\.framed [^{]*\.framed \.more \{display: none;\}", page)
    assert '<section class="more"' not in (out / pre / "country" / "DEU.html").read_text(encoding="utf-8")



def test_every_page_has_its_charts_text_alternative(snap):
    """Each page, in both languages, has the sentence the app shows under the same chart (prep/alt.py) right under
    its chart, tied to it for screen readers; in an article's iframe it is kept for them but takes no height."""
    import html

    from prep import alt

    out, meta = snap
    annual = load_tables()["troops_annual"]
    for p in meta["pages"]:
        page = (out / p["path"]).read_text(encoding="utf-8")
        m = re.search(r'<p class="alt" id="chart-alt">([^<]+)</p>', page)
        assert m and len(m.group(1)) > 30 and 'aria-describedby="chart-alt"' in page, p["path"]
        if p["path"].endswith("world-map.html"):
            assert html.unescape(m.group(1)) == alt.animation_alt(views.abroad(annual), "active_duty", p["lang"])
        if p["path"].endswith("troops-total.html"):
            tv = views.troops_over_time(annual, "total", lang=p["lang"])
            assert html.unescape(m.group(1)) == alt.troops_alt(tv.series_df, "total", p["lang"])[0]
        assert re.search(r"\.framed \.alt \{position: absolute; width: 1px; height: 1px; overflow: hidden;", page)
