"""Places: one code per entity, from pycountry plus a small curated override file.

Codes (``Entity.code``):
  * ISO 3166-1 alpha-3 where one exists (pycountry ``countries``; territories such as GUM, PRI, IOT have their own);
  * ISO 3166-3 codes of former entities (pycountry ``historic_countries``: SUN, DDR, YUG, CSK, YMD, PCZ, ANT, and the
    US islands WAK, MID, JTN, which ISO merged into UMI in 1986 but which DMDC reports separately);
  * project codes in the user-assigned ``X..`` range for the rest (XKX Kosovo, XSV South Vietnam, XFT "Fiji and
    Tonga", ...), each defined in ``data/country_overrides.csv``.

``data/country_overrides.csv`` (curated) holds only what pycountry lacks or names differently: display names,
kinds, scopes, map shapes, regions that troopdata gets wrong, aliases (MME/SIPRI/DMDC spellings), and the
Correlates-of-War codes (``ccode``, optionally limited to ``years``) that map upstream rows without a usable ISO
code.  Every override row carries a note.

Regions: one of :data:`REGIONS`.  They come from the ``region`` column of troopdata (mapped: "Europe & Central Asia"
-> "Europe"), derived by ``loaders.troops`` into ``data/country_regions.csv``; the override file's ``region`` wins.
Entities without troop rows and without an override have region "".

Matching never guesses: ``resolve`` uses (in order) a ``ccode`` rule limited to years, the upstream ISO code, a
``ccode`` rule without years, then ``from_name``; ``from_name`` matches names, official and common names and
aliases exactly after normalising case, accents, punctuation, "&" and "St." (pycountry's ``search_fuzzy`` is not
used: it maps "Kosovo" to Serbia).

Display names: pycountry's ``common_name`` or ``name`` unless the override gives one (e.g. "South Korea",
"Russia", "Eswatini", "Antigua and Barbuda").  Decisions recorded in the override notes: the Azores are Portugal
(summed into PRT), Ascension and St Helena are SHN, the Ryukyu Islands (Okinawa) and the Bonin and Volcano Islands
are Japan (DMDC lists them on lines of their own until 1973; ``loaders.troops`` sums every line), Wake/Midway/
Johnston keep their ISO 3166-3 codes with the UMI map shape (US territory), ccode 365 is the Soviet Union to 1991,
345 is Yugoslavia to 1992 and Serbia after, 95 is the Panama Canal Zone to September 1979.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pycountry

from . import DATA_DIR
from .schema import Col, DataError, Problem, TableSpec, read_table

REGIONS = (
    "Europe",
    "East Asia & Pacific",
    "Middle East & North Africa",
    "South Asia",
    "Sub-Saharan Africa",
    "Latin America & Caribbean",
    "North America",
    "Antarctica",
)
# The regions in Spanish, for Latin American readers (the region column stays English; this is its display text).
REGIONS_ES = {
    "Europe": "Europa",
    "East Asia & Pacific": "Asia oriental y el Pacífico",
    "Middle East & North Africa": "Medio Oriente y Norte de África",
    "South Asia": "Asia del Sur",
    "Sub-Saharan Africa": "África subsahariana",
    "Latin America & Caribbean": "América Latina y el Caribe",
    "North America": "América del Norte",
    "Antarctica": "Antártida",
}
KINDS = ("country", "territory", "historic", "us", "other")
SCOPES = ("abroad", "us_territory", "us_domestic")
# troopdata's region names -> ours
UPSTREAM_REGIONS = {r: r for r in REGIONS} | {"Europe & Central Asia": "Europe"}

# ISO 3166-1 codes of places that are not independent states (ISO's own "independent: No" list, less Taiwan and
# Palestine, which ISO lists so for political reasons; Antarctica is kind "other").
TERRITORIES = frozenset("""
ABW AIA ALA ASM ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB GLP GRL GUF GUM HKG HMD IMN IOT JEY MAC
MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PYF REU SGS SHN SJM SPM SXM TCA TKL UMI VGB VIR WLF
""".split())
US_TERRITORIES = frozenset({"GUM", "PRI", "VIR", "ASM", "MNP", "UMI", "WAK", "MID", "JTN"})

OVERRIDES_FILE = "country_overrides.csv"
REGIONS_FILE = "country_regions.csv"


def _check_code(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]{3}", value) else f"must be three capital letters, got {value!r}"


def _check_ccodes(value: str) -> str | None:
    return None if re.fullmatch(r"\d+(;\d+)*", value) else f"must be COW codes joined by ';', got {value!r}"


def _check_years(value: str) -> str | None:
    m = re.fullmatch(r"(\d{4})-(\d{4})", value)
    if not m or int(m.group(1)) > int(m.group(2)):
        return f"must be a year range like 1950-1991, got {value!r}"
    return None


OVERRIDES_SPEC = TableSpec(
    name="country_overrides",
    file=OVERRIDES_FILE,
    doc="Curated: what pycountry lacks or names differently (one row per code; empty cells keep pycountry's value).",
    columns=(
        Col("code", check=_check_code, doc="our code (ISO 3166-1/-3 alpha-3 or project X.. code)"),
        Col("name", required=False, doc="display name (empty: pycountry's common name or name)"),
        Col("name_es", required=False, doc="display name in Spanish where CLDR (Babel) has none for the code or it "
                                           "differs from ours: historic entities, project codes, renamed places"),
        Col("map_iso3", required=False, pattern=r"[A-Z]{3}", doc="code of the map shape; empty: the code itself for ISO countries"),
        Col("kind", required=False, allowed=frozenset(KINDS)),
        Col("scope", required=False, allowed=frozenset(SCOPES)),
        Col("region", required=False, allowed=frozenset(REGIONS)),
        Col("ccode", required=False, check=_check_ccodes, doc="Correlates of War / troopdata codes mapped to this code"),
        Col("years", required=False, check=_check_years, doc="years the ccode rule applies to (empty: all years, after the ISO code)"),
        Col("aliases", required=False, doc="';'-joined extra names for from_name"),
        Col("note", required=False, doc="why the row exists"),
    ),
    key=("code",),
    sources=("pycountry_iso3166", "troopdata"),  # ISO codes and names; the Correlates of War codes troopdata uses
)

REGIONS_SPEC = TableSpec(
    name="country_regions",
    file=REGIONS_FILE,
    doc="Region of every entity with troop rows, from troopdata's region column (override file wins).",
    columns=(
        Col("iso3", check=_check_code),
        Col("region", allowed=frozenset(REGIONS)),
        Col("upstream_region", required=False, doc="troopdata's region name(s), ';'-joined; empty when set by the override file"),
        Col("source_id", allowed=frozenset({"troopdata"})),
    ),
    key=("iso3",),
)


@dataclass(frozen=True)
class Entity:
    code: str
    name: str
    map_iso3: str
    kind: str
    region: str
    scope: str
    name_es: str = ""  # from country_overrides.csv; empty: CLDR's name (see spanish_name)

    @property
    def iso3(self) -> str:
        return self.code

    @property
    def region_es(self) -> str:
        return REGIONS_ES.get(self.region, self.region)


def normalise(name: str) -> str:
    """Name key: case, accents, punctuation, '&' and 'St.' folded; whitespace collapsed."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("&", " and ")
    text = re.sub(r"[.,()\[\]]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^st ", "saint ", text)
    text = text.replace(" st ", " saint ")
    text = re.sub(r"^the ", "", text)
    return text


class Registry:
    """Entities, name index and ccode rules built from pycountry, the override file and the region file."""

    def __init__(self, overrides: list[dict[str, str]], regions: dict[str, str]):
        self.entities: dict[str, Entity] = {}
        self.names: dict[str, str] = {}
        self.ccode_years: list[tuple[int, int, int, str]] = []  # (ccode, from, to, code)
        self.ccode_any: dict[int, str] = {}
        names_override: dict[str, str] = {}
        tier_current: dict[str, str] = {}
        tier_historic: dict[str, str] = {}

        for c in pycountry.countries:
            code = c.alpha_3
            kind = "us" if code == "USA" else "other" if code == "ATA" else "territory" if code in TERRITORIES else "country"
            scope = "us_domestic" if code == "USA" else "us_territory" if code in US_TERRITORIES else "abroad"
            name = getattr(c, "common_name", None) or c.name
            self.entities[code] = Entity(code, name, code, kind, regions.get(code, ""), scope)
            for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
                if n:
                    tier_current.setdefault(normalise(n), code)
        for h in pycountry.historic_countries:
            code = h.alpha_3
            if code in self.entities:
                continue
            scope = "us_territory" if code in US_TERRITORIES else "abroad"
            self.entities[code] = Entity(code, h.name, "", "historic", regions.get(code, ""), scope)
            tier_historic.setdefault(normalise(h.name), code)

        for row in overrides:
            code = row["code"]
            base = self.entities.get(code)
            if base is None:
                base = Entity(code, row["name"] or code, "", "other", "", "abroad")
            changes = {}
            for f in ("name", "name_es", "map_iso3", "kind", "scope"):
                if row.get(f):
                    changes[f] = row[f]
            region = row.get("region") or regions.get(code, "") or base.region
            changes["region"] = region
            entity = replace(base, **changes)
            self.entities[code] = entity
            for alias in [entity.name] + [a for a in (row.get("aliases") or "").split(";") if a.strip()]:
                names_override.setdefault(normalise(alias), code)
            if row.get("ccode"):
                for cc in row["ccode"].split(";"):
                    if row.get("years"):
                        lo, hi = (int(x) for x in row["years"].split("-"))
                        self.ccode_years.append((int(cc), lo, hi, code))
                    else:
                        self.ccode_any[int(cc)] = code

        # name index: override names/aliases first, then today's ISO names, then historic names
        for tier in (tier_historic, tier_current, names_override):
            self.names.update(tier)

    def lookup(self, code: str | None) -> Entity | None:
        if not code:
            return None
        return self.entities.get(str(code).strip().upper())

    def from_name(self, name: str | None) -> Entity | None:
        if name is None or not str(name).strip():
            return None
        code = self.names.get(normalise(name))
        return self.entities.get(code) if code else None

    def resolve(self, ccode: int | None, iso3c: str | None, name: str | None, year: int | None = None) -> Entity | None:
        cc = _as_int(ccode)
        if cc is not None and year is not None:
            for rule_cc, lo, hi, code in self.ccode_years:
                if rule_cc == cc and lo <= int(year) <= hi:
                    return self.entities[code]
        iso = (iso3c or "").strip().upper()
        if iso and iso not in ("NA", "NAN") and iso in self.entities:
            return self.entities[iso]
        if cc is not None and cc in self.ccode_any:
            return self.entities[self.ccode_any[cc]]
        return self.from_name(name)


def _as_int(value) -> int | None:
    if value is None:
        return None
    try:
        text = str(value).strip()
        if not text or text.upper() in ("NA", "NAN"):
            return None
        return int(float(text))
    except ValueError:
        return None


def read_overrides(path: Path) -> tuple[list[dict[str, str]], list[Problem]]:
    frame, problems = read_table(path, OVERRIDES_SPEC)
    if frame is None:
        return [], problems
    rows = []
    for _, r in frame.iterrows():
        rows.append({c: ("" if r[c] is None or (not isinstance(r[c], str) and r[c] != r[c]) else str(r[c]))
                     for c in OVERRIDES_SPEC.column_names})
    return rows, problems


def read_regions(path: Path) -> tuple[dict[str, str], list[Problem]]:
    if not Path(path).exists():
        return {}, []
    frame, problems = read_table(path, REGIONS_SPEC)
    if frame is None:
        return {}, problems
    return dict(zip(frame["iso3"], frame["region"])), problems


@lru_cache(maxsize=4)
def load(data_dir: Path = DATA_DIR, with_regions: bool = True) -> Registry:
    """The registry for ``data_dir``; raises DataError when the override or region file is broken."""
    data_dir = Path(data_dir)
    overrides, problems = read_overrides(data_dir / OVERRIDES_FILE)
    regions: dict[str, str] = {}
    if with_regions:
        regions, p2 = read_regions(data_dir / REGIONS_FILE)
        problems += p2
    if problems:
        raise DataError(problems)
    return Registry(overrides, regions)


def resolve(ccode: int | None, iso3c: str | None, name: str | None, year: int | None = None) -> Entity | None:
    """Upstream row -> entity: ccode rule for that year, ISO code, ccode rule, exact name/alias; None if unknown."""
    return load().resolve(ccode, iso3c, name, year)


def lookup(code: str | None) -> Entity | None:
    """Entity by our code (case-insensitive), or None."""
    return load().lookup(code)


def from_name(name: str | None) -> Entity | None:
    """Entity by exact name, official/common name or alias (MME, SIPRI, DMDC spellings), or None."""
    return load().from_name(name)


def spanish_name(code: str | None, locale: str = "es_419") -> str | None:
    """The entity's name in Spanish: ``name_es`` from country_overrides.csv, else CLDR's name for its ISO 3166-1 code
    (Babel, when installed), else the English name. None for an unknown code."""
    entity = lookup(code)
    if entity is None:
        return None
    if entity.name_es:
        return entity.name_es
    country = pycountry.countries.get(alpha_3=entity.code)
    if country is not None:
        try:
            from babel import Locale

            name = Locale.parse(locale).territories.get(country.alpha_2)
        except (ImportError, ValueError):
            name = None
        if name:
            return name
    return entity.name


def region_es(region: str | None) -> str:
    """A region's name in Spanish (the region itself when it is not one of REGIONS, e.g. "")."""
    return REGIONS_ES.get(region or "", region or "")


def is_known(code: str | None) -> bool:
    return lookup(code) is not None


def check_code(value: str) -> str | None:
    """For ``Col(check=...)``: a rule text when ``value`` is not a known entity code."""
    return None if is_known(value) else f"unknown place code {value!r} (not in pycountry or country_overrides.csv)"
