"""US bases abroad: David Vine's base list as packaged by troopdata (``basedata``), Cold War through 2018.

Reads ``troopdata/v1.0.4/basedata_utf8.csv`` (414 rows; the Latin-1 ``basedata.csv`` is not used) and writes
``data/bases.csv``.  Corrections, all visible: rows removed are listed in :data:`FIXES` (the app shows them) and
named in the ``fix`` cell of the copy that was kept; every other correction is written in the row's ``fix`` cell.

* Removed: the exact duplicate of "Naval Support Activity Naples"; the copy of Yokota geocoded to central Tokyo
  ("Yokota AB, Tokyo", at Tokyo's centre point); the copy of Camp Humphreys geocoded to Daejeon ("Camp Humphreys
  (Richmond), Taejon").  A copy is removed only when the copy that is kept is present.
* Places: upstream gives US territories iso3c "USA" / ccode 2 and some territories their parent's codes
  (Greenland DNK, Aruba NLD, Hong Kong CHN, Antarctica NZL ...), and "Congo, Democratic Republic" the Republic
  of Congo's codes (484/COG; its site, Dungu, is in DR Congo).  The country *name* is the more specific field,
  so a site is placed by its name when ``loaders.countries`` knows it, else by its codes; a disagreement is
  written in ``fix``.
* Coordinates: the 7 sites without coordinates are located only from a reviewed entry of the geocoding cache
  (query "<basename>, <countryname>"), else ``located=false``.  Two Israeli sites whose upstream name says the
  point is random ("[loc. Is random in Negev]") are not mapped.
* Names: tabs inside names (e.g. "Osan<TAB>South Korea") are removed with the repeated country name; empty
  names become "Unnamed site (<country>)".

``type`` is the first that applies of major_base, lily_pad, funded_site; the three booleans keep every flag
(one site, "IMF Santa Rosa, Iquitos", is both a lily pad and a funded site: type lily_pad, both flags true).
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd

from . import countries
from .geocode import CACHE_FILE, CACHE_SPEC, CachedGeocoder
from .schema import Col, DataError, Problem, TableSpec, read_table, write_table

SOURCE_ID = "vine_bases"
UPSTREAM = Path("troopdata") / "v1.0.4" / "basedata_utf8.csv"
UPSTREAM_COLUMNS = ("countryname", "ccode", "iso3c", "basename", "lat", "lon", "base", "lilypad", "fundedsite")
UPSTREAM_ROWS = 414
PERIOD = "Cold War-2018"
TYPES = ("major_base", "lily_pad", "funded_site")  # order decides `type` when several flags are set
COORD_SOURCES = ("vine", "geocoded", "none")
CURATED = (CACHE_FILE,)

# Country names the countries registry does not know, for these upstream rows only (checked by hand).
UPSTREAM_NAMES = {
    ("BR Indian Ocean Territory", "GBR"): "IOT",  # Diego Garcia
    ("Virgin Islands", "USA"): "VIR",  # ccode 2 = the United States: the US Virgin Islands
}
MISSPELT = {"Georigia": "Georgia", "NIger": "Niger"}

# Copies removed: (countryname, basename, lat, lon) of the copy -> (basename of the copy kept, reason)
COPIES = {
    ("Japan", "Yokota AB, Tokyo", "35.689488", "139.69171"): (
        "Yokota Air Force Base, Fussa",
        "second copy of Yokota Air Base, geocoded to the centre of Tokyo rather than the base at Fussa"),
    ("Korea, South", "Camp Humphreys (Richmond), Taejon", "36.350412", "127.38455"): (
        "Camp Humphreys (High Point), Chechon",
        "second copy of Camp Humphreys, geocoded to Daejeon (Taejon) rather than the base at Pyeongtaek"),
}
RANDOM_POINT = re.compile(r"\[loc\.? is random", re.I)
# Rows that look like copies but are kept as upstream lists them (noted in `fix`).
POSSIBLE_COPIES = {
    ("Japan", "Camo Kinser, Makiminato"): "possibly the same site as 'Camp Kinser, Makiminato' (same coordinates; "
                                          "'Camo' looks like a typo); kept as upstream lists it",
}

BASES_SPEC = TableSpec(
    name="bases",
    file="bases.csv",
    columns=(
        Col("site_id", pattern=r"vine-\d{3}", doc="vine-NNN: the row number in the upstream file (gaps = removed rows)"),
        Col("name", doc="site name as upstream gives it (tabs removed)"),
        Col("iso3", check=countries.check_code, doc="the host country or territory"),
        Col("country", doc="display name of iso3"),
        Col("lat", "float", required=False, min=-90, max=90),
        Col("lon", "float", required=False, min=-180, max=180),
        Col("located", "bool", doc="true when lat/lon are given"),
        Col("coord_source", allowed=frozenset(COORD_SOURCES),
            doc="vine (upstream coordinates), geocoded (reviewed geocoding cache), none"),
        Col("type", allowed=frozenset(TYPES), doc="first applicable of major_base, lily_pad, funded_site"),
        Col("is_major_base", "bool"),
        Col("is_lily_pad", "bool"),
        Col("is_funded_site", "bool"),
        Col("period", allowed=frozenset({PERIOD})),
        Col("fix", required=False, doc="any correction Footprint applied to this row"),
        Col("source_id"),
    ),
    key=("site_id",),
    doc="US military sites abroad (and in US territories), Cold War-2018, from David Vine's list via troopdata.",
    filters={"country": "iso3"},
)


def _bases_checks(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    for line, row in frame.iterrows():
        has = not pd.isna(row["lat"]) and not pd.isna(row["lon"])
        if bool(row["located"]) != has:
            problems.append(Problem(label, int(line), "located", "must be true exactly when lat and lon are given"))
        if (row["coord_source"] == "none") == bool(row["located"]):
            problems.append(Problem(label, int(line), "coord_source", "must be none exactly when not located"))
        flags = {"major_base": row["is_major_base"], "lily_pad": row["is_lily_pad"], "funded_site": row["is_funded_site"]}
        first = next((t for t in TYPES if flags[t]), None)
        if first != row["type"]:
            problems.append(Problem(label, int(line), "type", f"must be the first flag set ({first})"))
    return problems


BASES_SPEC = dataclasses.replace(BASES_SPEC, table_checks=(_bases_checks,))
TABLES = [BASES_SPEC, CACHE_SPEC]

# The rows removed from the upstream file (parse_raw returns the same list; a test checks they agree).
FIXES: list[dict[str, str]] = [
    {"site_id": "vine-171", "name": "Naval Support Activity Naples", "action": "removed",
     "reason": "exact duplicate of vine-168 (every field identical)"},
    {"site_id": "vine-179", "name": "Yokota AB, Tokyo", "action": "removed",
     "reason": COPIES[("Japan", "Yokota AB, Tokyo", "35.689488", "139.69171")][1] + "; vine-192 kept"},
    {"site_id": "vine-248", "name": "Camp Humphreys (Richmond), Taejon", "action": "removed",
     "reason": COPIES[("Korea, South", "Camp Humphreys (Richmond), Taejon", "36.350412", "127.38455")][1]
     + "; vine-227 kept"},
]


def _read_upstream(path: Path) -> pd.DataFrame:
    label = str(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(label, None, "", "file is missing")]) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError([Problem(label, None, "", f"cannot be read as a UTF-8 CSV ({type(exc).__name__})")]) from None
    missing = [c for c in UPSTREAM_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError([Problem(label, 1, c, "column is missing from the header") for c in missing])
    return frame


def _flag(value: str, label: str, line: int, field: str, problems: list[Problem]) -> bool:
    v = value.strip()
    if v in ("1", "1.0"):
        return True
    if v in ("0", "0.0"):
        return False
    problems.append(Problem(label, line, field, f"must be 0 or 1, got {v[:40]!r}"))
    return False


def _coord(value: str, lo: float, hi: float, label: str, line: int, field: str, problems: list[Problem]) -> float | None:
    v = value.strip()
    if v in ("", "NA"):
        return None
    try:
        x = float(v)
    except ValueError:
        problems.append(Problem(label, line, field, f"must be a number, got {v[:40]!r}"))
        return None
    if not lo <= x <= hi:
        problems.append(Problem(label, line, field, f"must be between {lo:g} and {hi:g}, got {v[:40]}"))
        return None
    return x


def _clean_name(name: str, countryname: str, country: str) -> tuple[str, str]:
    """(clean name, fix text or '')."""
    if "\t" not in name:
        return name.strip(), ""
    parts = [p.strip() for p in name.split("\t")]
    tail = parts[-1]
    if len(parts) == 2 and tail in {countryname, country, "South Korea", "Cuba", "Kenya"}:
        clean = parts[0]
    else:
        clean = re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()
    return clean, f"tab removed from the upstream name {name.replace(chr(9), '<TAB>')!r}"


def _place(countryname: str, ccode: str, iso3c: str) -> tuple[countries.Entity | None, str]:
    """(entity, fix text) for an upstream row; the country name wins over the codes when it is known."""
    by_codes = countries.resolve(ccode or None, iso3c or None, None)
    code = UPSTREAM_NAMES.get((countryname, iso3c))
    by_name = countries.lookup(code) if code else countries.from_name(MISSPELT.get(countryname, countryname))
    fixes = []
    if countryname in MISSPELT:
        fixes.append(f"upstream country name misspelt {countryname!r}")
    if by_name is None:
        return by_codes, "; ".join(fixes)
    if by_codes is not None and by_codes.code != by_name.code:
        cc = ccode[:-2] if ccode.endswith(".0") else ccode
        fixes.append(f"upstream codes {iso3c or '-'}/{cc or '-'} ({by_codes.name}) placed in {by_name.name} "
                     f"by the country name {countryname!r}")
    return by_name, "; ".join(fixes)


def _site_name(r, place_name: str, fixes: list[str]) -> str:
    """The site's name cleaned of upstream slips; an unnamed site is named by its place."""
    name, name_fix = _clean_name(r.basename, r.countryname, place_name)
    if name_fix:
        fixes.append(name_fix)
    if not name:
        name = f"Unnamed site ({place_name})"
        fixes.append("no site name upstream")
    return name


def _located(r, lat, lon, geocoder, fixes: list[str]) -> tuple[float | None, float | None, str]:
    """(lat, lon, coord_source): upstream's coordinates, none where upstream marks them a random point, else the
    reviewed geocoding cache's location for a site upstream gives none; each change noted in ``fixes``."""
    if lat is not None and RANDOM_POINT.search(r.basename):
        fixes.append(f"upstream marks its coordinates ({r.lat}, {r.lon}) as a random point; not mapped")
        return None, None, "none"
    if lat is not None:
        return lat, lon, "vine"
    query = f"{r.basename.strip()}, {r.countryname.strip()}"
    hit = geocoder.lookup(query) if geocoder is not None else None
    if hit is None:
        fixes.append("no coordinates upstream and no reviewed location; not mapped")
        return None, None, "none"
    fixes.append(f"no coordinates upstream; located at {hit.address} from the reviewed geocoding cache "
                 f"(source: {hit.source})")
    return hit.lat, hit.lon, "geocoded"


def _note_second_copies(rows: list[dict], removed: list[dict[str, str]]) -> None:
    """A site kept where a second copy of it was removed says so, and the removal names the site kept."""
    for item in removed:
        if item["reason"].startswith("exact duplicate"):
            continue
        key = next(k for k in COPIES if k[1] == item["name"])
        kept = next((row for row in rows if row["name"] == COPIES[key][0]), None)
        if kept is not None:
            kept["fix"] = "; ".join(x for x in (kept["fix"], f"a second copy ({item['site_id']} {item['name']!r}) was removed") if x)
            item["reason"] += f"; {kept['site_id']} kept"


def parse_raw(path: Path, geocoder: CachedGeocoder | None = None) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Upstream basedata CSV -> (bases table, list of removed rows). Raises DataError naming file, row, field."""
    path = Path(path)
    label = path.name
    up = _read_upstream(path)
    problems: list[Problem] = []
    rows: list[dict] = []
    removed: list[dict[str, str]] = []
    seen: dict[tuple, str] = {}
    names_present = {(r.countryname, r.basename) for r in up.itertuples(index=False)}
    for i, r in enumerate(up.itertuples(index=False), start=1):
        line = i + 1  # header is line 1
        site_id = f"vine-{i:03d}"
        full = tuple(getattr(r, c) for c in UPSTREAM_COLUMNS)
        if full in seen:
            removed.append({"site_id": site_id, "name": r.basename, "action": "removed",
                            "reason": f"exact duplicate of {seen[full]} (every field identical)"})
            for row in rows:
                if row["site_id"] == seen[full]:
                    row["fix"] = "; ".join(x for x in (row["fix"], f"an exact duplicate ({site_id}) was removed") if x)
            continue
        seen[full] = site_id
        copy = COPIES.get((r.countryname, r.basename, r.lat, r.lon))
        if copy is not None and (r.countryname, copy[0]) in names_present:
            removed.append({"site_id": site_id, "name": r.basename, "action": "removed", "reason": copy[1]})
            continue

        fixes: list[str] = []
        entity, place_fix = _place(r.countryname.strip(), r.ccode.strip(), r.iso3c.strip())
        if entity is None:
            problems.append(Problem(label, line, "countryname",
                                    f"unknown place {r.countryname!r} (codes {r.ccode}/{r.iso3c})"))
            continue
        if place_fix:
            fixes.append(place_fix)
        name = _site_name(r, entity.name, fixes)
        before = len(problems)
        major = _flag(r.base, label, line, "base", problems)
        lily = _flag(r.lilypad, label, line, "lilypad", problems)
        funded = _flag(r.fundedsite, label, line, "fundedsite", problems)
        flags = {"major_base": major, "lily_pad": lily, "funded_site": funded}
        kind = next((t for t in TYPES if flags[t]), None)
        if len(problems) > before:
            continue
        if kind is None:
            problems.append(Problem(label, line, "base/lilypad/fundedsite", "no type flag set"))
            continue
        lat = _coord(r.lat, -90, 90, label, line, "lat", problems)
        lon = _coord(r.lon, -180, 180, label, line, "lon", problems)
        if len(problems) > before:
            continue
        if (lat is None) != (lon is None):
            problems.append(Problem(label, line, "lat/lon", "only one of lat and lon is given"))
            continue
        lat, lon, source = _located(r, lat, lon, geocoder, fixes)
        possible = POSSIBLE_COPIES.get((r.countryname, r.basename))
        if possible:
            fixes.append(possible)
        rows.append({"site_id": site_id, "name": name, "iso3": entity.code, "country": entity.name,
                     "lat": lat, "lon": lon, "located": lat is not None, "coord_source": source, "type": kind,
                     "is_major_base": major, "is_lily_pad": lily, "is_funded_site": funded, "period": PERIOD,
                     "fix": "; ".join(fixes), "source_id": SOURCE_ID})
    if problems:
        raise DataError(problems)
    _note_second_copies(rows, removed)
    frame = pd.DataFrame(rows, columns=BASES_SPEC.column_names)
    frame["lat"] = frame["lat"].astype("Float64")
    frame["lon"] = frame["lon"].astype("Float64")
    return frame, removed


def build(raw: Path, out: Path, data_dir: Path) -> None:
    geocoder = CachedGeocoder(Path(data_dir) / CACHE_FILE)
    frame, _ = parse_raw(Path(raw) / UPSTREAM, geocoder)
    write_table(frame, Path(out) / BASES_SPEC.file, BASES_SPEC)


def load(data_dir: Path) -> pd.DataFrame:
    frame, problems = read_table(Path(data_dir) / BASES_SPEC.file, BASES_SPEC)
    if problems:
        raise DataError(problems)
    assert frame is not None
    return frame
