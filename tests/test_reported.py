"""Reported figures (attributed claims) and the measures of our own data they are compared with."""
from __future__ import annotations

import shutil

import pandas as pd

from loaders import DATA_DIR, reported
from loaders.schema import read_table


def test_committed_figures_are_valid_and_attributed():
    frame, problems = read_table(DATA_DIR / "reported_figures.csv", reported.REPORTED_SPEC)
    assert problems == []
    f = frame.set_index("figure_id")
    assert f.at["article_bases_worldwide", "value"] == 800
    assert (f.at["quincy_bases_abroad", "value"], f.at["quincy_base_countries", "value"]) == (750, 80)
    assert f.at["quincy_bases_abroad", "source_id"] == "quincy_2021_drawdown"
    assert (f.at["article_troops_abroad_2020", "value"], f.at["article_troop_countries_2020", "value"]) == (173000, 159)
    assert f.at["analysis_budget_fy2024", "value"] == 1_500_000 and f.at["analysis_budget_fy2024", "unit"] == "usd_m_current"
    assert f.at["analysis_budget_fy2024", "attributed_to"] == '"a recent analysis" cited by W. T. Whitney Jr. (CounterPunch, 2023)'
    assert "exceeds" in f.at["analysis_budget_fy2024", "claim"]
    assert [f.at[k, "value"] for k in ("vine_list_sites", "vine_list_countries", "vine_list_major_bases",
                                       "vine_list_lily_pads", "vine_list_funded_sites")] == [414, 93, 255, 114, 46]
    assert frame["attributed_to"].str.len().min() > 0


def test_unknown_measure_and_unit_mismatch_are_problems(tmp_path):
    path = tmp_path / "reported_figures.csv"
    path.write_text(
        "figure_id,label,label_es,value,unit,year,claim,claim_es,attributed_to,attributed_to_es,source_id,compare_with,note,note_es\n"
        "a,A,,1,bases,2020,one,,article,,whitney_2023,bases.everything,,\n", encoding="utf-8")
    _, problems = read_table(path, reported.REPORTED_SPEC)
    assert len(problems) == 1 and str(problems[0]).startswith(
        "reported_figures.csv:2 compare_with: unknown measure 'bases.everything'; known: bases.sites,")
    path.write_text(
        "figure_id,label,label_es,value,unit,year,claim,claim_es,attributed_to,attributed_to_es,source_id,compare_with,note,note_es\n"
        "a,A,,1,troops,2020,one,,article,,whitney_2023,bases.sites,,\n"
        "b,B,,-3,bases,2020,one,,article,,whitney_2023,bases.sites,,\n", encoding="utf-8")
    _, problems = read_table(path, reported.REPORTED_SPEC)
    assert [str(p) for p in problems] == ["reported_figures.csv:3 value: must be at least 0, got -3"]
    path.write_text(
        "figure_id,label,label_es,value,unit,year,claim,claim_es,attributed_to,attributed_to_es,source_id,compare_with,note,note_es\n"
        "a,A,,1,troops,2020,one,,article,,whitney_2023,bases.sites,,\n", encoding="utf-8")
    _, problems = read_table(path, reported.REPORTED_SPEC)
    assert [str(p) for p in problems] == ["reported_figures.csv:2 compare_with: compares troops with sites"]


def test_our_figures_count_the_bases_table():
    ours = reported.our_figures(DATA_DIR).set_index("measure")["value"]
    assert ours["bases.sites"] == 411
    assert ours["bases.countries"] == 92
    assert (ours["bases.major_bases"], ours["bases.lily_pads"], ours["bases.funded_sites"]) == (252, 114, 46)


def test_missing_tables_give_no_value_not_zero(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA_DIR / "reported_figures.csv", data)
    ours = reported.our_figures(data)
    assert ours["value"].isna().all()
    comp = reported.comparison(data)
    assert len(comp) == 11 and comp["our_value"].isna().all()


def test_comparison_puts_our_count_beside_each_claim(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA_DIR / "reported_figures.csv", data)
    shutil.copy(DATA_DIR / "bases.csv", data)
    comp = reported.comparison(data).set_index("figure_id")
    assert comp.at["article_bases_worldwide", "value"] == 800
    assert comp.at["article_bases_worldwide", "our_value"] == 411
    assert comp.at["vine_list_major_bases", "our_value"] == 252
    assert pd.isna(comp.at["analysis_budget_fy2024", "our_value"])
    assert comp.at["article_bases_worldwide", "our_description"].startswith("sites in Footprint's base list")
