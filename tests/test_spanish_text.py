"""Data text in Spanish: every context event, reported figure, source caveat and deployment-record text
has its Spanish counterpart beside the English, with the same figures; `python -m loaders check` lists a missing
one as a warning naming file, line and field (and does not fail); the country and region names in Spanish."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from loaders import DATA_DIR, PROJECT_DIR, countries, deployments, registry, reported
from loaders.schema import read_table
from loaders.sources import read_sources


def _numbers(text: str) -> set[str]:
    """Figures in a text (1,172; 0.03; 2023; 6%), with trailing punctuation removed."""
    return {m.rstrip(".,") for m in re.findall(r"\d[\d,.]*", text or "")}


def _same_figures(en: str, es: str, where: str) -> None:
    missing = _numbers(en) - _numbers(es)
    assert not missing, f"{where}: figures {sorted(missing)} of the English are not in the Spanish: {es!r}"


# ------------------------------------------------------------------------------------- committed data ---

def test_committed_data_lacks_no_spanish_text():
    assert registry.spanish_gaps(DATA_DIR) == []
    assert registry.notes(DATA_DIR) == []


def test_every_context_event_has_spanish_title_and_description_with_the_same_figures():
    frame, problems = read_table(DATA_DIR / "context_events.csv", deployments.CONTEXT_SPEC)
    assert problems == [] and len(frame) >= 7
    for col in ("title_es", "description_es"):
        assert pd.api.types.is_string_dtype(frame[col]), col  # text (pandas 3: str dtype)
        assert frame[col].notna().all() and (frame[col].str.strip() != "").all(), col
    for line, row in frame.iterrows():
        _same_figures(row["description"], row["description_es"], f"context_events.csv:{line}")
    jeri = frame[frame["source_id"] == "rpp_2025_boluarte_vacancy"].iloc[0]
    assert "10 de octubre de 2025" in jeri["description_es"] and "José Jerí" in jeri["title_es"]


def test_every_reported_figure_has_spanish_label_claim_and_note_with_the_same_figures():
    frame, problems = read_table(DATA_DIR / "reported_figures.csv", reported.REPORTED_SPEC)
    assert problems == []
    for en in ("label", "claim", "note"):
        assert pd.api.types.is_string_dtype(frame[f"{en}_es"])
        filled = frame[en].notna()
        assert frame.loc[filled, f"{en}_es"].notna().all(), en
    for line, row in frame.iterrows():
        _same_figures(row["claim"], row["claim_es"], f"reported_figures.csv:{line} claim_es")
    troops = frame.set_index("figure_id").loc["article_troops_abroad_2020"]
    assert "173,000" in troops["claim_es"] and "159" in troops["claim_es"] and "EE. UU." in troops["claim_es"]


def test_every_source_block_has_spanish_caveats_and_titles_stay_untranslated():
    sources, problems = read_sources(DATA_DIR / "sources.yaml")
    raw = yaml.safe_load((DATA_DIR / "sources.yaml").read_text(encoding="utf-8"))
    assert problems == [] and len(sources) >= 100
    for sid, src in sources.items():
        assert src.caveats_es, sid
        _same_figures(src.caveats, src.caveats_es, f"sources.yaml[{sid}] caveats_es")
        assert "title_es" not in raw[sid], sid  # titles stay in the source's own language
        if src.short_es:
            assert src.short and src.short_es != src.short, sid  # only where `short` needed translating
            assert src.caption_es == src.short_es
        else:
            assert src.caption_es == src.caption
    assert sources["whitney_2023"].short_es == "W. T. Whitney Jr. (2023), artículo de opinión"
    assert sources["whitney_2023"].title == "The Implications of New US Troop Arrivals in Peru"


def test_every_deployment_text_has_its_spanish_counterpart():
    frame, problems = deployments.load_deployments(DATA_DIR)
    assert problems == [] and deployments.missing_spanish(frame) == []
    assert deployments.LEGACY_IDS == frozenset()
    for rec in frame.itertuples(index=False):
        assert rec.summary_es and rec.our_translation in ("es", "en"), rec.file
        if rec.purpose:
            assert rec.purpose_es, rec.file
        for i, claim in enumerate(rec.claims or []):
            assert claim["text_es"], f"{rec.file} claims[{i}]"
        for i, det in enumerate(rec.detachments or []):
            if det["description"]:
                assert det["description_es"], f"{rec.file} detachments[{i}]"
        for key in ("weapons", "result"):
            part = (rec.decision or {}).get(key)
            if part:
                assert part["text_es"], f"{rec.file} decision.{key}"
    old = frame.set_index("id").loc["peru-2015-reported-arrival"]
    assert "3,200" in old["summary_es"] and old["our_translation"] == "es"


# --------------------------------------------------------------------------------- the check's warnings ---

def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns(".build-*"))
    return data


def _blank_cell(path: Path, line: int, column: str) -> None:
    text = path.read_text(encoding="utf-8")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = ""
    frame.to_csv(path, index=False, lineterminator="\n")
    assert path.read_text(encoding="utf-8") != text


@pytest.fixture(scope="module")
def gapped(tmp_path_factory) -> Path:
    """A copy of data/ with one Spanish text removed from each kind of file."""
    data = _copy_data(tmp_path_factory.mktemp("gaps"))
    _blank_cell(data / "context_events.csv", 3, "description_es")
    _blank_cell(data / "reported_figures.csv", 5, "claim_es")
    _blank_cell(data / "reported_figures.csv", 6, "note_es")
    src = data / "sources.yaml"
    text = src.read_text(encoding="utf-8")
    block = re.search(r"\n  caveats_es: >-\n(    .*\n)+", text[text.index("\nkane:"):])
    text = text[: text.index("\nkane:")] + text[text.index("\nkane:"):].replace(block.group(0), "\n", 1)
    src.write_text(text, encoding="utf-8")
    rec = data / "deployments" / "peru-army-mission-1946-1969.yaml"
    lines = rec.read_text(encoding="utf-8").splitlines(keepends=True)
    rec.write_text("".join(ln for ln in lines if not ln.startswith("    text_es:")), encoding="utf-8")
    rs = data / "deployments" / "resolute-sentinel-23.yaml"
    text = rs.read_text(encoding="utf-8")
    rs.write_text(re.sub(r"\n  text_es: >-\n(    .*\n)+", "\n", text, count=1), encoding="utf-8")
    return data


def test_check_lists_each_missing_spanish_text_with_file_line_and_field(gapped):
    kane_line = next(i for i, ln in enumerate((gapped / "sources.yaml").read_text(encoding="utf-8").splitlines(), 1)
                     if ln.startswith("  caveats:") and i > (gapped / "sources.yaml").read_text(
                         encoding="utf-8").splitlines().index("kane:"))
    claim_line = next(i for i, ln in enumerate(
        (gapped / "deployments" / "peru-army-mission-1946-1969.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if ln.startswith("    text:"))
    purpose_line = next(i for i, ln in enumerate(
        (gapped / "deployments" / "resolute-sentinel-23.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if ln == "  text: >-")
    mark = "(the app shows the English, marked '(en inglés)')"
    got = sorted(str(p) for p in registry.spanish_gaps(gapped))
    assert got == sorted([
        f"context_events.csv:3 description_es: no Spanish text for description {mark}",
        f"reported_figures.csv:5 claim_es: no Spanish text for claim {mark}",
        f"reported_figures.csv:6 note_es: no Spanish text for note {mark}",
        f"sources.yaml[kane]:{kane_line} caveats_es: no Spanish text for caveats {mark}",
        f"deployments/peru-army-mission-1946-1969.yaml:{claim_line} claims[0].text_es: "
        f"no Spanish text for claims[0].text {mark}",
        f"deployments/resolute-sentinel-23.yaml:{purpose_line} purpose.text_es: no Spanish text for purpose.text {mark}",
    ])
    notes = registry.notes(gapped)
    assert notes[-1] == "warning: 6 text(s) lack Spanish text"
    assert all(n.startswith("warning: ") for n in notes)
    # a missing translation is a warning, never a problem: the data stays valid
    assert registry.check_all(gapped) == []


def test_check_command_prints_the_warnings_and_still_passes(gapped):
    env = {**os.environ, "FOOTPRINT_DATA_DIR": str(gapped)}
    out = subprocess.run([sys.executable, "-m", "loaders", "check"], cwd=PROJECT_DIR, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "warning: context_events.csv:3 description_es: no Spanish text for description" in out.stdout
    assert "warning: 6 text(s) lack Spanish text" in out.stdout
    assert "data/ is valid" in out.stdout


def test_a_record_without_summary_es_is_a_problem_now(tmp_path):
    data = _copy_data(tmp_path)
    rec = data / "deployments" / "peru-naval-mission-1920.yaml"
    rec.write_text("".join(ln for ln in rec.read_text(encoding="utf-8").splitlines(keepends=True)
                           if not ln.startswith(("summary_es:", "our_translation:"))), encoding="utf-8")
    _, problems = deployments.load_deployments(data)
    assert [str(p) for p in problems] == ["deployments/peru-naval-mission-1920.yaml:2 summary_es: required"]


def test_spanish_text_that_is_not_text_is_a_problem(tmp_path):
    data = _copy_data(tmp_path)
    src = data / "sources.yaml"
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace('  short_es: "Kane (2006), Heritage Foundation, vía troopdata"', "  short_es: [a, list]"),
                   encoding="utf-8")
    _, problems = read_sources(src)
    line = src.read_text(encoding="utf-8").splitlines().index("  short_es: [a, list]") + 1
    assert [str(p) for p in problems] == [f"sources.yaml[kane]:{line} short_es: must be text, got list"]
    path = data / "context_events.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "title_es"] = " espacio"
    frame.to_csv(path, index=False, lineterminator="\n")
    _, problems = read_table(path, deployments.CONTEXT_SPEC)
    assert [str(p) for p in problems] == ["context_events.csv:2 title_es: leading or trailing spaces"]


# ------------------------------------------------------------------------------------ places in Spanish ---

@pytest.mark.parametrize("code, name", [
    ("XSV", "Vietnam del Sur"), ("SUN", "Unión Soviética"), ("PCZ", "Zona del Canal de Panamá"), ("XKX", "Kosovo"),
    ("DDR", "Alemania Oriental"), ("YUG", "Yugoslavia"), ("IOT", "Territorio Británico del Océano Índico (Diego García)"),
    ("WAK", "Isla Wake"), ("VIR", "Islas Vírgenes de EE. UU."), ("PER", "Perú"), ("DEU", "Alemania"),
    ("JPN", "Japón"), ("KOR", "Corea del Sur")])
def test_spanish_place_names(code, name):
    pytest.importorskip("babel")
    assert countries.spanish_name(code) == name


def test_every_code_without_a_cldr_name_has_name_es():
    import pycountry

    rows, problems = countries.read_overrides(DATA_DIR / "country_overrides.csv")
    assert problems == []
    for row in rows:
        if pycountry.countries.get(alpha_3=row["code"]) is None:
            assert row["name_es"], row["code"]
    assert countries.spanish_name("NOPE") is None


def test_regions_in_spanish():
    assert set(countries.REGIONS_ES) == set(countries.REGIONS)
    assert countries.region_es("Latin America & Caribbean") == "América Latina y el Caribe"
    assert countries.lookup("PER").region_es == "América Latina y el Caribe"
    assert countries.region_es("") == ""


# ------------------------------------------------------------------------------ English left in Spanish pages ---

def test_english_data_text_is_marked_in_spanish_and_names_are_not():
    import i18n

    # the mark itself is Spanish (it read "(in English)" on Spanish pages: the phrase was not in the catalogue)
    assert i18n.localized({"name": "Exercise Foo"}, "name", "es") == "Exercise Foo (en inglés)"
    assert i18n.localized({"name": "Exercise Foo", "name_es": "Ejercicio Foo"}, "name", "es") == "Ejercicio Foo"
    assert i18n.localized({"name": "Exercise Foo"}, "name", "en") == "Exercise Foo"
    # a name and a publication read the same in both languages: no mark
    assert i18n.localized({"who": "W. T. Whitney Jr. (CounterPunch, 2023)"}, "who", "es", mark=False) == \
        "W. T. Whitney Jr. (CounterPunch, 2023)"


ENGLISH_WORDS = re.compile(r"\b(?:quoting|cited by|packaged|lists|analysis|by the)\b")


def test_every_attribution_with_english_words_has_its_spanish():
    frame, problems = read_table(DATA_DIR / "reported_figures.csv", reported.REPORTED_SPEC)
    assert problems == []
    worded = frame[frame["attributed_to"].str.contains(ENGLISH_WORDS)]
    assert len(worded) >= 3
    for line, row in worded.iterrows():
        es = row["attributed_to_es"]
        assert isinstance(es, str) and es.strip(), f"reported_figures.csv:{line + 2} attributed_to_es is empty"
        # English words left only inside the source's own quoted words ("a recent analysis", then translated)
        assert not re.search(r"\b(quoting|cited by|packaged|lists)\b", es), es


def test_reported_figures_table_reads_in_spanish():
    from tests.apputil import open_link

    at = open_link(lang="es")
    text = " ".join(h.proto.body for h in at.get("html"))
    assert "que cita otro texto" in text and "en el paquete de R troopdata" in text
    assert "quoting another text" not in text and "as packaged by" not in text and "(in English)" not in text
