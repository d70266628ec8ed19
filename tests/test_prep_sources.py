"""The Sources page's lists without Streamlit (prep/sources.py)."""
from __future__ import annotations

from loaders.sources import Source
from prep import sources


def _source(**kw) -> Source:
    base = {f: "" for f in Source.__dataclass_fields__}
    return Source(**{**base, **kw})


def test_reporting_table_lists_reporting_sources_newest_first_in_the_readers_language():
    known = {"data": _source(id="data", title="A data set"),
             "old": _source(id="old", title="Old", kind="wire-press", published="2019-05-01", publisher="AP",
                            language="en", url="https://example.org/a"),
             "new": _source(id="new", title="Nuevo", kind="official-host", published="2024-02-03", producer="Congreso",
                            language="es", url="https://example.org/b")}
    en = sources.reporting_table(known, "en")
    assert en["id"].tolist() == ["new", "old"]  # data sets (no kind) are not reporting
    assert en.columns.tolist() == ["Published", "Publisher", "Title", "Kind", "Language", "url", "id"]
    assert en.iloc[0, :5].tolist() == ["3 February 2024", "Congreso", "Nuevo", "official, host government", "es"]
    es = sources.reporting_table(known, "es")
    assert es.iloc[1, :5].tolist() == ["1 de mayo de 2019", "AP", "Old", "agencia de noticias o medio de gran alcance", "en"]


def test_dataset_facts_leave_out_what_the_block_does_not_give():
    s = _source(id="d", title="T", producer="DMDC", url="https://example.org", accessed="2025-01-02",
                licence="Public domain", citation="DMDC (2025)", caveats="Quarterly", caveats_es="Trimestral")
    assert sources.dataset_facts(s, "en") == [("Producer", "DMDC"), ("Where", "https://example.org"),
                                              ("Accessed", "2025-01-02"), ("Licence", "Public domain"),
                                              ("Cite as", "DMDC (2025)"), ("Caveats", "Quarterly")]
    assert dict(sources.dataset_facts(s, "es"))["Salvedades"] == "Trimestral"
