"""The numbers a quotation states, in digits or in words, so that a record's figure can be found in its quote.

Digits are compared after removing thousands separators: ``1,172``, ``1.172``, ``1 172`` (also a no-break or thin
space) and ``1172`` all read as 1172. A run such as ``1.172`` is read both ways (1172, and 1 and 172), so a figure
is never reported missing because a separator was read as a decimal point.

Words: a small generator writes 0-999,999 in Spanish and English the ways sources write them ("setenta", "mil
ciento setenta y dos", "veintiún", "seventy-two", "one hundred and sixty"). It replaces a dependency (num2words
writes one form per number, without the feminine or apocopated Spanish forms sources use, and cannot read words
back); the record's figure is written in words and looked for in the quote, so the table only has to write.
"""
from __future__ import annotations

import re
import unicodedata

_GROUPED = re.compile(r"(?<![\d])\d{1,3}(?:[.,\u00a0\u202f\u2009 ]\d{3})+(?![\d])")
_DIGITS = re.compile(r"\d+")


def digit_numbers(text: str) -> set[int]:
    """Every whole number written in digits in ``text``, each grouping read with and without its separators."""
    found = {int(m.group()) for m in _DIGITS.finditer(text)}
    for m in _GROUPED.finditer(text):
        found.add(int(re.sub(r"\D", "", m.group())))
    return found


def words(text: str) -> str:
    """``text`` lower-cased, without accents and punctuation, words separated by one space (for word comparisons)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9ñ]+", plain))


_ES_UNITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once",
             "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte",
             "veintiuno", "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete",
             "veintiocho", "veintinueve"]
_ES_TENS = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta", 7: "setenta", 8: "ochenta", 9: "noventa"}
_ES_HUNDREDS = {1: "ciento", 2: "doscientos", 3: "trescientos", 4: "cuatrocientos", 5: "quinientos",
                6: "seiscientos", 7: "setecientos", 8: "ochocientos", 9: "novecientos"}
_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def _es_one(form: str) -> list[str]:
    """A Spanish number ending in "uno" also appears as "un" and "una" (veintiún soldados, treinta y una naves)."""
    if form.endswith("uno"):
        return [form, form[:-1], form[:-1] + "a"]
    return [form]


def _es_below_thousand(n: int) -> list[str]:
    if n < 30:
        return _es_one(_ES_UNITS[n])
    if n < 100:
        tens, unit = divmod(n, 10)
        return [_ES_TENS[tens]] if unit == 0 else [f"{_ES_TENS[tens]} y {u}" for u in _es_one(_ES_UNITS[unit])]
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return ["cien" if hundreds == 1 else _ES_HUNDREDS[hundreds]]
    return [f"{_ES_HUNDREDS[hundreds]} {r}" for r in _es_below_thousand(rest)]


def _en_below_thousand(n: int) -> list[str]:
    if n < 20:
        return [_EN_UNITS[n]]
    if n < 100:
        tens, unit = divmod(n, 10)
        return [_EN_TENS[tens]] if unit == 0 else [f"{_EN_TENS[tens]} {_EN_UNITS[unit]}"]
    hundreds, rest = divmod(n, 100)
    head = f"{_EN_UNITS[hundreds]} hundred"
    if rest == 0:
        return [head, "a hundred"] if hundreds == 1 else [head]
    return [f"{head}{sep}{r}" for r in _en_below_thousand(rest) for sep in (" and ", " ")]


def number_words(n: int, lang: str) -> list[str]:
    """The ways ``n`` (0-999,999) is written in words in ``lang`` ('es' or 'en'), as compared by :func:`words`;
    empty for other numbers and languages."""
    if not 0 <= n < 1_000_000 or lang not in ("es", "en"):
        return []
    below = _es_below_thousand if lang == "es" else _en_below_thousand
    thousands, rest = divmod(n, 1000)
    if thousands == 0:
        return below(rest)
    if lang == "es":
        heads = ["mil"] if thousands == 1 else [f"{t} mil" for t in below(thousands) if not t.endswith("uno")]
    else:
        heads = [f"{t} thousand" for t in below(thousands)] + (["a thousand"] if thousands == 1 else [])
    if rest == 0:
        return heads
    seps = (" ",) if lang == "es" else (" ", " and ")
    return [f"{h}{sep}{r}" for h in heads for r in below(rest) for sep in seps]


def states_number(text: str, n: int, lang: str | None = None) -> bool:
    """Whether ``text`` states ``n``: in digits (any separators), or in words in ``lang`` (or Spanish or English
    when ``lang`` is not given)."""
    if n in digit_numbers(text):
        return True
    padded = f" {words(text)} "
    for language in ((lang,) if lang else ("es", "en")):
        if any(f" {w} " in padded for w in number_words(n, language)):
            return True
    return False
