"""The Spanish edition: the catalogue is complete and in step with the code, numbers, dates and names follow CLDR
(es-419), and the app opens in the reader's language with language-neutral links."""
from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import i18n
from tests.apputil import open_link

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locales" / "es" / "LC_MESSAGES" / "footprint.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{\w*\}")


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "footprint.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "tr",
                    "--no-location", "--omit-header", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    return {m.id for m in read_po(pot.open("rb")) if m.id}


def test_every_marked_string_is_in_the_catalogue_and_translated(tmp_path):
    """A fresh extraction from the code finds exactly the catalogue's messages; none is untranslated or fuzzy,
    and each translation keeps its placeholders."""
    in_code = _extract(tmp_path)
    catalogue = read_po(PO.open("rb"))
    ids = {m.id for m in catalogue if m.id}
    assert in_code - ids == set(), f"run `bash scripts/i18n.sh extract`: missing {sorted(in_code - ids)[:5]}"
    assert ids - in_code == set(), f"obsolete entries: {sorted(ids - in_code)[:5]}"
    bad = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy
                                                or set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string)))]
    assert bad == [], f"untranslated, fuzzy or with other placeholders: {bad[:5]}"
    assert len(ids) > 400


def test_compiled_catalogue_matches_the_po():
    po = {m.id: m.string for m in read_po(PO.open("rb")) if m.id}
    mo = {m.id: m.string for m in read_mo(MO.open("rb")) if m.id}
    assert mo == po, "run `bash scripts/i18n.sh compile`"


def test_one_translation_object_per_language_and_nothing_in_builtins():
    import builtins

    assert i18n.translation("es") is i18n.translation("es")
    assert isinstance(i18n.translation("es"), gettext.GNUTranslations)
    assert i18n.gettext_for("es")("Where") == "Dónde" and i18n.gettext_for("en")("Where") == "Where"
    assert not hasattr(builtins, "_") or builtins._ is not i18n.gettext_for("es")


def test_numbers_dates_and_names_follow_cldr():
    assert i18n.num(153771, "es") == "153,771" and i18n.num(153771.5, "es", 1) == "153,771.5"
    assert i18n.date_text("2023-06-01", "month", "es") == "junio de 2023"
    assert i18n.date_text("2023-05-26", "day", "es") == "26 de mayo de 2023"
    assert i18n.report_text("September 2025", "es") == "septiembre de 2025"
    assert i18n.country("PER", "Peru", "es") == "Perú" and i18n.country("KOR", "South Korea", "es") == "Corea del Sur"
    assert i18n.country("PER", "Peru", "en") == "Peru"
    assert sorted(["Polonia", "Perú", "Panamá", "Paraguay"], key=i18n.sort_key) == ["Panamá", "Paraguay", "Perú", "Polonia"]
    loc = i18n.plotly_locale("es")
    assert loc["locale"] == "es" and loc["locales"]["es"]["format"]["months"][5] == "junio"
    assert i18n.norm("es-PE") == "es" and i18n.norm("fr") == "en" and i18n.norm(None) == "en"


def test_spanish_link_opens_in_spanish_with_language_neutral_values():
    at = open_link(lang="es", year="1968", measure="Army")
    assert at.session_state["lang"] == "es"
    metric = at.metric[0]
    assert metric.label == "Personal del Ejército en el exterior, 1968" or metric.label.endswith(", 1968")
    assert metric.label != "Army personnel abroad, 1968"
    assert at.selectbox(key="measure").value == "Army"  # the value stays the English name: the link's value
    # the same link in English is the English view
    en = open_link(lang="en", year="1968", measure="Army")
    assert en.metric[0].label == "Army personnel abroad, 1968" and en.metric[0].value == metric.value


def test_unknown_language_gets_a_notice_and_english():
    at = open_link(lang="xx")
    assert any("lang=xx" in w.value for w in at.warning)
    assert at.session_state["lang"] == "en"


# ------------------------------------------------------------------------------------------ data text helper --

def test_localized_reads_a_field_and_its_translation_from_any_record():
    rec = {"summary": "Exercise Foo.", "summary_es": "Ejercicio Foo.", "name": "Foo", "name_es": None}
    row = pd.Series(rec)
    tup = next(pd.DataFrame([rec]).itertuples(index=False))
    for r in (rec, row, tup):
        assert i18n.localized(r, "summary", "es") == "Ejercicio Foo."
        assert i18n.localized(r, "summary", "en") == "Exercise Foo."
        assert i18n.localized(r, "name", "es") == "Foo (en inglés)"  # English left on a Spanish page says so
        assert i18n.localized(r, "name", "es", mark=False) == "Foo"
        assert i18n.localized(r, "missing", "es") == "" and i18n.localized(r, "missing", "en") == ""
    assert i18n.localized({"note": float("nan"), "note_es": pd.NA}, "note", "es") == ""
    assert i18n.localized({"note": None, "note_es": "Sólo en español"}, "note", "es") == "Sólo en español"
    assert i18n.translation_of(rec, "summary", "es") == "Ejercicio Foo."
    assert i18n.translation_of(rec, "summary", "en") is None and i18n.translation_of(rec, "name", "es") is None


def test_languages_are_one_list_of_entries():
    assert list(i18n.LANGS) == ["en", "es"] and i18n.DEFAULT in i18n.LANGS
    assert i18n.name("es") == "Español" and i18n.locale("es-PE") == "es_419" and i18n.locale("xx") == "en_US"
    # dates by CLDR skeleton; the English day pattern is the entry's own
    assert i18n.date_text("2023-05-26", "day", "en") == "26 May 2023"
    assert i18n.date_text("2023-06-01", "month", "en") == "June 2023"
    assert [i18n.month_year("2023-09-01", la) for la in ("en", "es")] == ["Sep 2023", "sep 2023"]
    assert i18n.month_year("2023-09-01", "es", short=False) == "septiembre de 2023"
    assert i18n.date_text("2023-05-26", "year", "es") == "2023" and i18n.date_text("no date", "day", "es") == ""
