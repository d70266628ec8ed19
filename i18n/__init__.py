"""Languages: the reader's language, translated text, numbers, dates and country names. No Streamlit here.

Text a reader sees is marked for translation where it is written: ``_ = i18n.gettext_for(lang)`` then
``_("Troops abroad, {year}").format(year=year)``; text in module-level tables is marked with ``N_`` and translated
where it is shown. The catalogues live in ``locales/<lang>/LC_MESSAGES/footprint.po`` (compiled to ``.mo``), kept
with Babel's extract / update / compile (``scripts/i18n.sh``). One translation object per language is cached for the
process; nothing is installed into builtins (``gettext.install`` would be shared by every session's thread).

Numbers and dates come from CLDR through Babel. Spanish here is Latin American Spanish (``es-419``): 153,771 and
"junio de 2023". Country names come from CLDR's territory names (via the ISO codes in pycountry), and for the
places CLDR does not name (historic entities, some territories) from the ``name_es`` column of
``data/country_overrides.csv``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import gettext as _gettext
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

LANGS = ("en", "es")
DEFAULT = "en"
NAMES = {"en": "English", "es": "Español"}  # each language in its own words (the switch shows both)
LOCALES = {"en": "en_US", "es": "es_419"}
DOMAIN = "footprint"
ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locales"


def N_(text: str) -> str:
    """Marks text in a module-level table for extraction; it is translated where it is shown."""
    return text


def norm(lang: object) -> str:
    """A supported language code for any input (``es-PE`` -> ``es``); English when unknown."""
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else DEFAULT


@lru_cache(maxsize=len(LANGS))
def translation(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def gettext_for(lang: str) -> Callable[[str], str]:
    """The ``gettext`` of ``lang``'s catalogue (English text is its own translation)."""
    return translation(norm(lang)).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    return translation(norm(lang)).ngettext


# ---------------------------------------------------------------------------------------------- numbers, dates --

def num(value: object, lang: str = DEFAULT, digits: int = 0) -> str:
    """A number in the reader's language (CLDR): 153,771 in English and in Latin American Spanish."""
    return format_decimal(round(float(value), digits) if digits else int(round(float(value))),
                          format=None if not digits else "#,##0." + "0" * digits, locale=LOCALES[norm(lang)])


def date_text(value: object, precision: str | None = "day", lang: str = DEFAULT) -> str:
    """A date as precisely as it is known: "26 May 2023" / "26 de mayo de 2023", "June 2023" / "junio de 2023",
    "2023"."""
    if value is None:
        return ""
    try:
        d = value.date() if hasattr(value, "date") else _dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return ""
    loc = LOCALES[norm(lang)]
    if precision == "year":
        return str(d.year)
    if norm(lang) == "es":
        return format_date(d, "MMMM 'de' y" if precision == "month" else "d 'de' MMMM 'de' y", locale=loc)
    return format_date(d, "MMMM y" if precision == "month" else "d MMMM y", locale=loc)


def month_year(value: object, lang: str = DEFAULT, short: bool = True) -> str:
    """ "Jun 2023" / "jun 2023" (short), "June 2023" / "junio de 2023"."""
    try:
        d = value.date() if hasattr(value, "date") else _dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return ""
    if short:
        return format_date(d, "MMM y", locale=LOCALES[norm(lang)]).replace(".", "")
    return date_text(d, "month", lang)


# --------------------------------------------------------------------------------------------- country names --

@lru_cache(maxsize=1)
def _override_names() -> dict[str, str]:
    path = ROOT / "data" / "country_overrides.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return {r["code"]: r["name_es"] for r in csv.DictReader(f) if r.get("name_es")}
    except (OSError, KeyError):
        return {}


@lru_cache(maxsize=4096)
def _cldr_name(code: str, lang: str) -> str | None:
    import pycountry

    rec = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if rec is None:
        return None
    return Locale.parse(LOCALES[lang]).territories.get(rec.alpha_2)


def country(code: str | None, english: str, lang: str = DEFAULT) -> str:
    """A place's name in the reader's language: English as the dashboard names it; in Spanish, the override
    file's ``name_es`` first (historic entities, places CLDR lacks), then CLDR's name, else the English."""
    lang = norm(lang)
    if lang == "en" or not code:
        return english
    code = str(code).upper()
    return _override_names().get(code) or _cldr_name(code, lang) or english


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it in either language: accents and case do not count (Perú sorts
    under P)."""
    return "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c)).casefold()


# ------------------------------------------------------------------------------------------------- plotly --

@lru_cache(maxsize=len(LANGS))
def plotly_locale(lang: str) -> dict:
    """Plotly config entries for ``lang``: Streamlit's bundled plotly.js registers only English, so the locale
    dictionary (month and day names for date axes, from CLDR) is passed with the figure's config."""
    lang = norm(lang)
    if lang == "en":
        return {}
    loc = Locale.parse(LOCALES[lang])
    months = loc.months["format"]
    days = loc.days["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # CLDR counts from Monday (0); plotly.js from Sunday
    fmt = {
        "days": [days["wide"][i] for i in sunday_first],
        "shortDays": [days["abbreviated"][i].rstrip(".") for i in sunday_first],
        "months": [months["wide"][i] for i in range(1, 13)],
        "shortMonths": [months["abbreviated"][i].rstrip(".") for i in range(1, 13)],
        "date": "%d/%m/%Y",
        "decimal": loc.number_symbols["latn"]["decimal"],
        "thousands": loc.number_symbols["latn"]["group"],
    }
    return {"locale": lang, "locales": {lang: {"format": fmt, "dictionary": {}}}}


def separators(lang: str) -> str:
    """plotly's ``layout.separators`` (decimal, then thousands) for ``lang``."""
    loc = Locale.parse(LOCALES[norm(lang)])
    return loc.number_symbols["latn"]["decimal"] + loc.number_symbols["latn"]["group"]


_MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"], start=1)}


def report_text(report: object, lang: str = DEFAULT) -> str:
    """A DMDC report's date as the tables write it ("September 2025") in the reader's language ("septiembre de
    2025"); any other text is returned as it is."""
    text = "" if report is None else str(report)
    parts = text.split()
    if norm(lang) == "en" or len(parts) != 2 or parts[0] not in _MONTHS or not parts[1].isdigit():
        return text
    return date_text(_dt.date(int(parts[1]), _MONTHS[parts[0]], 1), "month", lang)


def es_text(spanish: object, english: object, lang: str = DEFAULT, mark: bool = True) -> str:
    """Data text in the reader's language: in Spanish, the file's Spanish text (``*_es``), else the English with a
    visible "(en inglés)" mark (``mark=False`` for text that is the same in both languages unless translated,
    e.g. a name and a publication); in English, the English."""
    import pandas as pd  # the callers' frames are pandas already; i18n itself does not need it

    def blank(v: object) -> bool:
        return v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip()
    if blank(english):
        return "" if blank(spanish) or lang != "es" else str(spanish)
    if lang != "es":
        return str(english)
    if not blank(spanish):
        return str(spanish)
    if not mark:
        return str(english)
    _ = gettext_for(lang)
    note = _("in English")
    return f"{english} ({note})"


# The regions used in the data (World Bank regions, as troopdata codes them), for translation where shown.
REGIONS = (N_("Latin America & Caribbean"), N_("South Asia"), N_("Sub-Saharan Africa"), N_("Europe"),
           N_("Middle East & North Africa"), N_("East Asia & Pacific"), N_("Antarctica"), N_("North America"))
