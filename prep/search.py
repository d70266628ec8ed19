"""Search over what the views show: countries (their names in every language and their codes), places (base sites
and the places of records, with their country), named records (deployments, exercises and decisions, and the MME
exercises; names in every language) and sources (publisher, title, producer). No Streamlit here.

The index is built from the same tables the views read (:func:`build_index`), once per data version
(:func:`cached_index`, keyed on ``loaders.version``'s hash), so a view's run only queries it (:func:`search`).
Matching is accent- and case-insensitive (both sides folded by :func:`fold`) and tolerant of typos (rapidfuzz's
weighted ratio, which also scores a word found inside a longer name). Each hit says which view opens it and with
which link parameters, language-neutral like every link of the dashboard (the caller adds ``lang``)."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd
from rapidfuzz import fuzz, process

import i18n
from i18n import N_

from .places import entity, places_named, unique_labels
from .records import record_name
from .timeline import timeline_choices

KINDS = ("country", "record", "place", "source")  # also the order of equal scores: a country before its records
MIN_QUERY = 2  # folded characters; fewer match almost anything
MAX_QUERY = 80  # a longer query is cut (names are shorter than this)
MAX_WORDS = 8  # query words looked at
PREFIX_SCORE = 90.0  # a query word that begins a name's word ("iquit" in "iquitos")
COVERAGE_WEIGHT = 0.15  # how much a name the query covers in full beats a longer one that only contains it
# a source's title shares words with the records it backs: at equal likeness the record (what the reader is
# after) comes first
KIND_WEIGHT = {"source": 0.92}
MIN_SCORE = 70.0  # below it a hit is more noise than typo (tests/test_search.py)
LIMIT = 8
# the views and tabs a hit opens (prep/registry.py's paths and tab names; the link's values are the English names)
COUNTRY_VIEW, TIMELINE_VIEW, SOURCES_VIEW = "country", "when", "sources"
TIMELINE_SECTION = "Deployments and exercises"
PLACES_SECTION = "Bases and places"
EVENTS_SECTION = "Deployments and events"
RECORD_KIND_WORDS = {"deployment": N_("deployment"), "exercise": N_("exercise"), "decision": N_("decision"),
                     "operation": N_("operation"), "mission": N_("mission"), "proposed": N_("proposal"),
                     "mme": N_("exercise (MME)")}
OTHER_KIND = N_("record")  # a kind the list above does not name yet


def fold(text: object) -> str:
    """``text`` as it is compared: accents dropped, case folded, anything but letters and digits a single space
    ("Perú" and "PERU" both give "peru"; "<b>" gives "b")."""
    return " ".join(re.sub(r"[\W_]+", " ", i18n.sort_key(str(text or ""))).split())


@dataclass(frozen=True)
class Entry:
    """One thing a reader can find. ``names`` are its names by language (English always); ``code`` its country's
    place code (a country's own code); ``view`` and ``params`` the link that opens it (language-neutral)."""
    kind: str
    key: str
    names: tuple[tuple[str, str], ...]
    code: str = ""
    year: int | None = None
    detail: str = ""  # a record's kind, a source's publisher (data text, never translated)
    view: str = ""
    params: tuple[tuple[str, str], ...] = ()
    terms: tuple[str, ...] = ()  # folded strings it is found by

    def name(self, lang: str) -> str:
        """Its name in ``lang``, else in English (a country's from CLDR, in any language of ``i18n.LANGS``)."""
        by = dict(self.names)
        if self.kind == "country":
            return i18n.country(self.code, by["en"], lang)
        return by.get(i18n.norm(lang)) or by["en"]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    label: str  # what the reader sees (data text: escape it)
    detail: str  # what it is and where, in the reader's language (data text inside: escape it)
    view: str
    params: dict[str, str] = field(default_factory=dict)  # the link's parameters, ``lang`` included


@dataclass(frozen=True)
class SearchIndex:
    version: str
    entries: tuple[Entry, ...]
    owners: tuple[int, ...]  # the entry each term (a folded name) belongs to
    term_words: tuple[tuple[int, ...], ...]  # each term's words (numbers in ``words``)
    words: tuple[str, ...]  # every word of every term, once
    postings: tuple[tuple[int, ...], ...]  # each word's terms
    codes: Mapping[str, int]  # a folded place code (iso3) -> its country entry


def _names(en: str, translated: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    out = {"en": en}
    out.update({k: v for k, v in translated.items() if v and v != en})
    return tuple(out.items())


def _terms(*texts: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (fold(x) for x in texts) if len(t) >= MIN_QUERY))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _country_entries(annual: pd.DataFrame | None, bases: pd.DataFrame | None, deps: pd.DataFrame | None,
                     ctx: pd.DataFrame | None, default: str) -> tuple[list[Entry], dict[str, str]]:
    """The country profile's countries, each linked by the profile's own ``?country=`` value (its label)."""
    names = places_named(annual[annual["scope"] != "us_domestic"] if annual is not None else None, bases, deps, ctx,
                         also=(default,))
    labels = unique_labels(names)
    out = []
    for code, en in sorted(names.items()):
        shown = {lang: i18n.country(code, en, lang) for lang in i18n.LANGS}
        out.append(Entry("country", code, _names(en, shown), code=code, view=COUNTRY_VIEW,
                         params=(("country", labels[code]),), terms=_terms(en, code, *shown.values())))
    return out, labels


def _place_entries(bases: pd.DataFrame | None, deps: pd.DataFrame | None, labels: Mapping[str, str]) -> list[Entry]:
    """Base sites and records' places, each opening its country's profile on its map."""
    seen: dict[tuple[str, str], Entry] = {}

    def add(name_en: str, name_es: str, code: str) -> None:
        if not name_en or code not in labels or (fold(name_en), code) in seen:
            return
        seen[(fold(name_en), code)] = Entry(
            "place", f"{code}:{name_en}", _names(name_en, {"es": name_es}), code=code, view=COUNTRY_VIEW,
            params=(("country", labels[code]), ("section", PLACES_SECTION)), terms=_terms(name_en, name_es))

    if bases is not None:
        for name, code in zip(bases["name"], bases["iso3"]):
            add(_text(name), "", _text(code))
    if deps is not None:
        for code, places in zip(deps["iso3"], deps["places"]):
            for p in places or []:
                add(_text(p.get("name")), _text(p.get("name_es")), _text(code))
    return list(seen.values())


def _record_entries(deps: pd.DataFrame | None, ex: pd.DataFrame | None, labels: Mapping[str, str]) -> list[Entry]:
    """Every item of When's timeline (named records and MME exercises), opening its details there; a record
    without a date (not on the timeline) opens its host country's profile on its records."""
    out: list[Entry] = []
    items = timeline_choices(deps, ex, "en") if deps is not None or ex is not None else None
    item_labels = items.item_labels if items is not None else {}
    by_id = ({f"dep:{d['id']}": d for d in deps.to_dict("records")} if deps is not None else {})
    mme = ({f"mme:{i}": (_text(n), _text(loc)) for i, n, loc in zip(ex["exercise_id"], ex["name"], ex["location"])}
           if ex is not None else {})
    if items is not None:
        for it in items.items.itertuples(index=False):
            label = item_labels[it.id]
            params = (("section", TIMELINE_SECTION), ("item", label), ("from", str(int(it.year0))))
            if it.id in by_id:
                d = by_id[it.id]
                shown = {lang: record_name(d, lang) for lang in i18n.LANGS if i18n.translation_of(d, "name", lang)}
                out.append(Entry("record", it.id, _names(d["name"], shown), code=it.iso3, year=int(it.year0),
                                 detail=d["kind"], view=TIMELINE_VIEW, params=params,
                                 terms=_terms(d["name"], *shown.values(), d["id"].replace("-", " "))))
            else:
                name, place = mme.get(it.id, ("", ""))
                # an unnamed exercise is named by its place, as When names it
                shown = {lang: name or i18n.gettext_for(lang)("Unnamed exercise, {place}").format(place=place)
                         for lang in i18n.LANGS}
                out.append(Entry("record", it.id, _names(shown["en"], shown), code=it.iso3, year=int(it.year0),
                                 detail="mme", view=TIMELINE_VIEW, params=params, terms=_terms(*shown.values())))
    if deps is not None:  # undated records are not on the timeline: their country's profile lists them
        for d in deps.to_dict("records"):
            if f"dep:{d['id']}" not in item_labels and d["iso3"] in labels:
                shown = {lang: record_name(d, lang) for lang in i18n.LANGS if i18n.translation_of(d, "name", lang)}
                out.append(Entry("record", f"dep:{d['id']}", _names(d["name"], shown), code=d["iso3"],
                                 detail=d["kind"], view=COUNTRY_VIEW,
                                 params=(("country", labels[d["iso3"]]), ("section", EVENTS_SECTION)),
                                 terms=_terms(d["name"], *shown.values())))
    return out


def _source_entries(sources: Mapping[str, object] | None) -> list[Entry]:
    out = []
    for sid, s in sorted((sources or {}).items()):
        title = getattr(s, "title", "") or sid
        publisher = getattr(s, "publisher", "") or getattr(s, "producer", "")
        out.append(Entry("source", sid, _names(title, {}), detail=publisher, view=SOURCES_VIEW,
                         terms=_terms(title, publisher, getattr(s, "producer", ""), getattr(s, "short", ""),
                                      f"{publisher} {title}")))  # "Andina Resolute Sentinel" finds it too
    return out


def build_index(annual: pd.DataFrame | None = None, bases: pd.DataFrame | None = None,
                deps: pd.DataFrame | None = None, ex: pd.DataFrame | None = None,
                ctx: pd.DataFrame | None = None, sources: Mapping[str, object] | None = None,
                version: str = "", default_country: str = "PER") -> SearchIndex:
    """The index of everything the tables name (a table that is None is left out), for one data version."""
    countries, labels = _country_entries(annual, bases, deps, ctx, default_country)
    entries = tuple(countries + _record_entries(deps, ex, labels) + _place_entries(bases, deps, labels)
                    + _source_entries(sources))
    owners: list[int] = []
    term_words: list[tuple[int, ...]] = []
    word_at: dict[str, int] = {}
    postings: list[list[int]] = []
    for i, e in enumerate(entries):
        for t in e.terms:
            numbers = tuple(dict.fromkeys(word_at.setdefault(w, len(word_at)) for w in t.split()))
            for n in numbers:
                if n == len(postings):
                    postings.append([])
                postings[n].append(len(owners))
            owners.append(i)
            term_words.append(numbers)
    codes = {fold(e.code): i for i, e in enumerate(entries) if e.kind == "country"}
    return SearchIndex(version, entries, tuple(owners), tuple(term_words), tuple(word_at),
                       tuple(tuple(p) for p in postings), codes)


_cache: dict[str, SearchIndex] = {}
_cache_lock = threading.Lock()
CACHE_VERSIONS = 2  # data versions kept (the current one, and the one a long run may still be reading)


def cached_index(version: str, build: Callable[[], SearchIndex]) -> SearchIndex:
    """The index for data version ``version`` (loaders.version.data_version), built by ``build()`` the first
    time that version is asked for and kept for the process; one build at a time."""
    hit = _cache.get(version)
    if hit is not None:
        return hit
    with _cache_lock:
        hit = _cache.get(version)
        if hit is None:
            hit = build()
            _cache[version] = hit
            while len(_cache) > CACHE_VERSIONS:
                _cache.pop(next(iter(_cache)))
        return hit


def _detail(e: Entry, lang: str) -> str:
    _ = i18n.gettext_for(lang)
    where = i18n.country(e.code, entity(e.code)[0], lang) if e.code else ""
    if e.kind == "country":
        return _("Country profile")
    if e.kind == "place":
        return _("Place in {country}").format(country=where)
    if e.kind == "record":
        what = _(RECORD_KIND_WORDS.get(e.detail, OTHER_KIND))
        return " · ".join(x for x in (what, where, str(e.year) if e.year else "") if x)
    return _("Source: {publisher}").format(publisher=e.detail) if e.detail else _("Source")


def _token_cutoff(token: str) -> float:
    """How alike a query word and a name's word must be (rapidfuzz's ratio, 0-100): short words exactly (a typo in
    three letters is another word, and a number with a typo another number), one typo in four or five letters, about
    one in six (two in ten or more)."""
    return 100.0 if len(token) <= 3 or any(c.isdigit() for c in token) else 75.0 if len(token) <= 5 else 80.0


def _word_matches(index: SearchIndex, token: str) -> dict[int, float]:
    """The index's words like ``token`` (word number -> score): alike by rapidfuzz's ratio, or starting with it
    (a word being typed) from three letters on."""
    found = {at: score for _w, score, at in process.extract(token, index.words, scorer=fuzz.ratio, processor=None,
                                                             limit=None, score_cutoff=_token_cutoff(token))}
    if len(token) >= 3:
        for at, word in enumerate(index.words):
            if word.startswith(token) and found.get(at, 0) < PREFIX_SCORE:
                found[at] = PREFIX_SCORE
    return found


def search(index: SearchIndex, query: object, lang: str = "en", limit: int = LIMIT) -> list[Hit]:
    """The best ``limit`` entries for ``query`` (any text: empty, too short or matching nothing gives []), best
    first. A name matches when each word of the query is like one of its words (:func:`_word_matches`); its score
    is the words' mean likeness, less for a long name the query covers little of (so "Peru" puts the country
    before the records that mention it). At equal scores a country comes before a record, a record before a place,
    a place before a source, and later records first."""
    q = fold(str(query or "")[:MAX_QUERY])
    if len(q.replace(" ", "")) < MIN_QUERY:
        return []
    tokens = list(dict.fromkeys(q.split()))[:MAX_WORDS]
    per_token = [_word_matches(index, t) for t in tokens]
    if not all(per_token):
        return []
    # the terms holding a match for every query word, with each word's best score there
    candidates: set[int] | None = None
    for found in per_token:
        terms = {term for w in found for term in index.postings[w]}
        candidates = terms if candidates is None else candidates & terms
    best: dict[int, float] = {}
    for term in candidates or ():
        words = index.term_words[term]
        scores = [max(found.get(w, 0.0) for w in words) for found in per_token]
        covered = sum(1 for w in words if any(w in found for found in per_token)) / len(words)
        owner = index.owners[term]
        score = (sum(scores) / len(scores) * (1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * covered)
                 * KIND_WEIGHT.get(index.entries[owner].kind, 1.0))
        if score >= MIN_SCORE and score > best.get(owner, 0.0):
            best[owner] = score
    code = q.replace(" ", "")
    if code in index.codes:  # a country's code ("per") is an exact hit
        best[index.codes[code]] = 101.0
    rank = {k: i for i, k in enumerate(KINDS)}
    lang = i18n.norm(lang)
    order = sorted(best, key=lambda i: (-round(best[i], 1), rank[index.entries[i].kind], -(index.entries[i].year or 0),
                                        i18n.sort_key(index.entries[i].name(lang))))
    return [Hit(e, best[i], e.name(lang), _detail(e, lang), e.view, {**dict(e.params), "lang": lang})
            for i in order[:limit] for e in (index.entries[i],)]
