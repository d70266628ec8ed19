"""Languages: the reader's language, translated text, numbers, dates and country names. No Streamlit here.

Text a reader sees is marked for translation where it is written: ``_ = i18n.gettext_for(lang)`` then
``_("Troops abroad, {year}").format(year=year)``; text in module-level tables is marked with ``N_`` and translated
where it is shown. A marked literal is never written inside an f-string (Babel's extractor does not look there;
tests/test_i18n.py checks the code's syntax tree). The catalogues live in
``locales/<lang>/LC_MESSAGES/footprint.po`` (compiled to ``.mo``), kept with Babel's extract / update / compile
(``scripts/i18n.sh``). One translation object per language is cached for the process; nothing is installed into
builtins (``gettext.install`` would be shared by every session's thread).

The languages are data: ``LANGS`` maps each code to its entry (name, CLDR locale) and nothing else lists them, so
adding a language is its catalogue plus one entry. Numbers and dates come from CLDR through Babel, dates by
skeleton (each locale's own pattern for "day month year"), so no code branches on a language. Spanish here is
Latin American Spanish (``es-419``): 153,771 and "junio de 2023". Country names come from CLDR's territory names
(via the ISO codes in pycountry), and for the places CLDR does not name (historic entities, some territories) from
the ``name_<lang>`` column of ``data/country_overrides.csv``.

Text from the data files carries its translations beside the English as ``<field>_<lang>`` (``summary``,
``summary_es``); :func:`localized` is the one reader of them.
"""
from __future__ import annotations

import csv
import datetime as _dt
import gettext as _gettext
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal


@dataclass(frozen=True)
class Language:
    """One language of the dashboard. Its catalogue is ``locales/<code>/LC_MESSAGES/footprint.po``; its data text
    the ``<field>_<code>`` columns and keys."""
    code: str  # the link's ``?lang=`` value, the catalogue's folder and the data fields' suffix
    name: str  # in its own words (the language switch shows every name)
    locale: str  # the CLDR locale of its numbers, dates, month and country names
    # CLDR date patterns where the dashboard departs from the locale's own, by precision ("day", "month", "short")
    patterns: dict[str, str] = field(default_factory=dict)
    # a period of days as the language writes it in prose, where it departs from CLDR's interval format: by the
    # largest field that differs ("y", "M", "d"), the patterns of the start's part and of the end's part
    intervals: dict[str, tuple[str, str]] = field(default_factory=dict)


# The one list of languages, in the switch's order. The code's own text is in the DEFAULT language.
LANGS: dict[str, Language] = {
    # day-month-year reads the same to readers inside and outside the US ("26 May 2023"; CLDR's en_US: "May 26")
    "en": Language("en", "English", "en_US", {"day": "d MMMM y"},
                   {f: ("d MMMM y", " 'to' d MMMM y") for f in "yMd"}),
    # "del 4 al 24 de noviembre de 2024" (CLDR's es-419 interval writes "4–24 de noviembre de 2024", a form for
    # tables, not for the sentences and facts the panels show)
    "es": Language("es", "Español", "es_419", intervals={
        "d": ("'del' d", " 'al' d 'de' MMMM 'de' y"),
        "M": ("'del' d 'de' MMMM", " 'al' d 'de' MMMM 'de' y"),
        "y": ("'del' d 'de' MMMM 'de' y", " 'al' d 'de' MMMM 'de' y")}),
}
DEFAULT = "en"
DOMAIN = "footprint"
ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locales"
# CLDR skeletons: what a date shows; each locale orders and words it its own way ("June 2023", "junio de 2023")
SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "short": "yMMM"}


def N_(text: str) -> str:
    """Marks text in a module-level table for extraction; it is translated where it is shown."""
    return text


def mid_sentence(text: str) -> str:
    """A label as it reads inside a sentence or after a comma (sentence case, "Outlays, current dollars"): its first
    letter lower-cased unless the word is an acronym or a name in capitals ("FY2017", "GDP")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def norm(lang: object) -> str:
    """A supported language code for any input (``es-PE`` -> ``es``); the default when unknown."""
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else DEFAULT


def name(lang: object) -> str:
    """The language's name in its own words ("Español")."""
    return LANGS[norm(lang)].name


def locale(lang: object) -> str:
    """The CLDR locale of the language (``es`` -> ``es_419``)."""
    return LANGS[norm(lang)].locale


@lru_cache(maxsize=None)  # one per language: callers pass norm()'d codes
def translation(lang: str) -> _gettext.NullTranslations:
    if lang == DEFAULT:  # the code's own text needs no catalogue
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def gettext_for(lang: str) -> Callable[[str], str]:
    """The ``gettext`` of ``lang``'s catalogue (English text is its own translation)."""
    return translation(norm(lang)).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """The ``ngettext`` of ``lang``'s catalogue: a text whose words agree with a count ("1 listado con cero", "2
    listados con cero"), by the language's own plural rule."""
    return translation(norm(lang)).ngettext


# ---------------------------------------------------------------------------------------------- numbers, dates --

def num(value: object, lang: str = DEFAULT, digits: int = 0) -> str:
    """A number in the reader's language (CLDR): 153,771 in English and in Latin American Spanish."""
    return format_decimal(round(float(value), digits) if digits else int(round(float(value))),
                          format=None if not digits else "#,##0." + "0" * digits, locale=locale(lang))


def _date(value: object) -> _dt.date | None:
    try:
        return value.date() if hasattr(value, "date") else _dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _format(d: _dt.date, precision: str, lang: object) -> str:
    """``d`` in the language's words for ``precision`` (day, month, short): the entry's pattern where it gives one,
    else CLDR's pattern for the skeleton."""
    language = LANGS[norm(lang)]
    pattern = language.patterns.get(precision)
    if pattern:
        return format_date(d, pattern, locale=language.locale)
    return format_skeleton(SKELETONS[precision], d, locale=language.locale)


def date_text(value: object, precision: str | None = "day", lang: str = DEFAULT) -> str:
    """A date as precisely as it is known: "26 May 2023" / "26 de mayo de 2023", "June 2023" / "junio de 2023",
    "2023"."""
    d = None if value is None else _date(value)
    if d is None:
        return ""
    if precision == "year":
        return str(d.year)
    return _format(d, "month" if precision == "month" else "day", lang)


def date_range(start: object, end: object, lang: str = DEFAULT, precision: str | None = "day") -> str:
    """A period from ``start`` (known to ``precision``) to ``end`` (a day) in the reader's language: "del 4 al 24
    de noviembre de 2024" / "4 November 2024 to 24 November 2024". Two days: the language's interval patterns,
    else CLDR's interval format (Babel's ``format_interval``); a start known only to the month or year: the
    catalogue's "{start} to {end}". No end: the start alone; no start: ""."""
    s, e = _date(start), None if end is None else _date(end)
    if s is None:
        return ""
    if e is None or e == s:
        return date_text(s, precision, lang)
    language = LANGS[norm(lang)]
    if precision in (None, "day"):
        diff = "y" if s.year != e.year else "M" if s.month != e.month else "d"
        halves = language.intervals.get(diff)
        if halves:
            return format_date(s, halves[0], locale=language.locale) + format_date(e, halves[1], locale=language.locale)
        return format_interval(s, e, SKELETONS["day"], locale=language.locale)
    # the end is a day: Spanish joins it with "al" ("de junio de 2023 al 31 de diciembre de 2023")
    text = translation(norm(lang)).pgettext("period ending on a day", "{start} to {end}")
    return text.format(start=date_text(s, precision, lang), end=date_text(e, "day", lang))


def dates_in_text(text: str, lang: str = DEFAULT) -> str:
    """English dates written out inside a text from the data ("CounterPunch, 9 June 2023", "June 2025") in the
    reader's language ("9 de junio de 2023", "junio de 2025"); the rest of the text as it is."""
    if norm(lang) == DEFAULT or not text:
        return text

    def spanish(m) -> str:
        d = _dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1) or 1))
        return date_text(d, "day" if m.group(1) else "month", lang)
    return _DATE_WORDS.sub(spanish, text)


def month_year(value: object, lang: str = DEFAULT, short: bool = True) -> str:
    """ "Jun 2023" / "jun 2023" (short), "June 2023" / "junio de 2023"."""
    d = _date(value)
    return "" if d is None else _format(d, "short" if short else "month", lang)


# --------------------------------------------------------------------------------------------- country names --

@lru_cache(maxsize=None)
def _override_names(lang: str) -> dict[str, str]:
    path = ROOT / "data" / "country_overrides.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return {r["code"]: text for r in csv.DictReader(f) if (text := translation_of(r, "name", lang))}
    except (OSError, KeyError):
        return {}


@lru_cache(maxsize=4096)
def _cldr_name(code: str, lang: str) -> str | None:
    import pycountry

    rec = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if rec is None:
        return None
    return Locale.parse(locale(lang)).territories.get(rec.alpha_2)


def country(code: str | None, english: str, lang: str = DEFAULT) -> str:
    """A place's name in the reader's language: English as the dashboard names it; in another language, the
    override file's ``name_<lang>`` first (historic entities, places CLDR lacks), then CLDR's name, else the
    English."""
    lang = norm(lang)
    if lang == DEFAULT or not code:
        return english
    code = str(code).upper()
    return _override_names(lang).get(code) or _cldr_name(code, lang) or english


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it in either language: accents and case do not count (Perú sorts
    under P)."""
    return "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c)).casefold()


# ------------------------------------------------------------------------------------------------- plotly --

@lru_cache(maxsize=None)
def plotly_locale(lang: str) -> dict:
    """Plotly config entries for ``lang``: Streamlit's bundled plotly.js registers only English, so the locale
    dictionary (month and day names for date axes, from CLDR) is passed with the figure's config."""
    lang = norm(lang)
    loc = Locale.parse(locale(lang))
    if loc.language == "en":  # plotly.js's own
        return {}
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
    loc = Locale.parse(locale(lang))
    return loc.number_symbols["latn"]["decimal"] + loc.number_symbols["latn"]["group"]


_MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"], start=1)}
# an English date written out in a text: "9 June 2023", "June 2025"
_DATE_WORDS = re.compile(r"\b(?:(\d{1,2}) )?(" + "|".join(_MONTHS) + r") (\d{4})\b")


def report_text(report: object, lang: str = DEFAULT) -> str:
    """A DMDC report's date as the tables write it ("September 2025") in the reader's language ("septiembre de
    2025"); any other text is returned as it is."""
    text = "" if report is None else str(report)
    parts = text.split()
    if norm(lang) == DEFAULT or len(parts) != 2 or parts[0] not in _MONTHS or not parts[1].isdigit():
        return text
    return date_text(_dt.date(int(parts[1]), _MONTHS[parts[0]], 1), "month", lang)


# ------------------------------------------------------------------------------------------------ data text --

def _blank(value: object) -> bool:
    if value is None or not str(value).strip():
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pandas' NA has no truth value
        return True


def _field(record: object, key: str) -> object:
    """A field of a record as callers hold it: a mapping or pandas row (``.get``), a named tuple or a dataclass."""
    get = getattr(record, "get", None)
    return get(key) if callable(get) else getattr(record, key, None)


def translation_of(record: object, key: str, lang: str) -> str | None:
    """The record's own translation of its field ``key`` into ``lang`` (its ``<key>_<lang>``), or None: the record
    has none, or ``lang`` is the language the field itself is written in."""
    lang = norm(lang)
    if lang == DEFAULT:
        return None
    value = _field(record, f"{key}_{lang}")
    return None if _blank(value) else str(value)


def localized(record: object, key: str, lang: str = DEFAULT, mark: bool = True) -> str:
    """A record's text field in the reader's language: the record's translation (``<key>_<lang>``, e.g.
    ``summary_es``) where it has one, else the field itself followed by a visible "(in English)" in the reader's
    language (``mark=False`` for text that reads the same in every language unless translated, e.g. a name and a
    publication). Missing text is ""."""
    translated = translation_of(record, key, lang)
    if translated is not None:
        return translated
    english = _field(record, key)
    if _blank(english):
        return ""
    if norm(lang) == DEFAULT or not mark:
        return str(english)
    _ = gettext_for(lang)
    note = _("in English")
    return f"{english} ({note})"


# The regions used in the data (World Bank regions, as troopdata codes them), for translation where shown.
REGIONS = (N_("Latin America & Caribbean"), N_("South Asia"), N_("Sub-Saharan Africa"), N_("Europe"),
           N_("Middle East & North Africa"), N_("East Asia & Pacific"), N_("Antarctica"), N_("North America"))
