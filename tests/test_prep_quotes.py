"""Each record's panel shows, under every figure and claim, the source's own words as a quotation in
the source's language (on the English and the Spanish page alike), with its source link; an unverified figure says
it was not checked against the source's text. Quotes are escaped like all data text."""
from __future__ import annotations

import pandas as pd

from loaders import DATA_DIR
from loaders.deployments import load_deployments
from loaders.records.model import Quote
from loaders.sources import read_sources
from prep import details

RECORD = {
    "id": "x", "name": "X", "kind": "decision", "status": "authorised", "iso3": "PER",
    "start": pd.Timestamp("2023-05-25"), "date_precision": "day", "summary": "S.", "summary_es": "R.",
    "personnel": [{"value": 1172, "attributed_to": "Congress", "detail": None, "source_id": "s1"},
                  {"value": 970, "attributed_to": "an article", "detail": None, "source_id": "s2"}],
    "personnel_max": 1172, "personnel_attributed_to": "Congress",
    "claims": [{"about": "a", "text": "Troops <b>came</b>", "text_es": "Llegaron tropas", "attributed_to": "Web",
                "attributed_to_es": "Web", "source_id": "s2"}],
    "decision": {"type": "authorisation", "body": "Congress", "vote": {"in_favour": 70, "against": 31,
                                                                       "abstentions": 6, "attributed_to": "Congress"}},
    "attestations": [
        {"field": "decision.vote", "line": 10, "source_id": "s1", "status": "quoted", "unverified": None,
         "derived": None, "quotes": [{"text": "Con setenta votos a favor", "lang": "es"}]},
        {"field": "personnel[0]", "line": 20, "source_id": "s1", "status": "quoted", "unverified": None,
         "derived": {"op": "sum", "parts": [970, 42, 160]}, "quotes": [{"text": "un total de 1.172 efectivos",
                                                                        "lang": "es"}]},
        {"field": "personnel[1]", "line": 24, "source_id": "s2", "status": "unverified",
         "unverified": "the stored copy is cut", "derived": None, "quotes": []},
        {"field": "claims[0]", "line": 30, "source_id": "s2", "status": "quoted", "unverified": None, "derived": None,
         "quotes": [{"text": "<script>x</script> see https://evil.example/ now", "lang": "en"}]},
    ],
}


def test_every_figure_and_claim_has_its_backing_in_file_order_in_both_languages():
    en = details.deployment_panel(RECORD, "en").backings
    assert [b.what for b in en] == [
        "Vote: 70 in favour, 31 against, 6 abstentions (Congress)",
        "Personnel (as reported): 1,172, attributed to Congress",
        "Personnel (as reported): 970, attributed to an article",
        "Troops <b>came</b> (Web)"]
    assert en[0].quotes == [Quote(text="Con setenta votos a favor", lang="es")]
    assert en[1].derived == "970 + 42 + 160 = 1,172" and not en[1].unverified
    assert en[2].unverified and en[2].quotes == []
    es = details.deployment_panel(RECORD, "es").backings
    assert es[0].what.startswith("Votación") or es[0].what.startswith("Voto")
    assert es[3].what == "Llegaron tropas (Web)"
    assert [b.quotes for b in es] == [b.quotes for b in en]  # quotes stay in their own language on every page
    assert details.deployment_panel({k: v for k, v in RECORD.items() if k != "attestations"}, "en").backings == []


def test_panel_html_quotes_in_their_language_with_source_link_and_escaped():
    from app_pages.details import backings_html

    known, _ = read_sources(DATA_DIR / "sources.yaml")
    known = {"s1": known["whitney_2023"]}
    page = backings_html(details.deployment_panel(RECORD, "es").backings, known, "es")
    assert page.startswith('<div class="fp-backings"><p><strong>En palabras de las fuentes</strong></p>')
    assert '<blockquote class="fp-quote" lang="es">\u201cCon setenta votos a favor\u201d</blockquote>' in page
    assert "calculado por Footprint a partir de las cifras citadas: 970 + 42 + 160 = 1,172" in page
    assert '<div class="fp-unverified"><em>no verificado con el texto de la fuente</em></div>' in page
    assert ('<blockquote class="fp-quote" lang="en">\u201c&lt;script&gt;x&lt;/script&gt; see https://evil.example/ '
            'now\u201d</blockquote>') in page
    assert "<script" not in page and page.count("<a ") == 2  # only the known source's own address is a link
    assert 'href="https://www.counterpunch.org/' in page and "Fuente: s2" in page
    en = backings_html(details.deployment_panel(RECORD, "en").backings, known, "en")
    assert "not checked against the source&#x27;s text" in en and "In the sources&#x27; words" in en


def test_every_committed_record_shows_the_sources_words_for_each_figure():
    frame, _ = load_deployments(DATA_DIR)
    for _, d in frame.iterrows():
        backs = details.deployment_panel(d, "es").backings
        assert len(backs) == len(d["attestations"]), d["id"]
        assert all(b.quotes or b.unverified or b.derived for b in backs), d["id"]


def test_app_leaves_out_a_record_whose_quote_lacks_its_figure_and_shows_the_rest(tmp_path, monkeypatch):
    import shutil

    from tests.apputil import open_link

    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns(".build-*"))
    path = copy / "deployments" / "resolute-sentinel-23.yaml"
    text = path.read_text(encoding="utf-8")
    assert "un total de 1.172 efectivos" in text
    path.write_text(text.replace("un total de 1.172 efectivos", "un total de 1.127 efectivos"), encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    at = open_link("app_pages/country.py", timeout=60, section="Deployments and events")
    warnings = " ".join(w.value for w in at.warning)
    assert "resolute\\-sentinel\\-23\\.yaml" in warnings and "does not appear in its quote" in warnings
    labels = [e.label for e in at.expander]
    assert not any(label.startswith("Resolute Sentinel 23") for label in labels)
    assert any(label.startswith("Resolute Sentinel 2024") for label in labels)  # the rest of Peru's records show
    assert any("authorises US troops for Resolute Sentinel 2023" in label for label in labels)
