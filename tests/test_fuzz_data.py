"""Property-based tests (hypothesis) of the loaders and ``check`` on mutated copies of the real data/.

A copy of data/ is made once for this module; each example mutates ONE file (a bad cell, a dropped column, a
duplicated row, truncation, another encoding, a broken or hostile YAML document, a deleted file, a symlink out of
the folder) and restores it afterwards.  The properties:

* only :class:`loaders.schema.Problem` objects come out of the readers and of ``registry.check_all`` — never
  another exception — each naming the file (and the row and field where the mutation has one);
* when the mutation is invalid by construction, ``check_all`` reports a problem for the mutated file, at the
  mutated line and field;
* hostile YAML (aliases bombs, deep nesting, ``!!python/...`` tags) is refused quickly and runs nothing;
* ``registry.build_into_data`` with one corrupted upstream file leaves data/ byte-identical, with no ``.build-*``.

``tests/test_properties.py`` covers the bare CSV reader on a synthetic table; these tests use the project's real
tables, specs and YAML files.  The big tables are only spliced/truncated (header + a window at a random offset),
and ``check_all`` reads unchanged big tables through a content-keyed cache so that each example stays cheap.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import countries, deployments, geocode, registry, reported
from loaders.schema import DataError, Problem, TableSpec, read_table
from loaders.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SMALL_TABLES: dict[str, TableSpec] = {
    "reported_figures.csv": reported.REPORTED_SPEC,
    "context_events.csv": deployments.CONTEXT_SPEC,
    "geocode_cache.csv": geocode.CACHE_SPEC,
    "country_overrides.csv": countries.OVERRIDES_SPEC,
}
BIG_TABLES: dict[str, TableSpec] = {s.file: s for s in registry.specs().values() if s.file not in SMALL_TABLES}
DEPLOYMENT_FILES = sorted(p.name for p in (DATA / "deployments").glob("*.yaml"))
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                       HealthCheck.filter_too_much])
SENTINEL = "fuzz-pwned-sentinel"
# How many examples: each test's rule holds for every file, field and attack alike, and its strategy draws them
# from short lists; a count that draws each list entry a few times per run covers the rule (every CI run draws
# new examples, and hypothesis replays a failure it has seen first). Each example rebuilds and checks the data
# folder (~0.3-1 s), so larger counts made these the slowest tests of the suite.

pytestmark = pytest.mark.skipif(not DEPLOYMENT_FILES or not all((DATA / f).exists() for f in SMALL_TABLES),
                                reason="data/ not built")


# ------------------------------------------------------------------------------------------------ fixtures ---

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """(copy of data/, problems check_all reports on the unmutated copy)."""
    copy = tmp_path_factory.mktemp("fuzzdata") / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".build-*"))
    real = registry.read_table
    cache: dict[tuple, tuple] = {}
    by_stat: dict[tuple, tuple] = {}

    def cached_read_table(source, spec, label=None):
        # Unchanged tables are parsed once, keyed by content (big tables first by path, mtime and size); a mutated
        # file, whose bytes are new, is always read for real.
        try:
            st_ = Path(source).stat()
        except OSError:
            return real(source, spec, label)
        skey = (str(source), st_.st_mtime_ns, st_.st_size, st_.st_ino, spec.name, label)
        if st_.st_size >= 50_000 and skey in by_stat:  # only the big tables, which no example rewrites at full size
            return by_stat[skey]
        raw = Path(source).read_bytes()
        ckey = (spec.name, label, hashlib.blake2b(raw).digest())
        if ckey not in cache:
            cache[ckey] = real(raw, spec, label or spec.file)
        by_stat[skey] = cache[ckey]
        return fresh(cache[ckey])

    def fresh(result: tuple) -> tuple:
        # callers extend the returned problem lists (check_all does): hand out copies, never the memoised list
        return tuple(list(x) if isinstance(x, list) else x for x in result)

    def by_content(fn):
        # The YAML readers depend only on the file's bytes (and label): memoise them by content, so that the
        # unchanged files are parsed once while the mutated one is always read for real.
        memo: dict[tuple, object] = {}

        def wrapper(path, *args):
            try:
                raw = Path(path).read_bytes()
            except OSError:
                return fn(path, *args)
            key = (hashlib.blake2b(raw).digest(),) + args
            if key not in memo:
                if len(memo) > 64:
                    memo.clear()
                memo[key] = fn(path, *args)
            return fresh(memo[key])
        return wrapper

    mp = pytest.MonkeyPatch()
    mp.setattr(registry, "read_table", cached_read_table)
    mp.setattr(registry, "read_sources", by_content(registry.read_sources))
    mp.setattr(deployments, "read_sources", by_content(deployments.read_sources))
    mp.setattr(deployments, "_read_yaml", by_content(deployments._read_yaml))
    baseline = set(registry.check_all(copy))
    try:
        yield copy, baseline
    finally:
        mp.undo()


@contextmanager
def mutated(copy: Path, rel: str, data: bytes | None):
    """Replace ``copy/rel`` by ``data`` (None: delete it) for the duration; always restore the original bytes."""
    path = copy / rel
    original = path.read_bytes()
    try:
        if path.is_symlink() or path.exists():
            path.unlink()
        if data is not None:
            path.write_bytes(data)
        yield path
    finally:
        if path.is_symlink() or path.exists():
            path.unlink()
        path.write_bytes(original)


def well_formed(problems, label_prefix: str | None = None) -> list[Problem]:
    """Every item is a Problem with a file, a rule, a 1-based row or None; returns those for ``label_prefix``."""
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem), p
        assert isinstance(p.file, str) and p.file
        assert isinstance(p.field, str)
        assert isinstance(p.rule, str) and p.rule.strip()
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1)
        assert str(p).startswith(p.file)
    if label_prefix is None:
        return list(problems)
    return [p for p in problems if p.file == label_prefix or p.file.startswith(label_prefix + "[")]


def check_everything(copy: Path, baseline: set[Problem], label: str, must_fail: bool) -> list[Problem]:
    """check_all on the mutated copy: only Problems; the new ones for ``label`` (required when ``must_fail``)."""
    problems = registry.check_all(copy)
    new = [p for p in well_formed(problems) if p not in baseline]
    mine = well_formed(new, label)
    if must_fail:
        assert mine, f"check_all reported nothing for the mutated {label}: {[str(p) for p in new[:5]]}"
    return mine


# ------------------------------------------------------------------------------------- CSV mutation helpers ---

def parse_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def write_rows(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)  # quoted: a bare \r stays in its cell
    return buf.getvalue().encode("utf-8")


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25)
# A leading or trailing blank breaks every column ("leading or trailing spaces"), whatever its type.
_padded = st.one_of(_text.map(lambda t: " " + t), _text.map(lambda t: t + "\t"), _text.map(lambda t: "\n" + t + " "))


def bad_value(col) -> st.SearchStrategy[str]:
    """Values that break ``col``'s rules by construction."""
    options = [_padded]
    if col.required:
        options.append(st.just(""))
    if col.kind == "int":
        options += [st.sampled_from(["1.5", "1e3", "12abc", "0x10", "NaN", "inf", "1,000", "+-1", "--5"]),
                    st.integers(min_value=10 ** 14, max_value=10 ** 60).map(str),
                    st.integers(min_value=10 ** 14, max_value=10 ** 60).map(lambda n: str(-n))]
        if col.min is not None:
            options.append(st.integers(min_value=1, max_value=10 ** 6).map(lambda k: str(int(col.min) - k)))
        if col.max is not None:
            options.append(st.integers(min_value=1, max_value=10 ** 6).map(lambda k: str(int(col.max) + k)))
    elif col.kind == "float":
        options += [st.sampled_from(["1e400", "-1e400", "nan", "inf", "-inf", "1,5", "twelve", "0x1p3", "1.2.3"]),
                    st.floats(min_value=1e14, max_value=1e300).map(repr)]
        if col.min is not None:
            options.append(st.floats(min_value=1e-3, max_value=1e6).map(lambda k: repr(col.min - k)))
        if col.max is not None:
            options.append(st.floats(min_value=1e-3, max_value=1e6).map(lambda k: repr(col.max + k)))
    elif col.kind == "date":
        options.append(st.sampled_from(["2023-02-30", "2023-13-01", "2023-00-10", "20230101", "2023-1-1",
                                        "01/02/2023", "2023-06-01T00:00:00", "0000-01-01", "tomorrow"]))
    elif col.kind == "bool":
        options.append(st.sampled_from(["True", "FALSE", "1", "0", "yes", "no", "t", "f"]))
    if col.allowed is not None:
        options.append(_text.filter(lambda t, a=col.allowed: t and t not in a and t == t.strip()))
    return st.one_of(options)


def expect_at(problems: list[Problem], label: str, line: int | None, field: str | None) -> None:
    hits = [p for p in problems if p.file == label and p.row == line and (field is None or p.field == field)]
    assert hits, f"no problem at {label}:{line} {field}: {[str(p) for p in problems[:6]]}"


# ------------------------------------------------------------------------------------------ small CSV tables ---

@settings(max_examples=100, **SETTINGS)  # 4 tables, ~30 columns: each column drawn about 3 times
@given(data=st.data())
def test_bad_cell_in_small_table_is_named_by_file_row_and_field(world, data):
    copy, baseline = world
    label = data.draw(st.sampled_from(sorted(SMALL_TABLES)), label="file")
    spec = SMALL_TABLES[label]
    rows = parse_rows((DATA / label).read_bytes())
    r = data.draw(st.integers(min_value=1, max_value=len(rows) - 1), label="row")
    col = data.draw(st.sampled_from(spec.columns), label="column")
    value = data.draw(bad_value(col), label="value")
    rows[r][rows[0].index(col.name)] = value
    body = write_rows(rows)
    frame, direct = read_table(body, spec, label)
    assert frame is None
    expect_at(well_formed(direct, label), label, r + 1, col.name)
    with mutated(copy, label, body):
        mine = check_everything(copy, baseline, label, must_fail=True)
    expect_at(mine, label, r + 1, col.name)


SHAPES = ("extra_field", "missing_field", "duplicate_row", "drop_column", "rename_column", "empty", "deleted",
          "latin1", "utf16_bom", "header_only_blank")


@settings(max_examples=80, **SETTINGS)  # 10 shapes: each about 8 times, on every table about twice
@given(data=st.data())
def test_broken_shape_of_small_table_is_reported(world, data):
    copy, baseline = world
    label = data.draw(st.sampled_from(sorted(SMALL_TABLES)), label="file")
    spec = SMALL_TABLES[label]
    original = (DATA / label).read_bytes()
    rows = parse_rows(original)
    shape = data.draw(st.sampled_from(SHAPES), label="shape")
    r = data.draw(st.integers(min_value=1, max_value=len(rows) - 1), label="row")
    where: tuple[int | None, str | None] = (None, None)
    if shape == "extra_field":
        rows[r] = rows[r] + [data.draw(_text, label="extra")]
        where = (r + 1, "")
    elif shape == "missing_field":
        rows[r] = rows[r][:-1]
        where = (r + 1, "")
    elif shape == "duplicate_row":
        rows.append(list(rows[r]))
        where = (len(rows), "/".join(spec.key))
    elif shape in ("drop_column", "rename_column"):
        col = data.draw(st.sampled_from(spec.column_names), label="column")
        i = rows[0].index(col)
        if shape == "drop_column":
            rows = [row[:i] + row[i + 1:] for row in rows]
        else:
            rows[0][i] = data.draw(_text.filter(lambda t: t not in spec.column_names), label="new name")
        where = (1, col)
    body = write_rows(rows)
    if shape == "empty":
        body, where = b"", (None, "")
    elif shape == "header_only_blank":  # no header at all: every column is missing from line 1
        body, where = b"\n\n\n", (1, spec.columns[0].name)
    elif shape == "deleted":
        body, where = None, (None, "")
    elif shape == "latin1":
        # a non-ASCII character in a text cell, the file written as Latin-1: not valid UTF-8 at that row
        cols = [c.name for c in spec.columns if c.kind == "str" and c.allowed is None and c.check is None
                and c.pattern is None]
        i = rows[0].index(data.draw(st.sampled_from(cols), label="text column"))
        rows[r][i] = rows[r][i] + data.draw(st.sampled_from(["ç", "é", "ñ", "Curaçao", "São Tomé"]))
        body = write_rows(rows).decode("utf-8").encode("latin-1", errors="replace")
        with pytest.raises(UnicodeDecodeError) as bad:
            body.decode("utf-8")
        where = (body[: bad.value.start].count(b"\n") + 1, "")
    elif shape == "utf16_bom":
        body, where = original.decode("utf-8").encode("utf-16"), (1, "")
    if body is not None:
        frame, direct = read_table(body, spec, label)
        assert frame is None
        expect_at(well_formed(direct, label), label, *where)
    with mutated(copy, label, body):
        mine = check_everything(copy, baseline, label, must_fail=True)
    expect_at(mine, label, *where)


@settings(max_examples=60, **SETTINGS)
@given(data=st.data())
def test_truncated_or_spliced_small_table_gives_only_problems(world, data):
    copy, baseline = world
    label = data.draw(st.sampled_from(sorted(SMALL_TABLES)), label="file")
    original = (DATA / label).read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(original)), label="cut")
    at = data.draw(st.integers(min_value=0, max_value=cut), label="at")
    insert = data.draw(st.one_of(st.binary(max_size=20), _text.map(str.encode), st.sampled_from(
        [b'"', b",", b"\r", b"\n", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b'",,"', b"9" * 60])), label="insert")
    body = original[:at] + insert + original[at:cut]
    frame, direct = read_table(body, SMALL_TABLES[label], label)
    assert (frame is None) == bool(direct)
    well_formed(direct, label)
    if frame is not None:
        assert len(frame) <= original.count(b"\n") + insert.count(b"\n") + insert.count(b"\r")
    with mutated(copy, label, body):
        mine = check_everything(copy, baseline, label, must_fail=frame is None)
    if frame is None:
        assert {(p.row, p.field, p.rule) for p in direct} <= {(p.row, p.field, p.rule) for p in mine}


# ------------------------------------------------------------------------------------------------ big tables ---

@settings(max_examples=40, **SETTINGS)
@given(data=st.data())
def test_big_table_truncated_or_spliced_gives_only_problems(world, data):
    """Header + a window of the file starting at a random offset (most often mid-line), or the file cut short."""
    copy, baseline = world
    label = data.draw(st.sampled_from(sorted(BIG_TABLES)), label="file")
    spec = BIG_TABLES[label]
    original = (DATA / label).read_bytes()
    header_end = original.index(b"\n") + 1
    start = data.draw(st.integers(min_value=header_end, max_value=len(original)), label="start")
    size = data.draw(st.integers(min_value=0, max_value=3000), label="size")
    junk = data.draw(st.one_of(st.just(b""), st.binary(max_size=12), st.sampled_from([b"\x00", b'"', b"\xff"])))
    mode = data.draw(st.sampled_from(["window", "window", "cut_header", "junk_in_header"]), label="mode")
    if mode == "window":
        body = original[:header_end] + junk + original[start:start + size]
    elif mode == "cut_header":
        body = original[: data.draw(st.integers(min_value=0, max_value=header_end - 2))]  # part of a name lost
    else:
        at = data.draw(st.integers(min_value=0, max_value=header_end - 1))
        body = original[:at] + (junk or b";") + original[at:header_end]
    frame, direct = read_table(body, spec, label)
    assert (frame is None) == bool(direct)
    well_formed(direct, label)
    with mutated(copy, label, body):
        mine = check_everything(copy, baseline, label, must_fail=frame is None)
    if mode == "cut_header":  # no complete header: the whole file is refused
        assert frame is None and mine


# ------------------------------------------------------------------------------------------ deployment YAML ---

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the test's own reading and writing: libyaml if there
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _load_doc(name: str) -> dict:
    return yaml.load((DATA / "deployments" / name).read_text(encoding="utf-8"), Loader=_FAST_LOADER)


def _dump(doc) -> bytes:
    return yaml.dump(doc, Dumper=_FAST_DUMPER, sort_keys=False, allow_unicode=True).encode("utf-8")


# Values that are wrong for EVERY field of a deployment file (text, dates, lists of mappings, mappings).
WRONG_TYPES = st.one_of(
    st.just({"nested": [1, 2]}), st.just([[1, 2]]), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.just([{"a": None}]),
)
BILLION_LAUGHS = ("lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                  + "".join(f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)))


def yaml_attack(draw_field: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """(kind, bytes) of hostile or broken YAML documents built around one real deployment file."""
    return st.sampled_from(["laughs", "laughs_in_field", "python_tag", "python_tag_doc", "deep_flow", "deep_block",
                            "anchor_merge", "tab_indent", "unclosed", "empty", "scalar_doc", "list_doc",
                            "utf16_bom", "latin1", "oversize", "huge_int", "huge_int_digits", "bad_date",
                            "duplicate_key_list"]).map(lambda k: (k, draw_field))


def inject(src: str, field: str, value: str) -> str:
    """``field: value`` in place of the field (the original renamed to an unknown zz_ field), or appended."""
    if f"\n{field}:" in src:
        return src.replace(f"\n{field}:", f"\n{field}: {value}\nzz_{field}:", 1)
    return src + f"\n{field}: {value}\n"


def _python_tag() -> str:
    return f"!!python/object/apply:os.system ['touch {SENTINEL}']"


def _huge_int(name: str) -> bytes:
    doc = _load_doc(name)
    doc["personnel_max"] = {"value": 10 ** 400, "source_id": "whitney_2023", "attributed_to": "article"}
    return _dump(doc)


def _sources_as_mapping(name: str) -> bytes:
    doc = _load_doc(name)
    doc["sources"] = {"source_id": "whitney_2023", "attributed_to": "article"}  # a mapping where a list goes
    return _dump(doc)


# kind -> the hostile file made from a deployment file's text (src), its name and one of its fields
ATTACKS = {
    "laughs": lambda src, name, field: (src + "\n" + BILLION_LAUGHS).encode(),
    "laughs_in_field": lambda src, name, field: (BILLION_LAUGHS.replace("lol", "x")
                                                 + inject(src, field, "*a9")).encode(),
    "python_tag": lambda src, name, field: inject(src, field, _python_tag()).encode(),
    "python_tag_doc": lambda src, name, field: f"{_python_tag()}\n".encode(),
    "deep_flow": lambda src, name, field: (src + f"\n{field}x: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "deep_block": lambda src, name, field: (src + "\n" + "".join(" " * i + f"k{i}:\n" for i in range(400))
                                            + " " * 400 + "v\n").encode(),
    "anchor_merge": lambda src, name, field: ("base: &b {id: x}\n" + src + "\nextra:\n  <<: *b\n").encode(),
    "tab_indent": lambda src, name, field: (src.replace("\n  ", "\n\t", 1) if "\n  " in src
                                            else "\t" + src).encode(),
    "unclosed": lambda src, name, field: inject(src, field, "[unclosed, 'quote").encode(),
    "empty": lambda src, name, field: b"",
    "scalar_doc": lambda src, name, field: b"just some text\n",
    "list_doc": lambda src, name, field: _dump([_load_doc(name)]),
    "utf16_bom": lambda src, name, field: src.encode("utf-16"),
    "latin1": lambda src, name, field: src.replace("\nsummary:", "\nsummary: Curaçao, São Tomé\nzz_summary:",
                                                   1).encode("latin-1", "replace"),
    "oversize": lambda src, name, field: (src + "\n# " + "x" * 250_000 + "\n").encode(),
    "huge_int": lambda src, name, field: _huge_int(name),
    "huge_int_digits": lambda src, name, field: inject(src, field, "9" * 6000).encode(),
    "bad_date": lambda src, name, field: inject(src, field, "2023-02-30").encode(),
    "duplicate_key_list": lambda src, name, field: _sources_as_mapping(name),
}


def build_attack(kind: str, name: str, field: str) -> bytes:
    src = (DATA / "deployments" / name).read_text(encoding="utf-8")
    return ATTACKS[kind](src, name, field)


def load_one(copy: Path, name: str):
    sources, _ = deployments.read_sources(copy / "sources.yaml")  # memoised by the `world` fixture
    return deployments.load_file(copy / "deployments" / name, copy, sources)


@settings(max_examples=50, **SETTINGS)
@given(data=st.data())
def test_wrong_node_types_in_deployment_yaml_are_named(world, data):
    copy, baseline = world
    name = data.draw(st.sampled_from(DEPLOYMENT_FILES), label="file")
    label = f"deployments/{name}"
    doc = _load_doc(name)
    field = data.draw(st.sampled_from(deployments.REQUIRED + deployments.OPTIONAL), label="field")
    doc[field] = data.draw(WRONG_TYPES, label="value")
    body = _dump(doc)
    with mutated(copy, label, body):
        row, direct = load_one(copy, name)
        assert row is None
        hits = [p for p in well_formed(direct, label) if p.field.split(".")[0].split("[")[0] == field]
        assert hits and all(p.row is not None for p in hits), [str(p) for p in direct]
        mine = check_everything(copy, baseline, label, must_fail=True)
    assert {(p.row, p.field) for p in hits} <= {(p.row, p.field) for p in mine}


@settings(max_examples=50, **SETTINGS)  # 19 attacks: each about 2-3 times (the worst also in the regression test)
@given(data=st.data())
def test_hostile_or_broken_deployment_yaml_is_refused_quickly(world, data):
    copy, baseline = world
    name = data.draw(st.sampled_from(DEPLOYMENT_FILES), label="file")
    label = f"deployments/{name}"
    kind, field = data.draw(yaml_attack(data.draw(st.sampled_from(["name", "summary", "iso3", "start", "services"]))),
                            label="attack")
    body = build_attack(kind, name, field)
    cwd = os.getcwd()
    os.chdir(copy)  # where a `touch` run by a python tag would land
    try:
        with mutated(copy, label, body):
            t0 = time.monotonic()
            row, direct = load_one(copy, name)
            check_everything(copy, baseline, label, must_fail=True)  # asserts every problem is reported
            elapsed = time.monotonic() - t0
    finally:
        os.chdir(cwd)
    assert row is None and well_formed(direct, label)
    assert elapsed < 10, f"{kind} took {elapsed:.1f}s"
    assert not (copy / SENTINEL).exists() and not (ROOT / SENTINEL).exists(), "a python tag was executed"
    rules = " ".join(p.rule for p in direct)
    if kind in ("laughs", "laughs_in_field", "anchor_merge"):
        assert "aliases" in rules
    elif kind in ("python_tag", "python_tag_doc"):
        assert "python/object/apply" in rules
    elif kind in ("utf16_bom", "latin1"):
        assert "UTF-8" in rules
    elif kind == "oversize":
        assert "larger than" in rules
    elif kind == "huge_int":
        assert any(p.field == "personnel_max.value" and "large" in p.rule for p in direct)
    elif kind == "deep_flow":
        assert "nested" in rules


@settings(max_examples=25, **SETTINGS)
@given(data=st.data())
def test_truncated_deployment_yaml_gives_only_problems(world, data):
    copy, baseline = world
    name = data.draw(st.sampled_from(DEPLOYMENT_FILES), label="file")
    label = f"deployments/{name}"
    original = (DATA / "deployments" / name).read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(original)), label="cut")
    insert = data.draw(st.one_of(st.just(b""), st.binary(max_size=8),
                                 st.sampled_from([b": ", b"- ", b"\t", b"[", b"{", b"'", b"&x ", b"*x", b"!!", b"%"])))
    body = original[:cut] + insert
    with mutated(copy, label, body):
        row, direct = load_one(copy, name)
        assert (row is None) == bool(direct)
        well_formed(direct, label)
        mine = check_everything(copy, baseline, label, must_fail=row is None)
    if row is None:
        assert {(p.row, p.field) for p in direct} <= {(p.row, p.field) for p in mine}


def test_deployment_symlink_out_of_the_folder_is_refused(world, tmp_path):
    copy, baseline = world
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((DATA / "deployments" / DEPLOYMENT_FILES[0]).read_bytes())  # a valid file, elsewhere
    link = copy / "deployments" / "evil-link.yaml"
    link.symlink_to(outside)
    try:
        with pytest.raises(DataError) as err:
            load_one(copy, "evil-link.yaml")
        assert err.value.problems[0].file == "deployments/evil-link.yaml"
        mine = check_everything(copy, baseline, "deployments/evil-link.yaml", must_fail=True)
        assert "outside" in mine[0].rule
        frame, problems = deployments.load_deployments(copy)
        assert len(frame) == len(DEPLOYMENT_FILES)  # the real files are still read
    finally:
        link.unlink()


def test_deleted_deployment_file_or_folder_gives_no_exception(world):
    copy, baseline = world
    with mutated(copy, f"deployments/{DEPLOYMENT_FILES[0]}", None):
        frame, problems = deployments.load_deployments(copy)
        assert len(frame) == len(DEPLOYMENT_FILES) - 1 and well_formed(problems) == []
    folder = copy / "deployments"
    moved = copy.parent / "deployments-away"
    folder.rename(moved)
    try:
        frame, problems = deployments.load_deployments(copy)
        assert len(frame) == 0 and problems == []
        assert {str(p) for p in well_formed(registry.check_all(copy))} <= {str(p) for p in baseline}
    finally:
        moved.rename(folder)


# -------------------------------------------------------------------------------------------- sources.yaml ---

SOURCE_ATTACKS = ("drop_required", "blank_required", "null_required", "unknown_field", "block_is_list",
                  "block_is_text", "bad_id", "doc_is_list", "empty", "deleted", "laughs", "python_tag", "deep_flow",
                  "utf16_bom", "latin1", "unclosed", "bad_date", "truncated")


def _broken_block(kind: str, block: dict, fieldname: str, data):
    """One origin block broken by ``kind`` (the block-level attacks; others leave it as it is)."""
    block = dict(block)
    if kind == "drop_required":
        block.pop(fieldname)
    elif kind == "blank_required":
        block[fieldname] = data.draw(st.sampled_from(["", "   ", "\n"]))
    elif kind == "null_required":
        block[fieldname] = None
    elif kind == "unknown_field":
        block[data.draw(st.sampled_from(["titel", "URL", "note", "1", "source"]))] = "x"
    elif kind == "block_is_list":
        return [block]
    elif kind == "block_is_text":
        return "see above"
    return block


# the file-level attacks on sources.yaml: kind -> its bytes from the file's text
SOURCE_FILE_ATTACKS = {
    "empty": lambda text: b"",
    "laughs": lambda text: (text + "\n" + BILLION_LAUGHS).encode(),
    "python_tag": lambda text: (f"zz: !!python/object/apply:os.system ['touch {SENTINEL}']\n" + text).encode(),
    "deep_flow": lambda text: (text + "\nzz: " + "{a: " * 4000 + "}" * 4000 + "\n").encode(),
    "utf16_bom": lambda text: text.encode("utf-16"),
    "latin1": lambda text: ("# Curaçao\n" + text).encode("latin-1", "replace"),
    "unclosed": lambda text: (text + "\nzz: [unclosed\n").encode(),
    "bad_date": lambda text: (text + "\nzz: {accessed: 2023-02-30}\n").encode(),
}


def _broken_sources(kind: str, text: str, doc: dict, sid: str, fieldname: str, data) -> bytes | None:
    """sources.yaml broken by ``kind`` (None: the file deleted)."""
    dump = lambda d: yaml.dump(d, Dumper=_FAST_DUMPER, sort_keys=False, allow_unicode=True).encode()  # noqa: E731
    if kind in SOURCE_FILE_ATTACKS:
        return SOURCE_FILE_ATTACKS[kind](text)
    if kind == "bad_id":
        return dump({data.draw(st.sampled_from(["bad id", "a.b", "ö!", "x/y"])): doc[sid], **doc})
    if kind == "doc_is_list":
        return yaml.dump(list(doc.values()), Dumper=_FAST_DUMPER).encode()
    if kind == "deleted":
        return None
    if kind == "truncated":
        raw = text.encode()
        return raw[: data.draw(st.integers(min_value=0, max_value=len(raw)), label="cut")]
    return dump({**doc, sid: _broken_block(kind, doc[sid], fieldname, data)})


@settings(max_examples=60, **SETTINGS)  # 18 attacks: each about 3 times
@given(data=st.data())
def test_broken_sources_yaml_gives_problems_naming_it(world, data):
    copy, baseline = world
    text = (DATA / "sources.yaml").read_text(encoding="utf-8")
    doc = yaml.load(text, Loader=_FAST_LOADER)
    sid = data.draw(st.sampled_from(sorted(doc)), label="source id")
    fieldname = data.draw(st.sampled_from(["title", "producer", "url", "accessed", "licence", "citation", "caveats"]),
                          label="field")
    kind = data.draw(st.sampled_from(SOURCE_ATTACKS), label="attack")
    must_fail = kind != "truncated"  # a cut may fall between blocks and leave a valid file
    body = _broken_sources(kind, text, doc, sid, fieldname, data)
    with mutated(copy, "sources.yaml", body):
        t0 = time.monotonic()
        sources, direct = read_sources(copy / "sources.yaml")
        mine = check_everything(copy, baseline, "sources.yaml", must_fail=must_fail and bool(direct))
        elapsed = time.monotonic() - t0
    assert elapsed < 10
    assert not (ROOT / SENTINEL).exists()
    mine_direct = well_formed(direct, "sources.yaml")
    assert len(mine_direct) == len(direct)  # every problem names sources.yaml (or sources.yaml[id])
    if must_fail:
        assert direct, f"{kind}: no problem"
        assert {str(p) for p in direct} <= {str(p) for p in mine}
    if kind in ("drop_required", "blank_required", "null_required"):
        assert any(p.file == f"sources.yaml[{sid}]" and p.field == fieldname for p in direct)
        assert sid not in sources


# --------------------------------------------------------------------------------- nothing half-written ---

def _copy_raw(raw_dir: Path, dest: Path) -> None:
    """Only the upstream files the build reads."""
    from loaders import bases, budget, exercises, troops

    files = [troops.LONG_FILE, troops.REPORTS_FILE, troops.MASTER_REPORTS_FILE, str(bases.UPSTREAM),
             exercises.MME_FILE, budget.SIPRI_FILE]
    files += [f"{budget.OMB_DIR}/{f}" for f in budget.OMB_FILES.values()]
    files += [f"{budget.GREENBOOK_DIR}/{budget.greenbook_file(t)}" for t in budget.GREENBOOK_TABLES]
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(raw_dir / rel, dest / rel)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("corrupt", ["troops_long_spliced", "sipri_truncated"])
def test_build_with_one_corrupt_upstream_file_changes_nothing(raw_dir, tmp_path, corrupt):
    from loaders import budget, troops

    raw = tmp_path / "raw"
    _copy_raw(raw_dir, raw)
    if corrupt == "troops_long_spliced":  # text file: a row with a non-number in a count column
        path = raw / troops.LONG_FILE
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = lines[0].rstrip("\n").split(",")
        fields = lines[5].rstrip("\n").split(",")
        fields[-1] = "lots"
        lines[5] = ",".join(fields) + "\n"
        path.write_text("".join(lines[:6]) + "\x00garbage\n", encoding="utf-8")
        assert len(header) == len(fields)
    else:  # binary workbook cut in half: read last, after the troop, base and exercise tables were built
        path = raw / budget.SIPRI_FILE
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".build-*"))
    before = _snapshot(data)
    with pytest.raises(DataError) as err:
        registry.build_into_data(raw, data)
    well_formed(err.value.problems)
    assert any(Path(p.file).name == path.name or path.name in p.file for p in err.value.problems), \
        [str(p) for p in err.value.problems[:5]]
    assert _snapshot(data) == before
    assert not list(data.glob(".build-*")) and not list(data.glob(".*"))


# ------------------------------------------------------------------- regressions for loader bugs found here ---

def test_regression_huge_personnel_is_a_problem_not_an_overflow(world):
    """Was: OverflowError from load_deployments (a 400-digit personnel_max accepted, then cast to Int64)."""
    copy, _ = world
    name = "resolute-sentinel-23.yaml" if "resolute-sentinel-23.yaml" in DEPLOYMENT_FILES else DEPLOYMENT_FILES[0]
    with mutated(copy, f"deployments/{name}", build_attack("huge_int", name, "name")):
        frame, problems = deployments.load_deployments(copy)
    assert [(p.field, p.rule[:20]) for p in problems if p.file == f"deployments/{name}"] == \
        [("personnel_max.value", "implausibly large nu")]
    assert len(frame) == len(DEPLOYMENT_FILES) - 1


@pytest.mark.parametrize("kind", ["laughs", "deep_flow"])
def test_regression_alias_bomb_and_deep_nesting_are_refused_fast(world, kind):
    """Was: a 10-line alias bomb hung load_deployments (and str() of it in read_sources) for minutes; 5,000
    nested brackets raised RecursionError or took minutes in PyYAML's scanner."""
    copy, _ = world
    name = DEPLOYMENT_FILES[0]
    text = (DATA / "sources.yaml").read_text(encoding="utf-8")
    bad_sources = (BILLION_LAUGHS + text.replace("\n  title:", "\n  title: *a9\n  xtitle:", 1) if kind == "laughs"
                   else text + "\nzz: " + "[" * 5000 + "]" * 5000 + "\n")
    t0 = time.monotonic()
    with mutated(copy, f"deployments/{name}", build_attack(kind, name, "summary")):
        _, problems = deployments.load_deployments(copy)
    with mutated(copy, "sources.yaml", bad_sources.encode()):
        sources, source_problems = read_sources(copy / "sources.yaml")
    assert time.monotonic() - t0 < 5
    word = "aliases" if kind == "laughs" else "nested"
    assert [p.file for p in problems if word in p.rule] == [f"deployments/{name}"]
    assert sources == {} and len(source_problems) == 1 and word in source_problems[0].rule
    assert source_problems[0].row is not None and source_problems[0].file == "sources.yaml"
