"""Every CSV a reader downloads from a view carries the data version (loaders/version.py) it was computed from:
in its file name and, for a view's table, in a last column ``data_version`` (``versión_datos`` on a Spanish
page), so a saved file can be matched to a citation. The bytes checked are those the button's deferred callable
gives, i.e. what a click downloads."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
import streamlit

from loaders import DATA_DIR
from loaders.version import data_version
from prep.downloads import localized_csv, versioned, versioned_name
from tests.apputil import open_link


def test_versioned_name_and_column():
    assert versioned_name("troops_PER.csv", "0123456789ab") == "footprint-troops_PER-0123456789ab.csv"
    assert versioned_name("troops", "v1") == "footprint-troops-v1.csv"
    frame = pd.DataFrame({"year": [2023, 2024], "active_duty": [47, pd.NA]})
    out = versioned(frame, "v1")
    assert out.columns.tolist() == ["year", "active_duty", "data_version"]
    assert out["data_version"].tolist() == ["v1", "v1"] and "data_version" not in frame.columns
    assert localized_csv(out, "es").columns.tolist() == ["año", "servicio_activo", "versión_datos"]


def _clicks(monkeypatch, page: str, **query) -> list[tuple[str, bytes]]:
    """(file name, bytes a click gives) of every CSV download button of ``page`` opened with ``query``."""
    seen: list[dict] = []
    real = streamlit.download_button

    def spy(label, data=None, **kwargs):
        seen.append({"data": data, **kwargs})
        return real(label, data=data, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    open_link(page, **query)
    return [(b["file_name"], b["data"]()) for b in seen if b.get("mime") == "text/csv"]


@pytest.mark.parametrize("lang, column", [("en", "data_version"), ("es", "versión_datos")])
def test_a_views_csv_carries_the_data_version_in_name_and_column(monkeypatch, lang, column):
    version = data_version()
    clicks = _clicks(monkeypatch, "app_pages/country.py", lang=lang)  # Peru's profile, its first section
    assert clicks
    for name, body in clicks:
        assert name.startswith("footprint-") and name.endswith(f"-{version}.csv"), name
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0][-1] == column, (name, rows[0])
        assert len(rows) > 1 and {r[-1] for r in rows[1:]} == {version}, name


def test_a_data_file_keeps_its_columns_and_carries_the_version_in_its_name(monkeypatch):
    version = data_version()
    clicks = dict(_clicks(monkeypatch, "app_pages/sources_page.py"))
    name = f"footprint-troops_annual-{version}.csv"
    assert name in clicks, sorted(clicks)
    header = next(csv.reader(io.StringIO(clicks[name].decode("utf-8"))))
    assert header == (DATA_DIR / "troops_annual.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    listing = [n for n in clicks if n.startswith("footprint-reporting_sources-")]
    assert listing == [f"footprint-reporting_sources-{version}.csv"]
    assert clicks[listing[0]].decode("utf-8").splitlines()[0].endswith(",data_version")


def test_an_images_file_name_carries_the_data_version(monkeypatch):
    """PNG and SVG downloads are named like the CSVs: footprint-<chart>_<size>-<version>.<format>."""
    seen: list[dict] = []
    real = streamlit.download_button

    def spy(label, data=None, **kwargs):
        seen.append(kwargs)
        return real(label, data=data, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    open_link("app_pages/country.py", lang="es")
    names = sorted(b["file_name"] for b in seen if b.get("mime") in ("image/png", "image/svg+xml"))
    version = data_version()
    assert f"footprint-country_auth_1200x675-{version}.png" in names, names
    assert f"footprint-country_auth_1080x1080-{version}.png" in names, names
    assert all(n.startswith("footprint-") and n.rsplit(".", 1)[0].endswith(f"-{version}") for n in names), names
