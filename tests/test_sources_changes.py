"""The Sources page shows the latest data version's changes (changelog/data-changes.yaml) and the dates of the
latest upstream data, in both languages."""
from __future__ import annotations

import pandas as pd
import pytest

from export.common import load_sources, load_tables
from loaders import changes
from prep import sources as sources_prep


@pytest.mark.parametrize("lang,word", [("en", "compared with"), ("es", "comparada con")])
def test_latest_changes_in_each_language(lang, word):
    head, lines = sources_prep.latest_changes(lang)
    entry = changes.latest()
    assert entry["version"] in head and entry["compared_with"]["version"] in head and word in head
    assert lines == changes.summary(entry, lang) and lines


def test_no_change_log_gives_nothing(monkeypatch):
    monkeypatch.setattr(changes, "latest", lambda: None)
    assert sources_prep.latest_changes("en") is None


def test_upstream_dates_start_with_the_latest_troop_report():
    reports = load_tables()["troop_reports"]
    latest = reports.loc[reports["status"] == "present", "date"].max()
    en = sources_prep.upstream_dates(load_sources(), reports, "en")
    es = sources_prep.upstream_dates(load_sources(), reports, "es")
    assert en[0] == ("Latest troop report (DMDC)", f"{latest.day} {latest.strftime('%B %Y')}")
    assert es[0][0] == "Último informe de tropas (DMDC)" and len(es) == len(en) > 3
    # a data set's name, then the verb with its date (no "name: read on: date" in either language)
    assert all(d.startswith("read on ") and d[len("read on "):][:1].isdigit() for _n, d in en[1:]), en
    assert all(d.startswith("consultado el ") and " de " in d for _n, d in es[1:]), es
    assert not any(":" in n for n, _d in en[1:] + es[1:])


def test_missing_reports_are_not_the_latest():
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-12-31", "2025-03-31"]), "status": ["present", "missing"]})
    assert sources_prep.upstream_dates({}, frame, "en") == [("Latest troop report (DMDC)", "31 December 2024")]


def test_sources_page_shows_the_changes_in_spanish():
    from tests.apputil import open_link

    at = open_link("app_pages/sources_page.py", lang="es")
    text = "\n".join(m.value for m in at.markdown)
    first_words = " ".join(changes.summary(changes.latest(), "es")[0].split()[:3])  # no Markdown escapes in them
    assert first_words in text and changes.latest()["version"] in text
    assert "Qué cambió" in [h.value for h in at.header]
