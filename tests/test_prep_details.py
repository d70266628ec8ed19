"""A record's detail panel without Streamlit (prep/details.py): facts, decision, summary, detachments, claims
and sources as typed records, in English and Spanish."""
from __future__ import annotations

import pandas as pd

from prep import details

RECORD = pd.Series({
    "id": "peru-2023", "name": "Training in Peru", "name_es": "Entrenamiento en Perú", "kind": "decision",
    "status": "authorised", "iso3": "PER", "start": pd.Timestamp("2023-06-01"), "end": pd.Timestamp("2023-12-31"),
    "date_precision": "month", "organiser": "", "services": ["army", "navy"], "personnel_max": 700,
    "personnel_attributed_to": "Congress", "personnel": [
        {"value": 700, "attributed_to": "Congress", "detail": "resolution"},
        {"value": None, "attributed_to": "nobody"}],
    "purpose": "Training", "purpose_es": "Entrenamiento", "purpose_attributed_to": "the ministry",
    "summary": "A summary.", "summary_es": "Un resumen.", "our_translation": "es",
    "decision": {"type": "authorisation", "body": "Congress of Peru", "body_es": "Congreso del Perú",
                 "instrument": "Resolución Legislativa 123", "decided": "2023-05-25",
                 "vote": {"in_favour": 80, "against": 20, "abstentions": 5, "attributed_to": "Congress"},
                 "period": {"start": "2023-06-01", "end": "2023-12-31"},
                 "us_personnel_authorised": {"value": 700, "attributed_to": "Congress"},
                 "regions": ["Lima", "Cusco"], "weapons": {"text": "Rifles", "text_es": "Fusiles"},
                 "result": None},
    "detachments": [{"name": "SEAL team", "personnel": 20, "aircraft": None, "description": "Divers",
                     "attributed_to": "Congress", "source_id": "s1"}],
    "claims": [{"text": "More came", "attributed_to": "A newspaper"}],
    "sources": [{"source_id": "s1", "attributed_to": "Congress", "detail": "p. 3"},
                {"source_id": "s2", "attributed_to": "A newspaper"}, {"attributed_to": "no id"}],
})


def test_panel_in_english_lists_only_facts_with_a_value():
    p = details.deployment_panel(RECORD, "en")
    assert p.id == "peru-2023" and p.title == "Training in Peru"
    facts = dict(p.facts)
    assert "Organiser" not in facts and "Result" not in facts  # empty facts are left out
    assert facts["Kind"] == "decision (authorised)"
    assert facts["Where"] == "Peru"
    assert facts["When"] == "June 2023 to 31 December 2023"
    assert facts["Services"] == "army, navy"
    assert facts["Personnel (as reported)"] == "700, attributed to Congress (resolution)"  # the figure without a value is skipped
    assert facts["Purpose"] == "Training (attributed to the ministry)"
    assert facts["Decided by"] == "Congress of Peru" and facts["Instrument"] == "Resolución Legislativa 123"
    assert facts["Decided on"] == "25 May 2023"
    assert facts["Vote"] == "80 in favour, 20 against, 5 abstentions (Congress)"
    assert facts["Period authorised"] == "1 June 2023 to 31 December 2023"
    assert facts["US personnel authorised"] == "700, attributed to Congress"
    assert facts["Regions"] == "Lima, Cusco" and facts["Weapons"] == "Rifles"
    assert p.summary == "A summary."
    assert p.claims == [details.Claim("More came", "A newspaper")]
    assert p.sources[0] == details.SourceNote("s1", "Congress", "p. 3")
    assert p.source_ids == ["s1", "s2"]  # a source without an id is described but not cited


def test_panel_in_spanish_marks_our_translation_and_keeps_missing_counts_missing():
    p = details.deployment_panel(RECORD, "es")
    facts = dict(p.facts)
    assert p.title == "Entrenamiento en Perú"
    assert facts["Dónde"] == "Perú" and facts["Decidido por"] == "Congreso del Perú"
    assert facts["Armamento"] == "Fusiles"
    assert p.summary == "Un resumen. (traducción nuestra)"
    d = p.detachments
    assert list(d.columns) == ["Destacamento", "Personal", "Aeronaves", "Descripción", "Atribuido a", "source_id"]
    assert d["Personal"].tolist() == [20] and d["Aeronaves"].isna().all()  # no aircraft reported: missing, not 0
    assert str(d["Aeronaves"].dtype) == "Int64"
    assert d["Descripción"].iloc[0] == "Divers (en inglés)"


def test_panel_of_a_bare_record_says_what_is_not_reported():
    bare = {"id": "x", "name": "X", "kind": "deployment", "status": "proposed", "iso3": "", "start": pd.NaT,
            "end": pd.NaT, "date_precision": None, "personnel_max": pd.NA, "sources": None, "claims": float("nan")}
    p = details.deployment_panel(bare, "en")
    assert p.facts == [("Kind", "deployment (proposed)"), ("When", "date not reported"),
                       ("Personnel (as reported)", "not reported")]
    assert p.summary == "" and p.detachments is None and p.claims == [] and p.sources == [] and p.source_ids == []


def test_exercise_panel():
    e = pd.Series({"name": None, "series": "Cobra Gold", "location": "Thailand", "start": pd.Timestamp("2005-05-01"),
                   "end": pd.NaT, "date_precision": "month", "kinds": "land;sea", "n_participants": 4,
                   "participant_names": "USA, THA", "focus": "", "source_id": "mme"})
    p = details.exercise_panel(e, "en")
    assert p.title == "Unnamed exercise, Thailand" and p.source_id == "mme"
    assert p.facts == [("Series", "Cobra Gold"), ("Location", "Thailand"), ("When", "May 2005"),
                       ("Kinds", "land, sea"), ("Participants", "4: USA, THA")]


def test_every_committed_record_gives_a_panel_in_both_languages():
    from export.common import load_deployment_frame

    deps = load_deployment_frame()
    for _i, d in deps.iterrows():
        for lang in ("en", "es"):
            p = details.deployment_panel(d, lang)
            assert p.title and p.facts[0][1] and p.source_ids, d["id"]
            assert all(v for _k, v in p.facts)
