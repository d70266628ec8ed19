"""Issue 22 (items 4 and 9): on a Spanish page nothing from the data is English unmarked (attributions, detachment
names, organisers, source details, places, instruments, citations' dates, BibTeX's note, CSV headers), `python -m
loaders check` counts the texts without Spanish (0), and the Spanish wording (date ranges, plural agreement)."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pandas as pd
import pytest

import i18n
from loaders import DATA_DIR, PROJECT_DIR, deployments
from loaders.sources import read_sources
from prep import details, hosts_note
from prep.downloads import localized_csv

EN_MARK = "(en inglés)"


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    frame, problems = deployments.load_deployments(DATA_DIR)
    assert problems == []
    return frame.set_index("id", drop=False)


# ------------------------------------------------------------------------------------------ date ranges ---

def test_a_range_of_days_reads_as_spanish_prose_and_english_is_unchanged():
    assert i18n.date_range("2024-11-04", "2024-11-24", "es") == "del 4 al 24 de noviembre de 2024"
    assert i18n.date_range("2024-10-04", "2024-11-24", "es") == "del 4 de octubre al 24 de noviembre de 2024"
    assert i18n.date_range("2023-10-04", "2024-01-24", "es") == "del 4 de octubre de 2023 al 24 de enero de 2024"
    assert i18n.date_range("2024-11-04", "2024-11-24", "en") == "4 November 2024 to 24 November 2024"
    # a start known to the month: the catalogue's "de ... al ..."; the same day twice or no end: the start alone
    assert i18n.date_range("2023-06-01", "2023-12-31", "es", "month") == "de junio de 2023 al 31 de diciembre de 2023"
    assert i18n.date_range("2024-11-04", "2024-11-04", "es") == "4 de noviembre de 2024"
    assert i18n.date_range("2024-11-04", None, "es") == "4 de noviembre de 2024"


def test_a_language_without_its_own_interval_patterns_gets_cldrs_interval(monkeypatch):
    monkeypatch.setitem(i18n.LANGS, "es", i18n.Language("es", "Español", "es_419"))
    assert i18n.date_range("2024-11-04", "2024-11-24", "es") == "4–24 de noviembre de 2024"  # Babel format_interval


def test_the_apec_authorisation_period_in_the_spanish_panel(records):
    panel = details.deployment_panel(records.loc["peru-congress-apec-2024"], "es")
    facts = dict(panel.facts)
    assert facts["Periodo autorizado"] == "del 4 al 24 de noviembre de 2024"


def test_dates_written_out_in_a_citation_are_in_the_readers_language():
    assert i18n.dates_in_text("CounterPunch, 9 June 2023.", "es") == "CounterPunch, 9 de junio de 2023."
    assert i18n.dates_in_text("DVIDS, June 2025. x", "es") == "DVIDS, junio de 2025. x"
    assert i18n.dates_in_text("CounterPunch, 9 June 2023.", "en") == "CounterPunch, 9 June 2023."


# --------------------------------------------------------------------------------------------- plurals ---

def test_the_hosts_note_agrees_with_its_count():
    def year(zeros: int) -> pd.DataFrame:
        return pd.DataFrame({"active_duty": [5, 7] + [0] * zeros, "provenance": ["dmdc"] * (2 + zeros)})

    assert "(1 listado con cero)" in hosts_note(year(1), "active_duty", 2005, "es")
    assert "(2 listados con cero)" in hosts_note(year(2), "active_duty", 2005, "es")
    assert "(1 listed with zero)" in hosts_note(year(1), "active_duty", 2005, "en")


# ------------------------------------------------------------------------- the record panel in Spanish ---

def _panel_texts(p: details.DeploymentPanel) -> list[str]:
    texts = [p.title, p.summary] + [v for _, v in p.facts] + [c.text + c.attributed_to for c in p.claims]
    texts += [s.attributed_to + s.detail for s in p.sources] + [b.what for b in p.backings]
    if p.detachments is not None:
        texts += p.detachments.drop(columns=["source_id"]).to_numpy().ravel().tolist()
    return [t for t in texts if isinstance(t, str)]  # counts and missing cells are not text


def test_every_record_panel_in_spanish_has_no_english_marked_or_known_english_words(records):
    for rid, rec in records.iterrows():
        texts = _panel_texts(details.deployment_panel(rec, "es"))
        marked = [t for t in texts if EN_MARK in t]
        assert marked == [], f"{rid}: {marked[:3]}"
        english = [t for t in texts if re.search(r"\b(as reported by|as cited by|as quoted by|article\b|Detachment)", t)]
        assert english == [], f"{rid}: {english[:3]}"
        uncontracted = [t for t in texts if re.search(r"\b[ad]e? el\b", t) and re.search(r"\b(a|de) el [a-zé]", t)]
        assert uncontracted == [], f"{rid}: 'a el'/'de el' must read 'al'/'del': {uncontracted[:3]}"


def test_the_rs23_panel_in_spanish(records):
    p = details.deployment_panel(records.loc["resolute-sentinel-23"], "es")
    facts = dict(p.facts)
    assert facts["Organizador"] == "Comando Sur de EE. UU. (SOUTHCOM)"
    # "según" joins the figure and who it is attributed to (no "atribuido a el ...")
    assert facts["Personal (cifras reportadas)"] == ("1,172, según la propuesta aprobada por el Congreso del Perú, de "
                                                      "acuerdo con el centro de noticias del Congreso")
    assert p.sources[1].attributed_to == "el artículo, sobre las resoluciones publicadas en El Peruano"
    assert "25 de mayo de 2023" in p.sources[0].detail
    assert p.detachments["Destacamento"].tolist() == ["Fuerza Aérea, Fuerza Espacial y Fuerzas Especiales",
                                                      "Fuerzas Especiales", "Otro personal, con aeronaves"]
    en = details.deployment_panel(records.loc["resolute-sentinel-23"], "en")
    assert dict(en.facts)["Organiser"] == "US Southern Command (SOUTHCOM)" and en.sources[0].attributed_to == "article"


# ---------------------------------------------------------------------------------- the check's count ---

def test_check_prints_the_count_of_texts_without_spanish_and_it_is_zero():
    out = subprocess.run([sys.executable, "-m", "loaders", "check"], check=False, cwd=PROJECT_DIR, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "reader-facing texts without their Spanish counterpart: 0" in out.stdout.splitlines()


def test_check_lists_an_attribution_detail_organiser_detachment_and_place_without_spanish():
    doc = {"name": "X", "name_es": "X", "summary": "S", "summary_es": "S", "organiser": "US Army South",
           "sources": [{"source_id": "a", "attributed_to": "article", "detail": "the vote"}],
           "detachments": [{"name": "First group", "name_es": "Primer grupo", "source_id": "a",
                            "attributed_to": "article", "attributed_to_es": "artículo",
                            "quote": {"text": "English words", "lang": "en"}}],
           "places": [{"name": "Lima (Summit of the Americas)"}],
           "decision": {"body": "Congress", "body_es": "el Congreso", "instrument": "Decree 1",
                        "regions": ["a site in Trinidad"]}}
    got = sorted(p.field for p in deployments.record_spanish_gaps(doc, "deployments/x.yaml", {}))
    assert got == sorted(["organiser_es", "sources[0].attributed_to_es", "sources[0].detail_es", "places[0].name_es",
                          "decision.instrument_es", "decision.regions_es"])  # a quote is never translated


def test_a_decisions_regions_in_spanish(records):
    facts = dict(details.deployment_panel(records.loc["trinidad-and-tobago-us-radar-2025"], "es").facts)
    assert facts["Regiones"] == "Tobago (Aeropuerto Internacional Arthur N. R. Robinson), un sitio en Trinidad"
    facts = dict(details.deployment_panel(records.loc["trinidad-and-tobago-us-radar-2025"], "en").facts)
    assert facts["Regions"] == "Tobago (Arthur N. R. Robinson International Airport), a site in Trinidad"


def test_every_reader_facing_record_text_has_its_spanish_in_the_data(records):
    assert deployments.spanish_gaps(DATA_DIR) == []
    rs23 = records.loc["resolute-sentinel-23"]
    assert rs23["organiser_es"] == "Comando Sur de EE. UU. (SOUTHCOM)"
    assert all(s["attributed_to_es"] and s["detail_es"] for s in rs23["sources"])


def test_a_citation_with_english_words_has_its_spanish_and_dates_are_localised():
    sources, _ = read_sources(DATA_DIR / "sources.yaml")
    assert "informes trimestrales" in sources["dmdc"].citation_es
    assert i18n.dates_in_text(i18n.localized(sources["whitney_2023"], "citation", "es", mark=False), "es").endswith(
        "CounterPunch, 9 de junio de 2023.")


# --------------------------------------------------------------------------------- downloads, BibTeX ---

def test_a_spanish_csv_has_spanish_headers_and_category_values():
    frame = pd.DataFrame({"year": [2023], "kind": ["deployment"], "layer": ["base site"], "active_duty": [5],
                          "source_id": ["dmdc"], "iso3": ["PER"]})
    es = localized_csv(frame, "es")
    assert es.columns.tolist() == ["año", "tipo", "capa", "servicio_activo", "id_fuente", "iso3"]
    assert es.iloc[0].tolist() == [2023, "despliegue", "sitio de base", 5, "dmdc", "PER"]
    assert localized_csv(frame, "en") is frame


def test_the_peru_authorisations_csv_from_a_spanish_page():
    from prep.records import authorisations_by_year

    frame, _ = deployments.load_deployments(DATA_DIR)
    table = authorisations_by_year(frame, "PER", 2012, 2026)
    header = localized_csv(table.drop(columns=["source_ids"], errors="ignore"), "es").columns.tolist()
    assert {"año", "decisiones", "personal_autorizado"} <= set(header)
    assert not {"year", "decisions", "personnel_authorised"} & set(header)


def test_bibtex_note_is_in_the_pages_language():
    from app_pages.ui.share import bibtex

    day = dt.date(2026, 12, 6)
    assert "note = {Consultado el 2026-12-06; versión de los datos abc}" in bibtex("country", "T", "u", day, "abc", "es")
    assert "note = {Accessed 2026-12-06; data version abc}" in bibtex("country", "T", "u", day, "abc", "en")


# ------------------------------------------------------------------------ sources, the data package ---

def test_every_data_sets_facts_in_spanish_have_no_english_left_unmarked_or_marked():
    from prep.sources import dataset_facts

    sources, _ = read_sources(DATA_DIR / "sources.yaml")
    for sid, src in sources.items():
        if not src.kind:
            facts = dict(dataset_facts(src, "es"))
            assert not [v for v in facts.values() if EN_MARK in v], sid
    dmdc = dict(dataset_facts(sources["dmdc"], "es"))
    assert dmdc["Licencia"].startswith("Obra del gobierno de EE. UU.") and "trimestrales" in dmdc["Citar como"]


def test_check_lists_a_sources_licence_and_terms_without_spanish(tmp_path):
    import shutil

    from loaders import sources as src_mod

    shutil.copy(DATA_DIR / "sources.yaml", tmp_path / "sources.yaml")
    text = (tmp_path / "sources.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\n  republish_es: .*", "", text[: text.index("\nkane:")], count=1) + text[text.index("\nkane:"):]
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    gaps = [str(p) for p in src_mod.spanish_gaps(tmp_path)]
    assert len(gaps) == 1 and gaps[0].startswith("sources.yaml[dmdc]:") and " republish_es: no Spanish text" in gaps[0]


def test_the_data_package_has_its_readme_in_both_languages():
    import io
    import zipfile

    from export import datapackage as dp

    zf = zipfile.ZipFile(io.BytesIO(dp.build_from_folder(built=dt.date(2026, 12, 6))))
    en = zf.read(f"{dp.TOP}/README.md").decode("utf-8")
    es = zf.read(f"{dp.TOP}/README.es.md").decode("utf-8")
    assert "## Cite" in en and "[Español](README.es.md)" in en
    assert "## Cómo citar" in es and "## Qué se puede republicar" in es and "[English](README.md)" in es
    assert "Licencia: Obra del gobierno de EE\\. UU\\., de dominio público en los Estados Unidos." in es
    assert "| archivo | filas | licencia | fuentes |" in es
    assert EN_MARK not in es
