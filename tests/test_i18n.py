"""The Spanish edition: the catalogue is complete and in step with the code, numbers, dates and names follow CLDR
(es-419), and the app opens in the reader's language with language-neutral links."""
from __future__ import annotations

import ast
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
from prep import registry
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
    def forms(x) -> list[str]:  # a plural message has its forms as a tuple
        return list(x) if isinstance(x, (list, tuple)) else [x]

    bad = [m.id for m in catalogue if m.id and (not all(forms(m.string)) or m.fuzzy or any(
        set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(forms(m.id)[0])) for s in forms(m.string)))]
    assert bad == [], f"untranslated, fuzzy or with other placeholders: {bad[:5]}"
    assert len(ids) > 400


def test_compiled_catalogue_matches_the_po():
    def entries(catalogue) -> dict:  # plural messages: (singular, plural) -> their forms, as tuples
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in catalogue if m.id}

    po = entries(read_po(PO.open("rb")))
    mo = entries(read_mo(MO.open("rb")))
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


# ---------------------------------------------------------------------------- every marked literal, by syntax --

# Babel's keywords for a message (its defaults, plus the -k N_ -k tr of scripts/i18n.sh): the argument positions
# of the message id, the plural and the context.
KEYWORDS = {"_": (0,), "gettext": (0,), "N_": (0,), "tr": (0,), "ngettext": (0, 1), "pgettext": ("ctx", 1)}


def _modules() -> list[Path]:
    """Every module of the project but the tests (hidden folders hold no code of ours)."""
    return sorted(p for p in ROOT.rglob("*.py")
                  if not any(part.startswith(".") or part == "tests" for part in p.relative_to(ROOT).parts))


def _keyword(call: ast.Call) -> str | None:
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return name if name in KEYWORDS else None


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _messages(tree: ast.AST):
    """(line, context, id, plural) of every translation call whose message is a literal."""
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not (kw := _keyword(call)):
            continue
        spec = KEYWORDS[kw]
        ctx = _literal(call.args[0]) if spec[0] == "ctx" and call.args else None
        pos = spec[1] if spec[0] == "ctx" else spec[0]
        msgid = _literal(call.args[pos]) if len(call.args) > pos else None
        if msgid is None:  # a variable: the text comes from a marked table (N_) or the data (i18n/terms.py)
            continue
        plural = _literal(call.args[1]) if kw == "ngettext" and len(call.args) > 1 else None
        yield call.lineno, ctx, msgid, plural


def test_every_translatable_literal_in_the_code_is_in_the_spanish_catalogue_translated():
    """Every _()/gettext/ngettext/pgettext/N_ call with a literal message, found by walking each module's syntax
    tree (which sees inside f-strings, where Babel's extractor does not), has its Spanish translation."""
    catalogue = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in read_po(PO.open("rb")) if m.id}
    missing, found = [], 0
    for path in _modules():
        for line, ctx, msgid, _plural in _messages(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            m = catalogue.get((ctx, msgid))
            strings = (m.string if isinstance(m.string, (list, tuple)) else [m.string]) if m else []
            if not m or not all(strings) or m.fuzzy:
                missing.append(f"{path.relative_to(ROOT)}:{line} {msgid!r}")
    assert found > 400
    assert missing == [], "not translated in locales/es (bash scripts/i18n.sh extract, translate, compile): " + \
        "; ".join(missing[:10])


def test_no_translatable_literal_is_written_inside_an_f_string():
    """Babel's extractor does not look inside f-strings: a marked literal there never reaches the catalogue."""
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                found += [f"{path.relative_to(ROOT)}:{line} {msgid!r}" for line, _c, msgid, _p in _messages(node)]
    assert found == [], "translate outside the f-string (a variable), then use it inside: " + "; ".join(found)


def test_the_checks_see_a_literal_inside_an_f_string():
    tree = ast.parse('x = f"<b>{esc(_(\'personnel\'))}</b>"\ny = ngettext("a site", "{n} sites", n)\n'
                     'z = _(name)\nw = pgettext("map", "Where")')
    assert [(c, m, p) for _l, c, m, p in sorted(_messages(tree), key=lambda x: x[0])] == [
        (None, "personnel", None), (None, "a site", "{n} sites"), ("map", "Where", None)]


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


# ------------------------------------------------------------------------------------------ a third language --

@pytest.fixture
def third_language(tmp_path, monkeypatch):
    """A pseudo-language "zz" on French CLDR data with a tiny catalogue of its own, added the way a real one is:
    a catalogue under the locale folder plus one entry in i18n.LANGS."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for lang in i18n.LANGS:
        if lang != i18n.DEFAULT:
            (tmp_path / lang).symlink_to(i18n.LOCALE_DIR / lang)
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    for msgid, msgstr in {"Where": "Où", "Troops abroad": "Troupes à l'étranger",
                          "in English": "en anglais", "Country profile": "Profil du pays",
                          "Language": "Langue"}.items():
        catalog.add(msgid, msgstr)
    (tmp_path / "zz" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "zz" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo").open("wb") as f:
        write_mo(f, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setitem(i18n.LANGS, "zz", i18n.Language("zz", "Pseudo", "fr_FR"))
    i18n.translation.cache_clear()
    yield "zz"
    i18n.translation.cache_clear()


def test_a_third_language_is_a_catalogue_and_one_entry(third_language):
    zz = third_language
    assert i18n.norm("zz-FR") == zz and i18n.gettext_for(zz)("Where") == "Où"
    assert i18n.num(153771, zz) == "153\u202f771" and i18n.num(1.5, zz, 1) == "1,5"
    assert i18n.date_text("2023-05-26", "day", zz) == "26 mai 2023"
    assert i18n.date_text("2023-06-01", "month", zz) == "juin 2023"
    assert i18n.country("DEU", "Germany", zz) == "Allemagne"
    assert i18n.localized({"summary": "Foo.", "summary_zz": "Fou."}, "summary", zz) == "Fou."
    assert i18n.localized({"summary": "Foo."}, "summary", zz) == "Foo. (en anglais)"
    assert i18n.plotly_locale(zz)["locales"][zz]["format"]["months"][5] == "juin"
    assert i18n.separators(zz) == ",\u202f"


PAGES = tuple(v.module for v in registry.VIEWS)  # every view (prep/registry.py)


def test_every_view_renders_in_a_third_language(third_language):
    """Every view opens in the pseudo-language with no error, in its words where its catalogue has them and in
    its CLDR formats (numbers, dates, place names)."""
    zz = third_language
    at = open_link(lang=zz, year="1968")
    assert at.session_state["lang"] == zz
    switch = at.get("button_group")[0]  # the language switch names every language, and says so in each
    assert switch.proto.label == "Language / Idioma / Langue"
    assert [o.content for o in switch.proto.options] == ["English", "Español", "Pseudo"]
    metric = [m for m in at.metric if m.label.startswith("Troupes à l'étranger")][0]
    assert metric.label == "Troupes à l'étranger, 1968" and re.fullmatch(r"\d{1,3}(\u202f\d{3})+", metric.value)
    for page in PAGES:
        at = open_link(page, lang=zz)
        assert at.session_state["lang"] == zz and not at.exception, page
    at = open_link("app_pages/country.py", lang=zz, country="Germany", section="Deployments and events")
    assert "Allemagne" in at.selectbox(key="country").options and "Pérou" in at.selectbox(key="country").options
    text = " ".join(h.proto.body for h in at.get("html")) + " ".join(m.value for m in at.markdown)
    assert re.search(r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
                     r"décembre) \d{4}\b", text), "no date in French words"
