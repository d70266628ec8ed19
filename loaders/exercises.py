"""US multinational military exercises 1980-2010, from the MME dataset v7 (D'Orazio & Galambos), source ``mme``.

Upstream: ``mme_v7.csv`` as shipped in the troopdata development version (``data-raw/mme_v7.csv``), one row per
exercise with participants in columns StateA … StateAM.  ``build`` keeps every exercise with "United States"
among its participants and a start year 1980-2010: 1,882 exercises.  (troopdata's long table
``mme-v7-long.csv`` gives 1,871 because it keeps only the first 24 participant columns, StateA-StateX, and so
drops the US from 11 large exercises such as Strong Resolve 98 and Combined Endeavor 2001; the wide file is used.)

Choices:

* Dates: MME gives year, month and day separately, with ``xx`` for an unknown day or month.  ``start`` is the
  first day of the known period and ``end`` the last (``1986-01-xx`` → start 1986-01-01, end 1986-01-31);
  ``date_precision`` is the coarsest of the two (``day``, ``month`` or ``year``).  Where upstream's end date is
  before its start date (2 exercises: mme281, mme395) ``end`` is left empty rather than guessed.
* ``kinds``: the nine 0/1 flags, joined with ";" in a fixed order (air, land, sea, amphibious, cyber, cpx,
  warfighting, peacekeeping, humanitarian).
* Participants: MME's names resolved with ``loaders.countries.from_name``; ``participants`` holds the codes of the
  resolved names, ``participant_names`` every named participant (our display name when resolved, MME's name
  otherwise), ``n_participants`` their number.  MME's ``-9`` (participant unknown) is left out.  Names that do not
  resolve (organisations such as "NATO" and "Baltic States") are kept by name only and listed by
  :func:`unresolved_names`.
* ``host_iso3``: the Location when it is a country name, or when splitting it on commas, semicolons and "and"
  names one and the same country, at least once as the first or last part of a ";"-separated piece
  ("Vroclav, Poland" → POL, "Japan, Yokosuka" → JPN); otherwise empty (seas, "Peruvian Waters", "Central
  Europe", several countries, a country in the middle of a list of places).  ``-9`` locations are empty.  Names are matched exactly (any
  case), never guessed.
* ``lat``/``lon`` as given upstream (checked to be within range); empty where upstream is empty.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from .schema import Col, DataError, Problem, TableSpec, write_table

SOURCE_ID = "mme"
MME_FILE = "troopdata/master-3946bcf/mme_v7.csv"
FIRST_YEAR, LAST_YEAR = 1980, 2010
US_CODE = "USA"
MISSING = frozenset({"", "-9", "NA"})
KIND_COLUMNS = (  # our kind -> upstream flag column, in the order used in ``kinds``
    ("air", "Air"), ("land", "Land"), ("sea", "Sea"), ("amphibious", "Amphibious"), ("cyber", "Cyber"),
    ("cpx", "CPX"), ("warfighting", "Warfighting"), ("peacekeeping", "Peacekeeping"),
    ("humanitarian", "Humanitarian"),
)
KINDS = frozenset(k for k, _ in KIND_COLUMNS)
REQUIRED_COLUMNS = ("MMEID", "Ex_Name", "Series_Name", "Location", "lat", "lon", "s.year", "s.month", "s.day",
                    "e.year", "e.month", "e.day", "FocusDescription", "StateA") + tuple(c for _, c in KIND_COLUMNS)
PRECISION_ORDER = ("day", "month", "year")


def _check_kinds(value: str) -> str | None:
    parts = value.split(";")
    bad = [p for p in parts if p not in KINDS]
    if bad:
        return f"unknown kind {bad[0]!r} (kinds: {', '.join(k for k, _ in KIND_COLUMNS)})"
    if len(set(parts)) != len(parts):
        return "a kind appears twice"
    return None


def _check_codes(value: str) -> str | None:
    parts = value.split(";")
    bad = [p for p in parts if not re.fullmatch(r"[A-Z]{3}", p)]
    return f"codes must be three capital letters joined by ';', got {bad[0]!r}" if bad else None


def _table_checks(frame: pd.DataFrame, label: str) -> list[Problem]:
    from . import countries

    problems: list[Problem] = []
    both = frame["start"].notna() & frame["end"].notna()
    for line in frame.index[both & (frame["end"] < frame["start"])]:
        problems.append(Problem(label, int(line), "end", "is before start"))
    for line, year, start in zip(frame.index, frame["year"], frame["start"]):
        if pd.notna(start) and start.year != year:
            problems.append(Problem(label, int(line), "year", f"must be the start year ({start.year})"))
    for col in ("participants", "host_iso3"):
        for line, value in frame[col].items():
            if isinstance(value, str) and value:
                for code in value.split(";"):
                    if not countries.is_known(code):
                        problems.append(Problem(label, int(line), col, f"unknown code {code!r}"))
    for line, codes, names, n in zip(frame.index, frame["participants"], frame["participant_names"],
                                     frame["n_participants"]):
        n_names = len(names.split("; ")) if isinstance(names, str) and names else 0
        n_codes = len(codes.split(";")) if isinstance(codes, str) and codes else 0
        if n_names != n or n_codes > n:
            problems.append(Problem(label, int(line), "n_participants", f"{n} does not match {n_names} names / "
                                    f"{n_codes} codes"))
    return problems


EXERCISES = TableSpec(
    name="exercises",
    file="exercises.csv",
    doc="Multinational military exercises with US participation, 1980-2010, from MME v7.",
    columns=(
        Col("exercise_id", pattern=r"mme\d+(-\d+)?"),
        Col("name", required=False),
        Col("series", required=False),
        Col("location", required=False),
        Col("lat", "float", required=False, min=-90, max=90),
        Col("lon", "float", required=False, min=-180, max=180),
        Col("start", "date"),
        Col("end", "date", required=False),
        Col("date_precision", allowed=frozenset(PRECISION_ORDER)),
        Col("year", "int", min=FIRST_YEAR, max=LAST_YEAR),
        Col("kinds", required=False, check=_check_kinds),
        Col("participants", check=_check_codes),
        Col("participant_names"),
        Col("n_participants", "int", min=1),
        Col("host_iso3", required=False, pattern=r"[A-Z]{3}"),
        Col("focus", required=False),
        Col("source_id", allowed=frozenset({SOURCE_ID})),
    ),
    key=("exercise_id",),
    table_checks=(_table_checks,),
    filters={"country": "host_iso3", "year": "year"},
)
TABLES = [EXERCISES]


def _date(year: str, month: str, day: str, end: bool) -> tuple[dt.date, str]:
    """(date, precision) from MME's parts; 'xx' month/day widen to the first (start) or last (end) day of the
    known period.  Raises ValueError with the field at fault."""
    if not re.fullmatch(r"\d{4}", year):
        raise ValueError(("year", f"must be a four-digit year, got {year!r}"))
    y = int(year)
    if month.lower() == "xx":
        return (dt.date(y, 12, 31) if end else dt.date(y, 1, 1)), "year"
    if not re.fullmatch(r"\d{1,2}", month) or not 1 <= int(month) <= 12:
        raise ValueError(("month", f"must be 1-12 or 'xx', got {month!r}"))
    m = int(month)
    if day.lower() == "xx":
        return (dt.date(y, m, calendar.monthrange(y, m)[1]) if end else dt.date(y, m, 1)), "month"
    if not re.fullmatch(r"\d{1,2}", day):
        raise ValueError(("day", f"must be a day of the month or 'xx', got {day!r}"))
    try:
        return dt.date(y, m, int(day)), "day"
    except ValueError:
        raise ValueError(("day", f"not a real date: {y}-{m}-{day}")) from None


def _coord(value: str, low: float, high: float) -> float | None:
    if value in MISSING:
        return None
    v = float(value)  # ValueError handled by the caller
    if not low <= v <= high:
        raise ValueError(f"must be between {low:g} and {high:g}, got {value}")
    return v


def _clean(value: str) -> str:
    # One MME description starts with a list dash ("- one of the world's largest ..."): a spreadsheet would run
    # it as a formula, and loaders.textsafety refuses that start, so the dash goes.
    value = re.sub(r"\s+", " ", value).strip()
    value = re.sub(r"^[-+=@]\s+", "", value)
    return "" if value in MISSING else value


def _names(data_dir: Path | None):
    """The name resolver: ``loaders.countries`` for ``data_dir`` (default: the project's data/)."""
    from . import countries

    return countries if data_dir is None else countries.load(Path(data_dir), with_regions=False)


def host_code(location: str, data_dir: Path | None = None) -> str:
    """Code of the country a Location names, or '' (see module docstring)."""
    countries = _names(data_dir)
    location = _clean(location).rstrip(".")
    if not location:
        return ""
    entity = countries.from_name(location)
    if entity is not None:
        return entity.code
    codes: set[str] = set()
    at_edge = False
    for segment in location.split(";"):
        parts = [p.strip(" .") for p in re.split(r",|\band\b", segment)]
        parts = [p for p in parts if p]
        for i, part in enumerate(parts):
            entity = countries.from_name(part)
            if entity is not None:
                codes.add(entity.code)
                at_edge = at_edge or i in (0, len(parts) - 1)
    # one country, named first or last in its part of the location ("Vroclav, Poland", "Japan, Yokosuka",
    # "Burgas, Bulgaria; western part of the Black Sea"); a country only in the middle of a list of places
    # ("vicinity of the canal, Colombia and in the U.S. states of …") is not taken as the host
    if len(codes) == 1 and at_edge:
        return codes.pop()
    return ""


def _mme_rows(source: Path | str | bytes, label: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """MME's header and its non-empty data rows with their line numbers; DataError when the file cannot be read
    as a CSV with every required column."""
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise DataError([Problem(label, None, "", "file is missing")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(label, data[: exc.start].count(b"\n") + 1, "", "not valid UTF-8 text")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError([Problem(label, None, "", "file is empty (no header)")]) from None
    except csv.Error as exc:
        raise DataError([Problem(label, 1, "", f"not a valid CSV file ({exc})")]) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DataError([Problem(label, 1, c, "column is missing from the header (is the header row there?)")
                         for c in missing])
    try:
        return header, list(enumerate_rows(reader))
    except csv.Error as exc:
        raise DataError([Problem(label, reader.line_num, "", f"not a valid CSV file ({exc})")]) from None


def _mme_period(get, label: str, line: int, problems: list[Problem]):
    """(start, end, precision) of a row, or None (the problem noted). An end before the start is not guessed:
    no end (see module docstring)."""
    parsed = []
    for prefix in ("s", "e"):  # the start's columns, then the end's
        try:
            parsed.append(_date(get(f"{prefix}.year"), get(f"{prefix}.month"), get(f"{prefix}.day"), end=prefix == "e"))
        except ValueError as exc:
            field, rule = exc.args[0]
            problems.append(Problem(label, line, f"{prefix}.{field}", rule))
            return None
    (start, p_start), (end, p_end) = parsed
    if end < start:
        end, p_end = None, "day"
    return start, end, max(p_start, p_end, key=PRECISION_ORDER.index)


def _mme_coords(get, label: str, line: int, problems: list[Problem]) -> dict[str, float]:
    coords = {}
    for col, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        try:
            coords[col] = _coord(get(col), low, high)
        except ValueError as exc:
            rule = str(exc) if "between" in str(exc) else f"must be a number, got {get(col)[:40]!r}"
            problems.append(Problem(label, line, col, rule))
    return coords


def _mme_kinds(get, label: str, line: int, problems: list[Problem]) -> list[str]:
    kinds = []
    for kind, col in KIND_COLUMNS:
        flag = get(col)
        if flag not in ("0", "1"):
            problems.append(Problem(label, line, col, f"must be 0 or 1, got {flag[:40]!r}"))
        elif flag == "1":
            kinds.append(kind)
    return kinds


def _mme_participants(resolved, unresolved: dict[str, int]) -> tuple[list[str], list[str]]:
    """(codes, names shown): each resolved country once, by our name; an unresolved name kept as written (and
    counted in ``unresolved``)."""
    codes: list[str] = []
    display: list[str] = []
    for name, entity in resolved:
        if entity is None:
            unresolved[name] = unresolved.get(name, 0) + 1
            display.append(name)
        elif entity.code not in codes:
            codes.append(entity.code)
            display.append(entity.name)
    return codes, display


def parse_mme(source: Path | str | bytes, label: str = "mme_v7.csv", first_year: int = FIRST_YEAR,
              last_year: int = LAST_YEAR, data_dir: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """(exercises with US participation, participant names that did not resolve) from an MME v7 CSV.

    Raises DataError naming the file, line and field for a missing column or a malformed cell in a kept row."""
    countries = _names(data_dir)
    header, rows = _mme_rows(source, label)
    idx = {name: header.index(name) for name in header}
    state_cols = [i for i, name in enumerate(header) if re.fullmatch(r"State[A-Z]{1,2}", name)]
    problems: list[Problem] = []
    records: list[dict] = []
    unresolved: dict[str, int] = {}
    for line, row in rows:
        if len(row) != len(header):
            problems.append(Problem(label, line, "", f"has {len(row)} fields, the header has {len(header)}"))
            continue
        get = lambda name: row[idx[name]].strip()  # noqa: E731
        names = [re.sub(r"\s+", " ", row[i]).strip() for i in state_cols]
        resolved = [(n, countries.from_name(n)) for n in names if n not in MISSING]
        if not any(e is not None and e.code == US_CODE for _, e in resolved):
            continue
        if not re.fullmatch(r"\d{4}", get("s.year")):
            problems.append(Problem(label, line, "s.year", f"must be a four-digit year, got {get('s.year')!r}"))
            continue
        if not first_year <= int(get("s.year")) <= last_year:
            continue
        period = _mme_period(get, label, line, problems)
        if period is None:
            continue
        start, end, precision = period
        coords = _mme_coords(get, label, line, problems)
        if len(coords) < 2:
            continue
        kinds = _mme_kinds(get, label, line, problems)
        codes, display = _mme_participants(resolved, unresolved)
        records.append({
            "exercise_id": get("MMEID"),
            "name": _clean(get("Ex_Name")),
            "series": _clean(get("Series_Name")),
            "location": _clean(get("Location")),
            "lat": coords["lat"], "lon": coords["lon"],
            "start": start, "end": end,
            "date_precision": precision,
            "year": start.year,
            "kinds": ";".join(kinds),
            "participants": ";".join(codes),
            "participant_names": "; ".join(display),
            "n_participants": len(display),
            "host_iso3": host_code(get("Location"), data_dir),
            "focus": _clean(get("FocusDescription")),
            "source_id": SOURCE_ID,
        })
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in EXERCISES.columns])
    # MME reuses a few ids for different years of one exercise: make them unique with the year.
    dup = frame["exercise_id"].duplicated(keep=False)
    if dup.any():
        frame.loc[dup, "exercise_id"] = frame.loc[dup, "exercise_id"] + "-" + frame.loc[dup, "year"].astype(str)
    frame = frame.sort_values(["start", "exercise_id"], ignore_index=True)
    return frame, sorted(unresolved)


def enumerate_rows(reader):
    """(line number of the row's first line, row) for each non-empty data row."""
    line = reader.line_num + 1
    for row in reader:
        if row and any(cell.strip() for cell in row):
            yield line, row
        line = reader.line_num + 1


def unresolved_names(raw: Path) -> list[str]:
    return parse_mme(Path(raw) / MME_FILE)[1]


def build(raw: Path, out: Path, data_dir: Path | None = None) -> None:
    frame, _ = parse_mme(Path(raw) / MME_FILE, data_dir=data_dir)
    write_table(frame, Path(out) / EXERCISES.file, EXERCISES)
